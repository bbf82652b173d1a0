import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import {
    ComparisonOperator as Route53ComparisonOperator,
    InsufficientDataHealthStatus as Route53InsufficientDataHealthStatus,
    Statistic as Route53Statistic,
} from "@aws-sdk/client-route-53";
import {
    ArgProblems,
    DerivedName,
    Rule,
    TAG_VALUE_CHARACTERS,
    awsRegion,
    dnsName,
    healthCheckTagLimits,
    integerFrom,
    isPlainObject,
    known,
    oneOf,
    positiveInteger,
    shown,
} from "./validation";
import { componentType, withPreviousType } from "./typeToken";

/**
 * The statistics a Route 53 `CLOUDWATCH_METRIC` health check can follow: no percentiles or other
 * extended statistics (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html).
 */
export enum AlarmStatistic {
    Average = "Average",
    Minimum = "Minimum",
    Maximum = "Maximum",
    Sum = "Sum",
    SampleCount = "SampleCount",
}

/** How the alarm compares the statistic with its threshold. */
export enum ComparisonOperator {
    GreaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold",
    GreaterThanThreshold = "GreaterThanThreshold",
    LessThanThreshold = "LessThanThreshold",
    LessThanOrEqualToThreshold = "LessThanOrEqualToThreshold",
}

/** How the alarm, as operators see it in CloudWatch, treats periods without data. */
export enum TreatMissingData {
    Missing = "missing",
    Ignore = "ignore",
    Breaching = "breaching",
    NotBreaching = "notBreaching",
}

/** What Route 53 reports while the alarm has too little data to evaluate. */
export enum InsufficientDataHealthStatus {
    Healthy = "Healthy",
    Unhealthy = "Unhealthy",
    LastKnownStatus = "LastKnownStatus",
}

/** Defaults of `AlarmHealthCheckArgs`, in one place. */
export const ALARM_HEALTH_CHECK_DEFAULTS = {
    statistic: AlarmStatistic.Maximum,
    period: 60,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GreaterThanOrEqualToThreshold,
    treatMissingData: TreatMissingData.Missing,
    insufficientDataHealthStatus: InsufficientDataHealthStatus.LastKnownStatus,
} as const;

/** Arguments for `AlarmHealthCheck`. */
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
    readonly dimensions?: pulumi.Input<{ [name: string]: pulumi.Input<string> }>;
    /**
     * Statistic over each period; Route 53 accepts only these five.
     * @default Maximum
     */
    readonly statistic?: AlarmStatistic;
    /**
     * Period in seconds: a multiple of 60 (Route 53 follows only standard-resolution alarms).
     * @default 60
     */
    readonly period?: number;
    /**
     * Consecutive periods that must breach (the alarm's datapoints to alarm are the same:
     * Route 53 cannot follow M-out-of-N alarms).
     * @default 1
     */
    readonly evaluationPeriods?: number;
    /** Threshold the statistic is compared with. */
    readonly threshold: pulumi.Input<number>;
    /**
     * How the statistic is compared with the threshold.
     * @default GreaterThanOrEqualToThreshold
     */
    readonly comparisonOperator?: ComparisonOperator;
    /**
     * How the alarm treats missing data (what operators see; Route 53 follows
     * `insufficientDataHealthStatus`).
     * @default missing
     */
    readonly treatMissingData?: TreatMissingData;
    /**
     * Health check status while the metric has too little data.
     * @default LastKnownStatus
     */
    readonly insufficientDataHealthStatus?: InsufficientDataHealthStatus;
    /**
     * Alarm description shown in CloudWatch.
     * @default a description naming the component
     */
    readonly alarmDescription?: pulumi.Input<string>;
    /**
     * Tags for the alarm and the health check (the check also gets a `Name` tag).
     * @default no tags
     */
    readonly tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/**
 * The values Route 53 accepts for the alarm it follows, from its API model
 * (CloudWatchAlarmConfiguration, HealthCheckConfig); `satisfies` keeps this component's enums
 * naming exactly the same values.
 */
