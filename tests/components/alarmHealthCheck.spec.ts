import * as assert from "node:assert/strict";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    AlarmHealthCheck,
    AlarmHealthCheckArgs,
    AlarmStatistic,
    ComparisonOperator,
    InsufficientDataHealthStatus,
    TreatMissingData,
    operatorSwitchArgs,
    operatorSwitchCommands,
    serverErrorGuardArgs,
} from "../../components/alarmHealthCheck";
import { RegionalApi } from "../../components/regionalApi";
import { RecordedResource } from "../../plan/mockRuntime";
import { created, promiseOf, reset, state } from "../harness";
import {
    assertTags,
    childrenOf,
    component,
    inventory,
    rejectsBeforeRegistering,
    urnOf,
    withPlainStacks,
} from "./helpers";

const TYPE = "multi-region-api:index:AlarmHealthCheck";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";

function provider(region: string) {
    return new aws.Provider(`aws-${region}`, { region });
}

/** Waits until the checks' outputs resolve and every registration has settled. */
async function settled(...checks: AlarmHealthCheck[]) {
    await Promise.all(
        checks.flatMap((c) => [promiseOf(c.healthCheckId), promiseOf(c.alarmRegion)]),
    );
    await state.settle();
}

/**
 * The alarm and the health check of the AlarmHealthCheck `name`, after checking that they are its
 * only children, parented to it, on the provider of `region`.
 */
function children(
    name: string,
    region: string,
): { alarm: RecordedResource; check: RecordedResource } {
    const parent = component(TYPE, name);
    assert.equal(parent.urn, urnOf(TYPE, name));
    const all = childrenOf(parent);
    assert.deepEqual(inventory(all), [`${ALARM} ${name}-alarm`, `${HEALTH_CHECK} ${name}-check`]);
    for (const child of all) {
        assert.equal(child.urn, urnOf(`${TYPE}$${child.type}`, child.name));
        assert.equal(child.providerRegion, region, `${child.name} provider region`);
    }
    return {
        alarm: all.find((r) => r.type === ALARM)!,
        check: all.find((r) => r.type === HEALTH_CHECK)!,
    };
}

/** The alarm settings a health check's triggers must carry: the alarm's inputs but its text. */
function alarmSettings(alarm: RecordedResource): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(alarm.inputs).filter(([k]) => k !== "alarmDescription" && k !== "tags"),
    );
}

