import { strict as assert } from "node:assert";
import { CostLine, monthlyCost, PRICES, roundCents } from "../../plan/monthlyCost";
import { SimHealthCheck } from "../../plan/route53Simulator";

// Section numbers in test titles refer to shared/reference/route53-semantics.md.

const BASE = "Route 53 health check, AWS endpoint";
const HTTPS = "Health check optional feature: HTTPS";
const STR = "Health check optional feature: string matching";
const FAST = "Health check optional feature: fast interval (10 s)";
const LATENCY = "Health check optional feature: latency measurement";
const CALC = "Route 53 health check, CALCULATED (priced as AWS endpoint)";
const METRIC = "Route 53 health check, CLOUDWATCH_METRIC (priced as AWS endpoint)";
const RC = "Route 53 health check, RECOVERY_CONTROL (priced as AWS endpoint)";
const ALARM = "CloudWatch alarm, standard resolution";
const ZONE = "Route 53 hosted zone (share)";

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

describe("monthlyCost (§7)", () => {
    const rows: {
        title: string;
        checks: SimHealthCheck[];
        alarmCount?: number;
        hostedZoneShare?: number;
        lines: CostLine[];
        total: number;
    }[] = [
        {
            title: "§7 worked example: 2 regions, HTTPS_STR_MATCH, 10 s => 2 × (0.50 + 3 × 1.00) = $7.00",
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
            title: "§7 project: 2 × HTTPS_STR_MATCH 30 s + CALCULATED + CLOUDWATCH_METRIC + 1 alarm + half a zone",
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
            title: "§7 plain HTTP and TCP checks at 30 s: base price only",
            checks: [endpoint("a", { type: "HTTP" }), endpoint("b", { type: "TCP" })],
            lines: [line(BASE, 2, 0.5, 1)],
            total: 1,
        },
        {
            title: "§7 HTTPS with latency measurement: base + 2 features",
            checks: [endpoint("a", { type: "HTTPS", measureLatency: true })],
            lines: [line(BASE, 1, 0.5, 0.5), line(HTTPS, 1, 1, 1), line(LATENCY, 1, 1, 1)],
            total: 2.5,
        },
        {
            title: "§7 HTTP_STR_MATCH at 10 s: string matching and fast interval, no HTTPS",
            checks: [endpoint("a", { type: "HTTP_STR_MATCH", requestInterval: 10 })],
            lines: [line(BASE, 1, 0.5, 0.5), line(STR, 1, 1, 1), line(FAST, 1, 1, 1)],
            total: 2.5,
        },
        {
            title: "§3.5 disabled health checks are still billed",
            checks: [endpoint("a", { type: "HTTP", disabled: true })],
            lines: [line(BASE, 1, 0.5, 0.5)],
            total: 0.5,
        },
        {
            title: "§7 RECOVERY_CONTROL check priced at the base",
            checks: [{ id: "rc", type: "RECOVERY_CONTROL" }],
            lines: [line(RC, 1, 0.5, 0.5)],
            total: 0.5,
        },
        {
            title: "§7 twelve alarms, no free tier: $1.20",
            checks: [],
            alarmCount: 12,
            lines: [line(ALARM, 12, 0.1, 1.2)],
            total: 1.2,
        },
        {
            title: "§7 a third of a zone rounds to cents",
            checks: [],
            hostedZoneShare: 1 / 3,
            lines: [line(ZONE, 1 / 3, 0.5, 0.17)],
            total: 0.17,
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

    it("§7 lists traffic prices as rates", () => {
        assert.deepEqual(monthlyCost({ checks: [], alarmCount: 0, hostedZoneShare: 0 }).rates, [
            "$0.40 per million standard queries (first 1 billion per month), $0.20 per million after",
            "$0.60 per million latency queries (first 1 billion per month), $0.30 per million after",
            "$0.00 for alias queries to API Gateway APIs [DG:routing-to-api-gateway]; whether failover or latency alias queries answered with an API Gateway alias are free is UNCONFIRMED",
            "$0.10 per hosted zone per month beyond 25 zones",
        ]);
    });

    it("§7 states its assumptions, including the UNCONFIRMED price class of CALCULATED/CLOUDWATCH_METRIC", () => {
        const cost = monthlyCost({
            checks: [calculated, metric],
            alarmCount: 1,
            hostedZoneShare: 1,
        });
        assert.deepEqual(cost.assumptions, [
            `Prices from ${PRICES.source}, read 2026-09-20; Route 53 amounts are confirmed by transcription, not read from the AWS page itself.`,
            "Every endpoint health check is priced as an AWS endpoint ($0.50 + $1.00 per optional feature); whether an API Gateway custom domain counts as an AWS endpoint is UNCONFIRMED (non-AWS: $0.75 + $2.00 per feature).",
            "CALCULATED, CLOUDWATCH_METRIC and RECOVERY_CONTROL health checks are priced at the AWS-endpoint base $0.50 with no optional features: their price class is UNCONFIRMED.",
            "The free tier of 50 AWS-endpoint health checks is ignored (the account may already use it).",
            "Disabled health checks are billed like enabled ones [API:HealthCheckConfig] Disabled.",
            "CloudWatch alarms at $0.10 per standard-resolution alarm metric; the free tier of 10 alarm metrics is ignored.",
            "Hosted zone at $0.50 per month (first 25 zones) × the given share; records beyond 10,000 are not counted.",
            "Query charges depend on traffic and are listed as rates, not included in the total.",
        ]);
    });

    it("§7 leaves the UNCONFIRMED price-class sentence out when only endpoint checks are priced", () => {
        const cost = monthlyCost({ checks: [endpoint("a")], alarmCount: 0, hostedZoneShare: 0 });
        assert.equal(cost.assumptions.filter((a) => a.includes("price class")).length, 0);
    });

    it("§7 mentions the ARC cluster when RECOVERY_CONTROL checks are priced", () => {
        const cost = monthlyCost({
            checks: [{ id: "rc", type: "RECOVERY_CONTROL" }],
            alarmCount: 0,
            hostedZoneShare: 0,
        });
        assert.equal(
            cost.assumptions[cost.assumptions.length - 1],
            "The Route 53 ARC cluster behind RECOVERY_CONTROL checks is billed hourly; its amount is UNCONFIRMED and not included.",
        );
    });

    it("the price table names its source and date", () => {
        assert.equal(PRICES.readOn, "2026-09-20");
        assert.match(PRICES.source, /aws\.amazon\.com\/route53\/pricing/);
        assert.match(PRICES.source, /aws\.amazon\.com\/cloudwatch\/pricing/);
    });

    const roundRows: [number, number][] = [
        [1.005, 1.01],
        [0.1 + 0.2, 0.3],
        [2.344, 2.34],
        [0, 0],
    ];
    for (const [value, expected] of roundRows) {
        it(`roundCents(${value}) = ${expected}`, () => {
            assert.equal(roundCents(value), expected);
        });
    }

    const errors: {
        title: string;
        alarmCount: number;
        hostedZoneShare: number;
        checks: SimHealthCheck[];
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
        {
            title: "unknown check type",
            alarmCount: 0,
            hostedZoneShare: 0,
            checks: [{ id: "x", type: "PING" }],
            message: 'Health check "x" has unknown type "PING"',
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
                    }),
                { message: row.message },
            );
        });
    }
});
