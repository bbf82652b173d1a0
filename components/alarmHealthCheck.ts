import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgProblems, known, shown } from "./validation";

/** The statistics a Route 53 CLOUDWATCH_METRIC health check accepts ([API:CloudWatchAlarmConfiguration]). */
export const ROUTE53_STATISTICS = ["Average", "Minimum", "Maximum", "Sum", "SampleCount"] as const;
export type AlarmStatistic = (typeof ROUTE53_STATISTICS)[number];

export type ComparisonOperator =
    | "GreaterThanOrEqualToThreshold"
    | "GreaterThanThreshold"
    | "LessThanThreshold"
    | "LessThanOrEqualToThreshold";

/** What Route 53 reports while the alarm has too little data to evaluate. */
export type InsufficientDataHealthStatus = "Healthy" | "Unhealthy" | "LastKnownStatus";

/** Arguments for {@link AlarmHealthCheck}. */
export interface AlarmHealthCheckArgs {
    /** CloudWatch namespace of the metric, for example `AWS/ApiGateway` or `HealthCheck`. */
    readonly namespace: pulumi.Input<string>;
    /** Metric name, for example `5XXError` or `Failover`. */
    readonly metricName: pulumi.Input<string>;
    /**
     * Metric dimensions. Scope custom metrics to what they protect, so that two services or two
     * regions never share one alarm.
     * @default no dimensions
     */
    readonly dimensions?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /**
     * Statistic over each period; Route 53 accepts only these five.
     * @default "Maximum"
     */
    readonly statistic?: AlarmStatistic;
    /**
     * Not supported: Route 53 cannot follow percentile or other extended-statistic alarms. Present
     * only so that passing one fails at construction with the reason instead of at deploy time.
     */
    readonly extendedStatistic?: string;
    /** Not supported: Route 53 cannot follow metric math alarms (rejected at construction). */
    readonly metricQueries?: unknown[];
    /**
     * Period in seconds: a multiple of 60 (Route 53 follows only standard-resolution alarms).
     * @default 60
     */
    readonly period?: number;
    /**
     * Consecutive periods that must breach.
     * @default 1
     */
    readonly evaluationPeriods?: number;
    /**
     * Must equal `evaluationPeriods` if set: Route 53 cannot follow M-out-of-N alarms.
     * @default equal to `evaluationPeriods`
     */
    readonly datapointsToAlarm?: number;
    /** Threshold the statistic is compared with. */
    readonly threshold: pulumi.Input<number>;
    /**
     * How the statistic is compared with the threshold.
     * @default "GreaterThanOrEqualToThreshold"
     */
    readonly comparisonOperator?: ComparisonOperator;
    /**
     * How the alarm (as operators see it in CloudWatch) treats missing data.
     * @default "missing"
     */
    readonly treatMissingData?: "missing" | "ignore" | "breaching" | "notBreaching";
    /**
     * Health check status while the metric has too little data.
     * @default "LastKnownStatus"
     */
    readonly insufficientDataHealthStatus?: InsufficientDataHealthStatus;
    /**
     * Alarm description shown in CloudWatch.
     * @default a description naming the component
     */
    readonly alarmDescription?: pulumi.Input<string>;
}

/** Validates what Route 53 requires of the alarm behind a CLOUDWATCH_METRIC health check. */
export function validateAlarmHealthCheckArgs(name: string, args: AlarmHealthCheckArgs): void {
    const p = new ArgProblems("AlarmHealthCheck", name);
    const cannot =
        "Route 53 CLOUDWATCH_METRIC health checks do not support percentiles or other extended statistics";
    if (args.statistic !== undefined) {
        p.check(
            (ROUTE53_STATISTICS as readonly string[]).includes(args.statistic),
            `[statistic] must be one of ${ROUTE53_STATISTICS.join(", ")}: ${cannot} (got ${shown(args.statistic)})`,
        );
    }
    p.check(
        args.extendedStatistic === undefined,
        `[extendedStatistic] is not allowed: ${cannot} (got ${shown(args.extendedStatistic)})`,
    );
    p.check(
        args.metricQueries === undefined,
        "[metricQueries] is not allowed: Route 53 health checks cannot follow metric math alarms",
    );
    const period = args.period ?? 60;
    p.check(
        Number.isInteger(period) && period >= 60 && period % 60 === 0,
        `[period] must be a multiple of 60 seconds: Route 53 health checks follow only standard-resolution alarms (got ${shown(period)})`,
    );
    const evaluationPeriods = args.evaluationPeriods ?? 1;
    p.check(
        Number.isInteger(evaluationPeriods) && evaluationPeriods >= 1,
        `[evaluationPeriods] must be a positive integer (got ${shown(evaluationPeriods)})`,
    );
    p.check(
        !Number.isInteger(period) ||
            !Number.isInteger(evaluationPeriods) ||
            period * evaluationPeriods <= 86400,
        `[period] × [evaluationPeriods] must be at most 86400 seconds (got ${period * evaluationPeriods})`,
    );
    if (args.datapointsToAlarm !== undefined) {
        p.check(
            args.datapointsToAlarm === evaluationPeriods,
            `[datapointsToAlarm] must equal [evaluationPeriods] (${evaluationPeriods}): Route 53 health checks cannot follow M-out-of-N alarms (got ${shown(args.datapointsToAlarm)})`,
        );
    }
    const threshold = known(args.threshold);
    if (threshold !== undefined) {
        p.check(
            Number.isFinite(threshold),
            `[threshold] must be a finite number (got ${shown(threshold)})`,
        );
    }
    for (const key of ["namespace", "metricName"] as const) {
        const v = known(args[key]);
        if (v !== undefined || args[key] === undefined) {
            p.check(
                typeof v === "string" && v.length > 0 && v.length <= 255,
                `[${key}] must be a non-empty string of at most 255 characters (got ${shown(v)})`,
            );
        }
    }
    const insufficient = args.insufficientDataHealthStatus;
    if (insufficient !== undefined) {
        p.check(
            ["Healthy", "Unhealthy", "LastKnownStatus"].includes(insufficient),
            `[insufficientDataHealthStatus] must be "Healthy", "Unhealthy" or "LastKnownStatus" (got ${shown(insufficient)})`,
        );
    }
    p.throwIfAny();
}

