import * as assert from "node:assert/strict";
import { Finding, ResourceSnapshot, Rule, UNKNOWN, runRules } from "../../plan/rules";
import { RECORD_RULES } from "../../plan/rules/records";
import { T } from "../../plan/rules/values";
import { dependingOn, finding as findingOf, findingsOf, snap } from "./helpers";

const ZONE = "Z0EXAMPLEZONE";
const USE1_HOST = "d-abc123.execute-api.us-east-1.amazonaws.com";
const EUW1_HOST = "d-def456.execute-api.eu-west-1.amazonaws.com";
const USE1_ZONE = "ZAPIGWUSEAST1";
const EUW1_ZONE = "ZAPIGWEUWEST1";
const CLOUDFRONT = "Z2FDTNDATAQYW2";

const rule = (id: string): Rule => {
    const found = RECORD_RULES.find((r) => r.id === id);
    assert.ok(found, `no rule ${id}`);
    return found;
};

/** A record `api.example.com A` in the example zone, with `inputs` on top. */
const record = (
    name: string,
    inputs: Record<string, unknown>,
    more: Partial<ResourceSnapshot> = {},
): ResourceSnapshot =>
    snap(T.record, name, { zoneId: ZONE, name: "api.example.com", type: "A", ...inputs }, more);

const alias = (
    host: unknown,
    zoneId: unknown = USE1_ZONE,
    evaluateTargetHealth: unknown = true,
) => ({
    aliases: [{ name: host, zoneId, evaluateTargetHealth }],
});

const failover = (type: unknown, setIdentifier: unknown = String(type).toLowerCase()) => ({
    setIdentifier,
    failoverRoutingPolicies: [{ type }],
});

const latency = (region: unknown, setIdentifier: unknown = region) => ({
    setIdentifier,
    latencyRoutingPolicies: [{ region }],
});

const guarded = { healthCheckId: "hc-1" };

const DISTRIBUTION_URN = `urn:pulumi:test::proj::${T.cloudfrontDistribution}::cdn`;

/** The finding rule `id` reports about `r`. */
const finding = (id: string, r: ResourceSnapshot, message: string): Finding =>
    findingOf(rule(id), r, message);

/** A REST API custom domain in `region`, with the computed fields the offline plan adds. */
const restDomain = (name: string, region: string, computed: Record<string, unknown>) =>
    snap(
        T.domainName,
        name,
        {
            domainName: "api.example.com",
            endpointConfiguration: { types: "REGIONAL" },
            ...computed,
        },
        { region },
    );

