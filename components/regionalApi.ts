import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_TOKEN } from "../functions/health/token";
import {
    ChaosSettings,
    ChaosLocation,
    ChaosResources,
    CHAOS_RULES,
    createChaosExperiments,
    createChaosLocation,
    grantChaosRead,
} from "./chaos";
import { RegionalEndpoint } from "./failoverDomain";
import { HandlerName, LAMBDA_RUNTIME, handlerArchive } from "./handlerBundle";
import { createHash } from "node:crypto";
import { API_FUNCTION_TIMEOUT_SECONDS } from "../functions/api/budget";
import {
    AWS_TAG_LIMITS,
    ArgProblems,
    DerivedName,
    RESOURCE_NAME_CHARACTERS,
    Rule,
    accessTokensProblem,
    checkedWhenKnown,
    dnsName,
    integerFrom,
    known,
    nameInZone,
    positiveInteger,
    positiveNumber,
    serviceNameInZone,
    shown,
    tableName,
    stageName,
    logRetentionDays,
} from "./validation";
import { componentType, withPreviousType } from "./typeToken";

/** Defaults of `RegionalApiArgs`, in one place. */
export const REGIONAL_API_DEFAULTS = {
    stageName: "live",
    throttlingRateLimit: 100,
    throttlingBurstLimit: 200,
    healthThrottlingRateLimit: 200,
    healthThrottlingBurstLimit: 400,
    healthReservedConcurrency: 20,
    publicReads: true,
    wafEvaluationWindowSec: 300,
    logRetentionDays: 30,
    manageApiGatewayAccount: false,
};

/** Window lengths AWS WAF rate-based rules accept, seconds. */
const WAF_EVALUATION_WINDOWS = [60, 120, 300, 600];

/** The rule of each `WafRateLimit` field, shared with the stack config's `waf`. */
export const WAF_RULES: Record<keyof WafRateLimit, Rule> = {
    limit: integerFrom(10, 2_000_000_000, " requests"),
    evaluationWindowSec: (v) =>
        WAF_EVALUATION_WINDOWS.includes(v as number)
            ? undefined
            : `one of ${WAF_EVALUATION_WINDOWS.join(", ")} (seconds)`,
};

/** An AWS WAF rate-based rule in front of the stage: a per-client-IP request limit. */
export interface WafRateLimit {
    /**
     * Requests one client IP may send in each evaluation window before WAF answers it 429 until
     * its rate falls (10 to 2,000,000,000).
     */
    readonly limit: number;
    /**
     * Length of the window WAF counts over, seconds: 60, 120, 300 or 600.
     * @default 300
     */
    readonly evaluationWindowSec?: number;
}

/** @deprecated The earlier name of {@link WafRateLimit}. */
export type WafRateLimitArgs = WafRateLimit;