const STATISTICS = Object.values(
    Route53Statistic satisfies Record<string, `${AlarmStatistic}`>,
) as string[];
const COMPARISON_OPERATORS = Object.values(
    Route53ComparisonOperator satisfies Record<string, `${ComparisonOperator}`>,
) as string[];
const INSUFFICIENT_DATA_STATUSES = Object.values(
    Route53InsufficientDataHealthStatus satisfies Record<string, `${InsufficientDataHealthStatus}`>,
) as string[];
// The reverse inclusions: every value of this component's enums is one Route 53 knows.
AlarmStatistic satisfies Record<string, `${Route53Statistic}`>;
ComparisonOperator satisfies Record<string, `${Route53ComparisonOperator}`>;
InsufficientDataHealthStatus satisfies Record<string, `${Route53InsufficientDataHealthStatus}`>;

/**
 * How CloudWatch alarms treat missing data (PutMetricAlarm's TreatMissingData); neither the
 * CloudWatch model nor @pulumi/aws has an enum for it.
 */
const MISSING_DATA_TREATMENTS = Object.values(TreatMissingData) as string[];

const period: Rule = (v) =>
    Number.isInteger(v) && (v as number) >= 60 && (v as number) % 60 === 0
        ? undefined
        : "a multiple of 60 seconds: Route 53 health checks follow only standard-resolution alarms";

const metricText: Rule = (v) =>
    typeof v === "string" && v.length > 0 && v.length <= 255
        ? undefined
        : "a non-empty string of at most 255 characters";

/** CloudWatch's limit on an alarm description. */
const alarmDescription: Rule = (v) =>
    typeof v === "string" && v.length <= 1024 ? undefined : "a text of at most 1024 characters";

/**
 * The longest window CloudWatch evaluates, seconds: one day for periods under an hour, seven days
 * otherwise (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
 */
const longestWindow = (periodSeconds: number) => (periodSeconds < 3600 ? 86_400 : 604_800);

/**
 * Route 53 follows alarms with at most 10 dimensions (CloudWatch allows 30), each name and value
 * 1-255 characters (https://docs.aws.amazon.com/Route53/latest/APIReference/API_Dimension.html).
 */
const MAX_DIMENSIONS = 10;
// CloudWatch: ASCII, at least one non-whitespace character, not starting with ":".
const DIMENSION_NAME = /^(?!:)(?=.*\S)[\x20-\x7e]{1,255}$/;

function validateDimensions(p: ArgProblems, input: unknown): void {
    const dimensions = known(input);
    if (dimensions === undefined) {
        return;
    }
    if (!isPlainObject(dimensions)) {
        p.check(
            false,
            "dimensions",
            `must be a map of dimension names to values (got ${shown(dimensions)})`,
        );
        return;
    }
    const names = Object.keys(dimensions);
    p.check(
        names.length <= MAX_DIMENSIONS,
        "dimensions",
        `must hold at most ${MAX_DIMENSIONS} dimensions: Route 53 follows no alarm with more (CloudWatch itself allows 30) (got ${names.length})`,
    );
    for (const name of names) {
        p.check(
            DIMENSION_NAME.test(name),
            "dimensions",
            `name ${shown(name)} must be 1-255 ASCII characters, not all spaces and not starting with ":"`,
        );
        p.rule(`dimensions.${name}`, dimensions[name], metricText);
    }
}

/** Every argument of `AlarmHealthCheck`; anything else is a typo, refused rather than ignored. */
const ARGUMENTS = Object.keys({
    namespace: true,
    metricName: true,
    dimensions: true,
    statistic: true,
    period: true,
    evaluationPeriods: true,
    threshold: true,
    comparisonOperator: true,
    treatMissingData: true,
    insufficientDataHealthStatus: true,
    alarmDescription: true,
    tags: true,
} satisfies Record<keyof AlarmHealthCheckArgs, true>);

