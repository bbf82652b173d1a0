import * as assert from "node:assert/strict";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    AlarmHealthCheck,
    operatorSwitchArgs,
    serverErrorGuardArgs,
} from "../../components/alarmHealthCheck";
import {
    FailoverDomain,
    FailoverDomainArgs,
    FailoverRole,
    HealthCheckGuard,
    RegionalEndpoint,
    RoutedRecordType,
    RoutingPolicy,
} from "../../components/failoverDomain";
import { RegionalApi } from "../../components/regionalApi";
import { HEALTH_TOKEN } from "../../functions/health/token";
import { RecordedResource } from "../../plan/mockRuntime";
import { created, promiseOf, reset, state } from "../harness";
import {
    assertTags,
    childrenOf,
    component,
    failureOf,
    inventory,
    rejectsBeforeRegistering,
    urnOf,
    withPlainStacks,
    withoutSerializingPrefixes,
} from "./helpers";

const TYPE = "multi-region-api:index:FailoverDomain";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const RECORD = "aws:route53/record:Record";
const DEFAULT_CHECKERS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"];

function provider(region: string) {
    return new aws.Provider(`aws-${region}`, { region });
}

function regionalApi(name: string, aws: aws.Provider): RegionalApi {
    return new RegionalApi(
        name,
        { serviceName: "api.example.com", zoneName: "example.com", tableName: "products" },
        { providers: { aws } },
    );
}

/** Waits until the domains' outputs resolve and every registration has settled. */
async function settled(...domains: FailoverDomain[]) {
    await Promise.all(
        domains.flatMap((d) => [promiseOf(d.healthCheckId), promiseOf(d.setIdentifier)]),
    );
    await state.settle();
}

/** The FailoverDomain `name`'s children keyed by name, after checking parent, URN and region. */
function childrenChecked(name: string, region: string): Record<string, RecordedResource> {
    const parent = component(TYPE, name);
    assert.equal(parent.urn, urnOf(TYPE, name));
    const children = childrenOf(parent);
    for (const child of children) {
        assert.equal(child.urn, urnOf(`${TYPE}$${child.type}`, child.name));
        assert.equal(child.providerRegion, region, `${child.name} provider region`);
        assert.equal(child.retainOnDelete, false, `${child.name} retainOnDelete`);
    }
    return Object.fromEntries(children.map((c) => [c.name, c]));
}

/** What the RegionalApi offers routing, resolved. */
async function endpointOf(api: RegionalApi) {
    return promiseOf(
        pulumi.all({
            region: api.region,
            hostedZoneId: api.hostedZoneId,
            regionalDomainName: api.regionalDomainName,
            regionalZoneId: api.regionalZoneId,
            regionalHostname: api.regionalHostname,
            healthPath: api.healthPath,
            healthSearchString: api.healthSearchString,
        }),
    );
}

const getZoneInvokes = () => state.invokes.filter((i) => i.token === "aws:route53/getZone:getZone");

