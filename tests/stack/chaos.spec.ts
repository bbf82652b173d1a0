// Chaos on both stacks of the program: the PeerProbe and RegionalApi wiring, the `chaos` output,
// what the plan drills and prices, and the configuration's mistakes.
import * as assert from "node:assert/strict";
import { analyze, Plan } from "../../plan/analyze";
import { planPasses } from "../../plan/cli";
import { evaluate, Evaluation, restoreHarness } from "./evaluations";
import { parseStackConfig } from "../../stack/config";

const CHAOS = {
    primary: JSON.stringify({ peers: ["eu-west-1"] }),
    secondary: JSON.stringify({
        peers: ["us-east-1"],
        maxDurationMinutes: 15,
        delayMilliseconds: 3000,
    }),
};

describe("chaos on both stacks", () => {
    let primary: Evaluation;
    let secondary: Evaluation;
    let plan: Plan;

    before(async () => {
        primary = await evaluate("primary", { chaos: CHAOS.primary });
        secondary = await evaluate("secondary", { chaos: CHAOS.secondary });
        plan = analyze([primary.evaluated, secondary.evaluated]);
    });
    after(() => restoreHarness());

    const named = (e: Evaluation, name: string) => {
        const found = e.recorded.filter((r) => r.name === name);
        assert.equal(found.length, 1, name);
        return found[0];
    };

    it("watches each peer's own /health from the region, and stops its experiments on that alarm", () => {
        const probe = named(primary, "us-east-1-peers");
        assert.equal(probe.type, "multi-region-api:index:PeerProbe");
        const fn = primary.recorded.find(
            (r) => r.parent === probe.urn && r.type === "aws:lambda/function:Function",
        )!;
        const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
        assert.deepEqual(JSON.parse(env.PEERS), [
            {
                region: "eu-west-1",
                healthUrl: "https://eu-west-1.api.example.com/health",
                searchString: "mra-health-ok",
            },
        ]);
        assert.equal(fn.providerRegion, "us-east-1");
        const alarm = named(primary, "us-east-1-peers-eu-west-1-alarm");
        for (const key of ["api-fails", "slow"]) {
            const template = named(primary, `us-east-1-chaos-${key}`);
            assert.deepEqual(template.inputs.stopConditions, [
                { source: "aws:cloudwatch:alarm", value: alarm.state.arn },
            ]);
            assert.equal(template.providerRegion, "us-east-1");
        }
        const slow = named(secondary, "eu-west-1-chaos-slow").inputs.actions as {
            parameters: { key: string; value: string }[];
        }[];
        assert.deepEqual(slow[0].parameters, [
            { key: "duration", value: "PT15M" },
            { key: "invocationPercentage", value: "100" },
            { key: "startupDelayMilliseconds", value: "3000" },
        ]);
    });

    it("exports what `drill --chaos` starts and watches", () => {
        assert.deepEqual(primary.evaluated.outputs.chaos, {
            region: "us-east-1",
            bucket: named(primary, "us-east-1-chaos").state.bucket,
            maxDurationMinutes: 10,
            stopAlarmNames: ["us-east-1-peers-eu-west-1-alarm"],
            experiments: {
                "api-fails": named(primary, "us-east-1-chaos-api-fails").id,
                slow: named(primary, "us-east-1-chaos-slow").id,
            },
        });
        assert.equal(
            (secondary.evaluated.outputs.chaos as { maxDurationMinutes: number })
                .maxDurationMinutes,
            15,
        );
    });

    it("drills each region's experiment, passes the guardrails, and prices the machinery and a drill", () => {
        assert.ok(planPasses(plan), JSON.stringify(plan.stacks.primary.findings));
        const chaosDrills = plan.drills
            .filter((d) => d.scenario.includes("chaos"))
            .map((d) => [d.scenario, d.answer.region, d.ok]);
        assert.deepEqual(chaosDrills, [
            [
                "api.example.com failover: chaos experiment breaks us-east-1 (its endpoint check fails, its switch released)",
                "eu-west-1",
                true,
            ],
            [
                "api.example.com failover: chaos experiment breaks eu-west-1 (its endpoint check fails, its switch released)",
                "us-east-1",
                true,
            ],
        ]);
        const lines = (stack: string) =>
            plan.stacks[stack].cost.lines
                .filter((l) => /Peer|PeerHealthy|FIS/.test(l.item))
                .map((l) => [l.item, l.count, l.usd]);
        assert.deepEqual(lines("primary"), [
            ["Peer probe: Lambda requests", 43200, 0.01],
            [
                "Peer probe: Lambda compute, GB-seconds (arm64, 128 MB, 1 s a run assumed)",
                5400,
                0.07,
            ],
            ["Peer probe: PutMetricData requests", 43200, 0.43],
            ["CloudWatch custom metric (PeerHealthy, one per peer)", 1, 0.3],
            ["FIS extension: S3 LIST polls of the fault configuration", 86400, 0.43],
        ]);
        assert.deepEqual(
            plan.stacks.secondary.cost.rates.filter((r) => r.includes("chaos drill")),
            [
                "A chaos drill with secondary/eu-west-1-chaos-api-fails runs one FIS action for at most 15 min: at most $1.50 ($0.10 per action-minute, https://aws.amazon.com/fis/pricing/); stopping it early costs less.",
                "A chaos drill with secondary/eu-west-1-chaos-slow runs one FIS action for at most 15 min: at most $1.50 ($0.10 per action-minute, https://aws.amazon.com/fis/pricing/); stopping it early costs less.",
            ],
        );
    });

    it("without chaos: no probe, no chaos resource, no chaos drill, no chaos cost", async () => {
        const plain = await evaluate("primary");
        assert.deepEqual(
            plain.recorded.filter((r) =>
                /chaos|peers|aws:fis|aws:s3|PeerProbe/.test(`${r.name} ${r.type}`),
            ),
            [],
        );
        assert.equal(plain.evaluated.outputs.chaos, undefined);
        const alone = analyze([plain.evaluated], false);
        assert.deepEqual(
            alone.drills.filter((d) => d.scenario.includes("chaos")),
            [],
        );
        const cost = alone.stacks.primary.cost;
        assert.deepEqual(
            cost.lines.filter((l) => /Peer|FIS/.test(l.item)),
            [],
        );
        assert.deepEqual(
            cost.rates.filter((r) => r.includes("chaos")),
            [],
        );
    });

    it("names every mistake in the chaos setting", () => {
        const problems = (chaos: string, region = "us-east-1") => {
            try {
                parseStackConfig(
                    {
                        "aws:region": region,
                        failoverRole: "SECONDARY",
                        domainName: "api.example.com",
                        zoneName: "example.com",
                        tableRegion: "us-east-1",
                        chaos,
                    },
                    "multi-region-api",
                );
                return [];
            } catch (e) {
                return (e as Error).message.split("\n").slice(1);
            }
        };
        assert.deepEqual(problems("{}"), [
            "  - [multi-region-api:chaos.peers] is required: a list of 1 to 5 regions (the service's other regions) whose health, watched from this region, stops an experiment",
        ]);
        assert.deepEqual(problems(JSON.stringify({ peers: ["us-east-1"] })), [
            '  - [multi-region-api:chaos.peers] must be regions other than aws:region "us-east-1": a peer is the region that must stay healthy while this one is broken (got ["us-east-1"])',
        ]);
        assert.deepEqual(
            problems(
                JSON.stringify({
                    peers: ["eu-west-1", "eu-west-1"],
                    maxDurationMinutes: 500,
                    peer: 1,
                }),
            ),
            [
                "  - [multi-region-api:chaos.peer] is not a setting of chaos; did you mean peers? Its settings are peers, maxDurationMinutes, delayMilliseconds",
                '  - [multi-region-api:chaos.peers] must be each region once (got ["eu-west-1","eu-west-1"])',
                "  - [multi-region-api:chaos.maxDurationMinutes] must be an integer from 1 to 120 minutes (got 500)",
            ],
        );
    });
});
