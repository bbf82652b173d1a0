// The plan over small hand-made graphs (what a program would register, without evaluating one):
// drills only where the program intends them, and a budget, cost or simulator problem in one record
// reported there, named by stack/name, without stopping the plan or hiding the guardrails.
import * as assert from "node:assert/strict";
import { analyze, Plan } from "../../plan/analyze";
import { planPasses } from "../../plan/cli";
import { EvaluatedStack, PlannedResource } from "../../plan/evaluate";
import { planJson, planText } from "../../plan/report";

const ZONE = { id: "Z1", name: "example.com" };
const HOST = {
    "us-east-1": { name: "d-use1.execute-api.us-east-1.amazonaws.com", zoneId: "Z1UJRXOUMOOFQ8" },
    "eu-west-1": { name: "d-euw1.execute-api.eu-west-1.amazonaws.com", zoneId: "ZLY8HYME6SFDD" },
};
type Region = keyof typeof HOST;

/** A resource as the mock runtime registers it: its id is `<name>-id`. */
function resource(
    type: string,
    name: string,
    provider: string | null,
    inputs: Record<string, unknown>,
    state: Record<string, unknown> = {},
): PlannedResource {
    return {
        type,
        name,
        urn: `urn:pulumi:dev::drills::${type}::${name}`,
        provider,
        inputs,
        state: { ...inputs, ...state },
        id: `${name}-id`,
        parent: undefined,
        options: { protect: false, retainOnDelete: false, ignoreChanges: [], dependsOn: [] },
    };
}

const domain = (region: Region) =>
    resource(
        "aws:apigateway/domainName:DomainName",
        `${region}-domain`,
        region,
        { domainName: `${region}.api.example.com`, endpointConfiguration: { types: "REGIONAL" } },
        { regionalDomainName: HOST[region].name, regionalZoneId: HOST[region].zoneId },
    );

const check = (name: string, inputs: Record<string, unknown>) =>
    resource("aws:route53/healthCheck:HealthCheck", name, "us-east-1", inputs);

const endpointCheck = (region: Region) =>
    check(`${region}-check`, {
        type: "HTTPS_STR_MATCH",
        fqdn: `${region}.api.example.com`,
        port: 443,
        resourcePath: "/health",
        searchString: "ok",
        requestInterval: 30,
        failureThreshold: 3,
        regions: ["us-east-1", "eu-west-1", "ap-southeast-1"],
    });

/** A routed record aliased to `region`'s custom domain, guarded by `healthCheck` (a name). */
const record = (
    name: string,
    region: Region,
    routing: Record<string, unknown>,
    healthCheck: string | null = `${region}-check`,
) =>
    resource("aws:route53/record:Record", name, region, {
        zoneId: ZONE.id,
        name: "api.example.com",
        type: "A",
        setIdentifier: name,
        aliases: [{ ...HOST[region], evaluateTargetHealth: true }],
        ...(healthCheck ? { healthCheckId: `${healthCheck}-id` } : {}),
        ...routing,
    });

const failover = (type: string) => ({ failoverRoutingPolicies: [{ type }] });
const latency = (region: Region) => ({ latencyRoutingPolicies: [{ region }] });

function stack(name: string, resources: PlannedResource[]): EvaluatedStack {
    return { stack: name, region: "us-east-1, eu-west-1", resources, outputs: {}, zones: [ZONE] };
}

/** A correct two-region failover program in one stack, without an operator switch. */
const twoRegions = (): PlannedResource[] => [
    domain("us-east-1"),
    domain("eu-west-1"),
    endpointCheck("us-east-1"),
    endpointCheck("eu-west-1"),
    record("primary-record", "us-east-1", failover("PRIMARY")),
    record("secondary-record", "eu-west-1", failover("SECONDARY")),
];

/** twoRegions with the resource named `name` changed by `change` (or removed: null). */
function changed(
    name: string,
    change: ((r: PlannedResource) => PlannedResource | null) | null,
    extra: PlannedResource[] = [],
): EvaluatedStack {
    const resources = twoRegions()
        .map((r) => (r.name === name ? (change ? change(r) : null) : r))
        .filter((r): r is PlannedResource => r !== null);
    return stack("dev", [...resources, ...extra]);
}

