// The policy pack's policies, driven with arguments shaped exactly as @pulumi/policy's server
// builds them from the engine's requests (./engine.ts). What the real server and gRPC add on top is
// covered by server.spec.ts, which runs the pack the way the Pulumi CLI does.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { RULES, Rule, UNKNOWN, runRules } from "../../plan/rules";
import { T } from "../../plan/rules/values";
import {
    DEPLOYMENT_CONFIG_SCHEMA,
    ENFORCEMENT,
    POLICY_SEVERITY,
    policies,
} from "../../policy/policies";
import { wholeDeploymentConfig as wholeDeploymentConfigOf } from "../../policy/readme";
import { snapshotOfResource, snapshotOfStackResource } from "../../policy/snapshot";
import {
    EngineResource,
    WIRE_UNKNOWN,
    analyze,
    analyzeStack,
    resourceArgs,
    stackArgs,
    urnOf,
    wireSecret,
} from "./engine";
import { API_TARGET, aws, certificate, euDomain, primary, record } from "./fixtures";

const root = path.join(__dirname, "..", "..");

/** Every deployment policy told the stack is the whole deployment. */
const wholeDeploymentConfig = wholeDeploymentConfigOf(RULES);

const policyNamed = (name: string) => {
    const found = policies.filter((p) => p.name === name);
    assert.equal(found.length, 1, `the pack has no policy named ${name}`);
    return found;
};

describe("policy pack: policies", () => {
    it("has one policy per rule, named by its id, with the rule's metadata", () => {
        assert.equal(policies.length, RULES.length);
        for (const rule of RULES) {
            const [policy] = policyNamed(rule.id);
            const { name, description, enforcementLevel, severity, remediationSteps, url } = policy;
            assert.deepEqual(
                { name, description, enforcementLevel, severity, remediationSteps, url },
                {
                    name: rule.id,
                    description: rule.description,
                    enforcementLevel: ENFORCEMENT[rule.severity],
                    severity: POLICY_SEVERITY[rule.severity],
                    remediationSteps: rule.remediation,
                    url: rule.url,
                },
            );
            const kind = "validateResource" in policy ? "resource" : "stack";
            assert.equal(kind, rule.scope === "resource" ? "resource" : "stack", rule.id);
            assert.equal(
                policy.configSchema,
                rule.scope === "deployment" ? DEPLOYMENT_CONFIG_SCHEMA : undefined,
                rule.id,
            );
        }
    });

    it("maps severities: errors block (mandatory, high), warnings and advice only report", () => {
        assert.deepEqual(ENFORCEMENT, {
            error: "mandatory",
            warning: "advisory",
            advice: "advisory",
        });
        assert.deepEqual(POLICY_SEVERITY, { error: "high", warning: "medium", advice: "low" });
        assert.deepEqual(DEPLOYMENT_CONFIG_SCHEMA.properties.wholeDeployment, {
            type: "boolean",
            default: false,
            description:
                "The stack holds the whole deployment (both failover records, every region), so what is missing from it is really missing.",
        });
    });

    it("includes the planned rules", () => {
        const ids = RULES.map((r: Rule) => r.id);
        for (const id of [
            "failover-pair",
            "alias-with-ttl",
            "health-check-settings",
            "lambda-least-privilege",
        ]) {
            assert.ok(ids.includes(id), `${id} is not in RULES`);
        }
    });
});

describe("policy pack: a resource rule (alias-with-ttl)", () => {
    it("reports the resource it validates, with the rule's message", async () => {
        const api = record("api", { ttl: 300, aliases: [API_TARGET] });
        assert.deepEqual(await analyze(policyNamed("alias-with-ttl"), api), {
            violations: [
                {
                    policy: "alias-with-ttl",
                    urn: urnOf(T.record, "api"),
                    message:
                        "Alias record api.example.com A also sets ttl 300: Route 53 rejects an alias with a TTL or values (it answers with its target's addresses and TTL), so the deploy fails. Remove ttl.",
                },
            ],
            notApplicable: [],
            cantRunDuringPreview: [],
        });
    });

    it("passes a correct record, and answers not applicable for other types", async () => {
        const api = record("api", { aliases: [API_TARGET] });
        const check = { type: T.healthCheck, name: "east", props: { type: "HTTPS" } };
        assert.deepEqual(await analyze(policyNamed("alias-with-ttl"), api), {
            violations: [],
            notApplicable: [],
            cantRunDuringPreview: [],
        });
        assert.deepEqual(await analyze(policyNamed("alias-with-ttl"), check), {
            violations: [],
            notApplicable: [
                {
                    policy: "alias-with-ttl",
                    reason: "Policy only applies to resources of type aws:route53/record:Record",
                },
            ],
            cantRunDuringPreview: [],
        });
    });
});

