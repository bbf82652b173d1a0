// `drill`: fail a region over with its switch, time every step until clients are served by the
// other region, fail back and time that too; compare with the offline plan's budget. Whatever
// happens (Ctrl-C, timeout, an error), the switch is released before the command ends.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Confirm, OpsContext } from "./context";
import {
    OperatorInputError,
    regionNamed,
    switchOf,
    type RegionOutputs,
    type Service,
} from "./outputs";
import { readiness, readinessPasses, readinessText } from "./readiness";
import { alarmStates, checkStatus, serviceView } from "./status";
import {
    clock,
    publishSwitch,
    releaseSwitch,
    sleepUnless,
    switchAlarmProblem,
    takeoverRegions,
} from "./switch";

/** The steps of one phase, in the order they normally happen. */
export const MILESTONES = ["alarm", "healthCheck", "dns", "served"] as const;
export type Milestone = (typeof MILESTONES)[number];

const MILESTONE_TEXT: Record<Milestone, string> = {
    alarm: "switch alarm changed state",
    healthCheck: "Route 53 switch check changed",
    dns: "DNS answer changed",
    served: "first response from the new region",
};

export interface PhaseReport {
    /** Seconds from the switch's PutMetricData to each step; null when not observed. */
    seconds: Record<Milestone, number | null>;
    completed: boolean;
    /** Region clients should land on in this phase. */
    expected: string;
}

export interface DrillReport {
    service: string;
    stack: string;
    from: string;
    to: string;
    startedAt: string;
    budget: { failoverSeconds: number | null; failbackSeconds: number | null; source: string };
    failover?: PhaseReport;
    failback?: PhaseReport;
    outcome: "completed" | "timeout" | "interrupted" | "error" | "refused";
    /** Whether the switch was released at the end (always, unless releasing failed). */
    restored: boolean;
    notes: string[];
}

export interface DrillOptions {
    from?: string;
    yes?: boolean;
    force?: boolean;
    timeoutSeconds: number;
    intervalSeconds: number;
    /** Plan JSON (`multi-region-api plan --json`) with the stack's budget. */
    plan?: string;
    report?: string;
    compare?: string;
    json?: boolean;
    /** Live progress rewrites one line (a terminal) instead of printing each change. */
    tty?: boolean;
}

/** The stack's budget from a plan JSON document (`stacks.<stack>.budget`). */
export function budgetFromPlan(file: string, stack: string): DrillReport["budget"] {
    let plan: unknown;
    try {
        plan = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new OperatorInputError(
            `--plan ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; write it with \`multi-region-api plan --json > ${file}\``,
        );
    }
    const budget = (plan as { stacks?: Record<string, { budget?: Record<string, unknown> }> })
        ?.stacks?.[stack]?.budget;
    if (!budget) {
        throw new OperatorInputError(
            `--plan ${file} has no budget for stack ${stack} (stacks.${stack}.budget)`,
        );
    }
    const seconds = (v: unknown) => (typeof v === "number" ? v : null);
    return {
        failoverSeconds: seconds(budget.failoverSeconds),
        failbackSeconds: seconds(budget.failbackSeconds),
        source: file,
    };
}

/** Runs the offline plan for one stack of the project, for its budget. */
async function budgetFromProject(project: string, stack: string): Promise<DrillReport["budget"]> {
    try {
        const [{ plan }, { readProject }] = await Promise.all([
            import("../plan/cli"),
            import("../plan/stackFiles"),
        ]);
        const p = await plan(readProject(project), [stack]);
        const b = p.stacks[stack].budget;
        return {
            failoverSeconds: b.failoverSeconds,
            failbackSeconds: b.failbackSeconds,
            source: `plan of ${stack}`,
        };
    } catch (e) {
        return {
            failoverSeconds: null,
            failbackSeconds: null,
            source: `not available (${(e as Error).message.split("\n")[0]}); pass --plan <file>`,
        };
    }
}

/** The latest result of one kind of observation, stamped when it completed. */
interface Latest<T> {
    value?: T;
    at?: number;
}

/**
 * Repeats `observe` every `intervalMs` until `signal` aborts, keeping the latest result: a slow
 * observation (Route 53's API while us-east-1 struggles) delays only itself, and each result
 * carries the time it arrived.
 */