describe("AlarmHealthCheck", () => {
    describe("a metric alarm with defaults, and one with every setting, in us-east-1", () => {
        let latency: AlarmHealthCheck;
        let queue: AlarmHealthCheck;
        const queueArgs: AlarmHealthCheckArgs = {
            namespace: "Custom/Orders",
            metricName: "QueueDepth",
            dimensions: { Queue: "orders" },
            statistic: AlarmStatistic.Sum,
            period: 300,
            evaluationPeriods: 4,
            threshold: 10,
            comparisonOperator: ComparisonOperator.GreaterThanThreshold,
            treatMissingData: TreatMissingData.Breaching,
            insufficientDataHealthStatus: InsufficientDataHealthStatus.Unhealthy,
            alarmDescription: "Orders back up.",
            tags: { team: "orders" },
        };

        before(() =>
            withPlainStacks(async () => {
                reset();
                const use1 = provider("us-east-1");
                latency = new AlarmHealthCheck(
                    "latency",
                    { namespace: "AWS/ApiGateway", metricName: "Latency", threshold: 1000 },
                    { providers: { aws: use1 } },
                );
                queue = new AlarmHealthCheck("queue", queueArgs, { providers: { aws: use1 } });
                // The same alarm with one setting changed, and the longest window Route 53 follows.
                new AlarmHealthCheck(
                    "queue-120",
                    { ...queueArgs, period: 120 },
                    {
                        providers: { aws: use1 },
                    },
                );
                new AlarmHealthCheck(
                    "daily",
                    {
                        namespace: "AWS/ApiGateway",
                        metricName: "Count",
                        threshold: 0,
                        period: 3600,
                        evaluationPeriods: 24,
                    },
                    { providers: { aws: use1 } },
                );
                await settled(latency, queue);
            }),
        );

        it("registers one alarm and one health check per component, parented to it, on its provider", () => {
            assert.deepEqual(inventory(created), [
                `${ALARM} daily-alarm`,
                `${ALARM} latency-alarm`,
                `${ALARM} queue-120-alarm`,
                `${ALARM} queue-alarm`,
                `${HEALTH_CHECK} daily-check`,
                `${HEALTH_CHECK} latency-check`,
                `${HEALTH_CHECK} queue-120-check`,
                `${HEALTH_CHECK} queue-check`,
                `${TYPE} daily`,
                `${TYPE} latency`,
                `${TYPE} queue`,
                `${TYPE} queue-120`,
                "pulumi:providers:aws aws-us-east-1",
            ]);
            for (const name of ["latency", "queue", "queue-120", "daily"]) {
                children(name, "us-east-1");
            }
            const region = state.invokes.filter((i) => i.token === "aws:index/getRegion:getRegion");
            assert.equal(region.length, 4);
            for (const i of region) {
                assert.equal(
                    i.provider,
                    `${urnOf("pulumi:providers:aws", "aws-us-east-1")}::aws-us-east-1-id`,
                );
            }
        });

        it("defaults: Maximum over 60 s, one period, >= threshold, missing data as missing, last known status", () => {
            const { alarm, check } = children("latency", "us-east-1");
            const settings = {
                namespace: "AWS/ApiGateway",
                metricName: "Latency",
                dimensions: {},
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 1,
                datapointsToAlarm: 1,
                threshold: 1000,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "missing",
            };
            assert.deepEqual(alarm.inputs, {
                ...settings,
                alarmDescription: "Drives the Route 53 health check latency.",
                tags: {},
            });
            assert.deepEqual(check.inputs, {
                type: "CLOUDWATCH_METRIC",
                cloudwatchAlarmName: "latency-alarm",
                cloudwatchAlarmRegion: "us-east-1",
                insufficientDataHealthStatus: "LastKnownStatus",
                triggers: { alarm: JSON.stringify(settings) },
                tags: { Name: "latency" },
            });
        });

        it("passes every setting to the alarm, with datapoints to alarm equal to evaluation periods", () => {
            const { alarm, check } = children("queue", "us-east-1");
            assert.deepEqual(alarm.inputs, {
                namespace: "Custom/Orders",
                metricName: "QueueDepth",
                dimensions: { Queue: "orders" },
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 4,
                datapointsToAlarm: 4,
                threshold: 10,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "breaching",
                alarmDescription: "Orders back up.",
                tags: { team: "orders" },
            });
            assert.equal(check.inputs.insufficientDataHealthStatus, "Unhealthy");
            assert.equal(check.inputs.cloudwatchAlarmName, "queue-alarm");
        });

        it("carries the alarm's settings as the health check's triggers, so an alarm change updates the check", () => {
            for (const name of ["latency", "queue", "queue-120", "daily"]) {
                const { alarm, check } = children(name, "us-east-1");
                const triggers = check.inputs.triggers as { alarm: string };
                assert.deepEqual(Object.keys(triggers), ["alarm"]);
                assert.deepEqual(JSON.parse(triggers.alarm), alarmSettings(alarm));
            }
            const triggers = (name: string) => children(name, "us-east-1").check.inputs.triggers;
            assert.notDeepEqual(triggers("queue"), triggers("queue-120"));
        });

        it("accepts the longest window Route 53 follows: 3600 s x 24", () => {
            const { alarm } = children("daily", "us-east-1");
            assert.deepEqual(
                [
                    alarm.inputs.period,
                    alarm.inputs.evaluationPeriods,
                    alarm.inputs.datapointsToAlarm,
                ],
                [3600, 24, 24],
            );
        });

        it("exposes its check id, the alarm's region and metric, and the registered children", async () => {
            const { alarm, check } = children("queue", "us-east-1");
            assert.equal(await promiseOf(queue.healthCheckId), "queue-check-id");
            assert.equal(await promiseOf(queue.alarmRegion), "us-east-1");
            assert.equal(await promiseOf(queue.namespace), "Custom/Orders");
            assert.equal(await promiseOf(queue.metricName), "QueueDepth");
            assert.deepEqual(await promiseOf(queue.dimensions), { Queue: "orders" });
            assert.deepEqual(await promiseOf(latency.dimensions), {});
            assert.equal(await promiseOf(queue.alarm.urn), alarm.urn);
            assert.equal(await promiseOf(queue.healthCheck.urn), check.urn);
        });

        it("tags the alarm with the component's tags and the check with them plus its Name", () => {
            const cases: [string, Record<string, string>][] = [
                ["latency", {}],
                ["queue", { team: "orders" }],
            ];
            for (const [name, tags] of cases) {
                const parent = component(TYPE, name);
                assertTags(
                    childrenOf(parent),
                    (child) => (child.type === HEALTH_CHECK ? { ...tags, Name: name } : tags),
                    [ALARM, HEALTH_CHECK],
                );
            }
        });
    });

    describe("operator switches: created in another region than the one they protect", () => {
        const tags = { team: "sre" };
        let use1Switch: AlarmHealthCheck;
        let euw1Switch: AlarmHealthCheck;
        let ordersSwitch: AlarmHealthCheck;

        before(() =>
            withPlainStacks(async () => {
                reset();
                const use1 = provider("us-east-1");
                const euw1 = provider("eu-west-1");
                use1Switch = new AlarmHealthCheck(
                    "use1-switch",
                    operatorSwitchArgs(
                        { service: "api.example.com", protectedRegion: "us-east-1" },
                        tags,
                    ),
                    { providers: { aws: euw1 } },
                );
                euw1Switch = new AlarmHealthCheck(
                    "euw1-switch",
                    operatorSwitchArgs({
                        service: "api.example.com",
                        protectedRegion: "eu-west-1",
                    }),
                    { providers: { aws: use1 } },
                );
                ordersSwitch = new AlarmHealthCheck(
                    "orders-use1-switch",
                    operatorSwitchArgs({
                        service: "orders.example.com",
                        protectedRegion: "us-east-1",
                    }),
                    { providers: { aws: euw1 } },
                );
                await settled(use1Switch, euw1Switch, ordersSwitch);
            }),
        );

        it("operatorSwitchArgs: HealthCheck/Failover scoped to service and region, 1 = engaged, held while silent", () => {
            assert.deepEqual(
                operatorSwitchArgs(
                    { service: "api.example.com", protectedRegion: "us-east-1" },
                    tags,
                ),
                {
                    namespace: "HealthCheck",
                    metricName: "Failover",
                    dimensions: { Service: "api.example.com", Region: "us-east-1" },
                    statistic: "Maximum",
                    period: 60,
                    evaluationPeriods: 1,
                    threshold: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    treatMissingData: "ignore",
                    insufficientDataHealthStatus: "LastKnownStatus",
                    alarmDescription:
                        "Operator failover switch for api.example.com in us-east-1: 1 = fail over (take the region out), 0 = fail back.",
                    tags,
                },
            );
        });

        it("puts the alarm and the check on the switch's provider, following the alarm in that region", () => {
            const { alarm, check } = children("use1-switch", "eu-west-1");
            const settings = {
                namespace: "HealthCheck",
                metricName: "Failover",
                dimensions: { Service: "api.example.com", Region: "us-east-1" },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 1,
                datapointsToAlarm: 1,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "ignore",
            };
            assert.deepEqual(alarm.inputs, {
                ...settings,
                alarmDescription:
                    "Operator failover switch for api.example.com in us-east-1: 1 = fail over (take the region out), 0 = fail back.",
                tags,
            });
            assert.deepEqual(check.inputs, {
                type: "CLOUDWATCH_METRIC",
                cloudwatchAlarmName: "use1-switch-alarm",
                cloudwatchAlarmRegion: "eu-west-1",
                insufficientDataHealthStatus: "LastKnownStatus",
                triggers: { alarm: JSON.stringify(settings) },
                tags: { team: "sre", Name: "use1-switch" },
            });
            assert.equal(
                children("euw1-switch", "us-east-1").check.inputs.cloudwatchAlarmRegion,
                "us-east-1",
            );
            assertTags(
                [alarm, check],
                (child) => (child.type === HEALTH_CHECK ? { ...tags, Name: "use1-switch" } : tags),
                [ALARM, HEALTH_CHECK],
            );
        });

        it("operatorSwitchCommands: one PutMetricData in the switch's own region, on its own metric", async () => {
            const commands = async (s: AlarmHealthCheck) => {
                const c = operatorSwitchCommands(s);
                return [await promiseOf(c.engage), await promiseOf(c.release)];
            };
            assert.deepEqual(await commands(use1Switch), [
                "aws cloudwatch put-metric-data --region eu-west-1 --namespace HealthCheck --metric-name Failover --dimensions Service=api.example.com,Region=us-east-1 --value 1",
                "aws cloudwatch put-metric-data --region eu-west-1 --namespace HealthCheck --metric-name Failover --dimensions Service=api.example.com,Region=us-east-1 --value 0",
            ]);
            assert.deepEqual(await commands(euw1Switch), [
                "aws cloudwatch put-metric-data --region us-east-1 --namespace HealthCheck --metric-name Failover --dimensions Service=api.example.com,Region=eu-west-1 --value 1",
                "aws cloudwatch put-metric-data --region us-east-1 --namespace HealthCheck --metric-name Failover --dimensions Service=api.example.com,Region=eu-west-1 --value 0",
            ]);
            assert.deepEqual(await commands(ordersSwitch), [
                "aws cloudwatch put-metric-data --region eu-west-1 --namespace HealthCheck --metric-name Failover --dimensions Service=orders.example.com,Region=us-east-1 --value 1",
                "aws cloudwatch put-metric-data --region eu-west-1 --namespace HealthCheck --metric-name Failover --dimensions Service=orders.example.com,Region=us-east-1 --value 0",
            ]);
        });

        it("never lets two services or two regions share a switch's metric", () => {
            const metrics = ["use1-switch", "euw1-switch", "orders-use1-switch"].map((name) => {
                const { alarm } = children(
                    name,
                    name === "euw1-switch" ? "us-east-1" : "eu-west-1",
                );
                return JSON.stringify([
                    alarm.inputs.namespace,
                    alarm.inputs.metricName,
                    alarm.inputs.dimensions,
                ]);
            });
            assert.equal(new Set(metrics).size, 3);
        });
    });

    describe("serverErrorGuardArgs on a RegionalApi", () => {
        const tags = { team: "api" };
        let api: RegionalApi;
        let guard: AlarmHealthCheck;

        before(() =>
            withPlainStacks(async () => {
                reset();
                const use1 = provider("us-east-1");
                api = new RegionalApi(
                    "use1",
                    {
                        serviceName: "api.example.com",
                        zoneName: "example.com",
                        tableName: "products",
                        stageName: "prod",
                    },
                    { providers: { aws: use1 } },
                );
                guard = new AlarmHealthCheck(
                    "use1-errors",
                    serverErrorGuardArgs(api, { threshold: 0.05, evaluationPeriods: 3 }, tags),
                    { providers: { aws: use1 } },
                );
                await settled(guard);
            }),
        );

        it("alarms on the average of API Gateway's 5XXError for the API's name and stage", async () => {
            assert.deepEqual(
                [await promiseOf(api.restApi.name), await promiseOf(api.stage.stageName)],
                ["use1-rest", "prod"],
            );
            const { alarm, check } = children("use1-errors", "us-east-1");
            const settings = {
                namespace: "AWS/ApiGateway",
                metricName: "5XXError",
                dimensions: { ApiName: "use1-rest", Stage: "prod" },
                statistic: "Average",
                period: 60,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                threshold: 0.05,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "notBreaching",
            };
            assert.deepEqual(alarm.inputs, {
                ...settings,
                alarmDescription:
                    "5XX error rate of use1-rest; takes its region out of DNS while it stays at or above 0.05 for 3 minute(s).",
                tags,
            });
            // No traffic, no data: the passive region of a failover pair stays in.
            assert.deepEqual(check.inputs, {
                type: "CLOUDWATCH_METRIC",
                cloudwatchAlarmName: "use1-errors-alarm",
                cloudwatchAlarmRegion: "us-east-1",
                insufficientDataHealthStatus: "Healthy",
                triggers: { alarm: JSON.stringify(settings) },
                tags: { team: "api", Name: "use1-errors" },
            });
        });

        it("returns plain arguments for everything but the API's names", () => {
            const source = { restApi: { name: "my-api" }, stage: { stageName: "live" } };
            const { dimensions, alarmDescription, ...plain } = serverErrorGuardArgs(source, {
                threshold: 1,
                evaluationPeriods: 10,
            });
            assert.deepEqual(dimensions, { ApiName: "my-api", Stage: "live" });
            assert.ok(pulumi.Output.isInstance(alarmDescription));
            assert.deepEqual(plain, {
                namespace: "AWS/ApiGateway",
                metricName: "5XXError",
                statistic: "Average",
                period: 60,
                evaluationPeriods: 10,
                threshold: 1,
                treatMissingData: "notBreaching",
                insufficientDataHealthStatus: "Healthy",
                tags: undefined,
            });
        });

        describe("rejects thresholds it cannot honour, registering nothing", () => {
            before(reset);
            const source = { restApi: { name: "my-api" }, stage: { stageName: "live" } };
            const rate = "must be an error rate above 0, at most 1";
            const minutes = "must be an integer from 1 to 10 minutes";
            const cases: [string, { threshold: number; evaluationPeriods: number }, string][] = [
                [
                    "a zero rate",
                    { threshold: 0, evaluationPeriods: 3 },
                    `[threshold] ${rate} (got 0)`,
                ],
                [
                    "a negative rate",
                    { threshold: -0.1, evaluationPeriods: 3 },
                    `[threshold] ${rate} (got -0.1)`,
                ],
                [
                    "a rate above 1",
                    { threshold: 5, evaluationPeriods: 3 },
                    `[threshold] ${rate} (got 5)`,
                ],
                [
                    "zero minutes",
                    { threshold: 0.05, evaluationPeriods: 0 },
                    `[evaluationPeriods] ${minutes} (got 0)`,
                ],
                [
                    "11 minutes",
                    { threshold: 0.05, evaluationPeriods: 11 },
                    `[evaluationPeriods] ${minutes} (got 11)`,
                ],
                [
                    "fractional minutes",
                    { threshold: 0.05, evaluationPeriods: 2.5 },
                    `[evaluationPeriods] ${minutes} (got 2.5)`,
                ],
                [
                    "both",
                    { threshold: 1.5, evaluationPeriods: 0 },
                    `[threshold] ${rate} (got 1.5); [evaluationPeriods] ${minutes} (got 0)`,
                ],
            ];
            for (const [title, thresholds, problems] of cases) {
                it(`rejects ${title}`, async () => {
                    await rejectsBeforeRegistering(
                        () => new AlarmHealthCheck("bad", serverErrorGuardArgs(source, thresholds)),
                        `serverErrorGuardArgs "thresholds": ${problems}`,
                    );
                });
            }
        });
    });

    describe("rejects what Route 53 cannot follow, before registering anything", () => {
        before(reset);

        const ok: AlarmHealthCheckArgs = {
            namespace: "AWS/ApiGateway",
            metricName: "Latency",
            threshold: 1000,
        };
        const standard =
            "must be a multiple of 60 seconds: Route 53 health checks follow only standard-resolution alarms";
        const window =
            "must be at most 86400 seconds (one day) with a period under an hour, 604800 (seven days) otherwise: CloudWatch evaluates no longer window";
        const cases: [string, Partial<Record<keyof AlarmHealthCheckArgs, unknown>>, string][] = [
            [
                "no metric and no threshold",
                { namespace: undefined, metricName: undefined, threshold: undefined },
                `[namespace] is required: a non-empty string of at most 255 characters; [metricName] is required: a non-empty string of at most 255 characters; [threshold] is required: a finite number`,
            ],
            [
                "a percentile statistic",
                { statistic: "p99" },
                `[statistic] must be one of "Average", "Maximum", "Minimum", "SampleCount", "Sum" (got "p99")`,
            ],
            ["a high-resolution period", { period: 10 }, `[period] ${standard} (got 10)`],
            [
                "a period that is not a multiple of 60",
                { period: 90 },
                `[period] ${standard} (got 90)`,
            ],
            ["a zero period", { period: 0 }, `[period] ${standard} (got 0)`],
            [
                "minute periods over more than a day",
                { period: 60, evaluationPeriods: 1441 },
                `[period] × [evaluationPeriods] ${window} (got 86460)`,
            ],
            [
                "hourly periods over more than seven days",
                { period: 3600, evaluationPeriods: 169 },
                `[period] × [evaluationPeriods] ${window} (got 608400)`,
            ],
            [
                "zero evaluation periods",
                { evaluationPeriods: 0 },
                `[evaluationPeriods] must be a positive integer (got 0)`,
            ],
            [
                "fractional evaluation periods",
                { evaluationPeriods: 1.5 },
                `[evaluationPeriods] must be a positive integer (got 1.5)`,
            ],
            [
                "an infinite threshold",
                { threshold: Number.POSITIVE_INFINITY },
                `[threshold] must be a finite number (got Infinity)`,
            ],
            [
                "an empty metric name",
                { metricName: "" },
                `[metricName] must be a non-empty string of at most 255 characters (got "")`,
            ],
            [
                "a namespace of 256 characters",
                { namespace: "n".repeat(256) },
                `[namespace] must be a non-empty string of at most 255 characters (got "${"n".repeat(256)}")`,
            ],
            [
                "an unknown comparison",
                { comparisonOperator: "GreaterThan" },
                `[comparisonOperator] must be one of "GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanOrEqualToThreshold", "LessThanThreshold" (got "GreaterThan")`,
            ],
            [
                "an unknown missing-data treatment",
                { treatMissingData: "NotBreaching" },
                `[treatMissingData] must be one of "missing", "ignore", "breaching", "notBreaching" (got "NotBreaching")`,
            ],
            [
                "an unknown insufficient-data status",
                { insufficientDataHealthStatus: "Last" },
                `[insufficientDataHealthStatus] must be one of "Healthy", "LastKnownStatus", "Unhealthy" (got "Last")`,
            ],
            [
                "several problems at once",
                { statistic: "p90", period: 30, metricName: "" },
                `[metricName] must be a non-empty string of at most 255 characters (got ""); [statistic] must be one of "Average", "Maximum", "Minimum", "SampleCount", "Sum" (got "p90"); [period] ${standard} (got 30)`,
            ],
        ];
        for (const [title, bad, problems] of cases) {
            it(`rejects ${title}`, async () => {
                await rejectsBeforeRegistering(
                    () => new AlarmHealthCheck("bad", { ...ok, ...bad } as AlarmHealthCheckArgs),
                    `AlarmHealthCheck "bad": ${problems}`,
                );
            });
        }
    });
});