const withInputs =
    (inputs: Record<string, unknown>) =>
    (r: PlannedResource): PlannedResource => ({
        ...r,
        inputs: { ...r.inputs, ...inputs },
        state: { ...r.state, ...inputs },
    });

const rows = (p: Plan) => p.drills.map((d) => [d.scenario, d.answer.region, d.ok]);
const errors = (p: Plan) =>
    Object.values(p.stacks).flatMap((s) => s.findings.filter((f) => f.severity === "error"));

/**
 * Whatever the graph, the plan is whole: both reports render, and what the plan says (everything
 * but the resources' own inputs) never names a mock id.
 */
function reported(p: Plan): string {
    const text = planText(p);
    const json = planJson(p);
    const said = [
        text,
        JSON.stringify([
            json.drills,
            json.notDrilled,
            Object.values(json.stacks).map((s) => ({ ...(s as object), resources: undefined })),
        ]),
    ];
    for (const out of said) {
        assert.ok(!/[a-z]-id\b/.test(out), `a mock id in ${out}`);
    }
    return text;
}

describe("plan analysis over hand-made graphs", () => {
    describe("switch scenarios only where an operator switch protects the region", () => {
        it("failover without a switch: 6 drills, all as intended, labels name regions", () => {
            const p = analyze([stack("dev", twoRegions())]);
            assert.deepEqual(rows(p), [
                ["api.example.com failover: all healthy", "us-east-1", true],
                ["api.example.com failover: primary endpoint down (us-east-1)", "eu-west-1", true],
                ["api.example.com failover: secondary down (eu-west-1)", "us-east-1", true],
                ["api.example.com failover: both down", "us-east-1", true],
            ]);
            assert.deepEqual(p.notDrilled, []);
            assert.equal(planPasses(p), errors(p).length === 0);
            assert.match(reported(p), /\nAll 4 drills answer as the configuration intends\.\n/);
        });

        it("latency without a switch: no 'drained by its switch' scenario", () => {
            const p = analyze([
                stack("dev", [
                    domain("us-east-1"),
                    domain("eu-west-1"),
                    endpointCheck("us-east-1"),
                    endpointCheck("eu-west-1"),
                    record("use1-record", "us-east-1", latency("us-east-1")),
                    record("euw1-record", "eu-west-1", latency("eu-west-1")),
                ]),
            ]);
            assert.deepEqual(rows(p), [
                ["api.example.com latency: client near eu-west-1, all healthy", "eu-west-1", true],
                [
                    "api.example.com latency: client near eu-west-1, eu-west-1 down",
                    "us-east-1",
                    true,
                ],
                [
                    "api.example.com latency: client near eu-west-1, every region down",
                    "eu-west-1",
                    true,
                ],
                ["api.example.com latency: client near us-east-1, all healthy", "us-east-1", true],
                [
                    "api.example.com latency: client near us-east-1, us-east-1 down",
                    "eu-west-1",
                    true,
                ],
                [
                    "api.example.com latency: client near us-east-1, every region down",
                    "us-east-1",
                    true,
                ],
            ]);
        });

        it("a switch alarm for us-east-1 (namespace HealthCheck, metric Failover, Region dimension) brings its scenarios back", () => {
            const alarm = resource(
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                "use1-switch-alarm",
                "eu-west-1",
                {
                    namespace: "HealthCheck",
                    metricName: "Failover",
                    dimensions: { Service: "api.example.com", Region: "us-east-1" },
                    period: 60,
                    evaluationPeriods: 1,
                },
                { name: "use1-switch-alarm" },
            );
            const p = analyze([stack("dev", [...twoRegions(), alarm])]);
            // Not wired into the PRIMARY's check: the switch scenarios fail, as they should.
            assert.deepEqual(
                p.drills.filter((d) => !d.ok).map((d) => d.scenario),
                [
                    "api.example.com failover: operator switch engaged (us-east-1)",
                    "api.example.com failover: switch engaged, then no new data (us-east-1)",
                ],
            );
            assert.equal(p.drills.length, 9);
        });
    });

    describe("a broken failover pair: one FAIL row saying why", () => {
        it("two PRIMARY records (in two stacks)", () => {
            const p = analyze([
                stack("a", twoRegions()),
                stack("b", [record("other-primary", "eu-west-1", failover("PRIMARY"), null)]),
            ]);
            assert.deepEqual(
                p.drills.map((d) => [d.scenario, d.ok, d.answer, d.expected]),
                [
                    [
                        "api.example.com failover: the failover pair",
                        false,
                        { region: null, target: null },
                        "one PRIMARY and one SECONDARY record (2 PRIMARY records: a/primary-record, b/other-primary; Route 53 accepts one of each; no scenario is drilled)",
                    ],
                ],
            );
            assert.equal(planPasses(p), false);
            reported(p);
        });

        it("two PRIMARY records are wrong even when only some stacks are planned", () => {
            const p = analyze(
                [stack("a", [...twoRegions(), record("p2", "eu-west-1", failover("PRIMARY"))])],
                false,
            );
            assert.deepEqual(
                p.drills.map((d) => [d.scenario, d.ok]),
                [["api.example.com failover: the failover pair", false]],
            );
        });
    });

    describe("what the simulator does not model is 'not simulated', never a failure", () => {
        it("weighted records with health checks are listed, budgeted and priced, not taken as absent", () => {
            const weighted = (w: number) => ({ weightedRoutingPolicies: [{ weight: w }] });
            const p = analyze([
                stack("dev", [
                    domain("us-east-1"),
                    domain("eu-west-1"),
                    endpointCheck("us-east-1"),
                    endpointCheck("eu-west-1"),
                    record("w-use1", "us-east-1", weighted(90)),
                    record("w-euw1", "eu-west-1", weighted(10)),
                ]),
            ]);
            assert.deepEqual(p.drills, []);
            assert.deepEqual(p.notDrilled, [
                {
                    name: "api.example.com",
                    routing: "weighted routing",
                    reason: 'not simulated: Record "dev/w-use1" uses weighted routing, which is not modelled',
                },
            ]);
            const { budget, cost } = p.stacks.dev;
            assert.deepEqual(
                budget.records.map((r) => [r.record, r.healthCheck, r.budget?.failoverSeconds]),
                [
                    ["dev/w-use1", "dev/us-east-1-check", 204],
                    ["dev/w-euw1", "dev/eu-west-1-check", 204],
                ],
            );
            assert.equal(budget.failoverSeconds, 204);
            assert.ok(
                cost.rates.includes(
                    "Weighted routing alias records to API Gateway: queries are free (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-api-gateway.html).",
                ),
            );
            const text = reported(p);
            assert.ok(!text.includes("no routed record"), text);
            assert.ok(
                text.includes(
                    '\nDrills (Route 53 answers simulated over the records of all stacks):\n  api.example.com weighted routing: not simulated: Record "dev/w-use1" uses weighted routing, which is not modelled\n',
                ),
                text,
            );
            assert.match(
                text,
                /\nNo drills answered\.\n1 routed name not drilled \(listed under Drills\)/,
            );
            assert.equal(planPasses(p), errors(p).length === 0);
        });

        it("a RECOVERY_CONTROL check (ARC routing control) on the PRIMARY: not simulated, not budgeted, not priced", () => {
            const arc = check("arc", {
                type: "RECOVERY_CONTROL",
                routingControlArn:
                    "arn:aws:route53-recovery-control::123456789012:controlpanel/x/routingcontrol/y",
            });
            const p = analyze([
                changed("primary-record", withInputs({ healthCheckId: "arc-id" }), [arc]),
            ]);
            const refused =
                'Health check "dev/arc" is RECOVERY_CONTROL (a Route 53 ARC routing control), which is not modelled';
            assert.deepEqual(p.drills, []);
            assert.deepEqual(
                p.notDrilled.map((n) => n.reason),
                [`not simulated: ${refused}`],
            );
            const { budget, cost } = p.stacks.dev;
            assert.deepEqual(budget.notComputed, [`dev/primary-record: ${refused}`]);
            assert.equal(budget.failoverSeconds, null);
            assert.deepEqual(cost.notComputed, [`${refused}: it is not priced, nor in the total.`]);
            // The two endpoint checks are still priced.
            assert.equal(cost.lines[0].count, 2);
            const text = reported(p);
            assert.match(
                text,
                /^ {2}Failover budget: not computed for 1 routed record \(below\)$/m,
            );
            assert.ok(text.includes(`\n    not computed: dev/primary-record: ${refused}\n`), text);
            assert.match(
                text,
                /^ {2}Monthly cost of the failover machinery: \$[0-9.]+ \(without 1 item not priced, below\)$/m,
            );
            assert.ok(
                text.includes(
                    `\n    not priced: ${refused}: it is not priced, nor in the total.\n`,
                ),
            );
            assert.equal(planPasses(p), errors(p).length === 0);
        });

        it("a record aimed at a host that is no custom domain of the plan: not simulated, never 'no PRIMARY record'", () => {
            const host = "abc123.execute-api.us-east-1.amazonaws.com";
            const p = analyze([
                changed(
                    "primary-record",
                    withInputs({
                        aliases: [
                            { name: host, zoneId: "Z1UJRXOUMOOFQ8", evaluateTargetHealth: true },
                        ],
                    }),
                ),
            ]);
            assert.deepEqual(p.drills, []);
            assert.deepEqual(
                p.notDrilled.map((n) => n.reason),
                [
                    `not simulated: the PRIMARY record "dev/primary-record" points at ${host}, which is no API Gateway custom domain of the stacks planned, so its region is unknown`,
                ],
            );
        });
    });

    describe("input the simulator, budget or cost refuses: named where it is, the plan goes on", () => {
        const calculated = (name: string, inputs: Record<string, unknown>) =>
            check(name, {
                type: "CALCULATED",
                childHealthchecks: ["us-east-1-check-id"],
                ...inputs,
            });

        it("a CALCULATED check without childHealthThreshold guarding the PRIMARY", () => {
            const p = analyze([
                changed("primary-record", withInputs({ healthCheckId: "calc-always-id" }), [
                    calculated("calc-always", {}),
                ]),
            ]);
            const why =
                'CALCULATED health check "dev/calc-always" has no childHealthThreshold; set it explicitly';
            assert.deepEqual(p.stacks.dev.budget.notComputed, [`dev/primary-record: ${why}`]);
            assert.deepEqual(
                p.drills.map((d) => [d.scenario, d.ok, d.expected]),
                [
                    [
                        "api.example.com failover: every scenario",
                        false,
                        `a simulated answer (the simulator refused the records: ${why}; no scenario is drilled)`,
                    ],
                ],
            );
            // The guardrails are still there.
            assert.ok(
                p.stacks.dev.findings.some((f) => f.resource.endsWith("calc-always")),
                JSON.stringify(p.stacks.dev.findings),
            );
            reported(p);
        });

        it("a CALCULATED check with a CALCULATED child", () => {
            const p = analyze([
                changed("primary-record", withInputs({ healthCheckId: "calc-outer-id" }), [
                    calculated("calc-inner", { childHealthThreshold: 1 }),
                    calculated("calc-outer", {
                        childHealthchecks: ["calc-inner-id"],
                        childHealthThreshold: 1,
                    }),
                ]),
            ]);
            const why =
                'CALCULATED health check "dev/calc-outer" has CALCULATED child "dev/calc-inner"; calculated checks cannot be nested';
            assert.deepEqual(p.stacks.dev.budget.notComputed, [`dev/primary-record: ${why}`]);
            assert.deepEqual(
                p.drills.map((d) => d.expected),
                [
                    `a simulated answer (the simulator refused the records: ${why}; no scenario is drilled)`,
                ],
            );
            reported(p);
        });

        it('a health check of unknown type "https": the guardrail\'s error is shown, budget and cost say why', () => {
            const p = analyze([changed("us-east-1-check", withInputs({ type: "https" }))]);
            const why = 'Health check "dev/us-east-1-check" has unknown type "https"';
            assert.deepEqual(p.stacks.dev.budget.notComputed, [`dev/primary-record: ${why}`]);
            assert.deepEqual(p.stacks.dev.cost.notComputed, [
                `${why}: it is not priced, nor in the total.`,
            ]);
            assert.deepEqual(
                p.drills.map((d) => d.expected),
                [
                    `a simulated answer (the simulator refused the records: ${why}; no scenario is drilled)`,
                ],
            );
            assert.ok(
                errors(p).some((f) => f.resource === "us-east-1-check"),
                JSON.stringify(errors(p)),
            );
            const text = reported(p);
            assert.match(text, /^ {4}error [a-z-]+ \(us-east-1-check\): /m);
            assert.equal(planPasses(p), false);
        });

        it("a routed CNAME without ttl: named by the record and Pulumi's field name", () => {
            /** The record as a CNAME to its region's domain, with `ttl` (none: undefined). */
            const cname = (region: Region, ttl?: number) => (r: PlannedResource) => {
                const c = withInputs({ type: "CNAME", records: [HOST[region].name], ttl })(r);
                for (const field of ["aliases", ...(ttl === undefined ? ["ttl"] : [])]) {
                    delete c.inputs[field];
                    delete c.state[field];
                }
                return c;
            };
            const p = analyze([
                stack(
                    "dev",
                    twoRegions().map((r) =>
                        r.name === "primary-record"
                            ? cname("us-east-1")(r)
                            : r.name === "secondary-record"
                              ? cname("eu-west-1", 60)(r)
                              : r,
                    ),
                ),
            ]);
            assert.deepEqual(p.stacks.dev.budget.notComputed, [
                "dev/primary-record: it has no aliases and no ttl; a non-alias record needs a ttl",
            ]);
            assert.deepEqual(p.stacks.dev.cost.notComputed, [
                'Record "dev/primary-record" (failover, cname) has no ttl; non-alias records need one: its query price is not computed.',
            ]);
            const text = reported(p);
            assert.ok(!text.includes("ttlSeconds"), text);
        });

        it("an alias whose zoneId is undefined: a named reason, not a TypeError", () => {
            const p = analyze([
                changed(
                    "primary-record",
                    withInputs({
                        aliases: [{ name: HOST["us-east-1"].name, evaluateTargetHealth: true }],
                    }),
                ),
            ]);
            assert.deepEqual(
                p.drills.map((d) => [d.scenario, d.ok, d.expected]),
                [
                    [
                        "api.example.com failover: every scenario",
                        false,
                        'a simulated answer (the simulator refused the records: Record "dev/primary-record" has no aliases[0].zoneId (expected a string); no scenario is drilled)',
                    ],
                ],
            );
            assert.ok(!reported(p).includes("Cannot read properties"));
        });

        it("a record whose name is undefined: still one named row, and the rest of the plan", () => {
            const p = analyze([changed("primary-record", withInputs({ name: undefined }))]);
            assert.deepEqual(
                [...p.drills.map((d) => d.expected), ...p.notDrilled.map((n) => n.reason)].filter(
                    (e) =>
                        e.includes('Record "dev/primary-record" has no name (expected a string)'),
                ).length,
                1,
                JSON.stringify([p.drills, p.notDrilled]),
            );
            assert.ok(!reported(p).includes("Cannot read properties"));
            assert.equal(p.stacks.dev.cost.lines[0].count, 2);
        });
    });

    it("an HTTP API's custom domain (apigatewayv2) is a target like a REST one; an EDGE domain is none", () => {
        const v2 = (region: Region) =>
            resource(
                "aws:apigatewayv2/domainName:DomainName",
                `${region}-domain`,
                region,
                { domainName: `${region}.api.example.com` },
                { domainNameConfiguration: { targetDomainName: HOST[region].name } },
            );
        const edge = resource(
            "aws:apigateway/domainName:DomainName",
            "edge-domain",
            "us-east-1",
            { domainName: "edge.api.example.com" },
            { regionalDomainName: "", cloudfrontDomainName: "d111111abcdef8.cloudfront.net" },
        );
        const p = analyze([
            stack("dev", [
                ...twoRegions().filter((r) => !r.name.endsWith("-domain")),
                v2("us-east-1"),
                v2("eu-west-1"),
                edge,
            ]),
        ]);
        assert.deepEqual(rows(p), [
            ["api.example.com failover: all healthy", "us-east-1", true],
            ["api.example.com failover: primary endpoint down (us-east-1)", "eu-west-1", true],
            ["api.example.com failover: secondary down (eu-west-1)", "us-east-1", true],
            ["api.example.com failover: both down", "us-east-1", true],
        ]);
    });
});
