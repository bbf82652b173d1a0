// Bad input, refused everywhere: one table of what a user or a client can get wrong (stack config,
// component arguments, requests to the handlers) and the exact answer each gets. Every answer is
// one message that names the key, argument or part of the request and what is allowed; none
// carries a stack trace, `undefined`, `[object Object]`, or `null` for a NaN or an Infinity.
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { parseStackConfig } from "../stack/config";
import { RegionalApi, type RegionalApiArgs } from "../components/regionalApi";
import {
    FailoverDomain,
    FailoverRole,
    RoutingPolicy,
    type FailoverDomainArgs,
    type RegionalEndpoint,
} from "../components/failoverDomain";
import {
    AlarmHealthCheck,
    operatorSwitchArgs,
    serverErrorGuardArgs,
    type AlarmHealthCheckArgs,
} from "../components/alarmHealthCheck";
import { createApiHandler } from "../functions/api";
import { createHealthHandler } from "../functions/health";
import { HEALTH_TOKEN } from "../functions/health/token";
import { created, reset, state } from "./harness";
import { failureOf, withPlainStacks, withoutSerializingPrefixes } from "./components/helpers";

/** A row: what is wrong, how it is given, and the exact answer. */
type Row = { title: string; nonFinite?: true } & (
    | { config: Record<string, string | undefined>; secretKeys?: string[]; problems: string[] }
    | { construct: () => unknown; message: string }
    | { deployTime: () => pulumi.Output<unknown>; message: string }
    | { request: () => Promise<APIGatewayProxyResult>; status: number; body: string }
);

// ---- stack config (parseStackConfig, as Pulumi hands values to the program) ----

const NS = "multi-region-api";
const key = (k: string) => `${NS}:${k}`;
const PRIMARY = {
    "aws:region": "us-east-1",
    failoverRole: "PRIMARY",
    domainName: "api.example.com",
    zoneName: "example.com",
    switchRegion: "eu-west-1",
    tableRegion: "us-east-1",
};
const SECONDARY = { ...PRIMARY, "aws:region": "eu-west-1", failoverRole: "SECONDARY" };
const primary = (overrides: Record<string, string | undefined>) => ({ ...PRIMARY, ...overrides });
const SETTINGS =
    "routing, failoverRole, domainName, zoneName, switchRegion, healthCheck, tableName, tableRegion, manageApiGatewayAccount, serverErrorAlarm, recordType, recordTtl, accessTokens, publicReads, waf, chaos, observability, latencyGuard, errorRateGuard";
const TTL_RULE = "must be an integer from 1 to 60 seconds";
const TABLE_RULE = "must be a DynamoDB table name: 3-255 letters, digits, '_', '-' or '.'";
const LONG_SERVICE = `${"s".repeat(60)}.example.com`;
const CERTIFICATE_RULE =
    "must be a name of at most 64 characters: it is the first domain name (Common Name) of the ACM certificate each region requests, which ACM limits to 64";

