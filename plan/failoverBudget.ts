/**
 * Failover time budget: how long, in the worst case, between a region failing (or an operator
 * flipping the switch) and resolvers getting the other region's answer, and back again.
 *
 * Formulas are on {@link failoverBudget}. Every number that AWS does not document is an explicit,
 * overridable assumption and is stated in {@link Budget.assumptions}, with the AWS page it rests
 * on. Pure functions over plain data (the health checks as `@pulumi/aws` v7 inputs).
 */
import {
    calculatedChildren,
    ENDPOINT_CHECK_TYPES,
    SimHealthCheck,
    unmodelledCheckTypeError,
} from "./route53Simulator";

// Printed sentences cite AWS pages by full URL.
const DEVELOPER_GUIDE = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide";
const HEALTH_CHECK_CONFIG =
    "https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html";

/** Numbers AWS does not document; each default is stated as an assumption in the budget. */
export interface BudgetAssumptions {
    /**
     * Health-status aggregation and distribution to the Route 53 DNS servers, seconds. Default 30:
     * UNCONFIRMED, not documented by AWS [DG:route-53-concepts].
     */
    propagationSeconds: number;
    /**
     * TTL resolvers cache an alias answer for, seconds. Default 60: an alias takes its AWS
     * target's default TTL [DG:resource-record-sets-choosing-alias-non-alias], which API Gateway
     * does not document (UNCONFIRMED). Unused when the record's own TTL is known
     * ({@link FailoverBudgetArgs.recordTtlSeconds}).
     */
    aliasTtlSeconds: number;
    /** CloudWatch metric publish/ingestion delay, seconds. Default 60: UNCONFIRMED, undocumented. */
    metricDelaySeconds: number;
}

/** Defaults of {@link BudgetAssumptions}. */
const DEFAULT_BUDGET_ASSUMPTIONS: Readonly<BudgetAssumptions> = {
    propagationSeconds: 30,
    aliasTtlSeconds: 60,
    metricDelaySeconds: 60,
};

/**
 * Worst-case time of one failing endpoint check, seconds: HTTP/HTTPS 4 s connect + 2 s status,
 * string matching +2 s for the body, TCP 10 s connect
 * [DG:dns-failover-determining-health-of-endpoints].
 */
const CHECK_TIMEOUT_SECONDS: Readonly<Record<string, number>> = {
    HTTP: 6,
    HTTPS: 6,
    HTTP_STR_MATCH: 8,
    HTTPS_STR_MATCH: 8,
    TCP: 10,
};

/** AWS default when unset [API:HealthCheckConfig] RequestInterval. */
const DEFAULT_REQUEST_INTERVAL_SECONDS = 30;
/** AWS default when unset [API:HealthCheckConfig] FailureThreshold. */
const DEFAULT_FAILURE_THRESHOLD = 3;

/** Timing of one evaluated health check. */
export interface CheckTiming {
    checkId: string;
    type: string;
    /** Healthy -> unhealthy, worst case, seconds. */
    detectionSeconds: number;
    /** Unhealthy -> healthy, worst case, seconds. */
    recoverySeconds: number;
    /** How detectionSeconds was computed, for reports (for example "3 × (30 s + 8 s)"). */
    formula: string;
}

/** The terms of a {@link Budget}. */
export interface BudgetBreakdown {
    /** The check the budget is for. */
    checkId: string;
    /** The check whose timing sets detection: the check itself, or the slowest child. */
    governingCheckId: string;
    detectionSeconds: number;
    recoveryDetectionSeconds: number;
    propagationSeconds: number;
    ttlSeconds: number;
    /** The check itself, or each child of a CALCULATED check that can take it down. */
    checks: CheckTiming[];
}

/** Worst-case failover and failback times, whole seconds. */
export interface Budget {
    /** Region (or switch) failure -> health check unhealthy. */
    detectionSeconds: number;
    /** detection + propagation + TTL: until every resolver has the failover answer. */
    failoverSeconds: number;
    /** Recovery detection + propagation + TTL: until every resolver is back on the primary. */
    failbackSeconds: number;
    /**
     * Human sentences, each stating a number the budget uses and where it comes from: AWS
     * documentation (by URL), the configuration, or an assumption (marked UNCONFIRMED or INFERRED).
     */
    assumptions: string[];
    breakdown: BudgetBreakdown;
}

