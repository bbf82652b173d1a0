import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_TOKEN } from "../functions/health/token";
import { RegionalEndpoint } from "./failoverDomain";
import { HandlerName, LAMBDA_RUNTIME, handlerArchive } from "./handlerBundle";
import { ArgProblems, dnsName, nameInZone, tableName } from "./validation";

/** Retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/** Defaults of `RegionalApiArgs`, in one place. */
export const REGIONAL_API_DEFAULTS = {
    stageName: "live",
    throttlingRateLimit: 100,
    throttlingBurstLimit: 200,
    logRetentionDays: 30,
    manageApiGatewayAccount: false,
};

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

function validate(name: string, args: RegionalApiArgs): void {
    const p = new ArgProblems("RegionalApi", name);
    p.required("zoneName", args.zoneName, dnsName);
    p.required("serviceName", args.serviceName, nameInZone(args.zoneName));
    p.rule("regionalHostname", args.regionalHostname, nameInZone(args.zoneName));
    p.check(
        args.regionalHostname === undefined || args.regionalHostname !== args.serviceName,
        "regionalHostname",
        "must differ from [serviceName]: Route 53 health checks must not target the routed name",
    );
    p.required("tableName", args.tableName, tableName);
    p.rule("stageName", args.stageName, (v) =>
        typeof v === "string" && /^[A-Za-z0-9_]{1,128}$/.test(v)
            ? undefined
            : "1-128 letters, digits or underscores",
    );
    for (const key of ["throttlingRateLimit", "throttlingBurstLimit"] as const) {
        p.rule(key, args[key], (v) =>
            typeof v === "number" && Number.isFinite(v) && v > 0 ? undefined : "a positive number",
        );
    }
    p.rule("logRetentionDays", args.logRetentionDays, (v) =>
        LOG_RETENTION_DAYS.includes(v as number)
            ? undefined
            : `one of ${LOG_RETENTION_DAYS.join(", ")}`,
    );
    p.throwIfAny();
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
    readonly zoneId: pulumi.Output<string>;
    readonly retentionInDays: pulumi.Input<number>;
}

const assumeRole = (service: string) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });

/** One Lambda handler with its log group and its own least-privilege role. */
export interface Handler {
    readonly function: aws.lambda.Function;
    readonly role: aws.iam.Role;
    readonly logGroup: aws.cloudwatch.LogGroup;
}

function createHandler(
    ctx: Context,
    handler: HandlerName,
    tableName: pulumi.Input<string>,
    tableActions: string[],
    timeout: number,
): Handler {
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
            timeout,
            environment: { variables: { TABLE_NAME: tableName } },
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            tags: ctx.tags,
        },
        opts,
    );
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
    return { restApi, stage: createStage(ctx, restApi, routes, settings) };
}

/**
 * A deployment that follows the routes (API Gateway serves them as they were at the last
 * deployment) and the throttled stage with JSON access logs.
 */
function createStage(
    ctx: Context,
    restApi: aws.apigateway.RestApi,
    routes: { method: aws.apigateway.Method; integration: aws.apigateway.Integration }[],
    settings: StageSettings,
): aws.apigateway.Stage {
    const opts = { parent: ctx.parent };
    const deployment = new aws.apigateway.Deployment(
        `${ctx.name}-deployment`,
        {
            restApi: restApi.id,
            // Redeploy whenever a route or its target changes.
            triggers: {
                routes: pulumi.jsonStringify({
                    routes: routes.map((r) => [
                        r.method.id,
                        r.method.authorization,
                        r.integration.id,
                        r.integration.uri,
                    ]),
                    disableExecuteApiEndpoint: restApi.disableExecuteApiEndpoint,
                }),
            },
        },
        { ...opts, dependsOn: routes.flatMap((r) => [r.method, r.integration]) },
    );
    const stage = new aws.apigateway.Stage(
        `${ctx.name}-stage`,
        {
            restApi: restApi.id,
            deployment: deployment.id,
            stageName: settings.stageName,
            accessLogSettings: {
                destinationArn: settings.accessLogs.arn,
                format: JSON.stringify({
                    requestId: "$context.requestId",
                    ip: "$context.identity.sourceIp",
                    method: "$context.httpMethod",
                    path: "$context.path",
                    status: "$context.status",
                    latencyMs: "$context.responseLatency",
                    domain: "$context.domainName",
                }),
            },
            tags: ctx.tags,
        },
        { ...opts, dependsOn: settings.dependsOn },
    );
    new aws.apigateway.MethodSettings(
        `${ctx.name}-throttling`,
        {
            restApi: restApi.id,
            stageName: stage.stageName,
            methodPath: "*/*",
            settings: {
                throttlingRateLimit: settings.throttlingRateLimit,
                throttlingBurstLimit: settings.throttlingBurstLimit,
                metricsEnabled: true,
            },
        },
        opts,
    );
    return stage;
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
                zoneId: ctx.zoneId,
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
            zoneId: ctx.zoneId,
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
    return { service, regionalHostname: alias.fqdn };
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

    constructor(name: string, args: RegionalApiArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before super(): bad input must fail before anything is registered.
        validate(name, args);
        super("multiregion:index:RegionalApi", name, {}, opts);
        const d = REGIONAL_API_DEFAULTS;
        const invoke = { parent: this };
        const ctx: Context = {
            name,
            parent: this,
            tags: args.tags ?? {},
            region: aws.getRegionOutput({}, invoke).region,
            partition: aws.getPartitionOutput({}, invoke).partition,
            accountId: aws.getCallerIdentityOutput({}, invoke).accountId,
            zoneId: aws.route53.getZoneOutput({ name: args.zoneName, privateZone: false }, invoke)
                .zoneId,
            retentionInDays: args.logRetentionDays ?? d.logRetentionDays,
        };
        const regionalHostname =
            args.regionalHostname ?? pulumi.interpolate`${ctx.region}.${args.serviceName}`;

        this.apiHandler = createHandler(
            ctx,
            "api",
            args.tableName,
            ["dynamodb:GetItem", "dynamodb:PutItem"],
            10,
        );
        // The health function answers within its 1 s store timeout; 3 s leaves room for a cold start.
        this.healthHandler = createHandler(ctx, "health", args.tableName, ["dynamodb:GetItem"], 3);
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
                dependsOn: account,
            },
        );

        const domains = createCustomDomains(ctx, args.serviceName, regionalHostname, stage);

        this.region = ctx.region;
        this.serviceName = pulumi.output(args.serviceName);
        this.hostedZoneId = ctx.zoneId;
        this.regionalDomainName = domains.service.regionalDomainName;
        this.regionalZoneId = domains.service.regionalZoneId;
        this.regionalHostname = domains.regionalHostname;
        this.healthPath = pulumi.output("/health");
        this.healthSearchString = pulumi.output(HEALTH_TOKEN);
        this.healthUrl = pulumi.interpolate`https://${domains.regionalHostname}${this.healthPath}`;
        this.restApi = restApi;
        this.stage = stage;
        this.registerOutputs({
            region: this.region,
            serviceName: this.serviceName,
            hostedZoneId: this.hostedZoneId,
            regionalDomainName: this.regionalDomainName,
            regionalZoneId: this.regionalZoneId,
            regionalHostname: this.regionalHostname,
            healthPath: this.healthPath,
            healthSearchString: this.healthSearchString,
            healthUrl: this.healthUrl,
        });
    }
}