describe("policy pack: a stack rule (certificate-region)", () => {
    const domain = euDomain;

    it("reports the resource the rule names, with the regions from the providers", async () => {
        const report = await analyzeStack(policyNamed("certificate-region"), [
            certificate("us-east-1"),
            domain,
        ]);
        assert.deepEqual(report, {
            violations: [
                {
                    policy: "certificate-region",
                    urn: urnOf(T.domainName, "api-domain"),
                    message:
                        "The REGIONAL custom domain api.example.com (api-domain) is in eu-west-1 but its certificate is in us-east-1 (cert): API Gateway takes a regional domain's certificate only from the domain's own region, so creating the domain fails. Request or import the certificate in eu-west-1 (region: \"eu-west-1\") and use that one.",
                },
            ],
            notApplicable: [],
            cantRunDuringPreview: [],
        });
    });

    it("passes a certificate of the domain's region", async () => {
        const report = await analyzeStack(policyNamed("certificate-region"), [
            certificate("eu-west-1"),
            domain,
        ]);
        assert.deepEqual(report.violations, []);
    });
});

describe("policy pack: a deployment rule (failover-pair) and wholeDeployment", () => {
    const config = (wholeDeployment: boolean) => ({ "failover-pair": { wholeDeployment } });
    const missingSecondary =
        "api.example.com A has a PRIMARY failover record (east) but no SECONDARY anywhere in the deployment: when the primary is unhealthy Route 53 has nothing to fail over to and keeps answering with it. Add a SECONDARY record of api.example.com A for the other region.";
    const twoPrimaries =
        "api.example.com A has two PRIMARY failover records (east, west): Route 53 rejects the second, or the pair answers unpredictably. Keep exactly one PRIMARY and one SECONDARY per name and type.";

    it("by default (one stack of several) never reports the SECONDARY as missing", async () => {
        const stack = [primary("east")];
        assert.deepEqual((await analyzeStack(policyNamed("failover-pair"), stack)).violations, []);
        assert.deepEqual(
            (await analyzeStack(policyNamed("failover-pair"), stack, config(false))).violations,
            [],
        );
    });

    it("with wholeDeployment: true reports the missing SECONDARY", async () => {
        const report = await analyzeStack(
            policyNamed("failover-pair"),
            [primary("east")],
            config(true),
        );
        assert.deepEqual(report.violations, [
            { policy: "failover-pair", urn: urnOf(T.record, "east"), message: missingSecondary },
        ]);
    });

    it("reports two PRIMARY records either way: certainly wrong from one stack", async () => {
        // With the whole deployment seen, the same statement says the SECONDARY is missing too:
        // one statement per record, never "a PRIMARY ... but no SECONDARY" beside it.
        const twoPrimariesNoSecondary =
            "api.example.com A has two PRIMARY failover records (east, west) and no SECONDARY anywhere in the deployment: Route 53 rejects the second PRIMARY, and nothing is left to fail over to. Make one of them the SECONDARY (the other region's record), so the name and type has one PRIMARY and one SECONDARY.";
        for (const wholeDeployment of [false, true]) {
            const report = await analyzeStack(
                policyNamed("failover-pair"),
                [primary("east"), primary("west")],
                config(wholeDeployment),
            );
            const message = wholeDeployment ? twoPrimariesNoSecondary : twoPrimaries;
            assert.deepEqual(report.violations, [
                { policy: "failover-pair", urn: urnOf(T.record, "east"), message },
                { policy: "failover-pair", urn: urnOf(T.record, "west"), message },
            ]);
        }
    });
});

