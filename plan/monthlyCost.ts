/**
 * Monthly cost of the failover machinery: Route 53 health checks, the CloudWatch alarms behind
 * CLOUDWATCH_METRIC checks, this project's share of a hosted zone, and the optional AWS WAF web
 * ACL. Query charges depend on traffic, so they are listed as rates, not summed.
 *
 * Prices and their sources are in {@link PRICES}. Pure functions over plain data.
 */
import { ENDPOINT_CHECK_TYPES, SimHealthCheck, unmodelledCheckTypeError } from "./route53Simulator";

// Printed sentences cite their sources by full URL.
const PRICING_URL = "https://aws.amazon.com/route53/pricing/";
const WAF_PRICING_URL = "https://aws.amazon.com/waf/pricing/";
const ALIAS_TO_API_GATEWAY_URL =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-api-gateway.html";
const HEALTH_CHECK_CONFIG_URL =
    "https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html";

/** The month a worst-case query count covers: 30 days, in seconds. */
const SECONDS_PER_MONTH = 30 * 24 * 60 * 60;
/** Resolver fleet size the CNAME query rates are illustrated with. */
const EXAMPLE_RESOLVER_COUNT = 1000;

/**
 * USD prices used by {@link monthlyCost}.
 *
 * Route 53: [PRICE] as transcribed verbatim (page read 2026-09-20) by
 * https://github.com/api-evangelist/amazon-route53-resolver/blob/HEAD/plans/amazon-route53-resolver-plans-pricing.yml
 * plus
 * https://github.com/infracost/infracost/blob/HEAD/internal/resources/aws/route53_health_check.go;
 * amounts are "confirmed by transcription", not read from the AWS page itself. CloudWatch alarm:
 * $0.10 per standard-resolution alarm metric, from the third-party
 * https://c3x.dev/resources/aws/aws_cloudwatch_metric_alarm, with the free tier from
 * https://aws.amazon.com/cloudwatch/pricing/ .
 */
export const PRICES = {
    source: "Route 53: https://aws.amazon.com/route53/pricing/ as transcribed by https://github.com/api-evangelist/amazon-route53-resolver/blob/HEAD/plans/amazon-route53-resolver-plans-pricing.yml and https://github.com/infracost/infracost/blob/HEAD/internal/resources/aws/route53_health_check.go; CloudWatch: https://aws.amazon.com/cloudwatch/pricing/ and https://c3x.dev/resources/aws/aws_cloudwatch_metric_alarm",
    readOn: "2026-09-20",
    /** Health check of an AWS endpoint, per month. */
    healthCheckAwsEndpoint: 0.5,
    /** Health check of a non-AWS endpoint, per month. */
    healthCheckNonAwsEndpoint: 0.75,
    /** Each optional feature (HTTPS, string matching, fast interval, latency), AWS endpoint. */
    optionalFeatureAwsEndpoint: 1.0,
    /** Each optional feature on a non-AWS endpoint. */
    optionalFeatureNonAwsEndpoint: 2.0,
    /** Health checks of AWS endpoints free per account (ignored by {@link monthlyCost}). */
    freeAwsEndpointHealthChecks: 50,
    /** Hosted zone, per month, first 25 zones. */
    hostedZone: 0.5,
    /** Hosted zone, per month, beyond 25 zones. */
    hostedZoneAdditional: 0.1,
    /** Per million standard queries, first 1 billion per month. */
    standardQueriesPerMillion: 0.4,
    /** Per million standard queries beyond 1 billion per month. */
    standardQueriesPerMillionOver1B: 0.2,
    /** Per million latency-based routing queries, first 1 billion per month. */
    latencyQueriesPerMillion: 0.6,
    /** Per million latency-based routing queries beyond 1 billion per month. */
    latencyQueriesPerMillionOver1B: 0.3,
    /** Standard-resolution CloudWatch alarm metric, per month. */
    cloudwatchAlarmStandard: 0.1,
    /** Standard-resolution alarm metrics free per account (ignored by {@link monthlyCost}). */
    freeCloudwatchAlarms: 10,
    /**
     * AWS WAF, the same in every region: per web ACL and per rule per month, per million requests
     * inspected. https://aws.amazon.com/waf/pricing/ as summarised (2026) by
     * https://c3x.dev/blog/aws-waf-cost-explained/ and AWS's own blog
     * https://aws.amazon.com/blogs/networking-and-content-delivery/cost-effective-ways-for-securing-your-web-applications-using-aws-waf/ .
     */
    wafWebAcl: 5.0,
    wafRule: 1.0,
    wafRequestsPerMillion: 0.6,
    /** Lambda: per request, and per GB-second on arm64 (https://aws.amazon.com/lambda/pricing/). */
    lambdaRequest: 0.0000002,
    lambdaArmGbSecond: 0.0000133334,
    /** CloudWatch API requests such as PutMetricData, each (https://aws.amazon.com/cloudwatch/pricing/: $0.01 per 1,000). */
    cloudwatchApiRequest: 0.00001,
    /** GetMetricData, per metric requested ($0.01 per 1,000; https://aws.amazon.com/cloudwatch/pricing/). */
    cloudwatchGetMetricDataMetric: 0.00001,
    /** CloudWatch custom metric, per month, first 10,000 (https://aws.amazon.com/cloudwatch/pricing/). */
    cloudwatchCustomMetric: 0.3,
    /** S3 Standard LIST request, each ($0.005 per 1,000; third-party figure, UNCONFIRMED). */
    s3ListRequest: 0.000005,
    /** CloudWatch dashboard, per month, beyond the account's 3 free (https://aws.amazon.com/cloudwatch/pricing/). */
    cloudwatchDashboard: 3.0,
    /** CloudWatch composite alarm, per month (https://aws.amazon.com/cloudwatch/pricing/). */
    cloudwatchCompositeAlarm: 0.5,
    /** KMS customer managed key, per month (https://aws.amazon.com/kms/pricing/). */
    kmsKey: 1.0,
    /** AWS FIS, per action-minute, in every commercial region (https://aws.amazon.com/fis/pricing/). */
    fisActionMinute: 0.1,
} as const;

