/**
 * Monthly cost of the failover machinery: Route 53 health checks, the CloudWatch alarms behind
 * CLOUDWATCH_METRIC checks, and this project's share of a hosted zone. Query charges depend on
 * traffic, so they are listed as rates, not summed.
 *
 * Prices from `shared/reference/route53-semantics.md` §7. Pure functions over plain data.
 */
import { ENDPOINT_CHECK_TYPES, SimHealthCheck } from "./route53Simulator";

/**
 * USD prices used by {@link monthlyCost}.
 *
 * Route 53: [PRICE] = https://aws.amazon.com/route53/pricing/ as transcribed verbatim by
 * `api-evangelist/amazon-route53-resolver` `plans/amazon-route53-resolver-plans-pricing.yml`
 * (page read 2026-09-20), plus `infracost/infracost`
 * `internal/resources/aws/route53_health_check.go`; amounts are "confirmed by transcription", not
 * read from the AWS page itself. CloudWatch alarm: $0.10 per standard-resolution alarm metric
 * (c3x.dev/resources/aws/aws_cloudwatch_metric_alarm, third-party) with the free tier from
 * https://aws.amazon.com/cloudwatch/pricing/ .
 */
export const PRICES = {
    source: "Route 53: https://aws.amazon.com/route53/pricing/ as transcribed by api-evangelist/amazon-route53-resolver plans/amazon-route53-resolver-plans-pricing.yml and infracost internal/resources/aws/route53_health_check.go [PRICE]; CloudWatch: https://aws.amazon.com/cloudwatch/pricing/ and c3x.dev/resources/aws/aws_cloudwatch_metric_alarm",
    readOn: "2026-09-20",
    /** Health check of an AWS endpoint, per month. */
    healthCheckAwsEndpoint: 0.5,
    /** Health check of a non-AWS endpoint, per month. */
    healthCheckNonAwsEndpoint: 0.75,
    /** Each optional feature (HTTPS, string matching, fast interval, latency) on an AWS endpoint. */
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
    /** Per million latency-routing queries, first 1 billion per month. */
    latencyQueriesPerMillion: 0.6,
    /** Per million latency-routing queries beyond 1 billion per month. */
    latencyQueriesPerMillionOver1B: 0.3,
    /** Standard-resolution CloudWatch alarm metric, per month. */
    cloudwatchAlarmStandard: 0.1,
    /** Standard-resolution alarm metrics free per account (ignored by {@link monthlyCost}). */
    freeCloudwatchAlarms: 10,
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
    totalUsd: number;
    lines: CostLine[];
    /** Traffic-dependent prices, as rates. */
    rates: string[];
    assumptions: string[];
}

/** Arguments of {@link monthlyCost}. */
export interface MonthlyCostArgs {
    /** Every Route 53 health check (disabled ones are billed too). */
    checks: SimHealthCheck[];
    /** Standard-resolution CloudWatch alarms created for the failover machinery. */
    alarmCount: number;
    /** Fraction of one hosted zone's monthly price charged to this deployment (0 to 1). */
    hostedZoneShare: number;
}

/** Rounds USD to cents. */
export function roundCents(usd: number): number {
    return Math.round((usd + Number.EPSILON) * 100) / 100;
}

function usd(amount: number): string {
    return `$${amount.toFixed(2)}`;
}

/**
 * Monthly cost of the failover machinery (reference §7).
 *
 * Endpoint health checks are priced as AWS endpoints: $0.50 base plus $1.00 per optional feature
 * (HTTPS, string matching, 10 s interval, latency measurement), each feature counted separately as
 * infracost does for HTTPS_STR_MATCH [PRICE], [DG:health-checks-creating-values]. CALCULATED,
 * CLOUDWATCH_METRIC and RECOVERY_CONTROL checks are priced at the AWS-endpoint base without features
 * (their price class is UNCONFIRMED). Free tiers are ignored. Disabled checks are billed
 * [API:HealthCheckConfig] Disabled.
 */