/** An alarm behind a CLOUDWATCH_METRIC check, as far as its timing goes. */
export interface AlarmTiming {
    period: number;
    evaluationPeriods: number;
    /**
     * Set when the alarm watches a derived metric a scheduled bridge publishes: the bridge runs
     * every `scheduleSeconds` and publishes a minute that ended `lagSeconds` before its run.
     */
    derived?: { scheduleSeconds: number; lagSeconds: number };
}

/** Arguments of {@link failoverBudget}. */
export interface FailoverBudgetArgs {
    /** The health check that guards the record that should fail over. */
    check: SimHealthCheck;
    /** All health checks (children of a CALCULATED check are looked up here). */
    checks: SimHealthCheck[];
    /** Alarms behind CLOUDWATCH_METRIC checks, keyed `${region}/${name}`. */
    alarms?: Record<string, AlarmTiming>;
    /**
     * TTL of the routed record when it is a non-alias CNAME, seconds: resolvers cache it exactly
     * that long, so the budget uses it instead of the assumed alias TTL. Omit for alias records.
     */
    recordTtlSeconds?: number;
    assumptions?: Partial<BudgetAssumptions>;
}

function wholeSeconds(value: number, what: string): number {
    if (!Number.isFinite(value) || value < 0) {
        throw new Error(`${what} must be a finite number of seconds >= 0, got ${value}`);
    }
    return Math.ceil(value);
}

function positive(value: number, what: string): number {
    if (!Number.isFinite(value) || value <= 0) {
        throw new Error(`${what} must be a positive number, got ${value}`);
    }
    return value;
}

/** The resolver cache term: the record's own TTL when known, else the assumed alias TTL. */
function resolverCache(
    recordTtlSeconds: number | undefined,
    aliasTtlSeconds: number,
): { seconds: number; statement: string } {
    const outsideTtl = "client-side caches beyond the TTL (JVM, OS) are not included.";
    if (recordTtlSeconds === undefined) {
        const seconds = wholeSeconds(aliasTtlSeconds, "aliasTtlSeconds");
        return {
            seconds,
            statement: `Resolver cache assumed ${seconds} s: alias records take the target's default TTL (${DEVELOPER_GUIDE}/resource-record-sets-choosing-alias-non-alias.html), which is undocumented for API Gateway (UNCONFIRMED); ${outsideTtl}`,
        };
    }
    if (!Number.isInteger(recordTtlSeconds) || recordTtlSeconds < 0) {
        throw new Error(
            `The record's ttl must be a whole number of seconds >= 0, got ${recordTtlSeconds}`,
        );
    }
    return {
        seconds: recordTtlSeconds,
        statement: `Resolver cache: the routed CNAME record's TTL, ${recordTtlSeconds} s; ${outsideTtl}`,
    };
}

interface Timed {
    timing: CheckTiming;
    assumptions: string[];
}

function endpointTiming(check: SimHealthCheck): Timed {
    const timeout = CHECK_TIMEOUT_SECONDS[check.type];
    const assumptions: string[] = [];
    if (check.requestInterval === undefined) {
        assumptions.push(
            `Health check "${check.id}": requestInterval unset, so the AWS default ${DEFAULT_REQUEST_INTERVAL_SECONDS} s is used (${HEALTH_CHECK_CONFIG}).`,
        );
    }
    if (check.failureThreshold === undefined) {
        assumptions.push(
            `Health check "${check.id}": failureThreshold unset, so the AWS default ${DEFAULT_FAILURE_THRESHOLD} is used (${HEALTH_CHECK_CONFIG}).`,
        );
    }
    const interval = positive(
        check.requestInterval ?? DEFAULT_REQUEST_INTERVAL_SECONDS,
        `Health check "${check.id}" requestInterval`,
    );
    const threshold = positive(
        check.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
        `Health check "${check.id}" failureThreshold`,
    );
    // T_detect_worst = FT × (RI + T_timeout): the interval counts from the previous response
    // [API:HealthCheckConfig] RequestInterval, and each failing check may use its full budget.
    const seconds = Math.ceil(threshold * (interval + timeout));
    assumptions.push(
        `Health check "${check.id}" (${check.type}): detection assumes ${threshold} consecutive failures, each after a ${interval} s interval and using the full ${timeout} s response budget (${DEVELOPER_GUIDE}/dns-failover-determining-health-of-endpoints.html): ${seconds} s.`,
        `Health check "${check.id}": fail-back needs ${threshold} consecutive successes (FailureThreshold, ${HEALTH_CHECK_CONFIG}); each is counted at the same worst-case ${interval} s + ${timeout} s (a healthy endpoint usually answers faster, so real fail-back detection is shorter): ${seconds} s.`,
    );
    return {
        timing: {
            checkId: check.id,
            type: check.type,
            detectionSeconds: seconds,
            recoverySeconds: seconds,
            formula: `${threshold} × (${interval} s + ${timeout} s)`,
        },
        assumptions,
    };
}

