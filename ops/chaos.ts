// `drill --chaos <experiment>`: prove the AUTOMATIC failover. Start the region's AWS FIS experiment
// (its API fails, or is slow), watch Route 53's endpoint check take the region out of DNS and the
// other region serve, stop the experiment, and watch the failback; time every step against the
// plan's budget. Whatever happens (Ctrl-C, timeout, an error, a lost answer), the experiment is
// stopped before the command ends.
// API: https://docs.aws.amazon.com/fis/latest/APIReference/API_StartExperiment.html,
// https://docs.aws.amazon.com/fis/latest/APIReference/API_ExperimentState.html
import { randomUUID } from "node:crypto";
import {
    GetExperimentCommand,
    ListExperimentsCommand,
    StartExperimentCommand,
    StopExperimentCommand,
} from "@aws-sdk/client-fis";
import { AwsCallError } from "./aws";
import { PRICES } from "../plan/monthlyCost";
import type { Confirm, OpsContext } from "./context";
import {
    answerObserver,
    CHAOS_MILESTONES,
    checkObserver,
    drillFrame,
    observer,
    phase,
    preflight,
    stopAdvice,
    type ChaosDetails,
    type ChaosMilestone,
    type DrillOptions,
    type PhaseObserver,
} from "./drill";
import { chaosOf, experimentOf, type RegionOutputs, type Service } from "./outputs";
import { alarmStates, regionHealth, type AlarmStatus } from "./status";

/** The tags every drill's experiment carries (and how a lost one is found again). */
export const DRILL_TAG = { key: "Drill", value: "multi-region-api" } as const;

/** An experiment in these states may still inject faults. */
const ACTIVE = new Set(["pending", "initiating", "running"]);

/** What each experiment of a chaos-ready region does (stack output `chaos.experiments`). */
const EXPERIMENT_TEXT: Record<string, string> = {
    "api-fails": "every invocation of its functions answers 503",
    slow: "every invocation of its functions starts late",
};

/** The note every chaos drill's report carries: why the first steps take a minute or so. */
export const EXTENSION_DELAY_NOTE =
    "The fault reaches every invocation up to 60 s after the experiment starts (the FIS extension polls for faults every 60 s while none is active) and lifts up to 20 s after it stops (AWS's ramp-up and ramp-down, https://docs.aws.amazon.com/fis/latest/userguide/use-lambda-actions.html); the plan's budget counts from the failure, so hold 'served, from the fault in effect' against it.";

interface ExperimentState {
    status?: string;
    reason?: string;
}

async function getExperiment(
    ctx: OpsContext,
    region: string,
    id: string,
    signal?: AbortSignal,
): Promise<ExperimentState> {
    const out = await ctx.aws.call(
        region,
        new GetExperimentCommand({ id }),
        (c, o) => ctx.aws.fis(region).send(c, o),
        signal,
    );
    return { status: out.experiment?.state?.status, reason: out.experiment?.state?.reason };
}

/**
 * Stops the experiment, retrying: the drill must not leave a region broken. An experiment that has
 * already ended (FIS answers ConflictException or ValidationException) counts as stopped.
 */
async function stopExperiment(
    ctx: OpsContext,
    region: string,
    id: string,
    notes: Set<string>,
): Promise<boolean> {
    for (let attempt = 1; attempt <= 3; attempt++) {
        try {
            await ctx.aws.call(region, new StopExperimentCommand({ id }), (c, o) =>
                ctx.aws.fis(region).send(c, o),
            );
            notes.add(`Stopped experiment ${id} in ${region} (StopExperiment accepted).`);
            return true;
        } catch (e) {
            const refused =
                e instanceof AwsCallError &&
                (e.kind === "not-found" ||
                    e.errorName === "ConflictException" ||
                    e.errorName === "ValidationException");
            if (refused) {
                const state = await getExperiment(ctx, region, id).catch(() => undefined);
                if (state?.status === undefined || !ACTIVE.has(state.status)) {
                    notes.add(
                        `Experiment ${id} in ${region} had already ended (${state?.status ?? e.errorName ?? "not found"}).`,
                    );
                    return true;
                }
            }
            notes.add(
                `Stopping experiment ${id} failed (attempt ${attempt}): ${(e as Error).message}`,
            );
            if (attempt < 3) {
                await ctx.sleep(1000 * attempt);
            }
        }
    }
    return false;
}

/**
 * The drill's experiments of this template that may still run, started since `since` (five
 * minutes of clock difference allowed): how an experiment whose StartExperiment answer was lost
 * is found. ListExperiments of this SDK version takes no template filter, so every page is read.
 */
