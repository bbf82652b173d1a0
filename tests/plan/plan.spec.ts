// The offline plan over this repository's stacks: drills answered by the Route 53 simulator, the
// failover time budget, the monthly cost and the JSON document. The stacks are evaluated once
// (shared with the stack spec, see tests/stack/evaluations.ts); broken wiring is made by editing
// copies of the evaluated graphs, as a wrong program would register them.
import * as assert from "node:assert/strict";
import { analyze, Plan } from "../../plan/analyze";
import { EvaluatedStack } from "../../plan/evaluate";
import { planPasses } from "../../plan/cli";
import { planJson, planText } from "../../plan/report";
import { stackNames } from "../../plan/stackFiles";
import { PROFILES, project, restoreHarness } from "../stack/evaluations";

/** Drill rows reduced to what a reader checks: scenario → answer region, fail-open, ok. */
const rows = (plan: Plan) =>
    plan.drills.map((d) => [
        d.scenario,
        d.answer.region,
        d.failOpen ? "fail-open" : "",
        d.ok ? "ok" : "FAIL",
    ]);

const clone = (stacks: EvaluatedStack[]) => JSON.parse(JSON.stringify(stacks)) as EvaluatedStack[];

const FAILOVER_ROWS = [
    ["api.example.com failover: all healthy", "us-east-1", "", "ok"],
    ["api.example.com failover: primary endpoint down (us-east-1)", "eu-west-1", "", "ok"],
    ["api.example.com failover: operator switch engaged (us-east-1)", "eu-west-1", "", "ok"],
    [
        "api.example.com failover: switch alarm without data, never engaged (us-east-1)",
        "us-east-1",
        "",
        "ok",
    ],
    [
        "api.example.com failover: switch engaged, then no new data (us-east-1)",
        "eu-west-1",
        "",
        "ok",
    ],
    ["api.example.com failover: secondary down (eu-west-1)", "us-east-1", "", "ok"],
    [
        "api.example.com failover: secondary down, switch engaged (us-east-1)",
        "us-east-1",
        "fail-open",
        "ok",
    ],
    ["api.example.com failover: both down", "us-east-1", "fail-open", "ok"],
    ["api.example.com failover: both down, switch engaged", "us-east-1", "fail-open", "ok"],
];

const PRICING = "https://aws.amazon.com/route53/pricing/";

/** The rates of a stack that price its routed records' queries (other rates aside). */
const queryRates = (p: Plan, stack: string) =>
    p.stacks[stack].cost.rates.filter((r) => /^(Failover|Latency) (alias|CNAME) records/.test(r));

