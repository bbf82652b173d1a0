// Constructing the components for another language: this repository's component package (started
// as the Node.js language host starts it) answers the engine's Construct calls, with inputs on the
// wire as the engine forwards them from a Python, Go, .NET, Java or YAML program: enums as their
// string values, other resources' outputs as output values (value, dependencies; no value while
// unknown in a preview), providers as references. What the components register comes back through
// the loopback engine to the harness's mock runtime, and is asserted as the in-process specs
// assert it; so are the answers (URN, outputs, resource references) and a refusal of bad input.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as aws from "../../components/aws";
import { componentType } from "../../components/typeToken";
import { RecordedResource, REDACTED_SECRET } from "../../plan/mockRuntime";
import { created, promiseOf, state } from "../harness";
import { exclusive, project, restoreHarness } from "../stack/evaluations";
import { construct, Constructed, engineLog, outputValue } from "./componentPackage";

const STACK = "from-python";

/** An operator switch's arguments as a program in another language passes them. */
const SWITCH = {
    namespace: "HealthCheck",
    metricName: "Failover",
    dimensions: { Service: "api.example.com", Region: "us-east-1" },
    statistic: "Maximum",
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
};

const urnOf = (qualifiedType: string, name: string) =>
    `urn:pulumi:${STACK}::${project.name}::${qualifiedType}::${name}`;

/** The recorded children of `parentUrn`, by type and name. */
const childrenOf = (parentUrn: string) =>
    created
        .filter((r) => r.parent === parentUrn)
        .map((r) => `${r.type} ${r.name}`)
        .sort();

const one = (type: string, name: string): RecordedResource => {
    const found = created.filter((r) => r.type === type && r.name === name);
    assert.equal(found.length, 1, `${type} ${name}`);
    return found[0];
};