describe("record rules", () => {
    describe("failover-pair", () => {
        const id = "failover-pair";

        it("reports two PRIMARY records, in any stack", () => {
            const a = record(
                "primary-record",
                { ...failover("PRIMARY", "a"), ...guarded },
                { stack: "use1" },
            );
            const b = record(
                "other-record",
                { ...failover("PRIMARY", "b"), ...guarded },
                { stack: "euw1" },
            );
            const s = record(
                "secondary-record",
                { ...failover("SECONDARY"), ...guarded },
                { stack: "euw1" },
            );
            const message =
                "api.example.com A has two PRIMARY failover records (euw1/other-record, use1/primary-record): Route 53 rejects the second, or the pair answers unpredictably. Keep exactly one PRIMARY and one SECONDARY per name and type.";
            const expected = [finding(id, b, message), finding(id, a, message)];
            assert.deepStrictEqual(findingsOf(rule(id), [a, b, s]), expected);
            assert.deepStrictEqual(
                findingsOf(rule(id), [a, b], { wholeDeployment: false }),
                expected,
            );
        });

        it("reports a missing SECONDARY only when it sees the whole deployment", () => {
            const p = record("primary-record", { ...failover("PRIMARY"), ...guarded });
            assert.deepStrictEqual(findingsOf(rule(id), [p]), [
                finding(
                    id,
                    p,
                    "api.example.com A has a PRIMARY failover record (primary-record) but no SECONDARY anywhere in the deployment: when the primary is unhealthy Route 53 has nothing to fail over to and keeps answering with it. Add a SECONDARY record of api.example.com A for the other region.",
                ),
            ]);
            assert.deepStrictEqual(findingsOf(rule(id), [p], { wholeDeployment: false }), []);
        });

        it("reports a missing PRIMARY", () => {
            const s = record("secondary-record", { ...failover("SECONDARY"), ...guarded });
            assert.deepStrictEqual(findingsOf(rule(id), [s]), [
                finding(
                    id,
                    s,
                    "api.example.com A has a SECONDARY failover record (secondary-record) but no PRIMARY anywhere in the deployment: Route 53 answers every query with the SECONDARY and nothing fails over. Add the PRIMARY record of api.example.com A.",
                ),
            ]);
        });

        it("reports a failover type Route 53 does not know", () => {
            const p = record("primary-record", { ...failover("primary"), ...guarded });
            const s = record("secondary-record", { ...failover("SECONDARY"), ...guarded });
            assert.deepStrictEqual(findingsOf(rule(id), [p, s]), [
                finding(
                    id,
                    p,
                    'Failover record api.example.com A has failover type "primary": Route 53 accepts only PRIMARY or SECONDARY, so the deploy fails. Write PRIMARY or SECONDARY, in capitals.',
                ),
            ]);
        });

        it("passes a pair split across stacks, names compared as DNS does", () => {
            const p = record(
                "primary-record",
                { ...failover("PRIMARY"), ...guarded },
                { stack: "use1" },
            );
            const s = record(
                "secondary-record",
                { ...failover("SECONDARY"), ...guarded, name: "API.Example.com." },
                { stack: "euw1" },
            );
            assert.deepStrictEqual(findingsOf(rule(id), [p, s]), []);
        });

        it("keeps records of other zones, names and types apart", () => {
            const p = record("primary-record", { ...failover("PRIMARY"), ...guarded });
            const s = record("secondary-record", { ...failover("SECONDARY"), ...guarded });
            const others = [
                record("other-zone", { ...failover("PRIMARY"), zoneId: "ZOTHER" }),
                record("other-name", { ...failover("PRIMARY"), name: "www.example.com" }),
                record("other-type", { ...failover("PRIMARY"), type: "AAAA" }),
            ];
            assert.deepStrictEqual(
                findingsOf(rule(id), [p, s, ...others], { wholeDeployment: false }),
                [],
            );
        });

        it("does not call a role missing while a record that might hold it is unknown", () => {
            const p = record("primary-record", { ...failover("PRIMARY"), ...guarded });
            const unnamed = record("secondary-record", { ...failover("SECONDARY"), name: UNKNOWN });
            const unrouted = record("maybe-secondary", { failoverRoutingPolicies: UNKNOWN });
            assert.deepStrictEqual(findingsOf(rule(id), [p, unnamed]), []);
            assert.deepStrictEqual(findingsOf(rule(id), [p, unrouted]), []);
        });
    });

    describe("failover-primary-unguarded", () => {
        const id = "failover-primary-unguarded";

        it("reports a non-alias PRIMARY without a health check", () => {
            const p = record("primary-record", {
                ...failover("PRIMARY"),
                type: "CNAME",
                ttl: 60,
                records: [USE1_HOST],
            });
            assert.deepStrictEqual(findingsOf(rule(id), [p]), [
                finding(
                    id,
                    p,
                    'PRIMARY failover record api.example.com CNAME has no health check: Route 53 considers it always healthy, so the SECONDARY is never served (and Route 53 rejects a non-alias PRIMARY without one: "A non-alias primary ResourceRecordSet must have an associated health check"). Set healthCheckId to a health check of the primary region\'s endpoint.',
                ),
            ]);
        });

        it("reports a PRIMARY alias that does not evaluate its target's health", () => {
            const p = record("primary-record", {
                ...failover("PRIMARY"),
                ...alias(USE1_HOST, USE1_ZONE, "false"),
            });
            assert.deepStrictEqual(findingsOf(rule(id), [p]), [
                finding(
                    id,
                    p,
                    "PRIMARY failover alias api.example.com A has no health check and evaluateTargetHealth false: Route 53 considers it always healthy, so the SECONDARY is never served. Set healthCheckId to a health check of the primary region's endpoint.",
                ),
            ]);
        });

        it("passes a PRIMARY with a health check or target health, and a SECONDARY", () => {
            const resources = [
                record("checked", {
                    ...failover("PRIMARY"),
                    ...guarded,
                    type: "CNAME",
                    ttl: 60,
                    records: [USE1_HOST],
                }),
                record("target-health", { ...failover("PRIMARY"), ...alias(USE1_HOST) }),
                record("secondary", {
                    ...failover("SECONDARY"),
                    type: "CNAME",
                    ttl: 60,
                    records: [EUW1_HOST],
                }),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("failover-primary-target-health-only", () => {
        const id = "failover-primary-target-health-only";

        it("reports a PRIMARY alias to API Gateway guarded by evaluateTargetHealth alone", () => {
            const p = record("primary-record", { ...failover("PRIMARY"), ...alias(USE1_HOST) });
            assert.deepStrictEqual(findingsOf(rule(id), [p]), [
                finding(
                    id,
                    p,
                    "PRIMARY failover alias api.example.com A relies on evaluateTargetHealth alone for its API Gateway target d-abc123.execute-api.us-east-1.amazonaws.com: that reflects only the API Gateway service in us-east-1, not this API, so a failing API (5xx answers, Lambda errors, a broken deployment) never fails over. Set healthCheckId to a Route 53 health check of the API's own endpoint.",
                ),
            ]);
        });

        it("recognizes an API Gateway target not known yet by the custom domain it depends on", () => {
            const domain = restDomain("api-domain", "us-east-1", {});
            const p = record(
                "primary-record",
                { ...failover("PRIMARY"), ...alias(UNKNOWN, UNKNOWN) },
                dependingOn(domain.urn),
            );
            assert.deepStrictEqual(findingsOf(rule(id), [p]), [
                finding(
                    id,
                    p,
                    "PRIMARY failover alias api.example.com A relies on evaluateTargetHealth alone for its API Gateway target custom domain: that reflects only the API Gateway service in its region, not this API, so a failing API (5xx answers, Lambda errors, a broken deployment) never fails over. Set healthCheckId to a Route 53 health check of the API's own endpoint.",
                ),
            ]);
        });

        it("passes a health-checked alias and an alias to another kind of target", () => {
            const resources = [
                record("checked", { ...failover("PRIMARY"), ...alias(USE1_HOST), ...guarded }),
                record("load-balancer", {
                    ...failover("PRIMARY"),
                    ...alias("my-lb-123.us-east-1.elb.amazonaws.com", "Z35SXDOTRQ7X7K"),
                }),
                record("unknown-target", { ...failover("PRIMARY"), ...alias(UNKNOWN, UNKNOWN) }),
                // An API behind a CloudFront distribution: the distribution may be the target.
                record(
                    "behind-cloudfront",
                    { ...failover("PRIMARY"), ...alias(UNKNOWN, UNKNOWN) },
                    dependingOn(restDomain("d", "us-east-1", {}).urn, DISTRIBUTION_URN),
                ),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("failover-secondary-unguarded", () => {
        const id = "failover-secondary-unguarded";

        it("advises a health check on the SECONDARY", () => {
            const s = record("secondary-record", {
                ...failover("SECONDARY"),
                ...alias(EUW1_HOST, EUW1_ZONE, false),
            });
            assert.deepStrictEqual(findingsOf(rule(id), [s]), [
                finding(
                    id,
                    s,
                    "SECONDARY failover record api.example.com A has no health check: Route 53 serves it whenever the primary is unhealthy, even when the secondary region is down too. Set healthCheckId to a health check of the secondary region's endpoint, so Route 53 can tell.",
                ),
            ]);
        });

        it("passes a health-checked SECONDARY", () => {
            const s = record("secondary-record", {
                ...failover("SECONDARY"),
                ...alias(EUW1_HOST, EUW1_ZONE),
                ...guarded,
            });
            assert.deepStrictEqual(findingsOf(rule(id), [s]), []);
        });
    });

    describe("routing-policy-mixed", () => {
        const id = "routing-policy-mixed";

        it("reports a simple record beside failover records", () => {
            const simple = record("simple-record", { ...alias(USE1_HOST) });
            const p = record("primary-record", {
                ...failover("PRIMARY"),
                ...alias(USE1_HOST),
                ...guarded,
            });
            const s = record("secondary-record", {
                ...failover("SECONDARY"),
                ...alias(EUW1_HOST, EUW1_ZONE),
                ...guarded,
            });
            const message =
                "api.example.com A mixes failover (primary-record, secondary-record) and simple (simple-record) records: Route 53 rejects a record whose routing policy differs from the other records of its name and type, so the deploy fails. Give every api.example.com A record the same routing policy.";
            assert.deepStrictEqual(
                findingsOf(rule(id), [simple, p, s], { wholeDeployment: false }),
                [finding(id, p, message), finding(id, s, message), finding(id, simple, message)],
            );
        });

        it("reports latency and failover records of one name and type", () => {
            const p = record("primary-record", { ...failover("PRIMARY"), ...guarded });
            const l = record("use1-record", { ...latency("us-east-1"), ...guarded });
            const message =
                "api.example.com A mixes failover (primary-record) and latency (use1-record) records: Route 53 rejects a record whose routing policy differs from the other records of its name and type, so the deploy fails. Give every api.example.com A record the same routing policy.";
            assert.deepStrictEqual(findingsOf(rule(id), [p, l]), [
                finding(id, p, message),
                finding(id, l, message),
            ]);
        });

        it("reports a record with two routing policies", () => {
            const r = record("both-record", {
                ...failover("PRIMARY"),
                latencyRoutingPolicies: [{ region: "us-east-1" }],
                ...guarded,
            });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Record api.example.com A sets failover and latency routing at once: a record takes one routing policy, so the deploy fails. Keep the policy you mean and remove the others.",
                ),
            ]);
        });

        it("passes records of one policy, and simple records of another type", () => {
            const resources = [
                record("use1", { ...latency("us-east-1"), ...guarded }),
                record("euw1", { ...latency("eu-west-1"), ...guarded }),
                record("ipv6", { type: "AAAA", ...alias(USE1_HOST) }),
                record("flag-off", {
                    multivalueAnswerRoutingPolicy: false,
                    name: "www.example.com",
                }),
                record("simple-www", { name: "www.example.com", weightedRoutingPolicies: [] }),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("set-identifier", () => {
        const id = "set-identifier";

        it("reports a policy record without one", () => {
            const r = record("use1-record", {
                latencyRoutingPolicies: [{ region: "us-east-1" }],
                ...guarded,
            });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Latency record api.example.com A has no setIdentifier: Route 53 rejects a latency record without one, so the deploy fails. Set a setIdentifier unique among the records of its name and type, such as its region.",
                ),
            ]);
        });

        it("reports one shared by two records of a name and type", () => {
            const a = record(
                "use1-record",
                { ...latency("us-east-1", "api"), ...guarded },
                { stack: "use1" },
            );
            const b = record(
                "euw1-record",
                { ...latency("eu-west-1", "api"), ...guarded },
                { stack: "euw1" },
            );
            const message =
                'api.example.com A has two records with setIdentifier "api" (euw1/euw1-record, use1/use1-record): Route 53 sees one record, so the second create fails, or with allowOverwrite silently replaces the first. Give each record a unique setIdentifier, such as its region.';
            assert.deepStrictEqual(findingsOf(rule(id), [a, b], { wholeDeployment: false }), [
                finding(id, b, message),
                finding(id, a, message),
            ]);
        });

        it("reports one on a simple record, and one too long", () => {
            const simple = record("simple-record", { setIdentifier: "blue", ...alias(USE1_HOST) });
            const long = record("long-record", {
                ...failover("PRIMARY", "x".repeat(129)),
                ...guarded,
            });
            assert.deepStrictEqual(findingsOf(rule(id), [simple, long]), [
                finding(
                    id,
                    long,
                    "Record api.example.com A has a setIdentifier of 129 characters: Route 53 allows at most 128, so the deploy fails. Shorten it.",
                ),
                finding(
                    id,
                    simple,
                    'Simple record api.example.com A has setIdentifier "blue" but no routing policy: Route 53 rejects a set identifier without a policy, so the deploy fails. Remove setIdentifier, or add the routing policy it was meant for.',
                ),
            ]);
        });

        it("passes unique identifiers, and the same identifier under other names", () => {
            const resources = [
                record("p", { ...failover("PRIMARY"), ...guarded }),
                record("s", { ...failover("SECONDARY"), ...guarded }),
                record("www-p", { ...failover("PRIMARY"), ...guarded, name: "www.example.com" }),
                record("plain", { ...alias(USE1_HOST), name: "plain.example.com" }),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("alias-with-ttl", () => {
        const id = "alias-with-ttl";

        it("reports an alias with a TTL", () => {
            const r = record("api-record", { ...alias(USE1_HOST), ttl: 60 });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Alias record api.example.com A also sets ttl 60: Route 53 rejects an alias with a TTL or values (it answers with its target's addresses and TTL), so the deploy fails. Remove ttl.",
                ),
            ]);
        });

        it("reports an alias with values and a TTL", () => {
            const r = record("api-record", {
                ...alias(USE1_HOST),
                ttl: "300",
                records: ["192.0.2.1"],
            });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    'Alias record api.example.com A also sets ttl "300" and records (192.0.2.1): Route 53 rejects an alias with a TTL or values (it answers with its target\'s addresses and TTL), so the deploy fails. Remove ttl and records.',
                ),
            ]);
        });

        it("passes an alias alone and a record with values and a TTL", () => {
            const resources = [
                record("alias-record", { ...alias(USE1_HOST) }),
                record("cname-record", { type: "CNAME", ttl: 60, records: [USE1_HOST] }),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("record-values-missing", () => {
        const id = "record-values-missing";

        it("reports a record that is neither an alias nor has values", () => {
            const r = record("api-record", { type: "CNAME", records: [] });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Record api.example.com CNAME is no alias and has no records and ttl: Route 53 needs both the values and a TTL of a non-alias record, so the deploy fails. Set records and ttl, or make it an alias.",
                ),
            ]);
        });

        it("passes values with a TTL, and an alias", () => {
            const resources = [
                record("cname", { type: "CNAME", ttl: 60, records: [USE1_HOST] }),
                record("alias", { ...alias(USE1_HOST) }),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("latency-region-duplicate", () => {
        const id = "latency-region-duplicate";

        it("reports two latency records for one region", () => {
            const a = record("use1-record", { ...latency("us-east-1", "a"), ...guarded });
            const b = record("use1-again", { ...latency("US-EAST-1", "b"), ...guarded });
            const message =
                "api.example.com A has two latency records for us-east-1 (use1-again, use1-record): Route 53 allows one latency record per region for a name and type, so the deploy fails. Keep one record per region.";
            assert.deepStrictEqual(findingsOf(rule(id), [a, b], { wholeDeployment: false }), [
                finding(id, b, message),
                finding(id, a, message),
            ]);
        });

        it("passes one record per region", () => {
            const resources = [
                record("use1", { ...latency("us-east-1"), ...guarded }),
                record("euw1", { ...latency("eu-west-1"), ...guarded }),
                record("www-use1", {
                    ...latency("us-east-1"),
                    ...guarded,
                    name: "www.example.com",
                }),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("latency-region-unsupported", () => {
        const id = "latency-region-unsupported";

        it("reports a region Route 53 does not accept", () => {
            const r = record("eu-record", { ...latency("eu"), ...guarded });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    'Latency record api.example.com A names region "eu", which Route 53 does not accept for latency records, so the deploy fails. Name the AWS region the record\'s endpoint runs in, written like us-east-1.',
                ),
            ]);
        });

        it("passes the regions of the Route 53 model", () => {
            const resources = ["us-east-1", "eu-west-1", "ap-southeast-7", "cn-north-1"].map(
                (region) => record(region, { ...latency(region), ...guarded }),
            );
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("latency-region-mismatch", () => {
        const id = "latency-region-mismatch";

        it("reports an alias whose API runs in another region", () => {
            const r = record("use1-record", {
                ...latency("us-east-1"),
                ...alias(EUW1_HOST, EUW1_ZONE),
                ...guarded,
            });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Latency record api.example.com A is tagged us-east-1 but points to an API in eu-west-1 (d-def456.execute-api.eu-west-1.amazonaws.com): Route 53 picks it for clients with low latency to us-east-1, then sends them to eu-west-1. Set its latency region to eu-west-1, the API's region.",
                ),
            ]);
        });

        it("reports a CNAME to another region's API", () => {
            const r = record("euw1-record", {
                ...latency("eu-west-1"),
                type: "CNAME",
                ttl: 30,
                records: [`${USE1_HOST}.`],
                ...guarded,
            });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Latency record api.example.com CNAME is tagged eu-west-1 but points to an API in us-east-1 (d-abc123.execute-api.us-east-1.amazonaws.com): Route 53 picks it for clients with low latency to eu-west-1, then sends them to us-east-1. Set its latency region to us-east-1, the API's region.",
                ),
            ]);
        });

        it("finds the API's region through the custom domain the record depends on", () => {
            const domain = restDomain("euw1-domain", "eu-west-1", {});
            const r = record(
                "use1-record",
                { ...latency("us-east-1"), ...alias(UNKNOWN, UNKNOWN), ...guarded },
                dependingOn(domain.urn),
            );
            assert.deepStrictEqual(findingsOf(rule(id), [domain, r]), [
                finding(
                    id,
                    r,
                    "Latency record api.example.com A is tagged us-east-1 but points to an API in eu-west-1 (custom domain euw1-domain): Route 53 picks it for clients with low latency to us-east-1, then sends them to eu-west-1. Set its latency region to eu-west-1, the API's region.",
                ),
            ]);
        });

        it("passes records tagged with their API's region", () => {
            const domain = restDomain("use1-domain", "us-east-1", {});
            const resources = [
                domain,
                record("alias", {
                    ...latency("eu-west-1"),
                    ...alias(EUW1_HOST, EUW1_ZONE),
                    ...guarded,
                }),
                record("cname", {
                    ...latency("us-east-1"),
                    type: "CNAME",
                    ttl: 30,
                    records: [USE1_HOST],
                    ...guarded,
                }),
                record(
                    "linked",
                    { ...latency("us-east-1"), ...alias(UNKNOWN, UNKNOWN), ...guarded },
                    dependingOn(domain.urn),
                ),
                record("elsewhere", {
                    ...latency("us-east-1"),
                    ...alias("lb.example.net", "ZLB"),
                    ...guarded,
                }),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });

        it("passes a record whose target may be a CloudFront distribution in front of the API", () => {
            const domain = restDomain("euw1-domain", "eu-west-1", {});
            const r = record(
                "use1-record",
                { ...latency("us-east-1"), ...alias(UNKNOWN, UNKNOWN), ...guarded },
                dependingOn(domain.urn, DISTRIBUTION_URN),
            );
            assert.deepStrictEqual(findingsOf(rule(id), [domain, r]), []);
        });
    });

    describe("latency-unguarded", () => {
        const id = "latency-unguarded";

        it("reports a latency record without a health check", () => {
            const r = record("use1-record", {
                ...latency("us-east-1"),
                type: "CNAME",
                ttl: 30,
                records: [USE1_HOST],
            });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Latency record api.example.com CNAME has no health check: Route 53 considers it always healthy and keeps sending the clients nearest us-east-1 to it while its region is down. Set healthCheckId to a health check of that region's endpoint.",
                ),
            ]);
        });

        it("reports a latency alias to API Gateway guarded by target health alone", () => {
            const r = record("use1-record", { ...latency("us-east-1"), ...alias(USE1_HOST) });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Latency alias api.example.com A relies on evaluateTargetHealth alone for its API Gateway target d-abc123.execute-api.us-east-1.amazonaws.com: that reflects only the API Gateway service in us-east-1, not this API, so a failing API (5xx answers, Lambda errors, a broken deployment) keeps receiving the clients nearest us-east-1. Set healthCheckId to a health check of that region's endpoint.",
                ),
            ]);
        });

        it("passes health-checked latency records and other records", () => {
            const resources = [
                record("use1", { ...latency("us-east-1"), ...alias(USE1_HOST), ...guarded }),
                record("simple", {
                    ...alias(USE1_HOST, USE1_ZONE, false),
                    name: "www.example.com",
                }),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("alias-target-mismatch", () => {
        const id = "alias-target-mismatch";
        const rejected =
            'Route 53 rejects it ("alias target name does not lie within the target zone")';

        it("reports a regional API Gateway host with CloudFront's zone id", () => {
            const r = record("api-record", { ...alias(USE1_HOST, CLOUDFRONT) });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    `Alias api.example.com A targets the regional API Gateway host d-abc123.execute-api.us-east-1.amazonaws.com with CloudFront's zone id Z2FDTNDATAQYW2 (an edge domain's cloudfrontZoneId): ${rejected}. Use the domain's regionalZoneId with its regionalDomainName.`,
                ),
            ]);
        });

        it("reports a CloudFront host outside CloudFront's zone, and a target in the record's own zone", () => {
            const edge = record("edge-record", {
                ...alias("d111.cloudfront.net", USE1_ZONE, false),
            });
            const own = record("own-record", {
                ...alias(USE1_HOST, `/hostedzone/${ZONE}`),
                name: "www.example.com",
            });
            assert.deepStrictEqual(findingsOf(rule(id), [edge, own]), [
                finding(
                    id,
                    edge,
                    `Alias api.example.com A targets the CloudFront host d111.cloudfront.net with zone id ZAPIGWUSEAST1, but CloudFront names are in zone Z2FDTNDATAQYW2: ${rejected}. Use the domain's cloudfrontZoneId with its cloudfrontDomainName.`,
                ),
                finding(
                    id,
                    own,
                    `Alias www.example.com A targets d-abc123.execute-api.us-east-1.amazonaws.com in the record's own hosted zone Z0EXAMPLEZONE, which does not hold that name: ${rejected}. Use the zone id that comes with the target, such as the API Gateway domain's regionalZoneId.`,
                ),
            ]);
        });

        it("reports one domain's name with another domain's zone id", () => {
            const use1 = restDomain("use1-domain", "us-east-1", {
                regionalDomainName: USE1_HOST,
                regionalZoneId: USE1_ZONE,
            });
            const euw1 = restDomain("euw1-domain", "eu-west-1", {
                regionalDomainName: EUW1_HOST,
                regionalZoneId: EUW1_ZONE,
            });
            const r = record("api-record", { ...alias(USE1_HOST, EUW1_ZONE) });
            assert.deepStrictEqual(findingsOf(rule(id), [use1, euw1, r]), [
                finding(
                    id,
                    r,
                    'Alias api.example.com A targets d-abc123.execute-api.us-east-1.amazonaws.com, the regionalDomainName of use1-domain, with zone id ZAPIGWEUWEST1 (the regionalZoneId of euw1-domain) instead of its regionalZoneId ZAPIGWUSEAST1: Route 53 rejects it ("alias target name does not lie within the target zone") or answers for the wrong endpoint. Take name and zoneId from the same domain: regionalDomainName with regionalZoneId.',
                ),
            ]);
        });

        it("reports an HTTP API domain's target with another zone id", () => {
            const v2 = snap(
                T.domainNameV2,
                "http-domain",
                {
                    domainName: "api.example.com",
                    domainNameConfiguration: {
                        endpointType: "REGIONAL",
                        targetDomainName: EUW1_HOST,
                        hostedZoneId: EUW1_ZONE,
                    },
                },
                { region: "eu-west-1" },
            );
            const r = record("api-record", { ...alias(EUW1_HOST, "ZSOMETHINGELSE") });
            assert.deepStrictEqual(findingsOf(rule(id), [v2, r]), [
                finding(
                    id,
                    r,
                    'Alias api.example.com A targets d-def456.execute-api.eu-west-1.amazonaws.com, the domainNameConfiguration.targetDomainName of http-domain, with zone id ZSOMETHINGELSE instead of its domainNameConfiguration.hostedZoneId ZAPIGWEUWEST1: Route 53 rejects it ("alias target name does not lie within the target zone") or answers for the wrong endpoint. Take name and zoneId from the same domain: domainNameConfiguration.targetDomainName with domainNameConfiguration.hostedZoneId.',
                ),
            ]);
        });

        it("reports the edge fields of a REGIONAL domain", () => {
            const domain = restDomain("api-domain", "us-east-1", {
                regionalDomainName: USE1_HOST,
                regionalZoneId: USE1_ZONE,
                cloudfrontDomainName: "",
                cloudfrontZoneId: CLOUDFRONT,
            });
            const linked = dependingOn(domain.urn);
            const emptyName = record("edge-name", { ...alias("", CLOUDFRONT, false) }, linked);
            const edgeZone = record(
                "edge-zone",
                { ...alias(UNKNOWN, CLOUDFRONT, false), name: "www.example.com" },
                linked,
            );
            assert.deepStrictEqual(findingsOf(rule(id), [domain, emptyName, edgeZone]), [
                finding(
                    id,
                    emptyName,
                    "Alias api.example.com A targets an empty name, the cloudfrontDomainName of api-domain, a REGIONAL custom domain without a CloudFront distribution: Route 53 rejects it or serves the wrong endpoint. Use api-domain's regionalDomainName with its regionalZoneId.",
                ),
                finding(
                    id,
                    edgeZone,
                    "Alias www.example.com A uses CloudFront's zone id Z2FDTNDATAQYW2 (cloudfrontZoneId) for the REGIONAL custom domain api-domain, which has no CloudFront distribution: Route 53 rejects it or serves the wrong endpoint. Use the domain's regionalDomainName with its regionalZoneId.",
                ),
            ]);
        });

        it("passes matching pairs, an edge domain's CloudFront target and unknown targets", () => {
            const use1 = restDomain("use1-domain", "us-east-1", {
                regionalDomainName: USE1_HOST,
                regionalZoneId: USE1_ZONE,
            });
            const edge = snap(T.domainName, "edge-domain", { domainName: "edge.example.com" });
            const linked = dependingOn(edge.urn);
            const resources = [
                use1,
                edge,
                record("regional", { ...alias(USE1_HOST.toUpperCase(), USE1_ZONE.toLowerCase()) }),
                record(
                    "cloudfront",
                    {
                        ...alias("d111.cloudfront.net", CLOUDFRONT, false),
                        name: "edge.example.com",
                    },
                    linked,
                ),
                record(
                    "unknown",
                    { ...alias(UNKNOWN, CLOUDFRONT, false), name: "www.example.com" },
                    linked,
                ),
                record("to-record", {
                    ...alias("origin.example.com", ZONE, false),
                    name: "x.example.com",
                }),
                // A CloudFront distribution in front of the regional domain.
                record(
                    "distribution",
                    { ...alias(UNKNOWN, CLOUDFRONT, false), name: "cdn.example.com" },
                    dependingOn(use1.urn, DISTRIBUTION_URN),
                ),
                record(
                    "distribution-host",
                    {
                        ...alias("d222.cloudfront.net", CLOUDFRONT, false),
                        name: "cdn2.example.com",
                    },
                    dependingOn(use1.urn),
                ),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("alias-cloudfront-target-health", () => {
        const id = "alias-cloudfront-target-health";

        it("reports an alias to CloudFront that evaluates target health", () => {
            const r = record("edge-record", { ...alias(UNKNOWN, CLOUDFRONT, true) });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Alias api.example.com A targets CloudFront (zone Z2FDTNDATAQYW2) with evaluateTargetHealth true: AWS does not allow target health on CloudFront distributions, so the setting guards nothing and may be rejected. Set evaluateTargetHealth to false, and set healthCheckId where the record must fail over.",
                ),
            ]);
        });

        it("passes CloudFront without target health and API Gateway with it", () => {
            const resources = [
                record("edge", { ...alias("d111.cloudfront.net", CLOUDFRONT, false) }),
                record("regional", { ...alias(USE1_HOST, USE1_ZONE, true) }),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("health-checked-ttl-over-60", () => {
        const id = "health-checked-ttl-over-60";

        it("reports a health-checked record with a long TTL", () => {
            const r = record("api-record", {
                type: "CNAME",
                ttl: 300,
                records: [USE1_HOST],
                ...guarded,
            });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Record api.example.com CNAME has a health check and a ttl of 300 seconds: resolvers keep answering with a failed region for up to 300 seconds after Route 53 fails over. Set ttl to 60 or less.",
                ),
            ]);
        });

        it("reports a failover record with a long TTL given as a string", () => {
            const r = record("secondary-record", {
                ...failover("SECONDARY"),
                type: "CNAME",
                ttl: "120",
                records: [EUW1_HOST],
            });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Record api.example.com CNAME is a failover record with a ttl of 120 seconds: resolvers keep answering with a failed region for up to 120 seconds after Route 53 fails over. Set ttl to 60 or less.",
                ),
            ]);
        });

        it("passes TTLs of 60 or less, unguarded simple records and aliases", () => {
            const resources = [
                record("short", { type: "CNAME", ttl: 60, records: [USE1_HOST], ...guarded }),
                record("simple", {
                    type: "CNAME",
                    ttl: 3600,
                    records: [USE1_HOST],
                    name: "www.example.com",
                }),
                record("alias", { ...failover("PRIMARY"), ...alias(USE1_HOST), ...guarded }),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("cname-beside-other-types", () => {
        const id = "cname-beside-other-types";

        it("reports a CNAME beside records of another type at the same name", () => {
            const p = record(
                "primary-record",
                {
                    ...failover("PRIMARY"),
                    type: "CNAME",
                    ttl: 30,
                    records: [USE1_HOST],
                    ...guarded,
                },
                { stack: "use1" },
            );
            const s = record(
                "secondary-record",
                { ...failover("SECONDARY"), ...alias(EUW1_HOST, EUW1_ZONE), ...guarded },
                { stack: "euw1" },
            );
            assert.deepStrictEqual(findingsOf(rule(id), [p, s], { wholeDeployment: false }), [
                finding(
                    id,
                    p,
                    "api.example.com has a CNAME record (use1/primary-record) beside A records (euw1/secondary-record): DNS allows no other record at a CNAME's name, so Route 53 rejects whichever is created second. Use one kind of record at api.example.com, for example alias A records instead of the CNAME.",
                ),
            ]);
        });

        it("passes CNAMEs alone at their name", () => {
            const resources = [
                record("p", {
                    ...failover("PRIMARY"),
                    type: "CNAME",
                    ttl: 30,
                    records: [USE1_HOST],
                    ...guarded,
                }),
                record("s", {
                    ...failover("SECONDARY"),
                    type: "CNAME",
                    ttl: 30,
                    records: [EUW1_HOST],
                    ...guarded,
                }),
                record("www", { ...alias(USE1_HOST), name: "www.example.com" }),
                record("other-zone", { ...alias(USE1_HOST), zoneId: "ZOTHER" }),
                // A record whose type is not known yet is no other type.
                record("later", { ...alias(USE1_HOST), type: UNKNOWN }),
                record("untyped", { ...alias(USE1_HOST), type: undefined }),
            ];
            assert.deepStrictEqual(findingsOf(rule(id), resources), []);
        });
    });

    describe("with values unknown until deployed, or of odd shapes", () => {
        const unknownRecords = [
            record("all-unknown", {
                zoneId: UNKNOWN,
                name: UNKNOWN,
                type: UNKNOWN,
                ttl: UNKNOWN,
                records: UNKNOWN,
                aliases: UNKNOWN,
                setIdentifier: UNKNOWN,
                healthCheckId: UNKNOWN,
                failoverRoutingPolicies: UNKNOWN,
                latencyRoutingPolicies: UNKNOWN,
                weightedRoutingPolicies: UNKNOWN,
                geoproximityRoutingPolicy: UNKNOWN,
                multivalueAnswerRoutingPolicy: UNKNOWN,
            }),
            record("unknown-inside", {
                name: "inside.example.com",
                ...failover(UNKNOWN, UNKNOWN),
                aliases: [UNKNOWN],
            }),
            record("unknown-latency", {
                name: "latency.example.com",
                latencyRoutingPolicies: [{ region: UNKNOWN }],
                setIdentifier: UNKNOWN,
                ...alias(UNKNOWN, UNKNOWN, UNKNOWN),
            }),
            // Alone at its name: the record of unknown name might be its SECONDARY.
            record("unknown-primary", {
                name: "primary.example.com",
                ...failover("PRIMARY"),
                ...alias(USE1_HOST, UNKNOWN, UNKNOWN),
            }),
            record("unknown-ttl", {
                name: "ttl.example.com",
                ...failover("SECONDARY"),
                type: "CNAME",
                ttl: UNKNOWN,
                records: [UNKNOWN],
                ...guarded,
            }),
            snap(T.domainName, "unknown-domain", {
                domainName: UNKNOWN,
                endpointConfiguration: UNKNOWN,
                regionalDomainName: UNKNOWN,
                regionalZoneId: UNKNOWN,
            }),
            snap(T.domainNameV2, "unknown-v2", { domainNameConfiguration: UNKNOWN }),
        ];

        it("report nothing and do not crash", () => {
            for (const ctx of [{ wholeDeployment: true }, { wholeDeployment: false }]) {
                assert.deepStrictEqual(runRules(RECORD_RULES, unknownRecords, ctx), []);
            }
        });

        it("do not crash on shapes no engine should send", () => {
            const odd = [
                record("strings", {
                    zoneId: 42,
                    name: ["api"],
                    type: null,
                    ttl: "soon",
                    records: "192.0.2.1",
                    aliases: "alias",
                    failoverRoutingPolicies: "PRIMARY",
                    latencyRoutingPolicies: [null],
                    setIdentifier: { id: 1 },
                    healthCheckId: "",
                }),
                record("objects", {
                    aliases: { name: 7, zoneId: {}, evaluateTargetHealth: "maybe" },
                    failoverRoutingPolicies: { type: "PRIMARY" },
                    latencyRoutingPolicies: [{ region: 12 }],
                }),
                snap(T.domainName, "odd-domain", {
                    endpointConfiguration: "REGIONAL",
                    regionalDomainName: 3,
                }),
                snap(T.domainNameV2, "odd-v2", { domainNameConfiguration: ["x"] }),
            ];
            const found = runRules(RECORD_RULES, odd, { wholeDeployment: true });
            for (const f of found) {
                assert.doesNotMatch(f.message, /undefined|null|NaN|\[object Object\]/, f.message);
            }
        });
    });

    describe("failover-pair: one statement per record", () => {
        it("says two PRIMARY and no SECONDARY once per record, never 'a PRIMARY ... but no SECONDARY' beside it", () => {
            const a = record(
                "east",
                { ...failover("PRIMARY", "a"), ...guarded },
                { stack: "use1" },
            );
            const b = record(
                "west",
                { ...failover("PRIMARY", "b"), ...guarded },
                { stack: "euw1" },
            );
            const message =
                "api.example.com A has two PRIMARY failover records (euw1/west, use1/east) and no SECONDARY anywhere in the deployment: Route 53 rejects the second PRIMARY, and nothing is left to fail over to. Make one of them the SECONDARY (the other region's record), so the name and type has one PRIMARY and one SECONDARY.";
            assert.deepStrictEqual(findingsOf(rule("failover-pair"), [a, b]), [
                finding("failover-pair", b, message),
                finding("failover-pair", a, message),
            ]);
        });
    });

    describe("health-check-region-mismatch", () => {
        const id = "health-check-region-mismatch";
        const check = (name: string, fqdn: unknown, deps: ResourceSnapshot[] = []) =>
            snap(
                T.healthCheck,
                name,
                { type: "HTTPS", fqdn, port: 443, resourcePath: "/health" },
                dependingOn(...deps),
            );
        const domain = (name: string, host: string, region: string) =>
            snap(
                T.domainName,
                name,
                { domainName: host, endpointConfiguration: { types: "REGIONAL" } },
                { region },
            );
        const use1 = domain("use1", "use1.api.example.com", "us-east-1");
        const euw1 = domain("euw1", "euw1.api.example.com", "eu-west-1");

        it("reports a PRIMARY alias to eu-west-1 guarded by the us-east-1 check", () => {
            const c = check("use1-check", "use1.api.example.com");
            const r = record("primary", {
                ...failover("PRIMARY"),
                ...alias(EUW1_HOST, EUW1_ZONE),
                healthCheckId: "use1-check-id",
            });
            assert.deepStrictEqual(findingsOf(rule(id), [use1, euw1, c, r]), [
                finding(
                    id,
                    r,
                    `Failover record api.example.com A sends clients to eu-west-1 (${EUW1_HOST}) but its health check "use1-check" (us-east-1: use1.api.example.com, custom domain use1) checks us-east-1: Route 53 judges us-east-1's health and routes to eu-west-1, so an outage in eu-west-1 never takes the record out, and one in us-east-1 takes out a healthy region. Point the health check at eu-west-1's own hostname, or the record at the custom domain of the region it checks.`,
                ),
            ]);
            const right = record("primary", {
                ...failover("PRIMARY"),
                ...alias(USE1_HOST),
                healthCheckId: "use1-check-id",
            });
            assert.deepStrictEqual(findingsOf(rule(id), [use1, euw1, c, right]), []);
        });

        it("looks through a CALCULATED check to its endpoint children, and through dependsOn", () => {
            const c = check("euw1-check", UNKNOWN, [euw1]);
            const calc = snap(
                T.healthCheck,
                "calc",
                { type: "CALCULATED", childHealthchecks: [UNKNOWN], childHealthThreshold: 1 },
                dependingOn(c),
            );
            const r = record(
                "use1",
                { ...latency("us-east-1"), ...alias(UNKNOWN, UNKNOWN), healthCheckId: UNKNOWN },
                dependingOn(use1, calc),
            );
            const found = findingsOf(rule(id), [use1, euw1, c, calc, r]);
            assert.equal(found.length, 1);
            assert.match(
                found[0].message,
                /^Latency record api\.example\.com A sends clients to us-east-1 \(custom domain use1\) but its health check "euw1-check" \(eu-west-1: custom domain euw1\) checks eu-west-1:/,
            );
        });
    });

    describe("record-targets-default-endpoint", () => {
        const id = "record-targets-default-endpoint";

        it("reports an alias to an API's default execute-api host", () => {
            const r = record("primary", {
                ...failover("PRIMARY"),
                ...guarded,
                ...alias("abc123.execute-api.us-east-1.amazonaws.com"),
            });
            assert.deepStrictEqual(findingsOf(rule(id), [r]), [
                finding(
                    id,
                    r,
                    "Alias api.example.com A targets abc123.execute-api.us-east-1.amazonaws.com, the default execute-api endpoint of API abc123 in us-east-1, not a custom domain: AWS takes an API Gateway alias target only as a custom domain's regionalDomainName (an edge domain's CloudFront name) for a record named like the custom domain, so Route 53 refuses the record, and clients would bypass the custom domain's certificate and mappings anyway. Create a custom domain for api.example.com in us-east-1 (aws.apigateway.DomainName with a BasePathMapping, or aws.apigatewayv2.DomainName with an ApiMapping) and alias its regionalDomainName with its regionalZoneId.",
                ),
            ]);
        });

        it("reports a CNAME to it, and passes a custom domain's d-... target", () => {
            const cname = record("api", {
                type: "CNAME",
                ttl: 60,
                records: ["abc123.execute-api.eu-west-1.amazonaws.com"],
            });
            assert.deepStrictEqual(findingsOf(rule(id), [cname]), [
                finding(
                    id,
                    cname,
                    "Record api.example.com CNAME points to abc123.execute-api.eu-west-1.amazonaws.com, the default execute-api endpoint of API abc123 in eu-west-1, not a custom domain: clients asking for api.example.com reach an endpoint whose certificate covers only *.execute-api.eu-west-1.amazonaws.com and which knows no api.example.com, so HTTPS clients fail the certificate check, and API Gateway answers 403 Forbidden to a host it does not serve. Create a custom domain for api.example.com in eu-west-1 (aws.apigateway.DomainName with a BasePathMapping, or aws.apigatewayv2.DomainName with an ApiMapping) and alias its regionalDomainName with its regionalZoneId.",
                ),
            ]);
            assert.deepStrictEqual(findingsOf(rule(id), [record("ok", alias(USE1_HOST))]), []);
            assert.deepStrictEqual(findingsOf(rule(id), [record("unknown", alias(UNKNOWN))]), []);
        });
    });

    describe("on this project's records", () => {
        /** One region's records as RegionalApi and FailoverDomain create them. */
        function region(
            stack: string,
            regionName: string,
            host: string,
            apiZone: string,
            routed: Record<string, unknown>,
        ): ResourceSnapshot[] {
            const at = { stack, region: regionName };
            const service = restDomain(`${stack}-service-domain`, regionName, {
                regionalDomainName: host,
                regionalZoneId: apiZone,
            });
            const regional = restDomain(`${stack}-regional-domain`, regionName, {
                domainName: `${stack}.api.example.com`,
                regionalDomainName: host.replace("d-", "d-r"),
                regionalZoneId: apiZone,
            });
            const dependsOn = (d: ResourceSnapshot) => dependingOn(d.urn);
            return [
                { ...service, stack },
                { ...regional, stack },
                record(
                    `${stack}-validation`,
                    {
                        name: "_abc.api.example.com.",
                        type: "CNAME",
                        ttl: 300,
                        records: ["_x.acm-validations.aws."],
                        allowOverwrite: true,
                    },
                    at,
                ),
                record(
                    `${stack}-regional-alias`,
                    {
                        name: `${stack}.api.example.com`,
                        ...alias(host.replace("d-", "d-r"), apiZone, false),
                    },
                    { ...at, ...dependsOn(regional) },
                ),
                record(
                    `${stack}-record`,
                    { healthCheckId: "hc", ...routed },
                    { ...at, ...dependsOn(service) },
                ),
            ];
        }

        const routedAlias = (host: string, zone: string) => alias(host, zone, true);
        const routedCname = (host: string) => ({ type: "CNAME", ttl: 10, records: [host] });

        for (const [mode, use1, euw1] of [
            [
                "failover alias",
                { ...failover("PRIMARY"), ...routedAlias(USE1_HOST, USE1_ZONE) },
                { ...failover("SECONDARY"), ...routedAlias(EUW1_HOST, EUW1_ZONE) },
            ],
            [
                "failover CNAME",
                { ...failover("PRIMARY"), ...routedCname(USE1_HOST) },
                { ...failover("SECONDARY"), ...routedCname(EUW1_HOST) },
            ],
            [
                "latency alias",
                { ...latency("us-east-1"), ...routedAlias(USE1_HOST, USE1_ZONE) },
                { ...latency("eu-west-1"), ...routedAlias(EUW1_HOST, EUW1_ZONE) },
            ],
            [
                "latency CNAME",
                { ...latency("us-east-1"), ...routedCname(USE1_HOST) },
                { ...latency("eu-west-1"), ...routedCname(EUW1_HOST) },
            ],
        ] as const) {
            it(`find nothing in ${mode} routing`, () => {
                const resources = [
                    ...region("use1", "us-east-1", USE1_HOST, USE1_ZONE, use1),
                    ...region("euw1", "eu-west-1", EUW1_HOST, EUW1_ZONE, euw1),
                ];
                assert.deepStrictEqual(
                    runRules(RECORD_RULES, resources, { wholeDeployment: true }),
                    [],
                );
            });
        }
    });
});
