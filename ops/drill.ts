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
import { alarmStates, checkStatus, serviceView, type AlarmStatus, type CheckRef } from "./status";
import {
    clock,
    publishSwitch,
    releaseSwitch,
    sleepUnless,
    switchAlarmProblem,
    takeoverRegions,
} from "./switch";

/** The steps of one phase of a switch drill, in the order they normally happen. */
export const MILESTONES = ["alarm", "healthCheck", "dns", "served"] as const;
export type SwitchMilestone = (typeof MILESTONES)[number];
/**
 * The steps of one phase of a chaos drill (`drill --chaos`): the experiment's own state, the fault
 * seen on the region's own `/health`, Route 53's endpoint check, DNS, the first response.
 */
export const CHAOS_MILESTONES = [
    "experiment",
    "regionHealth",
    "endpointCheck",
    "dns",
    "served",
] as const;
export type ChaosMilestone = (typeof CHAOS_MILESTONES)[number];
export type Milestone = SwitchMilestone | ChaosMilestone;

/** What each step means, per phase (a chaos drill's steps read differently on the way back). */
const MILESTONE_TEXT: Record<Milestone, { failover: string; failback: string }> = {
    alarm: { failover: "switch alarm changed state", failback: "switch alarm changed state" },
    healthCheck: {
        failover: "Route 53 switch check changed",
        failback: "Route 53 switch check changed",
    },
    experiment: { failover: "FIS experiment running", failback: "FIS experiment stopped" },
    regionHealth: {
        failover: "fault in effect (/health fails)",
        failback: "fault lifted (/health answers)",
    },
    endpointCheck: {
        failover: "Route 53 endpoint check unhealthy",
        failback: "Route 53 endpoint check healthy",
    },
    dns: { failover: "DNS answer changed", failback: "DNS answer changed" },
    served: {
        failover: "first response from the new region",
        failback: "first response from the new region",
    },
};

export interface PhaseReport<M extends Milestone = SwitchMilestone> {
    /**
     * Seconds from the change that starts the phase (the switch's PutMetricData; a chaos drill's
     * StartExperiment or StopExperiment call) to each step; null when not observed.
     */
    seconds: Record<M, number | null>;
    completed: boolean;
    /** Region clients should land on in this phase. */
    expected: string;
}

/** The experiment of a chaos drill. */
export interface ChaosDetails {
    /** The experiment's key in the stack output `chaos.experiments` (`api-fails`, `slow`). */
    experiment: string;
    templateId: string;
    /** Where the experiment runs: the region it breaks. */
    region: string;
    /** The StartExperiment idempotency token (a random UUID). */
    clientToken: string;
    /** FIS's id of the experiment; absent when it did not start, or its start's answer was lost and it was not found. */
    experimentId?: string;
    /** The experiment's last state as FIS reported it, and FIS's reason. */
    status?: string;
    reason?: string;
    maxDurationMinutes: number;
}

/**
 * A drill's result (`--report`). `kind` is absent in switch drills' reports written before chaos
 * drills existed. A chaos drill's phases keep the names failover and failback (the automatic
 * failover, and the failback once the experiment is stopped), so the plan's budgets and
 * `--compare` apply to both kinds; their steps are {@link CHAOS_MILESTONES}.
 */
export interface DrillReport<M extends Milestone = SwitchMilestone> {
    kind?: "switch" | "chaos";
    service: string;
    stack: string;
    /** The region taken out (a chaos drill: the region broken). */
    from: string;
    to: string;
    startedAt: string;
    budget: { failoverSeconds: number | null; failbackSeconds: number | null; source: string };
    failover?: PhaseReport<M>;
    failback?: PhaseReport<M>;
    /**
     * `experiment-ended`: a chaos drill's experiment ended by itself before the failover completed
     * (a stop condition fired, it failed, or its maximum duration passed); the notes say why.
     */
    outcome: "completed" | "timeout" | "interrupted" | "error" | "refused" | "experiment-ended";
    /**
     * Whether what the drill changed was undone at the end: the switch released, or the
     * experiment stopped (or found finished). True when nothing was changed.
     */
    restored: boolean;
    chaos?: ChaosDetails;
    notes: string[];
}

export type ChaosDrillReport = DrillReport<ChaosMilestone> & { kind: "chaos"; chaos: ChaosDetails };

