// The mock runtime names resources as the Pulumi engine does and, like the engine, refuses two
// resources with one URN. A child's URN type is its parent's qualified type, `$`, its own type.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { crc32 } from "node:zlib";
import * as acm from "@pulumi/aws/acm";
import * as apigateway from "@pulumi/aws/apigateway";
import * as apigatewayv2 from "@pulumi/aws/apigatewayv2";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { evaluateStack } from "../../plan/evaluate";
import { ANSWERED_INVOKES, RecordedResource, policyDocument } from "../../plan/mockRuntime";
import { readProject } from "../../plan/stackFiles";
import { state } from "../harness";
import { exclusive, restoreHarness } from "../stack/evaluations";

class Component extends pulumi.ComponentResource {
    constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.registerOutputs({});
    }
}

class Leaf extends pulumi.CustomResource {
    constructor(name: string, opts?: pulumi.CustomResourceOptions, props: pulumi.Inputs = {}) {
        super("test:index:Leaf", name, props, opts);
    }
}

const urn = (type: string, name: string) => `urn:pulumi:mock::urn-test::${type}::${name}`;
const OUTER = "test:index:Outer";
const INNER = `${OUTER}$test:index:Inner`;
const THIRD = `${INNER}$test:index:Third`;

/** Runs `program` on a fresh runtime (project urn-test, stack mock); returns the records. */
function run(program: () => void): Promise<RecordedResource[]> {
    return exclusive(async () => {
        await state.start("urn-test", "mock", {});
        program();
        await state.settle();
        return [...state.resources];
    });
}

describe("mock runtime: URNs", () => {
    let recorded: RecordedResource[];
    const find = (name: string) => recorded.find((r) => r.name === name)!;
    before(async () => {
        recorded = await run(() => {
            const outer = new Component(OUTER, "outer");
            const inner = new Component("test:index:Inner", "inner", { parent: outer });
            const third = new Component("test:index:Third", "third", { parent: inner });
            const grandchild = new Leaf("grandchild", { parent: inner });
            new Leaf("great-grandchild", { parent: third });
            new Leaf("dependent", { parent: outer, dependsOn: [grandchild] });
            new Leaf("top");
            // One name under two parents: two URNs.
            new Leaf("same", { parent: outer });
            new Leaf("same", { parent: inner });
        });
    });
    after(restoreHarness);

    it("children of the root have their plain type and no parent", () => {
        assert.deepEqual(
            [find("outer"), find("top")].map((r) => [r.urn, r.parent]),
            [
                [urn(OUTER, "outer"), undefined],
                [urn("test:index:Leaf", "top"), undefined],
            ],
        );
    });

    it("a child's type is qualified by its parent's", () => {
        assert.deepEqual(
            [find("inner").urn, find("inner").parent],
            [urn(INNER, "inner"), urn(OUTER, "outer")],
        );
    });

    it("a grandchild (a resource in a component in a component) carries the whole type chain", () => {
        assert.deepEqual(
            [find("grandchild").urn, find("grandchild").parent],
            [urn(`${INNER}$test:index:Leaf`, "grandchild"), find("inner").urn],
        );
    });

    it("a great-grandchild carries the whole chain too, and its parent is its parent's URN", () => {
        assert.deepEqual(
            [find("third").urn, find("great-grandchild").urn, find("great-grandchild").parent],
            [
                urn(THIRD, "third"),
                urn(`${THIRD}$test:index:Leaf`, "great-grandchild"),
                urn(THIRD, "third"),
            ],
        );
    });

    it("a dependency on a grandchild names the grandchild's URN", () => {
        assert.deepEqual(find("dependent").dependsOn, [find("grandchild").urn]);
    });

    it("one name under two parents is two URNs", () => {
        assert.deepEqual(
            recorded.filter((r) => r.name === "same").map((r) => r.urn),
            [urn(`${OUTER}$test:index:Leaf`, "same"), urn(`${INNER}$test:index:Leaf`, "same")],
        );
    });
});

describe("mock runtime: duplicate URNs", () => {
    after(restoreHarness);

    it("settle() rejects, as the engine fails the update, naming the URN", async () => {
        const error = await exclusive(async () => {
            await state.start("urn-test", "mock", {});
            const outer = new Component(OUTER, "outer");
            new Leaf("twice", { parent: outer });
            new Leaf("twice", { parent: outer });
            return state.settle().then(
                () => undefined,
                (e: unknown) => e,
            );
        });
        assert.ok(error instanceof pulumi.RunError, String(error));
        assert.equal(
            error.message,
            `Duplicate resource URN (the Pulumi engine refuses these): ${urn(`${OUTER}$test:index:Leaf`, "twice")}`,
        );
    });

    it("a fresh start forgets the URNs of the previous program", async () => {
        const recorded = await run(() => new Leaf("twice"));
        assert.deepEqual(
            recorded.map((r) => r.urn),
            [urn("test:index:Leaf", "twice")],
        );
    });
});

