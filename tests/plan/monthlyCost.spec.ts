import { strict as assert } from "node:assert";
import { CostLine, monthlyCost, PRICES, RoutedRecord } from "../../plan/monthlyCost";
import { SimHealthCheck } from "../../plan/route53Simulator";

const BASE = "Route 53 health check, AWS endpoint";
const HTTPS = "Health check optional feature: HTTPS";
const STR = "Health check optional feature: string matching";
const FAST = "Health check optional feature: fast interval (10 s)";
const LATENCY = "Health check optional feature: latency measurement";
const CALC = "Route 53 health check, CALCULATED (priced as AWS endpoint)";
const METRIC = "Route 53 health check, CLOUDWATCH_METRIC (priced as AWS endpoint)";
const ALARM = "CloudWatch alarm, standard resolution";
const ZONE = "Route 53 hosted zone (share)";
const PRICING = "https://aws.amazon.com/route53/pricing/";
const ALIAS_FREE =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-api-gateway.html";
const STANDARD_QUERIES =
    "$0.40 per million standard queries (first 1 billion per month), $0.20 per million after";
const LATENCY_QUERIES =
    "$0.60 per million latency-based routing queries (first 1 billion per month), $0.30 per million after";
const BEYOND_25_ZONES = `$0.10 per hosted zone per month beyond 25 zones (${PRICING}).`;

function line(item: string, count: number, unitUsd: number, usd: number): CostLine {
    return { item, count, unitUsd, usd };
}

const endpoint = (id: string, extra: Partial<SimHealthCheck> = {}): SimHealthCheck => ({
    id,
    type: "HTTPS_STR_MATCH",
    requestInterval: 30,
    ...extra,
});
const calculated: SimHealthCheck = {
    id: "guard",
    type: "CALCULATED",
    childHealthchecks: ["use1", "switch"],
    childHealthThreshold: 2,
};
const metric: SimHealthCheck = {
    id: "switch",
    type: "CLOUDWATCH_METRIC",
    cloudwatchAlarmName: "failover-switch",
    cloudwatchAlarmRegion: "eu-west-1",
};

