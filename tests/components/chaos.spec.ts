// RegionalApi's opt-in chaos wiring under the mock runtime: the FIS extension on both functions,
// the private S3 location, the FIS role and the experiment templates, exactly; none of it without.
import * as assert from "node:assert/strict";
import * as aws from "../../components/aws";
import { RegionalApi, RegionalApiArgs } from "../../components/regionalApi";
import { RecordedResource } from "../../plan/mockRuntime";
import { created, promiseOf, reset, state } from "../harness";
import {
    assertTags,
    childrenOf,
    component,
    rejectsBeforeRegistering,
    withPlainStacks,
} from "./helpers";

const TYPE = "multi-region-api:index:RegionalApi";
const STOP_ALARM = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:peer-us-east-1";
const args: RegionalApiArgs = {
    serviceName: "api.example.com",
    zoneName: "example.com",
    tableName: "products",
    tags: { Service: "api.example.com" },
};
/** The mock runtime's account. */
const MOCK_ACCOUNT_ID = "123456789012";
const LAYER = `arn:aws:lambda:eu-west-1:${MOCK_ACCOUNT_ID}:layer:aws-fis-extension-arm64:1`;

/** The chaos children of the RegionalApi `name`, as `type name`, sorted. */
const CHAOS_CHILDREN = (n: string) =>
    [
        `aws:fis/experimentTemplate:ExperimentTemplate ${n}-chaos-api-fails`,
        `aws:fis/experimentTemplate:ExperimentTemplate ${n}-chaos-slow`,
        `aws:iam/role:Role ${n}-chaos-fis-role`,
        `aws:iam/rolePolicy:RolePolicy ${n}-api-chaos-read`,
        `aws:iam/rolePolicy:RolePolicy ${n}-chaos-fis-policy`,
        `aws:iam/rolePolicy:RolePolicy ${n}-health-chaos-read`,
        `aws:s3/bucket:Bucket ${n}-chaos`,
        `aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration ${n}-chaos-lifecycle`,
        `aws:s3/bucketOwnershipControls:BucketOwnershipControls ${n}-chaos-ownership`,
        `aws:s3/bucketPolicy:BucketPolicy ${n}-chaos-tls-only`,
        `aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock ${n}-chaos-public-access`,
        `aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration ${n}-chaos-encryption`,
    ].sort();

async function build(
    name: string,
    extra: Partial<RegionalApiArgs>,
): Promise<Record<string, RecordedResource>> {
    reset();
    const api = new RegionalApi(
        name,
        { ...args, ...extra },
        {
            providers: { aws: new aws.Provider("aws-eu-west-1", { region: "eu-west-1" }) },
        },
    );
    await promiseOf(api.healthUrl);
    await state.settle();
    return Object.fromEntries(childrenOf(component(TYPE, name)).map((c) => [c.name, c]));
}