const CONFIG_ROWS: Row[] = [
    {
        title: "a misspelled key, with the nearest suggested",
        config: primary({ serverErorAlarm: '{"threshold":0.05,"evaluationPeriods":3}' }),
        problems: [
            `[${key("serverErorAlarm")}] is not a setting of this program; did you mean serverErrorAlarm? Its settings are ${SETTINGS}`,
        ],
    },
    {
        title: "a key in the wrong case",
        config: primary({ RecordTTL: "10" }),
        problems: [
            `[${key("RecordTTL")}] is not a setting of this program; did you mean recordTtl? Its settings are ${SETTINGS}`,
        ],
    },
    {
        title: "the region set in the project's namespace",
        config: primary({ region: "us-east-1" }),
        problems: [
            `[${key("region")}] is not a setting of this program; did you mean aws:region? Its settings are ${SETTINGS}`,
        ],
    },
    {
        title: "an unknown key nothing is close to",
        config: primary({ colour: "blue" }),
        problems: [
            `[${key("colour")}] is not a setting of this program; its settings are ${SETTINGS}`,
        ],
    },
    {
        title: "a misspelled key inside healthCheck",
        config: primary({ healthCheck: '{"requestIntreval":10}' }),
        problems: [
            `[${key("healthCheck.requestIntreval")}] is not a setting of healthCheck; did you mean requestInterval? Its settings are requestInterval, failureThreshold, regions`,
        ],
    },
    {
        title: "a misspelled key inside waf",
        config: primary({ waf: '{"limit":1000,"evaluationWindow":60}' }),
        problems: [
            `[${key("waf.evaluationWindow")}] is not a setting of waf; did you mean evaluationWindowSec? Its settings are limit, evaluationWindowSec`,
        ],
    },
    {
        title: "a misspelled key inside serverErrorAlarm",
        config: primary({ serverErrorAlarm: '{"treshold":0.05,"evaluationPeriods":3}' }),
        problems: [
            `[${key("serverErrorAlarm.treshold")}] is not a setting of serverErrorAlarm; did you mean threshold? Its settings are threshold, evaluationPeriods`,
            `[${key("serverErrorAlarm.threshold")}] is required: an error rate above 0, at most 1`,
        ],
    },
    {
        title: "an infinite CNAME TTL",
        nonFinite: true,
        config: primary({ recordType: "CNAME", recordTtl: "1e999" }),
        problems: [`[${key("recordTtl")}] ${TTL_RULE} (got Infinity)`],
    },
    {
        title: "a CNAME TTL of NaN",
        config: primary({ recordType: "CNAME", recordTtl: "NaN" }),
        problems: [`[${key("recordTtl")}] ${TTL_RULE} (got "NaN")`],
    },
    {
        title: "a CNAME TTL of -0",
        config: primary({ recordType: "CNAME", recordTtl: "-0" }),
        problems: [`[${key("recordTtl")}] ${TTL_RULE} (got -0)`],
    },
    {
        title: "a fractional failure threshold",
        config: primary({ healthCheck: '{"failureThreshold":2.5}' }),
        problems: [
            `[${key("healthCheck.failureThreshold")}] must be an integer from 1 to 10 (got 2.5)`,
        ],
    },
    {
        title: "a request interval given as text",
        config: primary({ healthCheck: '{"requestInterval":"10"}' }),
        problems: [
            `[${key("healthCheck.requestInterval")}] must be 10 or 30 (seconds; Route 53 offers no other interval) (got "10")`,
        ],
    },
    {
        title: "a health check given as a list",
        config: primary({ healthCheck: '["us-east-1","eu-west-1","ap-southeast-1"]' }),
        problems: [
            `[${key("healthCheck")}] must be an object with requestInterval, failureThreshold, regions (got ["us-east-1","eu-west-1","ap-southeast-1"])`,
        ],
    },
    {
        title: "a checker region listed twice",
        config: primary({ healthCheck: '{"regions":["us-east-1","us-east-1","eu-west-1"]}' }),
        problems: [
            `[${key("healthCheck.regions")}] must be a list of at least 3 distinct Route 53 checker regions from ap-northeast-1, ap-southeast-1, ap-southeast-2, eu-west-1, sa-east-1, us-east-1, us-west-1, us-west-2; "us-east-1" is listed twice, 2 distinct given (got ["us-east-1","us-east-1","eu-west-1"])`,
        ],
    },
    {
        title: "empty zone and table names",
        config: primary({ zoneName: "", tableName: "" }),
        problems: [
            `[${key("zoneName")}] must be a lowercase DNS name without a trailing dot, such as example.com; it is empty (got "")`,
            `[${key("tableName")}] ${TABLE_RULE} (got "")`,
        ],
    },
    {
        title: "a wildcard in the table name (it would widen the IAM grants)",
        config: primary({ tableName: "products-*" }),
        problems: [`[${key("tableName")}] ${TABLE_RULE} (got "products-*")`],
    },
    {
        title: "a service name too long for the ACM certificate",
        config: primary({ domainName: LONG_SERVICE }),
        problems: [`[${key("domainName")}] ${CERTIFICATE_RULE} (got "${LONG_SERVICE}")`],
    },
    {
        title: "a 5XX rate above 1 and no minutes",
        config: primary({ serverErrorAlarm: '{"threshold":1.5,"evaluationPeriods":0}' }),
        problems: [
            `[${key("serverErrorAlarm.threshold")}] must be an error rate above 0, at most 1 (got 1.5)`,
            `[${key("serverErrorAlarm.evaluationPeriods")}] must be an integer from 1 to 10 minutes (got 0)`,
        ],
    },
    {
        title: "a WAF limit below AWS WAF's minimum and an unknown window",
        config: primary({ waf: '{"limit":5,"evaluationWindowSec":30}' }),
        problems: [
            `[${key("waf.limit")}] must be an integer from 10 to 2000000000 requests (got 5)`,
            `[${key("waf.evaluationWindowSec")}] must be one of 60, 120, 300, 600 (seconds) (got 30)`,
        ],
    },
    {
        title: "the operator switch on the SECONDARY (the other role)",
        config: { ...SECONDARY, switchRegion: "us-west-2" },
        problems: [
            `[${key("switchRegion")}] applies only to the failover PRIMARY and to latency routing; remove it`,
        ],
    },
    {
        title: "a failover role with latency routing",
        config: primary({ routing: "latency" }),
        problems: [`[${key("failoverRole")}] applies only to failover routing; remove it`],
    },
    {
        title: "a TTL for an alias record",
        config: primary({ recordTtl: "30" }),
        problems: [
            `[${key("recordTtl")}] applies only to a CNAME routed record (recordType CNAME); remove it`,
        ],
    },
    {
        title: "a CNAME at the zone apex",
        config: primary({ domainName: "example.com", recordType: "CNAME" }),
        problems: [
            `[${key("recordType")}] CNAME cannot route the zone apex "example.com": DNS allows no CNAME beside the zone's SOA and NS records; use alias, or a domainName below the zone`,
        ],
    },
    {
        title: "a flag that is not true or false",
        config: primary({ manageApiGatewayAccount: "yes", publicReads: "False" }),
        problems: [
            `[${key("manageApiGatewayAccount")}] must be one of "true", "false" (got "yes")`,
            `[${key("publicReads")}] must be one of "true", "false" (got "False")`,
        ],
    },
];