async function findExperiments(
    ctx: OpsContext,
    service: Service,
    chaos: ChaosDetails,
    since: number,
): Promise<string[]> {
    const found: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 50; page++) {
        const out = await ctx.aws.call(
            chaos.region,
            new ListExperimentsCommand({ maxResults: 100, nextToken }),
            (c, o) => ctx.aws.fis(chaos.region).send(c, o),
        );
        for (const x of out.experiments ?? []) {
            if (
                x.id &&
                x.experimentTemplateId === chaos.templateId &&
                x.tags?.[DRILL_TAG.key] === DRILL_TAG.value &&
                x.tags?.Service === service.name &&
                ACTIVE.has(x.state?.status ?? "") &&
                (x.creationTime === undefined || x.creationTime.getTime() >= since - 5 * 60_000)
            ) {
                found.push(x.id);
            }
        }
        nextToken = out.nextToken;
        if (!nextToken) {
            break;
        }
    }
    return found;
}

/**
 * After a StartExperiment whose answer was lost: finds the experiment it may have started and
 * stops it. True when nothing of the drill's is left running.
 */
async function stopLost(
    ctx: OpsContext,
    service: Service,
    chaos: ChaosDetails,
    since: number,
    notes: Set<string>,
): Promise<boolean> {
    let listed = false;
    for (let attempt = 1; attempt <= 3; attempt++) {
        try {
            const ids = await findExperiments(ctx, service, chaos, since);
            listed = true;
            if (ids.length > 0) {
                chaos.experimentId = ids[0];
                notes.add(
                    `Found the experiment StartExperiment started: ${ids.join(", ")} (ListExperiments).`,
                );
                const stopped = await Promise.all(
                    ids.map((id) => stopExperiment(ctx, chaos.region, id, notes)),
                );
                return stopped.every(Boolean);
            }
        } catch (e) {
            notes.add(
                `Looking for the experiment failed (attempt ${attempt}): ${(e as Error).message}`,
            );
        }
        // FIS may list a new experiment a moment late.
        if (attempt < 3) {
            await ctx.sleep(2000 * attempt);
        }
    }
    if (listed) {
        notes.add(
            `No experiment of template ${chaos.templateId} tagged ${DRILL_TAG.key}=${DRILL_TAG.value} is pending or running in ${chaos.region}: it did not start. Should one show up, ${stopAdvice(chaos.region, chaos)}.`,
        );
        return true;
    }
    notes.add(`Could not tell whether the experiment started: ${stopAdvice(chaos.region, chaos)}.`);
    return false;
}

/** The peer a stop-condition alarm watches: its `Peer` dimension, or a region its name contains. */
function peerOf(alarm: AlarmStatus, service: Service, region: string): string {
    return (
        alarm.metric?.dimensions.Peer ??
        service.regions.find((r) => r.region !== region && alarm.name.includes(r.region))?.region ??
        "a peer"
    );
}

/** A stop-condition alarm in ALARM, in words. */
function stopAlarmText(alarm: AlarmStatus, service: Service, region: string): string {
    const peer = peerOf(alarm, service, region);
    return `stop condition ${alarm.name} in ${alarm.region} is in ALARM: ${peer}'s /health, as ${region} sees it, is failing`;
}

/** Why the experiment ended before the failover completed, as FIS and the stop alarms tell it. */
async function endedText(
    ctx: OpsContext,
    service: Service,
    chaos: ChaosDetails,
    state: ExperimentState,
    stopAlarms: Omit<AlarmStatus, "state">[],
): Promise<string> {
    const fis = state.reason ? ` (FIS: "${state.reason}")` : "";
    const region = chaos.region;
    switch (state.status) {
        case "failed":
            return `The experiment failed before the failover completed${fis || " (FIS gave no reason)"}. See it in the FIS console (${region}).`;
        case "completed":
            return `The experiment completed (its ${chaos.maxDurationMinutes} min passed) before the failover completed: ${region} was not out of DNS and ${service.regions.find((r) => r.region !== region)?.region ?? "the other region"} serving by then${fis}.`;
        case "cancelled":
            return `FIS cancelled the experiment before the failover completed${fis}.`;
        default: {
            const alarms = await alarmStates(ctx, stopAlarms).catch(() => []);
            const firing = alarms.filter((a) => a.state === "ALARM");
            return firing.length > 0
                ? `A stop condition ended the experiment before the failover completed: ${firing.map((a) => stopAlarmText(a, service, region)).join("; ")}${fis}. The drill ended so as not to take the whole service down: see multi-region-api status.`
                : `FIS stopped the experiment before the failover completed${fis}, and no stop-condition alarm is in ALARM now: stopped by someone else?`;
        }
    }
}

