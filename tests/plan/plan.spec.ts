import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { analyze, Plan } from "../../plan/analyze";
import { evaluateStack, EvaluatedStack } from "../../plan/evaluate";
import { planJson } from "../../plan/report";
import { stackConfig, stackNames } from "../../plan/stackFiles";
import { state } from "../harness";

const latency = (stack: string, switchRegion: string) => ({
    ...stackConfig(stack),
    "multi-region-api:routing": "latency",
    "multi-region-api:switchRegion": switchRegion,
});

/** Drill rows reduced to what a reader checks: scenario → answer region, fail-open, ok. */
const rows = (plan: Plan) =>
    plan.drills.map((d) => [
        d.scenario,
        d.answer.region,
        d.failOpen ? "fail-open" : "",
        d.ok ? "ok" : "FAIL",
    ]);

const clone = (stacks: EvaluatedStack[]): EvaluatedStack[] => JSON.parse(JSON.stringify(stacks));

describe("offline plan", () => {
    let failover: EvaluatedStack[];
    after(() => pulumi.runtime.setAllConfig({}));

    before(async () => {
        failover = [];
        for (const stack of stackNames())
            failover.push(await evaluateStack(state, stack, stackConfig(stack)));
    });

    it("evaluates every stack file", () => {
        assert.deepEqual(stackNames(), ["primary", "secondary"]);
        assert.deepEqual(
            failover.map((s) => [s.stack, s.region]),
            [
                ["primary", "us-east-1"],
                ["secondary", "eu-west-1"],
            ],
        );
    });

    it("failover drills answer as intended, including fail-open to PRIMARY", () => {
        assert.deepEqual(rows(analyze(failover)), [
            ["api.example.com failover: all healthy", "us-east-1", "", "ok"],
            ["api.example.com failover: primary endpoint down (us-east-1)", "eu-west-1", "", "ok"],
            [
                "api.example.com failover: operator switch engaged (us-east-1)",
                "eu-west-1",
                "",
                "ok",
            ],
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
        ]);
    });

    it("names the unhealthy checks and the alias target of each answer", () => {
        const [, primaryDown] = analyze(failover).drills;
        assert.deepEqual(primaryDown.unhealthy, [
            "primary/us-east-1-routing-calculated",
            "primary/us-east-1-routing-endpoint",
        ]);
        const secondaryDomain = failover[1].resources.find(
            (r) => r.name === "eu-west-1-service-domain",
        )!;
        assert.equal(primaryDown.answer.target, secondaryDomain.state.regionalDomainName);
        assert.equal(primaryDown.expected, "eu-west-1 (PRIMARY is out, SECONDARY is healthy)");
    });

    it("latency drills: each client goes to its nearest healthy region", async () => {
        const stacks = [
            await evaluateStack(state, "primary", latency("primary", "eu-west-1")),
            await evaluateStack(state, "secondary", latency("secondary", "us-east-1")),
        ];
        assert.deepEqual(rows(analyze(stacks)), [
            ["api.example.com latency: client near eu-west-1, all healthy", "eu-west-1", "", "ok"],
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
            ["api.example.com latency: client near us-east-1, all healthy", "us-east-1", "", "ok"],
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

    it("budget: detection + 30 s propagation + 60 s TTL, governed by the slowest guard", () => {
        const { stacks } = analyze(failover);
        // Primary: the switch alarm (60 s ingestion + 60 s × 1) outlasts the endpoint (3 × (10 + 8) = 54 s).
        assert.deepEqual(
            [stacks.primary.budget.failoverSeconds, stacks.primary.budget.failbackSeconds],
            [210, 210],
        );
        assert.deepEqual(
            [stacks.secondary.budget.failoverSeconds, stacks.secondary.budget.failbackSeconds],
            [144, 144],
        );
        assert.deepEqual(
            stacks.primary.budget.records.map((r) => [
                r.record,
                r.healthCheck,
                r.budget?.detectionSeconds,
            ]),
            [["primary/us-east-1-routing-record", "primary/us-east-1-routing-calculated", 120]],
        );
        assert.ok(
            stacks.primary.budget.assumptions.some(
                (a) => a.includes("propagation") && a.includes("UNCONFIRMED"),
            ),
        );
    });

    it("cost: the price table applied to each stack's checks, alarms and zone share", () => {
        const { stacks } = analyze(failover);
        // Endpoint check $0.50 + HTTPS, string match, 10 s interval $3.00; calculated $0.50; alarm check $0.50; alarm $0.10; half a zone $0.25.
        assert.equal(stacks.primary.monthlyCostUsd, 4.85);
        assert.equal(stacks.secondary.monthlyCostUsd, 3.75);
    });

    it("JSON keeps the documented shape", () => {
        const json = planJson(analyze(failover));
        assert.deepEqual(Object.keys(json), ["stacks", "drills"]);
        const primary = json.stacks.primary as Record<string, unknown>;
        assert.deepEqual(Object.keys(primary), [
            "region",
            "resources",
            "outputs",
            "budget",
            "monthlyCostUsd",
            "cost",
        ]);
        assert.deepEqual(Object.keys(primary.budget as object), [
            "failoverSeconds",
            "failbackSeconds",
            "assumptions",
        ]);
        const resources = primary.resources as Record<string, unknown>[];
        assert.deepEqual(Object.keys(resources[0]), ["type", "name", "urn", "provider", "inputs"]);
        const alarm = resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")!;
        assert.equal(alarm.provider, "eu-west-1");
        assert.match(
            String(alarm.urn),
            /^urn:pulumi:primary::multi-region-api::multiregion:index:AlarmHealthCheck\$aws:cloudwatch\/metricAlarm:MetricAlarm::us-east-1-switch-alarm$/,
        );
        const fn = resources.find((r) => r.name === "us-east-1-health")!;
        assert.deepEqual(Object.keys((fn.inputs as { code: { archive: object } }).code.archive), [
            "index.js",
        ]);
        assert.deepEqual(Object.keys(json.drills[0]), [
            "scenario",
            "unhealthy",
            "answer",
            "expected",
            "ok",
            "failOpen",
        ]);
        assert.deepEqual(Object.keys(json.drills[0].answer), ["region", "target"]);
        assert.equal(
            (primary.outputs as { serviceUrl: string }).serviceUrl,
            "https://api.example.com",
        );
    });

    describe("catches broken wiring", () => {
        const record = (stacks: EvaluatedStack[], name: string) =>
            stacks.flatMap((s) => s.resources).find((r) => r.name === name)!;

        it("a PRIMARY record without a health check never fails over", () => {
            const broken = clone(failover);
            delete record(broken, "us-east-1-routing-record").inputs.healthCheckId;
            const plan = analyze(broken);
            assert.deepEqual(
                plan.drills.filter((d) => !d.ok).map((d) => [d.scenario, d.answer.region]),
                [
                    ["api.example.com failover: primary endpoint down (us-east-1)", "us-east-1"],
                    ["api.example.com failover: operator switch engaged (us-east-1)", "us-east-1"],
                    [
                        "api.example.com failover: switch engaged, then no new data (us-east-1)",
                        "us-east-1",
                    ],
                ],
            );
            assert.equal(plan.stacks.primary.budget.failoverSeconds, null);
            assert.ok(
                plan.stacks.primary.budget.assumptions.includes(
                    "primary/us-east-1-routing-record has no health check: Route 53 never takes it out of service.",
                ),
            );
        });

        it("a PRIMARY record guarded by the endpoint check alone ignores the operator switch", () => {
            const broken = clone(failover);
            record(broken, "us-east-1-routing-record").inputs.healthCheckId =
                "us-east-1-routing-endpoint-id";
            assert.deepEqual(
                analyze(broken)
                    .drills.filter((d) => !d.ok)
                    .map((d) => d.scenario),
                [
                    "api.example.com failover: operator switch engaged (us-east-1)",
                    "api.example.com failover: switch engaged, then no new data (us-east-1)",
                ],
            );
        });

        it("a switch whose missing data counts as healthy releases itself when data stops", () => {
            const broken = clone(failover);
            record(broken, "us-east-1-switch-check").inputs.insufficientDataHealthStatus =
                "Healthy";
            assert.deepEqual(
                analyze(broken)
                    .drills.filter((d) => !d.ok)
                    .map((d) => d.scenario),
                ["api.example.com failover: switch engaged, then no new data (us-east-1)"],
            );
        });

        it("a missing SECONDARY stack leaves nothing to fail over to", () => {
            const plan = analyze([failover[0]]);
            assert.equal(plan.drills.filter((d) => d.ok).length, 0);
            const down = plan.drills.find((d) => d.scenario.includes("primary endpoint down"))!;
            assert.deepEqual(
                [down.answer.region, down.failOpen, down.expected],
                ["us-east-1", true, "no region (no SECONDARY record for api.example.com)"],
            );
        });
    });

    it("npm run plan exits 0 and prints JSON with --json; bad options exit 2", () => {
        const root = path.join(__dirname, "..", "..");
        const cli = path.join(root, "plan", "cli.ts");
        const run = (args: string[]) =>
            execFileSync(process.execPath, ["-r", "ts-node/register", cli, ...args], {
                cwd: root,
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
            });
        // Through a shell pipe, as tools read it: the whole document must arrive (over 64 KiB).
        const piped = execFileSync(
            "sh",
            [
                "-c",
                `"${process.execPath}" -r ts-node/register "${cli}" --json --stack primary --stack secondary | cat`,
            ],
            { cwd: root, encoding: "utf8" },
        );
        assert.ok(piped.length > 65536, `JSON is ${piped.length} bytes`);
        const json = JSON.parse(piped);
        assert.equal(json.drills.length, 9);
        assert.ok(json.drills.every((d: { ok: boolean }) => d.ok));
        assert.throws(
            () => run(["--jsn"]),
            (e: { status: number; stderr: string }) =>
                e.status === 2 && /Unknown option '--jsn'/.test(e.stderr),
        );
        assert.throws(
            () => run(["--stack", "tertiary"]),
            (e: { status: number; stderr: string }) =>
                e.status === 2 &&
                e.stderr.includes("No stack file for tertiary; stacks here: primary, secondary"),
        );
    });
});