// ---- component arguments (constructed under the harness's mock runtime) ----

const API_ARGS: RegionalApiArgs = {
    serviceName: "api.example.com",
    zoneName: "example.com",
    tableName: "products",
};
/** Arguments as a JavaScript caller could pass them: anything at all. */
type Loose<T> = { [K in keyof T]?: unknown } & Record<string, unknown>;
const api = (name: string, bad: Loose<RegionalApiArgs>) => () =>
    new RegionalApi(name, { ...API_ARGS, ...bad } as RegionalApiArgs);

const ENDPOINT: RegionalEndpoint = {
    region: "us-east-1",
    serviceName: "api.example.com",
    hostedZoneId: "ZPLAIN",
    regionalDomainName: "d-plain.execute-api.us-east-1.amazonaws.com",
    regionalZoneId: "ZAPIGW",
    regionalHostname: "us-east-1.api.example.com",
    healthPath: "/health",
    healthSearchString: HEALTH_TOKEN,
};
const DOMAIN_ARGS: FailoverDomainArgs = {
    endpoint: ENDPOINT,
    routingPolicy: RoutingPolicy.Failover,
    failoverRole: FailoverRole.Primary,
};
const domain = (bad: Loose<FailoverDomainArgs>) => () =>
    new FailoverDomain("bad", { ...DOMAIN_ARGS, ...bad } as FailoverDomainArgs);

const ALARM_ARGS: AlarmHealthCheckArgs = {
    namespace: "AWS/ApiGateway",
    metricName: "Latency",
    threshold: 1000,
};
const alarm = (bad: Loose<AlarmHealthCheckArgs>) => () =>
    new AlarmHealthCheck("bad", { ...ALARM_ARGS, ...bad } as AlarmHealthCheckArgs);

const API_ARGUMENTS =
    "serviceName, zoneName, regionalHostname, tableName, stageName, throttlingRateLimit, throttlingBurstLimit, healthThrottlingRateLimit, healthThrottlingBurstLimit, healthReservedConcurrency, accessTokens, publicReads, waf, chaos, logRetentionDays, manageApiGatewayAccount, tags";