function keepObserving<T>(
    ctx: OpsContext,
    observe: () => Promise<T>,
    intervalMs: number,
    signal: AbortSignal,
    onResult: (value: T, at: number) => void,
): Promise<void> {
    return (async () => {
        while (!signal.aborted) {
            const started = ctx.now();
            try {
                const value = await observe();
                if (!signal.aborted) {
                    onResult(value, ctx.now());
                }
            } catch {
                // A failed observation is no observation; the others go on.
            }
            await sleepUnless(ctx, Math.max(0, intervalMs - (ctx.now() - started)), signal);
        }
    })();
}

/**
 * Watches until clients are served by `expected`, recording when each step is first seen (the
 * time its observation completed). Ends early (not completed) on timeout or abort.
 */
async function phase(
    ctx: OpsContext,
    service: Service,
    from: RegionOutputs,
    name: "failover" | "failback",
    engaged: boolean,
    expected: string,
    budgetSeconds: number | null,
    options: DrillOptions,
    deadline: number,
    signal: AbortSignal,
    notes: Set<string>,
): Promise<PhaseReport> {
    const sw = from.operatorSwitch!;
    const started = ctx.now();
    const seconds: PhaseReport["seconds"] = {
        alarm: null,
        healthCheck: null,
        dns: null,
        served: null,
    };
    const stamp = (m: Milestone, seen: boolean, at: number) => {
        if (seen && seconds[m] === null) {
            seconds[m] = Math.round((at - started) / 100) / 10;
        }
    };
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    const alarm: Latest<string> = {};
    const check: Latest<boolean> = {};
    const view: Latest<{ answer?: string; served?: string }> = {};
    const intervalMs = options.intervalSeconds * 1000;
    const observers = [
        keepObserving(
            ctx,
            async () =>
                (
                    await alarmStates(
                        ctx,
                        [{ role: "switch", name: sw.alarmName, region: sw.region }],
                        stop.signal,
                    )
                )[0].state,
            intervalMs,
            stop.signal,
            (state, at) => {
                Object.assign(alarm, { value: state, at });
                stamp("alarm", state === (engaged ? "ALARM" : "OK"), at);
            },
        ),
        keepObserving(
            ctx,
            () =>
                checkStatus(
                    ctx,
                    { role: "switch", id: sw.healthCheckId, source: "metric" },
                    stop.signal,
                ).catch((e: Error) => {
                    notes.add(`Route 53's switch check not observed: ${e.message}`);
                    throw e;
                }),
            intervalMs,
            stop.signal,
            (s, at) => {
                Object.assign(check, { value: s.healthy, at });
                stamp("healthCheck", s.healthy === !engaged, at);
            },
        ),
        keepObserving(
            ctx,
            () => serviceView(ctx, service),
            intervalMs,
            stop.signal,
            ({ answer, served }, at) => {
                const servedBy = served?.healthy ? served.servedBy : undefined;
                Object.assign(view, { value: { answer: answer.region, served: servedBy }, at });
                stamp("dns", answer.region === expected, at);
                stamp("served", servedBy === expected, at);
            },
        ),
    ];
    let lastState = "";
    try {
        for (;;) {
            const elapsed = ctx.now() - started;
            const checkText =
                check.value === undefined ? "unknown" : check.value ? "healthy" : "unhealthy";
            const state = ` · DNS ${view.value?.answer ?? "unknown"} · served by ${view.value?.served ?? "none"} · switch alarm ${alarm.value ?? "unknown"} · switch check ${checkText}`;
            const line = `${name} ${clock(elapsed)}${budgetSeconds !== null ? ` / budget ${clock(budgetSeconds * 1000)}` : ""}${state}`;
            // Each change gets a line; a terminal also shows the clock ticking on a line rewritten
            // in place between changes.
            if (state !== lastState) {
                ctx.err(options.tty ? `\r\x1b[K${line}` : line);
            } else if (options.tty) {
                ctx.rewrite(line);
            }
            lastState = state;
            if (seconds.dns !== null && seconds.served !== null) {
                return { seconds, completed: true, expected };
            }
            if (ctx.now() >= deadline || signal.aborted) {
                return { seconds, completed: false, expected };
            }
            await sleepUnless(ctx, Math.min(intervalMs, Math.max(0, deadline - ctx.now())), signal);
        }
    } finally {
        stop.abort();
        signal.removeEventListener("abort", onAbort);
        // Observations in flight end within their own timeouts; nothing waits for them.
        void Promise.allSettled(observers);
    }
}

