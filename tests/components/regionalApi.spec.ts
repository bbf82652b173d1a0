import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as path from "node:path";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { RegionalApi, RegionalApiArgs } from "../../components/regionalApi";
import { bundleHandler, HandlerName } from "../../components/handlerBundle";
import { HEALTH_TOKEN } from "../../functions/health/token";
import { API_FUNCTION_TIMEOUT_SECONDS } from "../../functions/api/budget";
import { RecordedResource, REDACTED_SECRET } from "../../plan/mockRuntime";
import { created, promiseOf, reset, state } from "../harness";
import {
    assertTags,
    childrenOf,
    component,
    inventory,
    rejectsBeforeRegistering,
    urnOf,
    withPlainStacks,
} from "./helpers";

const TYPE = "multi-region-api:index:RegionalApi";
const GATEWAY_RESPONSES = ["client-error", "server-error", "throttled", "unknown-route"];
/** Two well-formed access tokens (64 hex characters, as `openssl rand -hex 32` makes them). */
const TOKEN_A = "a".repeat(64);
const TOKEN_B = "0123456789abcdef".repeat(4);
const sha256 = (t: string) => createHash("sha256").update(t).digest("hex");
const ACCOUNT = "123456789012";

const args: RegionalApiArgs = {
    serviceName: "api.example.com",
    zoneName: "example.com",
    tableName: "products",
};

/** Every child a RegionalApi named `n` registers, as `type name`, sorted. */
function expectedInventory(n: string, accountLogging: boolean, waf = false): string[] {
    return [
        `aws:apigateway/methodSettings:MethodSettings ${n}-health-throttling`,
        ...GATEWAY_RESPONSES.map((r) => `aws:apigateway/response:Response ${n}-${r}-response`),
        ...(waf
            ? [
                  `aws:wafv2/ipSet:IpSet ${n}-route53-checkers-ipv4`,
                  `aws:wafv2/ipSet:IpSet ${n}-route53-checkers-ipv6`,
                  `aws:wafv2/webAcl:WebAcl ${n}-waf`,
                  `aws:wafv2/webAclAssociation:WebAclAssociation ${n}-waf-association`,
              ]
            : []),
        `aws:acm/certificate:Certificate ${n}-cert`,
        `aws:acm/certificateValidation:CertificateValidation ${n}-cert-validation`,
        ...(accountLogging ? [`aws:apigateway/account:Account ${n}-apigw-account`] : []),
        `aws:apigateway/basePathMapping:BasePathMapping ${n}-regional-mapping`,
        `aws:apigateway/basePathMapping:BasePathMapping ${n}-service-mapping`,
        `aws:apigateway/deployment:Deployment ${n}-deployment`,
        `aws:apigateway/domainName:DomainName ${n}-regional-domain`,
        `aws:apigateway/domainName:DomainName ${n}-service-domain`,
        `aws:apigateway/integration:Integration ${n}-health-integration`,
        `aws:apigateway/integration:Integration ${n}-product-integration`,
        `aws:apigateway/method:Method ${n}-health-method`,
        `aws:apigateway/method:Method ${n}-product-method`,
        `aws:apigateway/methodSettings:MethodSettings ${n}-throttling`,
        `aws:apigateway/resource:Resource ${n}-health-path`,
        `aws:apigateway/resource:Resource ${n}-product`,
        `aws:apigateway/resource:Resource ${n}-products`,
        `aws:apigateway/restApi:RestApi ${n}-rest`,
        `aws:apigateway/stage:Stage ${n}-stage`,
        `aws:cloudwatch/logGroup:LogGroup ${n}-access-logs`,
        `aws:cloudwatch/logGroup:LogGroup ${n}-api-logs`,
        `aws:cloudwatch/logGroup:LogGroup ${n}-health-logs`,
        `aws:iam/role:Role ${n}-api-role`,
        ...(accountLogging ? [`aws:iam/role:Role ${n}-apigw-logs-role`] : []),
        `aws:iam/role:Role ${n}-health-role`,
        `aws:iam/rolePolicy:RolePolicy ${n}-api-policy`,
        `aws:iam/rolePolicy:RolePolicy ${n}-health-policy`,
        ...(accountLogging
            ? [`aws:iam/rolePolicyAttachment:RolePolicyAttachment ${n}-apigw-logs-policy`]
            : []),
        `aws:lambda/function:Function ${n}-api`,
        `aws:lambda/function:Function ${n}-health`,
        `aws:lambda/permission:Permission ${n}-health-invoke`,
        `aws:lambda/permission:Permission ${n}-product-invoke`,
        `aws:route53/record:Record ${n}-cert-validation-regional`,
        `aws:route53/record:Record ${n}-cert-validation-service`,
        `aws:route53/record:Record ${n}-regional-alias`,
    ].sort();
}

/** The AWS types of a RegionalApi that take tags (the tag check must find each of them). */
const TAGGED_TYPES_WITHOUT_WAF = [
    "aws:acm/certificate:Certificate",
    "aws:apigateway/domainName:DomainName",
    "aws:apigateway/restApi:RestApi",
    "aws:apigateway/stage:Stage",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:iam/role:Role",
    "aws:lambda/function:Function",
];
const TAGGED_TYPES = [
    ...TAGGED_TYPES_WITHOUT_WAF,
    "aws:wafv2/ipSet:IpSet",
    "aws:wafv2/webAcl:WebAcl",
];

