import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FailoverDomain, FailoverDomainArgs } from "../../components/failoverDomain";
import { HEALTH_TOKEN } from "../../functions/health/token";
import { created, ofType, promiseOf, reset, state } from "../harness";

const base: FailoverDomainArgs = {
    serviceName: "api.example.com",
    zoneName: "example.com",
    routingPolicy: "failover",
    failoverRole: "PRIMARY",
    aliasTargetName: "d-abc.execute-api.us-east-1.amazonaws.com",
    aliasTargetZoneId: "ZAPIGW",
    healthCheckFqdn: "us-east-1.api.example.com",
};

async function build(args: Partial<FailoverDomainArgs> = {}) {
    const provider = new aws.Provider("aws-us-east-1", { region: "us-east-1" });
    const d = new FailoverDomain("use1", { ...base, ...args }, { providers: { aws: provider } });
    await promiseOf(d.recordFqdn);
    await state.settle();
    return d;
}

const record = () => ofType("aws:route53/record:Record")[0];
const checks = () =>
    Object.fromEntries(ofType("aws:route53/healthCheck:HealthCheck").map((c) => [c.name, c]));

describe("FailoverDomain", () => {
    beforeEach(reset);

    it("failover PRIMARY without guards: the endpoint check guards an alias record with no TTL", async () => {
        const d = await build();
        assert.deepEqual(Object.keys(checks()), ["use1-endpoint"]);
        assert.deepEqual(checks()["use1-endpoint"].inputs, {
            type: "HTTPS_STR_MATCH",
            fqdn: "us-east-1.api.example.com",
            port: 443,
            resourcePath: "/health",
            searchString: HEALTH_TOKEN,
            requestInterval: 10,
            failureThreshold: 3,
            regions: ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"],
            enableSni: true,
            tags: { Name: "use1-endpoint" },
        });
        const zoneId = state.invokes.find((i) => i.token === "aws:route53/getZone:getZone");
        assert.deepEqual(zoneId?.inputs, { name: "example.com", privateZone: false });
        assert.deepEqual(record().inputs, {
            zoneId: "ZMOCK" + String(record().inputs.zoneId).slice(5),
            name: "api.example.com",
            type: "A",
            setIdentifier: "primary",
            healthCheckId: "use1-endpoint-id",
            aliases: [
                {
                    name: "d-abc.execute-api.us-east-1.amazonaws.com",
                    zoneId: "ZAPIGW",
                    evaluateTargetHealth: true,
                },
            ],
            failoverRoutingPolicies: [{ type: "PRIMARY" }],
        });
        assert.equal(record().inputs.ttl, undefined);
        assert.equal(await promiseOf(d.healthCheckId), "use1-endpoint-id");
        assert.equal(await promiseOf(d.endpointHealthCheckId), "use1-endpoint-id");
        assert.equal(await promiseOf(d.calculatedHealthCheckId), undefined);
        assert.equal(await promiseOf(d.recordFqdn), "api.example.com");
        assert.equal(d.setIdentifier, "primary");
        const component = ofType("multiregion:index:FailoverDomain")[0];
        for (const r of created.filter((r) => r.type.startsWith("aws:route53"))) {
            assert.equal(r.parent, component.urn);
            assert.equal(r.providerRegion, "us-east-1");
        }
    });

    it("with guards: a CALCULATED check that is healthy only while the endpoint and every guard are", async () => {
        const d = await build({ guardHealthCheckIds: ["switch-id", pulumi.output("errors-id")] });
        assert.deepEqual(checks()["use1-calculated"].inputs, {
            type: "CALCULATED",
            childHealthchecks: ["use1-endpoint-id", "switch-id", "errors-id"],
            childHealthThreshold: 3,
            tags: { Name: "use1-calculated" },
        });
        assert.equal(record().inputs.healthCheckId, "use1-calculated-id");
        assert.equal(await promiseOf(d.calculatedHealthCheckId), "use1-calculated-id");
        assert.equal(await promiseOf(d.healthCheckId), "use1-calculated-id");
    });

    it("failover SECONDARY and latency records carry their policy and a distinct set identifier", async () => {
        await build({ failoverRole: "SECONDARY", aliasTargetZoneId: pulumi.output("ZFROMOUTPUT") });
        assert.deepEqual(record().inputs.failoverRoutingPolicies, [{ type: "SECONDARY" }]);
        assert.equal(record().inputs.setIdentifier, "secondary");
        assert.equal((record().inputs.aliases as { zoneId: string }[])[0].zoneId, "ZFROMOUTPUT");
        reset();
        await build({
            routingPolicy: "latency",
            failoverRole: undefined,
            latencyRegion: "eu-west-1",
            requestInterval: 30,
            failureThreshold: 2,
            checkerRegions: ["eu-west-1", "us-east-1", "sa-east-1"],
        });
        assert.deepEqual(record().inputs.latencyRoutingPolicies, [{ region: "eu-west-1" }]);
        assert.equal(record().inputs.failoverRoutingPolicies, undefined);
        assert.equal(record().inputs.setIdentifier, "eu-west-1");
        const endpoint = checks()["use1-endpoint"].inputs;
        assert.deepEqual(
            [endpoint.requestInterval, endpoint.failureThreshold, endpoint.regions],
            [30, 2, ["eu-west-1", "us-east-1", "sa-east-1"]],
        );
    });

    it("fails the deployment when an Output health check target turns out to be the routed name", async () => {
        const provider = new aws.Provider("aws-us-east-1", { region: "us-east-1" });
        const d = new FailoverDomain(
            "loop",
            { ...base, healthCheckFqdn: pulumi.output("api.example.com") },
            { providers: { aws: provider } },
        );
        const error = await new Promise<unknown>((resolve) => {
            process.once("unhandledRejection", resolve);
            d.recordFqdn.apply(() => resolve(undefined));
        });
        assert.match(
            String((error as Error)?.message),
            /FailoverDomain "loop": \[healthCheckFqdn\] must not be the routed name "api.example.com"/,
        );
    });

    describe("validation", () => {
        const cases: [string, Partial<FailoverDomainArgs>, string][] = [
            [
                "a missing failover role",
                { failoverRole: undefined },
                `[failoverRole] must be "PRIMARY" or "SECONDARY" with failover routing (got undefined)`,
            ],
            [
                "an unknown failover role",
                { failoverRole: "primary" as never },
                `[failoverRole] must be "PRIMARY" or "SECONDARY" with failover routing (got "primary")`,
            ],
            [
                "an unknown routing policy",
                { routingPolicy: "weighted" as never },
                `[routingPolicy] must be "failover" or "latency" (got "weighted")`,
            ],
            [
                "a latency region Route 53 does not know",
                { routingPolicy: "latency", failoverRole: undefined, latencyRegion: "us-east-9" },
                `[latencyRegion] must be a Route 53 latency region (us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, ca-west-1, eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, ap-southeast-1, ap-southeast-2, ap-southeast-3, ap-southeast-4, ap-southeast-5, ap-southeast-6, ap-southeast-7, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-south-2, ap-east-1, ap-east-2, sa-east-1, me-south-1, me-central-1, af-south-1, il-central-1, mx-central-1, cn-north-1, cn-northwest-1, us-gov-east-1, us-gov-west-1, eusc-de-east-1) with latency routing (got "us-east-9")`,
            ],
            [
                "a failover role with latency routing",
                { routingPolicy: "latency", latencyRegion: "us-east-1" },
                `[failoverRole] applies only to latency routing`.replace(
                    "latency routing",
                    "failover routing",
                ),
            ],
            [
                "a latency region with failover routing",
                { latencyRegion: "us-east-1" },
                `[latencyRegion] applies only to latency routing`,
            ],
            [
                "an interval of 15 s",
                { requestInterval: 15 },
                `[requestInterval] must be 10 or 30 seconds, the only intervals Route 53 offers (got 15)`,
            ],
            [
                "a threshold of 0",
                { failureThreshold: 0 },
                `[failureThreshold] must be an integer from 1 to 10 (got 0)`,
            ],
            [
                "a threshold of 11",
                { failureThreshold: 11 },
                `[failureThreshold] must be an integer from 1 to 10 (got 11)`,
            ],
            [
                "two checker regions",
                { checkerRegions: ["us-east-1", "eu-west-1"] },
                `[checkerRegions] must be at least 3 distinct Route 53 checker regions from us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1 (got ["us-east-1","eu-west-1"])`,
            ],
            [
                "a checker region Route 53 does not offer",
                { checkerRegions: ["us-east-1", "eu-west-1", "eu-central-1"] },
                `[checkerRegions] must be at least 3 distinct Route 53 checker regions from us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1 (got ["us-east-1","eu-west-1","eu-central-1"])`,
            ],
            [
                "a service name outside the zone",
                { serviceName: "api.example.org" },
                `[serviceName] must be a lowercase DNS name inside zone "example.com" (got "api.example.org")`,
            ],
            [
                "a health check aimed at the routed name",
                { healthCheckFqdn: "api.example.com" },
                `[healthCheckFqdn] must not be the routed name "api.example.com": Route 53 health check results would be unpredictable; use the region's own hostname`,
            ],
            [
                "a relative health path",
                { healthCheckPath: "health" },
                `[healthCheckPath] must start with "/" and have at most 255 characters without spaces (got "health")`,
            ],
            [
                "an empty search string",
                { searchString: "" },
                `[searchString] must be 1-255 characters (got "")`,
            ],
            [
                "an empty set identifier",
                { setIdentifier: "" },
                `[setIdentifier] must be 1-128 characters (got "")`,
            ],
        ];
        for (const [title, bad, problem] of cases) {
            it(`rejects ${title}`, () => {
                assert.throws(() => new FailoverDomain("bad", { ...base, ...bad }), {
                    message: `FailoverDomain "bad": ${problem}`,
                });
                assert.equal(created.length, 0);
            });
        }
    });
});