/** Arguments for `RegionalApi`. */
export interface RegionalApiArgs {
    /** The name clients use in every region, for example `api.example.com`. */
    readonly serviceName: string;
    /** The public hosted zone that holds `serviceName`; looked up by name, never created. */
    readonly zoneName: string;
    /**
     * This region's own hostname: the target of its health check, never routed between regions.
     * @default `<region>.<serviceName>`, for example `us-east-1.api.example.com`
     */
    readonly regionalHostname?: string;
    /** The DynamoDB table the handlers use (a global table's name is the same in every region). */
    readonly tableName: pulumi.Input<string>;
    /**
     * API Gateway stage name.
     * @default "live"
     */
    readonly stageName?: string;
    /**
     * Steady-state request rate limit for the stage, requests per second.
     * @default 100
     */
    readonly throttlingRateLimit?: pulumi.Input<number>;
    /**
     * Burst limit for the stage, requests.
     * @default 200
     */
    readonly throttlingBurstLimit?: pulumi.Input<number>;
    /**
     * Steady-state request rate limit of `GET /health`, which Route 53's checkers call: its own
     * bucket, so client traffic on the API cannot make the checkers see 429s. At least
     * `throttlingRateLimit`.
     * @default 200
     */
    readonly healthThrottlingRateLimit?: pulumi.Input<number>;
    /**
     * Burst limit of `GET /health`, requests. At least `throttlingBurstLimit`.
     * @default 400
     */
    readonly healthThrottlingBurstLimit?: pulumi.Input<number>;
    /**
     * Concurrent executions reserved for the health function (1-1000), so a flooded or hanging
     * API cannot starve it of Lambda capacity. Reserved capacity comes out of the account's
     * regional concurrency quota, which must keep 100 unreserved: a new account with the
     * 10-execution quota must ask for more first.
     * @default 20
     */
    readonly healthReservedConcurrency?: number;
    /**
     * Bearer tokens that may write (`PUT`), and read when `publicReads` is false. Several allow
     * rotation. The same tokens work in every region (unlike SigV4, which is scoped to one
     * region), so clients keep writing after DNS moves them. Each token is 32-512 token68
     * characters; only their SHA-256 digests reach the function, as a secret. Pass secrets
     * (`config.requireSecret`).
     * @default none: the API refuses every write with 403
     */
    readonly accessTokens?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Whether `GET /products/{id}` is open to anyone; false requires an access token for reads too.
     * @default true
     */
    readonly publicReads?: boolean;
    /**
     * A per-client-IP rate limit by AWS WAF in front of the stage (a web ACL with one rate-based
     * rule; Route 53's health checkers, by AWS's published IP ranges, are never limited). It costs
     * a monthly fee per web ACL and rule plus a fee per million requests: the plan prices it.
     * @default no web ACL
     */
    readonly waf?: WafRateLimit;
    /**
     * Make this region chaos-ready: the AWS FIS Lambda extension on both functions (it changes
     * nothing until an experiment runs), a private S3 location for fault configurations, an FIS
     * role, and two experiment templates that break this region only ("api-fails": every
     * invocation answers 503; "slow": every invocation starts late), stopped by `stopAlarmArns`
     * and after `maxDurationMinutes`. Removing it removes every chaos resource.
     * @default no chaos resources
     */
    readonly chaos?: ChaosSettings;
    /**
     * Days to keep Lambda and access logs (one of the values CloudWatch Logs accepts).
     * @default 30
     */
    readonly logRetentionDays?: pulumi.Input<number>;
    /**
     * Manage API Gateway's account-level CloudWatch Logs role in this region, which access logging
     * needs. It is one setting per account and region: turn it on in exactly one place (the
     * two-stack program does, per stack). Kept when destroyed: other APIs rely on it.
     * @default false
     */
    readonly manageApiGatewayAccount?: boolean;
    /**
     * Tags for every child that takes tags.
     * @default no tags
     */
    readonly tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** Every argument of `RegionalApi`; anything else is a typo, refused rather than ignored. */
const ARGUMENTS = Object.keys({
    serviceName: true,
    zoneName: true,
    regionalHostname: true,
    tableName: true,
    stageName: true,
    throttlingRateLimit: true,
    throttlingBurstLimit: true,
    healthThrottlingRateLimit: true,
    healthThrottlingBurstLimit: true,
    healthReservedConcurrency: true,
    accessTokens: true,
    publicReads: true,
    waf: true,
    chaos: true,
    logRetentionDays: true,
    manageApiGatewayAccount: true,
    tags: true,
} satisfies Record<keyof RegionalApiArgs, true>);

/**
 * The AWS names Pulumi derives from the component's name (`<name>-api`, ...), with AWS's limits:
 * Lambda function and IAM role names have at most 64 characters
 * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
 */
function derivedNames(args: RegionalApiArgs): DerivedName[] {
    const names: DerivedName[] = [
        { suffix: "-health", what: "Lambda function", maxLength: 64, autonamed: true },
        { suffix: "-health-role", what: "IAM role", maxLength: 64, autonamed: true },
    ];
    if (args.manageApiGatewayAccount === true) {
        names.push({
            suffix: "-apigw-logs-role",
            what: "IAM role",
            maxLength: 64,
            autonamed: true,
        });
    }
    return names;
}

const trueOrFalse: Rule = (v) => (typeof v === "boolean" ? undefined : "true or false");

function validate(name: string, args: RegionalApiArgs): void {
    const p = new ArgProblems("RegionalApi", name);
    p.name(name, derivedNames(args), RESOURCE_NAME_CHARACTERS);
    p.unknownKeys(args, ARGUMENTS);
    p.required("zoneName", args.zoneName, dnsName);
    p.required("serviceName", args.serviceName, serviceNameInZone(args.zoneName));
    p.rule("regionalHostname", args.regionalHostname, nameInZone(args.zoneName));
    p.check(
        args.regionalHostname === undefined || args.regionalHostname !== args.serviceName,
        "regionalHostname",
        "must differ from [serviceName]: Route 53 health checks must not target the routed name",
    );
    p.required("tableName", args.tableName, tableName);
    p.rule("stageName", args.stageName, stageName);
    p.rule("throttlingRateLimit", args.throttlingRateLimit, positiveNumber);
    p.rule("throttlingBurstLimit", args.throttlingBurstLimit, positiveInteger);
    const d = REGIONAL_API_DEFAULTS;
    for (const [health, api, limit, kind] of [
        ["healthThrottlingRateLimit", "throttlingRateLimit", positiveNumber, "a number"],
        ["healthThrottlingBurstLimit", "throttlingBurstLimit", positiveInteger, "an integer"],
    ] as const) {
        // Compared only with a valid API limit known now (given plainly, or its default); a bad
        // one is reported under its own name.
        const apiLimit = args[api] === undefined ? d[api] : known(args[api]);
        const floor = limit(apiLimit) === undefined ? (apiLimit as number) : undefined;
        p.rule(health, args[health], (v) => {
            if (floor === undefined) {
                return limit(v);
            }
            return limit(v) === undefined && (v as number) >= floor
                ? undefined
                : `${kind} at least [${api}] (${floor}): /health must never be throttled before the API`;
        });
    }
    p.rule("healthReservedConcurrency", args.healthReservedConcurrency, integerFrom(1, 1000));
    const tokens = known(args.accessTokens);
    if (tokens !== undefined && tokens.every((t) => known(t) !== undefined)) {
        const problem = accessTokensProblem(tokens);
        p.check(problem === undefined, "accessTokens", problem ?? "");
    }
    p.rule("publicReads", args.publicReads, trueOrFalse);
    p.check(
        args.publicReads !== false || args.accessTokens !== undefined,
        "publicReads",
        "false needs [accessTokens]: without a token nobody could read",
    );
    const waf: unknown = args.waf;
    if (waf !== undefined && (typeof waf !== "object" || waf === null || Array.isArray(waf))) {
        p.check(
            false,
            "waf",
            `must be an object with limit, evaluationWindowSec (got ${shown(waf)})`,
        );
    } else if (args.waf !== undefined) {
        p.unknownKeys(args.waf, Object.keys(WAF_RULES), "waf");
        p.required("waf.limit", args.waf.limit, WAF_RULES.limit);
        p.rule(
            "waf.evaluationWindowSec",
            args.waf.evaluationWindowSec,
            WAF_RULES.evaluationWindowSec,
        );
    }
    p.rule("logRetentionDays", args.logRetentionDays, logRetentionDays);
    p.rule("manageApiGatewayAccount", args.manageApiGatewayAccount, trueOrFalse);
    validateChaos(p, args.chaos);
    p.tags(args.tags, AWS_TAG_LIMITS);
    p.throwIfAny();
}

/** FIS allows at most 5 stop conditions per experiment template. */
const MAX_STOP_CONDITIONS = 5;

function validateChaos(p: ArgProblems, chaos: unknown): void {
    if (chaos === undefined) {
        return;
    }
    if (typeof chaos !== "object" || chaos === null || Array.isArray(chaos)) {
        p.check(false, "chaos", `must be an object with stopAlarmArns (got ${shown(chaos)})`);
        return;
    }
    const c = chaos as ChaosSettings;
    p.unknownKeys(c, ["stopAlarmArns", ...Object.keys(CHAOS_RULES)], "chaos");
    const arns: unknown = c.stopAlarmArns;
    p.check(
        Array.isArray(arns) && arns.length >= 1 && arns.length <= MAX_STOP_CONDITIONS,
        "chaos.stopAlarmArns",
        `a list of 1 to ${MAX_STOP_CONDITIONS} CloudWatch alarm ARNs (FIS's limit of stop conditions per template): an experiment must stop when the other regions turn unhealthy (got ${shown(arns)})`,
    );
    for (const key of Object.keys(CHAOS_RULES) as (keyof typeof CHAOS_RULES)[]) {
        p.rule(`chaos.${key}`, c[key], CHAOS_RULES[key]);
    }
}

type Tags = pulumi.Input<{ [key: string]: pulumi.Input<string> }>;

/** What every builder needs: the parent to register under and the facts of this region. */
interface Context {
    readonly name: string;
    readonly parent: RegionalApi;
    readonly tags: Tags;
    readonly region: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
    readonly accountId: pulumi.Output<string>;
    /** The hosted zone, looked up once: its id for records, its name servers for operators. */
    readonly zone: pulumi.Output<aws.route53.GetZoneResult>;
    readonly retentionInDays: pulumi.Input<number>;
}

const assumeRole = (service: string) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });

/** One Lambda handler with its log group and its own least-privilege role. */
export interface Handler {
    /** The Lambda function (arm64, Node.js 22), bundled from this package's handler source. */
    readonly function: aws.lambda.Function;
    /** The function's execution role: its own log group and only the table actions it needs. */
    readonly role: aws.iam.Role;
    /** The function's CloudWatch log group, with the component's retention. */
    readonly logGroup: aws.cloudwatch.LogGroup;
}

interface HandlerSettings {
    readonly tableName: pulumi.Input<string>;
    /** The only DynamoDB actions its role allows, on that table alone. */
    readonly tableActions: string[];
    /** Seconds. */
    readonly timeout: number;
    /** Environment variables besides `TABLE_NAME`. */
    readonly environment?: Record<string, pulumi.Input<string>>;
    readonly reservedConcurrentExecutions?: number;
    /** Load the FIS extension, reading fault configurations from this location. */
    readonly chaos?: ChaosLocation;
}

function createHandler(ctx: Context, handler: HandlerName, settings: HandlerSettings): Handler {
    const { tableName, tableActions } = settings;
    const opts = { parent: ctx.parent };
    const name = `${ctx.name}-${handler}`;
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-logs`,
        { retentionInDays: ctx.retentionInDays, tags: ctx.tags },
        opts,
    );
    const role = new aws.iam.Role(
        `${name}-role`,
        { assumeRolePolicy: assumeRole("lambda.amazonaws.com"), tags: ctx.tags },
        opts,
    );
    new aws.iam.RolePolicy(
        `${name}-policy`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: tableActions,
                        Resource: pulumi.interpolate`arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.accountId}:table/${tableName}`,
                    },
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: pulumi.interpolate`${logGroup.arn}:*`,
                    },
                ],
            }),
        },
        opts,
    );
    const fn = new aws.lambda.Function(
        name,
        {
            runtime: LAMBDA_RUNTIME,
            architectures: ["arm64"],
            handler: "index.handler",
            code: handlerArchive(handler),
            role: role.arn,
            memorySize: 256,
            timeout: settings.timeout,
            reservedConcurrentExecutions: settings.reservedConcurrentExecutions,
            layers: settings.chaos && [settings.chaos.layerArn],
            environment: {
                variables: {
                    TABLE_NAME: tableName,
                    ...settings.environment,
                    ...settings.chaos?.environment,
                },
            },
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            tags: ctx.tags,
        },
        opts,
    );
    if (settings.chaos) {
        grantChaosRead(ctx, name, role, settings.chaos);
    }
    return { function: fn, role, logGroup };
}

/** One `ANY` route (the handlers answer wrong methods with a JSON 405, not API Gateway's 403). */
function createRoute(
    ctx: Context,
    key: string,
    api: aws.apigateway.RestApi,
    resource: aws.apigateway.Resource,
    target: aws.lambda.Function,
) {
    const opts = { parent: ctx.parent };
    const method = new aws.apigateway.Method(
        `${ctx.name}-${key}-method`,
        { restApi: api.id, resourceId: resource.id, httpMethod: "ANY", authorization: "NONE" },
        opts,
    );
    const integration = new aws.apigateway.Integration(
        `${ctx.name}-${key}-integration`,
        {
            restApi: api.id,
            resourceId: resource.id,
            httpMethod: method.httpMethod,
            type: "AWS_PROXY",
            integrationHttpMethod: "POST",
            uri: target.invokeArn,
        },
        opts,
    );
    new aws.lambda.Permission(
        `${ctx.name}-${key}-invoke`,
        {
            action: "lambda:InvokeFunction",
            function: target.name,
            principal: "apigateway.amazonaws.com",
            sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
        },
        opts,
    );
    return { method, integration };
}

interface StageSettings {
    readonly stageName: string;
    readonly accessLogs: aws.cloudwatch.LogGroup;
    readonly throttlingRateLimit: pulumi.Input<number>;
    readonly throttlingBurstLimit: pulumi.Input<number>;
    readonly healthThrottlingRateLimit: pulumi.Input<number>;
    readonly healthThrottlingBurstLimit: pulumi.Input<number>;
    /** The account-level logging setting, which access logs need first. */
    readonly dependsOn: pulumi.Resource[];
}

/** The REGIONAL REST API with its routes and its stage. */
function createRestApi(
    ctx: Context,
    serviceName: string,
    handlers: { api: Handler; health: Handler },
    settings: StageSettings,
) {
    const opts = { parent: ctx.parent };
    const restApi = new aws.apigateway.RestApi(
        `${ctx.name}-rest`,
        {
            description: pulumi.interpolate`${serviceName} in ${ctx.region}`,
            endpointConfiguration: { types: "REGIONAL" },
            // Clients (and health checks) must come through the custom domains.
            disableExecuteApiEndpoint: true,
            tags: ctx.tags,
        },
        opts,
    );
    const path = (key: string, parentId: pulumi.Input<string>, pathPart: string) =>
        new aws.apigateway.Resource(
            `${ctx.name}-${key}`,
            { restApi: restApi.id, parentId, pathPart },
            opts,
        );
    const products = path("products", restApi.rootResourceId, "products");
    const routes = [
        createRoute(
            ctx,
            "product",
            restApi,
            path("product", products.id, "{id}"),
            handlers.api.function,
        ),
        createRoute(
            ctx,
            "health",
            restApi,
            path("health-path", restApi.rootResourceId, "health"),
            handlers.health.function,
        ),
    ];
    const responses = createGatewayResponses(ctx, restApi);
    return { restApi, stage: createStage(ctx, restApi, routes, responses, settings) };
}

/**
 * API Gateway's own answers (throttling, unknown routes, a function that failed or timed out) in
 * the handlers' shape: JSON with a message, the serving region, `no-store`, and `retry-after` on
 * 429 and 5XX, so a client can tell a retryable answer from its own mistake.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
function createGatewayResponses(ctx: Context, restApi: aws.apigateway.RestApi) {
    const header = (value: pulumi.Input<string>) => pulumi.interpolate`'${value}'`;
    const response = (
        key: string,
        responseType: string,
        opts: { statusCode?: string; message?: string; retryAfter?: boolean },
    ) =>
        new aws.apigateway.Response(
            `${ctx.name}-${key}-response`,
            {
                restApiId: restApi.id,
                responseType,
                statusCode: opts.statusCode,
                responseParameters: {
                    "gatewayresponse.header.cache-control": header("no-store"),
                    "gatewayresponse.header.x-served-by-region": header(ctx.region),
                    ...(opts.retryAfter && { "gatewayresponse.header.retry-after": header("1") }),
                },
                responseTemplates: {
                    "application/json": pulumi.interpolate`{"region":"${ctx.region}","message":${
                        opts.message === undefined
                            ? "$context.error.messageString"
                            : JSON.stringify(opts.message)
                    }}`,
                },
            },
            { parent: ctx.parent },
        );
    return [
        response("client-error", "DEFAULT_4XX", {}),
        response("server-error", "DEFAULT_5XX", { retryAfter: true }),
        response("throttled", "THROTTLED", { retryAfter: true }),
        // With no IAM authorization, this is API Gateway's answer to a path it does not serve.
        response("unknown-route", "MISSING_AUTHENTICATION_TOKEN", {
            statusCode: "404",
            message: "route not found",
        }),
    ];
}

/**
 * A deployment that follows the routes (API Gateway serves them as they were at the last
 * deployment) and the throttled stage with JSON access logs.
 */
function createStage(
    ctx: Context,
    restApi: aws.apigateway.RestApi,
    routes: { method: aws.apigateway.Method; integration: aws.apigateway.Integration }[],
    responses: aws.apigateway.Response[],
    settings: StageSettings,
): aws.apigateway.Stage {
    const opts = { parent: ctx.parent };
    const deployment = new aws.apigateway.Deployment(
        `${ctx.name}-deployment`,
        {
            restApi: restApi.id,
            // Redeploy whenever a route, its target or a gateway response changes: API Gateway
            // serves both as they were at the last deployment.
            triggers: {
                routes: pulumi.jsonStringify({
                    routes: routes.map((r) => [
                        r.method.id,
                        r.method.authorization,
                        r.integration.id,
                        r.integration.uri,
                    ]),
                    responses: responses.map((r) => [
                        r.responseType,
                        r.statusCode,
                        r.responseParameters,
                        r.responseTemplates,
                    ]),
                    disableExecuteApiEndpoint: restApi.disableExecuteApiEndpoint,
                }),
            },
        },
        {
            ...opts,
            dependsOn: [...routes.flatMap((r) => [r.method, r.integration]), ...responses],
        },
    );
    const stage = new aws.apigateway.Stage(
        `${ctx.name}-stage`,
        {
            restApi: restApi.id,
            deployment: deployment.id,
            stageName: settings.stageName,
            accessLogSettings: {
                destinationArn: settings.accessLogs.arn,
                // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
                format: JSON.stringify({
                    requestId: "$context.requestId",
                    ip: "$context.identity.sourceIp",
                    userAgent: "$context.identity.userAgent",
                    method: "$context.httpMethod",
                    path: "$context.path",
                    status: "$context.status",
                    latencyMs: "$context.responseLatency",
                    domain: "$context.domainName",
                    errorMessage: "$context.error.message",
                    errorType: "$context.error.responseType",
                    integrationStatus: "$context.integration.status",
                    integrationLatencyMs: "$context.integration.latency",
                    integrationError: "$context.integrationErrorMessage",
                    waf: "$context.wafResponseCode",
                }),
            },
            tags: ctx.tags,
        },
        { ...opts, dependsOn: settings.dependsOn },
    );
    const throttle = (
        key: string,
        methodPath: string,
        throttlingRateLimit: pulumi.Input<number>,
        throttlingBurstLimit: pulumi.Input<number>,
    ) =>
        new aws.apigateway.MethodSettings(
            `${ctx.name}-${key}`,
            {
                restApi: restApi.id,
                stageName: stage.stageName,
                methodPath,
                settings: { throttlingRateLimit, throttlingBurstLimit, metricsEnabled: true },
            },
            opts,
        );
    throttle("throttling", "*/*", settings.throttlingRateLimit, settings.throttlingBurstLimit);
    // Route 53's checkers send GET; the method setting of the request's method applies under an
    // ANY route, and gives /health its own token bucket.
    throttle(
        "health-throttling",
        "health/GET",
        settings.healthThrottlingRateLimit,
        settings.healthThrottlingBurstLimit,
    );
    return stage;
}

/**
 * An AWS WAF web ACL on the stage with a per-client-IP rate-based rule. Route 53's health checkers
 * (AWS's published `ROUTE53_HEALTHCHECKS` ranges, read at deploy time) are allowed first, so no
 * limit ever blocks them. A limited client gets 429 with `retry-after`, never a 5XX.
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
 */
function createWaf(ctx: Context, stage: aws.apigateway.Stage, waf: WafRateLimit) {
    const opts = { parent: ctx.parent };
    const windowSec = waf.evaluationWindowSec ?? REGIONAL_API_DEFAULTS.wafEvaluationWindowSec;
    const checkers = aws.getIpRangesOutput({ services: ["route53_healthchecks"] }, opts);
    const ipSet = (version: "IPV4" | "IPV6", addresses: pulumi.Input<string[]>) =>
        new aws.wafv2.IpSet(
            `${ctx.name}-route53-checkers-${version.toLowerCase()}`,
            {
                scope: "REGIONAL",
                ipAddressVersion: version,
                addresses,
                // AWS WAF descriptions allow letters, digits, spaces and + = : # @ / - , . only
                // (https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateIPSet.html).
                description: "Route 53 health checker ranges from ip-ranges.json",
                tags: ctx.tags,
            },
            opts,
        );
    const visibility = (metricName: string) => ({
        cloudwatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
        metricName,
    });
    const allow = (
        version: "IPV4" | "IPV6",
        addresses: pulumi.Input<string[]>,
        priority: number,
    ) => ({
        name: `allow-route53-checkers-${version.toLowerCase()}`,
        priority,
        action: { allow: {} },
        statement: { ipSetReferenceStatement: { arn: ipSet(version, addresses).arn } },
        visibilityConfig: visibility(`${ctx.name}-route53-checkers-${version.toLowerCase()}`),
    });
    const acl = new aws.wafv2.WebAcl(
        `${ctx.name}-waf`,
        {
            scope: "REGIONAL",
            description: "Per-client rate limit in front of the API",
            defaultAction: { allow: {} },
            customResponseBodies: [
                {
                    key: "too-many-requests",
                    contentType: "APPLICATION_JSON",
                    content: pulumi.interpolate`{"region":"${ctx.region}","message":"too many requests from this client, retry later"}`,
                },
            ],
            rules: [
                allow("IPV4", checkers.cidrBlocks, 0),
                allow("IPV6", checkers.ipv6CidrBlocks, 1),
                {
                    name: "per-client-rate-limit",
                    priority: 2,
                    action: {
                        block: {
                            customResponse: {
                                responseCode: 429,
                                customResponseBodyKey: "too-many-requests",
                                responseHeaders: [
                                    { name: "retry-after", value: String(windowSec) },
                                    { name: "cache-control", value: "no-store" },
                                ],
                            },
                        },
                    },
                    statement: {
                        rateBasedStatement: {
                            limit: waf.limit,
                            evaluationWindowSec: windowSec,
                            aggregateKeyType: "IP",
                        },
                    },
                    visibilityConfig: visibility(`${ctx.name}-per-client-rate-limit`),
                },
            ],
            visibilityConfig: visibility(`${ctx.name}-waf`),
            tags: ctx.tags,
        },
        opts,
    );
    new aws.wafv2.WebAclAssociation(
        `${ctx.name}-waf-association`,
        { resourceArn: stage.arn, webAclArn: acl.arn },
        opts,
    );
    return acl;
}

/**
 * API Gateway's account-level CloudWatch Logs role in this region. Deleting it would reset
 * logging for every REST API here, so a destroyed stack leaves the setting and its role in place.
 */
function createAccountLogging(ctx: Context): aws.apigateway.Account {
    const keep = { parent: ctx.parent, retainOnDelete: true };
    const role = new aws.iam.Role(
        `${ctx.name}-apigw-logs-role`,
        { assumeRolePolicy: assumeRole("apigateway.amazonaws.com"), tags: ctx.tags },
        keep,
    );
    const pushLogs = new aws.iam.RolePolicyAttachment(
        `${ctx.name}-apigw-logs-policy`,
        {
            role: role.name,
            policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
        },
        keep,
    );
    return new aws.apigateway.Account(
        `${ctx.name}-apigw-account`,
        { cloudwatchRoleArn: role.arn },
        { ...keep, dependsOn: [pushLogs] },
    );
}

/**
 * An ACM certificate in this region for both names, validated by DNS. ACM's validation CNAME for
 * a name is the same in every region, so the service name's record is written with
 * `allowOverwrite` (an identical UPSERT) and kept on delete: destroying one region never removes
 * the record the other region renews with (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html).
 */
function createCertificate(
    ctx: Context,
    serviceName: string,
    regionalHostname: pulumi.Input<string>,
): pulumi.Output<string> {
    const cert = new aws.acm.Certificate(
        `${ctx.name}-cert`,
        {
            domainName: serviceName,
            subjectAlternativeNames: [regionalHostname],
            validationMethod: "DNS",
            tags: ctx.tags,
        },
        { parent: ctx.parent },
    );
    const validationRecord = (key: string, domain: pulumi.Input<string>, shared: boolean) => {
        const option = pulumi.all([cert.domainValidationOptions, domain]).apply(([options, d]) => {
            const found = options.find((o) => o.domainName === d);
            if (!found) {
                throw new pulumi.ResourceError(
                    `ACM returned no validation option for ${d}`,
                    ctx.parent,
                );
            }
            return found;
        });
        return new aws.route53.Record(
            `${ctx.name}-cert-validation-${key}`,
            {
                zoneId: ctx.zone.zoneId,
                name: option.resourceRecordName,
                type: option.resourceRecordType,
                records: [option.resourceRecordValue],
                ttl: 300,
                allowOverwrite: shared,
            },
            { parent: ctx.parent, retainOnDelete: shared },
        );
    };
    return new aws.acm.CertificateValidation(
        `${ctx.name}-cert-validation`,
        {
            certificateArn: cert.arn,
            validationRecordFqdns: [
                validationRecord("service", serviceName, true).fqdn,
                validationRecord("regional", regionalHostname, false).fqdn,
            ],
        },
        { parent: ctx.parent },
    ).certificateArn;
}

/** A TLS 1.2 REGIONAL custom domain serving the stage at its root. */
function createCustomDomain(
    ctx: Context,
    key: string,
    domainName: pulumi.Input<string>,
    certificateArn: pulumi.Output<string>,
    stage: aws.apigateway.Stage,
) {
    const domain = new aws.apigateway.DomainName(
        `${ctx.name}-${key}-domain`,
        {
            domainName,
            endpointConfiguration: { types: "REGIONAL" },
            regionalCertificateArn: certificateArn,
            securityPolicy: "TLS_1_2",
            tags: ctx.tags,
        },
        { parent: ctx.parent },
    );
    const mapping = new aws.apigateway.BasePathMapping(
        `${ctx.name}-${key}-mapping`,
        { restApi: stage.restApi, stageName: stage.stageName, domainName: domain.domainName },
        { parent: ctx.parent },
    );
    // Records built on these targets wait for the mapping: a new health check counts as healthy,
    // so a record that went live first would send clients to an unmapped domain.
    const mapped = <T>(o: pulumi.Output<T>) =>
        pulumi.all([o, mapping.id]).apply(([value]) => value);
    return {
        regionalDomainName: mapped(domain.regionalDomainName),
        regionalZoneId: mapped(domain.regionalZoneId),
    };
}

/**
 * Both custom domains, for the service name (the routed record's target) and for the region's own
 * hostname, which an alias record points at its domain.
 */
function createCustomDomains(
    ctx: Context,
    serviceName: string,
    regionalHostname: pulumi.Input<string>,
    stage: aws.apigateway.Stage,
) {
    const certificateArn = createCertificate(ctx, serviceName, regionalHostname);
    const service = createCustomDomain(ctx, "service", serviceName, certificateArn, stage);
    const regional = createCustomDomain(ctx, "regional", regionalHostname, certificateArn, stage);
    const alias = new aws.route53.Record(
        `${ctx.name}-regional-alias`,
        {
            zoneId: ctx.zone.zoneId,
            name: regionalHostname,
            type: "A",
            aliases: [
                {
                    name: regional.regionalDomainName,
                    zoneId: regional.regionalZoneId,
                    evaluateTargetHealth: false,
                },
            ],
        },
        { parent: ctx.parent },
    );
    return { service, regionalHostname: alias.fqdn, certificateArn };
}

/**
 * The SHA-256 digests of the access tokens, comma-separated, as a secret (which hides the whole
 * environment from previews and the plan): the function compares digests, so the tokens
 * themselves never reach it. Tokens known only at deploy time (secret
 * config) are checked here, with the same message as known ones.
 */
function accessTokenDigests(
    name: string,
    parent: pulumi.Resource,
    tokens: pulumi.Input<pulumi.Input<string>[]> | undefined,
): pulumi.Output<string> {
    if (tokens === undefined) {
        return pulumi.output("");
    }
    return pulumi.secret(
        pulumi.output(tokens).apply((list) => {
            const problem = accessTokensProblem(list);
            if (problem !== undefined) {
                throw new pulumi.ResourceError(
                    `RegionalApi "${name}": [accessTokens] ${problem}`,
                    parent,
                );
            }
            return list.map((t) => createHash("sha256").update(t).digest("hex")).join(",");
        }),
    );
}

/**
 * One region of the API, and a `RegionalEndpoint` for `FailoverDomain`: Lambda handlers
 * (`api`, `health`) behind a REGIONAL REST API with its default `execute-api` endpoint disabled,
 * an ACM certificate in this region for the service name and the region's own hostname, both
 * custom domains, and an alias from the regional hostname to its domain. The region comes from
 * the inherited provider. It serves `/health` and so defines the health contract.
 */
export class RegionalApi extends pulumi.ComponentResource implements RegionalEndpoint {
    /** The AWS region (from the provider). */
    public readonly region: pulumi.Output<string>;
    /** The routed name this region serves. */
    public readonly serviceName: pulumi.Output<string>;
    /** Id of the hosted zone holding both names (looked up once, here). */
    public readonly hostedZoneId: pulumi.Output<string>;
    /**
     * The hosted zone's authoritative name servers (from the same lookup): asking them directly
     * shows a record's current answer, which no resolver cache hides.
     */
    public readonly nameServers: pulumi.Output<string[]>;
    /** The service name's custom domain target: its regional domain name. */
    public readonly regionalDomainName: pulumi.Output<string>;
    /** The service name's custom domain target: its regional hosted zone id. */
    public readonly regionalZoneId: pulumi.Output<string>;
    /** This region's own hostname (health check target), for example `us-east-1.api.example.com`. */
    public readonly regionalHostname: pulumi.Output<string>;
    /** Path of the deep health check. */
    public readonly healthPath: pulumi.Output<string>;
    /** Text a healthy `/health` answer contains and an unhealthy one never does. */
    public readonly healthSearchString: pulumi.Output<string>;
    /** `https://<regionalHostname>/health`. */
    public readonly healthUrl: pulumi.Output<string>;
    /** ARN of the validated ACM certificate (in this region) that both custom domains serve. */
    public readonly certificateArn: pulumi.Output<string>;
    /** The `api` handler (`/products/{id}`): function, role, log group. */
    public readonly apiHandler: Handler;
    /** The `health` handler (`/health`): function, role, log group. */
    public readonly healthHandler: Handler;
    /** The REST API; its `name` is the `ApiName` dimension of its CloudWatch metrics. */
    public readonly restApi: aws.apigateway.RestApi;
    /** The stage the custom domains serve. */
    public readonly stage: aws.apigateway.Stage;
    /** The stage's access log group. */
    public readonly accessLogGroup: aws.cloudwatch.LogGroup;
    /** The WAF web ACL on the stage, when `waf` is set. */
    public readonly webAcl: aws.wafv2.WebAcl | undefined;
    /** The chaos resources, when `chaos` is set: bucket, FIS role and experiment templates. */
    public readonly chaos: ChaosResources | undefined;

    constructor(name: string, args: RegionalApiArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before super(): bad input must fail before anything is registered.
        validate(name, args);
        super(componentType("RegionalApi"), name, {}, withPreviousType("RegionalApi", opts));
        const d = REGIONAL_API_DEFAULTS;
        const invoke = { parent: this };
        const ctx: Context = {
            name,
            parent: this,
            tags: args.tags ?? {},
            region: aws.getRegionOutput({}, invoke).region,
            partition: aws.getPartitionOutput({}, invoke).partition,
            accountId: aws.getCallerIdentityOutput({}, invoke).accountId,
            zone: aws.route53.getZoneOutput({ name: args.zoneName, privateZone: false }, invoke),
            retentionInDays: args.logRetentionDays ?? d.logRetentionDays,
        };
        const regionalHostname =
            args.regionalHostname ?? pulumi.interpolate`${ctx.region}.${args.serviceName}`;
        // The table's name lands in the handlers' IAM policies: checked even when known only at
        // deploy time, with the message a known bad name gets.
        const table = checkedWhenKnown(
            args.tableName,
            tableName,
            (problem) =>
                new pulumi.ResourceError(
                    `RegionalApi "${name}": [tableName] ${problem}`,
                    this,
                    true,
                ),
        );

        const chaosLocation = args.chaos && createChaosLocation(ctx);
        this.apiHandler = createHandler(ctx, "api", {
            chaos: chaosLocation,
            tableName: table,
            tableActions: ["dynamodb:GetItem", "dynamodb:PutItem"],
            timeout: API_FUNCTION_TIMEOUT_SECONDS,
            environment: {
                ACCESS_TOKEN_SHA256: accessTokenDigests(name, this, args.accessTokens),
                PUBLIC_READS: String(args.publicReads ?? d.publicReads),
            },
        });
        // The health function answers within its 1 s store timeout; 3 s leaves room for a cold start.
        this.healthHandler = createHandler(ctx, "health", {
            chaos: chaosLocation,
            tableName: table,
            tableActions: ["dynamodb:GetItem"],
            timeout: 3,
            reservedConcurrentExecutions:
                args.healthReservedConcurrency ?? d.healthReservedConcurrency,
        });
        this.accessLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-access-logs`,
            { retentionInDays: ctx.retentionInDays, tags: ctx.tags },
            { parent: this },
        );
        const account =
            (args.manageApiGatewayAccount ?? d.manageApiGatewayAccount)
                ? [createAccountLogging(ctx)]
                : [];
        const { restApi, stage } = createRestApi(
            ctx,
            args.serviceName,
            { api: this.apiHandler, health: this.healthHandler },
            {
                stageName: args.stageName ?? d.stageName,
                accessLogs: this.accessLogGroup,
                throttlingRateLimit: args.throttlingRateLimit ?? d.throttlingRateLimit,
                throttlingBurstLimit: args.throttlingBurstLimit ?? d.throttlingBurstLimit,
                healthThrottlingRateLimit:
                    args.healthThrottlingRateLimit ?? d.healthThrottlingRateLimit,
                healthThrottlingBurstLimit:
                    args.healthThrottlingBurstLimit ?? d.healthThrottlingBurstLimit,
                dependsOn: account,
            },
        );
        this.webAcl = args.waf && createWaf(ctx, stage, args.waf);
        this.chaos =
            args.chaos && chaosLocation
                ? {
                      bucket: chaosLocation.bucket,
                      ...createChaosExperiments(
                          ctx,
                          chaosLocation,
                          [this.apiHandler.function, this.healthHandler.function],
                          args.chaos,
                      ),
                  }
                : undefined;

        const domains = createCustomDomains(ctx, args.serviceName, regionalHostname, stage);

        this.region = ctx.region;
        this.serviceName = pulumi.output(args.serviceName);
        this.hostedZoneId = ctx.zone.zoneId;
        this.nameServers = ctx.zone.nameServers;
        this.regionalDomainName = domains.service.regionalDomainName;
        this.regionalZoneId = domains.service.regionalZoneId;
        this.regionalHostname = domains.regionalHostname;
        this.healthPath = pulumi.output("/health");
        this.healthSearchString = pulumi.output(HEALTH_TOKEN);
        this.healthUrl = pulumi.interpolate`https://${domains.regionalHostname}${this.healthPath}`;
        this.certificateArn = domains.certificateArn;
        this.restApi = restApi;
        this.stage = stage;
        this.registerOutputs({
            region: this.region,
            serviceName: this.serviceName,
            hostedZoneId: this.hostedZoneId,
            nameServers: this.nameServers,
            regionalDomainName: this.regionalDomainName,
            regionalZoneId: this.regionalZoneId,
            regionalHostname: this.regionalHostname,
            healthPath: this.healthPath,
            healthSearchString: this.healthSearchString,
            healthUrl: this.healthUrl,
            certificateArn: this.certificateArn,
        });
    }
}
