import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    DERIVED_METRIC_GUARD_DEFAULTS,
    DERIVED_METRIC_NAMES,
    DerivedMetricGuard,
    DerivedMetricGuardArgs,
    DerivedSignal,
} from "../../components/derivedMetricGuard";
import type { HealthCheckGuard } from "../../components/failoverDomain";
import { bundleHandler } from "../../components/handlerBundle";
import { SIGNAL_KINDS, bridgeConfigFromEnv } from "../../functions/bridge";
import { RecordedResource } from "../../plan/mockRuntime";
import { RULES, runRules } from "../../plan/rules";
import { lambdaLeastPrivilegeRule } from "../../plan/rules/iamLeastPrivilege";
import { created, ofType, promiseOf, reset, state } from "../harness";
import {
    assertTags,
    childrenOf,
    component,
    inventory,
    rejectsBeforeRegistering,
    urnOf,
    withPlainStacks,
    ruleSnapshot,
} from "./helpers";

const TYPE = "multi-region-api:index:DerivedMetricGuard";
const GUARD = "multi-region-api:index:AlarmHealthCheck";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const ACCOUNT = "123456789012";

const args: DerivedMetricGuardArgs = {
    serviceName: "api.example.com",
    apiName: "use1-api",
    stageName: "live",
    signal: DerivedSignal.LatencyP99,
    threshold: 1000,
};

/** Every resource a DerivedMetricGuard named `n` registers below itself, as `type name`, sorted. */
function expectedInventory(n: string): string[] {
    return [
        `${GUARD} ${n}`,
        `${ALARM} ${n}-alarm`,
        `${HEALTH_CHECK} ${n}-check`,
        `aws:cloudwatch/eventRule:EventRule ${n}-schedule`,
        `aws:cloudwatch/eventTarget:EventTarget ${n}-target`,
        `aws:cloudwatch/logGroup:LogGroup ${n}-logs`,
        `aws:iam/role:Role ${n}-role`,
        `aws:iam/rolePolicy:RolePolicy ${n}-policy`,
        `aws:lambda/function:Function ${n}-function`,
        `aws:lambda/permission:Permission ${n}-invoke`,
    ].sort();
}

function provider(region: string) {
    return new aws.Provider(`aws-${region}`, { region });
}

/** Waits until `guards` have resolved their outputs and every registration has settled. */
async function settled(...guards: DerivedMetricGuard[]) {
    await Promise.all(
        guards.flatMap((g) => [
            promiseOf(g.healthCheckId),
            promiseOf(g.alarmRegion),
            promiseOf(g.function.arn),
            promiseOf(g.namespace),
        ]),
    );
    await state.settle();
}

/**
 * The resources below the DerivedMetricGuard `name`, keyed by name: its own children and its
 * AlarmHealthCheck's (the alarm and the check), after checking their parents.
 */
function descendants(name: string): Record<string, RecordedResource> {
    const parent = component(TYPE, name);
    const guard = component(GUARD, name);
    assert.equal(guard.parent, parent.urn);
    const own = childrenOf(parent);
    const below = childrenOf(guard);
    assert.deepEqual(inventory(below), [`${ALARM} ${name}-alarm`, `${HEALTH_CHECK} ${name}-check`]);
    const all = [...own.filter((r) => r.type !== GUARD), ...below];
    return Object.fromEntries(all.map((r) => [r.name, r]));
}

/** The AWS resources below the guard `name`. */
const awsDescendants = (name: string) => Object.values(descendants(name));

/** A registered resource as the guardrails see it (as the offline plan builds it). */

const LATENCY_DESCRIPTION =
    "api.example.com in us-east-1 is out of DNS while this alarm is in ALARM (derived-metric guard use1-p99); run `multi-region-api status` to see both regions. ALARM means: the p99 latency was above 1000 ms in each of 3 consecutive minute(s) for API use1-api, stage live (minutes with fewer than 50 requests count as healthy), or the bridge function published no LatencyP99Ms for that long, which counts the same: see its errors and its log group.";

