// `failover` and `failback`: flip a region's operator switch with one PutMetricData call in the
// switch's own region. Nothing on this path calls Route 53 or us-east-1 (unless the switch lives
// there), so it works while us-east-1 is down; the only other calls are readiness checks of the
// region that is to take the traffic, in that region.
import { GetMetricDataCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { Confirm, OpsContext } from "./context";
import {
    OperatorInputError,
    regionNamed,
    switchOf,
    type RegionOutputs,
    type Service,
    type SwitchOutputs,
} from "./outputs";
import { readiness, readinessPasses, readinessText, type ReadinessRow } from "./readiness";
import { alarmStates, serviceView, type AlarmStatus } from "./status";

/** Publishes `value` (1 engages the switch: the region leaves DNS; 0 releases it). */
export async function publishSwitch(
    ctx: OpsContext,
    sw: SwitchOutputs,
    value: 0 | 1,
): Promise<void> {
    await ctx.aws.call(
        sw.region,
        new PutMetricDataCommand({
            Namespace: sw.namespace,
            MetricData: [
                {
                    MetricName: sw.metricName,
                    Dimensions: switchDimensions(sw),
                    Value: value,
                    Unit: "None",
                },
            ],
        }),
        (c, o) => ctx.aws.cloudwatch(sw.region).send(c, o),
    );
}

const switchDimensions = (sw: SwitchOutputs) =>
    Object.entries(sw.dimensions).map(([Name, Value]) => ({ Name, Value }));

const MINUTE_MS = 60_000;

/** Whether the switch metric's current minute holds an engage (its Maximum is 1). */
async function engagedThisMinute(ctx: OpsContext, sw: SwitchOutputs): Promise<boolean> {
    const now = ctx.now();
    const out = await ctx.aws.call(
        sw.region,
        new GetMetricDataCommand({
            StartTime: new Date(now - (now % MINUTE_MS)),
            EndTime: new Date(now + MINUTE_MS),
            MetricDataQueries: [
                {
                    Id: "switch",
                    MetricStat: {
                        Metric: {
                            Namespace: sw.namespace,
                            MetricName: sw.metricName,
                            Dimensions: switchDimensions(sw),
                        },
                        Period: 60,
                        Stat: "Maximum",
                    },
                },
            ],
        }),
        (c, o) => ctx.aws.cloudwatch(sw.region).send(c, o),
    );
    return (out.MetricDataResults?.[0]?.Values ?? []).some((v) => v >= 1);
}

/**
 * Releases the switch. The alarm takes the Maximum of each minute, so a 0 published in the same
 * minute as a 1 changes nothing: then 0 is published again once the next minute has begun.
 * `engagedAt`: when this process engaged it (else the metric is asked about the current minute).
 */
export async function releaseSwitch(
    ctx: OpsContext,
    sw: SwitchOutputs,
    engagedAt?: number,
): Promise<number> {
    await publishSwitch(ctx, sw, 0);
    const now = ctx.now();
    const sameMinute =
        engagedAt !== undefined
            ? Math.floor(engagedAt / MINUTE_MS) === Math.floor(now / MINUTE_MS)
            : await engagedThisMinute(ctx, sw);
    if (sameMinute) {
        const wait = MINUTE_MS - (now % MINUTE_MS) + ctx.minuteMarginMs;
        ctx.err(
            `The switch was engaged earlier this minute, which keeps the minute's Maximum at 1: publishing 0 again in ${Math.ceil(wait / 1000)} s, when the next minute has begun.`,
        );
        await ctx.sleep(wait);
        await publishSwitch(ctx, sw, 0);
    }
    /** When the release took effect (the last 0 published). */
    return ctx.now();
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleepUnless(ctx: OpsContext, ms: number, signal?: AbortSignal): Promise<void> {
    if (!signal) {
        return ctx.sleep(ms);
    }
    return new Promise((resolve) => {
        if (signal.aborted) {
            return resolve();
        }
        const onAbort = () => resolve();
        signal.addEventListener("abort", onAbort, { once: true });
        void ctx.sleep(ms).then(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
        });
    });
}

export interface WatchOptions {
    timeoutMs: number;
    intervalMs: number;
    signal?: AbortSignal;
}

/** Polls the answer until `wanted(region)` or the timeout; reports each new answer. */
export async function watchAnswer(
    ctx: OpsContext,
    service: Service,
    wanted: (region: string | undefined) => boolean,
    options: WatchOptions,
): Promise<{ moved: boolean; elapsedMs: number; region?: string }> {
    const started = ctx.now();
    let last: string | undefined;
    for (;;) {
        const { answer } = await serviceView(ctx, service);
        const elapsedMs = ctx.now() - started;
        const shown = answer.problem
            ? `unknown (${answer.problem})`
            : (answer.region ?? answer.values.join(", "));
        if (shown !== last) {
            ctx.err(`${clock(elapsedMs)} DNS answers ${shown}`);
            last = shown;
        }
        if (!answer.problem && wanted(answer.region)) {
            return { moved: true, elapsedMs, region: answer.region };
        }
        if (elapsedMs >= options.timeoutMs || options.signal?.aborted) {
            return { moved: false, elapsedMs, region: answer.region };
        }
        await sleepUnless(
            ctx,
            Math.min(options.intervalMs, options.timeoutMs - elapsedMs),
            options.signal,
        );
    }
}

/** m:ss */
export function clock(ms: number): string {
    const s = Math.max(0, Math.round(ms / 1000));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export interface SwitchCommandOptions {
    yes?: boolean;
    force?: boolean;
    wait: boolean;
    timeoutSeconds: number;
    intervalSeconds: number;
    json?: boolean;
}

/** The result of `failover` or `failback`, as `--json` prints it. */
export interface SwitchResult {
    command: "failover" | "failback";
    region: string;
    switch: { region: string; value: 0 | 1; alarmName: string };
    flipped: boolean;
    readiness: ReadinessRow[];
    /** Whether DNS moved while watched; absent with --no-wait. */
    dns?: { moved: boolean; seconds: number; answer?: string };
    message: string;
}

/**
 * Why the switch cannot be flipped as the outputs describe it: its alarm is missing or unreadable,
 * or watches another metric (outputs of another deployment). Undefined when it can.
 */
export function switchAlarmProblem(alarm: AlarmStatus, sw: SwitchOutputs): string | undefined {
    if (alarm.missing) {
        return `cannot be confirmed (${alarm.problem}): without its alarm, publishing changes nothing. Are these the outputs of this deployment, deployed with this version?`;
    }
    if (alarm.problem) {
        return `cannot be read (${alarm.problem}); nothing was flipped. Fix that and retry, or flip it by hand (README, "Manual fallback").`;
    }
    const m = alarm.metric;
    const watched = `${m?.namespace}/${m?.metricName} ${JSON.stringify(m?.dimensions ?? {})}`;
    const given = `${sw.namespace}/${sw.metricName} ${JSON.stringify(sw.dimensions)}`;
    const sameDimensions =
        m !== undefined &&
        Object.keys(m.dimensions).length === Object.keys(sw.dimensions).length &&
        Object.entries(sw.dimensions).every(([k, v]) => m.dimensions[k] === v);
    return m?.namespace === sw.namespace && m.metricName === sw.metricName && sameDimensions
        ? undefined
        : `alarm ${alarm.name} watches ${watched}, not ${given} as the outputs say: publishing would change nothing. Are these the stack's current outputs?`;
}

/** The region that takes the traffic when `from` leaves: the other one of a failover pair. */
export function takeoverRegions(service: Service, from: RegionOutputs): RegionOutputs[] {
    return service.regions.filter((r) => r.region !== from.region);
}

/**
 * `failover --from <region>` (value 1) and `failback --to <region>` (value 0). Refuses, before
 * flipping anything, when the region that is to take the traffic is not ready (unless `force`) or
 * the operator does not confirm (unless `yes`). Returns the exit status.
 */
export async function runSwitchCommand(
    ctx: OpsContext,
    service: Service,
    command: "failover" | "failback",
    regionName: string,
    options: SwitchCommandOptions,
    confirm: Confirm,
    signal?: AbortSignal,
): Promise<number> {
    const region = regionNamed(service, regionName, command === "failover" ? "--from" : "--to");
    const sw = switchOf(region);
    const value = command === "failover" ? 1 : 0;
    const takers = command === "failover" ? takeoverRegions(service, region) : [region];
    if (takers.length === 0) {
        throw new OperatorInputError(
            `${region.region} is the only region given: nothing would take its traffic (pass every stack)`,
        );
    }
    const [rows, [switchAlarm]] = await Promise.all([
        readiness(ctx, service, {
            regions: takers,
            targetOnly: true,
            releasing: command === "failback",
            // Failing over must work while the region being left is down.
            avoid: command === "failover" ? [region.region] : [],
        }),
        alarmStates(ctx, [{ role: "switch", name: sw.alarmName, region: sw.region }]),
    ]);
    const result: SwitchResult = {
        command,
        region: region.region,
        switch: { region: sw.region, value, alarmName: sw.alarmName },
        flipped: false,
        readiness: rows,
        message: "",
    };
    const finish = (code: number, message: string) => {
        result.message = message;
        if (options.json) {
            ctx.out(JSON.stringify(result, null, 2));
        } else {
            ctx.out(message);
        }
        return code;
    };
    const takerNames = takers.map((t) => t.region).join(", ");
    if (!options.json) {
        ctx.out(readinessText(rows));
    }
    // Publishing to a metric no alarm watches would change nothing: say so instead.
    const switchProblem = switchAlarmProblem(switchAlarm, sw);
    if (switchProblem) {
        return finish(1, `Refusing to ${command}: ${region.region}'s switch ${switchProblem}`);
    }
    if (!readinessPasses(rows) && !options.force) {
        return finish(
            1,
            `Refusing to ${command}: ${takerNames} is not ready to take the traffic (failed checks above). Fix them, or pass --force to ${command} anyway.`,
        );
    }
    const action =
        command === "failover"
            ? `take ${region.region} out of DNS (traffic goes to ${takerNames})`
            : `release ${region.region}'s switch (traffic returns to it when healthy)`;
    const question = `${command}: ${action} by publishing ${value} to ${sw.namespace}/${sw.metricName} in ${sw.region}?`;
    if (!options.yes && !(await confirm(question))) {
        return finish(1, `Not confirmed: nothing changed.`);
    }
    if (signal?.aborted) {
        return finish(130, "Interrupted before the switch was flipped: nothing changed.");
    }
    if (value === 1) {
        await publishSwitch(ctx, sw, 1);
    } else {
        await releaseSwitch(ctx, sw);
    }
    result.flipped = true;
    ctx.err(`Published ${value} to ${sw.namespace}/${sw.metricName} in ${sw.region}.`);
    if (!options.wait) {
        return finish(
            0,
            `Switch ${value === 1 ? "engaged" : "released"}; Route 53 follows within a few minutes (see \`multi-region-api status\`).`,
        );
    }
    const wanted =
        command === "failover"
            ? (r: string | undefined) => r !== undefined && r !== region.region
            : (r: string | undefined) => r === region.region;
    const watched = await watchAnswer(ctx, service, wanted, {
        timeoutMs: options.timeoutSeconds * 1000,
        intervalMs: options.intervalSeconds * 1000,
        signal,
    });
    result.dns = {
        moved: watched.moved,
        seconds: Math.round(watched.elapsedMs / 1000),
        answer: watched.region,
    };
    if (watched.moved) {
        return finish(
            0,
            `DNS now answers ${watched.region} (${clock(watched.elapsedMs)} after the switch).`,
        );
    }
    const state = value === 1 ? "stays engaged" : "stays released";
    const undo =
        value === 1
            ? `undo with \`multi-region-api failback --to ${region.region}\``
            : `engage it again with \`multi-region-api failover --from ${region.region}\``;
    return finish(
        signal?.aborted ? 130 : 1,
        `${signal?.aborted ? "Stopped watching" : `DNS had not moved after ${clock(watched.elapsedMs)}`}: the switch ${state} as asked; ${undo}. Route 53 may still be evaluating: see \`multi-region-api status\`.`,
    );
}