function phaseText(
    name: string,
    p: PhaseReport | undefined,
    budget: number | null,
    previous?: PhaseReport,
): string[] {
    if (!p) {
        return [`${name}: not run`];
    }
    const lines = [`${name} (clients to ${p.expected})${p.completed ? "" : ": NOT COMPLETED"}`];
    for (const m of MILESTONES) {
        const s = p.seconds[m];
        const before = previous?.seconds[m];
        const delta =
            s !== null && typeof before === "number"
                ? ` (previous ${before} s, ${s - before >= 0 ? "+" : ""}${Math.round((s - before) * 10) / 10} s)`
                : "";
        lines.push(
            `  ${MILESTONE_TEXT[m].padEnd(36)} ${s === null ? "not observed" : `${s} s`}${delta}`,
        );
    }
    const served = p.seconds.served;
    lines.push(
        `  budget (offline plan, worst case)   ${budget === null ? "unknown" : `${budget} s`}${served !== null && budget !== null ? (served <= budget ? " — within budget" : " — OVER BUDGET") : ""}`,
    );
    return lines;
}

export function drillText(r: DrillReport, previous?: DrillReport): string {
    return [
        `Drill of ${r.service}: ${r.from} → ${r.to} and back (stack ${r.stack}), started ${r.startedAt}`,
        ...phaseText("Failover", r.failover, r.budget.failoverSeconds, previous?.failover),
        ...phaseText("Failback", r.failback, r.budget.failbackSeconds, previous?.failback),
        `Budget from ${r.budget.source}.`,
        ...r.notes,
        `Outcome: ${r.outcome}; switch ${r.restored ? "released" : "NOT RELEASED: release it now with multi-region-api failback --to " + r.from}.`,
    ].join("\n");
}