/** One priced line of a {@link MonthlyCost}. */
export interface CostLine {
    item: string;
    count: number;
    unitUsd: number;
    usd: number;
}

/** Monthly cost, USD, rounded to cents. */
export interface MonthlyCost {
    /** The priced lines only: what {@link notComputed} lists is not in it. */
    totalUsd: number;
    lines: CostLine[];
    /** Traffic-dependent prices, as rates. */
    rates: string[];
    assumptions: string[];
    /** What could not be priced, each naming the health check or record and why. */
    notComputed: string[];
}

/** A routed record, as far as the price of its queries goes. */
export interface RoutedRecord {
    /** Who declared it (for example `stack/name`), for what cannot be priced. */
    label?: string;
    /**
     * Its routing policy: "failover", "latency", or the name of one nothing here prices
     * ("weighted routing", ...; alias queries to API Gateway are free whatever the policy).
     */
    policy: string;
    /** alias: an alias to an API Gateway regional domain name; cname: a non-alias CNAME record. */
    kind: "alias" | "cname";
    /** The CNAME's `ttl`, seconds: required for a CNAME; an alias has none of its own. */
    ttl?: number;
}

/** Arguments of {@link monthlyCost}. */
export interface MonthlyCostArgs {
    /** Every Route 53 health check (disabled ones are billed too). */
    checks: SimHealthCheck[];
    /** Standard-resolution CloudWatch alarms created for the failover machinery. */
    alarmCount: number;
    /** Fraction of one hosted zone's monthly price charged to this deployment (0 to 1). */
    hostedZoneShare: number;
    /**
     * The routed records whose queries this deployment pays for; the rates then state what each
     * kind present costs. Omitted: the records are unknown, and the rates list every query price
     * that could apply.
     */
    routedRecords?: RoutedRecord[];
    /** One entry per AWS WAF web ACL: its number of rules. */
    webAclRules?: number[];
    /** Dashboards, customer managed KMS keys (SNS topics CloudWatch can publish to), composite alarms. */
    observability?: { dashboards: number; keys: number; compositeAlarms: number };
    /** One entry per derived-metric bridge: its runs per month and the metrics each run reads. */
    bridges?: { runsPerMonth: number; metricsPerRun: number }[];
    /** One entry per PeerProbe: its scheduled runs per month and its peers (one metric each). */
    peerProbes?: { runsPerMonth: number; peers: number }[];
    /** Chaos-ready functions (the FIS extension polls S3) and the experiments a drill may start. */
    chaos?: { pollingFunctions: number; experiments: { label: string; maxMinutes: number }[] };
}

