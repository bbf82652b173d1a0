// The two-stack program (index.ts) as `pulumi up` runs it for each stack file, and for the other
// profiles of its configuration: what it registers, with which providers, and what it exports.
// Each configuration is evaluated once (see ./evaluations) and asserted on by several tests.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { HEALTH_TOKEN } from "../../functions/health/token";
import { RecordedResource } from "../../plan/mockRuntime";
import { stackConfig } from "../../plan/stackFiles";
import { STACK_DEFAULTS, StackConfig, loadStackConfig, parseStackConfig } from "../../stack/config";
import { deployRegion, stackProviders } from "../../stack/deploy";
import { state } from "../harness";
import {
    Evaluation,
    PROFILES,
    configOf,
    exclusive,
    key,
    project,
    restoreHarness,
} from "./evaluations";

const PROVIDER = "pulumi:providers:aws";
const TABLE = "aws:dynamodb/table:Table";
const REPLICA = "aws:dynamodb/tableReplica:TableReplica";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const CHECK = "aws:route53/healthCheck:HealthCheck";
const RECORD = "aws:route53/record:Record";
const DOMAIN = "aws:apigateway/domainName:DomainName";
const FUNCTION = "aws:lambda/function:Function";

const TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/multi-region-api-products";
const CHECKERS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"];
const TAGS = { Service: "api.example.com" };

/** Registrations of `type`, by name (registration order is asynchronous). */
const ofType = (e: Evaluation, type: string) =>
    e.recorded.filter((r) => r.type === type).sort((a, b) => a.name.localeCompare(b.name));

/** The one registration of `type` named `name`. */
function one(e: Evaluation, type: string, name: string): RecordedResource {
    const found = ofType(e, type).filter((r) => r.name === name);
    assert.equal(found.length, 1, `one ${type} named ${name}`);
    return found[0];
}

/** Name of the provider resource a registration uses (`urn::id` reference). */
const providerName = (r: RecordedResource) => r.provider?.split("::").slice(-2)[0];

/** Providers as [name, region, stsRegion], by name (registration order is asynchronous). */
const providers = (e: Evaluation) =>
    ofType(e, PROVIDER)
        .map((p) => [p.name, p.inputs.region, p.inputs.stsRegion])
        .sort(([a], [b]) => String(a).localeCompare(String(b)));

/** Custom resources (providers aside) grouped by the name of their provider. */
function byProvider(e: Evaluation): Record<string, string[]> {
    const groups: Record<string, string[]> = {};
    for (const r of e.recorded.filter((r) => r.custom && r.type !== PROVIDER)) {
        (groups[providerName(r) ?? "(default provider)"] ??= []).push(r.name);
    }
    for (const names of Object.values(groups)) {
        names.sort();
    }
    return groups;
}

/** The operator switch outputs of `region`, whose switch lives in `switchRegion`. */
const switchOutputs = (region: string, switchRegion: string) => {
    const put = (value: number) =>
        `aws cloudwatch put-metric-data --region ${switchRegion} --namespace HealthCheck --metric-name Failover --dimensions Service=api.example.com,Region=${region} --value ${value}`;
    return {
        region: switchRegion,
        namespace: "HealthCheck",
        metricName: "Failover",
        dimensions: { Service: "api.example.com", Region: region },
        alarmName: `${region}-switch-alarm`,
        healthCheckId: `${region}-switch-check-id`,
        engage: put(1),
        release: put(0),
    };
};

/** The mock runtime's delegation set of example.com (derived from the zone's name). */
const NAME_SERVERS = [
    "ns-629.awsdns-04.com",
    "ns-1863.awsdns-29.net",
    "ns-23.awsdns-18.org",
    "ns-923.awsdns-34.co.uk",
];

/**
 * What every stack of `region` exports, whatever its routing: an alias record, no guard but the
 * switch (the cases that differ override these).
 */
const regionOutputs = (e: Evaluation, region: string, tableName = "multi-region-api-products") => ({
    region,
    serviceUrl: "https://api.example.com",
    regionalUrl: `https://${region}.api.example.com`,
    healthUrl: `https://${region}.api.example.com/health`,
    tableName,
    apiFunctionName: `${region}-api`,
    healthFunctionName: `${region}-health`,
    restApiId: `${region}-rest-id`,
    stageName: "live",
    endpointHealthCheckId: `${region}-routing-endpoint-id`,
    hostedZoneId: zoneId(e),
    nameServers: NAME_SERVERS,
    recordType: "A",
    regionalHostname: `${region}.api.example.com`,
    regionalDomainName: one(e, DOMAIN, `${region}-service-domain`).state.regionalDomainName,
    healthSearchString: HEALTH_TOKEN,
    certificateArn: one(e, "aws:acm/certificate:Certificate", `${region}-cert`).state.arn,
    tableRegion: "us-east-1",
    guards: [],
});

/** The routed record's inputs as FailoverDomain builds them for an alias. */
function aliasTo(e: Evaluation, region: string) {
    const domain = one(e, DOMAIN, `${region}-service-domain`).state;
    return [
        {
            evaluateTargetHealth: true,
            name: domain.regionalDomainName,
            zoneId: domain.regionalZoneId,
        },
    ];
}

const zoneId = (e: Evaluation) => {
    assert.deepEqual(
        e.evaluated.zones.map((z) => z.name),
        ["example.com"],
    );
    return e.evaluated.zones[0].id;
};