const DOMAIN_ARGUMENTS =
    "endpoint, routingPolicy, failoverRole, setIdentifier, recordType, ttl, requestInterval, failureThreshold, checkerRegions, guards, tags";
const TAG_RULE = "letters, digits, spaces or _ . : / = + - @";
const GUARD = { healthCheckId: "hc-switch" };

const COMPONENT_ROWS: Row[] = [
    {
        title: "RegionalApi: a misspelled argument",
        construct: api("bad", { stagename: "v1" }),
        message: `RegionalApi "bad": [stagename] is not an argument of RegionalApi; did you mean stageName? Its arguments are ${API_ARGUMENTS}`,
    },
    {
        title: "RegionalApi: a misspelled WAF setting",
        construct: api("bad", { waf: { limit: 1000, window: 60 } }),
        message: `RegionalApi "bad": [waf.window] is not a setting of [waf]; its settings are limit, evaluationWindowSec`,
    },
    {
        title: "RegionalApi: a name too long for its IAM roles",
        construct: api("n".repeat(45), {}),
        message: `RegionalApi "${"n".repeat(45)}": [name] must be 1-44 characters from A-Z, a-z, 0-9, "-" and "_": the IAM role "<name>-health-role", plus Pulumi's 8-character random suffix, must fit AWS's limit of 64 characters (got "${"n".repeat(45)}", 45 characters)`,
    },
    {
        title: "RegionalApi: a name with a space (Lambda function names have none)",
        construct: api("api east", {}),
        message: `RegionalApi "api east": [name] must be 1-44 characters from A-Z, a-z, 0-9, "-" and "_": the IAM role "<name>-health-role", plus Pulumi's 8-character random suffix, must fit AWS's limit of 64 characters (got "api east", 8 characters)`,
    },
    {
        title: "RegionalApi: a service name too long for the ACM certificate",
        construct: api("bad", { serviceName: LONG_SERVICE }),
        message: `RegionalApi "bad": [serviceName] ${CERTIFICATE_RULE} (got "${LONG_SERVICE}")`,
    },
    {
        title: "RegionalApi: a wildcard in the table name",
        construct: api("bad", { tableName: "products?" }),
        message: `RegionalApi "bad": [tableName] ${TABLE_RULE} (got "products?")`,
    },
    {
        title: "RegionalApi: NaN, Infinity and -0 as limits",
        nonFinite: true,
        construct: api("bad", {
            throttlingRateLimit: Number.NaN,
            throttlingBurstLimit: Number.POSITIVE_INFINITY,
            healthReservedConcurrency: -0,
        }),
        message: `RegionalApi "bad": [throttlingRateLimit] must be a positive number (got NaN); [throttlingBurstLimit] must be a positive integer (got Infinity); [healthReservedConcurrency] must be an integer from 1 to 1000 (got -0)`,
    },
    {
        title: "RegionalApi: a fractional burst and a negative /health rate",
        construct: api("bad", { throttlingBurstLimit: 2.5, healthThrottlingRateLimit: -5 }),
        message: `RegionalApi "bad": [throttlingBurstLimit] must be a positive integer (got 2.5); [healthThrottlingRateLimit] must be a number at least [throttlingRateLimit] (100): /health must never be throttled before the API (got -5)`,
    },
    {
        title: "RegionalApi: an empty stage name and a flag given as text",
        construct: api("bad", { stageName: "", publicReads: "false" }),
        message: `RegionalApi "bad": [stageName] must be 1-128 letters, digits, "-" or "_" (got ""); [publicReads] must be true or false (got "false")`,
    },
    {
        title: "RegionalApi: a reserved tag key and a tag value too long",
        construct: api("bad", { tags: { "aws:owner": "me", team: "t".repeat(257) } }),
        message: `RegionalApi "bad": [tags] key "aws:owner" must be 1-128 ${TAG_RULE}, not starting with "aws:" (reserved for AWS); [tags.team] must be at most 256 ${TAG_RULE} (got "${"t".repeat(257)}")`,
    },
    {
        title: "RegionalApi: a retention CloudWatch Logs does not offer",
        construct: api("bad", { logRetentionDays: 10 }),
        message: `RegionalApi "bad": [logRetentionDays] must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 10)`,
    },
    {
        title: "FailoverDomain: a misspelled argument",
        construct: domain({ routingPolicies: "failover" }),
        message: `FailoverDomain "bad": [routingPolicies] is not an argument of FailoverDomain; did you mean routingPolicy? Its arguments are ${DOMAIN_ARGUMENTS}`,
    },
    {
        title: "FailoverDomain: the same guard twice",
        construct: domain({ guards: [GUARD, { healthCheckId: "hc-5xx" }, GUARD] }),
        message: `FailoverDomain "bad": [guards[2]] repeats [guards[0]]: list each health check once (a calculated check counts every child)`,
    },
    {
        title: "FailoverDomain: a checker region listed twice",
        construct: domain({ checkerRegions: ["us-east-1", "eu-west-1", "us-east-1"] }),
        message: `FailoverDomain "bad": [checkerRegions] must be a list of at least 3 distinct Route 53 checker regions from ap-northeast-1, ap-southeast-1, ap-southeast-2, eu-west-1, sa-east-1, us-east-1, us-west-1, us-west-2; "us-east-1" is listed twice, 2 distinct given (got ["us-east-1","eu-west-1","us-east-1"])`,
    },
    {
        title: "FailoverDomain: NaN and Infinity among the checker regions",
        nonFinite: true,
        construct: domain({ checkerRegions: ["us-east-1", Number.NaN, Number.NEGATIVE_INFINITY] }),
        message: `FailoverDomain "bad": [checkerRegions] must be a list of at least 3 distinct Route 53 checker regions from ap-northeast-1, ap-southeast-1, ap-southeast-2, eu-west-1, sa-east-1, us-east-1, us-west-1, us-west-2; NaN is not one, -Infinity is not one (got ["us-east-1",NaN,-Infinity])`,
    },
    {
        title: "FailoverDomain: an empty set identifier and a TTL of -0 on an alias",
        construct: domain({ setIdentifier: "", ttl: -0 }),
        message: `FailoverDomain "bad": [setIdentifier] must be 1-128 characters (got ""); [ttl] applies only to a CNAME routed record`,
    },
    {
        title: "FailoverDomain: a failover role with latency routing (the other mode)",
        construct: domain({ routingPolicy: RoutingPolicy.Latency }),
        message: `FailoverDomain "bad": [failoverRole] applies only to failover routing`,
    },
    {
        title: "FailoverDomain: an endpoint with a relative health path",
        construct: domain({ endpoint: { ...ENDPOINT, healthPath: "health" } }),
        message: `FailoverDomain "bad": [endpoint.healthPath] must be a path starting with "/", at most 255 characters (got "health")`,
    },
    {
        title: "FailoverDomain: a Name tag (the component names its checks)",
        construct: domain({ tags: { Name: "mine" } }),
        message: `FailoverDomain "bad": [tags.Name] is set by FailoverDomain, which names each health check after itself; remove it`,
    },
    {
        title: "AlarmHealthCheck: more dimensions than Route 53 follows",
        construct: alarm({
            dimensions: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`D${i}`, "v"])),
        }),
        message: `AlarmHealthCheck "bad": [dimensions] must hold at most 10 dimensions: Route 53 follows no alarm with more (CloudWatch itself allows 30) (got 11)`,
    },
    {
        title: "AlarmHealthCheck: a dimension name starting with a colon and an empty value",
        construct: alarm({ dimensions: { ":Stage": "live", ApiName: "" } }),
        message: `AlarmHealthCheck "bad": [dimensions] name ":Stage" must be 1-255 ASCII characters, not all spaces and not starting with ":"; [dimensions.ApiName] must be a non-empty string of at most 255 characters (got "")`,
    },
    {
        title: "AlarmHealthCheck: a NaN threshold and a period of -0",
        nonFinite: true,
        construct: alarm({ threshold: Number.NaN, period: -0 }),
        message: `AlarmHealthCheck "bad": [period] must be a multiple of 60 seconds: Route 53 health checks follow only standard-resolution alarms (got -0); [threshold] must be a finite number (got NaN)`,
    },
    {
        title: "AlarmHealthCheck: an anomaly-detection operator Route 53 cannot follow",
        construct: alarm({ comparisonOperator: "LessThanLowerOrGreaterThanUpperThreshold" }),
        message: `AlarmHealthCheck "bad": [comparisonOperator] must be one of "GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanOrEqualToThreshold", "LessThanThreshold" (got "LessThanLowerOrGreaterThanUpperThreshold")`,
    },
    {
        title: "AlarmHealthCheck: a missing-data treatment in the wrong case",
        construct: alarm({ treatMissingData: "NotBreaching" }),
        message: `AlarmHealthCheck "bad": [treatMissingData] must be one of "missing", "ignore", "breaching", "notBreaching" (got "NotBreaching")`,
    },
    {
        title: "AlarmHealthCheck: a description longer than CloudWatch keeps",
        construct: alarm({ alarmDescription: "d".repeat(1025) }),
        message: `AlarmHealthCheck "bad": [alarmDescription] must be a text of at most 1024 characters (got "${"d".repeat(1025)}")`,
    },
    {
        title: "operatorSwitchArgs: a service name in capitals and a region that does not exist",
        construct: () =>
            operatorSwitchArgs({ service: "API.example.com", protectedRegion: "us-east-7" }),
        message: `operatorSwitchArgs "scope": [service] must be a lowercase DNS name without a trailing dot, such as example.com; label "API" has uppercase letters (got "API.example.com"); [protectedRegion] must be an AWS region such as us-east-1 (a region the AWS SDK lists) (got "us-east-7")`,
    },
    {
        title: "serverErrorGuardArgs: an infinite rate and NaN minutes",
        nonFinite: true,
        construct: () =>
            serverErrorGuardArgs(
                { restApi: { name: "api" }, stage: { stageName: "live" } },
                { threshold: Number.POSITIVE_INFINITY, evaluationPeriods: Number.NaN },
            ),
        message: `serverErrorGuardArgs "thresholds": [threshold] must be an error rate above 0, at most 1 (got Infinity); [evaluationPeriods] must be an integer from 1 to 10 minutes (got NaN)`,
    },
    {
        title: "RegionalApi: a wildcard in a table name known only at deploy time",
        deployTime: () =>
            new RegionalApi("late", { ...API_ARGS, tableName: pulumi.output("products*") })
                .healthHandler.function.environment,
        message: `RegionalApi "late": [tableName] ${TABLE_RULE} (got "products*")`,
    },
];

