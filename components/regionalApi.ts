import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_TOKEN } from "../functions/health/token";
import { handlerArchive } from "./handlerBundle";
import { ArgProblems, isDnsName, isInZone, known, shown } from "./validation";

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
] as const;

/** Arguments for {@link RegionalApi}. */
export interface RegionalApiArgs {
    /** The name clients use in every region, for example `api.example.com`. */
    readonly serviceName: string;
    /** The public hosted zone that holds `serviceName`; looked up by name, never created. */
    readonly zoneName: string;
    /**
     * This region's own hostname: the target of its health check, never routed between regions.
     * @default `<region>.<serviceName>`, for example `us-east-1.api.example.com`
     */
    readonly regionalName?: string;
    /** The DynamoDB table (the global table's name, the same in every region). */
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
     * Manage API Gateway's account-level CloudWatch Logs role in this region, which access
     * logging requires. Set to false when something else in the account already manages it.
     * The setting and its role are kept when the stack is destroyed (other APIs rely on them).
     * @default true
     */
    readonly manageApiGatewayAccount?: boolean;
}

/** Validates the plain arguments of a {@link RegionalApi}; exported for tests and tools. */
export function validateRegionalApiArgs(name: string, args: RegionalApiArgs): void {
    const p = new ArgProblems("RegionalApi", name);
    const zone = args.zoneName;
    p.check(
        typeof zone === "string" && isDnsName(zone),
        `[zoneName] must be a lowercase DNS name without a trailing dot (got ${shown(zone)})`,
    );
    p.check(
        typeof args.serviceName === "string" &&
            isDnsName(args.serviceName) &&
            isInZone(args.serviceName, zone),
        `[serviceName] must be a lowercase DNS name inside zone ${shown(zone)} (got ${shown(args.serviceName)})`,
    );
    if (args.regionalName !== undefined) {
        p.check(
            isDnsName(args.regionalName) && isInZone(args.regionalName, zone),
            `[regionalName] must be a lowercase DNS name inside zone ${shown(zone)} (got ${shown(args.regionalName)})`,
        );
        p.check(
            args.regionalName !== args.serviceName,
            `[regionalName] must differ from [serviceName]: Route 53 health checks must not target the routed name`,
        );
    }
    if (args.stageName !== undefined) {
        p.check(
            /^[A-Za-z0-9_]{1,128}$/.test(args.stageName),
            `[stageName] must be 1-128 letters, digits or underscores (got ${shown(args.stageName)})`,
        );
    }
    for (const key of ["throttlingRateLimit", "throttlingBurstLimit"] as const) {
        const v = known(args[key]);
        if (v !== undefined) {
            p.check(
                Number.isFinite(v) && v > 0,
                `[${key}] must be a positive number (got ${shown(v)})`,
            );
        }
    }
    const retention = known(args.logRetentionDays);
    if (retention !== undefined) {
        p.check(
            (LOG_RETENTION_DAYS as readonly number[]).includes(retention),
            `[logRetentionDays] must be one of ${LOG_RETENTION_DAYS.join(", ")} (got ${shown(retention)})`,
        );
    }
    p.throwIfAny();
}

const lambdaAssumeRole = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
        },
    ],
});

/**
 * One region of the API: Lambda handlers (`api`, `health`) behind a REGIONAL REST API with its
 * default `execute-api` endpoint disabled, an ACM certificate in this region for the service name
 * and the region's own name, and both custom domains. Region comes from the inherited provider.
 *
 * Certificate validation: ACM's DNS validation CNAME for a name is the same in every region and
 * account-wide, so each region's stack writes the service name's record with `allowOverwrite`
 * (identical UPSERT) and `retainOnDelete`: destroying one region never removes the record the
 * other region's certificate renews with. The region's own name has its own record, owned normally.
 */