/** Runs of a function scheduled every minute for 30 days. */
export const RUNS_PER_MONTH_EVERY_MINUTE = SECONDS_PER_MONTH / 60;
/** Assumed duration of a PeerProbe run, seconds: a few HTTPS requests and one PutMetricData. */
const PEER_PROBE_SECONDS = 1;
/** Memory of a PeerProbe function, GB. */
const PEER_PROBE_GB = 0.125;

/** Rounds USD to cents. */
function roundCents(usd: number): number {
    return Math.round((usd + Number.EPSILON) * 100) / 100;
}

const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** "$1,555.20". */
function usd(amount: number): string {
    return dollars.format(amount);
}

/** "2,592,000". */
function thousands(n: number): string {
    return n.toLocaleString("en-US");
}

const standardQueries = `${usd(PRICES.standardQueriesPerMillion)} per million standard queries (first 1 billion per month), ${usd(PRICES.standardQueriesPerMillionOver1B)} per million after`;
const latencyQueries = `${usd(PRICES.latencyQueriesPerMillion)} per million latency-based routing queries (first 1 billion per month), ${usd(PRICES.latencyQueriesPerMillionOver1B)} per million after`;
const aliasQueriesFree = `queries are free (${ALIAS_TO_API_GATEWAY_URL})`;

/**
 * What the queries of one kind of routed record cost. Alias queries to API Gateway are free
 * [DG:routing-to-api-gateway]. A CNAME is billed per query at the policy's rate [PRICE]: failover
 * queries are standard queries. A resolver that honours the TTL asks for a name at most once per
 * TTL, so one resolver's worst case is a month over the TTL; a fleet of resolvers shows the scale.
 */
function queryRate(record: RoutedRecord): string {
    const policy = record.policy.charAt(0).toUpperCase() + record.policy.slice(1);
    const who = record.label
        ? `Record "${record.label}" (${record.policy}, ${record.kind})`
        : `A routed ${record.policy} ${record.kind === "alias" ? "alias" : "CNAME"} record`;
    if (record.kind === "alias") {
        if (record.ttl !== undefined) {
            throw new Error(`${who} has ttl ${record.ttl}; alias records have no TTL of their own`);
        }
        return `${policy} alias records to API Gateway: ${aliasQueriesFree}.`;
    }
    if (record.policy !== "failover" && record.policy !== "latency") {
        throw new Error(
            `${who}: the query price of ${record.policy} is not in the price table (failover and latency only)`,
        );
    }
    const ttl = record.ttl;
    if (ttl === undefined) {
        throw new Error(`${who} has no ttl; non-alias records need one`);
    }
    if (!Number.isInteger(ttl) || ttl < 0) {
        throw new Error(`${who} has ttl ${ttl}; expected a whole number of seconds >= 0`);
    }
    const [rates, firstTierPerMillion] =
        record.policy === "failover"
            ? [standardQueries, PRICES.standardQueriesPerMillion]
            : [latencyQueries, PRICES.latencyQueriesPerMillion];
    const price = `${policy} CNAME records (TTL ${ttl} s): ${rates} (${PRICING_URL}).`;
    if (ttl === 0) {
        return `${price} With TTL 0 resolvers do not cache the answer, so every client lookup is a billed query: there is no per-resolver bound.`;
    }
    const perResolver = Math.ceil(SECONDS_PER_MONTH / ttl);
    const roundedUp = perResolver * ttl === SECONDS_PER_MONTH ? "" : " (rounded up)";
    const fleet = EXAMPLE_RESOLVER_COUNT * perResolver;
    const fleetUsd = roundCents((fleet / 1_000_000) * firstTierPerMillion);
    return `${price} Worst case, a resolver that honours the TTL asks ${thousands(SECONDS_PER_MONTH)} s (30 days) / ${ttl} s = ${thousands(perResolver)}${roundedUp} times a month per routed name; ${thousands(EXAMPLE_RESOLVER_COUNT)} such resolvers: ${thousands(EXAMPLE_RESOLVER_COUNT)} × ${thousands(perResolver)} = ${thousands(fleet)} queries × ${usd(firstTierPerMillion)} per million = ${usd(fleetUsd)} a month at the first-tier rate.`;
}