describe("stack program (index.ts)", function () {
    // Evaluations wait for each other and for a loaded machine: generous bound.
    this.timeout(60_000);
    after(restoreHarness);

    describe("stack files", () => {
        const file = (name: string) =>
            parse(fs.readFileSync(path.join(project.dir, name), "utf8")) as {
                config: Record<string, unknown>;
            };

        it("Pulumi.primary.yaml: us-east-1, PRIMARY, switch in eu-west-1, table created here", () => {
            assert.deepEqual(file("Pulumi.primary.yaml").config, {
                "aws:region": "us-east-1",
                "multi-region-api:failoverRole": "PRIMARY",
                "multi-region-api:domainName": "api.example.com",
                "multi-region-api:zoneName": "example.com",
                "multi-region-api:switchRegion": "eu-west-1",
                "multi-region-api:tableRegion": "us-east-1",
            });
        });

        it("Pulumi.secondary.yaml: eu-west-1, SECONDARY, no switch, the table lives in us-east-1", () => {
            assert.deepEqual(file("Pulumi.secondary.yaml").config, {
                "aws:region": "eu-west-1",
                "multi-region-api:failoverRole": "SECONDARY",
                "multi-region-api:domainName": "api.example.com",
                "multi-region-api:zoneName": "example.com",
                "multi-region-api:tableRegion": "us-east-1",
            });
        });

        it("Pulumi.yaml runs index.ts and disables default aws providers", () => {
            const yaml = parse(fs.readFileSync(path.join(project.dir, "Pulumi.yaml"), "utf8")) as {
                main: string;
                config: Record<string, unknown>;
            };
            assert.equal(yaml.main, "index.ts");
            assert.equal(project.main, path.join(project.dir, "index.ts"));
            assert.deepEqual(yaml.config["pulumi:disable-default-providers"], { value: ["aws"] });
        });

        it("each stack file, with Pulumi.yaml's defaults, parses to its region's configuration", async () => {
            const load = (stack: string): Promise<StackConfig> =>
                exclusive(async () => {
                    await state.start(project.name, stack, stackConfig(stack));
                    return loadStackConfig();
                });
            const common = {
                routing: "failover",
                domainName: "api.example.com",
                zoneName: "example.com",
                healthCheck: { requestInterval: 10, failureThreshold: 3, regions: CHECKERS },
                tableName: "multi-region-api-products",
                tableRegion: "us-east-1",
                manageApiGatewayAccount: true,
                serverErrorAlarm: undefined,
                recordType: "alias",
                recordTtl: undefined,
                accessTokens: undefined,
                publicReads: true,
                waf: undefined,
                chaos: undefined,
                observability: undefined,
                latencyGuard: undefined,
                errorRateGuard: undefined,
            };
            assert.deepEqual(await load("primary"), {
                ...common,
                region: "us-east-1",
                failoverRole: "PRIMARY",
                switchRegion: "eu-west-1",
            });
            assert.deepEqual(await load("secondary"), {
                ...common,
                region: "eu-west-1",
                failoverRole: "SECONDARY",
                switchRegion: undefined,
            });
        });
    });

    describe("primary stack: us-east-1, failover PRIMARY", () => {
        let e: Evaluation;
        before(async () => {
            e = await PROFILES.primary();
        });

        it("providers named per purpose: the switch's in eu-west-1 asks STS in us-east-1", () => {
            assert.deepEqual(providers(e), [
                ["aws-eu-west-1-switch", "eu-west-1", "us-east-1"],
                ["aws-us-east-1", "us-east-1", undefined],
            ]);
        });

        it("only the switch's alarm and check use the switch provider; nothing uses a default one", () => {
            const groups = byProvider(e);
            assert.deepEqual(Object.keys(groups).sort(), ["aws-eu-west-1-switch", "aws-us-east-1"]);
            assert.deepEqual(groups["aws-eu-west-1-switch"], [
                "us-east-1-switch-alarm",
                "us-east-1-switch-check",
            ]);
            assert.equal(
                groups["aws-us-east-1"].length,
                e.recorded.filter((r) => r.custom && r.type !== PROVIDER).length - 2,
            );
        });

        it("creates the protected global table in us-east-1, ignoring the replicas other stacks add", () => {
            const table = one(e, TABLE, "products");
            assert.deepEqual(
                [table.providerRegion, table.protect, table.parent],
                ["us-east-1", true, undefined],
            );
            assert.deepEqual(one(e, TABLE, "products").ignoreChanges, ["replicas"]);
            assert.deepEqual(table.inputs, {
                name: "multi-region-api-products",
                billingMode: "PAY_PER_REQUEST",
                hashKey: "id",
                attributes: [{ name: "id", type: "S" }],
                streamEnabled: true,
                streamViewType: "NEW_AND_OLD_IMAGES",
                pointInTimeRecovery: { enabled: true },
                deletionProtectionEnabled: true,
                tags: TAGS,
            });
            assert.equal(table.state.arn, TABLE_ARN);
            assert.equal(ofType(e, REPLICA).length, 0);
        });

        it("RegionalApi us-east-1: its functions run in us-east-1 and use the table", () => {
            assert.deepEqual(
                ofType(e, "multi-region-api:index:RegionalApi").map((r) => r.name),
                ["us-east-1"],
            );
            assert.deepEqual(
                ofType(e, FUNCTION).map((f) => [
                    f.name,
                    f.providerRegion,
                    f.inputs.environment,
                    f.dependsOn.includes(one(e, TABLE, "products").urn),
                ]),
                [
                    [
                        "us-east-1-api",
                        "us-east-1",
                        {
                            variables: {
                                TABLE_NAME: "multi-region-api-products",
                                ACCESS_TOKEN_SHA256: "",
                                PUBLIC_READS: "true",
                            },
                        },
                        true,
                    ],
                    [
                        "us-east-1-health",
                        "us-east-1",
                        { variables: { TABLE_NAME: "multi-region-api-products" } },
                        true,
                    ],
                ],
            );
        });

        it("the operator switch: HealthCheck/Failover alarm for us-east-1, in eu-west-1", () => {
            const alarm = one(e, ALARM, "us-east-1-switch-alarm");
            assert.equal(alarm.providerRegion, "eu-west-1");
            assert.equal(
                alarm.parent,
                one(e, "multi-region-api:index:AlarmHealthCheck", "us-east-1-switch").urn,
            );
            assert.deepEqual(
                {
                    namespace: alarm.inputs.namespace,
                    metricName: alarm.inputs.metricName,
                    dimensions: alarm.inputs.dimensions,
                    statistic: alarm.inputs.statistic,
                    period: alarm.inputs.period,
                    evaluationPeriods: alarm.inputs.evaluationPeriods,
                    threshold: alarm.inputs.threshold,
                    comparisonOperator: alarm.inputs.comparisonOperator,
                    treatMissingData: alarm.inputs.treatMissingData,
                },
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
                },
            );
            const check = one(e, CHECK, "us-east-1-switch-check");
            assert.deepEqual(
                [
                    check.inputs.type,
                    check.inputs.cloudwatchAlarmName,
                    check.inputs.cloudwatchAlarmRegion,
                    check.inputs.insufficientDataHealthStatus,
                ],
                ["CLOUDWATCH_METRIC", "us-east-1-switch-alarm", "eu-west-1", "LastKnownStatus"],
            );
        });

        it("the PRIMARY alias record is guarded by a calculated check: endpoint AND switch", () => {
            assert.deepEqual(one(e, CHECK, "us-east-1-routing-endpoint").inputs, {
                type: "HTTPS_STR_MATCH",
                fqdn: "us-east-1.api.example.com",
                port: 443,
                resourcePath: "/health",
                searchString: HEALTH_TOKEN,
                requestInterval: 10,
                failureThreshold: 3,
                regions: CHECKERS,
                enableSni: true,
                tags: { ...TAGS, Name: "us-east-1-routing-endpoint" },
            });
            assert.deepEqual(one(e, CHECK, "us-east-1-routing-calculated").inputs, {
                type: "CALCULATED",
                childHealthchecks: ["us-east-1-routing-endpoint-id", "us-east-1-switch-check-id"],
                childHealthThreshold: 2,
                tags: { ...TAGS, Name: "us-east-1-routing-calculated" },
            });
            const record = one(e, RECORD, "us-east-1-routing-record");
            assert.deepEqual(record.inputs, {
                zoneId: zoneId(e),
                name: "api.example.com",
                type: "A",
                setIdentifier: "primary",
                healthCheckId: "us-east-1-routing-calculated-id",
                aliases: aliasTo(e, "us-east-1"),
                failoverRoutingPolicies: [{ type: "PRIMARY" }],
            });
            // A new record must not go live before its domain serves the stage.
            assert.ok(
                record.dependsOn.includes(
                    one(
                        e,
                        "aws:apigateway/basePathMapping:BasePathMapping",
                        "us-east-1-service-mapping",
                    ).urn,
                ),
            );
        });

        it("exports region, routing, names, ids and the operator switch", () => {
            assert.deepEqual(e.evaluated.outputs, {
                ...regionOutputs(e, "us-east-1"),
                routing: "failover",
                failoverRole: "PRIMARY",
                setIdentifier: "primary",
                routedHealthCheckId: "us-east-1-routing-calculated-id",
                operatorSwitch: switchOutputs("us-east-1", "eu-west-1"),
            });
        });

        it("the switch's engage/release commands are built from its own alarm's metric and dimensions", () => {
            const alarm = one(e, ALARM, "us-east-1-switch-alarm");
            const sw = e.evaluated.outputs.operatorSwitch as Record<string, string>;
            for (const [command, value] of [
                [sw.engage, "1"],
                [sw.release, "0"],
            ]) {
                const m =
                    /^aws cloudwatch put-metric-data --region (\S+) --namespace (\S+) --metric-name (\S+) --dimensions (\S+) --value (\d)$/.exec(
                        command,
                    );
                assert.ok(m, command);
                assert.deepEqual(
                    [
                        m[1],
                        m[2],
                        m[3],
                        Object.fromEntries(m[4].split(",").map((d) => d.split("="))),
                        m[5],
                    ],
                    [
                        alarm.providerRegion,
                        alarm.inputs.namespace,
                        alarm.inputs.metricName,
                        alarm.inputs.dimensions,
                        value,
                    ],
                );
            }
        });
    });

    describe("secondary stack: eu-west-1, failover SECONDARY", () => {
        let e: Evaluation;
        let primary: Evaluation;
        before(async () => {
            e = await PROFILES.secondary();
            primary = await PROFILES.primary();
        });

        it("one provider, in eu-west-1, used by every resource; no switch", () => {
            assert.deepEqual(providers(e), [["aws-eu-west-1", "eu-west-1", undefined]]);
            assert.deepEqual(Object.keys(byProvider(e)), ["aws-eu-west-1"]);
            assert.equal(ofType(e, ALARM).length, 0);
            assert.equal(ofType(e, "multi-region-api:index:AlarmHealthCheck").length, 0);
        });

        it("adds its protected replica of the us-east-1 table instead of a table", () => {
            assert.equal(ofType(e, TABLE).length, 0);
            const replica = one(e, REPLICA, "eu-west-1-products-replica");
            assert.deepEqual(
                [replica.providerRegion, replica.protect, replica.parent],
                ["eu-west-1", true, undefined],
            );
            assert.deepEqual(replica.inputs, {
                globalTableArn: TABLE_ARN,
                pointInTimeRecovery: true,
                deletionProtectionEnabled: true,
                tags: TAGS,
            });
            // The ARN is the one the primary stack's table gets.
            assert.equal(replica.inputs.globalTableArn, one(primary, TABLE, "products").state.arn);
            assert.deepEqual(one(e, REPLICA, "eu-west-1-products-replica").ignoreChanges, []);
        });

        it("its functions, and so its routed record, wait for the replica", () => {
            const replica = one(e, REPLICA, "eu-west-1-products-replica");
            for (const fn of ofType(e, FUNCTION)) {
                assert.ok(fn.dependsOn.includes(replica.urn), `${fn.name} depends on the replica`);
            }
        });

        it("its functions run in eu-west-1 against the table's name", () => {
            assert.deepEqual(
                ofType(e, FUNCTION).map((f) => [f.name, f.providerRegion, f.inputs.environment]),
                [
                    [
                        "eu-west-1-api",
                        "eu-west-1",
                        {
                            variables: {
                                TABLE_NAME: "multi-region-api-products",
                                ACCESS_TOKEN_SHA256: "",
                                PUBLIC_READS: "true",
                            },
                        },
                    ],
                    [
                        "eu-west-1-health",
                        "eu-west-1",
                        { variables: { TABLE_NAME: "multi-region-api-products" } },
                    ],
                ],
            );
        });

        it("the SECONDARY alias record is guarded by its endpoint check alone", () => {
            assert.deepEqual(
                ofType(e, CHECK).map((c) => c.name),
                ["eu-west-1-routing-endpoint"],
            );
            assert.deepEqual(one(e, RECORD, "eu-west-1-routing-record").inputs, {
                zoneId: zoneId(e),
                name: "api.example.com",
                type: "A",
                setIdentifier: "secondary",
                healthCheckId: "eu-west-1-routing-endpoint-id",
                aliases: aliasTo(e, "eu-west-1"),
                failoverRoutingPolicies: [{ type: "SECONDARY" }],
            });
        });

        it("shares the routed name, type and zone with the primary's record", () => {
            const p = one(primary, RECORD, "us-east-1-routing-record").inputs;
            const s = one(e, RECORD, "eu-west-1-routing-record").inputs;
            assert.deepEqual([s.zoneId, s.name, s.type], [p.zoneId, p.name, p.type]);
        });

        it("exports no operator switch and no 5XX alarm", () => {
            assert.deepEqual(e.evaluated.outputs, {
                ...regionOutputs(e, "eu-west-1"),
                routing: "failover",
                failoverRole: "SECONDARY",
                setIdentifier: "secondary",
                routedHealthCheckId: "eu-west-1-routing-endpoint-id",
            });
        });
    });

    describe("latency routing: each stack has a latency record and a drain switch", () => {
        const cases = [
            { profile: PROFILES.latencyPrimary, region: "us-east-1", switchRegion: "eu-west-1" },
            { profile: PROFILES.latencySecondary, region: "eu-west-1", switchRegion: "us-east-1" },
        ];
        for (const { profile, region, switchRegion } of cases) {
            describe(`${region}, switch in ${switchRegion}`, () => {
                let e: Evaluation;
                before(async () => {
                    e = await profile();
                });

                it(`providers: ${region}, and ${switchRegion} for the switch asking STS in ${region}`, () => {
                    assert.deepEqual(
                        providers(e),
                        [
                            [`aws-${region}`, region, undefined],
                            [`aws-${switchRegion}-switch`, switchRegion, region],
                        ].sort(([a], [b]) => String(a).localeCompare(String(b))),
                    );
                    assert.deepEqual(byProvider(e)[`aws-${switchRegion}-switch`], [
                        `${region}-switch-alarm`,
                        `${region}-switch-check`,
                    ]);
                    assert.deepEqual(one(e, ALARM, `${region}-switch-alarm`).inputs.dimensions, {
                        Service: "api.example.com",
                        Region: region,
                    });
                });

                it(`a latency record for ${region} guarded by endpoint AND drain switch`, () => {
                    assert.deepEqual(
                        one(e, CHECK, `${region}-routing-calculated`).inputs.childHealthchecks,
                        [`${region}-routing-endpoint-id`, `${region}-switch-check-id`],
                    );
                    assert.deepEqual(one(e, RECORD, `${region}-routing-record`).inputs, {
                        zoneId: zoneId(e),
                        name: "api.example.com",
                        type: "A",
                        setIdentifier: region,
                        healthCheckId: `${region}-routing-calculated-id`,
                        aliases: aliasTo(e, region),
                        latencyRoutingPolicies: [{ region }],
                    });
                });

                it("the table stays where tableRegion says", () => {
                    assert.deepEqual(
                        [...ofType(e, TABLE), ...ofType(e, REPLICA)].map((r) => [
                            r.type,
                            r.name,
                            r.providerRegion,
                            r.protect,
                        ]),
                        region === "us-east-1"
                            ? [[TABLE, "products", "us-east-1", true]]
                            : [[REPLICA, "eu-west-1-products-replica", "eu-west-1", true]],
                    );
                });

                it("exports the routing, no failover role, and the drain switch", () => {
                    assert.deepEqual(e.evaluated.outputs, {
                        ...regionOutputs(e, region),
                        routing: "latency",
                        setIdentifier: region,
                        routedHealthCheckId: `${region}-routing-calculated-id`,
                        operatorSwitch: switchOutputs(region, switchRegion),
                    });
                });
            });
        }
    });

    describe("optional settings on the secondary: 5XX guard, health check, table name, account logging", () => {
        let e: Evaluation;
        before(async () => {
            e = await PROFILES.customSecondary();
        });

        it("adds a 5XXError-rate alarm on its own REST API, in its region", () => {
            const alarm = one(e, ALARM, "eu-west-1-5xx-alarm");
            assert.equal(alarm.providerRegion, "eu-west-1");
            const api = one(e, "aws:apigateway/restApi:RestApi", "eu-west-1-rest").state;
            assert.deepEqual(
                {
                    namespace: alarm.inputs.namespace,
                    metricName: alarm.inputs.metricName,
                    dimensions: alarm.inputs.dimensions,
                    statistic: alarm.inputs.statistic,
                    period: alarm.inputs.period,
                    evaluationPeriods: alarm.inputs.evaluationPeriods,
                    datapointsToAlarm: alarm.inputs.datapointsToAlarm,
                    threshold: alarm.inputs.threshold,
                    treatMissingData: alarm.inputs.treatMissingData,
                },
                {
                    namespace: "AWS/ApiGateway",
                    metricName: "5XXError",
                    dimensions: { ApiName: api.name, Stage: "live" },
                    statistic: "Average",
                    period: 60,
                    evaluationPeriods: 3,
                    datapointsToAlarm: 3,
                    threshold: 0.05,
                    treatMissingData: "notBreaching",
                },
            );
            // No traffic (the passive secondary) means no data: healthy.
            assert.equal(
                one(e, CHECK, "eu-west-1-5xx-check").inputs.insufficientDataHealthStatus,
                "Healthy",
            );
        });

        it("the record is guarded by a calculated check: endpoint AND 5XX guard", () => {
            assert.deepEqual(one(e, CHECK, "eu-west-1-routing-calculated").inputs, {
                type: "CALCULATED",
                childHealthchecks: ["eu-west-1-routing-endpoint-id", "eu-west-1-5xx-check-id"],
                childHealthThreshold: 2,
                tags: { Service: "api.example.com", Name: "eu-west-1-routing-calculated" },
            });
            assert.equal(
                one(e, RECORD, "eu-west-1-routing-record").inputs.healthCheckId,
                "eu-west-1-routing-calculated-id",
            );
        });

        it("the endpoint check takes healthCheck's interval, threshold and checker regions", () => {
            const inputs = one(e, CHECK, "eu-west-1-routing-endpoint").inputs;
            assert.deepEqual(
                [inputs.requestInterval, inputs.failureThreshold, inputs.regions],
                [30, 2, ["us-west-1", "sa-east-1", "ap-northeast-1"]],
            );
        });

        it("the replica and the functions follow tableName; account logging is left alone", () => {
            assert.equal(
                one(e, REPLICA, "eu-west-1-products-replica").inputs.globalTableArn,
                "arn:aws:dynamodb:us-east-1:123456789012:table/orders.v2",
            );
            assert.deepEqual(
                ofType(e, FUNCTION).map((f) => f.inputs.environment),
                [
                    {
                        variables: {
                            TABLE_NAME: "orders.v2",
                            ACCESS_TOKEN_SHA256: "",
                            PUBLIC_READS: "true",
                        },
                    },
                    { variables: { TABLE_NAME: "orders.v2" } },
                ],
            );
            assert.equal(ofType(e, "aws:apigateway/account:Account").length, 0);
        });

        it("exports the 5XX alarm's name, and the guard among its guards", () => {
            assert.deepEqual(e.evaluated.outputs, {
                ...regionOutputs(e, "eu-west-1", "orders.v2"),
                routing: "failover",
                failoverRole: "SECONDARY",
                setIdentifier: "secondary",
                routedHealthCheckId: "eu-west-1-routing-calculated-id",
                serverErrorAlarmName: "eu-west-1-5xx-alarm",
                guards: [
                    {
                        name: "server-errors",
                        alarmName: "eu-west-1-5xx-alarm",
                        alarmRegion: "eu-west-1",
                        healthCheckId: "eu-west-1-5xx-check-id",
                    },
                ],
            });
        });
    });

    describe("CNAME profile: recordType CNAME with recordTtl", () => {
        let primary: Evaluation;
        let secondary: Evaluation;
        before(async () => {
            primary = await PROFILES.cnamePrimary();
            secondary = await PROFILES.cnameSecondary();
        });

        it("the primary's routed record is a CNAME to its service domain with TTL 15", () => {
            assert.deepEqual(one(primary, RECORD, "us-east-1-routing-record").inputs, {
                zoneId: zoneId(primary),
                name: "api.example.com",
                type: "CNAME",
                ttl: 15,
                records: [
                    one(primary, DOMAIN, "us-east-1-service-domain").state.regionalDomainName,
                ],
                setIdentifier: "primary",
                healthCheckId: "us-east-1-routing-calculated-id",
                failoverRoutingPolicies: [{ type: "PRIMARY" }],
            });
        });

        it(`without recordTtl, the secondary's CNAME takes the default TTL (${STACK_DEFAULTS.recordTtl} s)`, () => {
            assert.deepEqual(one(secondary, RECORD, "eu-west-1-routing-record").inputs, {
                zoneId: zoneId(secondary),
                name: "api.example.com",
                type: "CNAME",
                ttl: 10,
                records: [
                    one(secondary, DOMAIN, "eu-west-1-service-domain").state.regionalDomainName,
                ],
                setIdentifier: "secondary",
                healthCheckId: "eu-west-1-routing-endpoint-id",
                failoverRoutingPolicies: [{ type: "SECONDARY" }],
            });
        });

        it("exports the same as the alias profile but the record type", async () => {
            assert.deepEqual(primary.evaluated.outputs, {
                ...(await PROFILES.primary()).evaluated.outputs,
                recordType: "CNAME",
            });
            assert.equal(secondary.evaluated.outputs.recordType, "CNAME");
        });
    });

    describe("Pulumi.yaml and STACK_DEFAULTS declare the same defaults", () => {
        type Declaration = {
            type?: string;
            default?: unknown;
            value?: unknown;
            description?: string;
        };
        const declared = (
            parse(fs.readFileSync(path.join(project.dir, "Pulumi.yaml"), "utf8")) as {
                config: Record<string, Declaration>;
            }
        ).config;
        /** The project's own keys (not `pulumi:` or `aws:` ones). */
        const own = Object.keys(declared).filter((k) => !k.includes(":"));
        const defaultOf = (k: string) => declared[k].default ?? declared[k].value;

        /** The settings parseStackConfig accepts, as its unknown-key message lists them. */
        function acceptedKeys(): string[] {
            try {
                parseStackConfig({ serverErrorAlarms: "{}" });
            } catch (e) {
                const m =
                    /serverErrorAlarms\] is not a setting of this program; did you mean serverErrorAlarm\? Its settings are (.*)$/m.exec(
                        (e as Error).message,
                    );
                assert.ok(m, (e as Error).message);
                return m[1].split(", ");
            }
            assert.fail("an unknown key must be rejected");
        }

        // recordTtl has a default but applies to CNAME records only: declared in Pulumi.yaml, its
        // default would reach every alias stack, which must not set it.
        const NOT_IN_PULUMI_YAML = ["recordTtl"];

        it("every default in STACK_DEFAULTS is Pulumi.yaml's default for that key", () => {
            const keys = Object.keys(STACK_DEFAULTS).filter((k) => !NOT_IN_PULUMI_YAML.includes(k));
            assert.deepEqual(keys, [
                "routing",
                "healthCheck",
                "tableName",
                "manageApiGatewayAccount",
                "recordType",
                "publicReads",
            ]);
            for (const k of keys) {
                assert.ok(k in declared, `Pulumi.yaml declares ${k}`);
                assert.deepEqual(
                    defaultOf(k),
                    STACK_DEFAULTS[k as keyof typeof STACK_DEFAULTS],
                    `default of ${k}`,
                );
            }
            for (const k of NOT_IN_PULUMI_YAML) {
                assert.ok(!(k in declared), k);
            }
        });

        it('Pulumi.yaml\'s other keys are required (no default) or unset by default ("")', () => {
            const rest = own.filter((k) => !(k in STACK_DEFAULTS));
            assert.deepEqual(
                rest.map((k) => [k, defaultOf(k)]),
                [
                    ["failoverRole", ""],
                    ["domainName", undefined],
                    ["zoneName", undefined],
                    ["switchRegion", ""],
                    ["tableRegion", undefined],
                ],
            );
        });

        it("every key Pulumi.yaml declares is a setting of the program, and vice versa", () => {
            const accepted = acceptedKeys();
            assert.deepEqual(
                own.filter((k) => !accepted.includes(k)),
                [],
            );
            // Optional settings without a default cannot be declared (Pulumi would require them).
            assert.deepEqual(
                accepted.filter((k) => !own.includes(k)),
                [
                    "serverErrorAlarm",
                    "recordTtl",
                    "accessTokens",
                    "waf",
                    "chaos",
                    "observability",
                    "latencyGuard",
                    "errorRateGuard",
                ],
            );
        });

        it("Pulumi.yaml's defaults, given to the program, parse to STACK_DEFAULTS", () => {
            const config = configOf("primary");
            const cfg = parseStackConfig(
                Object.fromEntries(
                    Object.entries(config)
                        .filter(([k]) => k.startsWith(`${project.name}:`) || k === "aws:region")
                        .map(([k, v]) => [k.replace(`${project.name}:`, ""), v]),
                ),
            );
            assert.deepEqual(
                {
                    routing: cfg.routing,
                    healthCheck: cfg.healthCheck,
                    tableName: cfg.tableName,
                    manageApiGatewayAccount: cfg.manageApiGatewayAccount,
                    recordType: cfg.recordType,
                    publicReads: cfg.publicReads,
                },
                {
                    routing: STACK_DEFAULTS.routing,
                    healthCheck: STACK_DEFAULTS.healthCheck,
                    tableName: STACK_DEFAULTS.tableName,
                    manageApiGatewayAccount: STACK_DEFAULTS.manageApiGatewayAccount,
                    recordType: STACK_DEFAULTS.recordType,
                    publicReads: STACK_DEFAULTS.publicReads,
                },
            );
        });
    });

    describe("configuration errors stop the program before anything is registered", () => {
        const REGION_RULE = "an AWS region such as us-east-1 (a region the AWS SDK lists)";
        const TOKEN = "f".repeat(64);
        const cases: [string, Record<string, string>, string[], string[]?][] = [
            [
                "missing required keys",
                configOf("primary", {
                    "aws:region": undefined,
                    failoverRole: undefined,
                    domainName: undefined,
                    switchRegion: undefined,
                    tableRegion: undefined,
                }),
                [
                    `[aws:region] is required: ${REGION_RULE}`,
                    `[${key("failoverRole")}] is required: one of "PRIMARY", "SECONDARY"`,
                    `[${key("domainName")}] is required: a lowercase DNS name inside zone "example.com"`,
                    `[${key("tableRegion")}] is required: ${REGION_RULE}`,
                ],
            ],
            [
                // Pulumi hands the program Pulumi.yaml's default "" for a key the stack file omits.
                "a stack file without failoverRole",
                configOf("secondary", { failoverRole: "" }),
                [`[${key("failoverRole")}] is required: one of "PRIMARY", "SECONDARY"`],
            ],
            [
                "a primary stack file without switchRegion",
                configOf("primary", { switchRegion: "" }),
                [`[${key("switchRegion")}] is required: ${REGION_RULE}`],
            ],
            [
                "an unknown key (a typo)",
                configOf("primary", { serverErrorAlarms: `{"threshold":0.05}` }),
                [
                    `[${key("serverErrorAlarms")}] is not a setting of this program; did you mean serverErrorAlarm? Its settings are routing, failoverRole, domainName, zoneName, switchRegion, healthCheck, tableName, tableRegion, manageApiGatewayAccount, serverErrorAlarm, recordType, recordTtl, accessTokens, publicReads, waf, chaos, observability, latencyGuard, errorRateGuard`,
                ],
            ],
            [
                "a region that does not exist",
                configOf("primary", { "aws:region": "eu-wst-1" }),
                [`[aws:region] must be ${REGION_RULE} (got "eu-wst-1")`],
            ],
            [
                "a tableRegion that does not exist",
                configOf("secondary", { tableRegion: "us-eest-1" }),
                [`[${key("tableRegion")}] must be ${REGION_RULE} (got "us-eest-1")`],
            ],
            [
                "a table and a switch in another AWS partition than the stack",
                configOf("primary", { tableRegion: "cn-north-1", switchRegion: "us-gov-west-1" }),
                [
                    `[${key("switchRegion")}] must be a region of the same AWS partition as aws:region (aws) (got "us-gov-west-1")`,
                    `[${key("tableRegion")}] must be a region of the same AWS partition as aws:region (aws) (got "cn-north-1")`,
                ],
            ],
            [
                "the switch in the region it protects",
                configOf("primary", { switchRegion: "us-east-1" }),
                [
                    `[${key("switchRegion")}] must be a region other than aws:region: the switch must not depend on the region it protects (got "us-east-1")`,
                ],
            ],
            [
                "a failoverRole with latency routing",
                configOf("primary", { routing: "latency" }),
                [`[${key("failoverRole")}] applies only to failover routing; remove it`],
            ],
            [
                "a switchRegion on a SECONDARY",
                configOf("secondary", { switchRegion: "us-east-1" }),
                [
                    `[${key("switchRegion")}] applies only to the failover PRIMARY and to latency routing; remove it`,
                ],
            ],
            [
                "an unknown routing policy",
                configOf("primary", { routing: "weighted" }),
                [`[${key("routing")}] must be one of "failover", "latency" (got "weighted")`],
            ],
            [
                "recordTtl without a CNAME",
                configOf("primary", { recordTtl: "10" }),
                [
                    `[${key("recordTtl")}] applies only to a CNAME routed record (recordType CNAME); remove it`,
                ],
            ],
            [
                "a CNAME TTL out of range",
                configOf("primary", { recordType: "CNAME", recordTtl: "0" }),
                [`[${key("recordTtl")}] must be an integer from 1 to 60 seconds (got 0)`],
            ],
            [
                "an unknown record type",
                configOf("primary", { recordType: "cname" }),
                [`[${key("recordType")}] must be one of "alias", "CNAME" (got "cname")`],
            ],
            [
                "bad health check values",
                configOf("primary", {
                    healthCheck: JSON.stringify({
                        requestInterval: 20,
                        failureThreshold: 0,
                        regions: ["us-east-1", "us-east-1", "eu-west-1"],
                        interval: 10,
                    }),
                }),
                [
                    `[${key("healthCheck.interval")}] is not a setting of healthCheck; its settings are requestInterval, failureThreshold, regions`,
                    `[${key("healthCheck.requestInterval")}] must be 10 or 30 (seconds; Route 53 offers no other interval) (got 20)`,
                    `[${key("healthCheck.failureThreshold")}] must be an integer from 1 to 10 (got 0)`,
                    `[${key("healthCheck.regions")}] must be a list of at least 3 distinct Route 53 checker regions from ap-northeast-1, ap-southeast-1, ap-southeast-2, eu-west-1, sa-east-1, us-east-1, us-west-1, us-west-2; "us-east-1" is listed twice, 2 distinct given (got ["us-east-1","us-east-1","eu-west-1"])`,
                ],
            ],
            [
                "a health check that is not an object",
                configOf("primary", { healthCheck: "fast" }),
                [
                    `[${key("healthCheck")}] must be an object with requestInterval, failureThreshold, regions (got "fast")`,
                ],
            ],
            [
                "bad 5XX alarm values",
                configOf("primary", {
                    serverErrorAlarm: JSON.stringify({
                        threshold: 5,
                        evaluationPeriods: 0,
                        period: 60,
                    }),
                }),
                [
                    `[${key("serverErrorAlarm.period")}] is not a setting of serverErrorAlarm; its settings are threshold, evaluationPeriods`,
                    `[${key("serverErrorAlarm.threshold")}] must be an error rate above 0, at most 1 (got 5)`,
                    `[${key("serverErrorAlarm.evaluationPeriods")}] must be an integer from 1 to 10 minutes (got 0)`,
                ],
            ],
            [
                "a 5XX alarm that is not an object",
                configOf("primary", { serverErrorAlarm: "0.05" }),
                [
                    `[${key("serverErrorAlarm")}] must be an object with threshold, evaluationPeriods (got 0.05)`,
                ],
            ],
            [
                "a table name that would widen IAM grants",
                configOf("primary", { tableName: "*" }),
                [
                    `[${key("tableName")}] must be a DynamoDB table name: 3-255 letters, digits, '_', '-' or '.' (got "*")`,
                ],
            ],
            [
                "a non-boolean flag",
                configOf("primary", { manageApiGatewayAccount: "yes" }),
                [`[${key("manageApiGatewayAccount")}] must be one of "true", "false" (got "yes")`],
            ],
            [
                "a domain outside the zone",
                configOf("primary", { domainName: "api.example.org" }),
                [
                    `[${key("domainName")}] must be a lowercase DNS name inside zone "example.com" (got "api.example.org")`,
                ],
            ],
            [
                "an access token in plain config",
                configOf("primary", { accessTokens: TOKEN }),
                [
                    `[${key("accessTokens")}] must be set as a secret, or it is stored in plain text: pulumi config set --secret accessTokens "$(openssl rand -hex 32)"`,
                ],
            ],
            [
                "a short secret access token, never quoted",
                configOf("primary", { accessTokens: `${TOKEN}, hunter2` }),
                [
                    `[${key("accessTokens")}] token 2 of 2 must be 32-512 characters from A-Z, a-z, 0-9, "-", ".", "_", "~", "+", "/", optionally ending in "=" (for example \`openssl rand -hex 32\`); the value is a secret and is not shown`,
                ],
                [key("accessTokens")],
            ],
            [
                "private reads without an access token",
                configOf("primary", { publicReads: "false" }),
                [
                    `[${key("publicReads")}] false needs accessTokens: without a token nobody could read`,
                ],
            ],
            [
                "a WAF limit too low and a misspelled window",
                configOf("primary", { waf: JSON.stringify({ limit: 5, window: 60 }) }),
                [
                    `[${key("waf.window")}] is not a setting of waf; its settings are limit, evaluationWindowSec`,
                    `[${key("waf.limit")}] must be an integer from 10 to 2000000000 requests (got 5)`,
                ],
            ],
            [
                "every problem at once",
                configOf("primary", {
                    "aws:region": "eu-wst-1",
                    serverErrorAlarms: "{}",
                    tableName: "*",
                }),
                [
                    `[${key("serverErrorAlarms")}] is not a setting of this program; did you mean serverErrorAlarm? Its settings are routing, failoverRole, domainName, zoneName, switchRegion, healthCheck, tableName, tableRegion, manageApiGatewayAccount, serverErrorAlarm, recordType, recordTtl, accessTokens, publicReads, waf, chaos, observability, latencyGuard, errorRateGuard`,
                    `[aws:region] must be ${REGION_RULE} (got "eu-wst-1")`,
                    `[${key("tableName")}] must be a DynamoDB table name: 3-255 letters, digits, '_', '-' or '.' (got "*")`,
                ],
            ],
        ];

        for (const [title, config, problems, secretKeys] of cases) {
            it(title, async () => {
                const thrown = await exclusive(async () => {
                    await state.start(project.name, "config-errors", config, secretKeys);
                    let error: unknown;
                    try {
                        const cfg = loadStackConfig();
                        deployRegion(cfg, stackProviders(cfg));
                    } catch (e) {
                        error = e;
                    }
                    await state.settle();
                    assert.deepEqual(
                        [state.resources.length, state.invokes.length],
                        [0, 0],
                        "nothing registered, nothing looked up",
                    );
                    return error;
                });
                assert.ok(
                    thrown instanceof pulumi.RunError,
                    "a RunError: the CLI prints no stack trace",
                );
                assert.equal(
                    thrown.message,
                    `Invalid stack configuration:\n  - ${problems.join("\n  - ")}`,
                );
            });
        }
    });
});