function readPrevious(file: string): DrillReport {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as DrillReport;
    } catch (e) {
        throw new OperatorInputError(
            `--compare ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
    }
}

/**
 * Runs a drill; returns the exit status: 0 when both phases completed, 1 on refusal, timeout or
 * error, 130 when interrupted. The switch is released in every case once it was engaged.
 */
export async function runDrill(
    ctx: OpsContext,
    service: Service,
    options: DrillOptions,
    confirm: Confirm,
    signal: AbortSignal,
    project = ".",
): Promise<number> {
    const fromName =
        options.from ?? service.regions.find((r) => r.failoverRole === "PRIMARY")?.region;
    if (!fromName) {
        throw new OperatorInputError("--from <region> is required with latency routing");
    }
    const from = regionNamed(service, fromName, "--from");
    const sw = switchOf(from);
    const [to, ...others] = takeoverRegions(service, from);
    if (!to || others.length > 0) {
        throw new OperatorInputError(
            `a drill moves ${from.region}'s clients to one other region; the service has ${service.regions.length} regions (pass the two stacks to drill)`,
        );
    }
    const previous = options.compare ? readPrevious(options.compare) : undefined;
    if (options.report) {
        checkWritable(options.report);
    }
    const budget = options.plan
        ? budgetFromPlan(options.plan, from.stack)
        : await budgetFromProject(project, from.stack);
    const notes = new Set<string>();
    const report: DrillReport = {
        service: service.name,
        stack: from.stack,
        from: from.region,
        to: to.region,
        startedAt: new Date(ctx.now()).toISOString(),
        budget,
        outcome: "refused",
        restored: true,
        notes: [],
    };
    const end = (code: number) => {
        report.notes = [...notes];
        // The results are shown first: a report that cannot be written must not lose them.
        ctx.out(options.json ? JSON.stringify(report, null, 2) : drillText(report, previous));
        if (options.report) {
            try {
                fs.writeFileSync(options.report, `${JSON.stringify(report, null, 2)}\n`);
            } catch (e) {
                ctx.err(
                    `Could not write the report to ${options.report}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
                );
                return code === 0 ? 1 : code;
            }
        }
        return code;
    };

    // Before anything changes: the other region must be ready, the switch released and watching
    // the metric the outputs name, and clients on the region being drilled (otherwise nothing
    // would be measured).
    const [rows, [switchAlarm], { answer }] = await Promise.all([
        readiness(ctx, service, { regions: [to], targetOnly: true }),
        alarmStates(ctx, [{ role: "switch", name: sw.alarmName, region: sw.region }]),
        serviceView(ctx, service),
    ]);
    const switchProblem = switchAlarmProblem(switchAlarm, sw);
    const refusals = [
        ...(readinessPasses(rows) || options.force
            ? []
            : [`${to.region} is not ready (failed checks above)`]),
        ...(switchProblem ? [`${from.region}'s switch ${switchProblem}`] : []),
        ...(switchAlarm.state === "ALARM"
            ? [
                  `${from.region}'s switch is already engaged (release it with failback --to ${from.region})`,
              ]
            : []),
        ...(answer.region === from.region
            ? []
            : [
                  `the service name answers ${answer.region ?? answer.problem ?? "an unknown region"}, not ${from.region}: nothing to fail over`,
              ]),
    ];
    if (!options.json) {
        ctx.out(readinessText(rows));
    }
    if (refusals.length > 0) {
        notes.add(`Refused: ${refusals.join("; ")}.`);
        return end(1);
    }
    if (
        !options.yes &&
        !(await confirm(
            `drill: take ${from.region} out of DNS, wait until ${to.region} serves, then fail back?`,
        ))
    ) {
        notes.add("Not confirmed: nothing changed.");
        return end(1);
    }
    if (signal.aborted) {
        report.outcome = "interrupted";
        notes.add("Interrupted before the switch was flipped: nothing changed.");
        return end(130);
    }

    const deadline = ctx.now() + options.timeoutSeconds * 1000;
    // Counted as engaged from the moment the call goes out: a call whose answer is lost may still
    // have engaged it, and releasing a released switch is harmless.
    let engagedAt: number | undefined = ctx.now();
    report.restored = false;
    try {
        await publishSwitch(ctx, sw, 1);
        report.failover = await phase(
            ctx,
            service,
            from,
            "failover",
            true,
            to.region,
            budget.failoverSeconds,
            options,
            deadline,
            signal,
            notes,
        );
        if (report.failover.completed) {
            const releaseStarted = ctx.now();
            const releasedAt = await releaseSwitch(ctx, sw, engagedAt);
            engagedAt = undefined;
            report.restored = true;
            notes.add(releasedNote(from));
            report.failback = await phase(
                ctx,
                service,
                from,
                "failback",
                false,
                from.region,
                budget.failbackSeconds,
                options,
                // The wait for a new minute (see releaseSwitch) is not the drill's time.
                deadline + (releasedAt - releaseStarted),
                signal,
                notes,
            );
        }
        report.outcome = signal.aborted
            ? "interrupted"
            : report.failover.completed && report.failback?.completed
              ? "completed"
              : "timeout";
    } catch (e) {
        report.outcome = "error";
        notes.add(`Error: ${(e as Error).message}`);
    } finally {
        if (engagedAt !== undefined) {
            report.restored = await release(ctx, from, engagedAt, notes);
        }
    }
    if (options.tty) {
        ctx.rewrite("");
    }
    return end(report.outcome === "completed" ? 0 : report.outcome === "interrupted" ? 130 : 1);
}

const releasedNote = (from: RegionOutputs) => {
    const sw = from.operatorSwitch!;
    return `Released ${from.region}'s switch (published 0 to ${sw.namespace}/${sw.metricName} in ${sw.region}).`;
};

/** Refuses, before anything changes, a report path that cannot be written. */
function checkWritable(file: string): void {
    try {
        fs.accessSync(path.dirname(path.resolve(file)), fs.constants.W_OK);
        if (fs.existsSync(file)) {
            fs.accessSync(file, fs.constants.W_OK);
        }
    } catch (e) {
        throw new OperatorInputError(
            `--report ${file}: cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        );
    }
}

/** Releases the switch, retrying: the drill must not leave a region out of DNS. */
async function release(
    ctx: OpsContext,
    from: RegionOutputs,
    engagedAt: number,
    notes: Set<string>,
): Promise<boolean> {
    const sw = from.operatorSwitch!;
    for (let attempt = 1; attempt <= 3; attempt++) {
        try {
            await releaseSwitch(ctx, sw, engagedAt);
            notes.add(releasedNote(from));
            return true;
        } catch (e) {
            notes.add(`Releasing the switch failed (attempt ${attempt}): ${(e as Error).message}`);
            await ctx.sleep(1000 * attempt);
        }
    }
    return false;
}