// ---- Invokes, regions and computed state ------------------------------------------------------

/** Runs `program` on a fresh runtime with `config`; settles; returns the records and invokes. */
function evaluateProgram(config: Record<string, string>, program: () => void) {
    return exclusive(async () => {
        await state.start("mock-test", "dev", config);
        program();
        await state.settle();
        return { resources: [...state.resources], invokes: [...state.invokes] };
    });
}

/** The error settle(`whole`) rejects with after `program`, or undefined. */
function settleError(program: () => void, whole = false): Promise<unknown> {
    return exclusive(async () => {
        await state.start("mock-test", "dev", { "aws:region": "eu-west-1" });
        program();
        return state.settle(whole).then(
            () => undefined,
            (e: unknown) => e,
        );
    });
}

const OFFLINE = `The plan runs the program offline, without AWS, so it cannot look up existing resources (certificates, VPCs, ...): pass such values in through the stack's configuration instead. The invokes it answers: ${ANSWERED_INVOKES.join(", ")}.`;

describe("mock runtime: invokes it cannot answer", () => {
    after(restoreHarness);

    it("fail the evaluation naming each invoke and what it fed (a resource input, a stack output)", async () => {
        const fixture = readProject(path.join(__dirname, "../stack/fixtures/mock-invokes"));
        const error = await exclusive(() =>
            evaluateStack(state, fixture, "dev").then(
                () => undefined,
                (e: unknown) => e,
            ),
        );
        assert.ok(error instanceof pulumi.RunError, String(error));
        assert.equal(
            error.message,
            [
                `Invoke aws:acm/getCertificate:getCertificate has no offline answer; it fed the input regionalCertificateArn of aws:apigateway/domainName:DomainName "api", which was therefore not registered.`,
                `Invoke aws:lambda/getFunction:getFunction has no offline answer; it fed the stack output legacyFunction.`,
                OFFLINE,
            ].join("\n"),
        );
        // The answered lookup went through: the role policy is there, with the document.
        const policy = state.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
        const document = JSON.parse(String(policy?.inputs.policy)) as {
            Statement: { Action: string }[];
        };
        assert.equal(document.Statement[0].Action, "dynamodb:*");
    });

    it("an invoke whose result nothing takes still fails the evaluation", async () => {
        const error = await settleError(() => {
            void acm.getCertificate({ domain: "api.example.com" });
        });
        assert.ok(error instanceof pulumi.RunError, String(error));
        assert.equal(
            error.message,
            `Invoke aws:acm/getCertificate:getCertificate has no offline answer.\n${OFFLINE}`,
        );
    });

    it("a program's evaluation names a resource whose input failed for another reason, and a failed output", async () => {
        const program = () => {
            const failed = pulumi.output("x").apply((): string => {
                throw new Error("the program's apply threw");
            });
            new Leaf("input-fails", {}, { value: failed });
            state.outputFailed("url", new Error("no url"));
        };
        const error = await settleError(program, true);
        assert.ok(error instanceof pulumi.RunError, String(error));
        assert.equal(
            error.message,
            [
                "Stack output url failed: no url",
                `test:index:Leaf "input-fails" was not registered: the program's apply threw`,
            ].join("\n"),
        );
        // A test failing a resource on purpose still settles.
        assert.equal(await settleError(program), undefined);
    });
});