describe("monthlyCost", () => {
    const rows: {
        title: string;
        checks: SimHealthCheck[];
        alarmCount?: number;
        hostedZoneShare?: number;
        lines: CostLine[];
        total: number;
    }[] = [
        {
            title: "worked example: 2 regions, HTTPS_STR_MATCH, 10 s => 2 × (0.50 + 3 × 1.00) = $7.00",
            checks: [
                endpoint("use1", { requestInterval: 10 }),
                endpoint("euw1", { requestInterval: 10 }),
            ],
            lines: [
                line(BASE, 2, 0.5, 1),
                line(HTTPS, 2, 1, 2),
                line(STR, 2, 1, 2),
                line(FAST, 2, 1, 2),
            ],
            total: 7,
        },
        {
            title: "project: 2 × HTTPS_STR_MATCH 30 s + CALCULATED + CLOUDWATCH_METRIC + 1 alarm + half a zone",
            checks: [endpoint("use1"), endpoint("euw1"), calculated, metric],
            alarmCount: 1,
            hostedZoneShare: 0.5,
            lines: [
                line(BASE, 2, 0.5, 1),
                line(HTTPS, 2, 1, 2),
                line(STR, 2, 1, 2),
                line(CALC, 1, 0.5, 0.5),
                line(METRIC, 1, 0.5, 0.5),
                line(ALARM, 1, 0.1, 0.1),
                line(ZONE, 0.5, 0.5, 0.25),
            ],
            total: 6.35,
        },
        {
            title: "plain HTTP and TCP checks at 30 s: base price only",
            checks: [endpoint("a", { type: "HTTP" }), endpoint("b", { type: "TCP" })],
            lines: [line(BASE, 2, 0.5, 1)],
            total: 1,
        },
        {
            title: "HTTPS with latency measurement: base + 2 features",
            checks: [endpoint("a", { type: "HTTPS", measureLatency: true })],
            lines: [line(BASE, 1, 0.5, 0.5), line(HTTPS, 1, 1, 1), line(LATENCY, 1, 1, 1)],
            total: 2.5,
        },
        {
            title: "HTTP_STR_MATCH at 10 s: string matching and fast interval, no HTTPS",
            checks: [endpoint("a", { type: "HTTP_STR_MATCH", requestInterval: 10 })],
            lines: [line(BASE, 1, 0.5, 0.5), line(STR, 1, 1, 1), line(FAST, 1, 1, 1)],
            total: 2.5,
        },
        {
            title: "disabled health checks are still billed",
            checks: [endpoint("a", { type: "HTTP", disabled: true })],
            lines: [line(BASE, 1, 0.5, 0.5)],
            total: 0.5,
        },
        {
            title: "twelve alarms, no free tier: $1.20",
            checks: [],
            alarmCount: 12,
            lines: [line(ALARM, 12, 0.1, 1.2)],
            total: 1.2,
        },
        {
            title: "a third of a zone rounds to cents",
            checks: [],
            hostedZoneShare: 1 / 3,
            lines: [line(ZONE, 1 / 3, 0.5, 0.17)],
            total: 0.17,
        },
        {
            title: "half a cent rounds up despite binary floating point: 2.01 × $0.50 = $1.01",
            checks: [],
            hostedZoneShare: 2.01,
            lines: [line(ZONE, 2.01, 0.5, 1.01)],
            total: 1.01,
        },
        {
            title: "sums round to cents: 3 × $0.10 = $0.30, not 0.30000000000000004",
            checks: [],
            alarmCount: 3,
            lines: [line(ALARM, 3, 0.1, 0.3)],
            total: 0.3,
        },
        { title: "nothing costs nothing", checks: [], lines: [], total: 0 },
    ];
    for (const row of rows) {
        it(row.title, () => {
            const cost = monthlyCost({
                checks: row.checks,
                alarmCount: row.alarmCount ?? 0,
                hostedZoneShare: row.hostedZoneShare ?? 0,
            });
            assert.deepEqual(
                { lines: cost.lines, total: cost.totalUsd },
                { lines: row.lines, total: row.total },
            );
        });
    }

    it("without routed records, the rates list every query price that could apply", () => {
        assert.deepEqual(monthlyCost({ checks: [], alarmCount: 0, hostedZoneShare: 0 }).rates, [
            `${STANDARD_QUERIES} (${PRICING}).`,
            `${LATENCY_QUERIES} (${PRICING}).`,
            `Alias records to API Gateway: queries are free (${ALIAS_FREE}).`,
            BEYOND_25_ZONES,
        ]);
    });

    describe("query rates per routed record kind", () => {
        const failoverCname10 = `Failover CNAME records (TTL 10 s): ${STANDARD_QUERIES} (${PRICING}). Worst case, a resolver that honours the TTL asks 2,592,000 s (30 days) / 10 s = 259,200 times a month per routed name; 1,000 such resolvers: 1,000 × 259,200 = 259,200,000 queries × $0.40 per million = $103.68 a month at the first-tier rate.`;
        const rows: { title: string; routedRecords: RoutedRecord[]; rates: string[] }[] = [
            {
                title: "failover alias pair: free",
                routedRecords: [
                    { policy: "failover", kind: "alias" },
                    { policy: "failover", kind: "alias" },
                ],
                rates: [`Failover alias records to API Gateway: queries are free (${ALIAS_FREE}).`],
            },
            {
                title: "latency alias records: free",
                routedRecords: [{ policy: "latency", kind: "alias" }],
                rates: [`Latency alias records to API Gateway: queries are free (${ALIAS_FREE}).`],
            },
            {
                title: "failover CNAME pair, TTL 10 s: standard rate, 259,200 queries per resolver, $103.68 for 1,000",
                routedRecords: [
                    { policy: "failover", kind: "cname", ttl: 10 },
                    { policy: "failover", kind: "cname", ttl: 10 },
                ],
                rates: [failoverCname10],
            },
            {
                title: "latency CNAME records, TTL 60 s: latency rate, 43,200 queries per resolver, $25.92 for 1,000",
                routedRecords: [{ policy: "latency", kind: "cname", ttl: 60 }],
                rates: [
                    `Latency CNAME records (TTL 60 s): ${LATENCY_QUERIES} (${PRICING}). Worst case, a resolver that honours the TTL asks 2,592,000 s (30 days) / 60 s = 43,200 times a month per routed name; 1,000 such resolvers: 1,000 × 43,200 = 43,200,000 queries × $0.60 per million = $25.92 a month at the first-tier rate.`,
                ],
            },
            {
                title: "TTL that does not divide the month: 370,285.7 rounds up to 370,286, $148.11 for 1,000",
                routedRecords: [{ policy: "failover", kind: "cname", ttl: 7 }],
                rates: [
                    `Failover CNAME records (TTL 7 s): ${STANDARD_QUERIES} (${PRICING}). Worst case, a resolver that honours the TTL asks 2,592,000 s (30 days) / 7 s = 370,286 (rounded up) times a month per routed name; 1,000 such resolvers: 1,000 × 370,286 = 370,286,000 queries × $0.40 per million = $148.11 a month at the first-tier rate.`,
                ],
            },
            {
                title: "latency CNAME, TTL 1 s: $1,555.20 for 1,000 resolvers at the first-tier rate",
                routedRecords: [{ policy: "latency", kind: "cname", ttl: 1 }],
                rates: [
                    `Latency CNAME records (TTL 1 s): ${LATENCY_QUERIES} (${PRICING}). Worst case, a resolver that honours the TTL asks 2,592,000 s (30 days) / 1 s = 2,592,000 times a month per routed name; 1,000 such resolvers: 1,000 × 2,592,000 = 2,592,000,000 queries × $0.60 per million = $1,555.20 a month at the first-tier rate.`,
                ],
            },
            {
                title: "CNAME with TTL 0: no per-resolver bound",
                routedRecords: [{ policy: "failover", kind: "cname", ttl: 0 }],
                rates: [
                    `Failover CNAME records (TTL 0 s): ${STANDARD_QUERIES} (${PRICING}). With TTL 0 resolvers do not cache the answer, so every client lookup is a billed query: there is no per-resolver bound.`,
                ],
            },
            {
                title: "several kinds: one rate each, failover before latency, alias before CNAME, shorter TTL first",
                routedRecords: [
                    { policy: "latency", kind: "alias" },
                    { policy: "failover", kind: "cname", ttl: 60 },
                    { policy: "failover", kind: "cname", ttl: 10 },
                    { policy: "failover", kind: "alias" },
                ],
                rates: [
                    `Failover alias records to API Gateway: queries are free (${ALIAS_FREE}).`,
                    failoverCname10,
                    `Failover CNAME records (TTL 60 s): ${STANDARD_QUERIES} (${PRICING}). Worst case, a resolver that honours the TTL asks 2,592,000 s (30 days) / 60 s = 43,200 times a month per routed name; 1,000 such resolvers: 1,000 × 43,200 = 43,200,000 queries × $0.40 per million = $17.28 a month at the first-tier rate.`,
                    `Latency alias records to API Gateway: queries are free (${ALIAS_FREE}).`,
                ],
            },
            { title: "no routed records: no query rates", routedRecords: [], rates: [] },
        ];
        for (const row of rows) {
            it(row.title, () => {
                const cost = monthlyCost({
                    checks: [],
                    alarmCount: 0,
                    hostedZoneShare: 0,
                    routedRecords: row.routedRecords,
                });
                assert.deepEqual(cost.rates, [...row.rates, BEYOND_25_ZONES]);
                assert.equal(cost.totalUsd, 0);
            });
        }
    });

    it("states its assumptions, including the UNCONFIRMED price class of CALCULATED/CLOUDWATCH_METRIC", () => {
        const cost = monthlyCost({
            checks: [calculated, metric],
            alarmCount: 1,
            hostedZoneShare: 1,
        });
        assert.deepEqual(cost.assumptions, [
            `Prices from ${PRICES.source}, read 2026-09-20; Route 53 amounts are confirmed by transcription, not read from the AWS page itself.`,
            "Every endpoint health check is priced as an AWS endpoint ($0.50 + $1.00 per optional feature); whether an API Gateway custom domain counts as an AWS endpoint is UNCONFIRMED (non-AWS: $0.75 + $2.00 per feature).",
            "CALCULATED and CLOUDWATCH_METRIC health checks are priced at the AWS-endpoint base $0.50 with no optional features: their price class is UNCONFIRMED.",
            "The free tier of 50 AWS-endpoint health checks is ignored (the account may already use it).",
            "Disabled health checks are billed like enabled ones (Disabled, https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).",
            "CloudWatch alarms at $0.10 per standard-resolution alarm metric; the free tier of 10 alarm metrics is ignored.",
            "Hosted zone at $0.50 per month (first 25 zones) × the given share; records beyond 10,000 are not counted.",
            "Query charges depend on traffic and are listed as rates, not included in the total.",
        ]);
    });

    it("leaves the UNCONFIRMED price-class sentence out when only endpoint checks are priced", () => {
        const cost = monthlyCost({ checks: [endpoint("a")], alarmCount: 0, hostedZoneShare: 0 });
        assert.equal(cost.assumptions.filter((a) => a.includes("price class")).length, 0);
    });

    it("the price table names its source and date", () => {
        assert.equal(PRICES.readOn, "2026-09-20");
        assert.match(PRICES.source, /aws\.amazon\.com\/route53\/pricing/);
        assert.match(PRICES.source, /aws\.amazon\.com\/cloudwatch\/pricing/);
    });

    const errors: {
        title: string;
        alarmCount: number;
        hostedZoneShare: number;
        checks: SimHealthCheck[];
        routedRecords?: RoutedRecord[];
        message: string;
    }[] = [
        {
            title: "negative alarm count",
            alarmCount: -1,
            hostedZoneShare: 0,
            checks: [],
            message: "alarmCount must be a whole number >= 0, got -1",
        },
        {
            title: "fractional alarm count",
            alarmCount: 1.5,
            hostedZoneShare: 0,
            checks: [],
            message: "alarmCount must be a whole number >= 0, got 1.5",
        },
        {
            title: "negative zone share",
            alarmCount: 0,
            hostedZoneShare: -0.5,
            checks: [],
            message: "hostedZoneShare must be a number >= 0, got -0.5",
        },
    ];
    for (const row of errors) {
        it(`throws: ${row.title}`, () => {
            assert.throws(
                () =>
                    monthlyCost({
                        checks: row.checks,
                        alarmCount: row.alarmCount,
                        hostedZoneShare: row.hostedZoneShare,
                        routedRecords: row.routedRecords,
                    }),
                { message: row.message },
            );
        });
    }

    describe("what cannot be priced is named and left out; the rest is priced", () => {
        const rows: {
            title: string;
            checks?: SimHealthCheck[];
            routedRecords?: RoutedRecord[];
            notComputed: string[];
        }[] = [
            {
                title: "unknown check type",
                checks: [{ id: "dev/bad", type: "https" }],
                notComputed: [
                    'Health check "dev/bad" has unknown type "https": it is not priced, nor in the total.',
                ],
            },
            {
                title: "a check without a type",
                checks: [{ id: "dev/bad" } as SimHealthCheck],
                notComputed: [
                    'Health check "dev/bad" has no type: it is not priced, nor in the total.',
                ],
            },
            {
                title: "RECOVERY_CONTROL is not modelled",
                checks: [{ id: "dev/arc", type: "RECOVERY_CONTROL" }],
                notComputed: [
                    'Health check "dev/arc" is RECOVERY_CONTROL (a Route 53 ARC routing control), which is not modelled: it is not priced, nor in the total.',
                ],
            },
            {
                title: "CNAME without a ttl (named by its label, Pulumi's field name)",
                routedRecords: [{ label: "dev/api", policy: "latency", kind: "cname" }],
                notComputed: [
                    'Record "dev/api" (latency, cname) has no ttl; non-alias records need one: its query price is not computed.',
                ],
            },
            {
                title: "CNAME with a fractional ttl",
                routedRecords: [{ label: "dev/api", policy: "failover", kind: "cname", ttl: 2.5 }],
                notComputed: [
                    'Record "dev/api" (failover, cname) has ttl 2.5; expected a whole number of seconds >= 0: its query price is not computed.',
                ],
            },
            {
                title: "alias with a ttl, without a label",
                routedRecords: [{ policy: "failover", kind: "alias", ttl: 60 }],
                notComputed: [
                    "A routed failover alias record has ttl 60; alias records have no TTL of their own: its query price is not computed.",
                ],
            },
            {
                title: "a weighted CNAME: no price in the table",
                routedRecords: [
                    { label: "dev/w", policy: "weighted routing", kind: "cname", ttl: 60 },
                ],
                notComputed: [
                    'Record "dev/w" (weighted routing, cname): the query price of weighted routing is not in the price table (failover and latency only): its query price is not computed.',
                ],
            },
        ];
        for (const row of rows) {
            it(row.title, () => {
                const cost = monthlyCost({
                    checks: [...(row.checks ?? []), endpoint("dev/ok")],
                    alarmCount: 0,
                    hostedZoneShare: 0,
                    routedRecords: [
                        ...(row.routedRecords ?? []),
                        { policy: "failover", kind: "alias" },
                    ],
                });
                assert.deepEqual(cost.notComputed, row.notComputed);
                // The rest is still priced: one HTTPS_STR_MATCH check, the free alias queries.
                assert.equal(cost.totalUsd, 2.5);
                assert.deepEqual(cost.rates, [
                    `Failover alias records to API Gateway: queries are free (${ALIAS_FREE}).`,
                    BEYOND_25_ZONES,
                ]);
            });
        }

        it("a weighted alias record's queries are free like any alias to API Gateway", () => {
            const cost = monthlyCost({
                checks: [],
                alarmCount: 0,
                hostedZoneShare: 0,
                routedRecords: [{ label: "dev/w", policy: "weighted routing", kind: "alias" }],
            });
            assert.deepEqual(cost.notComputed, []);
            assert.deepEqual(cost.rates, [
                `Weighted routing alias records to API Gateway: queries are free (${ALIAS_FREE}).`,
                BEYOND_25_ZONES,
            ]);
        });
    });

    describe("AWS WAF", () => {
        it("prices each web ACL and its rules, and lists WAF's request price as a rate", () => {
            const cost = monthlyCost({
                checks: [],
                alarmCount: 0,
                hostedZoneShare: 0,
                routedRecords: [],
                webAclRules: [3, 2],
            });
            assert.deepEqual(cost.lines, [
                { item: "AWS WAF web ACL", count: 2, unitUsd: PRICES.wafWebAcl, usd: 10 },
                { item: "AWS WAF rule", count: 5, unitUsd: PRICES.wafRule, usd: 5 },
            ]);
            assert.equal(cost.totalUsd, 15);
            assert.equal(
                cost.rates.at(-1),
                "$0.60 per million requests an AWS WAF web ACL inspects, blocked ones included (https://aws.amazon.com/waf/pricing/).",
            );
        });

        it("refuses a rule count that is not a whole number", () => {
            assert.throws(
                () =>
                    monthlyCost({
                        checks: [],
                        alarmCount: 0,
                        hostedZoneShare: 0,
                        webAclRules: [1.5],
                    }),
                { message: "webAclRules must be whole numbers >= 0, got 1.5" },
            );
        });
    });
});
