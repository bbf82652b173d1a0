// The p99 latency and error-rate guards of a stack: wired into the routed check, exported, drilled,
// budgeted with the bridge's time and priced; their settings' mistakes named.
import * as assert from "node:assert/strict";
import { analyze, Plan } from "../../plan/analyze";
import { planPasses } from "../../plan/cli";
import { parseStackConfig } from "../../stack/config";
import { evaluate, Evaluation, restoreHarness } from "./evaluations";

describe("derived-metric guards on the primary", () => {
    let primary: Evaluation;
    let plan: Plan;

    before(async () => {
        primary = await evaluate("primary", {
            latencyGuard: JSON.stringify({ threshold: 1000 }),
            errorRateGuard: JSON.stringify({
                threshold: 5,
                evaluationPeriods: 2,
                minimumRequests: 20,
            }),
        });
        plan = analyze([primary.evaluated, (await evaluate("secondary")).evaluated]);
    });
    after(() => restoreHarness());

    const named = (name: string) => {
        const found = primary.recorded.filter((r) => r.name === name);
        assert.equal(found.length, 1, name);
        return found[0];
    };

    it("watches the region's own API and guards its routed record with both checks", () => {
        const bridge = (name: string) =>
            JSON.parse(
                (
                    named(`us-east-1-${name}-function`).inputs.environment as {
                        variables: Record<string, string>;
                    }
                ).variables.BRIDGE_CONFIG,
            ) as {
                apiName: string;
                stage: string;
                signals: { kind: string; minimumRequests: number }[];
            };
        const rest = named("us-east-1-rest");
        for (const [name, kind, minimum] of [
            ["latency-p99", "latency-p99", 50],
            ["error-rate", "error-rate", 20],
        ] as const) {
            const config = bridge(name);
            assert.deepEqual(
                [config.apiName, config.stage],
                [rest.state.name ?? rest.inputs.name, "live"],
            );
            assert.deepEqual(
                config.signals.map((s) => [s.kind, s.minimumRequests]),
                [[kind, minimum]],
            );
        }
        const calculated = named("us-east-1-routing-calculated");
        const children = calculated.inputs.childHealthchecks as string[];
        for (const name of ["us-east-1-latency-p99-check", "us-east-1-error-rate-check"]) {
            assert.ok(children.includes(named(name).id), name);
        }
        assert.equal(calculated.inputs.childHealthThreshold, children.length);
    });

    it("exports both guards beside the others", () => {
        assert.deepEqual(primary.evaluated.outputs.guards, [
            {
                name: "latency-p99",
                alarmName: "us-east-1-latency-p99-alarm",
                alarmRegion: "us-east-1",
                healthCheckId: named("us-east-1-latency-p99-check").id,
            },
            {
                name: "error-rate",
                alarmName: "us-east-1-error-rate-alarm",
                alarmRegion: "us-east-1",
                healthCheckId: named("us-east-1-error-rate-check").id,
            },
        ]);
    });

    it("drills as intended, passes the guardrails, and budgets the bridge's time", () => {
        assert.ok(planPasses(plan), JSON.stringify(plan.stacks.primary.findings));
        const checks = plan.stacks.primary.budget.records[0].budget!.breakdown.checks;
        assert.deepEqual(
            checks
                .filter((c) => /latency|error/.test(c.checkId))
                .map((c) => [c.checkId, c.detectionSeconds, c.formula]),
            [
                ["primary/us-east-1-latency-p99-check", 420, "60 s + 120 s + 60 s + 60 s × 3"],
                ["primary/us-east-1-error-rate-check", 360, "60 s + 120 s + 60 s + 60 s × 2"],
            ],
        );
        assert.equal(plan.stacks.primary.budget.failoverSeconds, 420 + 30 + 60);
    });

    it("prices the bridges", () => {
        assert.deepEqual(
            plan.stacks.primary.cost.lines
                .filter((l) => /bridge|derived/.test(l.item))
                .map((l) => [l.item, l.count, l.usd]),
            [
                ["Derived-metric bridge: Lambda requests", 86400, 0.02],
                [
                    "Derived-metric bridge: Lambda compute, GB-seconds (arm64, 128 MB, 1 s a run assumed)",
                    10800,
                    0.14,
                ],
                ["Derived-metric bridge: GetMetricData metrics requested", 172800, 1.73],
                ["Derived-metric bridge: PutMetricData requests", 86400, 0.86],
                ["CloudWatch custom metric (derived: LatencyP99Ms, ErrorRatePercent)", 2, 0.6],
            ],
        );
    });

    it("names every mistake in the guard settings", () => {
        const problems = (key: string, value: unknown) => {
            try {
                parseStackConfig(
                    {
                        "aws:region": "eu-west-1",
                        failoverRole: "SECONDARY",
                        domainName: "api.example.com",
                        zoneName: "example.com",
                        tableRegion: "us-east-1",
                        [key]: JSON.stringify(value),
                    },
                    "multi-region-api",
                );
                return [];
            } catch (e) {
                return (e as Error).message.split("\n").slice(1);
            }
        };
        assert.deepEqual(problems("latencyGuard", { threshold: 0, minimumRequests: 1.5 }), [
            "  - [multi-region-api:latencyGuard.threshold] must be a p99 latency from 1 to 60000 milliseconds (got 0)",
            "  - [multi-region-api:latencyGuard.minimumRequests] must be a positive integer (requests in a minute) (got 1.5)",
        ]);
        assert.deepEqual(problems("errorRateGuard", { threshold: 0.05, evaluationPeriod: 3 }), [
            "  - [multi-region-api:errorRateGuard.evaluationPeriod] is not a setting of errorRateGuard; did you mean evaluationPeriods? Its settings are threshold, evaluationPeriods, minimumRequests",
        ]);
        assert.deepEqual(problems("errorRateGuard", {}), [
            "  - [multi-region-api:errorRateGuard.threshold] is required: an error rate above 0 and at most 100 percent",
        ]);
    });
});