describe("mock runtime: aws.iam.getPolicyDocument, as the provider builds it", () => {
    it("writes statements as the provider does: defaults, sets, principals, conditions, escapes", () => {
        const result = policyDocument({
            policyId: "api",
            statements: [
                {
                    sid: "Tables",
                    actions: ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:Query"],
                    resources: ["arn:aws:dynamodb:*:*:table/&{aws:username}"],
                    principals: [
                        { type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] },
                        {
                            type: "Service",
                            identifiers: ["lambda.amazonaws.com", "apigateway.amazonaws.com"],
                        },
                        { type: "AWS", identifiers: ["111122223333", "444455556666"] },
                    ],
                    conditions: [
                        {
                            test: "StringLike",
                            variable: "s3:prefix",
                            values: ["home/&{aws:username}/"],
                        },
                        { test: "Bool", variable: "aws:SecureTransport", values: ["true"] },
                        { test: "StringLike", variable: "s3:prefix", values: ["<b>", "a&b"] },
                    ],
                },
                {
                    effect: "Deny",
                    notActions: ["iam:*"],
                    notResources: ["arn:aws:iam::*:role/a", "arn:aws:iam::*:role/b"],
                    notPrincipals: [{ type: "*", identifiers: ["*"] }],
                },
                {
                    actions: ["s3:GetObject"],
                    resources: ["*"],
                    principals: [{ type: "AWS", identifiers: ["*"] }],
                },
            ],
        });
        const expected = {
            Version: "2012-10-17",
            Id: "api",
            Statement: [
                {
                    Sid: "Tables",
                    Effect: "Allow",
                    Action: ["dynamodb:Query", "dynamodb:GetItem"],
                    Resource: "arn:aws:dynamodb:*:*:table/${aws:username}",
                    Principal: {
                        AWS: ["arn:aws:iam::123456789012:root", "444455556666", "111122223333"],
                        Service: ["lambda.amazonaws.com", "apigateway.amazonaws.com"],
                    },
                    Condition: {
                        Bool: { "aws:SecureTransport": "true" },
                        StringLike: { "s3:prefix": ["home/${aws:username}/", "<b>", "a&b"] },
                    },
                },
                {
                    Effect: "Deny",
                    NotAction: "iam:*",
                    NotResource: ["arn:aws:iam::*:role/b", "arn:aws:iam::*:role/a"],
                    NotPrincipal: "*",
                },
                { Effect: "Allow", Action: "s3:GetObject", Resource: "*", Principal: { AWS: "*" } },
            ],
        };
        // Go's encoder: two-space indent, <, > and & escaped.
        const go = (s: string) =>
            s.replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
        assert.equal(result.json, go(JSON.stringify(expected, null, 2)));
        assert.equal(result.minifiedJson, go(JSON.stringify(expected)));
        assert.equal(result.id, String(crc32(String(result.json))));
        assert.equal(result.version, "2012-10-17");
    });

    it("merges source and override documents: a statement with the same Sid is replaced", () => {
        const source = JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
                { Effect: "Allow", Action: ["b:B", "a:A"], Principal: "*" },
            ],
        });
        const override = JSON.stringify({
            Statement: [{ Sid: "Read", Effect: "Deny", Action: "s3:*", Resource: "*" }],
        });
        const result = policyDocument({
            sourcePolicyDocuments: [source],
            statements: [{ sid: "Write", actions: ["s3:PutObject"], resources: ["*"] }],
            overridePolicyDocuments: [override],
        });
        assert.deepEqual(JSON.parse(String(result.minifiedJson)), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "Read", Effect: "Deny", Action: "s3:*", Resource: "*" },
                { Effect: "Allow", Action: ["b:B", "a:A"], Principal: "*" },
                { Sid: "Write", Effect: "Allow", Action: "s3:PutObject", Resource: "*" },
            ],
        });
    });

    it("no statements: the version alone; a repeated Sid is the provider's error", () => {
        assert.equal(policyDocument({}).minifiedJson, `{"Version":"2012-10-17"}`);
        assert.throws(
            () => policyDocument({ statements: [{ sid: "A" }, { sid: "A" }] }),
            new Error(
                "writing IAM Policy Document: duplicate Sid (A). Remove the Sid or ensure the Sid is unique.",
            ),
        );
    });
});

describe("mock runtime: regions", () => {
    after(restoreHarness);

    it("the default provider's region is the stack's aws:region; an explicit provider keeps its own; a region input wins", async () => {
        const { resources, invokes } = await evaluateProgram({ "aws:region": "eu-west-1" }, () => {
            const usEast = new Provider("us-east-1", { region: "us-east-1" });
            new cloudwatch.LogGroup("default-provider", {});
            new cloudwatch.LogGroup("explicit", {}, { provider: usEast });
            new cloudwatch.LogGroup(
                "own-region",
                { region: "ap-southeast-2" },
                { provider: usEast },
            );
            new Component("test:index:Outer", "component");
            getAvailabilityZonesOutput({ excludeNames: ["eu-west-1b"] });
            getAvailabilityZonesOutput({}, { provider: usEast });
        });
        const byName = (n: string) => resources.find((r) => r.name === n)!;
        assert.deepEqual(
            ["default-provider", "explicit", "own-region", "component", "us-east-1"].map((n) => [
                n,
                byName(n).providerRegion,
                byName(n).state.arn,
            ]),
            [
                [
                    "default-provider",
                    "eu-west-1",
                    "arn:aws:logs:eu-west-1:123456789012:log-group:default-provider",
                ],
                ["explicit", "us-east-1", "arn:aws:logs:us-east-1:123456789012:log-group:explicit"],
                [
                    "own-region",
                    "ap-southeast-2",
                    "arn:aws:logs:ap-southeast-2:123456789012:log-group:own-region",
                ],
                ["component", null, undefined],
                ["us-east-1", null, undefined],
            ],
        );
        assert.deepEqual(
            invokes.map((i) => [i.result.names, i.result.zoneIds]),
            [
                [
                    ["eu-west-1a", "eu-west-1c"],
                    ["euw1-az1", "euw1-az3"],
                ],
                [
                    ["us-east-1a", "us-east-1b", "us-east-1c"],
                    ["use1-az1", "use1-az2", "use1-az3"],
                ],
            ],
        );
    });

    it("without aws:region, a resource of the default provider has no region", async () => {
        const { resources } = await evaluateProgram({}, () => {
            new cloudwatch.LogGroup("nowhere", {});
        });
        assert.equal(resources[0].providerRegion, null);
    });
});

