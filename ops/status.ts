// `status`: where the service name points right now, and why, per region.
import { DescribeAlarmsCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetHealthCheckStatusCommand } from "@aws-sdk/client-route-53";
import { formatTable } from "../plan/report";
import { AwsCallError, ROUTE53_API_REGION } from "./aws";
import type { OpsContext } from "./context";
import { askZone, regionOfAnswer, regionSignatures, resolveAddress } from "./dns";
import type { RegionOutputs, Service } from "./outputs";
import { probeHealth, type ProbeResult } from "./probe";

/** One Route 53 health check as Route 53 sees it. */
export interface CheckStatus {
    /** endpoint, routed, switch, or the guard's name. */
    role: string;
    id: string;
    /** Undefined when Route 53 could not be asked or has no data yet. */
    healthy?: boolean;
    detail: string;
}

export interface AlarmStatus {
    /** switch, or the guard's name. */
    role: string;
    name: string;
    region: string;
    state?: string;
    /** CloudWatch answered, and has no alarm of that name. */
    missing?: boolean;
    /** The metric the alarm watches, as CloudWatch has it. */
    metric?: { namespace?: string; metricName?: string; dimensions: Record<string, string> };
    problem?: string;
}

export interface RegionStatus {
    region: string;
    stack: string;
    failoverRole?: string;
    checks: CheckStatus[];
    alarms: AlarmStatus[];
    /** The region's own hostname's `/health`, at the address the zone gives it. */
    health: ProbeResult;
}

export interface ServiceAnswer {
    values: string[];
    server?: string;
    /** The region the answer points at, when it can be told. */
    region?: string;
    /** How the region was told when not by the answer's addresses: the probe's `x-served-by-region`. */
    regionFrom?: "served-by";
    problem?: string;
}

export interface ServiceStatus {
    service: string;
    routing: string;
    recordType: string;
    at: string;
    answer: ServiceAnswer;
    /** `/health` of the service name, at the answered address: the region that serves clients. */
    served?: ProbeResult;
    /** Why Route 53's view is missing (us-east-1 unreachable, access denied), when it is. */
    route53Problem?: string;
    regions: RegionStatus[];
}

/** Route 53 counts an endpoint healthy when more than 18% of its checkers do. */
const HEALTHY_CHECKER_SHARE = 0.18;

/**
 * How Route 53's view of a check is read: what each checker saw last (endpoint checks), or the
 * `HealthCheckStatus` metric, Route 53's own verdict per minute (the only view of calculated
 * checks, and the documented one of CloudWatch-alarm checks).
 */
export type CheckSource = "checkers" | "metric";

export interface CheckRef {
    role: string;
    id: string;
    source: CheckSource;
}

/** The health checks of a region that Route 53 reports on, by role. */
export function checksOf(r: RegionOutputs): CheckRef[] {
    const calculated = r.routedHealthCheckId !== r.endpointHealthCheckId;
    return [
        { role: "endpoint", id: r.endpointHealthCheckId, source: "checkers" as const },
        ...(calculated
            ? [{ role: "routed", id: r.routedHealthCheckId, source: "metric" as const }]
            : []),
        ...(r.operatorSwitch
            ? [{ role: "switch", id: r.operatorSwitch.healthCheckId, source: "metric" as const }]
            : []),
        ...r.guards.map((g) => ({ role: g.name, id: g.healthCheckId, source: "metric" as const })),
    ];
}

/**
 * One check's status, by its {@link CheckSource}: GetHealthCheckStatus for endpoint checks (it
 * refuses calculated ones: https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html),
 * else the HealthCheckStatus metric
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html).
 * Both are served from us-east-1 only.
 */
export async function checkStatus(
    ctx: OpsContext,
    check: CheckRef,
    signal?: AbortSignal,
): Promise<CheckStatus> {
    if (check.source === "metric") {
        const now = ctx.now();
        const out = await ctx.aws.call(
            ROUTE53_API_REGION,
            new GetMetricDataCommand({
                StartTime: new Date(now - 5 * 60_000),
                EndTime: new Date(now),
                ScanBy: "TimestampDescending",
                MetricDataQueries: [
                    {
                        Id: "status",
                        MetricStat: {
                            Metric: {
                                Namespace: "AWS/Route53",
                                MetricName: "HealthCheckStatus",
                                Dimensions: [{ Name: "HealthCheckId", Value: check.id }],
                            },
                            Period: 60,
                            Stat: "Minimum",
                        },
                    },
                ],
            }),
            (c, o) => ctx.aws.cloudwatch(ROUTE53_API_REGION).send(c, o),
            signal,
        );
        const latest = out.MetricDataResults?.[0]?.Values?.[0];
        return latest === undefined
            ? { role: check.role, id: check.id, detail: "no data in the last 5 minutes" }
            : {
                  role: check.role,
                  id: check.id,
                  healthy: latest >= 1,
                  detail: latest >= 1 ? "healthy" : "unhealthy",
              };
    }
    const out = await ctx.aws.call(
        ROUTE53_API_REGION,
        new GetHealthCheckStatusCommand({ HealthCheckId: check.id }),
        (c, o) => ctx.aws.route53().send(c, o),
        signal,
    );
    const observations = out.HealthCheckObservations ?? [];
    const ok = observations.filter((o) => o.StatusReport?.Status?.startsWith("Success")).length;
    if (observations.length === 0) {
        return { role: check.role, id: check.id, detail: "no observations yet" };
    }
    const healthy = ok / observations.length > HEALTHY_CHECKER_SHARE;
    return {
        role: check.role,
        id: check.id,
        healthy,
        detail: `${healthy ? "healthy" : "unhealthy"} (${ok}/${observations.length} checkers)`,
    };
}