describe("RegionalApi chaos", () => {
    let c: Record<string, RecordedResource>;
    before(() =>
        withPlainStacks(async () => {
            c = await build("euw1", {
                chaos: { stopAlarmArns: [STOP_ALARM], maxDurationMinutes: 15 },
            });
        }),
    );
    const bucket = () => c["euw1-chaos"];
    const location = () => `arn:aws:s3:::${String(bucket().state.bucket)}/FisConfigs/`;
    const fnArn = (f: string) => String(c[f].state.arn);

    it("adds exactly the chaos children, on the region's provider, tagged", () => {
        const names = Object.values(c)
            .filter((r) => /chaos/.test(r.name))
            .map((r) => `${r.type} ${r.name}`)
            .sort();
        assert.deepEqual(names, CHAOS_CHILDREN("euw1"));
        for (const r of Object.values(c)) {
            assert.equal(r.providerRegion, "eu-west-1", r.name);
        }
        assertTags(
            Object.values(c),
            (r): Record<string, string> =>
                r.type === "aws:fis/experimentTemplate:ExperimentTemplate"
                    ? { Service: "api.example.com", Name: r.name }
                    : { Service: "api.example.com" },
            [
                "aws:s3/bucket:Bucket",
                "aws:fis/experimentTemplate:ExperimentTemplate",
                "aws:iam/role:Role",
            ],
        );
    });

    it("loads the FIS extension on both functions: its arm64 layer from AWS's public parameter, the wrapper and the location", () => {
        const ssm = state.invokes.filter((i) => i.token === "aws:ssm/getParameter:getParameter");
        assert.deepEqual(
            ssm.map((i) => i.inputs as unknown),
            [{ name: "/aws/service/fis/lambda-extension/AWS-FIS-extension-arm64/1.x.x" }],
        );
        for (const f of ["euw1-api", "euw1-health"]) {
            const inputs = c[f].inputs;
            assert.deepEqual(inputs.layers, [LAYER], f);
            assert.deepEqual(inputs.architectures, ["arm64"], f);
            const env = (inputs.environment as { variables: Record<string, string> }).variables;
            assert.equal(env.AWS_LAMBDA_EXEC_WRAPPER, "/opt/aws-fis/bootstrap", f);
            assert.equal(env.AWS_FIS_CONFIGURATION_LOCATION, location(), f);
            assert.equal(env.TABLE_NAME, "products", f);
        }
    });

    it("lets each function's role read only the fault configurations", () => {
        for (const h of ["api", "health"]) {
            const policy = c[`euw1-${h}-chaos-read`].inputs;
            assert.equal(policy.role, c[`euw1-${h}-role`].id);
            assert.deepEqual(JSON.parse(String(policy.policy)), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: "s3:ListBucket",
                        Resource: bucket().state.arn,
                        Condition: { StringLike: { "s3:prefix": ["FisConfigs/*"] } },
                    },
                    {
                        Effect: "Allow",
                        Action: "s3:GetObject",
                        Resource: `${String(bucket().state.arn)}/FisConfigs/*`,
                    },
                ],
            });
        }
    });

    it("keeps the location private and encrypted: no public access, owner-enforced, TLS only, objects expire", () => {
        assert.equal(bucket().inputs.forceDestroy, true);
        const id = bucket().id;
        assert.deepEqual(c["euw1-chaos"].inputs.tags, { Service: "api.example.com" });
        const byType = (t: string) => Object.values(c).find((r) => r.type === t)!.inputs;
        assert.deepEqual(byType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"), {
            bucket: id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepEqual(byType("aws:s3/bucketOwnershipControls:BucketOwnershipControls"), {
            bucket: id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        });
        assert.deepEqual(
            byType(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            ),
            {
                bucket: id,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            },
        );
        assert.deepEqual(
            byType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
            {
                bucket: id,
                rules: [
                    {
                        id: "expire-fault-configurations",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: 1 },
                    },
                ],
            },
        );
        const policy = byType("aws:s3/bucketPolicy:BucketPolicy");
        assert.deepEqual(JSON.parse(String(policy.policy)), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "TlsOnly",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [bucket().state.arn, `${String(bucket().state.arn)}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        });
    });

    it("gives FIS a role only its experiments of this account and region assume, writing only the location", () => {
        const role = c["euw1-chaos-fis-role"].inputs;
        assert.deepEqual(JSON.parse(String(role.assumeRolePolicy)), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Service: "fis.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
                        ArnLike: {
                            "aws:SourceArn": `arn:aws:fis:eu-west-1:${MOCK_ACCOUNT_ID}:experiment/*`,
                        },
                    },
                },
            ],
        });
        const policy = c["euw1-chaos-fis-policy"].inputs;
        assert.equal(policy.role, c["euw1-chaos-fis-role"].id);
        assert.deepEqual(JSON.parse(String(policy.policy)), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["s3:PutObject", "s3:DeleteObject"],
                    Resource: `${String(bucket().state.arn)}/FisConfigs/*`,
                },
                {
                    Effect: "Allow",
                    Action: "lambda:GetFunction",
                    Resource: [fnArn("euw1-api"), fnArn("euw1-health")],
                },
            ],
        });
    });

    it("templates break this region's functions only, stop on the alarms and after the maximum duration", () => {
        const template = (
            key: string,
            actionId: string,
            parameters: Record<string, string>,
            description: string,
        ) => ({
            description,
            roleArn: c["euw1-chaos-fis-role"].state.arn,
            targets: [
                {
                    name: "functions",
                    resourceType: "aws:lambda:function",
                    resourceArns: [fnArn("euw1-api"), fnArn("euw1-health")],
                    selectionMode: "ALL",
                },
            ],
            actions: [
                {
                    name: key,
                    actionId,
                    parameters: Object.entries(parameters).map(([k, value]) => ({ key: k, value })),
                    target: { key: "Functions", value: "functions" },
                },
            ],
            stopConditions: [{ source: "aws:cloudwatch:alarm", value: STOP_ALARM }],
            experimentOptions: {
                accountTargeting: "single-account",
                emptyTargetResolutionMode: "fail",
            },
            tags: { Service: "api.example.com", Name: `euw1-chaos-${key}` },
        });
        assert.deepEqual(
            c["euw1-chaos-api-fails"].inputs,
            template(
                "api-fails",
                "aws:lambda:invocation-http-integration-response",
                {
                    duration: "PT15M",
                    invocationPercentage: "100",
                    statusCode: "503",
                    contentTypeHeader: "application/json",
                    preventExecution: "true",
                },
                "This region's API fails: every invocation of its functions answers 503 without running; Route 53 takes the region out.",
            ),
        );
        assert.deepEqual(
            c["euw1-chaos-slow"].inputs,
            template(
                "slow",
                "aws:lambda:invocation-add-delay",
                {
                    duration: "PT15M",
                    invocationPercentage: "100",
                    startupDelayMilliseconds: "2500",
                },
                "This region is slow: every invocation of its functions starts 2500 ms late, beyond Route 53's 2 s response budget.",
            ),
        );
    });

    it("creates none of it without chaos: no layer, no FIS variables, no bucket, role or template", async () => {
        await withPlainStacks(async () => {
            const plain = await build("plain", {});
            assert.deepEqual(
                Object.values(plain).filter((r) =>
                    /chaos|aws:fis|aws:s3/.test(`${r.name} ${r.type}`),
                ),
                [],
            );
            for (const f of ["plain-api", "plain-health"]) {
                assert.equal(plain[f].inputs.layers, undefined);
                const env = (plain[f].inputs.environment as { variables: Record<string, string> })
                    .variables;
                assert.deepEqual(
                    Object.keys(env).filter((k) => k.startsWith("AWS_")),
                    [],
                );
            }
            assert.equal(
                state.invokes.filter((i) => i.token === "aws:ssm/getParameter:getParameter").length,
                0,
            );
            assert.equal(created.filter((r) => r.type.startsWith("aws:fis")).length, 0);
        });
    });

    it("refuses bad chaos args by name before registering anything", async () => {
        const cases: [unknown, string][] = [
            [
                {},
                `RegionalApi "bad": [chaos.stopAlarmArns] a list of 1 to 5 CloudWatch alarm ARNs (FIS's limit of stop conditions per template): an experiment must stop when the other regions turn unhealthy (got (missing))`,
            ],
            [
                {
                    stopAlarmArns: [STOP_ALARM],
                    maxDurationMinutes: 0,
                    delayMilliseconds: 1000,
                    peer: "x",
                },
                'RegionalApi "bad": [chaos.peer] is not a setting of [chaos]; its settings are stopAlarmArns, maxDurationMinutes, delayMilliseconds; [chaos.maxDurationMinutes] must be an integer from 1 to 120 minutes (got 0); [chaos.delayMilliseconds] must be an integer from 2100 to 10000 milliseconds (got 1000)',
            ],
            ["yes", `RegionalApi "bad": [chaos] must be an object with stopAlarmArns (got "yes")`],
        ];
        for (const [chaos, message] of cases) {
            reset();
            await rejectsBeforeRegistering(
                () => new RegionalApi("bad", { ...args, chaos: chaos as never }),
                message,
            );
        }
    });
});
