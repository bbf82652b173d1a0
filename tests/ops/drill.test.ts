// `drill` end to end on loopback: a real DNS server that moves the service name when the switch
// changes (as Route 53 would), real HTTP servers for each region, AWS calls mocked.
import { strict as assert } from "node:assert";
import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DrillReport } from "../../ops/drill";
import { eachTestLab, PRIMARY, runCli, SECONDARY } from "./fixtures";

describe("operator drill", () => {
    const env = eachTestLab(150);
    let dir: string;
    let planFile: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "mra-drill-"));
        planFile = path.join(dir, "plan.json");
        // The part of `multi-region-api plan --json` a drill reads.
        fs.writeFileSync(
            planFile,
            JSON.stringify({
                stacks: { primary: { budget: { failoverSeconds: 138, failbackSeconds: 216 } } },
            }),
        );
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const drill = (extra: string[], options: { interrupts?: EventEmitter } = {}) =>
        runCli(
            [
                "drill",
                "--yes",
                "--outputs",
                ...env.files.paths,
                "--resolver",
                env.lab.dns.address,
                "--interval",
                "0.05",
                "--plan",
                planFile,
                "--report",
                path.join(dir, "report.json"),
                ...extra,
            ],
            options,
        );
    const report = () =>
        JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as DrillReport;
    const published = () => env.aws.published.map((p) => p.MetricData?.[0]?.Value);
    /**
     * Engaged once, then released: 0 published once, or twice when the release fell in the
     * engage's minute (the second after the minute began); either way the switch reads 0.
     */
    const engagedThenReleased = (releases = 1) => {
        const values = published();
        assert.equal(values[0], 1, `first publish: ${values.join(", ")}`);
        const zeros = values.slice(1);
        assert.ok(
            zeros.every((v) => v === 0) && zeros.length >= releases && zeros.length <= releases + 1,
            `then 0s: ${values.join(", ")}`,
        );
        assert.equal(env.aws.switchValue(PRIMARY), 0, "the switch as its alarm reads it");
    };

    // Loaded before the first drill: a drill's pre-checks must not take the module load's time.
    before(() => import("../../ops/drill"));

    it("measures failover and failback, shows progress, and writes a report a later run compares with", async () => {
        const r = await drill(["--timeout", "10"]);
        assert.equal(r.code, 0, [...r.err, ...r.out].join("\n"));
        engagedThenReleased();
        const rep = report();
        assert.deepEqual(
            [rep.service, rep.stack, rep.from, rep.to, rep.outcome, rep.restored],
            ["api.example.test", "primary", PRIMARY, SECONDARY, "completed", true],
        );
        assert.deepEqual(rep.budget, {
            failoverSeconds: 138,
            failbackSeconds: 216,
            source: planFile,
        });
        for (const [phase, expected] of [
            ["failover", SECONDARY],
            ["failback", PRIMARY],
        ] as const) {
            const p = rep[phase]!;
            assert.deepEqual([p.completed, p.expected], [true, expected]);
            const s = p.seconds;
            // The alarm and Route 53's switch check answer at once (mocked); DNS moves 150 ms
            // after the switch. Bounds are loose: a loaded machine is slow, never out of order.
            assert.ok(s.dns !== null && s.dns >= 0.15 && s.dns < 3, `${phase} dns ${s.dns}`);
            assert.ok(s.alarm !== null && s.alarm <= s.dns, `${phase} alarm ${s.alarm}`);
            assert.ok(
                s.healthCheck !== null && s.healthCheck <= s.dns,
                `${phase} check ${s.healthCheck}`,
            );
            assert.ok(
                s.served !== null && s.served >= s.dns && s.served < 3,
                `${phase} served ${s.served}`,
            );
        }
        // Progress: a line per change, elapsed time against the budget.
        const progress = r.err.filter((l) => /^fail(over|back) /.test(l));
        assert.match(
            progress[0],
            /^failover \d:\d\d \/ budget 2:18 · DNS unknown · served by none · switch alarm unknown · switch check unknown$/,
        );
        assert.ok(
            progress.some((l) =>
                /^failover \d:\d\d \/ budget 2:18 · DNS eu-west-1 · served by eu-west-1 · switch alarm ALARM · switch check unhealthy$/.test(
                    l,
                ),
            ),
        );
        assert.match(
            progress.at(-1)!,
            /^failback \d:\d\d \/ budget 3:36 · DNS us-east-1 · served by us-east-1 · switch alarm OK · switch check healthy$/,
        );
        const text = r.out.join("\n");
        assert.match(text, /^Failover \(clients to eu-west-1\)$/m);
        assert.match(text, /^ {2}DNS answer changed {19}\d(\.\d)? s$/m);
        assert.match(text, /^ {2}budget \(offline plan, worst case\) {3}138 s — within budget$/m);
        assert.match(text, /^ {2}budget \(offline plan, worst case\) {3}216 s — within budget$/m);
        assert.match(text, /^Outcome: completed; switch released\.$/m);
    });

    it("compares each step with a previous drill's report", async () => {
        const previous = path.join(dir, "previous.json");
        const step = { alarm: 61, healthCheck: 75, dns: 95.5, served: 96 };
        const earlier: DrillReport = {
            service: "api.example.test",
            stack: "primary",
            from: PRIMARY,
            to: SECONDARY,
            startedAt: "2026-11-01T10:00:00.000Z",
            budget: { failoverSeconds: 138, failbackSeconds: 216, source: "plan.json" },
            failover: { seconds: step, completed: true, expected: SECONDARY },
            failback: { seconds: step, completed: true, expected: PRIMARY },
            outcome: "completed",
            restored: true,
            notes: [],
        };
        fs.writeFileSync(previous, JSON.stringify(earlier));
        const r = await drill(["--timeout", "10", "--compare", previous]);
        assert.equal(r.code, 0);
        const text = r.out.join("\n");
        assert.match(
            text,
            /^ {2}DNS answer changed {19}\d(\.\d)? s \(previous 95\.5 s, -9\d\.\d s\)$/m,
        );
        assert.match(
            text,
            /^ {2}switch alarm changed state {11}0(\.\d)? s \(previous 61 s, -6\d(\.\d)? s\)$/m,
        );
    });

    it("shows live progress on a terminal: a line per change, the clock ticking in between", async () => {
        const following = env.aws.onSwitch;
        env.aws.onSwitch = (value) => setTimeout(() => following(value), 150);
        const r = await runCli(
            [
                "drill",
                "--yes",
                "--outputs",
                ...env.files.paths,
                "--resolver",
                env.lab.dns.address,
                "--interval",
                "0.05",
                "--plan",
                planFile,
            ],
            { tty: true },
        );
        assert.equal(r.code, 0);
        assert.match(
            r.err.find((l) => l.includes("failover"))!,
            /^\r\x1b\[Kfailover \d:\d\d \/ budget 2:18 · DNS unknown · served by none · switch alarm unknown · switch check unknown$/,
        );
        assert.ok(
            r.live.filter((l) => /^failover \d:\d\d \/ budget 2:18 · DNS us-east-1/.test(l))
                .length >= 2,
            r.live.join("\n"),
        );
        assert.equal(r.live.at(-1), "");
    });

    it("releases the switch when interrupted (a real SIGINT, as Ctrl-C sends)", async () => {
        env.aws.onSwitch = () => undefined;
        const before = process.listenerCount("SIGINT");
        let signalled = false;
        setTimeout(() => {
            // Only with the drill's handler in place: without one, SIGINT would end the test run.
            if (process.listenerCount("SIGINT") === before + 1) {
                signalled = process.kill(process.pid, "SIGINT");
            }
        }, 300);
        const r = await drill(["--timeout", "2"], { interrupts: process });
        assert.ok(signalled, "the drill had no SIGINT handler while it ran");
        assert.equal(r.code, 130);
        engagedThenReleased();
        assert.deepEqual(
            [report().outcome, report().restored, report().failover!.completed],
            ["interrupted", true, false],
        );
        assert.ok(
            r.err.includes(
                "Interrupted (SIGINT): finishing up (the switch is restored where the command engaged it)…",
            ),
        );
        assert.equal(process.listenerCount("SIGINT"), before);
    });

    it("releases the switch on timeout", async () => {
        env.aws.onSwitch = () => undefined;
        const r = await drill(["--timeout", "0.4"]);
        assert.equal(r.code, 1);
        engagedThenReleased();
        const rep = report();
        assert.deepEqual(
            [rep.outcome, rep.restored, rep.failover!.seconds.dns, rep.failback],
            ["timeout", true, null, undefined],
        );
        assert.match(r.out.join("\n"), /^Failover \(clients to eu-west-1\): NOT COMPLETED$/m);
    });

    it("releases the switch after an error, retrying", async () => {
        let puts = 0;
        const following = env.aws.onSwitch;
        env.aws.onSwitch = (value) => {
            puts++;
            if (puts === 2) {
                throw Object.assign(new Error("Rate exceeded"), { name: "Throttling" });
            }
            following(value);
        };
        const r = await drill(["--timeout", "10"]);
        assert.equal(r.code, 1);
        // The release after failover failed; the drill released it again.
        engagedThenReleased(2);
        const rep = report();
        assert.deepEqual([rep.outcome, rep.restored], ["error", true]);
        assert.deepEqual(rep.notes, [
            "Error: cloudwatch:PutMetricData in eu-west-1 failed: Throttling: Rate exceeded",
            "Released us-east-1's switch (published 0 to HealthCheck/Failover in eu-west-1).",
        ]);
    });

    it("releases a switch whose engage was accepted but whose answer was lost", async () => {
        const following = env.aws.onSwitch;
        let puts = 0;
        env.aws.onSwitch = (value) => {
            following(value);
            if (++puts === 1) {
                throw Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
            }
        };
        const r = await drill(["--timeout", "10"]);
        assert.equal(r.code, 1);
        engagedThenReleased();
        const rep = report();
        assert.deepEqual([rep.outcome, rep.restored], ["error", true]);
        assert.match(
            rep.notes[0],
            /^Error: eu-west-1 unreachable: cloudwatch:PutMetricData failed \(TimeoutError: socket hang up\)$/,
        );
    });

    for (const [signal, who] of [
        ["SIGTERM", "a cancelled CI job"],
        ["SIGHUP", "a closed terminal"],
    ]) {
        it(`releases the switch on ${signal} (${who})`, async () => {
            env.aws.onSwitch = () => undefined;
            const interrupts = new EventEmitter();
            setTimeout(() => interrupts.emit(signal, signal), 200);
            const r = await drill(["--timeout", "5"], { interrupts });
            assert.equal(r.code, 130, signal);
            assert.equal(report().outcome, "interrupted");
            assert.equal(report().restored, true);
            assert.ok(
                r.err.some((l) => l.startsWith(`Interrupted (${signal})`)),
                signal,
            );
            assert.equal(interrupts.listenerCount(signal), 0);
        });
    }

    it("refuses a report path it cannot write before changing anything", async () => {
        const r = await drill(["--timeout", "10", "--report", path.join(dir, "missing", "r.json")]);
        assert.equal(r.code, 2);
        assert.deepEqual(r.err, [
            `--report ${path.join(dir, "missing", "r.json")}: cannot be written (ENOENT)`,
        ]);
        assert.deepEqual(env.aws.published, []);
    });

    it("refuses, changing nothing, when the other region is not ready or the switch is engaged", async () => {
        env.lab.region(SECONDARY).healthy = false;
        const notReady = await drill(["--timeout", "10"]);
        assert.equal(notReady.code, 1);
        assert.deepEqual(report().notes, [
            "Refused: eu-west-1 is not ready (failed checks above).",
        ]);
        env.lab.region(SECONDARY).healthy = true;
        env.aws.preset(PRIMARY, 1);
        env.lab.answer(SECONDARY);
        const engaged = await drill(["--timeout", "10"]);
        assert.equal(engaged.code, 1);
        assert.deepEqual(report().notes, [
            "Refused: us-east-1's switch is already engaged (release it with failback --to us-east-1); the service name answers eu-west-1, not us-east-1: nothing to fail over.",
        ]);
        assert.deepEqual(published(), []);
    });

    it("names a plan file without the stack's budget", async () => {
        fs.writeFileSync(planFile, JSON.stringify({ stacks: {} }));
        const r = await drill(["--timeout", "10"]);
        assert.deepEqual(
            [r.code, r.err],
            [2, [`--plan ${planFile} has no budget for stack primary (stacks.primary.budget)`]],
        );
        assert.deepEqual(published(), []);
    });
});
