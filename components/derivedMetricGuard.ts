import { createScheduledFunction } from "./scheduledFunction";
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import {
    AlarmHealthCheck,
    AlarmStatistic,
    ComparisonOperator,
    InsufficientDataHealthStatus,
    TreatMissingData,
} from "./alarmHealthCheck";
import { REGIONAL_API_DEFAULTS } from "./regionalApi";
import {
    ArgProblems,
    DerivedName,
    RESOURCE_NAME_CHARACTERS,
    Rule,
    dnsName,
    healthCheckTagLimits,
    integerFrom,
    oneOf,
    logRetentionDays,
    stageName,
    metricNamespace,
} from "./validation";
import { componentType, withPreviousType } from "./typeToken";

/**
 * What a `DerivedMetricGuard` watches: signals Route 53 cannot follow by themselves, because they
 * need a percentile or metric math (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html).
 */
export enum DerivedSignal {
    /** API Gateway's p99 `Latency` per minute, in milliseconds. */
    LatencyP99 = "latency-p99",
    /** 100 × `5XXError` / `Count` per minute: the share of requests answered 5XX, in percent. */
    ErrorRate = "error-rate",
}

/**
 * Each signal's published metric and how its alarm compares: a latency breaches above the
 * threshold, an error rate from it on. The handler (functions/bridge) takes the metric name from
 * its configuration; a spec checks that it knows the same signal kinds.
 */
const SIGNALS: Record<
    DerivedSignal,
    { metricName: string; comparisonOperator: ComparisonOperator; breach: string }
> = {
    [DerivedSignal.LatencyP99]: {
        metricName: "LatencyP99Ms",
        comparisonOperator: ComparisonOperator.GreaterThanThreshold,
        breach: "p99 latency was above",
    },
    [DerivedSignal.ErrorRate]: {
        metricName: "ErrorRatePercent",
        comparisonOperator: ComparisonOperator.GreaterThanOrEqualToThreshold,
        breach: "5XX error rate was at or above",
    },
};

/** The metric each signal is published as. */
export const DERIVED_METRIC_NAMES: Record<DerivedSignal, string> = {
    [DerivedSignal.LatencyP99]: SIGNALS[DerivedSignal.LatencyP99].metricName,
    [DerivedSignal.ErrorRate]: SIGNALS[DerivedSignal.ErrorRate].metricName,
};

/**
 * The function's timeout, seconds: GetMetricData and PutMetricData each have a hard 10 s
 * deadline, so a run ends within 20 s, and 30 s leaves room for a cold start.
 */
const FUNCTION_TIMEOUT_SECONDS = 30;

/** CloudWatch's limit on an alarm description. */
const MAX_DESCRIPTION = 1024;

/** Defaults of `DerivedMetricGuardArgs`, in one place. */
export const DERIVED_METRIC_GUARD_DEFAULTS = {
    evaluationPeriods: 3,
    minimumRequests: 50,
    namespace: "MultiRegionApi/Derived",
    logRetentionDays: REGIONAL_API_DEFAULTS.logRetentionDays,
} as const;

/**
 * The rules of the guard's numbers, shared with the stack config: the threshold's depends on the
 * signal (milliseconds or percent).
 */
export const DERIVED_METRIC_GUARD_RULES: {
    threshold: Record<DerivedSignal, Rule>;
    evaluationPeriods: Rule;
    minimumRequests: Rule;
} = {
    threshold: {
        [DerivedSignal.LatencyP99]: (v) =>
            typeof v === "number" && v >= 1 && v <= 60_000
                ? undefined
                : "a p99 latency from 1 to 60000 milliseconds",
        [DerivedSignal.ErrorRate]: (v) =>
            typeof v === "number" && v > 0 && v <= 100
                ? undefined
                : "an error rate above 0 and at most 100 percent",
    },
    evaluationPeriods: integerFrom(1, 10, " minutes"),
    minimumRequests: (v) =>
        Number.isSafeInteger(v) && (v as number) > 0
            ? undefined
            : "a positive integer (requests in a minute)",
};