function metricTiming(
    check: SimHealthCheck,
    alarms: Record<string, AlarmTiming>,
    metricDelaySeconds: number,
): Timed {
    const key = `${check.cloudwatchAlarmRegion}/${check.cloudwatchAlarmName}`;
    if (!check.cloudwatchAlarmName || !check.cloudwatchAlarmRegion) {
        throw new Error(
            `CLOUDWATCH_METRIC health check "${check.id}" needs cloudwatchAlarmName and cloudwatchAlarmRegion`,
        );
    }
    const alarm = alarms[key];
    if (alarm === undefined) {
        throw new Error(
            `Health check "${check.id}" watches alarm "${key}" (cloudwatchAlarmRegion/cloudwatchAlarmName), which is not among the alarms planned`,
        );
    }
    const period = positive(alarm.period, `Alarm "${key}" period`);
    const periods = positive(alarm.evaluationPeriods, `Alarm "${key}" evaluationPeriods`);
    // T_detect = ingestion delay + Period × EvaluationPeriods; Route 53 evaluates the metric stream
    // itself rather than waiting for the ALARM state [DG:health-checks-types]. A derived metric
    // arrives later still: the bridge's schedule, plus how far behind the minute it publishes is.
    const derived = alarm.derived;
    const bridge = derived
        ? wholeSeconds(derived.scheduleSeconds, `Alarm "${key}" bridge schedule`) +
          wholeSeconds(derived.lagSeconds, `Alarm "${key}" bridge lag`)
        : 0;
    const seconds = Math.ceil(bridge + metricDelaySeconds + period * periods);
    const formula = `${derived ? `${derived.scheduleSeconds} s + ${derived.lagSeconds} s + ` : ""}${metricDelaySeconds} s + ${period} s × ${periods}`;
    return {
        timing: {
            checkId: check.id,
            type: check.type,
            detectionSeconds: seconds,
            recoverySeconds: seconds,
            formula,
        },
        assumptions: [
            `CloudWatch metric publish/ingestion delay assumed ${metricDelaySeconds} s: AWS does not document it (UNCONFIRMED).`,
            `Health check "${check.id}" (CLOUDWATCH_METRIC): Route 53 evaluates alarm "${key}"'s metric over Period × EvaluationPeriods = ${period} s × ${periods} (${DEVELOPER_GUIDE}/health-checks-types.html): ${seconds} s with the ingestion delay${derived ? " and the bridge" : ""}.`,
            ...(derived
                ? [
                      `Health check "${check.id}" follows a derived metric: its bridge runs every ${derived.scheduleSeconds} s and publishes the minute that ended ${derived.lagSeconds} s before its run (so late API Gateway datapoints are not read as zero).`,
                  ]
                : []),
            `Health check "${check.id}": fail-back assumed to take as long (${periods} period(s) of recovered data); how Route 53 evaluates the stream on recovery is not documented (INFERRED, worst case).`,
        ],
    };
}

function leafTiming(
    check: SimHealthCheck,
    alarms: Record<string, AlarmTiming>,
    metricDelaySeconds: number,
): Timed {
    if (check.disabled === true) {
        // A disabled check is always healthy [API:HealthCheckConfig] Disabled.
        throw new Error(`Health check "${check.id}" is disabled: it never becomes unhealthy`);
    }
    if (ENDPOINT_CHECK_TYPES.includes(check.type)) {
        return endpointTiming(check);
    }
    if (check.type === "CLOUDWATCH_METRIC") {
        return metricTiming(check, alarms, metricDelaySeconds);
    }
    // No CALCULATED check gets here: the top-level one is split into its children, and
    // calculatedChildren refuses CALCULATED children.
    throw unmodelledCheckTypeError(check);
}

