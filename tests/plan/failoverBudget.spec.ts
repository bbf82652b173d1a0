import { strict as assert } from "node:assert";
import { Budget, BudgetAssumptions, failoverBudget } from "../../plan/failoverBudget";
import { SimHealthCheck } from "../../plan/route53Simulator";

const PROPAGATION =
    "Health-status propagation to the Route 53 DNS servers (checker aggregation and distribution) assumed 30 s: AWS does not document it (UNCONFIRMED; https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/route-53-concepts.html).";
const aliasTtl = (seconds: number) =>
    `Resolver cache assumed ${seconds} s: alias records take the target's default TTL (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html), which is undocumented for API Gateway (UNCONFIRMED); client-side caches beyond the TTL (JVM, OS) are not included.`;
const TTL = aliasTtl(60);
const RECOVERY_CONTROL_REFUSED =
    'Health check "rc" is RECOVERY_CONTROL (a Route 53 ARC routing control), which is not modelled';

const switchCheck: SimHealthCheck = {
    id: "switch",
    type: "CLOUDWATCH_METRIC",
    cloudwatchAlarmName: "failover-switch",
    cloudwatchAlarmRegion: "eu-west-1",
    insufficientDataHealthStatus: "LastKnownStatus",
};

describe("failoverBudget", () => {
    const endpointRows: {
        title: string;
        check: SimHealthCheck;
        detection: number;
        failover: number;
        formula: string;
    }[] = [
        {
            title: "HTTPS, RI=30, FT=3 => 3 × 36 = 108 s, 198 s",
            check: { id: "hc", type: "HTTPS", requestInterval: 30, failureThreshold: 3 },
            detection: 108,
            failover: 198,
            formula: "3 × (30 s + 6 s)",
        },
        {
            title: "HTTPS, RI=10, FT=1 => 16 s, 106 s",
            check: { id: "hc", type: "HTTPS", requestInterval: 10, failureThreshold: 1 },
            detection: 16,
            failover: 106,
            formula: "1 × (10 s + 6 s)",
        },
        {
            title: "HTTPS, RI=10, FT=3 => 48 s, 138 s",
            check: { id: "hc", type: "HTTPS", requestInterval: 10, failureThreshold: 3 },
            detection: 48,
            failover: 138,
            formula: "3 × (10 s + 6 s)",
        },
        {
            title: "HTTPS_STR_MATCH (8 s budget), RI=30, FT=3 => 114 s, 204 s",
            check: { id: "hc", type: "HTTPS_STR_MATCH", requestInterval: 30, failureThreshold: 3 },
            detection: 114,
            failover: 204,
            formula: "3 × (30 s + 8 s)",
        },
        {
            title: "HTTPS_STR_MATCH, RI=10, FT=1 => 18 s, 108 s",
            check: { id: "hc", type: "HTTPS_STR_MATCH", requestInterval: 10, failureThreshold: 1 },
            detection: 18,
            failover: 108,
            formula: "1 × (10 s + 8 s)",
        },
        {
            title: "HTTPS_STR_MATCH, RI=10, FT=3 => 54 s, 144 s",
            check: { id: "hc", type: "HTTPS_STR_MATCH", requestInterval: 10, failureThreshold: 3 },
            detection: 54,
            failover: 144,
            formula: "3 × (10 s + 8 s)",
        },
        {
            title: "HTTP_STR_MATCH, RI=30, FT=1 => 38 s",
            check: { id: "hc", type: "HTTP_STR_MATCH", requestInterval: 30, failureThreshold: 1 },
            detection: 38,
            failover: 128,
            formula: "1 × (30 s + 8 s)",
        },
        {
            title: "HTTP (6 s budget), RI=30, FT=10 => 360 s",
            check: { id: "hc", type: "HTTP", requestInterval: 30, failureThreshold: 10 },
            detection: 360,
            failover: 450,
            formula: "10 × (30 s + 6 s)",
        },
        {
            title: "TCP (10 s connect budget) with AWS defaults RI=30, FT=3 => 120 s",
            check: { id: "hc", type: "TCP" },
            detection: 120,
            failover: 210,
            formula: "3 × (30 s + 10 s)",
        },
    ];
    for (const row of endpointRows) {
        it(row.title, () => {
            const budget = failoverBudget({ check: row.check, checks: [row.check] });
            assert.deepEqual(
                {
                    detection: budget.detectionSeconds,
                    failover: budget.failoverSeconds,
                    failback: budget.failbackSeconds,
                    breakdown: budget.breakdown,
                },
                {
                    detection: row.detection,
                    failover: row.failover,
                    // Fail-back: FT consecutive successes, same worst-case formula.
                    failback: row.failover,
                    breakdown: {
                        checkId: "hc",
                        governingCheckId: "hc",
                        detectionSeconds: row.detection,
                        recoveryDetectionSeconds: row.detection,
                        propagationSeconds: 30,
                        ttlSeconds: 60,
                        checks: [
                            {
                                checkId: "hc",
                                type: row.check.type,
                                detectionSeconds: row.detection,
                                recoverySeconds: row.detection,
                                formula: row.formula,
                            },
                        ],
                    },
                },
            );
        });
    }

    it("whole budget, HTTPS_STR_MATCH RI=30 FT=3, with every assumption stated", () => {
        const check: SimHealthCheck = {
            id: "primary-endpoint",
            type: "HTTPS_STR_MATCH",
            requestInterval: 30,
            failureThreshold: 3,
        };
        const expected: Budget = {
            detectionSeconds: 114,
            failoverSeconds: 204,
            failbackSeconds: 204,
            assumptions: [
                'Health check "primary-endpoint" (HTTPS_STR_MATCH): detection assumes 3 consecutive failures, each after a 30 s interval and using the full 8 s response budget (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html): 114 s.',
                'Health check "primary-endpoint": fail-back needs 3 consecutive successes (FailureThreshold, https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html); each is counted at the same worst-case 30 s + 8 s (a healthy endpoint usually answers faster, so real fail-back detection is shorter): 114 s.',
                PROPAGATION,
                TTL,
            ],
            breakdown: {
                checkId: "primary-endpoint",
                governingCheckId: "primary-endpoint",
                detectionSeconds: 114,
                recoveryDetectionSeconds: 114,
                propagationSeconds: 30,
                ttlSeconds: 60,
                checks: [
                    {
                        checkId: "primary-endpoint",
                        type: "HTTPS_STR_MATCH",
                        detectionSeconds: 114,
                        recoverySeconds: 114,
                        formula: "3 × (30 s + 8 s)",
                    },
                ],
            },
        };
        assert.deepEqual(failoverBudget({ check, checks: [check] }), expected);
    });

    describe("resolver cache", () => {
        const check: SimHealthCheck = {
            id: "primary-endpoint",
            type: "HTTPS_STR_MATCH",
            requestInterval: 10,
            failureThreshold: 3,
        };
        const cnameTtl = (seconds: number) =>
            `Resolver cache: the routed CNAME record's TTL, ${seconds} s; client-side caches beyond the TTL (JVM, OS) are not included.`;

        it("a CNAME's known TTL is used exactly and stated as a fact: 54 + 30 + 10 = 94 s", () => {
            const expected: Budget = {
                detectionSeconds: 54,
                failoverSeconds: 94,
                failbackSeconds: 94,
                assumptions: [
                    'Health check "primary-endpoint" (HTTPS_STR_MATCH): detection assumes 3 consecutive failures, each after a 10 s interval and using the full 8 s response budget (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html): 54 s.',
                    'Health check "primary-endpoint": fail-back needs 3 consecutive successes (FailureThreshold, https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html); each is counted at the same worst-case 10 s + 8 s (a healthy endpoint usually answers faster, so real fail-back detection is shorter): 54 s.',
                    PROPAGATION,
                    cnameTtl(10),
                ],
                breakdown: {
                    checkId: "primary-endpoint",
                    governingCheckId: "primary-endpoint",
                    detectionSeconds: 54,
                    recoveryDetectionSeconds: 54,
                    propagationSeconds: 30,
                    ttlSeconds: 10,
                    checks: [
                        {
                            checkId: "primary-endpoint",
                            type: "HTTPS_STR_MATCH",
                            detectionSeconds: 54,
                            recoverySeconds: 54,
                            formula: "3 × (10 s + 8 s)",
                        },
                    ],
                },
            };
            assert.deepEqual(
                failoverBudget({ check, checks: [check], recordTtlSeconds: 10 }),
                expected,
            );
        });

        it("a CNAME's TTL wins over an overridden alias TTL, which does not apply to it", () => {
            const budget = failoverBudget({
                check,
                checks: [check],
                recordTtlSeconds: 5,
                assumptions: { aliasTtlSeconds: 300 },
            });
            assert.deepEqual(
                [budget.failoverSeconds, budget.failbackSeconds, budget.breakdown.ttlSeconds],
                [89, 89, 5],
            );
            assert.deepEqual(budget.assumptions.slice(-1), [cnameTtl(5)]);
        });

        it("a CNAME with TTL 0 adds nothing for the resolver cache: 54 + 30 = 84 s", () => {
            const budget = failoverBudget({ check, checks: [check], recordTtlSeconds: 0 });
            assert.deepEqual(
                [budget.failoverSeconds, budget.failbackSeconds, budget.breakdown.ttlSeconds],
                [84, 84, 0],
            );
            assert.deepEqual(budget.assumptions.slice(-1), [cnameTtl(0)]);
        });

        it("an alias (no recordTtlSeconds) assumes 60 s by default: 54 + 30 + 60 = 144 s", () => {
            const budget = failoverBudget({ check, checks: [check] });
            assert.deepEqual([budget.failoverSeconds, budget.breakdown.ttlSeconds], [144, 60]);
            assert.deepEqual(budget.assumptions.slice(-1), [TTL]);
        });

        it("an alias with an overridden TTL states the overridden assumption: 54 + 30 + 20 = 104 s", () => {
            const budget = failoverBudget({
                check,
                checks: [check],
                assumptions: { aliasTtlSeconds: 20 },
            });
            assert.deepEqual([budget.failoverSeconds, budget.breakdown.ttlSeconds], [104, 20]);
            assert.deepEqual(budget.assumptions.slice(-1), [aliasTtl(20)]);
        });
    });

    it("unset requestInterval and failureThreshold are stated as AWS defaults", () => {
        const check: SimHealthCheck = { id: "hc", type: "HTTPS" };
        assert.deepEqual(failoverBudget({ check, checks: [] }).assumptions.slice(0, 2), [
            'Health check "hc": requestInterval unset, so the AWS default 30 s is used (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).',
            'Health check "hc": failureThreshold unset, so the AWS default 3 is used (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).',
        ]);
    });

    const metricRows: {
        title: string;
        alarm: { period: number; evaluationPeriods: number };
        assumptions?: Partial<BudgetAssumptions>;
        expected: [number, number, number];
    }[] = [
        {
            title: "CLOUDWATCH_METRIC, period 60 × 1 => 60 + 60 = 120 s, 210 s",
            alarm: { period: 60, evaluationPeriods: 1 },
            expected: [120, 210, 210],
        },
        {
            title: "CLOUDWATCH_METRIC, period 60 × 3 => 60 + 180 = 240 s, 330 s",
            alarm: { period: 60, evaluationPeriods: 3 },
            expected: [240, 330, 330],
        },
        {
            title: "CLOUDWATCH_METRIC, overridden assumptions (delay 0, propagation 10, TTL 30)",
            alarm: { period: 60, evaluationPeriods: 1 },
            assumptions: { metricDelaySeconds: 0, propagationSeconds: 10, aliasTtlSeconds: 30 },
            expected: [60, 100, 100],
        },
        {
            title: "fractional assumptions round up to whole seconds",
            alarm: { period: 60, evaluationPeriods: 1 },
            assumptions: { metricDelaySeconds: 0.5, propagationSeconds: 10.2, aliasTtlSeconds: 30 },
            expected: [61, 102, 102],
        },
    ];
    for (const row of metricRows) {
        it(row.title, () => {
            const budget = failoverBudget({
                check: switchCheck,
                checks: [switchCheck],
                alarms: { "eu-west-1/failover-switch": row.alarm },
                assumptions: row.assumptions,
            });
            assert.deepEqual(
                [budget.detectionSeconds, budget.failoverSeconds, budget.failbackSeconds],
                row.expected,
            );
        });
    }

    it("CLOUDWATCH_METRIC budget states the metric delay and the alarm evaluation", () => {
        const budget = failoverBudget({
            check: switchCheck,
            checks: [switchCheck],
            alarms: { "eu-west-1/failover-switch": { period: 60, evaluationPeriods: 1 } },
        });
        assert.deepEqual(budget.assumptions, [
            "CloudWatch metric publish/ingestion delay assumed 60 s: AWS does not document it (UNCONFIRMED).",
            `Health check "switch" (CLOUDWATCH_METRIC): Route 53 evaluates alarm "eu-west-1/failover-switch"'s metric over Period × EvaluationPeriods = 60 s × 1 (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html): 120 s with the ingestion delay.`,
            'Health check "switch": fail-back assumed to take as long (1 period(s) of recovered data); how Route 53 evaluates the stream on recovery is not documented (INFERRED, worst case).',
            PROPAGATION,
            TTL,
        ]);
        assert.deepEqual(budget.breakdown.checks, [
            {
                checkId: "switch",
                type: "CLOUDWATCH_METRIC",
                detectionSeconds: 120,
                recoverySeconds: 120,
                formula: "60 s + 60 s × 1",
            },
        ]);
    });

    it("a derived metric adds its bridge's schedule and lag: 60 + 120 + 60 + 60 × 3 = 420 s", () => {
        const budget = failoverBudget({
            check: switchCheck,
            checks: [switchCheck],
            alarms: {
                "eu-west-1/failover-switch": {
                    period: 60,
                    evaluationPeriods: 3,
                    derived: { scheduleSeconds: 60, lagSeconds: 120 },
                },
            },
        });
        assert.deepEqual(
            [budget.detectionSeconds, budget.failoverSeconds, budget.breakdown.checks[0].formula],
            [420, 510, "60 s + 120 s + 60 s + 60 s × 3"],
        );
        assert.deepEqual(budget.assumptions.slice(1, 3), [
            `Health check "switch" (CLOUDWATCH_METRIC): Route 53 evaluates alarm "eu-west-1/failover-switch"'s metric over Period × EvaluationPeriods = 60 s × 3 (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html): 420 s with the ingestion delay and the bridge.`,
            'Health check "switch" follows a derived metric: its bridge runs every 60 s and publishes the minute that ended 120 s before its run (so late API Gateway datapoints are not read as zero).',
        ]);
    });

    describe("CALCULATED (inherits the children's detection time)", () => {
        const endpoint: SimHealthCheck = {
            id: "endpoint",
            type: "HTTPS_STR_MATCH",
            requestInterval: 10,
            failureThreshold: 3,
        };
        const slowEndpoint: SimHealthCheck = {
            id: "slow",
            type: "TCP",
            requestInterval: 30,
            failureThreshold: 3,
        };
        const alarms = { "eu-west-1/failover-switch": { period: 60, evaluationPeriods: 1 } };
        const calc = (ids: string[], threshold: number, extra: Partial<SimHealthCheck> = {}) => ({
            id: "guard",
            type: "CALCULATED",
            childHealthchecks: ids,
            childHealthThreshold: threshold,
            ...extra,
        });
        const all = [endpoint, slowEndpoint, switchCheck];
        const rows: {
            title: string;
            check: SimHealthCheck;
            checks?: SimHealthCheck[];
            expected: {
                detection: number;
                failover: number;
                governing: string;
                children: string[];
            };
        }[] = [
            {
                title: "endpoint AND switch (2 of 2): the slower child, the switch (120 s), governs",
                check: calc(["endpoint", "switch"], 2),
                expected: {
                    detection: 120,
                    failover: 210,
                    governing: "switch",
                    children: ["endpoint", "switch"],
                },
            },
            {
                title: "endpoint OR slow endpoint (1 of 2): both must fail, the slowest (120 s) governs",
                check: calc(["endpoint", "slow"], 1),
                expected: {
                    detection: 120,
                    failover: 210,
                    governing: "slow",
                    children: ["endpoint", "slow"],
                },
            },
            {
                title: "disabled child cannot take it down and is left out",
                check: calc(["endpoint", "slow"], 2),
                checks: [endpoint, { ...slowEndpoint, disabled: true }, switchCheck],
                expected: {
                    detection: 54,
                    failover: 144,
                    governing: "endpoint",
                    children: ["endpoint"],
                },
            },
            {
                title: "single child (1 of 1) inherits its time",
                check: calc(["endpoint"], 1),
                expected: {
                    detection: 54,
                    failover: 144,
                    governing: "endpoint",
                    children: ["endpoint"],
                },
            },
        ];
        for (const row of rows) {
            it(row.title, () => {
                const budget = failoverBudget({
                    check: row.check,
                    checks: row.checks ?? all,
                    alarms,
                });
                assert.deepEqual(
                    {
                        detection: budget.detectionSeconds,
                        failover: budget.failoverSeconds,
                        governing: budget.breakdown.governingCheckId,
                        children: budget.breakdown.checks.map((c) => c.checkId),
                    },
                    row.expected,
                );
            });
        }

        it("states the choice of the slowest child first among the assumptions", () => {
            const budget = failoverBudget({
                check: calc(["endpoint", "switch"], 2),
                checks: all,
                alarms,
            });
            assert.equal(
                budget.assumptions[0],
                'CALCULATED health check "guard" (healthy when at least 2 of 2 children are healthy): 1 child failure(s) take it down; worst case, the slowest child that can fail is among them ("switch", 120 s). Disabled children always count healthy and are left out (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html).',
            );
        });
    });

    const errors: {
        title: string;
        check: SimHealthCheck;
        checks?: SimHealthCheck[];
        alarms?: Record<string, { period: number; evaluationPeriods: number }>;
        assumptions?: Partial<BudgetAssumptions>;
        recordTtlSeconds?: number;
        message: string;
    }[] = [
        {
            title: "an alarm not among the alarms planned is named",
            check: switchCheck,
            alarms: { "us-east-1/failover-switch": { period: 60, evaluationPeriods: 1 } },
            message:
                'Health check "switch" watches alarm "eu-west-1/failover-switch" (cloudwatchAlarmRegion/cloudwatchAlarmName), which is not among the alarms planned',
        },
        {
            title: "disabled check never becomes unhealthy",
            check: { id: "hc", type: "HTTPS", disabled: true },
            message: 'Health check "hc" is disabled: it never becomes unhealthy',
        },
        {
            title: "threshold 0 is always healthy",
            check: {
                id: "guard",
                type: "CALCULATED",
                childHealthchecks: ["a"],
                childHealthThreshold: 0,
            },
            checks: [{ id: "a", type: "HTTPS" }],
            message:
                'CALCULATED health check "guard" has childHealthThreshold 0: it is always healthy and never fails over',
        },
        {
            title: "threshold above the children is always unhealthy",
            check: {
                id: "guard",
                type: "CALCULATED",
                childHealthchecks: ["a"],
                childHealthThreshold: 2,
            },
            checks: [{ id: "a", type: "HTTPS" }],
            message:
                'CALCULATED health check "guard" needs 2 healthy children but has 1: it is always unhealthy',
        },
        {
            title: "too many disabled children to ever go unhealthy",
            check: {
                id: "guard",
                type: "CALCULATED",
                childHealthchecks: ["a", "b"],
                childHealthThreshold: 1,
            },
            checks: [
                { id: "a", type: "HTTPS" },
                { id: "b", type: "HTTPS", disabled: true },
            ],
            message:
                'CALCULATED health check "guard" needs 2 unhealthy children to go unhealthy but only 1 can fail (the others are disabled): it never fails over',
        },
        {
            title: "unknown child",
            check: {
                id: "guard",
                type: "CALCULATED",
                childHealthchecks: ["ghost"],
                childHealthThreshold: 1,
            },
            message: 'CALCULATED health check "guard" lists unknown child health check "ghost"',
        },
        {
            title: "calculated child",
            check: {
                id: "guard",
                type: "CALCULATED",
                childHealthchecks: ["inner"],
                childHealthThreshold: 1,
            },
            checks: [
                { id: "inner", type: "CALCULATED", childHealthchecks: [], childHealthThreshold: 0 },
            ],
            message:
                'CALCULATED health check "guard" has CALCULATED child "inner"; calculated checks cannot be nested',
        },
        {
            title: "CALCULATED without threshold",
            check: { id: "guard", type: "CALCULATED", childHealthchecks: [] },
            message:
                'CALCULATED health check "guard" has no childHealthThreshold; set it explicitly',
        },
        {
            title: "RECOVERY_CONTROL is not modelled",
            check: { id: "rc", type: "RECOVERY_CONTROL" },
            message: RECOVERY_CONTROL_REFUSED,
        },
        {
            title: "RECOVERY_CONTROL child of a CALCULATED check is not modelled",
            check: {
                id: "guard",
                type: "CALCULATED",
                childHealthchecks: ["rc"],
                childHealthThreshold: 1,
            },
            checks: [{ id: "rc", type: "RECOVERY_CONTROL" }],
            message: RECOVERY_CONTROL_REFUSED,
        },
        {
            title: "unknown type",
            check: { id: "x", type: "PING" },
            message: 'Health check "x" has unknown type "PING"',
        },
        {
            title: "non-positive failureThreshold",
            check: { id: "hc", type: "HTTPS", failureThreshold: 0 },
            message: 'Health check "hc" failureThreshold must be a positive number, got 0',
        },
        {
            title: "negative assumption",
            check: { id: "hc", type: "HTTPS" },
            assumptions: { propagationSeconds: -1 },
            message: "propagationSeconds must be a finite number of seconds >= 0, got -1",
        },
        {
            title: "fractional record TTL",
            check: { id: "hc", type: "HTTPS" },
            recordTtlSeconds: 1.5,
            message: "The record's ttl must be a whole number of seconds >= 0, got 1.5",
        },
        {
            title: "negative record TTL",
            check: { id: "hc", type: "HTTPS" },
            recordTtlSeconds: -10,
            message: "The record's ttl must be a whole number of seconds >= 0, got -10",
        },
    ];
    for (const row of errors) {
        it(`throws: ${row.title}`, () => {
            assert.throws(
                () =>
                    failoverBudget({
                        check: row.check,
                        checks: row.checks ?? [],
                        alarms: row.alarms,
                        assumptions: row.assumptions,
                        recordTtlSeconds: row.recordTtlSeconds,
                    }),
                { message: row.message },
            );
        });
    }
});