/**
 * Names derived from the component's: the alarm `<name>-alarm` (auto-named; CloudWatch alarm names
 * have at most 255 characters) and the health check's Name tag, the name itself.
 */
const DERIVED_NAMES: DerivedName[] = [
    { suffix: "-alarm", what: "CloudWatch alarm", maxLength: 255, autonamed: true },
    { suffix: "", what: "health check's Name tag", maxLength: 256, autonamed: false },
];

/** Validates what Route 53 requires of the alarm behind a `CLOUDWATCH_METRIC` health check. */
function validate(name: string, args: AlarmHealthCheckArgs): void {
    const p = new ArgProblems("AlarmHealthCheck", name);
    p.name(name, DERIVED_NAMES, TAG_VALUE_CHARACTERS);
    p.unknownKeys(args, ARGUMENTS);
    p.required("namespace", args.namespace, metricText);
    p.required("metricName", args.metricName, metricText);
    validateDimensions(p, args.dimensions);
    p.rule("statistic", args.statistic, oneOf(STATISTICS));
    p.rule("period", args.period, period);
    p.rule("evaluationPeriods", args.evaluationPeriods, positiveInteger);
    const periodSeconds = args.period ?? ALARM_HEALTH_CHECK_DEFAULTS.period;
    const seconds =
        periodSeconds * (args.evaluationPeriods ?? ALARM_HEALTH_CHECK_DEFAULTS.evaluationPeriods);
    // Only when both are valid: a bad one is reported under its own name.
    p.check(
        !(period(periodSeconds) === undefined && seconds > longestWindow(periodSeconds)),
        "period",
        `× [evaluationPeriods] must be at most 86400 seconds (one day) with a period under an hour, 604800 (seven days) otherwise: CloudWatch evaluates no longer window (got ${seconds})`,
    );
    p.required("threshold", args.threshold, (v) =>
        typeof v === "number" && Number.isFinite(v) ? undefined : "a finite number",
    );
    p.rule("comparisonOperator", args.comparisonOperator, oneOf(COMPARISON_OPERATORS));
    p.rule("treatMissingData", args.treatMissingData, oneOf(MISSING_DATA_TREATMENTS));
    p.rule(
        "insufficientDataHealthStatus",
        args.insufficientDataHealthStatus,
        oneOf(INSUFFICIENT_DATA_STATUSES),
    );
    p.rule("alarmDescription", args.alarmDescription, alarmDescription);
    p.tags(args.tags, healthCheckTagLimits("AlarmHealthCheck"));
    p.throwIfAny();
}

/**
 * A CloudWatch alarm in the region of the inherited provider and a Route 53 `CLOUDWATCH_METRIC`
 * health check that follows it: unhealthy while the alarm's metric breaches. Route 53 does not pick
 * up alarm changes by itself, so the check carries the alarm's settings as `triggers`
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-updating-cloudwatch-alarm-settings.html).
 * Pass it to `FailoverDomain` as a guard.
 */
export class AlarmHealthCheck extends pulumi.ComponentResource {
    /** The CloudWatch alarm. */
    public readonly alarm: aws.cloudwatch.MetricAlarm;
    /** The Route 53 health check that follows the alarm. */
    public readonly healthCheck: aws.route53.HealthCheck;
    /** The health check's id: what `FailoverDomain` guards use. */
    public readonly healthCheckId: pulumi.Output<string>;
    /** Region the alarm (and its metric) lives in. */
    public readonly alarmRegion: pulumi.Output<string>;
    /** The alarm's metric namespace. */
    public readonly namespace: pulumi.Output<string>;
    /** The alarm's metric name. */
    public readonly metricName: pulumi.Output<string>;
    /** The alarm's metric dimensions. */
    public readonly dimensions: pulumi.Output<{ [name: string]: string }>;

