// `readiness`: can a region take the service's traffic right now? AWS's own readiness checks
// (Route 53 ARC) are closed to new customers; these rows are the checks an operator would make by
// hand before failing over, each with what to do about it.
import { DescribeCertificateCommand } from "@aws-sdk/client-acm";
import {
    GetBasePathMappingsCommand,
    GetDomainNameCommand,
    GetResourcesCommand,
} from "@aws-sdk/client-api-gateway";
import { GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
    GetFunctionConcurrencyCommand,
    GetFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { formatTable } from "../plan/report";
import { AwsCallError } from "./aws";
import type { OpsContext } from "./context";
import type { RegionOutputs, Service } from "./outputs";
import { alarmsOf, alarmStates, checkStatus, describeProbe, regionHealth } from "./status";

export type Verdict = "ok" | "warn" | "fail";

export interface ReadinessRow {
    check: string;
    region: string;
    verdict: Verdict;
    detail: string;
    /** What to do; empty when ok. */
    action: string;
}

/** A certificate closer than this to expiry has missed ACM's renewal (it renews 60 days before). */
const CERT_WARN_DAYS = 30;
/** Replication latency above this needs attention; AWS's checklist alarms at 180,000 ms. */
const REPLICATION_WARN_MS = 10_000;
const REPLICATION_FAIL_MS = 180_000;
/** How far back throttles and replication latency are looked at. */
const LOOKBACK_MINUTES = 15;

const row = (
    check: string,
    region: string,
    verdict: Verdict,
    detail: string,
    action = "",
): ReadinessRow => ({ check, region, verdict, detail, action: verdict === "ok" ? "" : action });

/**
 * Runs `check`; an AWS failure becomes a row that says what could not be asked: `fail` when the
 * region being checked did not answer or refused, `warn` when only another region (or Route 53's
 * API in us-east-1) is out of reach, since that says nothing against this region.
 */
async function guarded(
    check: string,
    region: string,
    run: () => Promise<ReadinessRow[]>,
): Promise<ReadinessRow[]> {
    try {
        return await run();
    } catch (e) {
        const elsewhere =
            e instanceof AwsCallError && e.kind === "unreachable" && e.region !== region;
        return [
            row(
                check,
                region,
                elsewhere ? "warn" : "fail",
                `could not check: ${(e as Error).message}`,
                elsewhere
                    ? `${region === "all" ? "not a finding" : `not a problem of ${region}`}: check again when ${e.region} answers`
                    : "fix access or retry",
            ),
        ];
    }
}

async function healthRow(ctx: OpsContext, service: Service, r: RegionOutputs) {
    const health = await regionHealth(ctx, service, r);
    return [
        row(
            "health",
            r.region,
            health.healthy ? "ok" : "fail",
            `${r.healthUrl}: ${describeProbe(health)}`,
            "the region cannot serve: see its health function's log and the table",
        ),
    ];
}

async function routingRows(
    ctx: OpsContext,
    r: RegionOutputs,
    releasing: boolean,
    avoid: string[],
): Promise<ReadinessRow[]> {
    const all = alarmsOf(r);
    const skipped = all
        .filter((a) => avoid.includes(a.region))
        .map((a) =>
            row(
                a.role,
                r.region,
                "warn",
                `alarm ${a.name} not checked: it lives in ${a.region}, the region being left`,
                `check it when ${a.region} answers (multi-region-api status)`,
            ),
        );
    const alarms = await alarmStates(
        ctx,
        all.filter((a) => !avoid.includes(a.region)),
    );
    return [
        ...skipped,
        ...alarms.map((a) => {
            if (a.problem) {
                return row(
                    a.role,
                    r.region,
                    "fail",
                    a.problem,
                    "check the alarm exists and access to CloudWatch in its region",
                );
            }
            const engaged = a.state === "ALARM";
            if (a.role === "switch" && releasing) {
                return row(
                    "switch",
                    r.region,
                    "ok",
                    `alarm ${a.name} in ${a.region}: ${a.state} (failback releases it)`,
                );
            }
            return row(
                a.role,
                r.region,
                engaged ? "fail" : a.state === "OK" ? "ok" : "warn",
                `alarm ${a.name} in ${a.region}: ${a.state}${engaged ? " (takes the region out of DNS)" : ""}`,
                a.role === "switch"
                    ? engaged
                        ? `release it: multi-region-api failback --to ${r.region}`
                        : "no data yet: the switch holds its last state; publish 0 to release it (failback)"
                    : "the guard sees the region failing: fix the cause first",
            );
        }),
    ];
}

async function certificateRows(ctx: OpsContext, r: RegionOutputs): Promise<ReadinessRow[]> {
    const out = await ctx.aws.call(
        r.region,
        new DescribeCertificateCommand({ CertificateArn: r.certificateArn }),
        (c, o) => ctx.aws.acm(r.region).send(c, o),
    );
    const cert = out.Certificate;
    const notAfter = cert?.NotAfter ? new Date(cert.NotAfter) : undefined;
    const days = notAfter ? Math.floor((notAfter.getTime() - ctx.now()) / 86_400_000) : undefined;
    const status = cert?.Status ?? "unknown";
    if (status !== "ISSUED" || days === undefined || days < 0) {
        return [
            row(
                "certificate",
                r.region,
                "fail",
                `${r.certificateArn}: ${status}${days !== undefined && days < 0 ? `, expired ${-days} days ago` : ""}`,
                "clients would fail TLS: check the DNS validation record and ACM's renewal",
            ),
        ];
    }
    return [
        row(
            "certificate",
            r.region,
            days < CERT_WARN_DAYS ? "warn" : "ok",
            `ISSUED, expires ${notAfter!.toISOString().slice(0, 10)} (${days} days)${cert?.RenewalSummary?.RenewalStatus ? `, renewal ${cert.RenewalSummary.RenewalStatus}` : ""}`,
            "ACM has not renewed it: check its DNS validation record is still in the zone",
        ),
    ];
}

async function domainRows(ctx: OpsContext, r: RegionOutputs): Promise<ReadinessRow[]> {
    const api = ctx.aws.apigateway(r.region);
    return Promise.all(
        [r.serviceName, r.regionalHostname].map(async (domainName) => {
            const [domain, mappings] = await Promise.all([
                ctx.aws.call(r.region, new GetDomainNameCommand({ domainName }), (c, o) =>
                    api.send(c, o),
                ),
                ctx.aws.call(r.region, new GetBasePathMappingsCommand({ domainName }), (c, o) =>
                    api.send(c, o),
                ),
            ]);
            const status = domain.domainNameStatus ?? "AVAILABLE";
            const mapped = (mappings.items ?? []).some(
                (m) => m.restApiId === r.restApiId && m.stage === r.stageName,
            );
            const problems = [
                ...(status === "AVAILABLE" ? [] : [`status ${status}`]),
                ...(mapped ? [] : [`no mapping to ${r.restApiId}/${r.stageName}`]),
            ];
            return row(
                "domain",
                r.region,
                problems.length === 0 ? "ok" : status === "UPDATING" && mapped ? "warn" : "fail",
                `${domainName}: ${problems.length === 0 ? `AVAILABLE, mapped to ${r.restApiId}/${r.stageName}` : problems.join(", ")}`,
                "requests to this name would not reach the API: run pulumi up on the stack",
            );
        }),
    );
}

async function tableRows(ctx: OpsContext, r: RegionOutputs): Promise<ReadinessRow[]> {
    const out = await ctx.aws.call(
        r.region,
        new DescribeTableCommand({ TableName: r.tableName }),
        (c, o) => ctx.aws.dynamodb(r.region).send(c, o),
    );
    const table = out.Table;
    const replicas = table?.Replicas ?? [];
    // The table this region reads and writes, and its replica here; other regions' replicas do
    // not stop this one from taking traffic.
    const own = replicas.find((rep) => rep.RegionName === r.region);
    const tableStatus = table?.TableStatus ?? "unknown";
    const replicaStatus = own?.ReplicaStatus ?? (replicas.length ? "missing" : "no replicas");
    const detail = `${r.tableName} ${tableStatus}; replica in ${r.region}: ${replicaStatus}; all replicas: ${replicas.map((rep) => `${rep.RegionName} ${rep.ReplicaStatus ?? "unknown"}`).join(", ") || "none"}`;
    const statuses = [tableStatus, replicaStatus];
    const verdict: Verdict = statuses.every((x) => x === "ACTIVE")
        ? "ok"
        : statuses.every((x) => x === "ACTIVE" || x === "UPDATING")
          ? "warn"
          : "fail";
    return [
        row(
            "table",
            r.region,
            verdict,
            detail,
            verdict === "warn"
                ? "the table is being updated: it serves, but check again before relying on it"
                : "this region's replica is not ACTIVE: its reads and writes would fail or not replicate",
        ),
    ];
}

function metricQuery(
    id: string,
    namespace: string,
    metricName: string,
    dimensions: Record<string, string>,
    stat: string,
): MetricDataQuery {
    return {
        Id: id,
        MetricStat: {
            Metric: {
                Namespace: namespace,
                MetricName: metricName,
                Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
            },
            Period: 60,
            Stat: stat,
        },
    };
}

async function recentMetrics(ctx: OpsContext, region: string, queries: MetricDataQuery[]) {
    const now = ctx.now();
    const out = await ctx.aws.call(
        region,
        new GetMetricDataCommand({
            StartTime: new Date(now - LOOKBACK_MINUTES * 60_000),
            EndTime: new Date(now),
            ScanBy: "TimestampDescending",
            MetricDataQueries: queries,
        }),
        (c, o) => ctx.aws.cloudwatch(region).send(c, o),
    );
    return new Map((out.MetricDataResults ?? []).map((m) => [m.Id, m.Values ?? []]));
}

async function capacityRows(ctx: OpsContext, r: RegionOutputs): Promise<ReadinessRow[]> {
    const functions = [r.apiFunctionName, r.healthFunctionName];
    const [metrics, concurrency] = await Promise.all([
        recentMetrics(
            ctx,
            r.region,
            functions.map((f, i) =>
                metricQuery(`throttles${i}`, "AWS/Lambda", "Throttles", { FunctionName: f }, "Sum"),
            ),
        ),
        Promise.all(
            functions.map((f) =>
                ctx.aws.call(
                    r.region,
                    new GetFunctionConcurrencyCommand({ FunctionName: f }),
                    (c, o) => ctx.aws.lambda(r.region).send(c, o),
                ),
            ),
        ),
    ]);
    return functions.map((f, i) => {
        const throttles = (metrics.get(`throttles${i}`) ?? []).reduce((a, b) => a + b, 0);
        const reserved = concurrency[i].ReservedConcurrentExecutions;
        if (reserved === 0) {
            return row(
                "capacity",
                r.region,
                "fail",
                `${f}: reserved concurrency 0 (the function is switched off)`,
                `aws lambda delete-function-concurrency --region ${r.region} --function-name ${f}, or pulumi up`,
            );
        }
        return row(
            "capacity",
            r.region,
            throttles > 0 ? "warn" : "ok",
            `${f}: ${throttles} throttles in ${LOOKBACK_MINUTES} min${reserved !== undefined ? `, reserved concurrency ${reserved}` : ""}`,
            "it throttles already: raise the account's concurrency quota in this region before moving traffic here",
        );
    });
}

/** Replication into `r` is measured by each region that sends to it (ReceivingRegion). */
async function replicationRows(
    ctx: OpsContext,
    service: Service,
    r: RegionOutputs,
): Promise<ReadinessRow[]> {
    const senders = service.regions.filter((s) => s.region !== r.region);
    return Promise.all(
        senders.map(async (s) => {
            const values = (
                await recentMetrics(ctx, s.region, [
                    metricQuery(
                        "latency",
                        "AWS/DynamoDB",
                        "ReplicationLatency",
                        { TableName: r.tableName, ReceivingRegion: r.region },
                        "Average",
                    ),
                ])
            ).get("latency");
            const latest = values?.[0];
            if (latest === undefined) {
                return row(
                    "replication",
                    r.region,
                    "warn",
                    `${s.region} → ${r.region}: no ReplicationLatency data in ${LOOKBACK_MINUTES} min`,
                    "no writes lately, or replication has stalled: write a test item and read it here",
                );
            }
            return row(
                "replication",
                r.region,
                latest >= REPLICATION_FAIL_MS
                    ? "fail"
                    : latest >= REPLICATION_WARN_MS
                      ? "warn"
                      : "ok",
                `${s.region} → ${r.region}: ${Math.round(latest)} ms`,
                "recent writes have not arrived: data written before failover may be missing",
            );
        }),
    );
}

async function endpointCheckRow(ctx: OpsContext, r: RegionOutputs): Promise<ReadinessRow[]> {
    const s = await checkStatus(ctx, {
        role: "endpoint",
        id: r.endpointHealthCheckId,
        source: "checkers",
    });
    return [
        row(
            "endpoint-check",
            r.region,
            s.healthy === true ? "ok" : s.healthy === false ? "fail" : "warn",
            `Route 53: ${s.detail}`,
            s.healthy === false
                ? "Route 53's checkers cannot reach /health: see status"
                : "wait for checker data",
        ),
    ];
}

/** The same code in every region (comparisons: calls in every region). */
async function codeRows(ctx: OpsContext, service: Service): Promise<ReadinessRow[]> {
    const code = await Promise.all(
        service.regions.map((r) =>
            Promise.all(
                [r.apiFunctionName, r.healthFunctionName].map((f) =>
                    ctx.aws
                        .call(
                            r.region,
                            new GetFunctionConfigurationCommand({ FunctionName: f }),
                            (c, o) => ctx.aws.lambda(r.region).send(c, o),
                        )
                        .then((out) => out.CodeSha256 ?? "unknown"),
                ),
            ),
        ),
    );
    return ["api", "health"].map((handler, i) => {
        const same = new Set(code.map((c) => c[i])).size === 1;
        return row(
            "code",
            "all",
            same ? "ok" : "warn",
            `${handler} function: ${same ? `same code (${code[0][i]})` : service.regions.map((r, k) => `${r.region} ${code[k][i]}`).join(", ")}`,
            "the regions run different code: deploy every stack from the same commit",
        );
    });
}

/** The same routes in every region. */
async function routeRows(ctx: OpsContext, service: Service): Promise<ReadinessRow[]> {
    const routes = await Promise.all(
        service.regions.map(async (r) => {
            const out = await ctx.aws.call(
                r.region,
                new GetResourcesCommand({ restApiId: r.restApiId, embed: ["methods"], limit: 500 }),
                (c, o) => ctx.aws.apigateway(r.region).send(c, o),
            );
            return new Set(
                (out.items ?? []).flatMap((res) =>
                    Object.keys(res.resourceMethods ?? {}).map((m) => `${m} ${res.path}`),
                ),
            );
        }),
    );
    const differences = service.regions.flatMap((r, k) =>
        [...routes[k]]
            .filter((route) => routes.some((other) => !other.has(route)))
            .map((route) => `${route} only in ${r.region}`),
    );
    return [
        row(
            "routes",
            "all",
            differences.length === 0 ? "ok" : "fail",
            differences.length === 0
                ? `same ${routes[0].size} routes everywhere`
                : differences.sort().join(", "),
            "clients would get 404 after failover: deploy every stack from the same commit",
        ),
    ];
}

export interface ReadinessOptions {
    /** Only these regions (default: every region). */
    regions?: RegionOutputs[];
    /**
     * Only checks that call the region itself (and its switch's region): no Route 53, no other
     * region. What `failover` and `failback` ask before they flip, so they work in an outage.
     */
    targetOnly?: boolean;
    /** The regions' own switches are about to be released (failback): engaged is expected. */
    releasing?: boolean;
    /** Regions not to call at all (the region being left, which may be down). */
    avoid?: string[];
}

/** Every readiness row, in a stable order (region, then check). */
export async function readiness(
    ctx: OpsContext,
    service: Service,
    options: ReadinessOptions = {},
): Promise<ReadinessRow[]> {
    const targets = options.regions ?? service.regions;
    const perRegion = await Promise.all(
        targets.map(async (r) =>
            (
                await Promise.all([
                    guarded("health", r.region, () => healthRow(ctx, service, r)),
                    guarded("switch", r.region, () =>
                        routingRows(ctx, r, options.releasing ?? false, options.avoid ?? []),
                    ),
                    guarded("certificate", r.region, () => certificateRows(ctx, r)),
                    guarded("domain", r.region, () => domainRows(ctx, r)),
                    guarded("table", r.region, () => tableRows(ctx, r)),
                    guarded("capacity", r.region, () => capacityRows(ctx, r)),
                    ...(options.targetOnly
                        ? []
                        : [
                              guarded("endpoint-check", r.region, () => endpointCheckRow(ctx, r)),
                              guarded("replication", r.region, () =>
                                  replicationRows(ctx, service, r),
                              ),
                          ]),
                ])
            ).flat(),
        ),
    );
    const comparisons =
        options.targetOnly || service.regions.length < 2
            ? []
            : (
                  await Promise.all([
                      guarded("code", "all", () => codeRows(ctx, service)),
                      guarded("routes", "all", () => routeRows(ctx, service)),
                  ])
              ).flat();
    return [...perRegion.flat(), ...comparisons];
}

export const readinessPasses = (rows: ReadinessRow[]) => rows.every((r) => r.verdict !== "fail");

export function readinessText(rows: ReadinessRow[]): string {
    const fails = rows.filter((r) => r.verdict === "fail").length;
    const warns = rows.filter((r) => r.verdict === "warn").length;
    return [
        formatTable([
            ["check", "region", "verdict", "detail", "what to do"],
            ...rows.map((r) => [r.check, r.region, r.verdict, r.detail, r.action]),
        ]),
        "",
        fails === 0
            ? `Ready${warns ? ` (${warns} warning${warns === 1 ? "" : "s"})` : ""}.`
            : `Not ready: ${fails} failed check${fails === 1 ? "" : "s"}.`,
    ].join("\n");
}