describe("component package: Construct as the engine calls it for another language", function () {
    this.timeout(60_000);
    let providerRef: string;
    let east: aws.Provider;

    let switchCheck: Constructed;

    // The switch is a guard of the FailoverDomain below, as a program would build them.
    before(() =>
        exclusive(async () => {
            await state.start(project.name, STACK, {});
            east = new aws.Provider("east", { region: "us-east-1" });
            providerRef = `${await promiseOf(east.urn)}::${await promiseOf(east.id)}`;
            switchCheck = await construct("AlarmHealthCheck", "east-switch", SWITCH, {
                providers: { aws: providerRef },
            });
        }),
    );
    after(() => restoreHarness());

    it("AlarmHealthCheck: the alarm and its check, in the provider's region; outputs and references answered", async () => {
        const urn = urnOf(componentType("AlarmHealthCheck"), "east-switch");
        assert.equal(switchCheck.urn, urn);
        assert.deepEqual(childrenOf(urn), [
            "aws:cloudwatch/metricAlarm:MetricAlarm east-switch-alarm",
            "aws:route53/healthCheck:HealthCheck east-switch-check",
        ]);
        const alarm = one("aws:cloudwatch/metricAlarm:MetricAlarm", "east-switch-alarm");
        assert.equal(alarm.provider, providerRef);
        assert.equal(alarm.providerRegion, "us-east-1");
        assert.deepEqual(
            Object.fromEntries(Object.keys(SWITCH).map((k) => [k, alarm.inputs[k]])),
            SWITCH,
        );
        const check = one("aws:route53/healthCheck:HealthCheck", "east-switch-check");
        assert.equal(switchCheck.state.healthCheckId, check.id);
        assert.equal(switchCheck.state.alarmRegion, "us-east-1");
        // The children are answered as references a Python program holds as resources.
        assert.equal(
            await promiseOf((switchCheck.state.alarm as aws.cloudwatch.MetricAlarm).urn),
            alarm.urn,
        );
        assert.deepEqual(switchCheck.dependencies.healthCheckId, [check.urn]);
    });

    it("RegionalApi: handlers bundled in the package, a secret token list kept secret, outputs and nested references answered", async () => {
        const api = await construct(
            "RegionalApi",
            "east",
            {
                serviceName: "api.example.com",
                zoneName: "example.com",
                tableName: "products",
                accessTokens: {
                    [rpc.specialSigKey]: rpc.specialOutputValueSig,
                    value: ["a".repeat(32)],
                    secret: true,
                },
                publicReads: true,
            },
            { providers: { aws: providerRef } },
        );
        const urn = urnOf(componentType("RegionalApi"), "east");
        assert.equal(api.urn, urn);
        const apiFunction = one("aws:lambda/function:Function", "east-api");
        assert.equal(apiFunction.parent, urn);
        assert.equal(apiFunction.providerRegion, "us-east-1");
        assert.equal(apiFunction.inputs.environment, REDACTED_SECRET);
        assert.equal(api.state.healthUrl, "https://us-east-1.api.example.com/health");
        assert.equal(api.state.region, "us-east-1");
        const handler = api.state.apiHandler as { function: aws.lambda.Function };
        assert.equal(await promiseOf(handler.function.urn), apiFunction.urn);
    });

    it("FailoverDomain: an endpoint and a guard from other resources' outputs, enums as strings", async () => {
        const guardUrn = urnOf(componentType("AlarmHealthCheck"), "east-switch");
        const guardId = one("aws:route53/healthCheck:HealthCheck", "east-switch-check").id;
        const api = urnOf(componentType("RegionalApi"), "east");
        const fromApi = (value: string) => outputValue(value, [api]);
        const domain = await construct(
            "FailoverDomain",
            "east-routing",
            {
                endpoint: {
                    region: fromApi("us-east-1"),
                    serviceName: fromApi("api.example.com"),
                    hostedZoneId: fromApi("Z0EXAMPLE"),
                    regionalDomainName: fromApi("d-abc123.execute-api.us-east-1.amazonaws.com"),
                    regionalZoneId: fromApi("Z1UJRXOUMOOFQ8"),
                    regionalHostname: fromApi("us-east-1.api.example.com"),
                    healthPath: fromApi("/health"),
                    healthSearchString: fromApi("multi-region-api healthy"),
                },
                routingPolicy: "failover",
                failoverRole: "PRIMARY",
                guards: [{ healthCheckId: outputValue(guardId, [guardUrn]) }],
            },
            { providers: { aws: providerRef } },
        );
        const urn = urnOf(componentType("FailoverDomain"), "east-routing");
        assert.equal(domain.urn, urn);
        assert.deepEqual(childrenOf(urn), [
            "aws:route53/healthCheck:HealthCheck east-routing-calculated",
            "aws:route53/healthCheck:HealthCheck east-routing-endpoint",
            "aws:route53/record:Record east-routing-record",
        ]);
        const endpointCheck = one("aws:route53/healthCheck:HealthCheck", "east-routing-endpoint");
        assert.deepEqual(
            {
                type: endpointCheck.inputs.type,
                fqdn: endpointCheck.inputs.fqdn,
                resourcePath: endpointCheck.inputs.resourcePath,
                searchString: endpointCheck.inputs.searchString,
            },
            {
                type: "HTTPS_STR_MATCH",
                fqdn: "us-east-1.api.example.com",
                resourcePath: "/health",
                searchString: "multi-region-api healthy",
            },
        );
        const calculated = one("aws:route53/healthCheck:HealthCheck", "east-routing-calculated");
        assert.deepEqual(calculated.inputs.childHealthchecks, [endpointCheck.id, guardId]);
        const record = one("aws:route53/record:Record", "east-routing-record");
        assert.deepEqual(
            {
                zoneId: record.inputs.zoneId,
                name: record.inputs.name,
                failoverRoutingPolicies: record.inputs.failoverRoutingPolicies,
                setIdentifier: record.inputs.setIdentifier,
                healthCheckId: record.inputs.healthCheckId,
                aliases: record.inputs.aliases,
            },
            {
                zoneId: "Z0EXAMPLE",
                name: "api.example.com",
                failoverRoutingPolicies: [{ type: "PRIMARY" }],
                setIdentifier: "primary",
                healthCheckId: calculated.id,
                aliases: [
                    {
                        name: "d-abc123.execute-api.us-east-1.amazonaws.com",
                        zoneId: "Z1UJRXOUMOOFQ8",
                        evaluateTargetHealth: true,
                    },
                ],
            },
        );
        // Each waits for what its inputs came from: the API, the guard.
        assert.ok(record.dependsOn.includes(api), record.dependsOn.join());
        assert.ok(calculated.dependsOn.includes(guardUrn), calculated.dependsOn.join());
        assert.equal(domain.state.healthCheckId, calculated.id);
        assert.equal(domain.state.setIdentifier, "primary");
        // Nothing for the engine to show the user: no warning, no error.
        assert.deepEqual(engineLog, []);
    });

    it("a preview with outputs not yet known registers the same resources", async () => {
        const before = created.length;
        const domain = await construct(
            "FailoverDomain",
            "west-routing",
            {
                endpoint: {
                    region: "eu-west-1",
                    serviceName: "api.example.com",
                    hostedZoneId: "Z0EXAMPLE",
                    regionalDomainName: outputValue(undefined, []),
                    regionalZoneId: outputValue(undefined, []),
                    regionalHostname: "eu-west-1.api.example.com",
                    healthPath: "/health",
                    healthSearchString: "multi-region-api healthy",
                },
                routingPolicy: "failover",
                failoverRole: "SECONDARY",
            },
            { providers: { aws: providerRef }, dryRun: true },
        );
        assert.equal(domain.urn, urnOf(componentType("FailoverDomain"), "west-routing"));
        // The alias target's name and zone are not known yet (the mocks show unknowns as undefined).
        assert.deepEqual(one("aws:route53/record:Record", "west-routing-record").inputs, {
            aliases: [{ name: undefined, zoneId: undefined, evaluateTargetHealth: true }],
            failoverRoutingPolicies: [{ type: "SECONDARY" }],
            healthCheckId: "west-routing-endpoint-id",
            name: "api.example.com",
            setIdentifier: "secondary",
            type: "A",
            zoneId: "Z0EXAMPLE",
        });
        assert.deepEqual(
            created.slice(before).map((r) => `${r.type} ${r.name}`),
            [
                `${componentType("FailoverDomain")} west-routing`,
                "aws:route53/healthCheck:HealthCheck west-routing-endpoint",
                "aws:route53/record:Record west-routing-record",
            ],
        );
    });

    it("under a component of the calling program, renamed: its earlier URNs as aliases", async () => {
        const edge = new pulumi.ComponentResource("acme:index:Edge", "edge");
        const edgeUrn = await promiseOf(edge.urn);
        const probe = await construct(
            "PeerProbe",
            "probe",
            {
                serviceName: "api.example.com",
                peers: [
                    {
                        region: "eu-west-1",
                        healthUrl: "https://eu-west-1.api.example.com/health",
                        searchString: "multi-region-api healthy",
                    },
                ],
            },
            { providers: { aws: providerRef }, parent: edgeUrn, aliasNames: ["old-probe"] },
        );
        assert.equal(probe.urn, urnOf(`acme:index:Edge$${componentType("PeerProbe")}`, "probe"));
        const registered = created.find((r) => r.urn === probe.urn);
        assert.equal(registered?.parent, edgeUrn);
        assert.deepEqual(registered?.aliases, [
            { name: "old-probe", parentUrn: edgeUrn },
            { type: "multiregion:index:PeerProbe", parentUrn: edgeUrn },
            { name: "old-probe", type: "multiregion:index:PeerProbe", parentUrn: edgeUrn },
        ]);
    });

    it("bad input is refused by argument name before anything is registered", async () => {
        const before = created.length;
        await assert.rejects(
            construct(
                "FailoverDomain",
                "bad-routing",
                {
                    endpoint: {
                        region: "us-east-1",
                        serviceName: "api.example.com",
                        hostedZoneId: "Z0EXAMPLE",
                        regionalDomainName: "d-abc123.execute-api.us-east-1.amazonaws.com",
                        regionalZoneId: "Z1UJRXOUMOOFQ8",
                        regionalHostname: "us-east-1.api.example.com",
                        healthPath: "/health",
                        healthSearchString: "multi-region-api healthy",
                    },
                    routingPolicy: "fallover",
                },
                { providers: { aws: providerRef } },
            ),
            (e: Error & { details?: string }) => {
                assert.equal(
                    e.details,
                    'FailoverDomain "bad-routing": [routingPolicy] must be one of "failover", "latency" (got "fallover")',
                );
                return true;
            },
        );
        assert.equal(created.length, before);
    });
});
