import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { stackConfig } from "../../plan/stackFiles";
import { loadStackConfig, StackConfig } from "../../stack/config";
import { deployStack, StackOutputs } from "../../stack/deploy";
import { created, ofType, promiseOf, reset, state } from "../harness";

const root = path.join(__dirname, "..", "..");

async function deploy(
    config: Record<string, string>,
): Promise<{ cfg: StackConfig; out: StackOutputs }> {
    pulumi.runtime.setAllConfig(config);
    const cfg = loadStackConfig();
    const out = deployStack(cfg);
    await promiseOf(pulumi.output(out));
    await state.settle();
    return { cfg, out };
}

const byName = (type: string) => Object.fromEntries(ofType(type).map((r) => [r.name, r]));
const latency = (stack: string, switchRegion: string) => ({
    ...stackConfig(stack),
    "multi-region-api:routing": "latency",
    "multi-region-api:switchRegion": switchRegion,
});

describe("stacks", () => {
    beforeEach(reset);
    after(() => pulumi.runtime.setAllConfig({}));

    it("stack files name us-east-1 and eu-west-1", () => {
        assert.equal(stackConfig("primary")["aws:region"], "us-east-1");
        assert.equal(stackConfig("secondary")["aws:region"], "eu-west-1");
        assert.deepEqual(JSON.parse(stackConfig("primary")["multi-region-api:replicaRegions"]), [
            "eu-west-1",
        ]);
    });

    it("Pulumi.yaml disables default aws providers and runs index.ts", () => {
        const project = fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8");
        assert.match(project, /^main: index\.ts$/m);
        assert.match(project, /pulumi:disable-default-providers:\n\s+value:\n\s+- aws\n/);
    });

    describe("failover, primary (us-east-1)", () => {
        it("deploys RegionalApi, the protected global table and a PRIMARY record guarded by the calculated check", async () => {
            const { out } = await deploy(stackConfig("primary"));
            assert.deepEqual(
                ofType("pulumi:providers:aws").map((p) => [
                    p.name,
                    p.inputs.region,
                    p.inputs.stsRegion,
                ]),
                [
                    ["aws-us-east-1", "us-east-1", undefined],
                    // The switch's provider asks STS in us-east-1: an eu-west-1 outage cannot block this stack.
                    ["aws-eu-west-1", "eu-west-1", "us-east-1"],
                ],
            );
            const table = ofType("aws:dynamodb/table:Table");
            assert.equal(table.length, 1);
            assert.equal(table[0].protect, true);
            assert.equal(table[0].providerRegion, "us-east-1");
            assert.deepEqual(
                {
                    name: table[0].inputs.name,
                    billingMode: table[0].inputs.billingMode,
                    pointInTimeRecovery: table[0].inputs.pointInTimeRecovery,
                    deletionProtectionEnabled: table[0].inputs.deletionProtectionEnabled,
                    replicas: table[0].inputs.replicas,
                },
                {
                    name: "multi-region-api-products",
                    billingMode: "PAY_PER_REQUEST",
                    pointInTimeRecovery: { enabled: true },
                    deletionProtectionEnabled: true,
                    replicas: [
                        {
                            regionName: "eu-west-1",
                            pointInTimeRecovery: true,
                            deletionProtectionEnabled: true,
                        },
                    ],
                },
            );
            const apis = ofType("multiregion:index:RegionalApi");
            assert.deepEqual(
                apis.map((a) => [a.name, a.providerRegion]),
                [["us-east-1", null]],
            );
            for (const fn of ofType("aws:lambda/function:Function"))
                assert.equal(fn.providerRegion, "us-east-1");

            const alarm = ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
            assert.deepEqual(
                alarm.map((a) => [a.name, a.providerRegion]),
                [["us-east-1-switch-alarm", "eu-west-1"]],
            );
            assert.deepEqual(alarm[0].inputs.dimensions, {
                Service: "api.example.com",
                Region: "us-east-1",
            });

            const checks = byName("aws:route53/healthCheck:HealthCheck");
            assert.deepEqual(Object.keys(checks).sort(), [
                "us-east-1-routing-calculated",
                "us-east-1-routing-endpoint",
                "us-east-1-switch-check",
            ]);
            assert.equal(
                checks["us-east-1-switch-check"].inputs.cloudwatchAlarmRegion,
                "eu-west-1",
            );
            assert.deepEqual(checks["us-east-1-routing-calculated"].inputs.childHealthchecks, [
                "us-east-1-routing-endpoint-id",
                "us-east-1-switch-check-id",
            ]);
            assert.equal(checks["us-east-1-routing-calculated"].inputs.childHealthThreshold, 2);
            assert.equal(
                checks["us-east-1-routing-endpoint"].inputs.fqdn,
                "us-east-1.api.example.com",
            );

            const records = byName("aws:route53/record:Record");
            const routed = records["us-east-1-routing-record"];
            // The routed record waits for the whole RegionalApi (mappings, certificate).
            // The routed record waits for the service domain's base path mapping.
            assert.ok(
                routed.dependsOn.includes(
                    records["us-east-1-routing-record"].urn.replace(
                        /multiregion:index:FailoverDomain\$aws:route53\/record:Record::us-east-1-routing-record$/,
                        "multiregion:index:RegionalApi$aws:apigateway/basePathMapping:BasePathMapping::us-east-1-service-mapping",
                    ),
                ),
            );
            const serviceDomain = byName("aws:apigateway/domainName:DomainName")[
                "us-east-1-service-domain"
            ].state;
            assert.deepEqual(routed.inputs.failoverRoutingPolicies, [{ type: "PRIMARY" }]);
            assert.equal(routed.inputs.healthCheckId, "us-east-1-routing-calculated-id");
            assert.equal(routed.inputs.ttl, undefined);
            assert.equal(routed.inputs.setIdentifier, "primary");
            assert.deepEqual(routed.inputs.aliases, [
                {
                    name: serviceDomain.regionalDomainName,
                    zoneId: serviceDomain.regionalZoneId,
                    evaluateTargetHealth: true,
                },
            ]);

            assert.equal(out.serviceUrl, "https://api.example.com");
            assert.equal(await promiseOf(out.regionalUrl), "https://us-east-1.api.example.com");
            assert.equal(
                await promiseOf(out.routedHealthCheckId),
                "us-east-1-routing-calculated-id",
            );
            const sw = out.operatorSwitch!;
            assert.equal(await promiseOf(sw.region), "eu-west-1");
            assert.equal(await promiseOf(sw.alarmName), "us-east-1-switch-alarm");
            assert.deepEqual(await promiseOf(sw.dimensions), {
                Service: "api.example.com",
                Region: "us-east-1",
            });
            assert.equal(
                await promiseOf(sw.engage),
                "aws cloudwatch put-metric-data --region eu-west-1 --namespace HealthCheck --metric-name Failover --dimensions Service=api.example.com,Region=us-east-1 --value 1",
            );
            assert.match(await promiseOf(sw.release), / --value 0$/);
        });
    });

    describe("failover, secondary (eu-west-1)", () => {
        it("deploys RegionalApi using the replica by name and a SECONDARY record with its own endpoint check", async () => {
            const { out } = await deploy(stackConfig("secondary"));
            assert.deepEqual(
                ofType("pulumi:providers:aws").map((p) => p.inputs.region),
                ["eu-west-1"],
            );
            assert.equal(ofType("aws:dynamodb/table:Table").length, 0);
            assert.equal(ofType("aws:cloudwatch/metricAlarm:MetricAlarm").length, 0);
            for (const fn of ofType("aws:lambda/function:Function")) {
                assert.equal(fn.providerRegion, "eu-west-1");
                assert.deepEqual(fn.inputs.environment, {
                    variables: { TABLE_NAME: "multi-region-api-products" },
                });
            }
            const checks = byName("aws:route53/healthCheck:HealthCheck");
            assert.deepEqual(Object.keys(checks), ["eu-west-1-routing-endpoint"]);
            const routed = byName("aws:route53/record:Record")["eu-west-1-routing-record"];
            assert.deepEqual(routed.inputs.failoverRoutingPolicies, [{ type: "SECONDARY" }]);
            assert.equal(routed.inputs.setIdentifier, "secondary");
            assert.equal(routed.inputs.healthCheckId, "eu-west-1-routing-endpoint-id");
            assert.equal(out.operatorSwitch, undefined);
            assert.equal(await promiseOf(out.tableName), "multi-region-api-products");
        });

        it("primary and secondary records share name and type with different set identifiers", async () => {
            await deploy(stackConfig("primary"));
            const primary = byName("aws:route53/record:Record")["us-east-1-routing-record"].inputs;
            reset();
            await deploy(stackConfig("secondary"));
            const secondary = byName("aws:route53/record:Record")["eu-west-1-routing-record"]
                .inputs;
            assert.deepEqual(
                [primary.name, primary.type, primary.zoneId],
                [secondary.name, secondary.type, secondary.zoneId],
            );
            assert.notEqual(primary.setIdentifier, secondary.setIdentifier);
        });
    });

    describe("server error guard (opt-in)", () => {
        it("adds a 5XXError-rate alarm in the stack's region to the calculated check", async () => {
            const { out } = await deploy({
                ...stackConfig("secondary"),
                "multi-region-api:serverErrorAlarm": JSON.stringify({
                    threshold: 0.05,
                    evaluationPeriods: 3,
                }),
            });
            const alarm = ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
            assert.deepEqual(
                alarm.map((a) => [a.name, a.providerRegion]),
                [["eu-west-1-5xx-alarm", "eu-west-1"]],
            );
            const api = byName("aws:apigateway/restApi:RestApi")["eu-west-1-rest"].state;
            assert.deepEqual(
                {
                    namespace: alarm[0].inputs.namespace,
                    metricName: alarm[0].inputs.metricName,
                    dimensions: alarm[0].inputs.dimensions,
                    statistic: alarm[0].inputs.statistic,
                    period: alarm[0].inputs.period,
                    evaluationPeriods: alarm[0].inputs.evaluationPeriods,
                    threshold: alarm[0].inputs.threshold,
                    treatMissingData: alarm[0].inputs.treatMissingData,
                },
                {
                    namespace: "AWS/ApiGateway",
                    metricName: "5XXError",
                    dimensions: { ApiName: api.name, Stage: "live" },
                    statistic: "Average",
                    period: 60,
                    evaluationPeriods: 3,
                    threshold: 0.05,
                    treatMissingData: "notBreaching",
                },
            );
            const checks = byName("aws:route53/healthCheck:HealthCheck");
            assert.equal(
                checks["eu-west-1-5xx-check"].inputs.insufficientDataHealthStatus,
                "Healthy",
            );
            assert.deepEqual(checks["eu-west-1-routing-calculated"].inputs.childHealthchecks, [
                "eu-west-1-routing-endpoint-id",
                "eu-west-1-5xx-check-id",
            ]);
            assert.equal(
                byName("aws:route53/record:Record")["eu-west-1-routing-record"].inputs
                    .healthCheckId,
                "eu-west-1-routing-calculated-id",
            );
            assert.equal(await promiseOf(out.serverErrorAlarmName!), "eu-west-1-5xx-alarm");
        });
    });

    describe("latency routing", () => {
        for (const [stack, region, switchRegion] of [
            ["primary", "us-east-1", "eu-west-1"],
            ["secondary", "eu-west-1", "us-east-1"],
        ]) {
            it(`${stack}: a latency record for ${region} guarded by its endpoint check and its drain switch in ${switchRegion}`, async () => {
                const { out } = await deploy(latency(stack, switchRegion));
                const routed = byName("aws:route53/record:Record")[`${region}-routing-record`];
                assert.deepEqual(routed.inputs.latencyRoutingPolicies, [{ region }]);
                assert.equal(routed.inputs.failoverRoutingPolicies, undefined);
                assert.equal(routed.inputs.setIdentifier, region);
                assert.equal(routed.inputs.healthCheckId, `${region}-routing-calculated-id`);
                const alarm = ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
                assert.deepEqual(
                    alarm.map((a) => [a.name, a.providerRegion]),
                    [[`${region}-switch-alarm`, switchRegion]],
                );
                assert.deepEqual(alarm[0].inputs.dimensions, {
                    Service: "api.example.com",
                    Region: region,
                });
                assert.equal(await promiseOf(out.operatorSwitch!.region), switchRegion);
            });
        }
    });

    describe("configuration errors stop the program before any resource is registered", () => {
        const primary = stackConfig("primary");
        const cases: [string, Record<string, string | undefined>, string[]][] = [
            [
                "missing role",
                { "multi-region-api:role": undefined },
                [`[multi-region-api:role] is required: one of "primary", "secondary"`],
            ],
            [
                "unknown routing",
                { "multi-region-api:routing": "weighted" },
                [
                    `[multi-region-api:routing] must be one of "failover", "latency" (got "weighted")`,
                ],
            ],
            [
                "missing region",
                { "aws:region": undefined },
                [`[aws:region] is required: an AWS region such as us-east-1`],
            ],
            [
                "switch in the protected region",
                { "multi-region-api:switchRegion": "us-east-1" },
                [
                    `[multi-region-api:switchRegion] must be a region other than aws:region: the switch must not depend on the region it protects (got "us-east-1")`,
                ],
            ],
            [
                "missing switch on the primary",
                { "multi-region-api:switchRegion": undefined },
                [
                    `[multi-region-api:switchRegion] is required: the region of this stack's operator switch, other than aws:region (required for the failover primary)`,
                ],
            ],
            [
                "domain outside the zone",
                { "multi-region-api:domainName": "api.example.org" },
                [
                    `[multi-region-api:domainName] must be a lowercase DNS name inside zoneName ("example.com"), such as api.example.com (got "api.example.org")`,
                ],
            ],
            [
                "bad health check settings",
                {
                    "multi-region-api:healthCheck": JSON.stringify({
                        requestInterval: 20,
                        failureThreshold: 0,
                        regions: ["us-east-1"],
                    }),
                },
                [
                    `[multi-region-api:healthCheck.requestInterval] must be 10 or 30 (seconds; Route 53 allows no other value) (got 20)`,
                    `[multi-region-api:healthCheck.failureThreshold] must be an integer from 1 to 10 (got 0)`,
                    `[multi-region-api:healthCheck.regions] must be at least 3 distinct Route 53 checker regions from us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1 (got ["us-east-1"])`,
                ],
            ],
            [
                "unknown health check key",
                { "multi-region-api:healthCheck": JSON.stringify({ interval: 10 }) },
                [
                    `[multi-region-api:healthCheck] must be an object with only requestInterval, failureThreshold, regions (got "interval")`,
                ],
            ],
            [
                "replicas on the secondary",
                {
                    "multi-region-api:role": "secondary",
                    "aws:region": "eu-west-1",
                    "multi-region-api:replicaRegions": `["us-east-1"]`,
                },
                [
                    `[multi-region-api:replicaRegions] must be unset on the secondary: the primary stack creates the global table and its replicas (got ["us-east-1"])`,
                ],
            ],
            [
                "no replicas on the primary",
                { "multi-region-api:replicaRegions": undefined },
                [
                    `[multi-region-api:replicaRegions] is required: a non-empty list of regions other than aws:region for the global table's replicas (primary only)`,
                ],
            ],
            [
                "a server error alarm out of range",
                {
                    "multi-region-api:serverErrorAlarm": JSON.stringify({
                        threshold: 5,
                        evaluationPeriods: 3,
                    }),
                },
                [
                    `[multi-region-api:serverErrorAlarm] must be unset, or an object with threshold (an error rate above 0, at most 1) and evaluationPeriods (1-10 minutes) (got {"threshold":5,"evaluationPeriods":3})`,
                ],
            ],
            [
                "a non-boolean flag",
                { "multi-region-api:manageApiGatewayAccount": "yes" },
                [`[multi-region-api:manageApiGatewayAccount] must be true or false (got "yes")`],
            ],
        ];
        for (const [title, change, problems] of cases) {
            it(title, () => {
                const config = { ...primary, ...change };
                for (const k of Object.keys(config)) if (config[k] === undefined) delete config[k];
                pulumi.runtime.setAllConfig(config as Record<string, string>);
                assert.throws(
                    () => loadStackConfig(),
                    (e: Error) => {
                        assert.ok(
                            e instanceof pulumi.RunError,
                            "a RunError, so the CLI prints no stack trace",
                        );
                        assert.equal(
                            e.message,
                            `Invalid stack configuration:\n  - ${problems.join("\n  - ")}`,
                        );
                        return true;
                    },
                );
                assert.equal(created.length, 0);
            });
        }
    });
});