/** The state of each alarm, asked in the alarm's own region (one call per region). */
export async function alarmStates(
    ctx: OpsContext,
    alarms: Omit<AlarmStatus, "state" | "problem" | "metric" | "missing">[],
    signal?: AbortSignal,
): Promise<AlarmStatus[]> {
    const regions = [...new Set(alarms.map((a) => a.region))];
    const byRegion = await Promise.all(
        regions.map(async (region) => {
            const names = alarms.filter((a) => a.region === region).map((a) => a.name);
            try {
                const out = await ctx.aws.call(
                    region,
                    new DescribeAlarmsCommand({ AlarmNames: names }),
                    (c, o) => ctx.aws.cloudwatch(region).send(c, o),
                    signal,
                );
                return {
                    region,
                    found: new Map(out.MetricAlarms?.map((m) => [m.AlarmName, m])),
                };
            } catch (e) {
                return { region, problem: (e as Error).message };
            }
        }),
    );
    return alarms.map((a) => {
        const found = byRegion.find((b) => b.region === a.region)!;
        if ("problem" in found) {
            return { ...a, problem: found.problem };
        }
        const alarm = found.found.get(a.name);
        return alarm?.StateValue
            ? {
                  ...a,
                  state: alarm.StateValue,
                  metric: {
                      namespace: alarm.Namespace,
                      metricName: alarm.MetricName,
                      dimensions: Object.fromEntries(
                          (alarm.Dimensions ?? []).map((d) => [d.Name ?? "", d.Value ?? ""]),
                      ),
                  },
              }
            : { ...a, problem: `alarm ${a.name} not found in ${a.region}`, missing: true };
    });
}

/** The alarms of a region that decide its routing: its switch and its guards. */
export function alarmsOf(
    r: RegionOutputs,
): Omit<AlarmStatus, "state" | "problem" | "metric" | "missing">[] {
    return [
        ...(r.operatorSwitch
            ? [
                  {
                      role: "switch",
                      name: r.operatorSwitch.alarmName,
                      region: r.operatorSwitch.region,
                  },
              ]
            : []),
        ...r.guards.map((g) => ({ role: g.name, name: g.alarmName, region: g.alarmRegion })),
    ];
}

/** Where the service name points, asked of the zone's name servers, and which region that is. */
export async function serviceAnswer(ctx: OpsContext, service: Service): Promise<ServiceAnswer> {
    try {
        const [answer, signatures] = await Promise.all([
            askZone(service.nameServers, service.name, service.recordType, ctx.dns),
            regionSignatures(service, ctx.dns),
        ]);
        return {
            values: answer.values,
            server: answer.server,
            region: regionOfAnswer(answer.values, signatures),
        };
    } catch (e) {
        return { values: [], problem: (e as Error).message };
    }
}

/** `/health` of a region's own hostname, at the address the zone gives it. */
export async function regionHealth(
    ctx: OpsContext,
    service: Service,
    r: RegionOutputs,
): Promise<ProbeResult> {
    const address = await askZone(service.nameServers, r.regionalHostname, "A", ctx.dns)
        .then((a) => a.values[0])
        .catch(() => undefined);
    return probeHealth(r.healthUrl, {
        searchString: r.healthSearchString,
        timeoutMs: ctx.probeTimeoutMs,
        address,
    });
}