// ---- handler requests (no store call is ever made for these) ----

const REGION = "eu-west-1";
const TOKEN = "a".repeat(64);
const digest = (t: string) => Buffer.from(createHash("sha256").update(t).digest("hex"), "hex");
/** A store that fails the row if a handler ever reaches it. */
const NO_STORE = {
    send: () => Promise.reject(new Error("a refused request must not reach the store")),
} as unknown as DynamoDBClient;
const quiet = () => undefined;
const apiHandler = createApiHandler({
    client: NO_STORE,
    tableName: "products",
    region: REGION,
    access: { tokenDigests: [digest(TOKEN)], publicReads: true },
    log: quiet,
});
const readOnlyApi = createApiHandler({
    client: NO_STORE,
    tableName: "products",
    region: REGION,
    access: { tokenDigests: [], publicReads: true },
    log: quiet,
});
const healthHandler = createHealthHandler({
    client: NO_STORE,
    tableName: "products",
    region: REGION,
    timeoutMs: 1000,
    log: quiet,
});

/** A REST API proxy event for PUT /products/{id} with the token, overridable. */
function event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
    const auth = `Bearer ${TOKEN}`;
    return {
        resource: "/products/{id}",
        path: "/products/p-1",
        httpMethod: "PUT",
        headers: { Authorization: auth },
        multiValueHeaders: { Authorization: [auth] },
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: { id: "p-1" },
        stageVariables: null,
        requestContext: { requestId: "req-1" } as APIGatewayProxyEvent["requestContext"],
        body: '{"name":"kettle"}',
        isBase64Encoded: false,
        ...overrides,
    };
}
const put =
    (body: string | null, overrides: Partial<APIGatewayProxyEvent> = {}) =>
    () =>
        apiHandler(event({ body, ...overrides }));