describe("FailoverDomain", () => {
    describe("failover PRIMARY on a RegionalApi, guarded by an operator switch and a 5XX alarm", () => {
        const tags = { team: "payments" };
        let api: RegionalApi;
        let operatorSwitch: AlarmHealthCheck;
        let errors: AlarmHealthCheck;
        let domain: FailoverDomain;
        let c: Record<string, RecordedResource>;

        before(() =>
            withPlainStacks(async () => {
                reset();
                const use1 = provider("us-east-1");
                api = regionalApi("use1", use1);
                operatorSwitch = new AlarmHealthCheck(
                    "use1-switch",
                    operatorSwitchArgs({
                        service: "api.example.com",
                        protectedRegion: "us-east-1",
                    }),
                    { providers: { aws: provider("eu-west-1") } },
                );
                errors = new AlarmHealthCheck(
                    "use1-errors",
                    serverErrorGuardArgs(api, { threshold: 0.05, evaluationPeriods: 3 }),
                    { providers: { aws: use1 } },
                );
                domain = new FailoverDomain(
                    "use1",
                    {
                        endpoint: api,
                        routingPolicy: RoutingPolicy.Failover,
                        failoverRole: FailoverRole.Primary,
                        guards: [operatorSwitch, errors],
                        tags,
                    },
                    { providers: { aws: use1 } },
                );
                await settled(domain);
                c = childrenChecked("use1", "us-east-1");
            }),
        );

        it("registers the endpoint check, the calculated check and the record, and nothing else", () => {
            assert.deepEqual(inventory(Object.values(c)), [
                `${HEALTH_CHECK} use1-calculated`,
                `${HEALTH_CHECK} use1-endpoint`,
                `${RECORD} use1-record`,
            ]);
        });

        it("checks the endpoint's own hostname for the health token its /health serves", async () => {
            const endpoint = await endpointOf(api);
            assert.deepEqual(
                [endpoint.regionalHostname, endpoint.healthPath, endpoint.healthSearchString],
                ["us-east-1.api.example.com", "/health", HEALTH_TOKEN],
            );
            assert.deepEqual(c["use1-endpoint"].inputs, {
                type: "HTTPS_STR_MATCH",
                fqdn: endpoint.regionalHostname,
                port: 443,
                resourcePath: endpoint.healthPath,
                searchString: endpoint.healthSearchString,
                requestInterval: 10,
                failureThreshold: 3,
                regions: DEFAULT_CHECKERS,
                enableSni: true,
                tags: { team: "payments", Name: "use1-endpoint" },
            });
        });

        it("guards the record with a CALCULATED check: the endpoint AND every guard", async () => {
            const guardIds = [
                await promiseOf(operatorSwitch.healthCheckId),
                await promiseOf(errors.healthCheckId),
            ];
            assert.deepEqual(guardIds, ["use1-switch-check-id", "use1-errors-check-id"]);
            assert.deepEqual(c["use1-calculated"].inputs, {
                type: "CALCULATED",
                childHealthchecks: ["use1-endpoint-id", ...guardIds],
                childHealthThreshold: 3,
                tags: { team: "payments", Name: "use1-calculated" },
            });
            assert.equal(await promiseOf(domain.healthCheckId), "use1-calculated-id");
        });

        it("routes the service name as a PRIMARY alias (no TTL) to the API's service domain", async () => {
            const endpoint = await endpointOf(api);
            const serviceDomain = created.find((r) => r.name === "use1-service-domain")!;
            assert.equal(endpoint.regionalDomainName, serviceDomain.state.regionalDomainName);
            assert.equal(endpoint.regionalZoneId, serviceDomain.state.regionalZoneId);
            assert.equal(endpoint.hostedZoneId, getZoneInvokes()[0].result.zoneId);
            assert.deepEqual(c["use1-record"].inputs, {
                zoneId: endpoint.hostedZoneId,
                name: "api.example.com",
                setIdentifier: "primary",
                healthCheckId: "use1-calculated-id",
                type: "A",
                aliases: [
                    {
                        name: endpoint.regionalDomainName,
                        zoneId: endpoint.regionalZoneId,
                        evaluateTargetHealth: true,
                    },
                ],
                failoverRoutingPolicies: [{ type: "PRIMARY" }],
            });
            assert.equal(await promiseOf(domain.setIdentifier), "primary");
            // The record goes live only once the service domain serves the stage.
            const mapping = created.find((r) => r.name === "use1-service-mapping")!;
            assert.ok(c["use1-record"].dependsOn.includes(mapping.urn));
        });

        it("looks the hosted zone up once for the region, in the RegionalApi", () => {
            const zone = getZoneInvokes();
            assert.equal(zone.length, 1);
            assert.deepEqual(zone[0].inputs, { name: "example.com", privateZone: false });
            assert.equal(
                zone[0].provider,
                `${urnOf("pulumi:providers:aws", "aws-us-east-1")}::aws-us-east-1-id`,
            );
        });

        it("exposes the registered checks and record themselves", async () => {
            assert.equal(await promiseOf(domain.endpointHealthCheck.urn), c["use1-endpoint"].urn);
            assert.equal(
                await promiseOf(domain.calculatedHealthCheck!.urn),
                c["use1-calculated"].urn,
            );
            assert.equal(await promiseOf(domain.record.urn), c["use1-record"].urn);
        });

        it("tags the health checks with the component's tags plus their Name, and not the record", () => {
            assertTags(Object.values(c), (child) => ({ ...tags, Name: child.name }), [
                HEALTH_CHECK,
            ]);
        });

        it("registers the whole program without a URN clash", () => {
            assert.equal(new Set(created.map((r) => r.urn)).size, created.length);
        });
    });

    describe("failover SECONDARY without guards, with its own check settings, in eu-west-1", () => {
        let api: RegionalApi;
        let domain: FailoverDomain;
        let c: Record<string, RecordedResource>;

        before(() =>
            withPlainStacks(async () => {
                reset();
                const euw1 = provider("eu-west-1");
                api = regionalApi("euw1", euw1);
                domain = new FailoverDomain(
                    "euw1",
                    {
                        endpoint: api,
                        routingPolicy: RoutingPolicy.Failover,
                        failoverRole: FailoverRole.Secondary,
                        requestInterval: 30,
                        failureThreshold: 2,
                        checkerRegions: ["eu-west-1", "us-east-1", "sa-east-1"],
                    },
                    { providers: { aws: euw1 } },
                );
                await settled(domain);
                c = childrenChecked("euw1", "eu-west-1");
            }),
        );

        it("registers the endpoint check and the record only", () => {
            assert.deepEqual(inventory(Object.values(c)), [
                `${HEALTH_CHECK} euw1-endpoint`,
                `${RECORD} euw1-record`,
            ]);
            assert.equal(domain.calculatedHealthCheck, undefined);
        });

        it("checks with the given interval, threshold and checker regions, tagged with its Name only", () => {
            assert.deepEqual(c["euw1-endpoint"].inputs, {
                type: "HTTPS_STR_MATCH",
                fqdn: "eu-west-1.api.example.com",
                port: 443,
                resourcePath: "/health",
                searchString: HEALTH_TOKEN,
                requestInterval: 30,
                failureThreshold: 2,
                regions: ["eu-west-1", "us-east-1", "sa-east-1"],
                enableSni: true,
                tags: { Name: "euw1-endpoint" },
            });
            assertTags(Object.values(c), (child) => ({ Name: child.name }), [HEALTH_CHECK]);
        });

        it("routes a SECONDARY alias guarded by the endpoint check alone", async () => {
            const endpoint = await endpointOf(api);
            assert.deepEqual(c["euw1-record"].inputs, {
                zoneId: endpoint.hostedZoneId,
                name: "api.example.com",
                setIdentifier: "secondary",
                healthCheckId: "euw1-endpoint-id",
                type: "A",
                aliases: [
                    {
                        name: endpoint.regionalDomainName,
                        zoneId: endpoint.regionalZoneId,
                        evaluateTargetHealth: true,
                    },
                ],
                failoverRoutingPolicies: [{ type: "SECONDARY" }],
            });
            assert.equal(await promiseOf(domain.healthCheckId), "euw1-endpoint-id");
            assert.equal(await promiseOf(domain.setIdentifier), "secondary");
            assert.equal(getZoneInvokes().length, 1);
        });
    });

    describe("latency routing: three records on one RegionalApi in us-west-2", () => {
        let api: RegionalApi;
        let cname: FailoverDomain;
        let cnameDefault: FailoverDomain;
        let alias: FailoverDomain;

        before(() =>
            withPlainStacks(async () => {
                reset();
                const usw2 = provider("us-west-2");
                api = regionalApi("usw2", usw2);
                const opts = { providers: { aws: usw2 } };
                cname = new FailoverDomain(
                    "usw2-cname",
                    {
                        endpoint: api,
                        routingPolicy: RoutingPolicy.Latency,
                        recordType: RoutedRecordType.Cname,
                        ttl: 5,
                    },
                    opts,
                );
                cnameDefault = new FailoverDomain(
                    "usw2-cname-default",
                    {
                        endpoint: api,
                        routingPolicy: RoutingPolicy.Latency,
                        recordType: RoutedRecordType.Cname,
                    },
                    opts,
                );
                alias = new FailoverDomain(
                    "usw2-alias",
                    {
                        endpoint: api,
                        routingPolicy: RoutingPolicy.Latency,
                        recordType: RoutedRecordType.Alias,
                        setIdentifier: "usw2-blue",
                    },
                    opts,
                );
                await settled(cname, cnameDefault, alias);
            }),
        );

        const record = (name: string) => {
            const c = childrenChecked(name, "us-west-2");
            assert.deepEqual(inventory(Object.values(c)), [
                `${HEALTH_CHECK} ${name}-endpoint`,
                `${RECORD} ${name}-record`,
            ]);
            return c[`${name}-record`];
        };

        it("a CNAME profile: a CNAME with the given TTL to the regional domain name, no alias", async () => {
            const endpoint = await endpointOf(api);
            assert.deepEqual(record("usw2-cname").inputs, {
                zoneId: endpoint.hostedZoneId,
                name: "api.example.com",
                setIdentifier: "us-west-2",
                healthCheckId: "usw2-cname-endpoint-id",
                type: "CNAME",
                ttl: 5,
                records: [endpoint.regionalDomainName],
                latencyRoutingPolicies: [{ region: "us-west-2" }],
            });
            assert.equal(await promiseOf(cname.setIdentifier), "us-west-2");
        });

        it("a CNAME without a TTL gets 10 seconds", async () => {
            const endpoint = await endpointOf(api);
            assert.deepEqual(record("usw2-cname-default").inputs, {
                zoneId: endpoint.hostedZoneId,
                name: "api.example.com",
                setIdentifier: "us-west-2",
                healthCheckId: "usw2-cname-default-endpoint-id",
                type: "CNAME",
                ttl: 10,
                records: [endpoint.regionalDomainName],
                latencyRoutingPolicies: [{ region: "us-west-2" }],
            });
            assert.equal(await promiseOf(cnameDefault.setIdentifier), "us-west-2");
        });

        it("an alias with a given set identifier: no TTL, evaluates target health, latency region from the endpoint", async () => {
            const endpoint = await endpointOf(api);
            assert.equal(endpoint.region, "us-west-2");
            assert.deepEqual(record("usw2-alias").inputs, {
                zoneId: endpoint.hostedZoneId,
                name: "api.example.com",
                setIdentifier: "usw2-blue",
                healthCheckId: "usw2-alias-endpoint-id",
                type: "A",
                aliases: [
                    {
                        name: endpoint.regionalDomainName,
                        zoneId: endpoint.regionalZoneId,
                        evaluateTargetHealth: true,
                    },
                ],
                latencyRoutingPolicies: [{ region: "us-west-2" }],
            });
            assert.equal(await promiseOf(alias.setIdentifier), "usw2-blue");
        });

        it("looks the hosted zone up once for the region, however many records use it", () => {
            assert.equal(getZoneInvokes().length, 1);
            assert.equal(new Set(created.map((r) => r.urn)).size, created.length);
        });
    });

    describe("on a plain-object RegionalEndpoint", () => {
        const endpoint: RegionalEndpoint = {
            region: "us-east-1",
            serviceName: "api.example.com",
            hostedZoneId: "ZPLAIN",
            regionalDomainName: "d-plain.execute-api.us-east-1.amazonaws.com",
            regionalZoneId: "ZAPIGW",
            regionalHostname: pulumi.output("us-east-1.api.example.com"),
            healthPath: "/healthz",
            healthSearchString: "all-good",
        };

        it("routes to exactly what the endpoint says, looking nothing up", () =>
            withPlainStacks(async () => {
                reset();
                const guard: HealthCheckGuard = { healthCheckId: pulumi.output("switch-id") };
                const domain = new FailoverDomain(
                    "plain",
                    {
                        endpoint,
                        routingPolicy: RoutingPolicy.Failover,
                        failoverRole: FailoverRole.Primary,
                        guards: [guard, { healthCheckId: "errors-id" }],
                    },
                    { providers: { aws: provider("us-east-1") } },
                );
                await settled(domain);
                const c = childrenChecked("plain", "us-east-1");
                assert.deepEqual(state.invokes, []);
                assert.equal(c["plain-endpoint"].inputs.fqdn, "us-east-1.api.example.com");
                assert.equal(c["plain-endpoint"].inputs.resourcePath, "/healthz");
                assert.equal(c["plain-endpoint"].inputs.searchString, "all-good");
                assert.deepEqual(c["plain-calculated"].inputs.childHealthchecks, [
                    "plain-endpoint-id",
                    "switch-id",
                    "errors-id",
                ]);
                assert.deepEqual(c["plain-record"].inputs, {
                    zoneId: "ZPLAIN",
                    name: "api.example.com",
                    setIdentifier: "primary",
                    healthCheckId: "plain-calculated-id",
                    type: "A",
                    aliases: [
                        {
                            name: "d-plain.execute-api.us-east-1.amazonaws.com",
                            zoneId: "ZAPIGW",
                            evaluateTargetHealth: true,
                        },
                    ],
                    failoverRoutingPolicies: [{ type: "PRIMARY" }],
                });
            }));

        it("fails the deployment when the endpoint's regionalHostname is its routed name", () =>
            withPlainStacks(async () => {
                reset();
                const domain = new FailoverDomain(
                    "loop",
                    {
                        endpoint: {
                            ...endpoint,
                            regionalHostname: pulumi.output("api.example.com"),
                        },
                        routingPolicy: RoutingPolicy.Failover,
                        failoverRole: FailoverRole.Primary,
                    },
                    { providers: { aws: provider("us-east-1") } },
                );
                const error = await failureOf(domain.healthCheckId);
                assert.ok(
                    error instanceof pulumi.ResourceError,
                    `a ResourceError, got ${String(error)}`,
                );
                assert.equal(error.resource, domain);
                const message = `FailoverDomain "loop": the endpoint's regionalHostname must not be the routed name "api.example.com"`;
                assert.equal(withoutSerializingPrefixes(error.message), message);
                // It is the endpoint check's target that failed.
                assert.ok(error.message.endsWith(`error serializing property "fqdn": ${message}`));
                await state.settle();
                // Neither the check on the routed name nor a record guarded by it was registered.
                assert.deepEqual(inventory(created), [
                    `${TYPE} loop`,
                    "pulumi:providers:aws aws-us-east-1",
                ]);
            }));

        it("fails the deployment when a latency record's region has no Route 53 latency records", () =>
            withPlainStacks(async () => {
                reset();
                const domain = new FailoverDomain(
                    "nowhere",
                    {
                        endpoint: { ...endpoint, region: pulumi.output("us-east-9") },
                        routingPolicy: RoutingPolicy.Latency,
                    },
                    { providers: { aws: provider("us-east-1") } },
                );
                const error = await failureOf(domain.setIdentifier);
                assert.ok(
                    error instanceof pulumi.ResourceError,
                    `a ResourceError, got ${String(error)}`,
                );
                assert.equal(error.resource, domain);
                assert.equal(
                    withoutSerializingPrefixes(error.message),
                    `FailoverDomain "nowhere": Route 53 has no latency records for the endpoint's region "us-east-9"`,
                );
                await state.settle();
                // The endpoint check does not depend on the region; the record was never registered.
                assert.deepEqual(inventory(created), [
                    `${HEALTH_CHECK} nowhere-endpoint`,
                    `${TYPE} nowhere`,
                    "pulumi:providers:aws aws-us-east-1",
                ]);
            }));
    });

    describe("rejects bad arguments before registering anything", () => {
        before(reset);

        const endpoint: RegionalEndpoint = {
            region: "us-east-1",
            serviceName: "api.example.com",
            hostedZoneId: "ZPLAIN",
            regionalDomainName: "d-plain.execute-api.us-east-1.amazonaws.com",
            regionalZoneId: "ZAPIGW",
            regionalHostname: "us-east-1.api.example.com",
            healthPath: "/health",
            healthSearchString: HEALTH_TOKEN,
        };
        const base: FailoverDomainArgs = {
            endpoint,
            routingPolicy: RoutingPolicy.Failover,
            failoverRole: FailoverRole.Primary,
        };
        const checkers =
            "a list of at least 3 distinct Route 53 checker regions from ap-northeast-1, ap-southeast-1, ap-southeast-2, eu-west-1, sa-east-1, us-east-1, us-west-1, us-west-2";
        const cases: [string, Partial<Record<keyof FailoverDomainArgs, unknown>>, string][] = [
            [
                "a missing endpoint",
                { endpoint: undefined },
                `[endpoint] is required: a RegionalApi or another RegionalEndpoint`,
            ],
            [
                "a hostname where the endpoint belongs",
                { endpoint: "shop.example.net" },
                `[endpoint] must be a RegionalApi or another RegionalEndpoint (got "shop.example.net")`,
            ],
            [
                "an endpoint that lacks fields",
                { endpoint: { region: "us-east-1", serviceName: "api.example.com" } },
                `[endpoint] must be a RegionalApi or another RegionalEndpoint; it lacks hostedZoneId, regionalDomainName, regionalZoneId, regionalHostname, healthPath, healthSearchString`,
            ],
            [
                "guards that are not health checks",
                { guards: [{ healthCheckId: "hc-1" }, {}, undefined] },
                `[guards[1]] must be an AlarmHealthCheck or anything with a healthCheckId; [guards[2]] must be an AlarmHealthCheck or anything with a healthCheckId`,
            ],
            [
                "a missing routing policy",
                { routingPolicy: undefined, failoverRole: undefined },
                `[routingPolicy] is required: one of "failover", "latency"`,
            ],
            [
                "weighted routing, with a failover role",
                { routingPolicy: "weighted" },
                `[routingPolicy] must be one of "failover", "latency" (got "weighted")`,
            ],
            [
                "failover routing without a role",
                { failoverRole: undefined },
                `[failoverRole] is required: one of "PRIMARY", "SECONDARY"`,
            ],
            [
                "an endpoint whose regional hostname is the routed name",
                {
                    endpoint: {
                        ...endpoint,
                        regionalHostname: "api.example.com",
                    },
                },
                `[endpoint] regionalHostname must not be the routed name "api.example.com": Route 53 health check results would be unpredictable`,
            ],
            [
                "latency routing to a region Route 53 has no latency records for",
                {
                    endpoint: { ...endpoint, region: "us-isob-east-1" },
                    routingPolicy: "latency",
                    failoverRole: undefined,
                },
                `[endpoint.region] must be a region Route 53 latency records support (got "us-isob-east-1")`,
            ],
            [
                "a lowercase failover role",
                { failoverRole: "primary" },
                `[failoverRole] must be one of "PRIMARY", "SECONDARY" (got "primary")`,
            ],
            [
                "a failover role with latency routing",
                { routingPolicy: RoutingPolicy.Latency },
                `[failoverRole] applies only to failover routing`,
            ],
            [
                "an empty set identifier",
                { setIdentifier: "" },
                `[setIdentifier] must be 1-128 characters (got "")`,
            ],
            [
                "a set identifier of 129 characters",
                { setIdentifier: "x".repeat(129) },
                `[setIdentifier] must be 1-128 characters (got "${"x".repeat(129)}")`,
            ],
            [
                "an unknown record type",
                { recordType: "A" },
                `[recordType] must be one of "alias", "CNAME" (got "A")`,
            ],
            [
                "a TTL with the default alias record",
                { ttl: 30 },
                `[ttl] applies only to a CNAME routed record`,
            ],
            [
                "a TTL with an alias record",
                { recordType: RoutedRecordType.Alias, ttl: 30 },
                `[ttl] applies only to a CNAME routed record`,
            ],
            [
                "a CNAME TTL of 0",
                { recordType: RoutedRecordType.Cname, ttl: 0 },
                `[ttl] must be an integer from 1 to 60 seconds (got 0)`,
            ],
            [
                "a CNAME TTL of 61",
                { recordType: RoutedRecordType.Cname, ttl: 61 },
                `[ttl] must be an integer from 1 to 60 seconds (got 61)`,
            ],
            [
                "a fractional CNAME TTL",
                { recordType: RoutedRecordType.Cname, ttl: 1.5 },
                `[ttl] must be an integer from 1 to 60 seconds (got 1.5)`,
            ],
            [
                "a 15 s request interval",
                { requestInterval: 15 },
                `[requestInterval] must be 10 or 30 (seconds; Route 53 offers no other interval) (got 15)`,
            ],
            [
                "a failure threshold of 0",
                { failureThreshold: 0 },
                `[failureThreshold] must be an integer from 1 to 10 (got 0)`,
            ],
            [
                "a failure threshold of 11",
                { failureThreshold: 11 },
                `[failureThreshold] must be an integer from 1 to 10 (got 11)`,
            ],
            [
                "two checker regions",
                { checkerRegions: ["us-east-1", "eu-west-1"] },
                `[checkerRegions] must be ${checkers}; 2 distinct given (got ["us-east-1","eu-west-1"])`,
            ],
            [
                "a repeated checker region",
                { checkerRegions: ["us-east-1", "eu-west-1", "us-east-1"] },
                `[checkerRegions] must be ${checkers}; "us-east-1" is listed twice, 2 distinct given (got ["us-east-1","eu-west-1","us-east-1"])`,
            ],
            [
                "a checker region Route 53 does not offer",
                { checkerRegions: ["us-east-1", "eu-west-1", "eu-central-1"] },
                `[checkerRegions] must be ${checkers}; "eu-central-1" is not one (got ["us-east-1","eu-west-1","eu-central-1"])`,
            ],
            [
                "more guards than a calculated check can hold",
                { guards: Array.from({ length: 255 }, (_, i) => ({ healthCheckId: `g${i}` })) },
                `[guards] must hold at most 254 checks: a calculated check has at most 255 children`,
            ],
            [
                "several problems at once",
                { routingPolicy: RoutingPolicy.Latency, ttl: 5, requestInterval: 20 },
                `[failoverRole] applies only to failover routing; [ttl] applies only to a CNAME routed record; [requestInterval] must be 10 or 30 (seconds; Route 53 offers no other interval) (got 20)`,
            ],
        ];
        for (const [title, bad, problems] of cases) {
            it(`rejects ${title}`, async () => {
                await rejectsBeforeRegistering(
                    () => new FailoverDomain("bad", { ...base, ...bad } as FailoverDomainArgs),
                    `FailoverDomain "bad": ${problems}`,
                );
            });
        }
    });
});