/** Whether a failed StartExperiment certainly started nothing (AWS refused it). */
function refusedStart(e: unknown): boolean {
    return (
        e instanceof AwsCallError &&
        (["denied", "credentials", "not-found"].includes(e.kind) ||
            ["ValidationException", "ConflictException", "ServiceQuotaExceededException"].includes(
                e.errorName ?? "",
            ))
    );
}

/** GetExperiment errors that will not pass by themselves. */
const lasting = (e: unknown) =>
    e instanceof AwsCallError && ["denied", "credentials", "not-found"].includes(e.kind);

/**
 * Runs a chaos drill of `from` with its experiment `key`; returns the exit status as `runDrill`
 * does, and 1 when the experiment ended by itself first. The experiment is stopped in every case
 * once StartExperiment was called.
 */
export async function runChaosDrill(
    ctx: OpsContext,
    service: Service,
    from: RegionOutputs,
    key: string,
    options: DrillOptions,
    confirm: Confirm,
    signal: AbortSignal,
    project: string,
): Promise<number> {
    const outputs = chaosOf(from);
    const templateId = experimentOf(from, outputs, key);
    const { to, report, notes, end } = await drillFrame<ChaosMilestone>(
        ctx,
        service,
        from,
        options,
        project,
    );
    const chaos: ChaosDetails = {
        experiment: key,
        templateId,
        region: outputs.region,
        clientToken: randomUUID(),
        maxDurationMinutes: outputs.maxDurationMinutes,
    };
    report.chaos = chaos;
    const budget = report.budget;

    // Before anything starts: the other region must be ready, no stop condition already firing
    // (the experiment would stop at once, and the peer may be unable to take the traffic), the
    // region's switch released and clients on the region (otherwise nothing would be measured).
    const stopAlarms = outputs.stopAlarmNames.map((name) => ({
        role: "stop condition",
        name,
        region: outputs.region,
    }));
    const sw = from.operatorSwitch;
    const refusals = await preflight(
        ctx,
        service,
        from,
        to,
        options,
        [...stopAlarms, ...(sw ? [{ role: "switch", name: sw.alarmName, region: sw.region }] : [])],
        (alarms) =>
            alarms.flatMap((a) => {
                if (a.role === "switch") {
                    return a.state === "ALARM"
                        ? [
                              `${from.region}'s switch is engaged: the region is out of DNS already (release it with failback --to ${from.region})`,
                          ]
                        : a.problem
                          ? [`${from.region}'s switch cannot be confirmed released (${a.problem})`]
                          : [];
                }
                return a.state === "ALARM"
                    ? [
                          `${stopAlarmText(a, service, from.region)}: the experiment would stop at once`,
                      ]
                    : a.problem
                      ? [
                            `stop condition ${a.name} cannot be read (${a.problem}): without it the experiment could take the whole service down`,
                        ]
                      : [];
            }),
    );
    if (refusals.length > 0) {
        notes.add(`Refused: ${refusals.join("; ")}.`);
        return end(1);
    }
    const cost = (outputs.maxDurationMinutes * PRICES.fisActionMinute).toFixed(2);
    if (
        !options.yes &&
        !(await confirm(
            `drill --chaos ${key}: start FIS experiment template ${templateId} in ${from.region} (${EXPERIMENT_TEXT[key] ?? key}, for at most ${outputs.maxDurationMinutes} min: up to $${cost}), wait until ${to.region} serves, then stop it and watch the failback?`,
        ))
    ) {
        notes.add("Not confirmed: nothing started.");
        return end(1);
    }
    if (signal.aborted) {
        report.outcome = "interrupted";
        notes.add("Interrupted before the experiment was started: nothing started.");
        return end(130);
    }

    const deadline = ctx.now() + options.timeoutSeconds * 1000;
    // Ends the failover phase early: an interrupt, or the experiment ending (or unreadable).
    const halt = new AbortController();
    const onInterrupt = () => halt.abort();
    signal.addEventListener("abort", onInterrupt, { once: true });
    let ended: ExperimentState | undefined;
    let fatal: Error | undefined;
    const startedAt = ctx.now();
    // Counted as started from the moment the call goes out: a call whose answer is lost may still
    // have started it.
    let started = true;
    let stopped = false;
    report.restored = false;
    try {
        // Not given the interrupt: a Ctrl-C now must not lose the experiment's id.
        const out = await ctx.aws.call(
            chaos.region,
            new StartExperimentCommand({
                clientToken: chaos.clientToken,
                experimentTemplateId: templateId,
                tags: { Service: service.name, [DRILL_TAG.key]: DRILL_TAG.value },
            }),
            (c, o) => ctx.aws.fis(chaos.region).send(c, o),
        );
        const id = out.experiment?.id;
        if (!id) {
            throw new Error("StartExperiment answered without an experiment id");
        }
        chaos.experimentId = id;
        chaos.status = out.experiment?.state?.status;
        ctx.err(
            `Started FIS experiment ${id} (${key}, template ${templateId}) in ${chaos.region}; it ends by itself after ${outputs.maxDurationMinutes} min.`,
        );
        notes.add(EXTENSION_DELAY_NOTE);
        let failures = 0;
        const experiment = (failover: boolean): PhaseObserver<ChaosMilestone> =>
            observer(
                ctx,
                async (phaseSignal) => {
                    try {
                        const state = await getExperiment(ctx, chaos.region, id, phaseSignal);
                        failures = 0;
                        Object.assign(chaos, state);
                        if (failover && state.status !== undefined && !ACTIVE.has(state.status)) {
                            ended = state;
                            halt.abort();
                        }
                        return state;
                    } catch (e) {
                        // Watching the experiment is what makes breaking the region safe: an
                        // experiment that cannot be read ends the drill (and is stopped).
                        if (failover && !phaseSignal.aborted && (lasting(e) || ++failures >= 3)) {
                            fatal ??= e as Error;
                            halt.abort();
                        }
                        throw e;
                    }
                },
                (state) => ({
                    experiment: failover
                        ? state.status === "running"
                        : state.status !== undefined &&
                          !ACTIVE.has(state.status) &&
                          state.status !== "stopping",
                }),
                (state) => `experiment ${state?.status ?? "unknown"}`,
            );
        const observers = (failover: boolean): PhaseObserver<ChaosMilestone>[] => [
            answerObserver(ctx, service, failover ? to.region : from.region),
            experiment(failover),
            observer(
                ctx,
                () => regionHealth(ctx, service, from),
                (p) => ({ regionHealth: failover ? !p.healthy : p.healthy }),
                (p) =>
                    `${from.region} /health ${p === undefined ? "unknown" : p.healthy ? "ok" : "failing"}`,
            ),
            checkObserver(
                ctx,
                { role: "endpoint", id: from.endpointHealthCheckId, source: "checkers" },
                "endpoint check",
                "endpointCheck",
                !failover,
                notes,
            ),
        ];
        report.failover = await phase(
            ctx,
            {
                name: "failover",
                expected: to.region,
                milestones: CHAOS_MILESTONES,
                observers: observers(true),
                budgetSeconds: budget.failoverSeconds,
            },
            options,
            deadline,
            halt.signal,
        );
        if (fatal !== undefined && !report.failover.completed) {
            throw fatal;
        }
        if (ended && !report.failover.completed) {
            stopped = true;
            report.restored = true;
            report.outcome = "experiment-ended";
            notes.add(await endedText(ctx, service, chaos, ended, stopAlarms));
        } else if (report.failover.completed) {
            stopped = true;
            report.restored = await stopExperiment(ctx, chaos.region, id, notes);
            if (!report.restored) {
                throw new Error(`experiment ${id} could not be stopped`);
            }
            report.failback = await phase(
                ctx,
                {
                    name: "failback",
                    expected: from.region,
                    milestones: CHAOS_MILESTONES,
                    observers: observers(false),
                    budgetSeconds: budget.failbackSeconds,
                },
                options,
                deadline,
                signal,
            );
        }
        if (report.outcome !== "experiment-ended") {
            report.outcome = signal.aborted
                ? "interrupted"
                : report.failover.completed && report.failback?.completed
                  ? "completed"
                  : "timeout";
        }
    } catch (e) {
        report.outcome = "error";
        notes.add(`Error: ${(e as Error).message}`);
        if (chaos.experimentId === undefined && refusedStart(e)) {
            // AWS refused the start: nothing runs.
            started = false;
            report.restored = true;
        }
    } finally {
        signal.removeEventListener("abort", onInterrupt);
        if (started && !stopped) {
            report.restored =
                chaos.experimentId !== undefined
                    ? await stopExperiment(ctx, chaos.region, chaos.experimentId, notes)
                    : await stopLost(ctx, service, chaos, startedAt, notes);
        }
    }
    if (!report.restored) {
        ctx.err(`The experiment may still be running: ${stopAdvice(chaos.region, chaos)}.`);
    }
    return end(report.outcome === "completed" ? 0 : report.outcome === "interrupted" ? 130 : 1);
}