const withId = (id: string | null) => ({
    path: `/products/${id}`,
    pathParameters: id === null ? null : { id },
});
const said = (message: string) => JSON.stringify({ region: REGION, message });
const INVALID_ID = 'invalid product id: use 1-64 characters from A-Z, a-z, 0-9, "_" and "-"';

const HANDLER_ROWS: Row[] = [
    {
        title: "api: a method it does not serve",
        request: () => apiHandler(event({ httpMethod: "DELETE" })),
        status: 405,
        body: said("method not allowed"),
    },
    {
        title: "api: a method in lowercase",
        request: () => apiHandler(event({ httpMethod: "put" })),
        status: 405,
        body: said("method not allowed"),
    },
    {
        title: "api: a path it does not serve",
        request: () => apiHandler(event({ resource: "/orders/{id}", path: "/orders/p-1" })),
        status: 404,
        body: said("route not found"),
    },
    {
        title: "api: no id in the path",
        request: put('{"a":1}', withId(null)),
        status: 400,
        body: said("missing product id in path"),
    },
    {
        title: "api: an empty id",
        request: put('{"a":1}', withId("")),
        status: 400,
        body: said("missing product id in path"),
    },
    {
        title: "api: an id with a space",
        request: put('{"a":1}', withId("p 1")),
        status: 400,
        body: said(INVALID_ID),
    },
    {
        title: "api: an id of 65 characters",
        request: put('{"a":1}', withId("p".repeat(65))),
        status: 400,
        body: said(INVALID_ID),
    },
    {
        title: "api: a reserved id",
        request: put('{"a":1}', withId("__health__")),
        status: 400,
        body: said('invalid product id: ids starting with "__" are reserved'),
    },
    {
        title: "api: no body",
        request: put(null),
        status: 400,
        body: said("request body is required"),
    },
    {
        title: "api: a body that is not JSON",
        request: put('{"name":'),
        status: 400,
        body: said("request body is not valid JSON"),
    },
    {
        title: "api: NaN in the body (not JSON)",
        request: put('{"price":NaN}'),
        status: 400,
        body: said("request body is not valid JSON"),
    },
    {
        title: "api: a number beyond DynamoDB's range (JSON would read Infinity)",
        request: put('{"price":1e999}'),
        status: 400,
        body: said(
            "invalid number at /price: numbers may have at most 38 significant digits and, unless 0, a magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125",
        ),
    },
    {
        title: "api: a JSON list instead of an object",
        request: put('[{"name":"kettle"}]'),
        status: 400,
        body: said("request body must be a JSON object"),
    },
    {
        title: "api: a key given twice",
        request: put('{"name":"a","name":"b"}'),
        status: 400,
        body: said("duplicate key at /name: each key may appear only once in an object"),
    },
    {
        title: "api: a __proto__ key",
        request: put('{"nested":{"__proto__":{"x":1}}}'),
        status: 400,
        body: said('invalid key at /nested/__proto__: "__proto__" is not allowed as a key'),
    },
    {
        title: "api: a body over 16 KiB",
        request: put(JSON.stringify({ text: "x".repeat(16384) })),
        status: 413,
        body: said("request body exceeds 16384 bytes"),
    },
    {
        title: "api: a body flagged base64 that is not",
        request: put("not base64!", { isBase64Encoded: true }),
        status: 400,
        body: said("request body is not valid base64"),
    },
    {
        title: "api: a field the server sets",
        request: put('{"updatedAt":"2030-01-01T00:00:00Z"}'),
        status: 400,
        body: said(
            'server-set field at /updatedAt: "updatedAt" and "updatedInRegion" are set by the server; leave them out',
        ),
    },
    {
        title: "api: an id in the body that is not the path's",
        request: put('{"id":"p-2"}'),
        status: 400,
        body: said('id mismatch at /id: leave "id" out or send the id from the path as a string'),
    },
    {
        title: "api: two Authorization headers",
        request: put('{"a":1}', {
            headers: { Authorization: `Bearer ${TOKEN}` },
            multiValueHeaders: { Authorization: [`Bearer ${TOKEN}`, "Bearer other"] },
        }),
        status: 400,
        body: said("more than one Authorization header: send exactly one"),
    },
    {
        title: "api: a Basic Authorization header",
        request: put('{"a":1}', {
            headers: { Authorization: "Basic dXNlcjpwYXNz" },
            multiValueHeaders: { Authorization: ["Basic dXNlcjpwYXNz"] },
        }),
        status: 401,
        body: said("authentication required: send Authorization: Bearer <token>"),
    },
    {
        title: "api: a token that matches none",
        request: put('{"a":1}', {
            headers: { authorization: `Bearer ${"b".repeat(64)}` },
            multiValueHeaders: { authorization: [`Bearer ${"b".repeat(64)}`] },
        }),
        status: 401,
        body: said("invalid token"),
    },
    {
        title: "api: a write where no token is configured",
        request: () => readOnlyApi(event()),
        status: 403,
        body: said("writes are disabled: no access token is configured"),
    },
    {
        title: "health: a POST",
        request: () => healthHandler(event({ httpMethod: "POST", resource: "/health" })),
        status: 405,
        body: said("method not allowed"),
    },
];

