// `failover` and `failback`: one PutMetricData in the switch's region, refusals before anything
// changes, and a watch of the zone's real (loopback) name server.
import { strict as assert } from "node:assert";
import { EventEmitter } from "node:events";
import { AwsClients } from "../../ops/aws";
import { publishSwitch, releaseSwitch, type SwitchResult } from "../../ops/switch";
import {
    eachTestLab,
    FakeAws,
    labNow,
    NOW,
    outputFiles,
    PRIMARY,
    runCli,
    SECONDARY,
} from "./fixtures";

describe("operator failover and failback", () => {
    // Route 53, as the test plays it: the answer moves 100 ms after the switch changes.
    const env = eachTestLab(100);

    const cli = (args: string[], confirm = true) =>
        runCli(
            [
                ...args,
                "--outputs",
                ...env.files.paths,
                "--resolver",
                env.lab.dns.address,
                "--interval",
                "0.05",
                "--timeout",
                "3",
            ],
            {
                confirm,
            },
        );
    const published = () => env.aws.published;
    const switchInput = (value: number) => ({
        Namespace: "HealthCheck",
        MetricData: [
            {
                MetricName: "Failover",
                Dimensions: [
                    { Name: "Service", Value: "api.example.test" },
                    { Name: "Region", Value: PRIMARY },
                ],
                Value: value,
                Unit: "None",
            },
        ],
    });

    it("fails over with one PutMetricData in the switch's region, and watches DNS move", async () => {
        const r = await cli(["failover", "--from", PRIMARY]);
        assert.equal(r.code, 0, r.err.join("\n") + r.out.join("\n"));
        assert.deepEqual(published(), [switchInput(1)]);
        assert.match(r.out.at(-1)!, /^DNS now answers eu-west-1 \(0:0\d after the switch\)\.$/);
        assert.deepEqual(
            r.err.filter((l) => l.includes("DNS answers")).map((l) => l.replace(/^\d+:\d\d /, "")),
            ["DNS answers us-east-1", "DNS answers eu-west-1"],
        );
        // Nothing on the path touches us-east-1 (the failing region, home of Route 53's API).
        assert.deepEqual(
            env.aws.calls.filter(
                (c) => c.endsWith(PRIMARY) || c.startsWith("GetHealthCheckStatus"),
            ),
            [],
        );
        assert.ok(env.aws.calls.includes("PutMetricData eu-west-1"));
    });

    it("fails over while us-east-1 does not answer at all", async () => {
        env.aws.down.add(PRIMARY);
        const r = await cli(["failover", "--from", PRIMARY, "--yes", "--json"], false);
        assert.equal(r.code, 0);
        const result = JSON.parse(r.out.join("\n")) as SwitchResult;
        assert.deepEqual(
            [result.flipped, result.switch, result.dns?.moved, result.dns?.answer],
            [
                true,
                { region: SECONDARY, value: 1, alarmName: "us-east-1-switch-alarm" },
                true,
                SECONDARY,
            ],
        );
        assert.ok(result.readiness.every((row: { verdict: string }) => row.verdict === "ok"));
    });

    it("changes nothing when not confirmed", async () => {
        const r = await cli(["failover", "--from", PRIMARY], false);
        assert.equal(r.code, 1);
        assert.equal(r.out.at(-1), "Not confirmed: nothing changed.");
        assert.deepEqual(published(), []);
    });

    it("refuses when the region taking the traffic is not ready, unless --force", async () => {
        env.lab.region(SECONDARY).healthy = false;
        const refused = await cli(["failover", "--from", PRIMARY]);
        assert.equal(refused.code, 1);
        assert.equal(
            refused.out.at(-1),
            "Refusing to failover: eu-west-1 is not ready to take the traffic (failed checks above). Fix them, or pass --force to failover anyway.",
        );
        assert.match(refused.out.join("\n"), /health +eu-west-1 +fail/);
        assert.deepEqual(published(), []);
        const forced = await cli(["failover", "--from", PRIMARY, "--force"]);
        assert.equal(forced.code, 0);
        assert.deepEqual(published(), [switchInput(1)]);
    });

    it("fails back only to a region that is ready", async () => {
        env.aws.preset(PRIMARY, 1);
        env.lab.answer(SECONDARY);
        env.lab.region(PRIMARY).healthy = false;
        const refused = await cli(["failback", "--to", PRIMARY]);
        assert.equal(refused.code, 1);
        assert.match(refused.out.at(-1)!, /^Refusing to failback: us-east-1 is not ready/);
        // Its own engaged switch is expected here, not a reason to refuse.
        env.lab.region(PRIMARY).healthy = true;
        const r = await cli(["failback", "--to", PRIMARY]);
        assert.equal(r.code, 0, r.out.join("\n"));
        assert.deepEqual(published(), [switchInput(0)]);
        assert.match(r.out.at(-1)!, /^DNS now answers us-east-1/);
    });

    it("says what was flipped when DNS does not move in time", async () => {
        env.aws.onSwitch = () => undefined;
        const r = await runCli([
            "failover",
            "--from",
            PRIMARY,
            "--yes",
            "--outputs",
            ...env.files.paths,
            "--resolver",
            env.lab.dns.address,
            "--interval",
            "0.05",
            "--timeout",
            "0.3",
        ]);
        assert.equal(r.code, 1);
        assert.deepEqual(published(), [switchInput(1)]);
        assert.match(
            r.out.at(-1)!,
            /^DNS had not moved after 0:00: the switch stays engaged as asked; undo with `multi-region-api failback --to us-east-1`\. Route 53 may still be evaluating: see `multi-region-api status`\.$/,
        );
    });

    it("does not watch with --no-wait", async () => {
        const r = await cli(["failover", "--from", PRIMARY, "--no-wait"]);
        assert.equal(r.code, 0);
        assert.equal(
            r.out.at(-1),
            "Switch engaged; Route 53 follows within a few minutes (see `multi-region-api status`).",
        );
    });

    it("names the call and the region when access is denied, and flips nothing", async () => {
        env.aws.denied.add("PutMetricData");
        const r = await cli(["failover", "--from", PRIMARY]);
        assert.equal(r.code, 1);
        assert.deepEqual(r.err, [
            'access denied: cloudwatch:PutMetricData in eu-west-1 (AccessDenied); the operator role needs it (README, "Operator permissions")',
        ]);
    });

    it("refuses when the switch's alarm is not there (outputs of another deployment, not deployed)", async () => {
        env.aws.alarmNames = [];
        const r = await cli(["failover", "--from", PRIMARY, "--force"]);
        assert.equal(r.code, 1);
        assert.equal(
            r.out.at(-1),
            "Refusing to failover: us-east-1's switch cannot be confirmed (alarm us-east-1-switch-alarm not found in eu-west-1): without its alarm, publishing changes nothing. Are these the outputs of this deployment, deployed with this version?",
        );
        assert.deepEqual(published(), []);
    });

    it("says how to sign in when there are no credentials", async () => {
        env.aws.failure = Object.assign(
            new Error("Could not load credentials from any providers"),
            {
                name: "CredentialsProviderError",
            },
        );
        const r = await cli(["failover", "--from", PRIMARY, "--force"]);
        assert.equal(r.code, 1);
        assert.deepEqual(
            r.out.at(-1),
            'Refusing to failover: us-east-1\'s switch cannot be read (no AWS credentials for cloudwatch:DescribeAlarms in eu-west-1: sign in (aws sso login, or set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and run the command again); nothing was flipped. Fix that and retry, or flip it by hand (README, "Manual fallback").',
        );
        assert.deepEqual(published(), []);
    });

    it("refuses bad input with exit status 2", async () => {
        const noSwitch = await cli(["failover", "--from", SECONDARY]);
        assert.deepEqual(
            [noSwitch.code, noSwitch.err],
            [
                2,
                [
                    "eu-west-1 (stack secondary) has no operator switch: set switchRegion in its stack config (another region) and run pulumi up",
                ],
            ],
        );
        const unknown = await cli(["failover", "--from", "ap-south-1"]);
        assert.deepEqual(
            [unknown.code, unknown.err],
            [
                2,
                [
                    "--from ap-south-1: not a region of api.example.test; its regions: us-east-1, eu-west-1",
                ],
            ],
        );
        const missing = await runCli(["failover", "--outputs", ...env.files.paths]);
        assert.equal(missing.code, 2);
        assert.match(missing.err[0], /required option '--from <region>' not specified/);
        assert.deepEqual(published(), []);
    });

    it("refuses without a terminal to confirm on (scripts pass --yes)", async () => {
        const { defaultRuntime } = await import("../../ops/context");
        const stdin = process.stdin.isTTY;
        process.stdin.isTTY = false;
        try {
            await assert.rejects(defaultRuntime().confirm("go?"), {
                message: "no terminal to confirm on: pass --yes to go ahead without asking",
            });
        } finally {
            process.stdin.isTTY = stdin;
        }
    });
});