/**
 * One rate per distinct kind of routed record (policy, kind, TTL), in a stable order; a record
 * whose queries cannot be priced goes to `notComputed` instead, named.
 */
function queryRates(routedRecords: RoutedRecord[] | undefined, notComputed: string[]): string[] {
    if (routedRecords === undefined) {
        return [
            `${standardQueries} (${PRICING_URL}).`,
            `${latencyQueries} (${PRICING_URL}).`,
            `Alias records to API Gateway: ${aliasQueriesFree}.`,
        ];
    }
    const rates = new Map<string, { record: RoutedRecord; rate: string }>();
    for (const record of routedRecords) {
        try {
            const rate = queryRate(record);
            rates.set(`${record.policy} ${record.kind} ${record.ttl ?? ""}`, { record, rate });
        } catch (e) {
            notComputed.push(`${(e as Error).message}: its query price is not computed.`);
        }
    }
    return [...rates.values()]
        .sort(
            ({ record: a }, { record: b }) =>
                a.policy.localeCompare(b.policy) ||
                a.kind.localeCompare(b.kind) ||
                (a.ttl ?? 0) - (b.ttl ?? 0),
        )
        .map(({ rate }) => rate);
}

/**
 * Monthly cost of the failover machinery.
 *
 * Endpoint health checks are priced as AWS endpoints: $0.50 base plus $1.00 per optional feature
 * (HTTPS, string matching, 10 s interval, latency measurement), each feature counted separately as
 * infracost does for HTTPS_STR_MATCH [PRICE], [DG:health-checks-creating-values]. CALCULATED and
 * CLOUDWATCH_METRIC checks are priced at the AWS-endpoint base without features (their price class
 * is UNCONFIRMED). Free tiers are ignored. Disabled checks are billed [API:HealthCheckConfig]
 * Disabled. Query charges are rates (see {@link MonthlyCostArgs.routedRecords}), not in the total.
 *
 * A health check of a type nothing prices (RECOVERY_CONTROL, an unknown type) and a routed record
 * whose queries cannot be priced (a TTL contradicting its kind, a policy outside the price table)
 * are left out and listed in {@link MonthlyCost.notComputed}, named, with the reason.
 *
 * @throws Error for arguments no plan produces (a fractional alarm count, a negative zone share).
 */