/** Arguments for `DerivedMetricGuard`. */
export interface DerivedMetricGuardArgs {
    /**
     * The routed service name, for example `api.example.com`: the published metric's `Service`
     * dimension.
     */
    readonly serviceName: pulumi.Input<string>;
    /** Name of the REST API whose metrics are read (API Gateway's `ApiName` dimension). */
    readonly apiName: pulumi.Input<string>;
    /** Name of the API's stage (API Gateway's `Stage` dimension). */
    readonly stageName: pulumi.Input<string>;
    /** The signal to derive and guard on; one guard watches one signal. */
    readonly signal: DerivedSignal;
    /**
     * The value that breaches: milliseconds for `latency-p99` (1-60000; breaching above it),
     * percent for `error-rate` (above 0, at most 100; breaching at or above it).
     */
    readonly threshold: number;
    /**
     * Consecutive breaching minutes that take the region out: 1-10.
     * @default 3
     */
    readonly evaluationPeriods?: number;
    /**
     * Requests a minute must have for its value to count; a quieter minute (the passive region of
     * a failover pair, a night) is published as the healthy value 0.
     * @default 50
     */
    readonly minimumRequests?: number;
    /**
     * CloudWatch namespace of the published metric; the function may publish to it alone.
     * @default "MultiRegionApi/Derived"
     */
    readonly namespace?: pulumi.Input<string>;
    /**
     * Days to keep the bridge's logs (one of the values CloudWatch Logs accepts).
     * @default 30
     */
    readonly logRetentionDays?: pulumi.Input<number>;
    /**
     * Tags for every child that takes tags (the health check also gets a `Name` tag).
     * @default no tags
     */
    readonly tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** Every argument of `DerivedMetricGuard`; anything else is a typo, refused rather than ignored. */
const ARGUMENTS = Object.keys({
    serviceName: true,
    apiName: true,
    stageName: true,
    signal: true,
    threshold: true,
    evaluationPeriods: true,
    minimumRequests: true,
    namespace: true,
    logRetentionDays: true,
    tags: true,
} satisfies Record<keyof DerivedMetricGuardArgs, true>);

/** CloudWatch's limit on a dimension value, which the API's name is. */
const apiName: Rule = (v) =>
    typeof v === "string" && v.length >= 1 && v.length <= 1024
        ? undefined
        : "a REST API name of 1-1024 characters";

/** The threshold's rule once the signal is known; a number of either unit before that. */
const thresholdRule = (signal: unknown): Rule =>
    DERIVED_METRIC_GUARD_RULES.threshold[signal as DerivedSignal] ??
    ((v) =>
        typeof v === "number" && Number.isFinite(v)
            ? undefined
            : "a number: milliseconds for latency-p99, percent for error-rate");

/**
 * The AWS names Pulumi derives from the component's name, with AWS's limits: Lambda function, IAM
 * role and EventBridge rule names have at most 64 characters, alarm names 255.
 */
const DERIVED_NAMES: DerivedName[] = [
    { suffix: "-function", what: "Lambda function", maxLength: 64, autonamed: true },
    { suffix: "-role", what: "IAM role", maxLength: 64, autonamed: true },
    { suffix: "-schedule", what: "EventBridge rule", maxLength: 64, autonamed: true },
    { suffix: "-alarm", what: "CloudWatch alarm", maxLength: 255, autonamed: true },
];

function validate(name: string, args: DerivedMetricGuardArgs): void {
    const p = new ArgProblems("DerivedMetricGuard", name);
    const r = DERIVED_METRIC_GUARD_RULES;
    p.name(name, DERIVED_NAMES, RESOURCE_NAME_CHARACTERS);
    p.unknownKeys(args, ARGUMENTS);
    p.required("serviceName", args.serviceName, dnsName);
    p.required("apiName", args.apiName, apiName);
    p.required("stageName", args.stageName, stageName);
    p.required("signal", args.signal, oneOf(Object.values(DerivedSignal)));
    p.required("threshold", args.threshold, thresholdRule(args.signal));
    p.rule("evaluationPeriods", args.evaluationPeriods, r.evaluationPeriods);
    p.rule("minimumRequests", args.minimumRequests, r.minimumRequests);
    p.rule("namespace", args.namespace, metricNamespace);
    p.rule("logRetentionDays", args.logRetentionDays, logRetentionDays);
    p.tags(args.tags, healthCheckTagLimits("DerivedMetricGuard"));
    p.throwIfAny();
}

type Tags = pulumi.Input<{ [key: string]: pulumi.Input<string> }>;

/** What every builder needs. */
interface Context {
    readonly name: string;
    readonly parent: DerivedMetricGuard;
    readonly tags: Tags;
}

/** What the alarm's description says: what ALARM means, and what to do. */
interface Described {
    readonly name: string;
    readonly signal: DerivedSignal;
    readonly threshold: number;
    readonly evaluationPeriods: number;
    readonly minimumRequests: number;
    readonly serviceName: pulumi.Input<string>;
    readonly apiName: pulumi.Input<string>;
    readonly stageName: pulumi.Input<string>;
    readonly region: pulumi.Output<string>;
}

/**
 * The alarm's description, at most CloudWatch's 1024 characters: what to do first, then what
 * ALARM means (clipped only when the names in it are very long).
 */
function alarmDescription(d: Described): pulumi.Output<string> {
    const s = SIGNALS[d.signal];
    const unit = d.signal === DerivedSignal.LatencyP99 ? " ms" : "%";
    return pulumi
        .all([d.serviceName, d.region, d.apiName, d.stageName])
        .apply(([service, region, api, stage]) => {
            const text = `${service} in ${region} is out of DNS while this alarm is in ALARM (derived-metric guard ${d.name}); run \`multi-region-api status\` to see both regions. ALARM means: the ${s.breach} ${d.threshold}${unit} in each of ${d.evaluationPeriods} consecutive minute(s) for API ${api}, stage ${stage} (minutes with fewer than ${d.minimumRequests} requests count as healthy), or the bridge function published no ${s.metricName} for that long, which counts the same: see its errors and its log group.`;
            return text.length <= MAX_DESCRIPTION
                ? text
                : `${text.slice(0, MAX_DESCRIPTION - 3)}...`;
        });
}

/**
 * Fails a region on a signal Route 53 cannot follow by itself: the API's p99 latency or its 5XX
 * error rate, each only over minutes with enough traffic. A function in the region of the
 * inherited provider runs every minute, reads one minute of the API's metrics with GetMetricData
 * (a percentile; metric math for the rate) and publishes the result as a plain
 * standard-resolution metric (`LatencyP99Ms` or `ErrorRatePercent`, dimensions `Service` and
 * `Region`; 0 for a minute with too little traffic), on which an `AlarmHealthCheck` alarms
 * (Maximum per minute, `evaluationPeriods` consecutive minutes). The published metric arrives
 * every minute while the bridge works, so silence means the bridge, its schedule or CloudWatch
 * failed: the alarm treats missing data as breaching and the health check reports insufficient
 * data as unhealthy. Pass it to `FailoverDomain` as a guard.
 */
export class DerivedMetricGuard extends pulumi.ComponentResource {
    /** The health check's id: what `FailoverDomain` guards use. */
    public readonly healthCheckId: pulumi.Output<string>;
    /** The alarm on the derived metric. */
    public readonly alarm: aws.cloudwatch.MetricAlarm;
    /** The Route 53 health check that follows the alarm. */
    public readonly healthCheck: aws.route53.HealthCheck;
    /** Region the alarm, its metric and the bridge live in. */
    public readonly alarmRegion: pulumi.Output<string>;
    /** The bridge function. */
    public readonly function: aws.lambda.Function;
    /** The function's role: GetMetricData, PutMetricData in `namespace` alone, its logs. */
    public readonly role: aws.iam.Role;
    /** The function's log group: one entry per run, with each signal's outcome. */
    public readonly logGroup: aws.cloudwatch.LogGroup;
    /** The EventBridge rule that runs the bridge every minute. */
    public readonly rule: aws.cloudwatch.EventRule;
    /** The published metric's name. */
    public readonly metricName: pulumi.Output<string>;
    /** The published metric's namespace. */
    public readonly namespace: pulumi.Output<string>;