    constructor(name: string, args: AlarmHealthCheckArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before super(): bad input must fail before anything is registered.
        validate(name, args);
        super(
            componentType("AlarmHealthCheck"),
            name,
            {},
            withPreviousType("AlarmHealthCheck", opts),
        );
        const d = ALARM_HEALTH_CHECK_DEFAULTS;
        const evaluationPeriods = args.evaluationPeriods ?? d.evaluationPeriods;
        const settings = {
            namespace: args.namespace,
            metricName: args.metricName,
            dimensions: args.dimensions ?? {},
            statistic: args.statistic ?? d.statistic,
            period: args.period ?? d.period,
            evaluationPeriods,
            datapointsToAlarm: evaluationPeriods,
            threshold: args.threshold,
            comparisonOperator: args.comparisonOperator ?? d.comparisonOperator,
            treatMissingData: args.treatMissingData ?? d.treatMissingData,
        };
        const tags = args.tags ?? {};
        this.alarm = new aws.cloudwatch.MetricAlarm(
            `${name}-alarm`,
            {
                ...settings,
                alarmDescription:
                    args.alarmDescription ?? `Drives the Route 53 health check ${name}.`,
                tags,
            },
            { parent: this },
        );
        this.alarmRegion = aws.getRegionOutput({}, { parent: this }).region;
        this.healthCheck = new aws.route53.HealthCheck(
            `${name}-check`,
            {
                type: "CLOUDWATCH_METRIC",
                cloudwatchAlarmName: this.alarm.name,
                cloudwatchAlarmRegion: this.alarmRegion,
                insufficientDataHealthStatus:
                    args.insufficientDataHealthStatus ?? d.insufficientDataHealthStatus,
                triggers: { alarm: pulumi.jsonStringify(settings) },
                tags: pulumi.output(tags).apply((t) => ({ ...t, Name: name })),
            },
            { parent: this },
        );
        this.healthCheckId = this.healthCheck.id;
        this.namespace = pulumi.output(args.namespace);
        this.metricName = pulumi.output(args.metricName);
        this.dimensions = pulumi.output(args.dimensions ?? {});
        this.registerOutputs({
            healthCheckId: this.healthCheckId,
            alarmRegion: this.alarmRegion,
            namespace: this.namespace,
            metricName: this.metricName,
            dimensions: this.dimensions,
        });
    }
}

/** What a `AlarmHealthCheck` operator switch protects. */
export interface OperatorSwitchScope {
    /** The routed service name the switch protects, for example `api.example.com`. */
    readonly service: string;
    /** The region the switch takes out of service when engaged. */
    readonly protectedRegion: string;
}

/**
 * The operator switch metric, `HealthCheck/Failover`: the pattern AWS documents for API Gateway
 * failover (https://docs.aws.amazon.com/apigateway/latest/developerguide/dns-failover.html).
 */
export const SWITCH_METRIC = { namespace: "HealthCheck", metricName: "Failover" } as const;

/**
 * Arguments for the operator's failover switch: the metric `HealthCheck/Failover` scoped by
 * `Service` and `Region`; publishing 1 engages it (the check turns unhealthy, traffic leaves the
 * region), 0 releases it. With no new data the check keeps its last state, so one
 * `PutMetricData` call is a lasting decision, and a new switch with no data counts as released.
 * Create it with a provider in another region than the one it protects.
 */
export function operatorSwitchArgs(
    scope: OperatorSwitchScope,
    tags?: AlarmHealthCheckArgs["tags"],
): AlarmHealthCheckArgs {
    // Both become dimension values and words of the engage/release commands.
    const p = new ArgProblems("operatorSwitchArgs", "scope");
    p.unknownKeys(scope, ["service", "protectedRegion"]);
    p.required("service", scope.service, dnsName);
    p.required("protectedRegion", scope.protectedRegion, awsRegion);
    p.throwIfAny();
    return {
        ...SWITCH_METRIC,
        dimensions: { Service: scope.service, Region: scope.protectedRegion },
        statistic: AlarmStatistic.Maximum,
        period: 60,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GreaterThanOrEqualToThreshold,
        // The alarm shows the last decision to operators; Route 53 holds it via LastKnownStatus.
        treatMissingData: TreatMissingData.Ignore,
        insufficientDataHealthStatus: InsufficientDataHealthStatus.LastKnownStatus,
        alarmDescription: `Operator failover switch for ${scope.service} in ${scope.protectedRegion}: 1 = fail over (take the region out), 0 = fail back.`,
        tags,
    };
}

