// `drill --chaos` end to end on loopback: the FIS experiment (mocked) "breaks" the region by making
// its lab server fail /health and Route 53's endpoint check unhealthy, and the service name moves
// to the other region a moment later, as Route 53 would; StopExperiment heals it and DNS returns.
import { strict as assert } from "node:assert";
import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXTENSION_DELAY_NOTE } from "../../ops/chaos";
import type { ChaosDrillReport } from "../../ops/drill";
import {
    eachTestLab,
    outputFiles,
    PRIMARY,
    runCli,
    SECONDARY,
    SERVICE,
    stopAlarmName,
    templateId,
    type LabEnv,
} from "./fixtures";

/** How long the fault takes to bite (the extension's poll), and Route 53 to move DNS after it. */
const FAULT_MS = 100;
const DNS_MS = 150;

/** The lab's region breaks a moment after its experiment starts and heals after it stops. */
function breakOnExperiment(env: LabEnv): void {
    // This test's lab, even when a timer fires after the next test has begun.
    const { lab, aws } = env;
    aws.onExperiment = (event, x) => {
        const broken = x.region;
        const other = broken === PRIMARY ? SECONDARY : PRIMARY;
        setTimeout(() => {
            lab.region(broken).healthy = event === "stop";
            if (event === "start") {
                aws.unhealthyChecks.add(`hc-endpoint-${broken}`);
            } else {
                aws.unhealthyChecks.delete(`hc-endpoint-${broken}`);
            }
            setTimeout(() => lab.answer(event === "start" ? other : broken), DNS_MS);
        }, FAULT_MS);
    };
}

