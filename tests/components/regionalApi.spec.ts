import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { RegionalApi, RegionalApiArgs } from "../../components/regionalApi";
import { bundleHandler } from "../../components/handlerBundle";
import { HEALTH_TOKEN } from "../../functions/health/token";
import { created, ofType, promiseOf, reset, state } from "../harness";

const args: RegionalApiArgs = {
    serviceName: "api.example.com",
    zoneName: "example.com",
    tableName: "products",
};

async function deploy(region: string, extra: Partial<RegionalApiArgs> = {}) {
    const provider = new aws.Provider(`aws-${region}`, { region });
    const api = new RegionalApi("use1", { ...args, ...extra }, { providers: { aws: provider } });
    await promiseOf(api.healthUrl);
    await promiseOf(api.stageName);
    await state.settle();
    return api;
}

const one = (type: string) => {
    const found = ofType(type);
    assert.equal(found.length, 1, `expected exactly one ${type}, got ${found.length}`);
    return found[0];
};

describe("RegionalApi", () => {
    beforeEach(reset);

    it("registers exactly these children, all parented to the component and on its provider", async () => {
        await deploy("us-east-1");
        const children = created.filter(
            (r) => r.type !== "pulumi:providers:aws" && r.type !== "multiregion:index:RegionalApi",
        );
        assert.deepEqual(children.map((r) => `${r.type} ${r.name}`).sort(), [
            "aws:acm/certificate:Certificate use1-cert",
            "aws:acm/certificateValidation:CertificateValidation use1-cert-validation",
            "aws:apigateway/account:Account use1-apigw-account",
            "aws:apigateway/basePathMapping:BasePathMapping use1-regional-mapping",
            "aws:apigateway/basePathMapping:BasePathMapping use1-service-mapping",
            "aws:apigateway/deployment:Deployment use1-deployment",
            "aws:apigateway/domainName:DomainName use1-regional-domain",
            "aws:apigateway/domainName:DomainName use1-service-domain",
            "aws:apigateway/integration:Integration use1-health-integration",
            "aws:apigateway/integration:Integration use1-product-integration",
            "aws:apigateway/method:Method use1-health-method",
            "aws:apigateway/method:Method use1-product-method",
            "aws:apigateway/methodSettings:MethodSettings use1-throttling",
            "aws:apigateway/resource:Resource use1-health-path",
            "aws:apigateway/resource:Resource use1-product",
            "aws:apigateway/resource:Resource use1-products",
            "aws:apigateway/restApi:RestApi use1-rest",
            "aws:apigateway/stage:Stage use1-stage",
            "aws:cloudwatch/logGroup:LogGroup use1-access-logs",
            "aws:cloudwatch/logGroup:LogGroup use1-api-logs",
            "aws:cloudwatch/logGroup:LogGroup use1-health-logs",
            "aws:iam/role:Role use1-api-role",
            "aws:iam/role:Role use1-apigw-logs-role",
            "aws:iam/role:Role use1-health-role",
            "aws:iam/rolePolicy:RolePolicy use1-api-policy",
            "aws:iam/rolePolicy:RolePolicy use1-health-policy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment use1-apigw-logs-policy",
            "aws:lambda/function:Function use1-api",
            "aws:lambda/function:Function use1-health",
            "aws:lambda/permission:Permission use1-health-invoke",
            "aws:lambda/permission:Permission use1-product-invoke",
            "aws:route53/record:Record use1-cert-validation-regional",
            "aws:route53/record:Record use1-cert-validation-service",
            "aws:route53/record:Record use1-regional-alias",
        ]);
        const component = one("multiregion:index:RegionalApi");
        for (const child of children) {
            assert.equal(child.parent, component.urn, `${child.name} parent`);
            assert.match(child.urn, /::multiregion:index:RegionalApi\$aws:/, `${child.name} urn`);
            assert.equal(child.providerRegion, "us-east-1", `${child.name} provider`);
        }
        // Invokes run on the component's provider too (they would fail with default providers off).
        assert.deepEqual(state.invokes.map((i) => i.token).sort(), [
            "aws:index/getCallerIdentity:getCallerIdentity",
            "aws:index/getPartition:getPartition",
            "aws:index/getRegion:getRegion",
            "aws:route53/getZone:getZone",
        ]);
        for (const i of state.invokes) assert.match(i.provider ?? "", /::aws-us-east-1::/, i.token);
    });

    it("builds a REGIONAL REST API with the default execute-api endpoint disabled", async () => {
        await deploy("us-east-1");
        const api = one("aws:apigateway/restApi:RestApi").inputs;
        assert.deepEqual(api.endpointConfiguration, { types: "REGIONAL" });
        assert.equal(api.disableExecuteApiEndpoint, true);
        assert.deepEqual(
            ofType("aws:apigateway/resource:Resource")
                .map((r) => r.inputs.pathPart)
                .sort(),
            ["health", "products", "{id}"],
        );
        for (const m of ofType("aws:apigateway/method:Method")) {
            assert.equal(m.inputs.httpMethod, "ANY");
            assert.equal(m.inputs.authorization, "NONE");
        }
        for (const i of ofType("aws:apigateway/integration:Integration")) {
            assert.equal(i.inputs.type, "AWS_PROXY");
            assert.equal(i.inputs.integrationHttpMethod, "POST");
        }
        const byName = Object.fromEntries(
            ofType("aws:apigateway/integration:Integration").map((i) => [i.name, i.inputs.uri]),
        );
        assert.match(String(byName["use1-product-integration"]), /function:use1-api\/invocations$/);
        assert.match(
            String(byName["use1-health-integration"]),
            /function:use1-health\/invocations$/,
        );
        // A changed route, integration target or endpoint setting redeploys the stage.
        const deployment = one("aws:apigateway/deployment:Deployment").inputs;
        assert.deepEqual(JSON.parse((deployment.triggers as { routes: string }).routes), {
            routes: [
                [
                    "use1-product-method-id",
                    "NONE",
                    "use1-product-integration-id",
                    byName["use1-product-integration"],
                ],
                [
                    "use1-health-method-id",
                    "NONE",
                    "use1-health-integration-id",
                    byName["use1-health-integration"],
                ],
            ],
            disableExecuteApiEndpoint: true,
        });
        assert.equal(one("aws:apigateway/stage:Stage").inputs.deployment, "use1-deployment-id");
    });

    it("runs Lambda nodejs22.x from deterministic esbuild bundles with least-privilege roles", async () => {
        await deploy("us-east-1");
        const fns = Object.fromEntries(
            ofType("aws:lambda/function:Function").map((f) => [f.name, f.inputs]),
        );
        for (const [fn, timeout] of [
            ["use1-api", 10],
            ["use1-health", 3],
        ] as const) {
            assert.equal(fns[fn].runtime, "nodejs22.x");
            assert.equal(fns[fn].handler, "index.handler");
            assert.equal(fns[fn].timeout, timeout);
            assert.deepEqual(fns[fn].environment, { variables: { TABLE_NAME: "products" } });
            assert.deepEqual(fns[fn].loggingConfig, { logFormat: "JSON", logGroup: `${fn}-logs` });
        }
        assert.equal(bundleHandler("api"), bundleHandler("api"));
        assert.doesNotMatch(
            bundleHandler("api"),
            /require\("@aws-sdk[^"]*"\)[\s\S]*node_modules\/@aws-sdk/,
        );
        const policies = Object.fromEntries(
            ofType("aws:iam/rolePolicy:RolePolicy").map((p) => [
                p.name,
                JSON.parse(String(p.inputs.policy)),
            ]),
        );
        const table = "arn:aws:dynamodb:us-east-1:123456789012:table/products";
        const logStatement = (fn: string) => ({
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `arn:aws:logs:us-east-1:123456789012:log-group:${fn}-logs:*`,
        });
        assert.deepEqual(policies["use1-api-policy"].Statement, [
            { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: table },
            logStatement("use1-api"),
        ]);
        assert.deepEqual(policies["use1-health-policy"].Statement, [
            { Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: table },
            logStatement("use1-health"),
        ]);
        for (const lg of ofType("aws:cloudwatch/logGroup:LogGroup"))
            assert.equal(lg.inputs.retentionInDays, 30);
    });

    it("throttles the stage and writes JSON access logs", async () => {
        await deploy("us-east-1", {
            throttlingRateLimit: 50,
            throttlingBurstLimit: 80,
            stageName: "prod",
        });
        const stage = one("aws:apigateway/stage:Stage").inputs;
        assert.equal(stage.stageName, "prod");
        const access = stage.accessLogSettings as { destinationArn: string; format: string };
        assert.equal(
            access.destinationArn,
            "arn:aws:logs:us-east-1:123456789012:log-group:use1-access-logs",
        );
        assert.deepEqual(Object.keys(JSON.parse(access.format)), [
            "requestId",
            "ip",
            "method",
            "path",
            "status",
            "latencyMs",
            "domain",
        ]);
        assert.deepEqual(one("aws:apigateway/methodSettings:MethodSettings").inputs, {
            restApi: "use1-rest-id",
            stageName: "prod",
            methodPath: "*/*",
            settings: { throttlingRateLimit: 50, throttlingBurstLimit: 80, metricsEnabled: true },
        });
    });

    it("validates a certificate in its own region for both names, sharing the service name's CNAME safely", async () => {
        await deploy("eu-west-1");
        const cert = one("aws:acm/certificate:Certificate");
        assert.equal(cert.providerRegion, "eu-west-1");
        assert.deepEqual(
            {
                domainName: cert.inputs.domainName,
                subjectAlternativeNames: cert.inputs.subjectAlternativeNames,
                validationMethod: cert.inputs.validationMethod,
            },
            {
                domainName: "api.example.com",
                subjectAlternativeNames: ["eu-west-1.api.example.com"],
                validationMethod: "DNS",
            },
        );
        const records = Object.fromEntries(
            ofType("aws:route53/record:Record").map((r) => [r.name, r]),
        );
        const service = records["use1-cert-validation-service"];
        const regional = records["use1-cert-validation-regional"];
        assert.equal(service.inputs.allowOverwrite, true);
        assert.equal(service.retainOnDelete, true);
        assert.equal(regional.inputs.allowOverwrite, false);
        assert.equal(regional.retainOnDelete, false);
        assert.match(String(service.inputs.name), /^_[0-9a-f]{32}\.api\.example\.com\.$/);
        assert.match(
            String(regional.inputs.name),
            /^_[0-9a-f]{32}\.eu-west-1\.api\.example\.com\.$/,
        );
        assert.equal(service.inputs.type, "CNAME");
        assert.equal(service.inputs.zoneId, regional.inputs.zoneId);
        const validation = one("aws:acm/certificateValidation:CertificateValidation").inputs;
        assert.deepEqual(validation.validationRecordFqdns, [
            String(service.inputs.name).replace(/\.$/, ""),
            String(regional.inputs.name).replace(/\.$/, ""),
        ]);
    });

    it("serves both names from TLS 1.2 regional custom domains with the validated certificate", async () => {
        const api = await deploy("eu-west-1");
        const domains = Object.fromEntries(
            ofType("aws:apigateway/domainName:DomainName").map((d) => [d.name, d]),
        );
        const certArn = one("aws:acm/certificate:Certificate").state.arn;
        for (const [key, domainName] of [
            ["service", "api.example.com"],
            ["regional", "eu-west-1.api.example.com"],
        ]) {
            assert.deepEqual(domains[`use1-${key}-domain`].inputs, {
                domainName,
                endpointConfiguration: { types: "REGIONAL" },
                regionalCertificateArn: certArn,
                securityPolicy: "TLS_1_2",
            });
        }
        for (const m of ofType("aws:apigateway/basePathMapping:BasePathMapping")) {
            assert.equal(m.inputs.stageName, "live");
            assert.equal(m.inputs.restApi, "use1-rest-id");
            assert.equal(m.inputs.basePath, undefined);
        }
        const alias = ofType("aws:route53/record:Record").find(
            (r) => r.name === "use1-regional-alias",
        )!;
        const regional = domains["use1-regional-domain"].state;
        assert.deepEqual(alias.inputs.aliases, [
            {
                name: regional.regionalDomainName,
                zoneId: regional.regionalZoneId,
                evaluateTargetHealth: false,
            },
        ]);
        assert.equal(alias.inputs.ttl, undefined);
        assert.equal(alias.inputs.type, "A");

        const service = domains["use1-service-domain"].state;
        assert.equal(await promiseOf(api.serviceTargetDomainName), service.regionalDomainName);
        assert.equal(await promiseOf(api.serviceTargetZoneId), service.regionalZoneId);
        assert.equal(await promiseOf(api.regionalHostname), "eu-west-1.api.example.com");
        assert.equal(await promiseOf(api.healthUrl), "https://eu-west-1.api.example.com/health");
        assert.equal(await promiseOf(api.region), "eu-west-1");
        assert.equal(await promiseOf(api.apiFunctionName), "use1-api");
        assert.equal(await promiseOf(api.healthFunctionName), "use1-health");
        assert.equal(await promiseOf(api.restApiId), "use1-rest-id");
        assert.equal(api.healthSearchString, HEALTH_TOKEN);
    });

    it("keeps the region's account-level logging setting and its role when destroyed", async () => {
        await deploy("us-east-1");
        const kept = created
            .filter((r) => r.retainOnDelete)
            .map((r) => r.name)
            .sort();
        assert.deepEqual(kept, [
            "use1-apigw-account",
            "use1-apigw-logs-policy",
            "use1-apigw-logs-role",
            "use1-cert-validation-service",
        ]);
    });

    it("leaves the account-level API Gateway logging role alone when asked", async () => {
        await deploy("us-east-1", {
            manageApiGatewayAccount: false,
            regionalName: "use1.api.example.com",
        });
        assert.equal(ofType("aws:apigateway/account:Account").length, 0);
        assert.equal(ofType("aws:iam/role:Role").length, 2);
        assert.equal(
            one("aws:acm/certificate:Certificate").inputs.subjectAlternativeNames?.toString(),
            "use1.api.example.com",
        );
    });

    describe("validation", () => {
        const cases: [string, Partial<RegionalApiArgs>, string][] = [
            [
                "zone name",
                { zoneName: "Example.com." },
                `RegionalApi "bad": [zoneName] must be a lowercase DNS name without a trailing dot (got "Example.com."); [serviceName] must be a lowercase DNS name inside zone "Example.com." (got "api.example.com")`,
            ],
            [
                "service outside zone",
                { serviceName: "api.example.org" },
                `RegionalApi "bad": [serviceName] must be a lowercase DNS name inside zone "example.com" (got "api.example.org")`,
            ],
            [
                "regional name equal to service",
                { regionalName: "api.example.com" },
                `RegionalApi "bad": [regionalName] must differ from [serviceName]: Route 53 health checks must not target the routed name`,
            ],
            [
                "regional name outside zone",
                { regionalName: "use1.example.org" },
                `RegionalApi "bad": [regionalName] must be a lowercase DNS name inside zone "example.com" (got "use1.example.org")`,
            ],
            [
                "stage name",
                { stageName: "a b" },
                `RegionalApi "bad": [stageName] must be 1-128 letters, digits or underscores (got "a b")`,
            ],
            [
                "throttling",
                { throttlingRateLimit: 0, throttlingBurstLimit: -1 },
                `RegionalApi "bad": [throttlingRateLimit] must be a positive number (got 0); [throttlingBurstLimit] must be a positive number (got -1)`,
            ],
            [
                "retention",
                { logRetentionDays: 10 },
                `RegionalApi "bad": [logRetentionDays] must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 10)`,
            ],
        ];
        for (const [title, bad, message] of cases) {
            it(`rejects ${title} before registering anything`, () => {
                assert.throws(() => new RegionalApi("bad", { ...args, ...bad }), { message });
                assert.equal(created.length, 0);
            });
        }
    });
});
