// The pack run the way the Pulumi CLI runs a Node.js policy pack: `node
// @pulumi/pulumi/cmd/run-policy-pack <engine> .` in the pack's folder, which loads the folder
// (package.json main: launch.js) and prints the port of the analyzer's gRPC server; then the
// engine's calls over gRPC, with requests encoded as the engine encodes them. Also checks that
// ./engine.ts, which the fast specs use, builds what the real server builds. The pack runs as
// installed from npm (compiled): from a clone the CLI compiles the same source with ts-node,
// type-checked, which costs several seconds for what `tsc` already checks.
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { RULES } from "../../plan/rules";
import { policies } from "../../policy/policies";
import { EngineResource, Report, analyze, analyzeStack, urnOf, wireSecret } from "./engine";
import { API_TARGET, certificate, euDomain, primary, record } from "./fixtures";
import { installedPack, startPack, unary } from "./launch";

const packDir = path.join(__dirname, "..", "..", "policy");

/** Zone ids as secrets, to see the SDK unwrap them on the wire. */
const secretZone = { zoneId: wireSecret("Z0123456789") };

/** Resources that trip resource rules, stack rules and (whole deployment) a deployment rule. */
const FIXTURES: EngineResource[] = [
    record("alias-ttl", {
        ...secretZone,
        name: "www.example.com",
        ttl: 300,
        aliases: [API_TARGET],
    }),
    certificate("us-east-1"),
    euDomain,
    primary("east", secretZone),
];

// ---- the engine's side of the wire ----------------------------------------------------------

const struct = (json: Record<string, unknown>) => Struct.fromJavaScript(json as never);

function optionsOf(r: EngineResource): pb.AnalyzerResourceOptions {
    const opts = new pb.AnalyzerResourceOptions()
        .setProtect(r.protect ?? false)
        .setIgnorechangesList(r.ignoreChanges ?? []);
    return r.parent ? opts.setParent(r.parent) : opts;
}

function providerOf(r: EngineResource): pb.AnalyzerProviderResource | undefined {
    const p = r.provider;
    return (
        p &&
        new pb.AnalyzerProviderResource()
            .setType(p.type)
            .setName(p.name)
            .setUrn(p.urn ?? urnOf(p.type, p.name))
            .setProperties(struct(p.props))
    );
}

function analyzeRequest(r: EngineResource): pb.AnalyzeRequest {
    return new pb.AnalyzeRequest()
        .setType(r.type)
        .setName(r.name)
        .setUrn(r.urn ?? urnOf(r.type, r.name))
        .setProperties(struct(r.props))
        .setOptions(optionsOf(r))
        .setProvider(providerOf(r));
}

function stackResource(r: EngineResource): pb.AnalyzerResource {
    const resource = new pb.AnalyzerResource()
        .setType(r.type)
        .setName(r.name)
        .setUrn(r.urn ?? urnOf(r.type, r.name))
        .setProperties(struct(r.props))
        .setOptions(optionsOf(r))
        .setProvider(providerOf(r))
        .setParent(r.parent ?? "")
        .setDependenciesList(r.dependencies ?? []);
    for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
        resource
            .getPropertydependenciesMap()
            .set(key, new pb.AnalyzerPropertyDependencies().setUrnsList(urns));
    }
    return resource;
}

/** Every policy at its own enforcement level; deployment policies told `wholeDeployment`. */
function configureRequest(wholeDeployment: boolean): pb.ConfigureAnalyzerRequest {
    const request = new pb.ConfigureAnalyzerRequest();
    for (const rule of RULES) {
        const properties = rule.scope === "deployment" ? { wholeDeployment } : {};
        request
            .getPolicyconfigMap()
            .set(
                rule.id,
                new pb.PolicyConfig()
                    .setEnforcementlevel(
                        rule.severity === "error"
                            ? pb.EnforcementLevel.MANDATORY
                            : pb.EnforcementLevel.ADVISORY,
                    )
                    .setProperties(struct(properties)),
            );
    }
    return request;
}

interface Diagnostic {
    policy: string;
    urn: string;
    message: string;
    enforcementLevel: pb.EnforcementLevel;
}

const diagnosticsOf = (response: pb.AnalyzeResponse): Diagnostic[] =>
    response.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        urn: d.getUrn(),
        message: d.getMessage(),
        enforcementLevel: d.getEnforcementlevel(),
    }));