describe("policy pack: values unknown at preview", () => {
    it("copies inputs deeply, each unknown as UNKNOWN, secrets as plain values", () => {
        const args = resourceArgs(
            record("api", {
                ttl: WIRE_UNKNOWN.number,
                records: WIRE_UNKNOWN.array,
                aliases: [
                    {
                        name: WIRE_UNKNOWN.string,
                        zoneId: "Z1",
                        evaluateTargetHealth: WIRE_UNKNOWN.boolean,
                    },
                ],
                tags: { team: wireSecret("payments"), owner: wireSecret(WIRE_UNKNOWN.string) },
            }),
        );
        assert.throws(() => args.props.ttl, /can't be known during preview/);
        assert.deepEqual(snapshotOfResource(args).inputs, {
            zoneId: "Z0123456789",
            name: "api.example.com",
            type: "A",
            ttl: UNKNOWN,
            records: UNKNOWN,
            aliases: [{ name: UNKNOWN, zoneId: "Z1", evaluateTargetHealth: UNKNOWN }],
            tags: { team: "payments", owner: UNKNOWN },
        });
    });

    it("never reports, nor aborts a policy, because of an unknown value", async () => {
        // Read as missing, unknown records and ttl would be "a record without values".
        const unknownValues = record("api", {
            records: WIRE_UNKNOWN.array,
            ttl: WIRE_UNKNOWN.number,
        });
        const unknownAlias = record("www", {
            name: "www.example.com",
            ttl: WIRE_UNKNOWN.number,
            aliases: [
                {
                    name: WIRE_UNKNOWN.string,
                    zoneId: WIRE_UNKNOWN.string,
                    evaluateTargetHealth: true,
                },
            ],
        });
        for (const r of [unknownValues, unknownAlias]) {
            const report = await analyze(policies, r);
            assert.deepEqual(report.violations, [], r.name);
            assert.deepEqual(report.cantRunDuringPreview, [], r.name);
        }
        const stack = await analyzeStack(
            policies,
            [unknownValues, unknownAlias],
            wholeDeploymentConfig,
        );
        assert.deepEqual(stack.violations, []);
        assert.deepEqual(stack.cantRunDuringPreview, []);
    });

    it("survives every input of every resource type unknown, in every policy", async () => {
        const keys = inputKeysReadByRules();
        const everythingUnknown = Object.fromEntries(keys.map((k) => [k, WIRE_UNKNOWN.string]));
        const resources = Object.values(T).map((type, i) => ({
            type,
            name: `r${i}`,
            provider: aws(WIRE_UNKNOWN.string),
            props: everythingUnknown,
        }));
        for (const r of resources) {
            const report = await analyze(policies, r);
            assert.deepEqual(report.violations, [], r.type);
            assert.deepEqual(report.cantRunDuringPreview, [], r.type);
        }
        const stack = await analyzeStack(policies, resources, wholeDeploymentConfig);
        assert.deepEqual(stack.violations, []);
        assert.deepEqual(stack.cantRunDuringPreview, []);
    });
});

describe("policy pack: region and options of a resource", () => {
    const regionOf = (r: Partial<EngineResource>) =>
        snapshotOfResource(resourceArgs({ type: T.certificate, name: "cert", props: {}, ...r }))
            .region;

    it("takes the resource's own region, else its provider's, else none", () => {
        assert.equal(
            regionOf({ props: { region: "ap-south-1" }, provider: aws("eu-west-1") }),
            "ap-south-1",
        );
        assert.equal(regionOf({ provider: aws("eu-west-1") }), "eu-west-1");
        assert.equal(regionOf({ props: { region: "" }, provider: aws("eu-west-1") }), "eu-west-1");
        assert.equal(regionOf({}), undefined);
        assert.equal(regionOf({ provider: aws(WIRE_UNKNOWN.string) }), undefined);
        assert.equal(regionOf({ provider: aws() }), undefined);
        // An unknown own region overrides the provider's: where AWS creates it is not known.
        assert.equal(
            regionOf({ props: { region: WIRE_UNKNOWN.string }, provider: aws("eu-west-1") }),
            undefined,
        );
    });

    it("reads options, parent and dependencies of a validated resource", () => {
        const parent = urnOf("multi-region-api:index:RegionalApi", "east");
        const args = resourceArgs({
            type: T.record,
            name: "api",
            props: {},
            protect: true,
            ignoreChanges: ["ttl"],
            parent,
        });
        const withDependencies = Object.assign(args, {
            opts: { ...args.opts, dependencies: [urnOf(T.healthCheck, "east")] },
        });
        const snapshot = snapshotOfResource(withDependencies);
        assert.equal(snapshot.parent, parent);
        assert.deepEqual(snapshot.options, {
            protect: true,
            // The engine does not send it: unknown, never taken for false.
            retainOnDelete: UNKNOWN,
            ignoreChanges: ["ttl"],
            dependsOn: [urnOf(T.healthCheck, "east")],
        });
    });

    it("reads options, parent and every dependency of a stack's resource", () => {
        const parent = urnOf("multi-region-api:index:RegionalApi", "east");
        const check = urnOf(T.healthCheck, "east");
        const domain = urnOf(T.domainName, "api");
        const args = stackArgs([
            { type: "multi-region-api:index:RegionalApi", name: "east", props: {} },
            { type: T.healthCheck, name: "east", props: {} },
            { type: T.domainName, name: "api", props: {} },
            {
                type: T.record,
                name: "api",
                props: {},
                retainOnDelete: true,
                parent,
                dependencies: [check],
                propertyDependencies: { aliases: [domain], healthCheckId: [check] },
            },
        ]);
        const snapshot = snapshotOfStackResource(args.resources[3]);
        assert.equal(snapshot.parent, parent);
        assert.deepEqual(snapshot.options, {
            protect: false,
            retainOnDelete: true,
            ignoreChanges: [],
            dependsOn: [check, domain],
        });
        assert.equal(snapshot.stack, undefined);
    });
});

describe("policy pack: the same findings as the plan", () => {
    // A stack with something for every kind of rule: a record with a TTL beside its alias, a
    // domain with a certificate of another region, a lone PRIMARY record, a health check with
    // settings Route 53 refuses, and a Lambda role allowed everything.
    const role = urnOf(T.role, "fn");
    const stack: EngineResource[] = [
        record("www", { name: "www.example.com", ttl: 300, aliases: [API_TARGET] }),
        certificate("us-east-1"),
        euDomain,
        primary("east"),
        {
            type: T.healthCheck,
            name: "east",
            provider: aws("us-east-1"),
            props: {
                type: "HTTPS",
                fqdn: "use1.api.example.com",
                requestInterval: 15,
                regions: ["us-east-1"],
            },
        },
        {
            type: T.role,
            name: "fn",
            provider: aws("us-east-1"),
            props: {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: "sts:AssumeRole",
                            Principal: { Service: "lambda.amazonaws.com" },
                        },
                    ],
                }),
            },
        },
        {
            type: T.rolePolicy,
            name: "fn",
            provider: aws("us-east-1"),
            props: {
                role: WIRE_UNKNOWN.string,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
                }),
            },
            dependencies: [role],
        },
    ];

    it("reports, rule by rule, what runRules finds in the same resources", async () => {
        for (const wholeDeployment of [false, true]) {
            const config = wholeDeployment ? wholeDeploymentConfig : {};
            const reported = [
                ...(await Promise.all(stack.map((r) => analyze(policies, r, config)))).flatMap(
                    (report) => report.violations,
                ),
                ...(await analyzeStack(policies, stack, config)).violations,
            ];
            const snapshots = stackArgs(stack).resources.map(snapshotOfStackResource);
            // The pack tells only deployment rules that the stack is the whole deployment.
            const expected = [
                ...runRules(
                    RULES.filter((r) => r.scope !== "deployment"),
                    snapshots,
                    { wholeDeployment: false },
                ),
                ...runRules(
                    RULES.filter((r) => r.scope === "deployment"),
                    snapshots,
                    { wholeDeployment },
                ),
            ];
            const key = (f: { policy: string; urn: string; message: string }) =>
                `${f.policy} ${f.urn} ${f.message}`;
            assert.deepEqual(
                reported.map(key).sort(),
                expected.map((f) => key({ policy: f.rule, urn: f.urn, message: f.message })).sort(),
            );
            const rules = new Set(reported.map((v) => v.policy));
            for (const id of [
                "alias-with-ttl",
                "certificate-region",
                "health-check-settings",
                "lambda-least-privilege",
            ]) {
                assert.ok(rules.has(id), `${id} reported nothing`);
            }
            assert.equal(rules.has("failover-pair"), wholeDeployment);
        }
    });
});

describe("policy pack: its files", () => {
    const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

    it("has the repository's version, and is a Node.js pack the CLI loads through launch.js", () => {
        const pack = JSON.parse(read("policy/package.json")) as { version: string; main: string };
        const repository = JSON.parse(read("package.json")) as { version: string };
        assert.equal(
            pack.version,
            repository.version,
            "bump policy/package.json with package.json",
        );
        assert.equal(
            (parse(read("policy/PulumiPolicy.yaml")) as { runtime: string }).runtime,
            "nodejs",
        );
        assert.equal(
            require.resolve(path.join(root, "policy")),
            path.join(root, "policy", "launch.js"),
        );
    });
});

/** Every input key the rules read (`inputs.key`, `inputs["key"]`), from their sources. */
function inputKeysReadByRules(): string[] {
    const dir = path.join(root, "plan", "rules");
    const keys = new Set<string>(["name", "type", "region"]);
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
        const source = fs.readFileSync(path.join(dir, file), "utf8");
        for (const m of source.matchAll(/inputs(?:\.(\w+)|\["(\w+)"\])/g)) {
            keys.add(m[1] ?? m[2]);
        }
    }
    return [...keys].sort();
}