const ERROR_RATE_DESCRIPTION =
    "orders.example.com in eu-west-1 is out of DNS while this alarm is in ALARM (derived-metric guard euw1-errors); run `multi-region-api status` to see both regions. ALARM means: the 5XX error rate was at or above 2.5% in each of 5 consecutive minute(s) for API euw1-orders-api, stage v1 (minutes with fewer than 200 requests count as healthy), or the bridge function published no ErrorRatePercent for that long, which counts the same: see its errors and its log group.";

describe("DerivedMetricGuard", () => {
    it("publishes what the bridge handler derives: the same signal kinds, one metric name each", () => {
        assert.deepEqual(Object.values(DerivedSignal), [...SIGNAL_KINDS]);
        assert.deepEqual(DERIVED_METRIC_NAMES, {
            "latency-p99": "LatencyP99Ms",
            "error-rate": "ErrorRatePercent",
        });
        assert.deepEqual(DERIVED_METRIC_GUARD_DEFAULTS, {
            evaluationPeriods: 3,
            minimumRequests: 50,
            namespace: "MultiRegionApi/Derived",
            logRetentionDays: 30,
        });
    });

    describe("a p99 latency guard with defaults, in us-east-1", () => {
        let guard: DerivedMetricGuard;
        let c: Record<string, RecordedResource>;

        before(() =>
            withPlainStacks(async () => {
                reset();
                guard = new DerivedMetricGuard("use1-p99", args, {
                    providers: { aws: provider("us-east-1") },
                });
                await settled(guard);
                c = descendants("use1-p99");
            }),
        );

        it("registers exactly these resources, parented to the component (the alarm and check to its AlarmHealthCheck), on its provider's region", () => {
            const parent = component(TYPE, "use1-p99");
            assert.equal(parent.urn, urnOf(TYPE, "use1-p99"));
            assert.equal(parent.parent, undefined);
            assert.deepEqual(
                inventory(created),
                [
                    `${TYPE} use1-p99`,
                    ...expectedInventory("use1-p99"),
                    "pulumi:providers:aws aws-us-east-1",
                ].sort(),
            );
            assert.deepEqual(inventory(childrenOf(parent)), [
                "aws:cloudwatch/eventRule:EventRule use1-p99-schedule",
                "aws:cloudwatch/eventTarget:EventTarget use1-p99-target",
                "aws:cloudwatch/logGroup:LogGroup use1-p99-logs",
                "aws:iam/role:Role use1-p99-role",
                "aws:iam/rolePolicy:RolePolicy use1-p99-policy",
                "aws:lambda/function:Function use1-p99-function",
                "aws:lambda/permission:Permission use1-p99-invoke",
                `${GUARD} use1-p99`,
            ]);
            const guardComponent = component(GUARD, "use1-p99");
            assert.equal(guardComponent.urn, urnOf(`${TYPE}$${GUARD}`, "use1-p99"));
            for (const child of Object.values(c)) {
                const owner = child.parent === parent.urn ? TYPE : `${TYPE}$${GUARD}`;
                assert.equal(child.urn, urnOf(`${owner}$${child.type}`, child.name));
                assert.equal(child.providerRegion, "us-east-1", `${child.name} provider region`);
                assert.equal(child.protect, false, `${child.name} protect`);
            }
            assert.equal(c["use1-p99-alarm"].parent, guardComponent.urn);
            assert.equal(c["use1-p99-check"].parent, guardComponent.urn);
        });

        it("looks up its region on its provider (once itself, once its AlarmHealthCheck)", () => {
            const providerRef = `${urnOf("pulumi:providers:aws", "aws-us-east-1")}::aws-us-east-1-id`;
            assert.deepEqual(
                state.invokes.map((i): unknown[] => [i.token, i.provider, i.inputs]),
                [
                    ["aws:index/getRegion:getRegion", providerRef, {}],
                    ["aws:index/getRegion:getRegion", providerRef, {}],
                ],
            );
        });

        it("gives the function a log group and a role that reads metrics, publishes in its namespace alone and writes its logs", () => {
            assert.deepEqual(c["use1-p99-logs"].inputs, { retentionInDays: 30, tags: {} });
            assert.deepEqual(c["use1-p99-role"].inputs, {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "lambda.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
                tags: {},
            });
            const policy = c["use1-p99-policy"].inputs;
            assert.deepEqual(
                { ...policy, policy: JSON.parse(String(policy.policy)) as unknown },
                {
                    role: "use1-p99-role-id",
                    policy: {
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: "cloudwatch:GetMetricData",
                                Resource: "*",
                            },
                            {
                                Effect: "Allow",
                                Action: "cloudwatch:PutMetricData",
                                Resource: "*",
                                Condition: {
                                    StringEquals: {
                                        "cloudwatch:namespace": "MultiRegionApi/Derived",
                                    },
                                },
                            },
                            {
                                Effect: "Allow",
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:use1-p99-logs:*`,
                            },
                        ],
                    },
                },
            );
        });

        it("runs the bridge handler on Lambda nodejs22.x arm64, 128 MB, 30 s, configured by BRIDGE_CONFIG", async () => {
            const fn = c["use1-p99-function"];
            const { code, ...rest } = fn.inputs;
            assert.deepEqual(rest, {
                runtime: "nodejs22.x",
                architectures: ["arm64"],
                handler: "index.handler",
                role: `arn:aws:iam::${ACCOUNT}:role/use1-p99-role`,
                memorySize: 128,
                timeout: 30,
                environment: {
                    variables: {
                        BRIDGE_CONFIG: JSON.stringify({
                            namespace: "MultiRegionApi/Derived",
                            service: "api.example.com",
                            apiName: "use1-api",
                            stage: "live",
                            signals: [
                                {
                                    kind: "latency-p99",
                                    metricName: "LatencyP99Ms",
                                    minimumRequests: 50,
                                },
                            ],
                        }),
                    },
                },
                loggingConfig: { logFormat: "JSON", logGroup: "use1-p99-logs" },
                tags: {},
            });
            // Created once its role may read and publish: the schedule runs it at once.
            assert.ok(fn.dependsOn.includes(c["use1-p99-policy"].urn), "depends on its policy");
            assert.ok(code instanceof pulumi.asset.AssetArchive, "code archive");
            const assets = await code.assets;
            assert.deepEqual(Object.keys(assets), ["index.js"]);
            const index = assets["index.js"];
            assert.ok(index instanceof pulumi.asset.StringAsset);
            const text = await index.text;
            assert.equal(text, bundleHandler("bridge"));
            // The AWS SDK is the Lambda runtime's; nothing else is required at run time.
            assert.deepEqual([...new Set(text.match(/require\("[^"]+"\)/g))].sort(), [
                'require("@aws-sdk/client-cloudwatch")',
            ]);
            assert.doesNotMatch(text, /node_modules/);
            assert.ok(!text.includes(path.resolve(__dirname, "../..")), "no absolute path");
        });

        it("writes a BRIDGE_CONFIG the handler reads back as exactly this signal", () => {
            const variables = (
                c["use1-p99-function"].inputs.environment as { variables: Record<string, string> }
            ).variables;
            assert.deepEqual(bridgeConfigFromEnv({ ...variables, AWS_REGION: "us-east-1" }), {
                ok: true,
                config: {
                    namespace: "MultiRegionApi/Derived",
                    service: "api.example.com",
                    apiName: "use1-api",
                    stage: "live",
                    signals: [
                        { kind: "latency-p99", metricName: "LatencyP99Ms", minimumRequests: 50 },
                    ],
                },
                region: "us-east-1",
            });
        });

        it("runs it every minute, never retrying a run that could not start within a minute", () => {
            const rule = c["use1-p99-schedule"];
            const fn = c["use1-p99-function"];
            assert.deepEqual(rule.inputs, {
                description: "Runs the derived-metric bridge use1-p99 every minute.",
                scheduleExpression: "rate(1 minute)",
                tags: {},
            });
            const target = c["use1-p99-target"];
            assert.deepEqual(target.inputs, {
                rule: "use1-p99-schedule",
                arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:use1-p99-function`,
                retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
            });
            const permission = c["use1-p99-invoke"];
            assert.deepEqual(permission.inputs, {
                action: "lambda:InvokeFunction",
                function: "use1-p99-function",
                principal: "events.amazonaws.com",
                sourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/use1-p99-schedule`,
            });
            assert.ok(target.dependsOn.includes(fn.urn), "the target depends on the function");
            assert.ok(target.dependsOn.includes(rule.urn), "the target depends on the rule");
            assert.ok(permission.dependsOn.includes(fn.urn), "the permission on the function");
            assert.ok(permission.dependsOn.includes(rule.urn), "the permission on the rule");
        });

        it("alarms on the Maximum of LatencyP99Ms above the threshold for 3 minutes, missing data breaching; the check follows it, unhealthy without data", () => {
            const settings = {
                namespace: "MultiRegionApi/Derived",
                metricName: "LatencyP99Ms",
                dimensions: { Service: "api.example.com", Region: "us-east-1" },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                threshold: 1000,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "breaching",
            };
            assert.deepEqual(c["use1-p99-alarm"].inputs, {
                ...settings,
                alarmDescription: LATENCY_DESCRIPTION,
                tags: {},
            });
            assert.deepEqual(c["use1-p99-check"].inputs, {
                type: "CLOUDWATCH_METRIC",
                cloudwatchAlarmName: "use1-p99-alarm",
                cloudwatchAlarmRegion: "us-east-1",
                insufficientDataHealthStatus: "Unhealthy",
                triggers: { alarm: JSON.stringify(settings) },
                tags: { Name: "use1-p99" },
            });
        });

        it("exposes the check id (a FailoverDomain guard), the alarm, the check, its children, the metric and namespace", async () => {
            // A guard FailoverDomain takes as it takes an AlarmHealthCheck.
            const asGuard: HealthCheckGuard = guard;
            assert.equal(
                await promiseOf(pulumi.output(asGuard.healthCheckId)),
                "use1-p99-check-id",
            );
            assert.equal(await promiseOf(guard.alarmRegion), "us-east-1");
            assert.equal(await promiseOf(guard.metricName), "LatencyP99Ms");
            assert.equal(await promiseOf(guard.namespace), "MultiRegionApi/Derived");
            assert.equal(await promiseOf(guard.alarm.urn), c["use1-p99-alarm"].urn);
            assert.equal(await promiseOf(guard.healthCheck.urn), c["use1-p99-check"].urn);
            assert.equal(await promiseOf(guard.function.urn), c["use1-p99-function"].urn);
            assert.equal(await promiseOf(guard.role.urn), c["use1-p99-role"].urn);
            assert.equal(await promiseOf(guard.logGroup.urn), c["use1-p99-logs"].urn);
            assert.equal(await promiseOf(guard.rule.urn), c["use1-p99-schedule"].urn);
        });

        // GetMetricData on "*" is deliberate (it has no resource to name), and so is silence
        // counting as unhealthy (the metric is published every minute, 0 without traffic, so
        // silence means the bridge or CloudWatch failed): the rules know both.
        it("trips no guardrail; the least-privilege rule still judges its role", () => {
            const snapshots = created.map(ruleSnapshot);
            assert.deepEqual(runRules(RULES, snapshots, { wholeDeployment: false }), []);
            // The same resources with PutMetricData widened to every CloudWatch action.
            const widened = snapshots.map((s) =>
                s.name === "use1-p99-policy"
                    ? {
                          ...s,
                          inputs: {
                              ...s.inputs,
                              policy: String(s.inputs.policy).replace(
                                  "cloudwatch:PutMetricData",
                                  "cloudwatch:*",
                              ),
                          },
                      }
                    : s,
            );
            assert.deepEqual(
                runRules([lambdaLeastPrivilegeRule], widened, { wholeDeployment: false }).map(
                    (f) => f.message.split(". A bug")[0],
                ),
                [
                    'Role use1-p99-role, which Lambda assumes, is granted too much through RolePolicy use1-p99-policy: statement 2 allows Action "cloudwatch:*" and Resource "*"',
                ],
            );
        });
    });

    describe("an error-rate guard with every setting and deploy-time names, in eu-west-1", () => {
        let guard: DerivedMetricGuard;
        let c: Record<string, RecordedResource>;
        const tags = { team: "sre" };

        before(() =>
            withPlainStacks(async () => {
                reset();
                guard = new DerivedMetricGuard(
                    "euw1-errors",
                    {
                        serviceName: pulumi.output("orders.example.com"),
                        apiName: pulumi.output("euw1-orders-api"),
                        stageName: pulumi.output("v1"),
                        signal: DerivedSignal.ErrorRate,
                        threshold: 2.5,
                        evaluationPeriods: 5,
                        minimumRequests: 200,
                        namespace: "Orders/Derived",
                        logRetentionDays: 7,
                        tags,
                    },
                    { providers: { aws: provider("eu-west-1") } },
                );
                await settled(guard);
                c = descendants("euw1-errors");
            }),
        );

        it("registers the same resources on its provider's region", () => {
            assert.deepEqual(
                inventory(created),
                [
                    `${TYPE} euw1-errors`,
                    ...expectedInventory("euw1-errors"),
                    "pulumi:providers:aws aws-eu-west-1",
                ].sort(),
            );
            for (const child of Object.values(c)) {
                assert.equal(child.providerRegion, "eu-west-1", `${child.name} provider region`);
            }
        });

        it("alarms on the Maximum of ErrorRatePercent at or above the threshold for 5 minutes, missing data breaching; the check unhealthy without data", () => {
            const settings = {
                namespace: "Orders/Derived",
                metricName: "ErrorRatePercent",
                dimensions: { Service: "orders.example.com", Region: "eu-west-1" },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 5,
                datapointsToAlarm: 5,
                threshold: 2.5,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "breaching",
            };
            assert.deepEqual(c["euw1-errors-alarm"].inputs, {
                ...settings,
                alarmDescription: ERROR_RATE_DESCRIPTION,
                tags,
            });
            assert.deepEqual(c["euw1-errors-check"].inputs, {
                type: "CLOUDWATCH_METRIC",
                cloudwatchAlarmName: "euw1-errors-alarm",
                cloudwatchAlarmRegion: "eu-west-1",
                insufficientDataHealthStatus: "Unhealthy",
                triggers: { alarm: JSON.stringify(settings) },
                tags: { ...tags, Name: "euw1-errors" },
            });
        });

        it("passes every setting on: the bridge's configuration, the namespace in the policy, retention", async () => {
            const variables = (
                c["euw1-errors-function"].inputs.environment as {
                    variables: Record<string, string>;
                }
            ).variables;
            assert.deepEqual(variables, {
                BRIDGE_CONFIG: JSON.stringify({
                    namespace: "Orders/Derived",
                    service: "orders.example.com",
                    apiName: "euw1-orders-api",
                    stage: "v1",
                    signals: [
                        {
                            kind: "error-rate",
                            metricName: "ErrorRatePercent",
                            minimumRequests: 200,
                        },
                    ],
                }),
            });
            const policy = JSON.parse(String(c["euw1-errors-policy"].inputs.policy)) as {
                Statement: { Condition?: unknown }[];
            };
            assert.deepEqual(policy.Statement[1].Condition, {
                StringEquals: { "cloudwatch:namespace": "Orders/Derived" },
            });
            assert.deepEqual(c["euw1-errors-logs"].inputs, { retentionInDays: 7, tags });
            assert.equal(await promiseOf(guard.metricName), "ErrorRatePercent");
            assert.equal(await promiseOf(guard.namespace), "Orders/Derived");
            assert.equal(await promiseOf(guard.alarmRegion), "eu-west-1");
        });

        it("tags every resource that takes tags, the health check also with its Name, and no other", () => {
            assertTags(
                awsDescendants("euw1-errors"),
                (child) => (child.type === HEALTH_CHECK ? { ...tags, Name: "euw1-errors" } : tags),
                [
                    "aws:cloudwatch/eventRule:EventRule",
                    "aws:cloudwatch/logGroup:LogGroup",
                    ALARM,
                    HEALTH_CHECK,
                    "aws:iam/role:Role",
                    "aws:lambda/function:Function",
                ],
            );
        });
    });

    it("keeps the alarm description within CloudWatch's 1024 characters, however long the names", () =>
        withPlainStacks(async () => {
            reset();
            const long = new DerivedMetricGuard(
                "g".repeat(47),
                {
                    ...args,
                    serviceName: `${"s".repeat(63)}.${"e".repeat(63)}.example.com`,
                    apiName: "a".repeat(1024),
                    stageName: "t".repeat(128),
                },
                { providers: { aws: provider("ap-southeast-2") } },
            );
            await settled(long);
            const description = String(
                ofType(ALARM).find((a) => a.name === `${"g".repeat(47)}-alarm`)!.inputs
                    .alarmDescription,
            );
            assert.equal(description.length, 1024);
            assert.ok(description.endsWith("..."));
            // What to do comes first, so clipping never removes it.
            assert.ok(description.includes("run `multi-region-api status` to see both regions."));
        }));

    describe("rejects bad arguments before registering anything", () => {
        before(reset);

        const latencyMs = "must be a p99 latency from 1 to 60000 milliseconds";
        const percent = "must be an error rate above 0 and at most 100 percent";
        const minutes = "must be an integer from 1 to 10 minutes";
        const requests = "must be a positive integer (requests in a minute)";
        const namespace =
            'must be a CloudWatch namespace: 1-255 letters, digits, spaces or . - _ / # :, not starting with ":" or "AWS/" (reserved for AWS)';
        const signal = 'must be one of "latency-p99", "error-rate"';
        const errorRate = { signal: DerivedSignal.ErrorRate };
        const cases: [string, string, Record<string, unknown>, string][] = [
            [
                "a missing service name",
                "bad",
                { serviceName: undefined },
                "[serviceName] is required: a lowercase DNS name without a trailing dot, such as example.com",
            ],
            [
                "a service name that is not a DNS name",
                "bad",
                { serviceName: "API" },
                '[serviceName] must be a lowercase DNS name without a trailing dot, such as example.com; it has a single label (got "API")',
            ],
            [
                "a missing API name",
                "bad",
                { apiName: undefined },
                "[apiName] is required: a REST API name of 1-1024 characters",
            ],
            [
                "an empty API name",
                "bad",
                { apiName: "" },
                '[apiName] must be a REST API name of 1-1024 characters (got "")',
            ],
            [
                "a stage name API Gateway refuses",
                "bad",
                { stageName: "my stage" },
                '[stageName] must be 1-128 letters, digits, "-" or "_" (got "my stage")',
            ],
            [
                "a missing signal",
                "bad",
                { signal: undefined },
                '[signal] is required: one of "latency-p99", "error-rate"',
            ],
            ["an unknown signal", "bad", { signal: "p50" }, `[signal] ${signal} (got "p50")`],
            [
                "a threshold that is no number, with an unknown signal",
                "bad",
                { signal: "p50", threshold: Number.NaN },
                `[signal] ${signal} (got "p50"); [threshold] must be a number: milliseconds for latency-p99, percent for error-rate (got NaN)`,
            ],
            [
                "a missing threshold",
                "bad",
                { threshold: undefined },
                "[threshold] is required: a p99 latency from 1 to 60000 milliseconds",
            ],
            ["a latency of 0 ms", "bad", { threshold: 0 }, `[threshold] ${latencyMs} (got 0)`],
            [
                "a latency over a minute",
                "bad",
                { threshold: 60_001 },
                `[threshold] ${latencyMs} (got 60001)`,
            ],
            [
                "an error rate of 0",
                "bad",
                { ...errorRate, threshold: 0 },
                `[threshold] ${percent} (got 0)`,
            ],
            [
                "an error rate over 100 percent",
                "bad",
                { ...errorRate, threshold: 1000 },
                `[threshold] ${percent} (got 1000)`,
            ],
            [
                "zero minutes",
                "bad",
                { evaluationPeriods: 0 },
                `[evaluationPeriods] ${minutes} (got 0)`,
            ],
            [
                "11 minutes",
                "bad",
                { evaluationPeriods: 11 },
                `[evaluationPeriods] ${minutes} (got 11)`,
            ],
            [
                "fractional minutes",
                "bad",
                { evaluationPeriods: 1.5 },
                `[evaluationPeriods] ${minutes} (got 1.5)`,
            ],
            [
                "a minimum of 0 requests",
                "bad",
                { minimumRequests: 0 },
                `[minimumRequests] ${requests} (got 0)`,
            ],
            [
                "a fractional minimum",
                "bad",
                { minimumRequests: 2.5 },
                `[minimumRequests] ${requests} (got 2.5)`,
            ],
            [
                "an AWS namespace",
                "bad",
                { namespace: "AWS/ApiGateway" },
                `[namespace] ${namespace} (got "AWS/ApiGateway")`,
            ],
            [
                "a retention CloudWatch Logs does not offer",
                "bad",
                { logRetentionDays: 2 },
                "[logRetentionDays] must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 2)",
            ],
            [
                "a misspelled argument",
                "bad",
                { minimumRequest: 10 },
                "[minimumRequest] is not an argument of DerivedMetricGuard; did you mean minimumRequests? Its arguments are serviceName, apiName, stageName, signal, threshold, evaluationPeriods, minimumRequests, namespace, logRetentionDays, tags",
            ],
            [
                "a Name tag, which the health check's name takes",
                "bad",
                { tags: { Name: "x" } },
                "[tags.Name] is set by DerivedMetricGuard, which names each health check after itself; remove it",
            ],
            [
                "more tags than a health check takes beside its Name",
                "bad",
                { tags: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, "v"])) },
                "[tags] must hold at most 9 tags: a Route 53 health check takes at most 10 and DerivedMetricGuard adds Name (got 10)",
            ],
            [
                "a name too long for the function's",
                "g".repeat(48),
                {},
                `[name] must be 1-47 characters from A-Z, a-z, 0-9, "-" and "_": the Lambda function "<name>-function", plus Pulumi's 8-character random suffix, must fit AWS's limit of 64 characters (got "${"g".repeat(48)}", 48 characters)`,
            ],
            [
                "a name with a dot",
                "use1.p99",
                {},
                `[name] must be 1-47 characters from A-Z, a-z, 0-9, "-" and "_": the Lambda function "<name>-function", plus Pulumi's 8-character random suffix, must fit AWS's limit of 64 characters (got "use1.p99", 8 characters)`,
            ],
            [
                "several problems at once",
                "bad",
                { ...errorRate, threshold: 0, evaluationPeriods: 0, minimumRequests: -1 },
                `[threshold] ${percent} (got 0); [evaluationPeriods] ${minutes} (got 0); [minimumRequests] ${requests} (got -1)`,
            ],
        ];
        for (const [title, name, bad, problems] of cases) {
            it(`rejects ${title}`, async () => {
                await rejectsBeforeRegistering(
                    () => new DerivedMetricGuard(name, { ...args, ...bad }),
                    `DerivedMetricGuard "${name}": ${problems}`,
                );
            });
        }

        it("accepts a name of exactly 47 characters and the extremes of every range", () =>
            withPlainStacks(async () => {
                reset();
                const use1 = { providers: { aws: provider("us-east-1") } };
                const guards = [
                    new DerivedMetricGuard(
                        "g".repeat(47),
                        { ...args, threshold: 1, evaluationPeriods: 1, minimumRequests: 1 },
                        use1,
                    ),
                    new DerivedMetricGuard(
                        "slow",
                        { ...args, threshold: 60_000, evaluationPeriods: 10 },
                        use1,
                    ),
                    new DerivedMetricGuard(
                        "rare",
                        { ...args, signal: DerivedSignal.ErrorRate, threshold: 0.01 },
                        use1,
                    ),
                    new DerivedMetricGuard(
                        "all",
                        { ...args, signal: DerivedSignal.ErrorRate, threshold: 100 },
                        use1,
                    ),
                ];
                await settled(...guards);
                assert.deepEqual(
                    ofType(ALARM).map((a) => [
                        a.name,
                        a.inputs.threshold,
                        a.inputs.evaluationPeriods,
                        a.inputs.comparisonOperator,
                    ]),
                    [
                        [`${"g".repeat(47)}-alarm`, 1, 1, "GreaterThanThreshold"],
                        ["slow-alarm", 60_000, 10, "GreaterThanThreshold"],
                        ["rare-alarm", 0.01, 3, "GreaterThanOrEqualToThreshold"],
                        ["all-alarm", 100, 3, "GreaterThanOrEqualToThreshold"],
                    ],
                );
            }));
    });
});