export class RegionalApi extends pulumi.ComponentResource {
    /** Region of this API (from the provider). */
    public readonly region: pulumi.Output<string>;
    /** Alias target for the routed record: the service domain's regional domain name. */
    public readonly serviceTargetDomainName: pulumi.Output<string>;
    /** Alias target zone for the routed record: the service domain's regional hosted zone id. */
    public readonly serviceTargetZoneId: pulumi.Output<string>;
    /** This region's own hostname (health check target). */
    public readonly regionalHostname: pulumi.Output<string>;
    /** `https://<regionalHostname>/health`. */
    public readonly healthUrl: pulumi.Output<string>;
    /** Path of the deep health check. */
    public readonly healthPath: string = "/health";
    /** Text a healthy `/health` answer contains and an unhealthy one never does. */
    public readonly healthSearchString: string = HEALTH_TOKEN;
    public readonly apiFunctionName: pulumi.Output<string>;
    public readonly healthFunctionName: pulumi.Output<string>;
    public readonly restApiId: pulumi.Output<string>;
    /** The REST API's name: the `ApiName` dimension of its CloudWatch metrics. */
    public readonly restApiName: pulumi.Output<string>;
    public readonly stageName: pulumi.Output<string>;

    constructor(name: string, args: RegionalApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multiregion:index:RegionalApi", name, {}, opts);
        validateRegionalApiArgs(name, args);

        const parent = { parent: this };
        const region = aws.getRegionOutput({}, parent).region;
        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const partition = aws.getPartitionOutput({}, parent).partition;
        const zone = aws.route53.getZoneOutput({ name: args.zoneName, privateZone: false }, parent);
        const regionalName = args.regionalName
            ? pulumi.output(args.regionalName)
            : pulumi.interpolate`${region}.${args.serviceName}`;
        const retentionInDays = args.logRetentionDays ?? 30;
        const tableArn = pulumi.interpolate`arn:${partition}:dynamodb:${region}:${account}:table/${args.tableName}`;

        const fn = (role: "api" | "health", actions: string[], timeout: number) => {
            const logs = new aws.cloudwatch.LogGroup(
                `${name}-${role}-logs`,
                { retentionInDays },
                parent,
            );
            const iamRole = new aws.iam.Role(
                `${name}-${role}-role`,
                { assumeRolePolicy: lambdaAssumeRole },
                parent,
            );
            new aws.iam.RolePolicy(
                `${name}-${role}-policy`,
                {
                    role: iamRole.id,
                    policy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Action: actions, Resource: tableArn },
                            {
                                Effect: "Allow",
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                Resource: pulumi.interpolate`${logs.arn}:*`,
                            },
                        ],
                    }),
                },
                parent,
            );
            return new aws.lambda.Function(
                `${name}-${role}`,
                {
                    runtime: aws.lambda.Runtime.NodeJS22dX,
                    architectures: ["arm64"],
                    handler: "index.handler",
                    code: handlerArchive(role),
                    role: iamRole.arn,
                    memorySize: 256,
                    timeout,
                    environment: { variables: { TABLE_NAME: args.tableName } },
                    loggingConfig: { logFormat: "JSON", logGroup: logs.name },
                },
                parent,
            );
        };
        // The health function answers within its 1 s store timeout; 3 s leaves room for a cold start.
        const apiFn = fn("api", ["dynamodb:GetItem", "dynamodb:PutItem"], 10);
        const healthFn = fn("health", ["dynamodb:GetItem"], 3);

        const api = new aws.apigateway.RestApi(
            `${name}-rest`,
            {
                description: pulumi.interpolate`multi-region-api ${args.serviceName} in ${region}`,
                endpointConfiguration: { types: "REGIONAL" },
                // Clients must come through the custom domains (and health checks too).
                disableExecuteApiEndpoint: true,
            },
            parent,
        );
        const products = new aws.apigateway.Resource(
            `${name}-products`,
            { restApi: api.id, parentId: api.rootResourceId, pathPart: "products" },
            parent,
        );
        const product = new aws.apigateway.Resource(
            `${name}-product`,
            { restApi: api.id, parentId: products.id, pathPart: "{id}" },
            parent,
        );
        const health = new aws.apigateway.Resource(
            `${name}-health-path`,
            { restApi: api.id, parentId: api.rootResourceId, pathPart: "health" },
            parent,
        );
        // ANY, so that the handlers answer wrong methods with a JSON 405 instead of API Gateway's 403.
        const route = (
            key: string,
            resource: aws.apigateway.Resource,
            target: aws.lambda.Function,
        ) => {
            const method = new aws.apigateway.Method(
                `${name}-${key}-method`,
                {
                    restApi: api.id,
                    resourceId: resource.id,
                    httpMethod: "ANY",
                    authorization: "NONE",
                },
                parent,
            );
            const integration = new aws.apigateway.Integration(
                `${name}-${key}-integration`,
                {
                    restApi: api.id,
                    resourceId: resource.id,
                    httpMethod: method.httpMethod,
                    type: "AWS_PROXY",
                    integrationHttpMethod: "POST",
                    uri: target.invokeArn,
                },
                parent,
            );
            new aws.lambda.Permission(
                `${name}-${key}-invoke`,
                {
                    action: "lambda:InvokeFunction",
                    function: target.name,
                    principal: "apigateway.amazonaws.com",
                    sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
                },
                parent,
            );
            return { method, integration };
        };
        const routes = [route("product", product, apiFn), route("health", health, healthFn)];

        const deployment = new aws.apigateway.Deployment(
            `${name}-deployment`,
            {
                restApi: api.id,
                // Redeploy whenever a route or its target changes: API Gateway serves the routes
                // and integrations as they were at the last deployment.
                triggers: {
                    routes: pulumi.jsonStringify({
                        routes: routes.map((r) => [
                            r.method.id,
                            r.method.authorization,
                            r.integration.id,
                            r.integration.uri,
                        ]),
                        disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
                    }),
                },
            },
            { parent: this, dependsOn: routes.flatMap((r) => [r.method, r.integration]) },
        );

        const dependsOnAccount: pulumi.Resource[] = [];
        if (args.manageApiGatewayAccount ?? true) {
            // Account-wide in this region: deleting it would reset logging for every REST API
            // here, so a destroyed stack leaves the setting and its role in place.
            const keep = { parent: this, retainOnDelete: true };
            const logsRole = new aws.iam.Role(
                `${name}-apigw-logs-role`,
                {
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "apigateway.amazonaws.com" },
                                Action: "sts:AssumeRole",
                            },
                        ],
                    }),
                },
                keep,
            );
            const pushLogs = new aws.iam.RolePolicyAttachment(
                `${name}-apigw-logs-policy`,
                {
                    role: logsRole.name,
                    policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
                },
                keep,
            );
            dependsOnAccount.push(
                new aws.apigateway.Account(
                    `${name}-apigw-account`,
                    { cloudwatchRoleArn: logsRole.arn },
                    { ...keep, dependsOn: [pushLogs] },
                ),
            );
        }
        const accessLogs = new aws.cloudwatch.LogGroup(
            `${name}-access-logs`,
            { retentionInDays },
            parent,
        );
        const stage = new aws.apigateway.Stage(
            `${name}-stage`,
            {
                restApi: api.id,
                deployment: deployment.id,
                stageName: args.stageName ?? "live",
                accessLogSettings: {
                    destinationArn: accessLogs.arn,
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
            },
            { parent: this, dependsOn: dependsOnAccount },
        );
        new aws.apigateway.MethodSettings(
            `${name}-throttling`,
            {
                restApi: api.id,
                stageName: stage.stageName,
                methodPath: "*/*",
                settings: {
                    throttlingRateLimit: args.throttlingRateLimit ?? 100,
                    throttlingBurstLimit: args.throttlingBurstLimit ?? 200,
                    metricsEnabled: true,
                },
            },
            parent,
        );

        const cert = new aws.acm.Certificate(
            `${name}-cert`,
            {
                domainName: args.serviceName,
                subjectAlternativeNames: [regionalName],
                validationMethod: "DNS",
            },
            parent,
        );
        const validationRecord = (key: string, domain: pulumi.Input<string>, shared: boolean) => {
            const option = pulumi
                .all([cert.domainValidationOptions, domain])
                .apply(([options, d]) => {
                    const found = options.find((o) => o.domainName === d);
                    if (!found) {
                        throw new pulumi.ResourceError(
                            `ACM returned no validation option for ${d}`,
                            this,
                        );
                    }
                    return found;
                });
            return new aws.route53.Record(
                `${name}-cert-validation-${key}`,
                {
                    zoneId: zone.zoneId,
                    name: option.resourceRecordName,
                    type: option.resourceRecordType,
                    records: [option.resourceRecordValue],
                    ttl: 300,
                    allowOverwrite: shared,
                },
                { parent: this, retainOnDelete: shared },
            );
        };
        const validation = new aws.acm.CertificateValidation(
            `${name}-cert-validation`,
            {
                certificateArn: cert.arn,
                validationRecordFqdns: [
                    validationRecord("service", args.serviceName, true).fqdn,
                    validationRecord("regional", regionalName, false).fqdn,
                ],
            },
            parent,
        );

        const customDomain = (key: string, domainName: pulumi.Input<string>) => {
            const domain = new aws.apigateway.DomainName(
                `${name}-${key}-domain`,
                {
                    domainName,
                    endpointConfiguration: { types: "REGIONAL" },
                    regionalCertificateArn: validation.certificateArn,
                    securityPolicy: "TLS_1_2",
                },
                parent,
            );
            const mapping = new aws.apigateway.BasePathMapping(
                `${name}-${key}-mapping`,
                { restApi: api.id, stageName: stage.stageName, domainName: domain.domainName },
                parent,
            );
            // Alias targets resolve only once the domain serves the API: a record built on them
            // waits for the mapping (a new health check counts as healthy, so a record that went
            // live first would send clients to an unmapped domain).
            const mapped = <T>(o: pulumi.Output<T>) =>
                pulumi.all([o, mapping.id]).apply(([value]) => value);
            return {
                domainName: domain.domainName,
                regionalDomainName: mapped(domain.regionalDomainName),
                regionalZoneId: mapped(domain.regionalZoneId),
            };
        };
        const serviceDomain = customDomain("service", args.serviceName);
        const regionalDomain = customDomain("regional", regionalName);
        const regionalRecord = new aws.route53.Record(
            `${name}-regional-alias`,
            {
                zoneId: zone.zoneId,
                name: regionalName,
                type: "A",
                aliases: [
                    {
                        name: regionalDomain.regionalDomainName,
                        zoneId: regionalDomain.regionalZoneId,
                        evaluateTargetHealth: false,
                    },
                ],
            },
            parent,
        );

        this.region = region;
        this.serviceTargetDomainName = serviceDomain.regionalDomainName;
        this.serviceTargetZoneId = serviceDomain.regionalZoneId;
        this.regionalHostname = regionalRecord.fqdn;
        this.healthUrl = pulumi.interpolate`https://${regionalRecord.fqdn}${this.healthPath}`;
        this.apiFunctionName = apiFn.name;
        this.healthFunctionName = healthFn.name;
        this.restApiId = api.id;
        this.restApiName = api.name;
        this.stageName = stage.stageName;
        this.registerOutputs({
            region: this.region,
            serviceTargetDomainName: this.serviceTargetDomainName,
            serviceTargetZoneId: this.serviceTargetZoneId,
            regionalHostname: this.regionalHostname,
            healthUrl: this.healthUrl,
            apiFunctionName: this.apiFunctionName,
            healthFunctionName: this.healthFunctionName,
            restApiId: this.restApiId,
            restApiName: this.restApiName,
            stageName: this.stageName,
        });
    }
}