/** The AWS CLI commands that engage (publish 1) and release (publish 0) an operator switch. */
export interface OperatorSwitchCommands {
    engage: pulumi.Output<string>;
    release: pulumi.Output<string>;
}

/**
 * The commands that flip `operatorSwitch`, built from its own metric, dimensions and region: one
 * `PutMetricData` call in the switch's region, no Route 53 or control-plane call.
 */
export function operatorSwitchCommands(operatorSwitch: AlarmHealthCheck): OperatorSwitchCommands {
    const put = (value: 0 | 1) =>
        pulumi
            .all([
                operatorSwitch.alarmRegion,
                operatorSwitch.namespace,
                operatorSwitch.metricName,
                operatorSwitch.dimensions,
            ])
            .apply(([region, namespace, metricName, dimensions]) => {
                const dims = Object.entries(dimensions)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(",");
                return `aws cloudwatch put-metric-data --region ${region} --namespace ${namespace} --metric-name ${metricName} --dimensions ${dims} --value ${value}`;
            });
    return { engage: put(1), release: put(0) };
}

/** How many 5XX answers take a region out. */
export interface ServerErrorThresholds {
    /** Error rate, above 0 and at most 1, at or above which a minute breaches. */
    readonly threshold: number;
    /** Consecutive breaching minutes that take the region out: 1-10. */
    readonly evaluationPeriods: number;
}

/** The rules of `ServerErrorThresholds`, shared with the stack config. */
export const SERVER_ERROR_RULES: { [K in keyof ServerErrorThresholds]: Rule } = {
    threshold: (v) =>
        typeof v === "number" && v > 0 && v <= 1 ? undefined : "an error rate above 0, at most 1",
    evaluationPeriods: integerFrom(1, 10, " minutes"),
};

/** The REST API and stage a 5XX guard watches: a `RegionalApi` fits. */
export interface ServerErrorSource {
    readonly restApi: { readonly name: pulumi.Input<string> };
    readonly stage: { readonly stageName: pulumi.Input<string> };
}

/**
 * Arguments for a guard that takes a region out while its API answers too many 5XX errors: the
 * Average of API Gateway's 0/1 `5XXError` metric per minute is the error rate
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html).
 * No traffic means no data, which counts as healthy: the passive region of a failover pair has
 * no traffic and must not fail over.
 */
export function serverErrorGuardArgs(
    api: ServerErrorSource,
    thresholds: ServerErrorThresholds,
    tags?: AlarmHealthCheckArgs["tags"],
): AlarmHealthCheckArgs {
    const p = new ArgProblems("serverErrorGuardArgs", "thresholds");
    p.unknownKeys(thresholds, Object.keys(SERVER_ERROR_RULES));
    p.required("threshold", thresholds.threshold, SERVER_ERROR_RULES.threshold);
    p.required(
        "evaluationPeriods",
        thresholds.evaluationPeriods,
        SERVER_ERROR_RULES.evaluationPeriods,
    );
    p.throwIfAny();
    return {
        namespace: "AWS/ApiGateway",
        metricName: "5XXError",
        dimensions: { ApiName: api.restApi.name, Stage: api.stage.stageName },
        statistic: AlarmStatistic.Average,
        period: 60,
        evaluationPeriods: thresholds.evaluationPeriods,
        threshold: thresholds.threshold,
        treatMissingData: TreatMissingData.NotBreaching,
        insufficientDataHealthStatus: InsufficientDataHealthStatus.Healthy,
        alarmDescription: pulumi.interpolate`5XX error rate of ${api.restApi.name}; takes its region out of DNS while it stays at or above ${thresholds.threshold} for ${thresholds.evaluationPeriods} minute(s).`,
        tags,
    };
}