/**
 * Worst-case failover and failback time for the record guarded by `check`:
 * failover = detection + propagation + TTL, failback = recovery detection + propagation + TTL.
 *
 * - Endpoint checks: detection = failureThreshold × (requestInterval + timeout), timeout 6 s
 *   HTTP/HTTPS, 8 s *_STR_MATCH, 10 s TCP; defaults 30 s and 3 when unset. Fail-back uses the same
 *   worst-case formula (failureThreshold consecutive successes).
 * - CLOUDWATCH_METRIC: metric delay + period × evaluationPeriods from `alarms`.
 * - CALCULATED: the slowest child that can take it down. Disabled children always count healthy
 *   and cannot; with threshold t of n children, n − t + 1 must fail, and in the worst case the
 *   slowest child is among them, so detection (and recovery) is the maximum over the others.
 * - TTL: `recordTtlSeconds` for a non-alias CNAME (stated as a fact), else the assumed alias TTL.
 *
 * @throws Error when the check can never become unhealthy (disabled, CALCULATED with threshold 0,
 * too few children that can fail), is always unhealthy (threshold above the children), is of a
 * type nothing models (RECOVERY_CONTROL), or refers to an alarm missing from `alarms` (named).
 */
export function failoverBudget(args: FailoverBudgetArgs): Budget {
    const assumed: BudgetAssumptions = { ...DEFAULT_BUDGET_ASSUMPTIONS, ...args.assumptions };
    const propagation = wholeSeconds(assumed.propagationSeconds, "propagationSeconds");
    const ttl = resolverCache(args.recordTtlSeconds, assumed.aliasTtlSeconds);
    const metricDelay = wholeSeconds(assumed.metricDelaySeconds, "metricDelaySeconds");
    const alarms = args.alarms ?? {};
    const check = args.check;

    const timed: Timed[] = [];
    const intro: string[] = [];
    if (check.type === "CALCULATED") {
        if (check.disabled === true) {
            throw new Error(`Health check "${check.id}" is disabled: it never becomes unhealthy`);
        }
        const children = calculatedChildren(check, new Map(args.checks.map((c) => [c.id, c])));
        const threshold = check.childHealthThreshold as number;
        // 0 => always healthy; more than the children => always unhealthy
        // [API:HealthCheckConfig] HealthThreshold.
        if (threshold === 0) {
            throw new Error(
                `CALCULATED health check "${check.id}" has childHealthThreshold 0: it is always healthy and never fails over`,
            );
        }
        if (threshold > children.length) {
            throw new Error(
                `CALCULATED health check "${check.id}" needs ${threshold} healthy children but has ${children.length}: it is always unhealthy`,
            );
        }
        const mustFail = children.length - threshold + 1;
        // Disabled children always count healthy [DG:health-checks-creating-values].
        const canFail = children.filter((c) => c.disabled !== true);
        if (canFail.length < mustFail) {
            throw new Error(
                `CALCULATED health check "${check.id}" needs ${mustFail} unhealthy children to go unhealthy but only ${canFail.length} can fail (the others are disabled): it never fails over`,
            );
        }
        for (const child of canFail) {
            timed.push(leafTiming(child, alarms, metricDelay));
        }
        const slowest = timed.reduce((a, b) =>
            b.timing.detectionSeconds > a.timing.detectionSeconds ? b : a,
        );
        intro.push(
            `CALCULATED health check "${check.id}" (healthy when at least ${threshold} of ${children.length} children are healthy): ${mustFail} child failure(s) take it down; worst case, the slowest child that can fail is among them ("${slowest.timing.checkId}", ${slowest.timing.detectionSeconds} s). Disabled children always count healthy and are left out (${DEVELOPER_GUIDE}/health-checks-creating-values.html).`,
        );
    } else {
        timed.push(leafTiming(check, alarms, metricDelay));
    }

    const timings = timed.map((t) => t.timing);
    const governing = timings.reduce((a, b) => (b.detectionSeconds > a.detectionSeconds ? b : a));
    const detection = governing.detectionSeconds;
    const recovery = Math.max(...timings.map((t) => t.recoverySeconds));

    const assumptions = [
        ...new Set([
            ...intro,
            ...timed.flatMap((t) => t.assumptions),
            `Health-status propagation to the Route 53 DNS servers (checker aggregation and distribution) assumed ${propagation} s: AWS does not document it (UNCONFIRMED; ${DEVELOPER_GUIDE}/route-53-concepts.html).`,
            ttl.statement,
        ]),
    ];

    return {
        detectionSeconds: detection,
        failoverSeconds: detection + propagation + ttl.seconds,
        failbackSeconds: recovery + propagation + ttl.seconds,
        assumptions,
        breakdown: {
            checkId: check.id,
            governingCheckId: governing.checkId,
            detectionSeconds: detection,
            recoveryDetectionSeconds: recovery,
            propagationSeconds: propagation,
            ttlSeconds: ttl.seconds,
            checks: timings,
        },
    };
}