/** What a {@link AlarmHealthCheck} operator switch protects. */
export interface OperatorSwitchScope {
    /** The routed service name the switch protects, for example `api.example.com`. */
    readonly service: string;
    /** The region the switch takes out of service when engaged. */
    readonly protectedRegion: string;
}

/** Namespace and name of the operator switch metric (the AWS API Gateway failover pattern). */
export const SWITCH_METRIC = { namespace: "HealthCheck", metricName: "Failover" } as const;

/**
 * Arguments for the operator's failover switch: the metric `HealthCheck/Failover` scoped by
 * `Service` and `Region`; publishing 1 engages it (the check turns unhealthy, traffic leaves the
 * region), 0 releases it. With no new data the check keeps its last state, so one
 * `PutMetricData` call is a lasting decision, and a new switch with no data counts as released.
 */
export function operatorSwitchArgs(scope: OperatorSwitchScope): AlarmHealthCheckArgs {
    return {
        ...SWITCH_METRIC,
        dimensions: { Service: scope.service, Region: scope.protectedRegion },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        // The alarm shows the last decision to operators; Route 53 holds it via LastKnownStatus.
        treatMissingData: "ignore",
        insufficientDataHealthStatus: "LastKnownStatus",
        alarmDescription: `Operator failover switch for ${scope.service} in ${scope.protectedRegion}: 1 = fail over (take the region out), 0 = fail back.`,
    };
}

/**
 * A CloudWatch alarm in the region of the inherited provider and a Route 53 `CLOUDWATCH_METRIC`
 * health check that follows it: unhealthy while the alarm's metric breaches. Route 53 does not pick
 * up alarm changes by itself, so the check carries the alarm's settings as `triggers`.
 */
export class AlarmHealthCheck extends pulumi.ComponentResource {
    public readonly alarmName: pulumi.Output<string>;
    public readonly alarmArn: pulumi.Output<string>;
    /** Region the alarm (and its metric) lives in. */
    public readonly alarmRegion: pulumi.Output<string>;
    public readonly healthCheckId: pulumi.Output<string>;
    public readonly namespace: pulumi.Output<string>;
    public readonly metricName: pulumi.Output<string>;
    public readonly dimensions: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: AlarmHealthCheckArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multiregion:index:AlarmHealthCheck", name, {}, opts);
        validateAlarmHealthCheckArgs(name, args);

        const evaluationPeriods = args.evaluationPeriods ?? 1;
        const settings = {
            namespace: args.namespace,
            metricName: args.metricName,
            dimensions: args.dimensions ?? {},
            statistic: args.statistic ?? "Maximum",
            period: args.period ?? 60,
            evaluationPeriods,
            datapointsToAlarm: evaluationPeriods,
            threshold: args.threshold,
            comparisonOperator: args.comparisonOperator ?? "GreaterThanOrEqualToThreshold",
            treatMissingData: args.treatMissingData ?? "missing",
        };
        const alarm = new aws.cloudwatch.MetricAlarm(
            `${name}-alarm`,
            {
                ...settings,
                alarmDescription:
                    args.alarmDescription ?? `Drives the Route 53 health check ${name}.`,
            },
            { parent: this },
        );
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const check = new aws.route53.HealthCheck(
            `${name}-check`,
            {
                type: "CLOUDWATCH_METRIC",
                cloudwatchAlarmName: alarm.name,
                cloudwatchAlarmRegion: region,
                insufficientDataHealthStatus:
                    args.insufficientDataHealthStatus ?? "LastKnownStatus",
                triggers: { alarm: pulumi.jsonStringify(settings) },
                tags: { Name: name },
            },
            { parent: this },
        );

        this.alarmName = alarm.name;
        this.alarmArn = alarm.arn;
        this.alarmRegion = region;
        this.healthCheckId = check.id;
        this.namespace = pulumi.output(args.namespace);
        this.metricName = pulumi.output(args.metricName);
        this.dimensions = pulumi.output(args.dimensions ?? {});
        this.registerOutputs({
            alarmName: this.alarmName,
            alarmArn: this.alarmArn,
            alarmRegion: this.alarmRegion,
            healthCheckId: this.healthCheckId,
            namespace: this.namespace,
            metricName: this.metricName,
            dimensions: this.dimensions,
        });
    }
}
