// `drill`: fail a region over with its switch, time every step until clients are served by the
// other region, fail back and time that too; compare with the offline plan's budget. Whatever
// happens (Ctrl-C, timeout, an error), the switch is released before the command ends.
import * as fs from "node:fs";
import { GetHealthCheckStatusCommand } from "@aws-sdk/client-route-53";
import { ROUTE53_API_REGION } from "./aws";
import type { Confirm, OpsContext } from "./context";
import {
    OperatorInputError,
    regionNamed,
    switchOf,
    type RegionOutputs,
    type Service,
} from "./outputs";
import { readiness, readinessPasses, readinessText } from "./readiness";
import { alarmStates, serviceAnswer, servedProbe } from "./status";
import { clock, publishSwitch, sleepUnless, takeoverRegions } from "./switch";

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

/** What one poll saw. */
interface Observation {
    alarm?: string;
    check?: boolean;
    answer?: string;
    served?: string;
}

async function observe(
    ctx: OpsContext,
    service: Service,
    from: RegionOutputs,
    notes: Set<string>,
): Promise<Observation> {
    const sw = from.operatorSwitch!;
    const [alarm, check, answer] = await Promise.all([
        alarmStates(ctx, [{ role: "switch", name: sw.alarmName, region: sw.region }]).then(
            ([a]) => a.state,
        ),
        ctx.aws
            .call(
                ROUTE53_API_REGION,
                new GetHealthCheckStatusCommand({ HealthCheckId: sw.healthCheckId }),
                (c, o) => ctx.aws.route53().send(c, o),
            )
            .then((out) => {
                const obs = out.HealthCheckObservations ?? [];
                return obs.length === 0
                    ? undefined
                    : obs.some((o) => o.StatusReport?.Status?.startsWith("Success"));
            })
            .catch((e: Error) => {
                notes.add(`Route 53 switch check not observed: ${e.message}`);
                return undefined;
            }),
        serviceAnswer(ctx, service),
    ]);
    const served = await servedProbe(ctx, service, answer);
    return {
        alarm,
        check,
        answer: answer.region,
        served: served?.healthy ? served.servedBy : undefined,
    };
}

/**
 * Polls until clients are served by `expected`, recording when each step is first seen. Ends
 * early (not completed) on timeout or abort.
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
    const started = ctx.now();
    const seconds: PhaseReport["seconds"] = {
        alarm: null,
        healthCheck: null,
        dns: null,
        served: null,
    };
    let lastLine = "";
    for (;;) {
        const o = await observe(ctx, service, from, notes);
        const elapsed = ctx.now() - started;
        const at = Math.round(elapsed / 100) / 10;
        const seen: Record<Milestone, boolean> = {
            alarm: o.alarm === (engaged ? "ALARM" : "OK"),
            healthCheck: o.check === !engaged,
            dns: o.answer === expected,
            served: o.served === expected,
        };
        for (const m of MILESTONES) {
            if (seen[m] && seconds[m] === null) {
                seconds[m] = at;
            }
        }
        const line = `${name} ${clock(elapsed)}${budgetSeconds !== null ? ` / budget ${clock(budgetSeconds * 1000)}` : ""} · DNS ${o.answer ?? "unknown"} · served by ${o.served ?? "none"} · switch alarm ${o.alarm ?? "unknown"} · switch check ${o.check === undefined ? "unknown" : o.check ? "healthy" : "unhealthy"}`;
        // Each change gets a line; a terminal also shows the clock ticking on a line rewritten in
        // place between changes.
        const state = line.replace(/^\S+ \S+( \/ budget \S+)?/, "");
        if (state !== lastLine) {
            ctx.err(options.tty ? `\r\x1b[K${line}` : line);
        } else if (options.tty) {
            ctx.rewrite(line);
        }
        lastLine = state;
        if (seconds.dns !== null && seconds.served !== null) {
            return { seconds, completed: true, expected };
        }
        if (ctx.now() >= deadline || signal.aborted) {
            return { seconds, completed: false, expected };
        }
        await sleepUnless(
            ctx,
            Math.min(options.intervalSeconds * 1000, deadline - ctx.now()),
            signal,
        );
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
        if (options.report) {
            fs.writeFileSync(options.report, `${JSON.stringify(report, null, 2)}\n`);
        }
        ctx.out(options.json ? JSON.stringify(report, null, 2) : drillText(report, previous));
        return code;
    };

    // Before anything changes: the other region must be ready, the switch released, and clients
    // on the region being drilled (otherwise nothing would be measured).
    const rows = await readiness(ctx, service, { regions: [to], targetOnly: true });
    const [switchAlarm] = await alarmStates(ctx, [
        { role: "switch", name: sw.alarmName, region: sw.region },
    ]);
    const answer = await serviceAnswer(ctx, service);
    const refusals = [
        ...(readinessPasses(rows) || options.force
            ? []
            : [`${to.region} is not ready (failed checks above)`]),
        ...(switchAlarm.state === "ALARM"
            ? [
                  `${from.region}'s switch is already engaged (release it with failback --to ${from.region})`,
              ]
            : []),
        ...(switchAlarm.problem ? [switchAlarm.problem] : []),
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

    const deadline = ctx.now() + options.timeoutSeconds * 1000;
    let engaged = false;
    try {
        await publishSwitch(ctx, sw, 1);
        engaged = true;
        report.restored = false;
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
            await publishSwitch(ctx, sw, 0);
            engaged = false;
            report.restored = true;
            report.failback = await phase(
                ctx,
                service,
                from,
                "failback",
                false,
                from.region,
                budget.failbackSeconds,
                options,
                deadline,
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
        if (engaged) {
            report.restored = await release(ctx, from, notes);
        }
    }
    if (options.tty) {
        ctx.rewrite("");
    }
    return end(report.outcome === "completed" ? 0 : report.outcome === "interrupted" ? 130 : 1);
}

/** Releases the switch, retrying: the drill must not leave a region out of DNS. */
async function release(ctx: OpsContext, from: RegionOutputs, notes: Set<string>): Promise<boolean> {
    const sw = from.operatorSwitch!;
    for (let attempt = 1; attempt <= 3; attempt++) {
        try {
            await publishSwitch(ctx, sw, 0);
            notes.add(
                `Released ${from.region}'s switch (published 0 to ${sw.namespace}/${sw.metricName} in ${sw.region}).`,
            );
            return true;
        } catch (e) {
            notes.add(`Releasing the switch failed (attempt ${attempt}): ${(e as Error).message}`);
            await ctx.sleep(1000 * attempt);
        }
    }
    return false;
}
