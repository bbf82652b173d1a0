// The policy pack the Pulumi CLI runs: `pulumi preview --policy-pack policy` (see README.md).
// Constructing the PolicyPack starts the gRPC server the engine talks to, so nothing but the CLI
// (through launch.js) loads this module; tests use ./policies.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("multi-region-api-guardrails", {
    policies,
    description:
        "Guardrails for Route 53 failover and latency routing in front of regional APIs: records, " +
        "health checks, custom domains and their functions, checked before anything is deployed.",
    provider: "aws",
    tags: ["route53", "failover", "multi-region"],
});