export interface DrillOptions {
    from?: string;
    /** `--region`: the same as `from`, for `--chaos`. */
    region?: string;
    /** `--chaos <experiment>`: break the region with this FIS experiment instead of its switch. */
    chaos?: string;
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

/** One kind of observation a phase repeats: the steps it can see, and its part of the progress line. */
export interface PhaseObserver<M extends Milestone> {
    /** Observes every `intervalMs` until `signal` aborts; `stamp` records a step the first time it is seen. */
    run(
        intervalMs: number,
        signal: AbortSignal,
        stamp: (m: M, seen: boolean, at: number) => void,
    ): Promise<void>;
    /** Its part of the progress line, from its latest result. */
    text(): string;
}

/**
 * An observer from an observation (`observe`, given the phase's abort signal), the steps each
 * result shows (`steps`), and how its latest result reads in the progress line (`text`).
 */
export function observer<T, M extends Milestone>(
    ctx: OpsContext,
    observe: (signal: AbortSignal) => Promise<T>,
    steps: (value: T) => Partial<Record<M, boolean>>,
    text: (latest: T | undefined) => string,
): PhaseObserver<M> {
    let latest: T | undefined;
    return {
        run: (intervalMs, signal, stamp) =>
            keepObserving(
                ctx,
                () => observe(signal),
                intervalMs,
                signal,
                (value, at) => {
                    latest = value;
                    for (const [m, seen] of Object.entries(steps(value)) as [M, boolean][]) {
                        stamp(m, seen, at);
                    }
                },
            ),
        text: () => text(latest),
    };
}

/**
 * An observer of one Route 53 health check, `label` in the progress line: stamps `milestone` when
 * the check's health is `healthy`, and notes an observation that failed.
 */
export function checkObserver<M extends Milestone>(
    ctx: OpsContext,
    check: CheckRef,
    label: string,
    milestone: M,
    healthy: boolean,
    notes: Set<string>,
): PhaseObserver<M> {
    return observer(
        ctx,
        (signal) =>
            checkStatus(ctx, check, signal).catch((e: Error) => {
                notes.add(`Route 53's ${label} not observed: ${e.message}`);
                throw e;
            }),
        (s) => ({ [milestone]: s.healthy === healthy }) as Partial<Record<M, boolean>>,
        (s) =>
            `${label} ${s?.healthy === undefined ? "unknown" : s.healthy ? "healthy" : "unhealthy"}`,
    );
}

/**
 * The service name's answer from the zone's name servers and `/health` through it: steps `dns`
 * (the answer is `expected`) and `served` (a healthy answer served by `expected`).
 */
export function answerObserver<M extends Milestone>(
    ctx: OpsContext,
    service: Service,
    expected: string,
): PhaseObserver<M> {
    return observer<{ answer?: string; served?: string }, M>(
        ctx,
        async () => {
            const { answer, served } = await serviceView(ctx, service);
            return { answer: answer.region, served: served?.healthy ? served.servedBy : undefined };
        },
        (v) =>
            ({ dns: v.answer === expected, served: v.served === expected }) as Partial<
                Record<M, boolean>
            >,
        (v) => `DNS ${v?.answer ?? "unknown"} · served by ${v?.served ?? "none"}`,
    );
}

/** What one phase watches. */
export interface PhaseSpec<M extends Milestone> {
    name: "failover" | "failback";
    /** Region clients should land on. */
    expected: string;
    /** Its steps, in the order they normally happen. */
    milestones: readonly M[];
    observers: PhaseObserver<M>[];
    budgetSeconds: number | null;
}

/**
 * Watches until clients are served by `spec.expected` (the steps `dns` and `served` seen),
 * recording when each step is first seen (the time its observation completed). Ends early (not
 * completed) on the deadline or when `signal` aborts.
 */
export async function phase<M extends Milestone>(
    ctx: OpsContext,
    spec: PhaseSpec<M>,
    options: Pick<DrillOptions, "intervalSeconds" | "tty">,
    deadline: number,
    signal: AbortSignal,
): Promise<PhaseReport<M>> {
    const started = ctx.now();
    const seconds = Object.fromEntries(spec.milestones.map((m) => [m, null])) as Record<
        M,
        number | null
    >;
    const stamp = (m: M, seen: boolean, at: number) => {
        if (seen && seconds[m] === null) {
            seconds[m] = Math.round((at - started) / 100) / 10;
        }
    };
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    const intervalMs = options.intervalSeconds * 1000;
    const running = spec.observers.map((o) => o.run(intervalMs, stop.signal, stamp));
    const seen = (m: Milestone) => (seconds as Partial<Record<Milestone, number | null>>)[m];
    let lastState = "";
    try {
        for (;;) {
            const elapsed = ctx.now() - started;
            const state = spec.observers.map((o) => ` · ${o.text()}`).join("");
            const line = `${spec.name} ${clock(elapsed)}${spec.budgetSeconds !== null ? ` / budget ${clock(spec.budgetSeconds * 1000)}` : ""}${state}`;
            // Each change gets a line; a terminal also shows the clock ticking on a line rewritten
            // in place between changes.
            if (state !== lastState) {
                ctx.err(options.tty ? `\r\x1b[K${line}` : line);
            } else if (options.tty) {
                ctx.rewrite(line);
            }
            lastState = state;
            if (typeof seen("dns") === "number" && typeof seen("served") === "number") {
                return { seconds, completed: true, expected: spec.expected };
            }
            if (ctx.now() >= deadline || signal.aborted) {
                return { seconds, completed: false, expected: spec.expected };
            }
            await sleepUnless(ctx, Math.min(intervalMs, Math.max(0, deadline - ctx.now())), signal);
        }
    } finally {
        stop.abort();
        signal.removeEventListener("abort", onAbort);
        // Observations in flight end within their own timeouts; nothing waits for them.
        void Promise.allSettled(running);
    }
}

/** The observers of a switch drill's phase. */
function switchObservers(
    ctx: OpsContext,
    service: Service,
    from: RegionOutputs,
    engaged: boolean,
    expected: string,
    notes: Set<string>,
): PhaseObserver<SwitchMilestone>[] {
    const sw = from.operatorSwitch!;
    return [
        answerObserver(ctx, service, expected),
        observer(
            ctx,
            async (signal) =>
                (
                    await alarmStates(
                        ctx,
                        [{ role: "switch", name: sw.alarmName, region: sw.region }],
                        signal,
                    )
                )[0].state,
            (state) => ({ alarm: state === (engaged ? "ALARM" : "OK") }),
            (state) => `switch alarm ${state ?? "unknown"}`,
        ),
        checkObserver(
            ctx,
            { role: "switch", id: sw.healthCheckId, source: "metric" },
            "switch check",
            "healthCheck",
            !engaged,
            notes,
        ),
    ];
}

function phaseText<M extends Milestone>(
    name: "Failover" | "Failback",
    milestones: readonly M[],
    p: PhaseReport<M> | undefined,
    budget: number | null,
    previous?: PhaseReport<Milestone>,
): string[] {
    if (!p) {
        return [`${name}: not run`];
    }
    const key = name === "Failover" ? "failover" : "failback";
    const lines = [`${name} (clients to ${p.expected})${p.completed ? "" : ": NOT COMPLETED"}`];
    for (const m of milestones) {
        const s = p.seconds[m];
        const before = (previous?.seconds as Partial<Record<Milestone, number | null>>)?.[m];
        const delta =
            s !== null && typeof before === "number"
                ? ` (previous ${before} s, ${s - before >= 0 ? "+" : ""}${Math.round((s - before) * 10) / 10} s)`
                : "";
        lines.push(
            `  ${MILESTONE_TEXT[m][key].padEnd(36)} ${s === null ? "not observed" : `${s} s`}${delta}`,
        );
    }
    const served = p.seconds[milestones[milestones.length - 1]];
    lines.push(
        `  budget (offline plan, worst case)   ${budget === null ? "unknown" : `${budget} s`}${served !== null && budget !== null ? (served <= budget ? " — within budget" : " — OVER BUDGET") : ""}`,
    );
    const fault = (p.seconds as Partial<Record<Milestone, number | null>>).regionHealth;
    if (key === "failover" && typeof fault === "number" && served !== null) {
        lines.push(
            `  ${"served, from the fault in effect".padEnd(36)} ${Math.round((served - fault) * 10) / 10} s`,
        );
    }
    return lines;
}

/** A drill's report for people (`previous`: a report to compare each step with). */
export function drillText(r: DrillReport<Milestone>, previous?: DrillReport<Milestone>): string {
    const chaos = r.kind === "chaos" ? r.chaos : undefined;
    const milestones: readonly Milestone[] = chaos ? CHAOS_MILESTONES : MILESTONES;
    const heading = chaos
        ? `Chaos drill of ${r.service}: FIS experiment ${chaos.experiment} (template ${chaos.templateId}${chaos.experimentId ? `, experiment ${chaos.experimentId}` : ""}) breaks ${r.from}; clients to ${r.to} and back (stack ${r.stack}), started ${r.startedAt}`
        : `Drill of ${r.service}: ${r.from} → ${r.to} and back (stack ${r.stack}), started ${r.startedAt}`;
    const restored = chaos
        ? r.restored
            ? chaos.experimentId
                ? `experiment ${chaos.experimentId} stopped`
                : r.outcome === "refused"
                  ? "nothing started"
                  : "no experiment left running"
            : `experiment ${chaos.experimentId ?? "(id unknown)"} NOT CONFIRMED STOPPED: ${stopAdvice(r.from, chaos)}`
        : `switch ${r.restored ? "released" : "NOT RELEASED: release it now with multi-region-api failback --to " + r.from}`;
    return [
        heading,
        ...phaseText(
            "Failover",
            milestones,
            r.failover,
            r.budget.failoverSeconds,
            previous?.failover,
        ),
        ...phaseText(
            "Failback",
            milestones,
            r.failback,
            r.budget.failbackSeconds,
            previous?.failback,
        ),
        `Budget from ${r.budget.source}.`,
        ...r.notes,
        `Outcome: ${r.outcome}; ${restored}.`,
    ].join("\n");
}

/** How to stop a chaos drill's experiment by hand, and when it stops by itself. */
export function stopAdvice(region: string, chaos: ChaosDetails): string {
    const find = `aws fis list-experiments --region ${region} --query "experiments[?experimentTemplateId=='${chaos.templateId}' && state.status=='running'].id"`;
    return `it ends by itself at most ${chaos.maxDurationMinutes} min after it started; to stop it now: ${chaos.experimentId ? "" : `${find}, then `}aws fis stop-experiment --region ${region} --id ${chaos.experimentId ?? "<id>"} (or the FIS console: https://${region}.console.aws.amazon.com/fis/home?region=${region}#Experiments)`;
}

function readPrevious(file: string): DrillReport<Milestone> {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as DrillReport<Milestone>;
    } catch (e) {
        throw new OperatorInputError(
            `--compare ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
    }
}

/** What a drill of either kind starts from, and how it ends. */
export interface DrillFrame<M extends Milestone> {
    /** The region that takes the clients. */
    to: RegionOutputs;
    report: DrillReport<M>;
    notes: Set<string>;
    /** Prints the result (and writes `--report`); returns the exit status. */
    end: (code: number) => number;
}

/**
 * Before anything changes: the one region that takes `from`'s clients, `--compare` read,
 * `--report` writable, the budget; then a report (outcome `refused` until the drill runs) and
 * how to end.
 */
export async function drillFrame<M extends Milestone>(
    ctx: OpsContext,
    service: Service,
    from: RegionOutputs,
    options: DrillOptions,
    project: string,
): Promise<DrillFrame<M>> {
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
    const report: DrillReport<M> = {
        kind: options.chaos === undefined ? "switch" : "chaos",
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
        if (options.tty) {
            ctx.rewrite("");
        }
        // The results are shown first: a report that cannot be written must not lose them.
        ctx.out(
            options.json
                ? JSON.stringify(report, null, 2)
                : drillText(report as DrillReport<Milestone>, previous),
        );
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
    return { to, report, notes, end };
}

/** The region a drill breaks: `--from` or, with `--chaos`, `--region` (default: the PRIMARY). */
function drilledRegion(service: Service, options: DrillOptions): RegionOutputs {
    if (options.region !== undefined && options.chaos === undefined) {
        throw new OperatorInputError(
            "--region goes with --chaos <experiment>; a switch drill takes --from <region>",
        );
    }
    if (
        options.region !== undefined &&
        options.from !== undefined &&
        options.region !== options.from
    ) {
        throw new OperatorInputError(
            `--from ${options.from} and --region ${options.region}: with --chaos both name the region to break; pass one`,
        );
    }
    const option = options.region !== undefined ? "--region" : "--from";
    const name =
        options.region ??
        options.from ??
        service.regions.find((r) => r.failoverRole === "PRIMARY")?.region;
    if (!name) {
        throw new OperatorInputError(`${option} <region> is required with latency routing`);
    }
    return regionNamed(service, name, option);
}

/**
 * What every drill checks before it changes anything, in the order the refusals are told: the
 * region taking the traffic is ready (readiness in that region only, unless `force`), `alarms`
 * (read in their regions) allow it as `judge` says, and clients are on `from` now (otherwise
 * nothing would be measured). Prints the readiness rows unless `json`.
 */
export async function preflight(
    ctx: OpsContext,
    service: Service,
    from: RegionOutputs,
    to: RegionOutputs,
    options: { force?: boolean; json?: boolean },
    alarms: Omit<AlarmStatus, "state" | "problem" | "metric" | "missing">[],
    judge: (alarms: AlarmStatus[]) => string[],
): Promise<string[]> {
    const [rows, states, { answer }] = await Promise.all([
        readiness(ctx, service, { regions: [to], targetOnly: true }),
        alarmStates(ctx, alarms),
        serviceView(ctx, service),
    ]);
    if (!options.json) {
        ctx.out(readinessText(rows));
    }
    return [
        ...(readinessPasses(rows) || options.force
            ? []
            : [`${to.region} is not ready (failed checks above)`]),
        ...judge(states),
        ...(answer.region === from.region
            ? []
            : [
                  `the service name answers ${answer.region ?? answer.problem ?? "an unknown region"}, not ${from.region}: nothing to fail over`,
              ]),
    ];
}

/**
 * Runs a drill; returns the exit status: 0 when both phases completed, 1 on refusal, timeout or
 * error, 130 when interrupted. The switch is released in every case once it was engaged. With
 * `chaos`, the region is broken by its FIS experiment instead ({@link runChaosDrill}).
 */
export async function runDrill(
    ctx: OpsContext,
    service: Service,
    options: DrillOptions,
    confirm: Confirm,
    signal: AbortSignal,
    project = ".",
): Promise<number> {
    const from = drilledRegion(service, options);
    if (options.chaos !== undefined) {
        const { runChaosDrill } = await import("./chaos");
        return runChaosDrill(ctx, service, from, options.chaos, options, confirm, signal, project);
    }
    const sw = switchOf(from);
    const { to, report, notes, end } = await drillFrame<SwitchMilestone>(
        ctx,
        service,
        from,
        options,
        project,
    );
    const budget = report.budget;

    // Before anything changes: the other region must be ready, the switch released and watching
    // the metric the outputs name, and clients on the region being drilled (otherwise nothing
    // would be measured).
    const refusals = await preflight(
        ctx,
        service,
        from,
        to,
        options,
        [{ role: "switch", name: sw.alarmName, region: sw.region }],
        ([switchAlarm]) => {
            const switchProblem = switchAlarmProblem(switchAlarm, sw);
            return [
                ...(switchProblem ? [`${from.region}'s switch ${switchProblem}`] : []),
                ...(switchAlarm.state === "ALARM"
                    ? [
                          `${from.region}'s switch is already engaged (release it with failback --to ${from.region})`,
                      ]
                    : []),
            ];
        },
    );
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
            {
                name: "failover",
                expected: to.region,
                milestones: MILESTONES,
                observers: switchObservers(ctx, service, from, true, to.region, notes),
                budgetSeconds: budget.failoverSeconds,
            },
            options,
            deadline,
            signal,
        );
        if (report.failover.completed) {
            const releaseStarted = ctx.now();
            const releasedAt = await releaseSwitch(ctx, sw, engagedAt);
            engagedAt = undefined;
            report.restored = true;
            notes.add(releasedNote(from));
            report.failback = await phase(
                ctx,
                {
                    name: "failback",
                    expected: from.region,
                    milestones: MILESTONES,
                    observers: switchObservers(ctx, service, from, false, from.region, notes),
                    budgetSeconds: budget.failbackSeconds,
                },
                options,
                // The wait for a new minute (see releaseSwitch) is not the drill's time.
                deadline + (releasedAt - releaseStarted),
                signal,
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
