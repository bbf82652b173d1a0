// The pack's policies: one per rule of plan/rules, so every rule added there is enforced here with
// no change to the pack. Resource rules judge each resource as the engine registers it; stack and
// deployment rules judge the whole stack once it is known. Kept apart from index.ts, whose
// PolicyPack starts the gRPC server the engine talks to: tests import this module only.
import {
    EnforcementLevel,
    Policies,
    PolicyConfigSchema,
    ResourceValidationPolicy,
    Severity as PolicySeverity,
    StackValidationPolicy,
} from "@pulumi/policy";
import { GroupRule, ResourceRule, Rule, RULES, RuleContext, Severity } from "../plan/rules";
import { snapshotOfResource, snapshotOfStackResource } from "./snapshot";

/** Errors block `pulumi preview` and `pulumi up`; warnings and advice are reported only. */
export const ENFORCEMENT: Record<Severity, EnforcementLevel> = {
    error: "mandatory",
    warning: "advisory",
    advice: "advisory",
};

export const POLICY_SEVERITY: Record<Severity, PolicySeverity> = {
    error: "high",
    warning: "medium",
    advice: "low",
};

/** The configuration a deployment rule's policy accepts (`--policy-pack-config`). */
export interface DeploymentPolicyConfig {
    /** The stack holds the whole deployment: both failover records, every region. */
    wholeDeployment?: boolean;
}

export const DEPLOYMENT_CONFIG_SCHEMA: PolicyConfigSchema = {
    properties: {
        wholeDeployment: {
            type: "boolean",
            default: false,
            description:
                "The stack holds the whole deployment (both failover records, every region), so " +
                "what is missing from it is really missing.",
        },
    },
};

function metadataOf(rule: Rule) {
    return {
        name: rule.id,
        description: rule.description,
        enforcementLevel: ENFORCEMENT[rule.severity],
        severity: POLICY_SEVERITY[rule.severity],
        remediationSteps: rule.remediation,
        url: rule.url,
    };
}

function resourcePolicy(rule: ResourceRule): ResourceValidationPolicy {
    return {
        ...metadataOf(rule),
        validateResource: (args, reportViolation) => {
            if (!rule.types.includes(args.type)) {
                args.notApplicable(
                    `Policy only applies to resources of type ${rule.types.join(", ")}`,
                );
            }
            for (const message of rule.check(snapshotOfResource(args))) {
                reportViolation(message);
            }
        },
    };
}

function stackPolicy(rule: GroupRule): StackValidationPolicy {
    const deployment = rule.scope === "deployment";
    return {
        ...metadataOf(rule),
        ...(deployment ? { configSchema: DEPLOYMENT_CONFIG_SCHEMA } : {}),
        validateStack: (args, reportViolation) => {
            // One stack is the whole deployment only when the user says so; a stack rule never asks.
            const ctx: RuleContext = {
                wholeDeployment:
                    deployment && args.getConfig<DeploymentPolicyConfig>().wholeDeployment === true,
            };
            const snapshots = args.resources.map(snapshotOfStackResource);
            for (const { resource, message } of rule.check(snapshots, ctx)) {
                reportViolation(message, resource.urn);
            }
        },
    };
}

/** The policy that enforces `rule`. */
export function policyOf(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    return rule.scope === "resource" ? resourcePolicy(rule) : stackPolicy(rule);
}

/** One policy per rule, in RULES' order. */
export const policies: Policies = RULES.map(policyOf);