describe("mock runtime: API Gateway custom domains and HTTP APIs", () => {
    after(restoreHarness);
    let resources: RecordedResource[];
    const stateOf = (name: string) => resources.find((r) => r.name === name)!.state;
    before(async () => {
        ({ resources } = await evaluateProgram({ "aws:region": "eu-west-1" }, () => {
            new apigateway.DomainName("edge", {
                domainName: "edge.example.com",
                certificateArn: "arn:cert",
            });
            new apigateway.DomainName("regional", {
                domainName: "api.example.com",
                regionalCertificateArn: "arn:cert",
                endpointConfiguration: { types: "REGIONAL" },
            });
            new apigatewayv2.DomainName("http", {
                domainName: "http.example.com",
                domainNameConfiguration: {
                    certificateArn: "arn:cert",
                    endpointType: "REGIONAL",
                    securityPolicy: "TLS_1_2",
                },
            });
            new apigatewayv2.Api("http", { protocolType: "HTTP" });
            new apigatewayv2.Api("socket", {
                protocolType: "WEBSOCKET",
                routeSelectionExpression: "$request.body.action",
            });
        }));
    });

    it("an EDGE domain (AWS's default) has CloudFront's name and zone id, and no regional ones", () => {
        const s = stateOf("edge");
        assert.match(String(s.cloudfrontDomainName), /^d[0-9a-f]{13}\.cloudfront\.net$/);
        assert.deepEqual(
            [
                s.cloudfrontZoneId,
                s.regionalDomainName,
                s.regionalZoneId,
                s.endpointConfiguration,
                s.arn,
            ],
            [
                "Z2FDTNDATAQYW2",
                "",
                "",
                { ipAddressType: "ipv4", types: "EDGE" },
                "arn:aws:apigateway:eu-west-1::/domainnames/edge.example.com",
            ],
        );
    });

    it("a REGIONAL domain has its regional name and (fake) zone id; CloudFront's name is empty", () => {
        const s = stateOf("regional");
        assert.match(
            String(s.regionalDomainName),
            /^d-[0-9a-f]{10}\.execute-api\.eu-west-1\.amazonaws\.com$/,
        );
        assert.deepEqual(
            [s.regionalZoneId, s.cloudfrontDomainName, s.cloudfrontZoneId],
            ["ZMOCKAPIGWEUWEST1", "", "Z2FDTNDATAQYW2"],
        );
    });

    it("an HTTP API domain has its target name, zone id, mapping selection expression and ARN", () => {
        const s = stateOf("http") as Record<string, Record<string, unknown>>;
        const config = s.domainNameConfiguration;
        assert.match(
            String(config.targetDomainName),
            /^d-[0-9a-f]{10}\.execute-api\.eu-west-1\.amazonaws\.com$/,
        );
        assert.deepEqual(
            [
                config.hostedZoneId,
                config.endpointType,
                config.ipAddressType,
                s.apiMappingSelectionExpression,
                s.arn,
            ],
            [
                "ZMOCKAPIGWEUWEST1",
                "REGIONAL",
                "ipv4",
                "$request.basepath",
                "arn:aws:apigateway:eu-west-1::/domainnames/http.example.com",
            ],
        );
    });

    it("an HTTP or WebSocket API has a 10-character id, its endpoint, execution ARN and ARN", () => {
        const apis = resources.filter((r) => r.type === "aws:apigatewayv2/api:Api");
        assert.deepEqual(
            apis.map((r) => [r.id.length, r.state.apiEndpoint, r.state.executionArn, r.state.arn]),
            apis.map((r) => [
                10,
                `${r.name === "socket" ? "wss" : "https"}://${r.id}.execute-api.eu-west-1.amazonaws.com`,
                `arn:aws:execute-api:eu-west-1:123456789012:${r.id}`,
                `arn:aws:apigateway:eu-west-1::/apis/${r.id}`,
            ]),
        );
        assert.equal(new Set(apis.map((r) => r.id)).size, 2);
    });
});