describe("offline plan", function () {
    // Evaluations wait for each other and for a loaded machine: generous bound.
    this.timeout(60_000);
    let failover: EvaluatedStack[];
    let plan: Plan;
    before(async () => {
        failover = [];
        for (const stack of stackNames()) {
            const profile = PROFILES[stack as "primary" | "secondary"];
            assert.ok(profile, `a profile for the stack file of ${stack}`);
            failover.push((await profile()).evaluated);
        }
        plan = analyze(failover);
    });
    after(restoreHarness);

    it("evaluates every stack file, each in its region", () => {
        assert.deepEqual(stackNames(project.dir), ["primary", "secondary"]);
        assert.deepEqual(
            failover.map((s) => [s.stack, s.region, s.zones.map((z) => z.name)]),
            [
                ["primary", "us-east-1", ["example.com"]],
                ["secondary", "eu-west-1", ["example.com"]],
            ],
        );
    });

    it("the table's stack (tableRegion us-east-1) creates it; the other adds its replica", () => {
        assert.deepEqual(
            failover.map((s) =>
                s.resources
                    .filter((r) => r.type.startsWith("aws:dynamodb/"))
                    .map((r) => [r.type, r.name, r.provider, r.inputs.globalTableArn]),
            ),
            [
                [["aws:dynamodb/table:Table", "products", "us-east-1", undefined]],
                [
                    [
                        "aws:dynamodb/tableReplica:TableReplica",
                        "eu-west-1-products-replica",
                        "eu-west-1",
                        "arn:aws:dynamodb:us-east-1:123456789012:table/multi-region-api-products",
                    ],
                ],
            ],
        );
    });

    it("failover drills answer as intended, including fail-open to PRIMARY", () => {
        assert.deepEqual(rows(plan), FAILOVER_ROWS);
    });

    it("names the unhealthy checks, the alias target and the intent of each answer", () => {
        const [healthy, primaryDown, switched] = plan.drills;
        assert.deepEqual(healthy.unhealthy, []);
        assert.deepEqual(primaryDown.unhealthy, [
            "primary/us-east-1-routing-calculated",
            "primary/us-east-1-routing-endpoint",
        ]);
        assert.deepEqual(switched.unhealthy, [
            "primary/us-east-1-routing-calculated",
            "primary/us-east-1-switch-check",
        ]);
        const domain = (s: EvaluatedStack, name: string) =>
            s.resources.find((r) => r.name === name)!.state.regionalDomainName;
        assert.equal(healthy.answer.target, domain(failover[0], "us-east-1-service-domain"));
        assert.equal(primaryDown.answer.target, domain(failover[1], "eu-west-1-service-domain"));
        assert.equal(healthy.expected, "us-east-1 (PRIMARY is healthy)");
        assert.equal(primaryDown.expected, "eu-west-1 (PRIMARY is out, SECONDARY is healthy)");
        assert.equal(
            plan.drills[7].expected,
            "us-east-1 (PRIMARY: every record is unhealthy, Route 53 fails open to PRIMARY)",
        );
    });

    it("budget: detection + 30 s propagation + an assumed 60 s alias TTL, the slowest guard governing", () => {
        const { primary, secondary } = plan.stacks;
        // Primary: the switch (60 s metric delay + 60 s × 1) outlasts the endpoint (3 × (10 + 8) s).
        assert.deepEqual(
            primary.budget.records.map((r) => [
                r.record,
                r.healthCheck,
                r.budget?.detectionSeconds,
                r.budget?.breakdown.governingCheckId,
                r.budget?.breakdown.propagationSeconds,
                r.budget?.breakdown.ttlSeconds,
                r.budget?.failoverSeconds,
            ]),
            [
                [
                    "primary/us-east-1-routing-record",
                    "primary/us-east-1-routing-calculated",
                    120,
                    "primary/us-east-1-switch-check",
                    30,
                    60,
                    210,
                ],
            ],
        );
        assert.deepEqual(
            [primary.budget.failoverSeconds, primary.budget.failbackSeconds],
            [210, 210],
        );
        assert.deepEqual(
            [secondary.budget.failoverSeconds, secondary.budget.failbackSeconds],
            [144, 144],
        );
        assert.ok(
            primary.budget.assumptions.some(
                (a) => a.startsWith("Resolver cache assumed 60 s") && a.includes("UNCONFIRMED"),
            ),
            primary.budget.assumptions.join("\n"),
        );
        // Checks are named by stack/name, never by the mock runtime's ids.
        assert.ok(
            primary.budget.assumptions.includes(
                'Health check "primary/us-east-1-switch-check": fail-back assumed to take as long (1 period(s) of recovered data); how Route 53 evaluates the stream on recovery is not documented (INFERRED, worst case).',
            ),
            primary.budget.assumptions.join("\n"),
        );
        const text = planText(plan);
        assert.ok(!/-id\b/.test(text.slice(text.indexOf("Assumptions:"))), "a mock id");
        assert.match(
            text,
            /^ {4}primary\/us-east-1-routing-record guarded by primary\/us-east-1-routing-calculated: detection 120 s \(governed by primary\/us-east-1-switch-check\) \+ propagation 30 s \+ TTL 60 s$/m,
        );
        assert.deepEqual([primary.budget.notComputed, secondary.budget.notComputed], [[], []]);
    });

    it("cost: the price table applied to each stack's checks, alarms and zone share; alias queries free", () => {
        // Endpoint check $0.50 + HTTPS, string match, 10 s interval $3.00; calculated $0.50;
        // switch check $0.50; alarm $0.10; half a zone $0.25.
        assert.equal(plan.stacks.primary.monthlyCostUsd, 4.85);
        assert.equal(plan.stacks.secondary.monthlyCostUsd, 3.75);
        for (const stack of Object.keys(plan.stacks)) {
            assert.deepEqual(queryRates(plan, stack), [
                `Failover alias records to API Gateway: queries are free (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-api-gateway.html).`,
            ]);
        }
    });

    it("outputs: each stack's exports, including its set identifier", () => {
        assert.deepEqual(
            Object.values(plan.stacks).map((s) => [
                s.outputs.region,
                s.outputs.failoverRole,
                s.outputs.setIdentifier,
                s.outputs.routedHealthCheckId,
                s.outputs.recordType,
                s.outputs.guards,
            ]),
            [
                ["us-east-1", "PRIMARY", "primary", "us-east-1-routing-calculated-id", "A", []],
                ["eu-west-1", "SECONDARY", "secondary", "eu-west-1-routing-endpoint-id", "A", []],
            ],
        );
    });

    it("JSON keeps the documented shape, and is larger than one 64 KiB pipe buffer", () => {
        const json = planJson(plan);
        assert.deepEqual(Object.keys(json), ["stacks", "drills", "notDrilled", "crossStack"]);
        assert.deepEqual(json.crossStack, { findings: [] });
        assert.deepEqual(json.notDrilled, []);
        assert.deepEqual(Object.keys(json.stacks), ["primary", "secondary"]);
        const primary = json.stacks.primary as Record<string, Record<string, unknown>>;
        assert.deepEqual(Object.keys(primary), [
            "region",
            "resources",
            "outputs",
            "budget",
            "monthlyCostUsd",
            "cost",
            "findings",
        ]);
        assert.equal(primary.region, "us-east-1");
        assert.deepEqual(Object.keys(primary.budget), [
            "failoverSeconds",
            "failbackSeconds",
            "assumptions",
            "notComputed",
        ]);
        assert.deepEqual(Object.keys(primary.cost), [
            "lines",
            "rates",
            "assumptions",
            "notComputed",
        ]);
        assert.deepEqual([primary.budget.notComputed, primary.cost.notComputed], [[], []]);
        assert.deepEqual(Object.keys(primary.outputs), [
            "region",
            "routing",
            "failoverRole",
            "serviceUrl",
            "regionalUrl",
            "healthUrl",
            "tableName",
            "apiFunctionName",
            "healthFunctionName",
            "restApiId",
            "stageName",
            "setIdentifier",
            "endpointHealthCheckId",
            "routedHealthCheckId",
            "operatorSwitch",
            "hostedZoneId",
            "nameServers",
            "recordType",
            "regionalHostname",
            "regionalDomainName",
            "healthSearchString",
            "certificateArn",
            "tableRegion",
            "guards",
        ]);
        const resources = primary.resources as unknown as Record<string, unknown>[];
        for (const r of resources) {
            assert.deepEqual(Object.keys(r), ["type", "name", "urn", "provider", "inputs"]);
        }
        const alarm = resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")!;
        assert.deepEqual(
            [alarm.name, alarm.provider, alarm.urn],
            [
                "us-east-1-switch-alarm",
                "eu-west-1",
                "urn:pulumi:primary::multi-region-api::multi-region-api:index:AlarmHealthCheck$aws:cloudwatch/metricAlarm:MetricAlarm::us-east-1-switch-alarm",
            ],
        );
        const fn = resources.find((r) => r.name === "us-east-1-health")!;
        const archive = (fn.inputs as { code: { archive: Record<string, object> } }).code.archive;
        assert.deepEqual(Object.keys(archive), ["index.js"]);
        assert.deepEqual(Object.keys(archive["index.js"]), ["bytes", "sha256"]);
        assert.equal(json.drills.length, 9);
        for (const d of json.drills) {
            assert.deepEqual(Object.keys(d), [
                "scenario",
                "unhealthy",
                "answer",
                "expected",
                "ok",
                "failOpen",
            ]);
            assert.deepEqual(Object.keys(d.answer), ["region", "target"]);
        }
        // What `plan --json` prints: over 64 KiB, so a CLI that exits before stdout drains
        // would hand a pipe a cut-off document (tests/stack/usage.spec.ts reads it through one).
        assert.ok(JSON.stringify(json, null, 2).length > 65536);
    });

    it("the report ends with the drills' verdict", () => {
        const text = planText(plan);
        assert.match(text, /^Stack primary \(us-east-1\): \d+ resources$/m);
        assert.match(text, /^  Failover budget \(worst case\): failover 210 s, failback 210 s$/m);
        assert.match(text, /^  Monthly cost of the failover machinery: \$4\.85$/m);
        assert.match(text, /^  Guardrails: no findings$/m);
        assert.ok(
            text.endsWith(
                "\nAll 9 drills answer as the configuration intends.\nNo guardrail errors.",
            ),
            text,
        );
    });

    describe("latency routing", () => {
        let latency: Plan;
        before(async () => {
            latency = analyze([
                (await PROFILES.latencyPrimary()).evaluated,
                (await PROFILES.latencySecondary()).evaluated,
            ]);
        });

        it("each client goes to its nearest healthy region, drained regions included", () => {
            assert.deepEqual(rows(latency), [
                [
                    "api.example.com latency: client near eu-west-1, all healthy",
                    "eu-west-1",
                    "",
                    "ok",
                ],
                [
                    "api.example.com latency: client near eu-west-1, eu-west-1 down",
                    "us-east-1",
                    "",
                    "ok",
                ],
                [
                    "api.example.com latency: client near eu-west-1, eu-west-1 drained by its switch",
                    "us-east-1",
                    "",
                    "ok",
                ],
                [
                    "api.example.com latency: client near eu-west-1, every region down",
                    "eu-west-1",
                    "fail-open",
                    "ok",
                ],
                [
                    "api.example.com latency: client near us-east-1, all healthy",
                    "us-east-1",
                    "",
                    "ok",
                ],
                [
                    "api.example.com latency: client near us-east-1, us-east-1 down",
                    "eu-west-1",
                    "",
                    "ok",
                ],
                [
                    "api.example.com latency: client near us-east-1, us-east-1 drained by its switch",
                    "eu-west-1",
                    "",
                    "ok",
                ],
                [
                    "api.example.com latency: client near us-east-1, every region down",
                    "us-east-1",
                    "fail-open",
                    "ok",
                ],
            ]);
        });

        it("a drained region's unhealthy checks are its switch and its calculated check", () => {
            const drained = latency.drills.find(
                (d) =>
                    d.scenario ===
                    "api.example.com latency: client near eu-west-1, eu-west-1 drained by its switch",
            )!;
            assert.deepEqual(drained.unhealthy, [
                "secondary/eu-west-1-routing-calculated",
                "secondary/eu-west-1-switch-check",
            ]);
            assert.equal(drained.expected, "us-east-1 (nearest healthy region)");
        });

        it("both stacks pay for their switch; latency alias queries are free", () => {
            assert.deepEqual(
                Object.entries(latency.stacks).map(([name, s]) => [
                    s.budget.failoverSeconds,
                    s.monthlyCostUsd,
                    queryRates(latency, name),
                ]),
                [
                    [
                        210,
                        4.85,
                        [
                            "Latency alias records to API Gateway: queries are free (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-api-gateway.html).",
                        ],
                    ],
                    [
                        210,
                        4.85,
                        [
                            "Latency alias records to API Gateway: queries are free (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-api-gateway.html).",
                        ],
                    ],
                ],
            );
        });
    });

    describe("CNAME profile: the budget uses the record's TTL exactly; queries are paid", () => {
        let cname: Plan;
        before(async () => {
            cname = analyze([
                (await PROFILES.cnamePrimary()).evaluated,
                (await PROFILES.cnameSecondary()).evaluated,
            ]);
        });

        it("drills answer as with alias records, by CNAME value", () => {
            assert.deepEqual(rows(cname), FAILOVER_ROWS);
            assert.match(
                String(cname.drills[1].answer.target),
                /^d-[0-9a-f]{10}\.execute-api\.eu-west-1\.amazonaws\.com$/,
            );
        });

        it("failover = detection + propagation + the record's TTL (15 s primary, 10 s secondary)", () => {
            const terms = (stack: string) =>
                cname.stacks[stack].budget.records.map((r) => {
                    const b = r.budget!;
                    return [
                        b.detectionSeconds,
                        b.breakdown.propagationSeconds,
                        b.breakdown.ttlSeconds,
                        b.failoverSeconds,
                    ];
                });
            assert.deepEqual(terms("primary"), [[120, 30, 15, 165]]);
            assert.deepEqual(terms("secondary"), [[54, 30, 10, 94]]);
            assert.deepEqual(
                [
                    cname.stacks.primary.budget.failoverSeconds,
                    cname.stacks.secondary.budget.failoverSeconds,
                ],
                [165, 94],
            );
            assert.ok(
                cname.stacks.primary.budget.assumptions.includes(
                    "Resolver cache: the routed CNAME record's TTL, 15 s; client-side caches beyond the TTL (JVM, OS) are not included.",
                ),
                cname.stacks.primary.budget.assumptions.join("\n"),
            );
            assert.ok(
                !cname.stacks.primary.budget.assumptions.some((a) =>
                    a.startsWith("Resolver cache assumed"),
                ),
            );
        });

        it("cost: the same machinery, plus the rate of paid CNAME queries at each TTL", () => {
            assert.deepEqual(
                [cname.stacks.primary.monthlyCostUsd, cname.stacks.secondary.monthlyCostUsd],
                [4.85, 3.75],
            );
            assert.deepEqual(queryRates(cname, "primary"), [
                `Failover CNAME records (TTL 15 s): $0.40 per million standard queries (first 1 billion per month), $0.20 per million after (${PRICING}). Worst case, a resolver that honours the TTL asks 2,592,000 s (30 days) / 15 s = 172,800 times a month per routed name; 1,000 such resolvers: 1,000 × 172,800 = 172,800,000 queries × $0.40 per million = $69.12 a month at the first-tier rate.`,
            ]);
            assert.deepEqual(queryRates(cname, "secondary"), [
                `Failover CNAME records (TTL 10 s): $0.40 per million standard queries (first 1 billion per month), $0.20 per million after (${PRICING}). Worst case, a resolver that honours the TTL asks 2,592,000 s (30 days) / 10 s = 259,200 times a month per routed name; 1,000 such resolvers: 1,000 × 259,200 = 259,200,000 queries × $0.40 per million = $103.68 a month at the first-tier rate.`,
            ]);
        });
    });

    describe("guardrails over this repository's stacks", () => {
        const PAIRS: [string, () => Promise<EvaluatedStack[]>][] = [
            ["failover", () => Promise.resolve(failover)],
            [
                "latency",
                async () => [
                    (await PROFILES.latencyPrimary()).evaluated,
                    (await PROFILES.latencySecondary()).evaluated,
                ],
            ],
            [
                "CNAME",
                async () => [
                    (await PROFILES.cnamePrimary()).evaluated,
                    (await PROFILES.cnameSecondary()).evaluated,
                ],
            ],
            [
                "optional settings",
                async () => [failover[0], (await PROFILES.customSecondary()).evaluated],
            ],
        ];
        for (const [profile, stacks] of PAIRS) {
            it(`${profile}: no findings in either stack, and the plan passes`, async () => {
                const p = analyze(await stacks());
                assert.deepEqual(
                    Object.entries(p.stacks).map(([name, s]) => [name, s.findings]),
                    [
                        ["primary", []],
                        ["secondary", []],
                    ],
                );
                assert.equal(planPasses(p), true);
            });
        }
    });

    describe("catches broken wiring", () => {
        const record = (stacks: EvaluatedStack[], name: string) =>
            stacks.flatMap((s) => s.resources).find((r) => r.name === name)!;
        const failed = (p: Plan) => p.drills.filter((d) => !d.ok);

        it("a PRIMARY record without a health check never fails over", () => {
            const broken = clone(failover);
            const primary = record(broken, "us-east-1-routing-record");
            delete primary.inputs.healthCheckId;
            delete primary.state.healthCheckId;
            const p = analyze(broken);
            // The guardrails see it too: ETH on an API Gateway alias is no health check.
            assert.deepEqual(
                p.stacks.primary.findings.map((f) => [f.severity, f.rule, f.resource]),
                [["warning", "failover-primary-target-health-only", "us-east-1-routing-record"]],
            );
            assert.deepEqual(
                failed(p).map((d) => [d.scenario, d.answer.region]),
                [
                    ["api.example.com failover: primary endpoint down (us-east-1)", "us-east-1"],
                    ["api.example.com failover: operator switch engaged (us-east-1)", "us-east-1"],
                    [
                        "api.example.com failover: switch engaged, then no new data (us-east-1)",
                        "us-east-1",
                    ],
                ],
            );
            assert.deepEqual(
                [p.stacks.primary.budget.failoverSeconds, p.stacks.primary.budget.failbackSeconds],
                [null, null],
            );
            assert.ok(
                p.stacks.primary.budget.assumptions.includes(
                    "primary/us-east-1-routing-record has no health check: Route 53 never takes it out of service.",
                ),
            );
        });

        it("a PRIMARY record guarded by the endpoint check alone ignores the operator switch", () => {
            const broken = clone(failover);
            record(broken, "us-east-1-routing-record").inputs.healthCheckId =
                "us-east-1-routing-endpoint-id";
            assert.deepEqual(
                failed(analyze(broken)).map((d) => [d.scenario, d.answer.region]),
                [
                    ["api.example.com failover: operator switch engaged (us-east-1)", "us-east-1"],
                    [
                        "api.example.com failover: switch engaged, then no new data (us-east-1)",
                        "us-east-1",
                    ],
                ],
            );
        });

        it("a switch whose missing data counts as healthy releases itself when data stops", () => {
            const broken = clone(failover);
            record(broken, "us-east-1-switch-check").inputs.insufficientDataHealthStatus =
                "Healthy";
            assert.deepEqual(
                failed(analyze(broken)).map((d) => [d.scenario, d.answer.region]),
                [
                    [
                        "api.example.com failover: switch engaged, then no new data (us-east-1)",
                        "us-east-1",
                    ],
                ],
            );
        });

        it("a missing SECONDARY stack leaves nothing to fail over to: one FAIL row saying so", () => {
            const p = analyze([failover[0]]);
            assert.deepEqual(
                p.drills.map((d) => [d.scenario, d.answer.region, d.ok, d.expected]),
                [
                    [
                        "api.example.com failover: the failover pair",
                        "us-east-1",
                        false,
                        "one PRIMARY and one SECONDARY record (no SECONDARY record for api.example.com in any stack: Route 53 has nothing to fail over to; no scenario is drilled)",
                    ],
                ],
            );
            assert.deepEqual(p.notDrilled, []);
            assert.match(
                planText(p),
                /\n1 of 1 drills contradict the configuration's intent:\n {2}FAIL api\.example\.com failover: the failover pair: answered us-east-1, expected one PRIMARY and one SECONDARY record \(no SECONDARY record for api\.example\.com in any stack: Route 53 has nothing to fail over to; no scenario is drilled\)\n/,
            );
            const pairFinding = p.stacks.primary.findings.find((f) => f.rule === "failover-pair");
            assert.deepEqual(pairFinding, {
                rule: "failover-pair",
                severity: "error",
                urn: "urn:pulumi:primary::multi-region-api::multi-region-api:index:FailoverDomain$aws:route53/record:Record::us-east-1-routing-record",
                resource: "primary/us-east-1-routing-record",
                message:
                    "api.example.com A has a PRIMARY failover record (primary/us-east-1-routing-record) but no SECONDARY anywhere in the deployment: when the primary is unhealthy Route 53 has nothing to fail over to and keeps answering with it. Add a SECONDARY record of api.example.com A for the other region.",
            });
            assert.equal(planPasses(p), false);
            const text = planText(p);
            assert.match(text, /^ {2}Guardrails: 1 error, no warnings, no advice$/m);
            assert.match(
                text,
                /^ {4}error failover-pair \(primary\/us-east-1-routing-record\): api\.example\.com A has a PRIMARY/m,
            );
            assert.ok(
                text.endsWith("\n1 guardrail error: fix it before deploying (listed above)."),
            );
        });

        it("`--stack primary` alone: the pair is not drilled, one line says why, and the plan passes", () => {
            // Evaluated alone on purpose, the missing partner is judged neither by the guardrails
            // nor by the drills (the other stacks may hold it).
            const p = analyze([failover[0]], false);
            assert.deepEqual(p.stacks.primary.findings, []);
            assert.deepEqual(p.drills, []);
            const reason =
                "not drilled: the SECONDARY record is in none of the stacks planned (primary); it may be in another stack: plan every stack to drill this name";
            assert.deepEqual(p.notDrilled, [
                { name: "api.example.com", routing: "failover", reason },
            ]);
            assert.equal(planPasses(p), true);
            const text = planText(p);
            assert.ok(
                text.includes(
                    `\nDrills (Route 53 answers simulated over the records of all stacks):\n  api.example.com failover: ${reason}\n`,
                ),
                text,
            );
            assert.ok(
                text.endsWith(
                    "\nNo drills answered.\n1 routed name not drilled (listed under Drills): not a failure, and not verified either.\nNo guardrail errors.",
                ),
                text,
            );
            assert.deepEqual(planJson(p).notDrilled, [
                { name: "api.example.com", routing: "failover", reason },
            ]);
        });
    });
});
