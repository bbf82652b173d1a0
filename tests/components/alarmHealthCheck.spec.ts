import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import {
    AlarmHealthCheck,
    AlarmHealthCheckArgs,
    operatorSwitchArgs,
} from "../../components/alarmHealthCheck";
import { created, ofType, promiseOf, reset, state } from "../harness";

async function build(name: string, args: AlarmHealthCheckArgs, region = "eu-west-1") {
    const provider = new aws.Provider(`aws-${region}`, { region });
    const c = new AlarmHealthCheck(name, args, { providers: { aws: provider } });
    await promiseOf(c.healthCheckId);
    await state.settle();
    return c;
}

describe("AlarmHealthCheck", () => {
    beforeEach(reset);

    it("operator switch: an alarm in the provider's region on HealthCheck/Failover scoped to service and region", async () => {
        const sw = await build(
            "us-east-1-switch",
            operatorSwitchArgs({ service: "api.example.com", protectedRegion: "us-east-1" }),
        );
        const alarm = ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        const check = ofType("aws:route53/healthCheck:HealthCheck");
        assert.deepEqual(
            alarm.map((a) => a.name),
            ["us-east-1-switch-alarm"],
        );
        assert.deepEqual(
            check.map((c) => c.name),
            ["us-east-1-switch-check"],
        );
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
        assert.deepEqual(alarm[0].inputs, {
            ...settings,
            alarmDescription:
                "Operator failover switch for api.example.com in us-east-1: 1 = fail over (take the region out), 0 = fail back.",
        });
        assert.equal(alarm[0].providerRegion, "eu-west-1");
        assert.deepEqual(check[0].inputs, {
            type: "CLOUDWATCH_METRIC",
            cloudwatchAlarmName: "us-east-1-switch-alarm",
            cloudwatchAlarmRegion: "eu-west-1",
            // Holds the last flipped state while no new data arrives.
            insufficientDataHealthStatus: "LastKnownStatus",
            triggers: { alarm: JSON.stringify(settings) },
            tags: { Name: "us-east-1-switch" },
        });
        const component = ofType("multiregion:index:AlarmHealthCheck")[0];
        for (const child of [...alarm, ...check]) assert.equal(child.parent, component.urn);
        assert.equal(await promiseOf(sw.alarmRegion), "eu-west-1");
        assert.equal(await promiseOf(sw.alarmName), "us-east-1-switch-alarm");
        assert.deepEqual(await promiseOf(sw.dimensions), {
            Service: "api.example.com",
            Region: "us-east-1",
        });
        assert.equal(await promiseOf(sw.namespace), "HealthCheck");
        assert.equal(await promiseOf(sw.metricName), "Failover");
    });

    it("switches for two services or two regions never share a metric", () => {
        const a = operatorSwitchArgs({ service: "api.example.com", protectedRegion: "us-east-1" });
        const b = operatorSwitchArgs({ service: "api.example.com", protectedRegion: "eu-west-1" });
        const c = operatorSwitchArgs({
            service: "orders.example.com",
            protectedRegion: "us-east-1",
        });
        assert.notDeepEqual(a.dimensions, b.dimensions);
        assert.notDeepEqual(a.dimensions, c.dimensions);
    });

    it("metric alarm: follows an API's 5XXError rate with defaults spelled out", async () => {
        await build(
            "errors",
            {
                namespace: "AWS/ApiGateway",
                metricName: "5XXError",
                dimensions: { ApiName: "api", Stage: "live" },
                statistic: "Average",
                period: 60,
                evaluationPeriods: 3,
                threshold: 0.05,
                treatMissingData: "notBreaching",
                insufficientDataHealthStatus: "Healthy",
            },
            "us-east-1",
        );
        const alarm = ofType("aws:cloudwatch/metricAlarm:MetricAlarm")[0];
        assert.deepEqual(alarm.inputs, {
            namespace: "AWS/ApiGateway",
            metricName: "5XXError",
            dimensions: { ApiName: "api", Stage: "live" },
            statistic: "Average",
            period: 60,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            threshold: 0.05,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "notBreaching",
            alarmDescription: "Drives the Route 53 health check errors.",
        });
        const check = ofType("aws:route53/healthCheck:HealthCheck")[0];
        assert.equal(check.inputs.insufficientDataHealthStatus, "Healthy");
        assert.equal(check.inputs.cloudwatchAlarmRegion, "us-east-1");
    });

    it("changing the alarm changes the health check's triggers", async () => {
        const base = operatorSwitchArgs({
            service: "api.example.com",
            protectedRegion: "us-east-1",
        });
        await build("a", base);
        const before = ofType("aws:route53/healthCheck:HealthCheck")[0].inputs.triggers;
        reset();
        await build("a", { ...base, period: 120 });
        const after = ofType("aws:route53/healthCheck:HealthCheck")[0].inputs.triggers;
        assert.notDeepEqual(before, after);
    });

    describe("rejects what Route 53 cannot follow, saying why", () => {
        const ok: AlarmHealthCheckArgs = {
            namespace: "AWS/ApiGateway",
            metricName: "Latency",
            threshold: 1000,
        };
        const cases: [string, Partial<AlarmHealthCheckArgs>, string][] = [
            [
                "a percentile statistic",
                { statistic: "p99" as never },
                `AlarmHealthCheck "bad": [statistic] must be one of Average, Minimum, Maximum, Sum, SampleCount: Route 53 CLOUDWATCH_METRIC health checks do not support percentiles or other extended statistics (got "p99")`,
            ],
            [
                "an extended statistic",
                { extendedStatistic: "tm99" },
                `AlarmHealthCheck "bad": [extendedStatistic] is not allowed: Route 53 CLOUDWATCH_METRIC health checks do not support percentiles or other extended statistics (got "tm99")`,
            ],
            [
                "metric math",
                { metricQueries: [{ id: "e1", expression: "m1/m2" }] },
                `AlarmHealthCheck "bad": [metricQueries] is not allowed: Route 53 health checks cannot follow metric math alarms`,
            ],
            [
                "M out of N",
                { evaluationPeriods: 3, datapointsToAlarm: 2 },
                `AlarmHealthCheck "bad": [datapointsToAlarm] must equal [evaluationPeriods] (3): Route 53 health checks cannot follow M-out-of-N alarms (got 2)`,
            ],
            [
                "a high-resolution period",
                { period: 10 },
                `AlarmHealthCheck "bad": [period] must be a multiple of 60 seconds: Route 53 health checks follow only standard-resolution alarms (got 10)`,
            ],
            [
                "a period that is not a multiple of 60",
                { period: 90 },
                `AlarmHealthCheck "bad": [period] must be a multiple of 60 seconds: Route 53 health checks follow only standard-resolution alarms (got 90)`,
            ],
            [
                "too long an evaluation window",
                { period: 3600, evaluationPeriods: 25 },
                `AlarmHealthCheck "bad": [period] × [evaluationPeriods] must be at most 86400 seconds (got 90000)`,
            ],
            [
                "zero evaluation periods",
                { evaluationPeriods: 0 },
                `AlarmHealthCheck "bad": [evaluationPeriods] must be a positive integer (got 0)`,
            ],
            [
                "a non-finite threshold",
                { threshold: Number.NaN },
                `AlarmHealthCheck "bad": [threshold] must be a finite number (got null)`,
            ],
            [
                "an empty metric name",
                { metricName: "" },
                `AlarmHealthCheck "bad": [metricName] must be a non-empty string of at most 255 characters (got "")`,
            ],
            [
                "an unknown insufficient-data status",
                { insufficientDataHealthStatus: "Last" as never },
                `AlarmHealthCheck "bad": [insufficientDataHealthStatus] must be "Healthy", "Unhealthy" or "LastKnownStatus" (got "Last")`,
            ],
            [
                "several problems at once",
                { period: 30, extendedStatistic: "p90" },
                `AlarmHealthCheck "bad": [extendedStatistic] is not allowed: Route 53 CLOUDWATCH_METRIC health checks do not support percentiles or other extended statistics (got "p90"); [period] must be a multiple of 60 seconds: Route 53 health checks follow only standard-resolution alarms (got 30)`,
            ],
        ];
        for (const [title, bad, message] of cases) {
            it(title, () => {
                assert.throws(() => new AlarmHealthCheck("bad", { ...ok, ...bad }), { message });
                assert.equal(created.length, 0);
            });
        }
    });
});