// ---- the pack's side: started as the CLI starts it -------------------------------------------

// Started when mocha loads this file, so the pack starts while the other specs run; stopped with
// this file's tests, or at exit.
const started = startPack(installedPack(), process.env, packDir);
started.port.catch(() => undefined); // reported by the `before` hook below
process.once("exit", () => started.child.kill());

describe("policy pack: run as the Pulumi CLI runs it", function () {
    this.timeout(60000);
    let client: AnalyzerClient;

    before(async () => {
        client = new AnalyzerClient(
            `127.0.0.1:${await started.port}`,
            grpc.credentials.createInsecure(),
        );
    });

    after(() => {
        client?.close();
        started.child.kill();
    });

    it("describes every rule as a policy, with its metadata and the wholeDeployment setting", async () => {
        const info = await unary<pb.AnalyzerInfo>((done) =>
            client.getAnalyzerInfo(new Empty(), done),
        );
        const version = (
            JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as {
                version: string;
            }
        ).version;
        assert.equal(info.getName(), "multi-region-api-guardrails");
        assert.equal(info.getVersion(), version);
        assert.equal(info.getSupportsconfig(), true);
        const severity = {
            error: pb.PolicySeverity.POLICY_SEVERITY_HIGH,
            warning: pb.PolicySeverity.POLICY_SEVERITY_MEDIUM,
            advice: pb.PolicySeverity.POLICY_SEVERITY_LOW,
        };
        const described = info.getPoliciesList().map((p) => ({
            name: p.getName(),
            description: p.getDescription(),
            enforcementLevel: p.getEnforcementlevel(),
            severity: p.getSeverity(),
            remediationSteps: p.getRemediationSteps(),
            url: p.getUrl(),
            config: p.getConfigschema()?.getProperties()?.toJavaScript(),
        }));
        assert.deepEqual(
            described,
            RULES.map((r) => ({
                name: r.id,
                description: r.description,
                enforcementLevel:
                    r.severity === "error"
                        ? pb.EnforcementLevel.MANDATORY
                        : pb.EnforcementLevel.ADVISORY,
                severity: severity[r.severity],
                remediationSteps: r.remediation,
                url: r.url,
                config:
                    r.scope === "deployment"
                        ? {
                              wholeDeployment: {
                                  type: "boolean",
                                  default: false,
                                  description:
                                      "The stack holds the whole deployment (both failover records, every region), so what is missing from it is really missing.",
                              },
                          }
                        : undefined,
            })),
        );
    });

    it("reports what ./engine.ts reports, description first, over Analyze and AnalyzeStack", async () => {
        for (const wholeDeployment of [false, true]) {
            await unary((done) => client.configure(configureRequest(wholeDeployment), done));
            const config = Object.fromEntries(RULES.map((r) => [r.id, { wholeDeployment }]));
            const expected: Report["violations"] = [];
            const actual: Diagnostic[] = [];
            for (const r of FIXTURES) {
                expected.push(...(await analyze(policies, r, config)).violations);
                actual.push(
                    ...diagnosticsOf(
                        await unary((done) => client.analyze(analyzeRequest(r), done)),
                    ),
                );
            }
            expected.push(...(await analyzeStack(policies, FIXTURES, config)).violations);
            const stack = new pb.AnalyzeStackRequest().setResourcesList(
                FIXTURES.map(stackResource),
            );
            actual.push(...diagnosticsOf(await unary((done) => client.analyzeStack(stack, done))));

            const byPolicy = new Map(RULES.map((r) => [r.id, r]));
            assert.deepEqual(
                actual,
                expected.map((v) => {
                    const rule = byPolicy.get(v.policy)!;
                    return {
                        policy: v.policy,
                        // A resource policy's diagnostic names no URN: the engine files it under the resource.
                        urn: rule.scope === "resource" ? "" : v.urn,
                        message: `${rule.description}\n${v.message}`,
                        enforcementLevel:
                            rule.severity === "error"
                                ? pb.EnforcementLevel.MANDATORY
                                : pb.EnforcementLevel.ADVISORY,
                    };
                }),
            );
            const tripped = [...new Set(actual.map((d) => d.policy))].sort();
            assert.deepEqual(tripped, [
                "alias-with-ttl",
                "certificate-not-validated",
                "certificate-region",
                ...(wholeDeployment ? ["failover-pair"] : []),
            ]);
        }
    });
});