const ROWS: Row[] = [...CONFIG_ROWS, ...COMPONENT_ROWS, ...HANDLER_ROWS];

/** Asserts `text` has nothing a user should never see. */
function assertReadable(text: string, row: Row): void {
    assert.doesNotMatch(text, /\n\s+at |\bat \S+ \(|\.[jt]s:\d+/, "no stack trace");
    assert.ok(!text.includes("undefined"), `no "undefined" in ${text}`);
    assert.ok(!text.includes("[object Object]"), `no "[object Object]" in ${text}`);
    if (row.nonFinite) {
        assert.ok(!/\bnull\b/.test(text), `no null for NaN or Infinity in ${text}`);
    }
}

/** The one error `construct` throws, having registered and looked up nothing. */
async function refusal(construct: () => unknown): Promise<Error> {
    let thrown: unknown;
    try {
        construct();
    } catch (e) {
        thrown = e;
    }
    await state.settle();
    assert.deepEqual([created.length, state.invokes.length], [0, 0], "nothing registered");
    assert.ok(
        thrown instanceof pulumi.RunError,
        `a RunError (no stack trace), got ${String(thrown)}`,
    );
    return thrown;
}

describe("bad input is refused with one clear message", () => {
    beforeEach(reset);

    it("the table covers at least 40 bad inputs across config, components and handlers", () => {
        assert.deepEqual(
            [CONFIG_ROWS, COMPONENT_ROWS, HANDLER_ROWS].map((rows) => rows.length >= 10),
            [true, true, true],
        );
        assert.ok(ROWS.length >= 40);
    });

    for (const row of ROWS) {
        it(row.title, async () => {
            if ("config" in row) {
                const error = await refusal(() =>
                    parseStackConfig(row.config, NS, row.secretKeys ?? []),
                );
                const expected = `Invalid stack configuration:\n  - ${row.problems.join("\n  - ")}`;
                assert.equal(error.message, expected);
                assertReadable(error.message, row);
            } else if ("construct" in row) {
                const error = await refusal(row.construct);
                assert.equal(error.message, row.message);
                assertReadable(error.message, row);
            } else if ("deployTime" in row) {
                const error = await withPlainStacks(() => failureOf(row.deployTime()));
                await state.settle().catch(() => undefined);
                assert.ok(
                    error instanceof pulumi.ResourceError,
                    `a ResourceError, got ${String(error)}`,
                );
                const message = withoutSerializingPrefixes(error.message);
                assert.equal(message, row.message);
                assertReadable(message, row);
            } else {
                const result = await row.request();
                assert.deepEqual(
                    { status: result.statusCode, body: result.body },
                    { status: row.status, body: row.body },
                );
                assert.ok(row.status >= 400 && row.status < 500, "a client's mistake is a 4xx");
                assertReadable(result.body, row);
            }
        });
    }
});