describe("operator failover: edge cases a review found", () => {
    const env = eachTestLab(100);

    it("fails over with latency routing while us-east-1 (where eu-west-1's drain switch lives) is down", async () => {
        env.files.remove();
        // Latency routing: each region has a drain switch in the other region.
        env.files = outputFiles(env.lab, (region, o) => ({
            ...o,
            routing: "latency",
            failoverRole: null,
            ...(region === SECONDARY
                ? {
                      operatorSwitch: {
                          region: PRIMARY,
                          namespace: "HealthCheck",
                          metricName: "Failover",
                          dimensions: { Service: "api.example.test", Region: SECONDARY },
                          alarmName: "eu-west-1-switch-alarm",
                          healthCheckId: "hc-switch-eu-west-1",
                      },
                  }
                : {}),
        }));
        env.aws.down.add(PRIMARY);
        const r = await runCli([
            "failover",
            "--from",
            PRIMARY,
            "--yes",
            "--json",
            "--outputs",
            ...env.files.paths,
            "--resolver",
            env.lab.dns.address,
            "--interval",
            "0.05",
            "--timeout",
            "3",
        ]);
        assert.equal(r.code, 0, r.out.join("\n"));
        const result = JSON.parse(r.out.join("\n")) as SwitchResult;
        assert.deepEqual(
            result.readiness
                .filter((x) => x.verdict !== "ok")
                .map((x) => `${x.check} ${x.verdict}: ${x.detail}`),
            [
                "switch warn: alarm eu-west-1-switch-alarm not checked: it lives in us-east-1, the region being left",
            ],
        );
        assert.deepEqual(
            env.aws.calls.filter((c) => c.endsWith(PRIMARY)),
            [],
        );
        assert.equal(result.flipped, true);
    });

    it("flips nothing when interrupted before the switch is flipped", async () => {
        const interrupts = new EventEmitter();
        const r = await runCli(
            [
                "failover",
                "--from",
                PRIMARY,
                "--outputs",
                ...env.files.paths,
                "--resolver",
                env.lab.dns.address,
            ],
            {
                interrupts,
                confirm: () => {
                    interrupts.emit("SIGTERM");
                    return Promise.resolve(true);
                },
            },
        );
        assert.equal(r.code, 130);
        assert.equal(r.out.at(-1), "Interrupted before the switch was flipped: nothing changed.");
        assert.deepEqual(env.aws.published, []);
    });

    it("refuses a switch whose alarm watches another metric than the outputs name", async () => {
        env.files.remove();
        env.files = outputFiles(env.lab, (region, o) =>
            region === PRIMARY
                ? {
                      ...o,
                      operatorSwitch: {
                          ...(o.operatorSwitch as object),
                          dimensions: { Service: "api.example.test", Region: "eu-west-1" },
                      },
                  }
                : o,
        );
        const r = await runCli([
            "failover",
            "--from",
            PRIMARY,
            "--yes",
            "--force",
            "--outputs",
            ...env.files.paths,
            "--resolver",
            env.lab.dns.address,
        ]);
        assert.equal(r.code, 1);
        assert.equal(
            r.out.at(-1),
            'Refusing to failover: us-east-1\'s switch alarm us-east-1-switch-alarm watches HealthCheck/Failover {"Service":"api.example.test","Region":"us-east-1"}, not HealthCheck/Failover {"Service":"api.example.test","Region":"eu-west-1"} as the outputs say: publishing would change nothing. Are these the stack\'s current outputs?',
        );
        assert.deepEqual(env.aws.published, []);
    });
});