export function monthlyCost(args: MonthlyCostArgs): MonthlyCost {
    if (!Number.isInteger(args.alarmCount) || args.alarmCount < 0) {
        throw new Error(`alarmCount must be a whole number >= 0, got ${args.alarmCount}`);
    }
    if (!Number.isFinite(args.hostedZoneShare) || args.hostedZoneShare < 0) {
        throw new Error(`hostedZoneShare must be a number >= 0, got ${args.hostedZoneShare}`);
    }
    const count = {
        endpoint: 0,
        https: 0,
        stringMatch: 0,
        fastInterval: 0,
        latency: 0,
        calculated: 0,
        metric: 0,
        recoveryControl: 0,
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
        } else if (check.type === "RECOVERY_CONTROL") {
            count.recoveryControl += 1;
        } else {
            throw new Error(`Health check "${check.id}" has unknown type "${check.type}"`);
        }
    }

    const base = PRICES.healthCheckAwsEndpoint;
    const feature = PRICES.optionalFeatureAwsEndpoint;
    const candidates: [string, number, number][] = [
        ["Route 53 health check, AWS endpoint", count.endpoint, base],
        ["Health check optional feature: HTTPS", count.https, feature],
        ["Health check optional feature: string matching", count.stringMatch, feature],
        ["Health check optional feature: fast interval (10 s)", count.fastInterval, feature],
        ["Health check optional feature: latency measurement", count.latency, feature],
        ["Route 53 health check, CALCULATED (priced as AWS endpoint)", count.calculated, base],
        ["Route 53 health check, CLOUDWATCH_METRIC (priced as AWS endpoint)", count.metric, base],
        [
            "Route 53 health check, RECOVERY_CONTROL (priced as AWS endpoint)",
            count.recoveryControl,
            base,
        ],
        ["CloudWatch alarm, standard resolution", args.alarmCount, PRICES.cloudwatchAlarmStandard],
        ["Route 53 hosted zone (share)", args.hostedZoneShare, PRICES.hostedZone],
    ];
    const lines: CostLine[] = candidates
        .filter(([, n]) => n > 0)
        .map(([item, n, unitUsd]) => ({ item, count: n, unitUsd, usd: roundCents(n * unitUsd) }));
    const totalUsd = roundCents(lines.reduce((sum, line) => sum + line.usd, 0));

    const assumptions = [
        `Prices from ${PRICES.source}, read ${PRICES.readOn}; Route 53 amounts are confirmed by transcription, not read from the AWS page itself.`,
        `Every endpoint health check is priced as an AWS endpoint (${usd(base)} + ${usd(feature)} per optional feature); whether an API Gateway custom domain counts as an AWS endpoint is UNCONFIRMED (non-AWS: ${usd(PRICES.healthCheckNonAwsEndpoint)} + ${usd(PRICES.optionalFeatureNonAwsEndpoint)} per feature).`,
        `The free tier of ${PRICES.freeAwsEndpointHealthChecks} AWS-endpoint health checks is ignored (the account may already use it).`,
        `Disabled health checks are billed like enabled ones [API:HealthCheckConfig] Disabled.`,
        `CloudWatch alarms at ${usd(PRICES.cloudwatchAlarmStandard)} per standard-resolution alarm metric; the free tier of ${PRICES.freeCloudwatchAlarms} alarm metrics is ignored.`,
        `Hosted zone at ${usd(PRICES.hostedZone)} per month (first 25 zones) × the given share; records beyond 10,000 are not counted.`,
        `Query charges depend on traffic and are listed as rates, not included in the total.`,
    ];
    if (count.calculated + count.metric + count.recoveryControl > 0) {
        assumptions.splice(
            2,
            0,
            `CALCULATED, CLOUDWATCH_METRIC and RECOVERY_CONTROL health checks are priced at the AWS-endpoint base ${usd(base)} with no optional features: their price class is UNCONFIRMED.`,
        );
    }
    if (count.recoveryControl > 0) {
        assumptions.push(
            `The Route 53 ARC cluster behind RECOVERY_CONTROL checks is billed hourly; its amount is UNCONFIRMED and not included.`,
        );
    }

    return {
        totalUsd,
        lines,
        rates: [
            `${usd(PRICES.standardQueriesPerMillion)} per million standard queries (first 1 billion per month), ${usd(PRICES.standardQueriesPerMillionOver1B)} per million after`,
            `${usd(PRICES.latencyQueriesPerMillion)} per million latency queries (first 1 billion per month), ${usd(PRICES.latencyQueriesPerMillionOver1B)} per million after`,
            `$0.00 for alias queries to API Gateway APIs [DG:routing-to-api-gateway]; whether failover or latency alias queries answered with an API Gateway alias are free is UNCONFIRMED`,
            `${usd(PRICES.hostedZoneAdditional)} per hosted zone per month beyond 25 zones`,
        ],
        assumptions,
    };
}