function provider(region: string) {
    return new aws.Provider(`aws-${region}`, { region });
}

/** Waits until `apis` have resolved their outputs and every registration has settled. */
async function settled(...apis: RegionalApi[]) {
    await Promise.all(apis.flatMap((a) => [promiseOf(a.healthUrl), promiseOf(a.regionalZoneId)]));
    await state.settle();
}

/** The children of the RegionalApi `name`, keyed by name. */
function childrenByName(name: string): Record<string, RecordedResource> {
    const parent = component(TYPE, name);
    return Object.fromEntries(childrenOf(parent).map((c) => [c.name, c]));
}

const assumeRole = (service: string) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });

const ACCESS_LOG_FORMAT = JSON.stringify({
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
});

/** The handler bundle built by a freshly loaded copy of the bundler module (no shared cache). */
async function freshBundle(name: HandlerName): Promise<string> {
    const id = require.resolve("../../components/handlerBundle");
    const cached = require.cache[id];
    delete require.cache[id];
    try {
        const fresh = await import("../../components/handlerBundle");
        assert.notEqual(fresh.bundleHandler, bundleHandler, "a second copy of the module");
        return fresh.bundleHandler(name);
    } finally {
        require.cache[id] = cached;
    }
}

describe("RegionalApi", () => {
    describe("with defaults, in eu-west-1", () => {
        let api: RegionalApi;
        let c: Record<string, RecordedResource>;
        let zoneId: string;

        before(() =>
            withPlainStacks(async () => {
                reset();
                api = new RegionalApi("euw1", args, { providers: { aws: provider("eu-west-1") } });
                await settled(api);
                c = childrenByName("euw1");
                const zone = state.invokes.filter((i) => i.token === "aws:route53/getZone:getZone");
                assert.equal(zone.length, 1);
                zoneId = String(zone[0].result.zoneId);
            }),
        );

        it("registers exactly these children, parented to the component, on its provider's region", () => {
            const parent = component(TYPE, "euw1");
            assert.equal(parent.urn, urnOf(TYPE, "euw1"));
            assert.equal(parent.parent, undefined);
            assert.deepEqual(
                inventory(created),
                [
                    `${TYPE} euw1`,
                    ...expectedInventory("euw1", false),
                    "pulumi:providers:aws aws-eu-west-1",
                ].sort(),
            );
            for (const child of Object.values(c)) {
                assert.equal(child.parent, parent.urn, `${child.name} parent`);
                assert.equal(child.urn, urnOf(`${TYPE}$${child.type}`, child.name));
                assert.equal(child.providerRegion, "eu-west-1", `${child.name} provider region`);
                assert.equal(child.protect, false, `${child.name} protect`);
            }
        });

        it("looks up region, partition, account and hosted zone once each, on its provider", () => {
            const providerRef = `${urnOf("pulumi:providers:aws", "aws-eu-west-1")}::aws-eu-west-1-id`;
            const invokes = state.invokes.map((i): [string, unknown, unknown] => [
                i.token,
                i.provider,
                i.inputs,
            ]);
            assert.deepEqual(invokes.sort(), [
                ["aws:index/getCallerIdentity:getCallerIdentity", providerRef, {}],
                ["aws:index/getPartition:getPartition", providerRef, {}],
                ["aws:index/getRegion:getRegion", providerRef, {}],
                [
                    "aws:route53/getZone:getZone",
                    providerRef,
                    { name: "example.com", privateZone: false },
                ],
            ]);
        });

        it("builds a REGIONAL REST API with the default execute-api endpoint disabled and ANY proxy routes", () => {
            const rest = c["euw1-rest"];
            assert.deepEqual(rest.inputs, {
                description: "api.example.com in eu-west-1",
                endpointConfiguration: { types: "REGIONAL" },
                disableExecuteApiEndpoint: true,
                tags: {},
            });
            const root = rest.state.rootResourceId;
            assert.deepEqual(c["euw1-products"].inputs, {
                restApi: "euw1-rest-id",
                parentId: root,
                pathPart: "products",
            });
            assert.deepEqual(c["euw1-product"].inputs, {
                restApi: "euw1-rest-id",
                parentId: "euw1-products-id",
                pathPart: "{id}",
            });
            assert.deepEqual(c["euw1-health-path"].inputs, {
                restApi: "euw1-rest-id",
                parentId: root,
                pathPart: "health",
            });
            for (const [route, resource, fn] of [
                ["product", "euw1-product", "euw1-api"],
                ["health", "euw1-health-path", "euw1-health"],
            ]) {
                assert.deepEqual(c[`euw1-${route}-method`].inputs, {
                    restApi: "euw1-rest-id",
                    resourceId: `${resource}-id`,
                    httpMethod: "ANY",
                    authorization: "NONE",
                });
                assert.deepEqual(c[`euw1-${route}-integration`].inputs, {
                    restApi: "euw1-rest-id",
                    resourceId: `${resource}-id`,
                    httpMethod: "ANY",
                    type: "AWS_PROXY",
                    integrationHttpMethod: "POST",
                    uri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${fn}/invocations`,
                });
                assert.deepEqual(c[`euw1-${route}-invoke`].inputs, {
                    action: "lambda:InvokeFunction",
                    function: fn,
                    principal: "apigateway.amazonaws.com",
                    sourceArn: `${String(rest.state.executionArn)}/*/*`,
                });
            }
        });

        it("redeploys the stage whenever a route, its target or the endpoint setting changes", () => {
            const deployment = c["euw1-deployment"];
            const uri = (route: string) => c[`euw1-${route}-integration`].inputs.uri;
            assert.deepEqual(deployment.inputs, {
                restApi: "euw1-rest-id",
                triggers: {
                    routes: JSON.stringify({
                        routes: [
                            [
                                "euw1-product-method-id",
                                "NONE",
                                "euw1-product-integration-id",
                                uri("product"),
                            ],
                            [
                                "euw1-health-method-id",
                                "NONE",
                                "euw1-health-integration-id",
                                uri("health"),
                            ],
                        ],
                        responses: GATEWAY_RESPONSES.map((k) => {
                            const r = c[`euw1-${k}-response`].inputs;
                            return [
                                r.responseType,
                                r.statusCode ?? null,
                                r.responseParameters,
                                r.responseTemplates,
                            ];
                        }),
                        disableExecuteApiEndpoint: true,
                    }),
                },
            });
            // Created after every route and gateway response: a deployment snapshots them.
            assert.deepEqual(
                [...deployment.dependsOn].sort(),
                [
                    "euw1-health-integration",
                    "euw1-health-method",
                    "euw1-product-integration",
                    "euw1-product-method",
                    "euw1-rest",
                    ...GATEWAY_RESPONSES.map((k) => `euw1-${k}-response`),
                ]
                    .map((n) => c[n].urn)
                    .sort(),
            );
        });

        it("answers for API Gateway itself in the handlers' JSON shape, retryable 5XX and 429 with retry-after", () => {
            const headers = {
                "gatewayresponse.header.cache-control": "'no-store'",
                "gatewayresponse.header.x-served-by-region": "'eu-west-1'",
            };
            const retry = { ...headers, "gatewayresponse.header.retry-after": "'1'" };
            const template = (message: string) => ({
                "application/json": `{"region":"eu-west-1","message":${message}}`,
            });
            const gatewayMessage = template("$context.error.messageString");
            assert.deepEqual(
                GATEWAY_RESPONSES.map((k) => c[`euw1-${k}-response`].inputs),
                [
                    {
                        restApiId: "euw1-rest-id",
                        responseType: "DEFAULT_4XX",
                        responseParameters: headers,
                        responseTemplates: gatewayMessage,
                    },
                    {
                        restApiId: "euw1-rest-id",
                        responseType: "DEFAULT_5XX",
                        responseParameters: retry,
                        responseTemplates: gatewayMessage,
                    },
                    {
                        restApiId: "euw1-rest-id",
                        responseType: "THROTTLED",
                        responseParameters: retry,
                        responseTemplates: gatewayMessage,
                    },
                    {
                        restApiId: "euw1-rest-id",
                        responseType: "MISSING_AUTHENTICATION_TOKEN",
                        statusCode: "404",
                        responseParameters: headers,
                        responseTemplates: template('"route not found"'),
                    },
                ],
            );
        });

        it("runs each handler on Lambda nodejs22.x arm64 from its deterministic esbuild bundle", async () => {
            const only = {
                // No access token: nothing secret in the api's environment.
                api: {
                    timeout: API_FUNCTION_TIMEOUT_SECONDS,
                    environment: {
                        variables: {
                            TABLE_NAME: "products",
                            ACCESS_TOKEN_SHA256: "",
                            PUBLIC_READS: "true",
                        },
                    },
                },
                health: {
                    timeout: 3,
                    reservedConcurrentExecutions: 20,
                    environment: { variables: { TABLE_NAME: "products" } },
                },
            };
            for (const handler of ["api", "health"] as const) {
                const fn = c[`euw1-${handler}`];
                const { code, ...rest } = fn.inputs;
                assert.deepEqual(rest, {
                    runtime: "nodejs22.x",
                    architectures: ["arm64"],
                    handler: "index.handler",
                    role: `arn:aws:iam::${ACCOUNT}:role/euw1-${handler}-role`,
                    memorySize: 256,
                    ...only[handler],
                    loggingConfig: { logFormat: "JSON", logGroup: `euw1-${handler}-logs` },
                    tags: {},
                });
                assert.ok(code instanceof pulumi.asset.AssetArchive, `${handler} code archive`);
                const assets = await code.assets;
                assert.deepEqual(Object.keys(assets), ["index.js"]);
                const index = assets["index.js"];
                assert.ok(index instanceof pulumi.asset.StringAsset);
                const text = await index.text;
                // A second, independent build gives the same bytes: no code diff on the next up.
                assert.equal(text, await freshBundle(handler));
                assert.equal(text, bundleHandler(handler));
                // The AWS SDK is the Lambda runtime's; lossless-json is bundled, with nothing of
                // where npm put it; nothing of this machine is embedded.
                assert.deepEqual(
                    [...new Set(text.match(/require\("[^"]+"\)/g))].sort(),
                    [
                        'require("@aws-sdk/client-dynamodb")',
                        ...(handler === "api" ? ['require("node:crypto")'] : []),
                        handler === "api" ? 'require("node:util")' : 'require("node:perf_hooks")',
                    ].sort(),
                );
                assert.doesNotMatch(text, /node_modules/);
                assert.ok(!text.includes(path.resolve(__dirname, "../..")), "no absolute path");
            }
            // The health handler answers with the token the health checks search for.
            assert.ok(bundleHandler("health").includes(JSON.stringify(HEALTH_TOKEN)));
        });

        it("gives each handler its own least-privilege role and log group", () => {
            const table = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/products`;
            for (const [handler, actions] of [
                ["api", ["dynamodb:GetItem", "dynamodb:PutItem"]],
                ["health", ["dynamodb:GetItem"]],
            ] as const) {
                assert.deepEqual(c[`euw1-${handler}-role`].inputs, {
                    assumeRolePolicy: assumeRole("lambda.amazonaws.com"),
                    tags: {},
                });
                const policy = c[`euw1-${handler}-policy`].inputs;
                assert.deepEqual(
                    { ...policy, policy: JSON.parse(String(policy.policy)) as unknown },
                    {
                        role: `euw1-${handler}-role-id`,
                        policy: {
                            Version: "2012-10-17",
                            Statement: [
                                { Effect: "Allow", Action: actions, Resource: table },
                                {
                                    Effect: "Allow",
                                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    Resource: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:euw1-${handler}-logs:*`,
                                },
                            ],
                        },
                    },
                );
                assert.deepEqual(c[`euw1-${handler}-logs`].inputs, {
                    retentionInDays: 30,
                    tags: {},
                });
            }
        });

        it("serves a throttled stage that writes JSON access logs", () => {
            assert.deepEqual(c["euw1-stage"].inputs, {
                restApi: "euw1-rest-id",
                deployment: "euw1-deployment-id",
                stageName: "live",
                accessLogSettings: {
                    destinationArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:euw1-access-logs`,
                    format: ACCESS_LOG_FORMAT,
                },
                tags: {},
            });
            assert.deepEqual(c["euw1-access-logs"].inputs, { retentionInDays: 30, tags: {} });
            assert.deepEqual(c["euw1-throttling"].inputs, {
                restApi: "euw1-rest-id",
                stageName: "live",
                methodPath: "*/*",
                settings: {
                    throttlingRateLimit: 100,
                    throttlingBurstLimit: 200,
                    metricsEnabled: true,
                },
            });
            // Route 53's checkers (GET /health) have their own, higher limits.
            assert.deepEqual(c["euw1-health-throttling"].inputs, {
                restApi: "euw1-rest-id",
                stageName: "live",
                methodPath: "health/GET",
                settings: {
                    throttlingRateLimit: 200,
                    throttlingBurstLimit: 400,
                    metricsEnabled: true,
                },
            });
        });

        it("validates a certificate in its own region for both names, sharing the service name's CNAME safely", () => {
            const cert = c["euw1-cert"];
            assert.deepEqual(cert.inputs, {
                domainName: "api.example.com",
                subjectAlternativeNames: ["eu-west-1.api.example.com"],
                validationMethod: "DNS",
                tags: {},
            });
            const options = cert.state.domainValidationOptions as {
                domainName: string;
                resourceRecordName: string;
                resourceRecordType: string;
                resourceRecordValue: string;
            }[];
            for (const [key, domain, shared] of [
                ["service", "api.example.com", true],
                ["regional", "eu-west-1.api.example.com", false],
            ] as const) {
                const option = options.find((o) => o.domainName === domain)!;
                const record = c[`euw1-cert-validation-${key}`];
                assert.deepEqual(record.inputs, {
                    zoneId,
                    name: option.resourceRecordName,
                    type: "CNAME",
                    records: [option.resourceRecordValue],
                    ttl: 300,
                    // The service name's record is the same in every region: overwrite, keep.
                    allowOverwrite: shared,
                });
                assert.equal(record.retainOnDelete, shared, `${record.name} retainOnDelete`);
            }
            assert.deepEqual(c["euw1-cert-validation"].inputs, {
                certificateArn: cert.state.arn,
                validationRecordFqdns: options.map((o) => o.resourceRecordName.replace(/\.$/, "")),
            });
        });

        it("serves both names from TLS 1.2 REGIONAL custom domains on the validated certificate", () => {
            for (const [key, domainName] of [
                ["service", "api.example.com"],
                ["regional", "eu-west-1.api.example.com"],
            ]) {
                const domain = c[`euw1-${key}-domain`];
                assert.deepEqual(domain.inputs, {
                    domainName,
                    endpointConfiguration: { types: "REGIONAL" },
                    regionalCertificateArn: c["euw1-cert"].state.arn,
                    securityPolicy: "TLS_1_2",
                    tags: {},
                });
                // The certificate is used once validated, not merely requested.
                assert.ok(domain.dependsOn.includes(c["euw1-cert-validation"].urn));
                assert.deepEqual(c[`euw1-${key}-mapping`].inputs, {
                    restApi: "euw1-rest-id",
                    stageName: "live",
                    domainName,
                });
            }
        });

        it("aliases the region's own hostname to its domain once the domain is mapped", () => {
            const regional = c["euw1-regional-domain"].state;
            const alias = c["euw1-regional-alias"];
            assert.deepEqual(alias.inputs, {
                zoneId,
                name: "eu-west-1.api.example.com",
                type: "A",
                aliases: [
                    {
                        name: regional.regionalDomainName,
                        zoneId: regional.regionalZoneId,
                        evaluateTargetHealth: false,
                    },
                ],
            });
            assert.ok(alias.dependsOn.includes(c["euw1-regional-mapping"].urn));
        });

        it("leaves the account-level API Gateway logging setting alone by default", () => {
            assert.deepEqual(
                created.filter((r) => r.retainOnDelete).map((r) => r.name),
                ["euw1-cert-validation-service"],
            );
            assert.deepEqual(
                [...c["euw1-stage"].dependsOn].sort(),
                [c["euw1-access-logs"].urn, c["euw1-deployment"].urn, c["euw1-rest"].urn].sort(),
            );
        });

        it("is a RegionalEndpoint: the service domain's target, the region's hostname and its health contract", async () => {
            const service = c["euw1-service-domain"].state;
            assert.deepEqual(
                await promiseOf(
                    pulumi.all({
                        region: api.region,
                        serviceName: api.serviceName,
                        hostedZoneId: api.hostedZoneId,
                        regionalDomainName: api.regionalDomainName,
                        regionalZoneId: api.regionalZoneId,
                        regionalHostname: api.regionalHostname,
                        healthPath: api.healthPath,
                        healthSearchString: api.healthSearchString,
                        healthUrl: api.healthUrl,
                    }),
                ),
                {
                    region: "eu-west-1",
                    serviceName: "api.example.com",
                    hostedZoneId: zoneId,
                    regionalDomainName: service.regionalDomainName,
                    regionalZoneId: service.regionalZoneId,
                    regionalHostname: "eu-west-1.api.example.com",
                    healthPath: "/health",
                    healthSearchString: HEALTH_TOKEN,
                    healthUrl: "https://eu-west-1.api.example.com/health",
                },
            );
            assert.notEqual(
                service.regionalDomainName,
                c["euw1-regional-domain"].state.regionalDomainName,
            );
        });

        it("exposes the zone's name servers from its one lookup, and the validated certificate", async () => {
            const zone = state.invokes.filter((i) => i.token === "aws:route53/getZone:getZone");
            const nameServers = await promiseOf(api.nameServers);
            // The mock runtime's delegation set of example.com (derived from the zone's name).
            assert.deepEqual(nameServers, [
                "ns-629.awsdns-04.com",
                "ns-1863.awsdns-29.net",
                "ns-23.awsdns-18.org",
                "ns-923.awsdns-34.co.uk",
            ]);
            assert.deepEqual(nameServers, zone[0].result.nameServers);
            // The validation's ARN: known once the certificate is issued, not merely requested.
            const certificateArn = await promiseOf(api.certificateArn);
            assert.equal(certificateArn, c["euw1-cert"].state.arn);
            assert.equal(certificateArn, c["euw1-cert-validation"].state.certificateArn);
        });

        it("exposes the registered children themselves", async () => {
            const exposed: [string, pulumi.Resource][] = [
                ["euw1-api", api.apiHandler.function],
                ["euw1-api-role", api.apiHandler.role],
                ["euw1-api-logs", api.apiHandler.logGroup],
                ["euw1-health", api.healthHandler.function],
                ["euw1-health-role", api.healthHandler.role],
                ["euw1-health-logs", api.healthHandler.logGroup],
                ["euw1-rest", api.restApi],
                ["euw1-stage", api.stage],
                ["euw1-access-logs", api.accessLogGroup],
            ];
            for (const [name, resource] of exposed) {
                assert.equal(await promiseOf(resource.urn), c[name].urn, name);
            }
            assert.equal(await promiseOf(api.restApi.name), "euw1-rest");
            assert.equal(await promiseOf(api.stage.stageName), "live");
        });

        it("tags every taggable child with the (empty) default tags and no other child", () => {
            assertTags(Object.values(c), () => ({}), TAGGED_TYPES_WITHOUT_WAF);
        });
    });

    describe("with every argument set and account logging on, in us-east-1", () => {
        const tags = { team: "payments", env: "test" };
        let api: RegionalApi;
        let c: Record<string, RecordedResource>;

        before(() =>
            withPlainStacks(async () => {
                reset();
                api = new RegionalApi(
                    "use1",
                    {
                        serviceName: "api.example.com",
                        zoneName: "example.com",
                        regionalHostname: "use1.api.example.com",
                        tableName: pulumi.output("orders"),
                        stageName: "prod",
                        throttlingRateLimit: 50,
                        throttlingBurstLimit: pulumi.output(80),
                        healthThrottlingRateLimit: 60,
                        healthThrottlingBurstLimit: pulumi.output(90),
                        healthReservedConcurrency: 7,
                        accessTokens: [pulumi.secret(TOKEN_A), TOKEN_B],
                        publicReads: false,
                        waf: { limit: 500, evaluationWindowSec: 60 },
                        logRetentionDays: 90,
                        manageApiGatewayAccount: true,
                        tags,
                    },
                    { providers: { aws: provider("us-east-1") } },
                );
                await settled(api);
                c = childrenByName("use1");
            }),
        );

        it("adds the account-level logging role and setting to the children, on the same provider", () => {
            const parent = component(TYPE, "use1");
            assert.deepEqual(
                inventory(created),
                [
                    `${TYPE} use1`,
                    ...expectedInventory("use1", true, true),
                    "pulumi:providers:aws aws-us-east-1",
                ].sort(),
            );
            for (const child of Object.values(c)) {
                assert.equal(child.parent, parent.urn, `${child.name} parent`);
                assert.equal(child.urn, urnOf(`${TYPE}$${child.type}`, child.name));
                assert.equal(child.providerRegion, "us-east-1", `${child.name} provider region`);
            }
        });

        it("keeps the account-level setting and its role when destroyed, and logs only once it is set", () => {
            assert.deepEqual(c["use1-apigw-logs-role"].inputs, {
                assumeRolePolicy: assumeRole("apigateway.amazonaws.com"),
                tags,
            });
            assert.deepEqual(c["use1-apigw-logs-policy"].inputs, {
                role: "use1-apigw-logs-role",
                policyArn:
                    "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
            });
            assert.deepEqual(c["use1-apigw-account"].inputs, {
                cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/use1-apigw-logs-role`,
            });
            assert.ok(c["use1-apigw-account"].dependsOn.includes(c["use1-apigw-logs-policy"].urn));
            assert.ok(c["use1-stage"].dependsOn.includes(c["use1-apigw-account"].urn));
            assert.deepEqual(
                created
                    .filter((r) => r.retainOnDelete)
                    .map((r) => r.name)
                    .sort(),
                [
                    "use1-apigw-account",
                    "use1-apigw-logs-policy",
                    "use1-apigw-logs-role",
                    "use1-cert-validation-service",
                ],
            );
        });

        it("applies the stage name, throttling, retention and table name (plain or Output)", () => {
            assert.equal(c["use1-stage"].inputs.stageName, "prod");
            assert.deepEqual(c["use1-throttling"].inputs, {
                restApi: "use1-rest-id",
                stageName: "prod",
                methodPath: "*/*",
                settings: {
                    throttlingRateLimit: 50,
                    throttlingBurstLimit: 80,
                    metricsEnabled: true,
                },
            });
            for (const logs of ["use1-api-logs", "use1-health-logs", "use1-access-logs"]) {
                assert.deepEqual(c[logs].inputs, { retentionInDays: 90, tags });
            }
            assert.deepEqual(c["use1-health-throttling"].inputs, {
                restApi: "use1-rest-id",
                stageName: "prod",
                methodPath: "health/GET",
                settings: {
                    throttlingRateLimit: 60,
                    throttlingBurstLimit: 90,
                    metricsEnabled: true,
                },
            });
            assert.equal(c["use1-health"].inputs.reservedConcurrentExecutions, 7);
            assert.deepEqual(c["use1-health"].inputs.environment, {
                variables: { TABLE_NAME: "orders" },
            });
            for (const handler of ["api", "health"]) {
                const policy = JSON.parse(String(c[`use1-${handler}-policy`].inputs.policy)) as {
                    Statement: { Resource: string }[];
                };
                assert.equal(
                    policy.Statement[0].Resource,
                    `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`,
                );
            }
            for (const mapping of ["use1-service-mapping", "use1-regional-mapping"]) {
                assert.equal(c[mapping].inputs.stageName, "prod");
            }
        });

        it("hands the api function the tokens' SHA-256 digests, never the tokens, as a secret", async () => {
            assert.equal(c["use1-api"].inputs.environment, REDACTED_SECRET);
            const env = api.apiHandler.function.environment;
            assert.equal(await pulumi.isSecret(env), true);
            assert.deepEqual(await promiseOf(env), {
                variables: {
                    TABLE_NAME: "orders",
                    ACCESS_TOKEN_SHA256: `${sha256(TOKEN_A)},${sha256(TOKEN_B)}`,
                    PUBLIC_READS: "false",
                },
            });
            const recorded = JSON.stringify(created.map((r) => r.inputs));
            for (const token of [TOKEN_A, TOKEN_B, sha256(TOKEN_A)]) {
                assert.ok(!recorded.includes(token), "no token or digest in any recorded input");
            }
        });

        it("puts a per-client-IP WAF rate limit on the stage that never limits Route 53's checkers", async () => {
            const ranges = state.invokes.filter(
                (i) => i.token === "aws:index/getIpRanges:getIpRanges",
            );
            assert.deepEqual(
                ranges.map((i): unknown => i.inputs),
                [{ services: ["route53_healthchecks"] }],
            );
            const [v4, v6] = ["ipv4", "ipv6"].map((v) => c[`use1-route53-checkers-${v}`]);
            assert.deepEqual(v4.inputs, {
                scope: "REGIONAL",
                ipAddressVersion: "IPV4",
                addresses: ranges[0].result.cidrBlocks,
                description: "Route 53 health checker ranges from ip-ranges.json",
                tags,
            });
            assert.deepEqual(v6.inputs, {
                scope: "REGIONAL",
                ipAddressVersion: "IPV6",
                addresses: ranges[0].result.ipv6CidrBlocks,
                description: "Route 53 health checker ranges from ip-ranges.json",
                tags,
            });
            const visibility = (metricName: string) => ({
                cloudwatchMetricsEnabled: true,
                sampledRequestsEnabled: true,
                metricName,
            });
            const allow = (v: string, priority: number, set: RecordedResource) => ({
                name: `allow-route53-checkers-${v}`,
                priority,
                action: { allow: {} },
                statement: { ipSetReferenceStatement: { arn: set.state.arn } },
                visibilityConfig: visibility(`use1-route53-checkers-${v}`),
            });
            const acl = c["use1-waf"];
            assert.deepEqual(acl.inputs, {
                scope: "REGIONAL",
                description: "Per-client rate limit in front of the API",
                defaultAction: { allow: {} },
                customResponseBodies: [
                    {
                        key: "too-many-requests",
                        contentType: "APPLICATION_JSON",
                        content:
                            '{"region":"us-east-1","message":"too many requests from this client, retry later"}',
                    },
                ],
                rules: [
                    allow("ipv4", 0, v4),
                    allow("ipv6", 1, v6),
                    {
                        name: "per-client-rate-limit",
                        priority: 2,
                        action: {
                            block: {
                                customResponse: {
                                    responseCode: 429,
                                    customResponseBodyKey: "too-many-requests",
                                    responseHeaders: [
                                        { name: "retry-after", value: "60" },
                                        { name: "cache-control", value: "no-store" },
                                    ],
                                },
                            },
                        },
                        statement: {
                            rateBasedStatement: {
                                limit: 500,
                                evaluationWindowSec: 60,
                                aggregateKeyType: "IP",
                            },
                        },
                        visibilityConfig: visibility("use1-per-client-rate-limit"),
                    },
                ],
                visibilityConfig: visibility("use1-waf"),
                tags,
            });
            assert.deepEqual(c["use1-waf-association"].inputs, {
                resourceArn: c["use1-stage"].state.arn,
                webAclArn: acl.state.arn,
            });
            assert.equal(await promiseOf(api.webAcl!.urn), acl.urn);
        });

        it("uses the given regional hostname for the certificate, its domain, its alias and health URL", async () => {
            assert.deepEqual(c["use1-cert"].inputs.subjectAlternativeNames, [
                "use1.api.example.com",
            ]);
            assert.equal(c["use1-regional-domain"].inputs.domainName, "use1.api.example.com");
            assert.equal(c["use1-regional-alias"].inputs.name, "use1.api.example.com");
            assert.equal(await promiseOf(api.regionalHostname), "use1.api.example.com");
            assert.equal(await promiseOf(api.healthUrl), "https://use1.api.example.com/health");
            assert.equal(await promiseOf(api.region), "us-east-1");
        });

        it("tags every child whose AWS type takes tags with exactly the component's tags, and no other", () => {
            assertTags(Object.values(c), () => tags, TAGGED_TYPES);
        });
    });

    describe("two in one program", () => {
        before(reset);

        it("in two regions under different names: every URN distinct, each on its own provider", () =>
            withPlainStacks(async () => {
                const use1 = new RegionalApi("use1", args, {
                    providers: { aws: provider("us-east-1") },
                });
                const euw1 = new RegionalApi("euw1", args, {
                    providers: { aws: provider("eu-west-1") },
                });
                await settled(use1, euw1);
                assert.equal(new Set(created.map((r) => r.urn)).size, created.length);
                for (const [name, region] of [
                    ["use1", "us-east-1"],
                    ["euw1", "eu-west-1"],
                ]) {
                    const children = childrenOf(component(TYPE, name));
                    assert.deepEqual(inventory(children), expectedInventory(name, false));
                    for (const child of children) {
                        assert.equal(child.providerRegion, region);
                    }
                }
                assert.equal(
                    state.invokes.filter((i) => i.token === "aws:route53/getZone:getZone").length,
                    2,
                );
                // ACM's CNAME for the service name is the same in both regions, hence allowOverwrite.
                const record = (name: string) => {
                    const r = created.find((x) => x.name === name)!;
                    return [r.inputs.name, r.inputs.type, r.inputs.records];
                };
                assert.deepEqual(
                    record("use1-cert-validation-service"),
                    record("euw1-cert-validation-service"),
                );
                assert.notDeepEqual(
                    record("use1-cert-validation-regional"),
                    record("euw1-cert-validation-regional"),
                );
            }));

        it("under the same name: the engine refuses the duplicate URNs", () =>
            withPlainStacks(async () => {
                reset();
                new RegionalApi("dup", args, { providers: { aws: provider("us-east-1") } });
                new RegionalApi("dup", args, { providers: { aws: provider("eu-west-1") } });
                const expected = [TYPE, ...expectedInventory("dup", false)]
                    .map((entry) => {
                        const [type, name] = entry.split(" ");
                        return type === TYPE ? urnOf(TYPE, "dup") : urnOf(`${TYPE}$${type}`, name);
                    })
                    .sort();
                const error = await state.settle().then(
                    () => assert.fail("settle() should reject duplicate URNs"),
                    (e: unknown) => e,
                );
                // Every URN of the second component, in the order it registered them.
                const duplicates = created
                    .filter((r, i) => created.findIndex((o) => o.urn === r.urn) < i)
                    .map((r) => r.urn);
                assert.deepEqual([...duplicates].sort(), expected);
                assert.ok(error instanceof pulumi.RunError);
                assert.equal(
                    error.message,
                    `Duplicate resource URNs (the Pulumi engine refuses these): ${duplicates.join(", ")}`,
                );
            }));
    });

    describe("rejects bad arguments before registering anything", () => {
        before(reset);

        const allowedRetention =
            "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653";
        const cases: [string, Partial<RegionalApiArgs>, string][] = [
            [
                "no zone, service or table",
                { zoneName: undefined, serviceName: undefined, tableName: undefined },
                `[zoneName] is required: a lowercase DNS name without a trailing dot, such as example.com; [serviceName] is required: a lowercase DNS name inside the hosted zone (itself missing); [tableName] is required: a DynamoDB table name: 3-255 letters, digits, '_', '-' or '.'`,
            ],
            [
                "a zone name with capitals and a trailing dot",
                { zoneName: "Example.com." },
                `[zoneName] must be a lowercase DNS name without a trailing dot, such as example.com; it has an empty label (two dots in a row, or a dot at an end) (got "Example.com.")`,
            ],
            [
                "a service name outside the zone",
                { serviceName: "api.example.org" },
                `[serviceName] must be a lowercase DNS name inside zone "example.com" (got "api.example.org")`,
            ],
            [
                "a regional hostname equal to the service name",
                { regionalHostname: "api.example.com" },
                `[regionalHostname] must differ from [serviceName]: Route 53 health checks must not target the routed name`,
            ],
            [
                "a regional hostname outside the zone",
                { regionalHostname: "use1.example.org" },
                `[regionalHostname] must be a lowercase DNS name inside zone "example.com" (got "use1.example.org")`,
            ],
            [
                "a table name that would widen the IAM policy",
                { tableName: "products*" },
                `[tableName] must be a DynamoDB table name: 3-255 letters, digits, '_', '-' or '.' (got "products*")`,
            ],
            [
                "a stage name with a space",
                { stageName: "a b" },
                `[stageName] must be 1-128 letters, digits, "-" or "_" (got "a b")`,
            ],
            [
                "throttling limits that are not positive",
                { throttlingRateLimit: 0, throttlingBurstLimit: -1 },
                `[throttlingRateLimit] must be a positive number (got 0); [throttlingBurstLimit] must be a positive integer (got -1)`,
            ],
            [
                "/health limits below the API's",
                {
                    throttlingRateLimit: 300,
                    healthThrottlingRateLimit: 250,
                    healthThrottlingBurstLimit: 100,
                },
                "[healthThrottlingRateLimit] must be a number at least [throttlingRateLimit] (300): /health must never be throttled before the API (got 250); [healthThrottlingBurstLimit] must be an integer at least [throttlingBurstLimit] (200): /health must never be throttled before the API (got 100)",
            ],
            [
                "no reserved concurrency for the health function",
                { healthReservedConcurrency: 0 },
                "[healthReservedConcurrency] must be an integer from 1 to 1000 (got 0)",
            ],
            [
                "a short access token, never quoting it",
                { accessTokens: [TOKEN_A, "secret-but-short"] },
                '[accessTokens] token 2 of 2 must be 32-512 characters from A-Z, a-z, 0-9, "-", ".", "_", "~", "+", "/", optionally ending in "=" (for example `openssl rand -hex 32`); the value is a secret and is not shown',
            ],
            [
                "the same access token twice",
                { accessTokens: [TOKEN_A, TOKEN_A] },
                "[accessTokens] must not list the same token twice (the values are secret and are not shown)",
            ],
            [
                "private reads without a token",
                { publicReads: false },
                "[publicReads] false needs [accessTokens]: without a token nobody could read",
            ],
            [
                "a WAF limit and window AWS WAF does not offer",
                { waf: { limit: 5, evaluationWindowSec: 30 } },
                "[waf.limit] must be an integer from 10 to 2000000000 requests (got 5); [waf.evaluationWindowSec] must be one of 60, 120, 300, 600 (seconds) (got 30)",
            ],
            [
                "a retention CloudWatch Logs does not offer",
                { logRetentionDays: 10 },
                `[logRetentionDays] must be one of ${allowedRetention} (got 10)`,
            ],
            [
                "several problems at once",
                { serviceName: "api.example.org", stageName: "", logRetentionDays: 0 },
                `[serviceName] must be a lowercase DNS name inside zone "example.com" (got "api.example.org"); [stageName] must be 1-128 letters, digits, "-" or "_" (got ""); [logRetentionDays] must be one of ${allowedRetention} (got 0)`,
            ],
        ];
        for (const [title, bad, problems] of cases) {
            it(`rejects ${title}`, async () => {
                await rejectsBeforeRegistering(
                    () => new RegionalApi("bad", { ...args, ...bad }),
                    `RegionalApi "bad": ${problems}`,
                );
            });
        }

        it("compares /health's limits with the API's only when the API's are known now", () =>
            withPlainStacks(async () => {
                reset();
                const api = new RegionalApi(
                    "outputs",
                    {
                        ...args,
                        throttlingRateLimit: pulumi.output(20),
                        throttlingBurstLimit: pulumi.output(30),
                        healthThrottlingRateLimit: 25,
                        healthThrottlingBurstLimit: 35,
                    },
                    { providers: { aws: provider("us-east-1") } },
                );
                await settled(api);
                assert.deepEqual(
                    childrenByName("outputs")["outputs-health-throttling"].inputs.settings,
                    {
                        throttlingRateLimit: 25,
                        throttlingBurstLimit: 35,
                        metricsEnabled: true,
                    },
                );
            }));

        it("rejects a malformed token known only at deploy time, with the same message and no value", () =>
            withPlainStacks(async () => {
                reset();
                const api = new RegionalApi("late", {
                    ...args,
                    accessTokens: [pulumi.secret("secret-but-short")],
                });
                // The engine fails the function's registration with this error.
                const environment = api.apiHandler.function.environment as unknown as {
                    promise(): Promise<unknown>;
                };
                const error = await environment.promise().then(
                    () => assert.fail("a malformed secret token must fail the deployment"),
                    (e: unknown) => e,
                );
                assert.ok(error instanceof Error);
                // The engine prefixes the path of properties that carried the value.
                const message =
                    'RegionalApi "late": [accessTokens] the token must be 32-512 characters from A-Z, a-z, 0-9, "-", ".", "_", "~", "+", "/", optionally ending in "=" (for example `openssl rand -hex 32`); the value is a secret and is not shown';
                assert.match(
                    error.message,
                    /^(error serializing property "\w+": )+RegionalApi "late"/,
                );
                assert.ok(error.message.endsWith(message), error.message);
                await state.settle().catch(() => undefined);
            }));
    });
});