describe("releasing a switch", () => {
    const MINUTE = 60_000;
    const sw = {
        region: SECONDARY,
        namespace: "HealthCheck",
        metricName: "Failover",
        dimensions: { Service: "api.example.test", Region: PRIMARY },
        alarmName: "us-east-1-switch-alarm",
        healthCheckId: "hc-switch-us-east-1",
    };
    let aws: FakeAws;
    beforeEach(() => {
        aws = new FakeAws();
    });
    afterEach(() => aws.restore());

    /** A context whose clock starts at `start` and whose sleeps only move it. */
    function clockAt(start: number) {
        let now = start;
        const slept: number[] = [];
        const ctx = {
            aws: new AwsClients({ connectMs: 100, requestMs: 200, attempts: 1, deadlineMs: 300 }),
            dns: { timeoutMs: 100 },
            probeTimeoutMs: 100,
            minuteMarginMs: 2000,
            now: () => now,
            sleep: (ms: number) => {
                slept.push(ms);
                now += ms;
                return Promise.resolve();
            },
            out: () => undefined,
            err: () => undefined,
            rewrite: () => undefined,
        };
        return { ctx, slept };
    }
    const values = () => aws.published.map((p) => p.MetricData?.[0]?.Value);

    it("publishes 0 once when the engage was in an earlier minute", async () => {
        const minute = Math.floor(NOW / MINUTE) * MINUTE;
        const { ctx, slept } = clockAt(minute + 10_000);
        await releaseSwitch(ctx, sw, minute - 5_000);
        assert.deepEqual([values(), slept], [[0], []]);
    });

    it("publishes 0 again 2 s into the next minute when the engage was in the same minute", async () => {
        const minute = Math.floor(NOW / MINUTE) * MINUTE;
        const { ctx, slept } = clockAt(minute + 40_000);
        const effective = await releaseSwitch(ctx, sw, minute + 10_000);
        assert.deepEqual([values(), slept, effective], [[0, 0], [22_000], minute + MINUTE + 2_000]);
    });

    it("asks CloudWatch about the current minute when it does not know when the switch was engaged", async () => {
        const { ctx, slept } = clockAt(labNow());
        await releaseSwitch(ctx, sw);
        assert.deepEqual([values(), slept], [[0], []], "no engage this minute: one release");
        aws.published.length = 0;
        await publishSwitch(ctx, sw, 1);
        await releaseSwitch(clockAt(labNow()).ctx, sw);
        assert.deepEqual(values(), [1, 0, 0], "engaged this minute: released again after it");
    });
});