    constructor(
        name: string,
        args: DerivedMetricGuardArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        // Before super(): bad input must fail before anything is registered.
        validate(name, args);
        super(
            componentType("DerivedMetricGuard"),
            name,
            {},
            withPreviousType("DerivedMetricGuard", opts),
        );
        const d = DERIVED_METRIC_GUARD_DEFAULTS;
        const ctx: Context = { name, parent: this, tags: args.tags ?? {} };
        const namespace = args.namespace ?? d.namespace;
        const { metricName, comparisonOperator } = SIGNALS[args.signal];
        const evaluationPeriods = args.evaluationPeriods ?? d.evaluationPeriods;
        const minimumRequests = args.minimumRequests ?? d.minimumRequests;
        const bridge = createScheduledFunction(ctx, {
            handler: "bridge",
            what: "the derived-metric bridge",
            statements: [
                // GetMetricData authorizes against no resource and has no condition key that names
                // a namespace or metric: it cannot be scoped, so it is granted on "*" (Service
                // Authorization Reference, Amazon CloudWatch). It only reads.
                { Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" },
                // PutMetricData authorizes against no resource either: the namespace condition
                // is its only scope.
                {
                    Effect: "Allow",
                    Action: "cloudwatch:PutMetricData",
                    Resource: "*",
                    Condition: { StringEquals: { "cloudwatch:namespace": namespace } },
                },
            ],
            environment: {
                BRIDGE_CONFIG: pulumi.jsonStringify({
                    namespace,
                    service: args.serviceName,
                    apiName: args.apiName,
                    stage: args.stageName,
                    signals: [{ kind: args.signal, metricName, minimumRequests }],
                }),
            },
            timeoutSeconds: FUNCTION_TIMEOUT_SECONDS,
            retentionInDays: args.logRetentionDays ?? d.logRetentionDays,
        });
        this.function = bridge.function;
        this.role = bridge.role;
        this.logGroup = bridge.logGroup;
        this.rule = bridge.rule;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        // The primary child carries the component's own name: its alarm is `<name>-alarm`, its
        // health check `<name>-check`, tagged Name `<name>`.
        const guard = new AlarmHealthCheck(
            name,
            {
                namespace,
                metricName,
                dimensions: { Service: args.serviceName, Region: region },
                statistic: AlarmStatistic.Maximum,
                period: 60,
                evaluationPeriods,
                threshold: args.threshold,
                comparisonOperator,
                treatMissingData: TreatMissingData.Breaching,
                insufficientDataHealthStatus: InsufficientDataHealthStatus.Unhealthy,
                alarmDescription: alarmDescription({
                    name,
                    signal: args.signal,
                    threshold: args.threshold,
                    evaluationPeriods,
                    minimumRequests,
                    serviceName: args.serviceName,
                    apiName: args.apiName,
                    stageName: args.stageName,
                    region,
                }),
                tags: args.tags,
            },
            { parent: this },
        );
        this.alarm = guard.alarm;
        this.healthCheck = guard.healthCheck;
        this.healthCheckId = guard.healthCheckId;
        this.alarmRegion = guard.alarmRegion;
        this.metricName = pulumi.output(metricName);
        this.namespace = pulumi.output(namespace);
        this.registerOutputs({
            healthCheckId: this.healthCheckId,
            alarmRegion: this.alarmRegion,
            metricName: this.metricName,
            namespace: this.namespace,
        });
    }
}