/** `/health` through the service name, at the address it answers with now. */
export async function servedProbe(
    ctx: OpsContext,
    service: Service,
    answer: ServiceAnswer,
): Promise<ProbeResult | undefined> {
    const [r] = service.regions;
    if (answer.values.length === 0) {
        return undefined;
    }
    const health = new URL(r.healthUrl);
    const url = new URL(health.pathname, r.serviceUrl).href;
    // Pinned to the answer (a CNAME's target resolved by the resolver): never this machine's
    // cache of the service name.
    const address =
        service.recordType === "CNAME"
            ? await resolveAddress(answer.values[0], ctx.dns)
            : answer.values[0];
    if (address === undefined) {
        return {
            url,
            healthy: false,
            elapsedMs: 0,
            problem: `no address for ${answer.values[0]}`,
        };
    }
    return probeHealth(url, {
        searchString: r.healthSearchString,
        timeoutMs: ctx.probeTimeoutMs,
        address,
    });
}

/**
 * The service name's answer and `/health` through it. When the answer's addresses do not tell
 * the region (API Gateway's address sets rotate), the region that served the probe does.
 */
export async function serviceView(
    ctx: OpsContext,
    service: Service,
): Promise<{ answer: ServiceAnswer; served?: ProbeResult }> {
    const answer = await serviceAnswer(ctx, service);
    const served = await servedProbe(ctx, service, answer);
    if (answer.region === undefined && !answer.problem && served?.servedBy) {
        answer.region = served.servedBy;
        answer.regionFrom = "served-by";
    }
    return { answer, ...(served ? { served } : {}) };
}

/** Everything `status` shows. Never throws for an AWS failure: each part says what it lacks. */
export async function serviceStatus(ctx: OpsContext, service: Service): Promise<ServiceStatus> {
    let route53Problem: string | undefined;
    const route53 = async (check: ReturnType<typeof checksOf>[number]): Promise<CheckStatus> => {
        try {
            return await checkStatus(ctx, check);
        } catch (e) {
            route53Problem ??=
                e instanceof AwsCallError && e.kind === "unreachable"
                    ? `Route 53's view of a check is unavailable: its API and metrics live in us-east-1, which is unreachable (${e.message})`
                    : `Route 53's view of a check is unavailable: ${(e as Error).message}`;
            return { role: check.role, id: check.id, detail: "unknown (see below)" };
        }
    };
    const [{ answer, served }, regions] = await Promise.all([
        serviceView(ctx, service),
        Promise.all(
            service.regions.map(async (r): Promise<RegionStatus> => {
                const [checks, alarms, health] = await Promise.all([
                    Promise.all(checksOf(r).map(route53)),
                    alarmStates(ctx, alarmsOf(r)),
                    regionHealth(ctx, service, r),
                ]);
                return {
                    region: r.region,
                    stack: r.stack,
                    ...(r.failoverRole ? { failoverRole: r.failoverRole } : {}),
                    checks,
                    alarms,
                    health,
                };
            }),
        ),
    ]);
    return {
        service: service.name,
        routing: service.routing,
        recordType: service.recordType,
        at: new Date(ctx.now()).toISOString(),
        answer,
        ...(served ? { served } : {}),
        ...(route53Problem ? { route53Problem } : {}),
        regions,
    };
}

export function describeProbe(p: ProbeResult | undefined): string {
    if (!p) {
        return "not asked (no answer)";
    }
    const where = p.servedBy ? ` from ${p.servedBy}` : "";
    return p.healthy
        ? `healthy${where} (${p.status}, ${p.elapsedMs} ms)`
        : `UNHEALTHY${where}: ${p.problem}`;
}

export function describeAnswer(a: ServiceAnswer): string {
    if (a.problem) {
        return `unknown: ${a.problem}`;
    }
    if (a.values.length === 0) {
        return "no records";
    }
    return `${a.values.join(", ")} → ${a.region ?? "a region not told apart by its addresses"}`;
}

/** `status` for people. */
export function statusText(s: ServiceStatus): string {
    const lines = [
        `${s.service} (${s.routing} routing, ${s.recordType} record) at ${s.at}`,
        `DNS answer${s.answer.server ? ` from ${s.answer.server}` : ""}: ${describeAnswer(s.answer)}`,
        `Served: ${describeProbe(s.served)}`,
        "",
    ];
    const rows = [["region", "stack", "role", "Route 53 checks", "alarms", "/health"]];
    for (const r of s.regions) {
        rows.push([
            r.region,
            r.stack,
            r.failoverRole ?? "-",
            r.checks.map((c) => `${c.role} ${c.detail}`).join("; "),
            r.alarms.length === 0
                ? "-"
                : r.alarms
                      .map((a) => `${a.role} ${a.state ?? `unknown (${a.problem})`} in ${a.region}`)
                      .join("; "),
            describeProbe(r.health),
        ]);
    }
    lines.push(formatTable(rows));
    if (s.route53Problem) {
        lines.push(
            "",
            `${s.route53Problem}. The DNS answer, /health and alarm states above are current.`,
        );
    }
    return lines.join("\n");
}