describe("operator chaos drill", () => {
    const env = eachTestLab();
    let dir: string;
    let planFile: string;
    let reportFile: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "mra-chaos-"));
        planFile = path.join(dir, "plan.json");
        reportFile = path.join(dir, "report.json");
        fs.writeFileSync(
            planFile,
            JSON.stringify({
                stacks: {
                    primary: { budget: { failoverSeconds: 138, failbackSeconds: 216 } },
                    secondary: { budget: { failoverSeconds: 150, failbackSeconds: 200 } },
                },
            }),
        );
        breakOnExperiment(env);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const chaos = (
        extra: string[],
        options: { interrupts?: EventEmitter; files?: string[] } = {},
    ) =>
        runCli(
            [
                "drill",
                "--yes",
                "--outputs",
                ...(options.files ?? env.files.paths),
                "--resolver",
                env.lab.dns.address,
                "--interval",
                "0.05",
                "--plan",
                planFile,
                "--report",
                reportFile,
                ...extra,
            ],
            options,
        );
    const report = () => JSON.parse(fs.readFileSync(reportFile, "utf8")) as ChaosDrillReport;
    /** The FIS calls made, as `Command region`. */
    const fisCalls = () => env.aws.fisCalls.map((c) => `${c.command} ${c.region}`);
    const calls = (command: string) => env.aws.fisCalls.filter((c) => c.command === command);
    const startInput = (region = PRIMARY, key = "api-fails") => {
        const [start] = calls("StartExperiment");
        assert.equal(start.region, region);
        const input = start.input as { clientToken?: string };
        assert.match(
            input.clientToken ?? "",
            /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        assert.deepEqual(input, {
            clientToken: input.clientToken,
            experimentTemplateId: templateId(region, key),
            tags: { Service: SERVICE, Drill: "multi-region-api" },
        });
        return input.clientToken!;
    };
    /** StopExperiment of the experiment, in its region, exactly once. */
    const stoppedOnce = (id = "EXP1") => {
        assert.deepEqual(
            calls("StopExperiment").map((c) => [c.region, c.input]),
            [[PRIMARY, { id }]],
        );
    };

    // Loaded before the first drill: a drill's pre-checks must not take the module load's time.
    before(() => Promise.all([import("../../ops/drill"), import("../../ops/chaos")]));

    it("breaks the region with its experiment, times the automatic failover and the failback, and stops the experiment", async () => {
        const r = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
        assert.equal(r.code, 0, [...r.err, ...r.out].join("\n"));
        const token = startInput();
        stoppedOnce();
        assert.equal(env.aws.experiments.get("EXP1")!.status, "stopped");
        assert.ok(env.lab.region(PRIMARY).healthy);
        const rep = report();
        assert.deepEqual(
            [rep.kind, rep.service, rep.stack, rep.from, rep.to, rep.outcome, rep.restored],
            ["chaos", SERVICE, "primary", PRIMARY, SECONDARY, "completed", true],
        );
        assert.deepEqual(rep.chaos, {
            experiment: "api-fails",
            templateId: templateId(PRIMARY, "api-fails"),
            region: PRIMARY,
            clientToken: token,
            maxDurationMinutes: 10,
            experimentId: "EXP1",
            status: "stopped",
            reason: "Experiment stopped by user.",
        });
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
            assert.deepEqual([p.completed, p.expected], [true, expected], phase);
            const s = p.seconds;
            assert.deepEqual(Object.keys(s), [
                "experiment",
                "regionHealth",
                "endpointCheck",
                "dns",
                "served",
            ]);
            const all = Object.values(s);
            assert.ok(
                all.every((v) => typeof v === "number"),
                `${phase}: ${JSON.stringify(s)}`,
            );
            // FIS answers at once; the fault bites after 100 ms; DNS moves 150 ms later. Bounds
            // are loose: a loaded machine is slow, never out of order.
            assert.ok(s.experiment! <= s.regionHealth!, `${phase} experiment ${s.experiment}`);
            assert.ok(
                s.regionHealth! >= 0.1 && s.regionHealth! < 3,
                `${phase} fault ${s.regionHealth}`,
            );
            assert.ok(
                s.endpointCheck! >= 0.1 && s.endpointCheck! < 3,
                `${phase} check ${s.endpointCheck}`,
            );
            assert.ok(s.dns! >= 0.2 && s.dns! < 3, `${phase} dns ${s.dns}`);
            assert.ok(s.served! >= s.dns! && s.served! < 3, `${phase} served ${s.served}`);
            assert.ok(s.dns! >= s.regionHealth!, `${phase}: DNS after the fault`);
        }
        assert.deepEqual(rep.notes, [
            EXTENSION_DELAY_NOTE,
            `Stopped experiment EXP1 in ${PRIMARY} (StopExperiment accepted).`,
        ]);
        // Only FIS calls in the region broken; the experiment watched between start and stop.
        const fis = fisCalls();
        assert.equal(fis[0], `StartExperiment ${PRIMARY}`);
        assert.ok(fis.every((c) => c.endsWith(` ${PRIMARY}`)));
        assert.ok(fis.indexOf(`GetExperiment ${PRIMARY}`) > 0);
        assert.ok(!fis.includes(`ListExperiments ${PRIMARY}`));

        const progress = r.err.filter((l) => /^fail(over|back) /.test(l));
        assert.match(
            progress[0],
            /^failover \d:\d\d \/ budget 2:18 · DNS unknown · served by none · experiment unknown · us-east-1 \/health unknown · endpoint check unknown$/,
        );
        assert.ok(
            progress.some((l) =>
                /^failover \d:\d\d \/ budget 2:18 · DNS eu-west-1 · served by eu-west-1 · experiment running · us-east-1 \/health failing · endpoint check unhealthy$/.test(
                    l,
                ),
            ),
            progress.join("\n"),
        );
        assert.match(
            progress.at(-1)!,
            /^failback \d:\d\d \/ budget 3:36 · DNS us-east-1 · served by us-east-1 · experiment stopped · us-east-1 \/health ok · endpoint check healthy$/,
        );
        assert.ok(
            r.err.includes(
                `Started FIS experiment EXP1 (api-fails, template ${templateId(PRIMARY, "api-fails")}) in ${PRIMARY}; it ends by itself after 10 min.`,
            ),
        );
        const text = r.out.join("\n");
        assert.match(
            text,
            /^Chaos drill of api\.example\.test: FIS experiment api-fails \(template EXT-api-fails-us-east-1, experiment EXP1\) breaks us-east-1; clients to eu-west-1 and back \(stack primary\), started /m,
        );
        assert.match(text, /^Failover \(clients to eu-west-1\)$/m);
        assert.match(text, /^ {2}FIS experiment running {15}0(\.\d)? s$/m);
        assert.match(text, /^ {2}fault in effect \(\/health fails\) {6}\d(\.\d)? s$/m);
        assert.match(text, /^ {2}Route 53 endpoint check unhealthy {4}\d(\.\d)? s$/m);
        assert.match(text, /^ {2}DNS answer changed {19}\d(\.\d)? s$/m);
        assert.match(text, /^ {2}budget \(offline plan, worst case\) {3}138 s — within budget$/m);
        assert.match(text, /^ {2}served, from the fault in effect {5}\d(\.\d)? s$/m);
        assert.match(text, /^Failback \(clients to us-east-1\)$/m);
        assert.match(text, /^ {2}FIS experiment stopped {15}\d(\.\d)? s$/m);
        assert.match(text, /^ {2}fault lifted \(\/health answers\) {7}\d(\.\d)? s$/m);
        assert.match(text, /^ {2}Route 53 endpoint check healthy {6}\d(\.\d)? s$/m);
        assert.match(text, /^Outcome: completed; experiment EXP1 stopped\.$/m);
    });

    it("takes --from for --region, prints the report as JSON, and compares with a previous one", async () => {
        const previous = path.join(dir, "previous.json");
        const r1 = await chaos(["--chaos", "slow", "--from", PRIMARY, "--timeout", "10"]);
        assert.equal(r1.code, 0, r1.out.join("\n"));
        startInput(PRIMARY, "slow");
        const first = report();
        assert.equal(first.chaos.experiment, "slow");
        first.failover!.seconds.dns = 95.5;
        fs.writeFileSync(previous, JSON.stringify(first));
        env.aws.fisCalls.length = 0;
        const r2 = await chaos([
            "--chaos",
            "slow",
            "--region",
            PRIMARY,
            "--from",
            PRIMARY,
            "--timeout",
            "10",
            "--json",
            "--compare",
            previous,
        ]);
        assert.equal(r2.code, 0);
        const printed = JSON.parse(r2.out.join("\n")) as ChaosDrillReport;
        assert.deepEqual(printed, report());
        assert.deepEqual(
            [printed.kind, printed.outcome, printed.chaos.experimentId],
            ["chaos", "completed", "EXP2"],
        );
        const r3 = await chaos(["--chaos", "slow", "--timeout", "10", "--compare", previous]);
        assert.equal(r3.code, 0);
        assert.match(
            r3.out.join("\n"),
            /^ {2}DNS answer changed {19}\d(\.\d)? s \(previous 95\.5 s, -9\d\.\d s\)$/m,
        );
    });

    it("stops the experiment when interrupted (SIGINT), before the failover completed", async () => {
        env.aws.onExperiment = () => undefined;
        const interrupts = new EventEmitter();
        setTimeout(() => interrupts.emit("SIGINT", "SIGINT"), 250);
        const r = await chaos(["--chaos", "api-fails", "--timeout", "10"], { interrupts });
        assert.equal(r.code, 130);
        stoppedOnce();
        const rep = report();
        assert.deepEqual(
            [rep.outcome, rep.restored, rep.failover!.completed, rep.failback],
            ["interrupted", true, false, undefined],
        );
        assert.ok(
            r.err.includes(
                "Interrupted (SIGINT): finishing up (the experiment the drill started is stopped)…",
            ),
            r.err.join("\n"),
        );
        assert.equal(interrupts.listenerCount("SIGINT"), 0);
        assert.match(r.out.join("\n"), /^Outcome: interrupted; experiment EXP1 stopped\.$/m);
    });

    it("stops the experiment when interrupted while StartExperiment is under way", async () => {
        const interrupts = new EventEmitter();
        const started = env.aws.onExperiment;
        env.aws.onExperiment = (event, x) => {
            if (event === "start") {
                interrupts.emit("SIGTERM", "SIGTERM");
            }
            started(event, x);
        };
        const r = await chaos(["--chaos", "api-fails", "--timeout", "10"], { interrupts });
        assert.equal(r.code, 130);
        stoppedOnce();
        assert.deepEqual([report().outcome, report().restored], ["interrupted", true]);
    });

    it("stops the experiment on timeout", async () => {
        env.aws.onExperiment = () => undefined;
        const r = await chaos(["--chaos", "api-fails", "--timeout", "0.4"]);
        assert.equal(r.code, 1);
        stoppedOnce();
        const rep = report();
        assert.deepEqual(
            [rep.outcome, rep.restored, rep.failover!.seconds.dns, rep.failback],
            ["timeout", true, null, undefined],
        );
        assert.match(r.out.join("\n"), /^Failover \(clients to eu-west-1\): NOT COMPLETED$/m);
    });

    it("ends the drill and stops the experiment when GetExperiment fails", async () => {
        env.aws.denied.add("GetExperiment");
        const r = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
        assert.equal(r.code, 1);
        stoppedOnce();
        const rep = report();
        assert.deepEqual(
            [rep.outcome, rep.restored, rep.failover!.completed, rep.failback],
            ["error", true, false, undefined],
        );
        assert.deepEqual(rep.notes, [
            EXTENSION_DELAY_NOTE,
            `Error: access denied: fis:GetExperiment in ${PRIMARY} (AccessDenied); the operator role needs it (README, "Operator permissions")`,
            `Stopped experiment EXP1 in ${PRIMARY} (StopExperiment accepted).`,
        ]);
    });

    it("retries StopExperiment, and counts an experiment that has already ended as stopped", async () => {
        env.aws.stopFailures.push(
            Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }),
        );
        const r = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
        assert.equal(r.code, 0, r.out.join("\n"));
        assert.equal(calls("StopExperiment").length, 2);
        assert.deepEqual(report().notes.slice(1), [
            `Stopping experiment EXP1 failed (attempt 1): fis:StopExperiment in ${PRIMARY} failed: ThrottlingException: Rate exceeded`,
            `Stopped experiment EXP1 in ${PRIMARY} (StopExperiment accepted).`,
        ]);

        // An experiment FIS has just finished by itself: ConflictException, and GetExperiment
        // confirms it.
        env.aws.fisCalls.length = 0;
        env.aws.stopFailures.push(
            Object.assign(new Error("Experiment EXP2 is in a terminal state."), {
                name: "ConflictException",
            }),
        );
        const ended = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
        assert.equal(ended.code, 0, ended.out.join("\n"));
        assert.equal(calls("StopExperiment").length, 1);
        assert.deepEqual(
            [report().outcome, report().restored, report().notes.slice(1)],
            ["completed", true, [`Experiment EXP2 in ${PRIMARY} had already ended (completed).`]],
        );
    });

    it("finds and stops an experiment whose StartExperiment answer was lost", async () => {
        env.aws.startAnswer = "lost";
        const r = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
        assert.equal(r.code, 1);
        assert.deepEqual(fisCalls(), [
            `StartExperiment ${PRIMARY}`,
            `ListExperiments ${PRIMARY}`,
            `StopExperiment ${PRIMARY}`,
        ]);
        stoppedOnce();
        const rep = report();
        assert.deepEqual(
            [rep.outcome, rep.restored, rep.chaos.experimentId],
            ["error", true, "EXP1"],
        );
        assert.deepEqual(rep.notes, [
            `Error: ${PRIMARY} unreachable: fis:StartExperiment failed (TimeoutError: socket hang up)`,
            "Found the experiment StartExperiment started: EXP1 (ListExperiments).",
            `Stopped experiment EXP1 in ${PRIMARY} (StopExperiment accepted).`,
        ]);
        assert.match(r.out.join("\n"), /^Outcome: error; experiment EXP1 stopped\.$/m);
    });

    it("says what to do when a lost StartExperiment's experiment cannot be looked for", async () => {
        env.aws.startAnswer = "unanswered";
        env.aws.denied.add("ListExperiments");
        const r = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
        assert.equal(r.code, 1);
        assert.deepEqual(calls("StopExperiment"), []);
        // Refused calls are not answered, so counted among all calls.
        assert.equal(env.aws.calls.filter((c) => c === `ListExperiments ${PRIMARY}`).length, 3);
        const rep = report();
        assert.deepEqual(
            [rep.outcome, rep.restored, rep.chaos.experimentId],
            ["error", false, undefined],
        );
        const advice = `it ends by itself at most 10 min after it started; to stop it now: aws fis list-experiments --region us-east-1 --query "experiments[?experimentTemplateId=='EXT-api-fails-us-east-1' && state.status=='running'].id", then aws fis stop-experiment --region us-east-1 --id <id> (or the FIS console: https://us-east-1.console.aws.amazon.com/fis/home?region=us-east-1#Experiments)`;
        assert.equal(rep.notes.at(-1), `Could not tell whether the experiment started: ${advice}.`);
        assert.ok(r.err.includes(`The experiment may still be running: ${advice}.`));
        assert.match(
            r.out.join("\n"),
            /^Outcome: error; experiment \(id unknown\) NOT CONFIRMED STOPPED: it ends by itself/m,
        );

        // Listed, and not there: it never started.
        env.aws.denied.clear();
        const r2 = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
        assert.equal(r2.code, 1);
        assert.deepEqual([report().outcome, report().restored], ["error", true]);
        assert.match(
            report().notes.at(-1)!,
            /^No experiment of template EXT-api-fails-us-east-1 tagged Drill=multi-region-api is pending or running in us-east-1: it did not start\./,
        );
    });

    it("ends the drill when a stop condition ends the experiment, naming the peer", async () => {
        env.aws.onExperiment = (event, x) => {
            if (event === "start") {
                setTimeout(() => {
                    env.aws.peerAlarms.get(stopAlarmName(PRIMARY))!.state = "ALARM";
                    env.aws.endExperiment(x.id, "stopped", "Experiment stopped by stop condition.");
                }, 150);
            }
        };
        const r = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
        assert.equal(r.code, 1);
        assert.deepEqual(calls("StopExperiment"), []);
        const rep = report();
        assert.deepEqual(
            [rep.outcome, rep.restored, rep.failover!.completed, rep.failback, rep.chaos.status],
            ["experiment-ended", true, false, undefined, "stopped"],
        );
        assert.equal(
            rep.notes.at(-1),
            `A stop condition ended the experiment before the failover completed: stop condition ${stopAlarmName(PRIMARY)} in ${PRIMARY} is in ALARM: ${SECONDARY}'s /health, as ${PRIMARY} sees it, is failing (FIS: "Experiment stopped by stop condition."). The drill ended so as not to take the whole service down: see multi-region-api status.`,
        );
        assert.match(r.out.join("\n"), /^Outcome: experiment-ended; experiment EXP1 stopped\.$/m);
    });

    it("ends the drill with FIS's reason when the experiment fails", async () => {
        env.aws.onExperiment = (event, x) => {
            if (event === "start") {
                env.aws.endExperiment(x.id, "failed", "Target resolution failed: no functions.");
            }
        };
        const r = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
        assert.equal(r.code, 1);
        assert.deepEqual(calls("StopExperiment"), []);
        const rep = report();
        assert.deepEqual(
            [rep.outcome, rep.restored, rep.chaos.reason],
            ["experiment-ended", true, "Target resolution failed: no functions."],
        );
        assert.equal(
            rep.notes.at(-1),
            `The experiment failed before the failover completed (FIS: "Target resolution failed: no functions."). See it in the FIS console (${PRIMARY}).`,
        );
    });

    it("starts with --force although the other region is not ready", async () => {
        env.lab.region(SECONDARY).healthy = false;
        const r = await chaos(["--chaos", "api-fails", "--force", "--timeout", "0.5"]);
        assert.equal(r.code, 1);
        stoppedOnce();
        assert.deepEqual([report().outcome, report().restored], ["timeout", true]);
        assert.equal(report().failover!.seconds.served, null);
    });

    describe("refuses before starting anything", () => {
        afterEach(() => assert.deepEqual(calls("StartExperiment"), []));

        it("a region without the chaos output, or an experiment it does not have (exit 2)", async () => {
            const noChaos = outputFiles(env.lab, (region, o) =>
                region === PRIMARY ? { ...o, chaos: null } : o,
            );
            try {
                const r = await chaos(["--chaos", "api-fails"], { files: noChaos.paths });
                assert.deepEqual(
                    [r.code, r.err],
                    [
                        2,
                        [
                            "us-east-1 (stack primary) has no chaos output: enable chaos in its stack config (Pulumi.primary.yaml) and run pulumi up, or pass the outputs of a stack deployed with it",
                        ],
                    ],
                );
            } finally {
                noChaos.remove();
            }
            const unknown = await chaos(["--chaos", "fire"]);
            assert.deepEqual(
                [unknown.code, unknown.err],
                [
                    2,
                    [
                        "--chaos fire: not an experiment of us-east-1 (stack primary); its experiments: api-fails, slow",
                    ],
                ],
            );
            const both = await chaos(["--chaos", "slow", "--from", PRIMARY, "--region", SECONDARY]);
            assert.deepEqual(
                [both.code, both.err],
                [
                    2,
                    [
                        "--from us-east-1 and --region eu-west-1: with --chaos both name the region to break; pass one",
                    ],
                ],
            );
            const noChaosOption = await chaos(["--region", PRIMARY]);
            assert.deepEqual(
                [noChaosOption.code, noChaosOption.err],
                [
                    2,
                    [
                        "--region goes with --chaos <experiment>; a switch drill takes --from <region>",
                    ],
                ],
            );
            assert.equal(fs.existsSync(reportFile), false);
        });

        it("the other region is not ready (unless --force)", async () => {
            env.lab.region(SECONDARY).healthy = false;
            const r = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
            assert.equal(r.code, 1);
            assert.deepEqual(
                [report().outcome, report().restored, report().notes],
                ["refused", true, ["Refused: eu-west-1 is not ready (failed checks above)."]],
            );
            assert.match(r.out.join("\n"), /^Outcome: refused; nothing started\.$/m);
        });

        it("the operator does not confirm (the question says what it breaks and costs)", async () => {
            const asked: string[] = [];
            const r = await runCli(
                [
                    "drill",
                    "--chaos",
                    "api-fails",
                    "--outputs",
                    ...env.files.paths,
                    "--resolver",
                    env.lab.dns.address,
                    "--plan",
                    planFile,
                    "--report",
                    reportFile,
                ],
                {
                    confirm: (question) => {
                        asked.push(question);
                        return Promise.resolve(false);
                    },
                },
            );
            assert.equal(r.code, 1);
            assert.deepEqual(asked, [
                "drill --chaos api-fails: start FIS experiment template EXT-api-fails-us-east-1 in us-east-1 (every invocation of its functions answers 503, for at most 10 min: up to $1.00), wait until eu-west-1 serves, then stop it and watch the failback?",
            ]);
            assert.deepEqual(report().notes, ["Not confirmed: nothing started."]);
        });

        it("a stop condition is already in ALARM, the switch is engaged, or clients are elsewhere", async () => {
            env.aws.peerAlarms.get(stopAlarmName(PRIMARY))!.state = "ALARM";
            const alarm = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
            assert.equal(alarm.code, 1);
            assert.deepEqual(report().notes, [
                `Refused: stop condition ${stopAlarmName(PRIMARY)} in ${PRIMARY} is in ALARM: ${SECONDARY}'s /health, as ${PRIMARY} sees it, is failing: the experiment would stop at once.`,
            ]);
            env.aws.peerAlarms.get(stopAlarmName(PRIMARY))!.state = "OK";
            env.aws.preset(PRIMARY, 1);
            env.lab.answer(SECONDARY);
            const engaged = await chaos(["--chaos", "api-fails", "--timeout", "10"]);
            assert.equal(engaged.code, 1);
            assert.deepEqual(report().notes, [
                "Refused: us-east-1's switch is engaged: the region is out of DNS already (release it with failback --to us-east-1); the service name answers eu-west-1, not us-east-1: nothing to fail over.",
            ]);
            env.aws.preset(PRIMARY, 0);
            env.lab.answer(PRIMARY);
            const secondary = await chaos(["--chaos", "api-fails", "--region", SECONDARY]);
            assert.equal(secondary.code, 1);
            assert.deepEqual(report().notes, [
                "Refused: the service name answers us-east-1, not eu-west-1: nothing to fail over.",
            ]);
        });
    });
});