export function monthlyCost(args: MonthlyCostArgs): MonthlyCost {
    if (!Number.isInteger(args.alarmCount) || args.alarmCount < 0) {
        throw new Error(`alarmCount must be a whole number >= 0, got ${args.alarmCount}`);
    }
    if (!Number.isFinite(args.hostedZoneShare) || args.hostedZoneShare < 0) {
        throw new Error(`hostedZoneShare must be a number >= 0, got ${args.hostedZoneShare}`);
    }
    const notComputed: string[] = [];
    const count = {
        endpoint: 0,
        https: 0,
        stringMatch: 0,
        fastInterval: 0,
        latency: 0,
        calculated: 0,
        metric: 0,
    };
    for (const check of args.checks) {
        if (ENDPOINT_CHECK_TYPES.includes(check.type)) {
            count.endpoint += 1;
            if (check.type === "HTTPS" || check.type === "HTTPS_STR_MATCH") {
                count.https += 1;
            }
            if (check.type.endsWith("_STR_MATCH")) {
                count.stringMatch += 1;
            }
            if (check.requestInterval === 10) {
                count.fastInterval += 1;
            }
            if (check.measureLatency === true) {
                count.latency += 1;
            }
        } else if (check.type === "CALCULATED") {
            count.calculated += 1;
        } else if (check.type === "CLOUDWATCH_METRIC") {
            count.metric += 1;
        } else {
            notComputed.push(
                `${unmodelledCheckTypeError(check).message}: it is not priced, nor in the total.`,
            );
        }
    }

    const webAcls = args.webAclRules ?? [];
    if (!webAcls.every((n) => Number.isInteger(n) && n >= 0)) {
        throw new Error(`webAclRules must be whole numbers >= 0, got ${webAcls.join(", ")}`);
    }
    const base = PRICES.healthCheckAwsEndpoint;
    const feature = PRICES.optionalFeatureAwsEndpoint;
    const probes = args.peerProbes ?? [];
    const probeRuns = probes.reduce((sum, p) => sum + p.runsPerMonth, 0);
    const chaos = args.chaos;
    const bridges = args.bridges ?? [];
    const bridgeRuns = bridges.reduce((sum, b) => sum + b.runsPerMonth, 0);
    // The extension polls its S3 location about once a minute while an environment is active.
    const polls = (chaos?.pollingFunctions ?? 0) * RUNS_PER_MONTH_EVERY_MINUTE;
    const candidates: [string, number, number][] = [
        ["Route 53 health check, AWS endpoint", count.endpoint, base],
        ["Health check optional feature: HTTPS", count.https, feature],
        ["Health check optional feature: string matching", count.stringMatch, feature],
        ["Health check optional feature: fast interval (10 s)", count.fastInterval, feature],
        ["Health check optional feature: latency measurement", count.latency, feature],
        ["Route 53 health check, CALCULATED (priced as AWS endpoint)", count.calculated, base],
        ["Route 53 health check, CLOUDWATCH_METRIC (priced as AWS endpoint)", count.metric, base],
        ["CloudWatch alarm, standard resolution", args.alarmCount, PRICES.cloudwatchAlarmStandard],
        ["Route 53 hosted zone (share)", args.hostedZoneShare, PRICES.hostedZone],
        ["AWS WAF web ACL", webAcls.length, PRICES.wafWebAcl],
        ["AWS WAF rule", webAcls.reduce((sum, n) => sum + n, 0), PRICES.wafRule],
        ["Peer probe: Lambda requests", probeRuns, PRICES.lambdaRequest],
        [
            `Peer probe: Lambda compute, GB-seconds (arm64, ${PEER_PROBE_GB * 1024} MB, ${PEER_PROBE_SECONDS} s a run assumed)`,
            probeRuns * PEER_PROBE_GB * PEER_PROBE_SECONDS,
            PRICES.lambdaArmGbSecond,
        ],
        ["Peer probe: PutMetricData requests", probeRuns, PRICES.cloudwatchApiRequest],
        [
            "CloudWatch custom metric (PeerHealthy, one per peer)",
            probes.reduce((sum, p) => sum + p.peers, 0),
            PRICES.cloudwatchCustomMetric,
        ],
        ["FIS extension: S3 LIST polls of the fault configuration", polls, PRICES.s3ListRequest],
        ["CloudWatch dashboard", args.observability?.dashboards ?? 0, PRICES.cloudwatchDashboard],
        [
            "CloudWatch composite alarm",
            args.observability?.compositeAlarms ?? 0,
            PRICES.cloudwatchCompositeAlarm,
        ],
        [
            "KMS key (an SNS topic's; CloudWatch cannot use the AWS-managed one)",
            args.observability?.keys ?? 0,
            PRICES.kmsKey,
        ],
        ["Derived-metric bridge: Lambda requests", bridgeRuns, PRICES.lambdaRequest],
        [
            `Derived-metric bridge: Lambda compute, GB-seconds (arm64, ${PEER_PROBE_GB * 1024} MB, ${PEER_PROBE_SECONDS} s a run assumed)`,
            bridgeRuns * PEER_PROBE_GB * PEER_PROBE_SECONDS,
            PRICES.lambdaArmGbSecond,
        ],
        [
            "Derived-metric bridge: GetMetricData metrics requested",
            bridges.reduce((sum, b) => sum + b.runsPerMonth * b.metricsPerRun, 0),
            PRICES.cloudwatchGetMetricDataMetric,
        ],
        ["Derived-metric bridge: PutMetricData requests", bridgeRuns, PRICES.cloudwatchApiRequest],
        [
            "CloudWatch custom metric (derived: LatencyP99Ms, ErrorRatePercent)",
            bridges.length,
            PRICES.cloudwatchCustomMetric,
        ],
    ];
    const lines: CostLine[] = candidates
        .filter(([, n]) => n > 0)
        .map(([item, n, unitUsd]) => ({ item, count: n, unitUsd, usd: roundCents(n * unitUsd) }));
    const totalUsd = roundCents(lines.reduce((sum, line) => sum + line.usd, 0));

    const assumptions = [
        `Prices from ${PRICES.source}, read ${PRICES.readOn}; Route 53 amounts are confirmed by transcription, not read from the AWS page itself.`,
        `Every endpoint health check is priced as an AWS endpoint (${usd(base)} + ${usd(feature)} per optional feature); whether an API Gateway custom domain counts as an AWS endpoint is UNCONFIRMED (non-AWS: ${usd(PRICES.healthCheckNonAwsEndpoint)} + ${usd(PRICES.optionalFeatureNonAwsEndpoint)} per feature).`,
        `The free tier of ${PRICES.freeAwsEndpointHealthChecks} AWS-endpoint health checks is ignored (the account may already use it).`,
        `Disabled health checks are billed like enabled ones (Disabled, ${HEALTH_CHECK_CONFIG_URL}).`,
        `CloudWatch alarms at ${usd(PRICES.cloudwatchAlarmStandard)} per standard-resolution alarm metric; the free tier of ${PRICES.freeCloudwatchAlarms} alarm metrics is ignored.`,
        `Hosted zone at ${usd(PRICES.hostedZone)} per month (first 25 zones) × the given share; records beyond 10,000 are not counted.`,
        `Query charges depend on traffic and are listed as rates, not included in the total.`,
    ];
    if ((args.observability?.dashboards ?? 0) > 0) {
        assumptions.push(
            `Dashboards at ${usd(PRICES.cloudwatchDashboard)} a month (the account's 3 free ones are ignored); SNS notifications and KMS requests cost cents and are not priced.`,
        );
    }
    if (bridges.length > 0) {
        assumptions.push(
            `A derived-metric bridge runs every minute for about ${PEER_PROBE_SECONDS} s, reads ${bridges[0].metricsPerRun} metrics with GetMetricData (${usd(PRICES.cloudwatchGetMetricDataMetric * 1000)} per 1,000 metrics) and publishes one with PutMetricData; Lambda and CloudWatch free tiers are ignored.`,
        );
    }
    if (probes.length > 0) {
        assumptions.push(
            `A PeerProbe runs every minute (${thousands(RUNS_PER_MONTH_EVERY_MINUTE)} runs in 30 days) for about ${PEER_PROBE_SECONDS} s; Lambda at ${usd(PRICES.lambdaRequest * 1_000_000)} per million requests and ${PRICES.lambdaArmGbSecond} USD per GB-second (arm64), PutMetricData at ${usd(PRICES.cloudwatchApiRequest * 1000)} per 1,000 requests, custom metrics at ${usd(PRICES.cloudwatchCustomMetric)} each; the free tiers are ignored, and EventBridge scheduled events are not billed (UNCONFIRMED).`,
        );
    }
    if (chaos) {
        assumptions.push(
            `The FIS Lambda extension polls its S3 location about every 60 s while a function's execution environment is active (https://docs.aws.amazon.com/fis/latest/userguide/use-lambda-actions.html): one LIST each, for one always-active environment per function (${chaos.pollingFunctions} × ${thousands(RUNS_PER_MONTH_EVERY_MINUTE)}), at $${(PRICES.s3ListRequest * 1000).toFixed(3)} per 1,000 (UNCONFIRMED third-party price); idle environments do not poll, busy functions with many environments poll more. The polls' own billed duration is not included.`,
        );
    }
    if (count.calculated + count.metric > 0) {
        assumptions.splice(
            2,
            0,
            `CALCULATED and CLOUDWATCH_METRIC health checks are priced at the AWS-endpoint base ${usd(base)} with no optional features: their price class is UNCONFIRMED.`,
        );
    }

    return {
        totalUsd,
        lines,
        rates: [
            ...queryRates(args.routedRecords, notComputed),
            `${usd(PRICES.hostedZoneAdditional)} per hosted zone per month beyond 25 zones (${PRICING_URL}).`,
            ...(webAcls.length > 0
                ? [
                      `${usd(PRICES.wafRequestsPerMillion)} per million requests an AWS WAF web ACL inspects, blocked ones included (${WAF_PRICING_URL}).`,
                  ]
                : []),
            ...(chaos?.experiments ?? []).map(
                (e) =>
                    `A chaos drill with ${e.label} runs one FIS action for at most ${e.maxMinutes} min: at most ${usd(roundCents(e.maxMinutes * PRICES.fisActionMinute))} (${usd(PRICES.fisActionMinute)} per action-minute, https://aws.amazon.com/fis/pricing/); stopping it early costs less.`,
            ),
        ],
        assumptions,
        notComputed,
    };
}
