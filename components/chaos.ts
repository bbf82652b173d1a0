// Chaos-ready functions for `RegionalApi` (opt-in): the AWS FIS Lambda extension on the functions,
// the private S3 location FIS and the extension talk through, and experiment templates that break
// this region only: its API fails (503), or it is slow.
// Sources: https://docs.aws.amazon.com/fis/latest/userguide/use-lambda-actions.html (layer, wrapper,
// configuration location, IAM), https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#aws-lambda-actions-reference
// (action parameters), https://docs.aws.amazon.com/fis/latest/userguide/actions-lambda-extension-arns.html
// (the layer's public SSM parameters).
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { Rule, integerFrom } from "./validation";

/** Arguments of a region's chaos experiments (`RegionalApiArgs.chaos`). */
export interface ChaosSettings {
    /**
     * ARNs of CloudWatch alarms, in this region, that stop any running experiment when they go
     * to ALARM: the other regions' health as this region observes it (a `PeerProbe`), so that a
     * drill never takes the whole service down. At least one.
     */
    readonly stopAlarmArns: pulumi.Input<string>[];
    /**
     * How long an experiment injects faults at most, minutes (1-120); it can be stopped earlier.
     * @default 10
     */
    readonly maxDurationMinutes?: number;
    /**
     * Delay the "slow" experiment adds before each invocation, milliseconds (2,100-10,000): above
     * Route 53's 2-second response budget, so the region's health check fails.
     * @default 2500
     */
    readonly delayMilliseconds?: number;
}

export const CHAOS_DEFAULTS = { maxDurationMinutes: 10, delayMilliseconds: 2500 };

/** The rule of each plain `ChaosSettings` field, shared with the stack config's `chaos`. */
export const CHAOS_RULES: Record<"maxDurationMinutes" | "delayMilliseconds", Rule> = {
    maxDurationMinutes: integerFrom(1, 120, " minutes"),
    delayMilliseconds: integerFrom(2100, 10_000, " milliseconds"),
};

/** The experiments every chaos-ready region gets, by key (also the stack output's keys). */
export const CHAOS_EXPERIMENTS = {
    /** Every invocation answers 503 through API Gateway, without running the function. */
    apiFails: "api-fails",
    /** Every invocation starts `delayMilliseconds` late. */
    slow: "slow",
} as const;

/** The folder of the bucket FIS writes fault configurations to and the extension polls. */
const CONFIG_PREFIX = "FisConfigs/";

/** What the chaos wiring needs of its `RegionalApi`. */
export interface ChaosContext {
    readonly name: string;
    readonly parent: pulumi.Resource;
    readonly tags: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    readonly partition: pulumi.Output<string>;
    readonly region: pulumi.Output<string>;
    readonly accountId: pulumi.Output<string>;
}

/** Where FIS and the extension meet, and what the functions need to load the extension. */
export interface ChaosLocation {
    readonly bucket: aws.s3.Bucket;
    /** `arn:<partition>:s3:::<bucket>/FisConfigs/` */
    readonly configurationLocation: pulumi.Output<string>;
    /** The FIS extension layer for arm64 in this region, from AWS's public SSM parameter. */
    readonly layerArn: pulumi.Output<string>;
    /** Environment variables that load the extension. */
    readonly environment: Record<string, pulumi.Input<string>>;
}

/**
 * The private, encrypted bucket FIS writes fault configurations to (TLS only, no public access,
 * owner-enforced, objects gone after a day), and the extension's layer and environment.
 */
export function createChaosLocation(ctx: ChaosContext): ChaosLocation {
    const opts = { parent: ctx.parent };
    const bucket = new aws.s3.Bucket(
        `${ctx.name}-chaos`,
        // Only fault configurations live here, and FIS deletes them: removing chaos from a stack
        // must remove the bucket even if one was left behind.
        { forceDestroy: true, tags: ctx.tags },
        opts,
    );
    new aws.s3.BucketPublicAccessBlock(
        `${ctx.name}-chaos-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        opts,
    );
    new aws.s3.BucketOwnershipControls(
        `${ctx.name}-chaos-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        opts,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${ctx.name}-chaos-encryption`,
        {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        },
        opts,
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${ctx.name}-chaos-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-fault-configurations",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: 1 },
                },
            ],
        },
        opts,
    );
    new aws.s3.BucketPolicy(
        `${ctx.name}-chaos-tls-only`,
        {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "TlsOnly",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        },
        opts,
    );
    // `insecureValue`: the parameter is public; `value` would mark the functions' layers secret.
    const layerArn = aws.ssm.getParameterOutput(
        { name: "/aws/service/fis/lambda-extension/AWS-FIS-extension-arm64/1.x.x" },
        { parent: ctx.parent },
    ).insecureValue;
    const configurationLocation = pulumi.interpolate`arn:${ctx.partition}:s3:::${bucket.bucket}/${CONFIG_PREFIX}`;
    return {
        bucket,
        configurationLocation,
        layerArn,
        environment: {
            AWS_LAMBDA_EXEC_WRAPPER: "/opt/aws-fis/bootstrap",
            AWS_FIS_CONFIGURATION_LOCATION: configurationLocation,
        },
    };
}

/** Lets a function's role read the fault configurations (what the extension polls). */
export function grantChaosRead(
    ctx: ChaosContext,
    handlerName: string,
    role: aws.iam.Role,
    location: ChaosLocation,
): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(
        `${handlerName}-chaos-read`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: "s3:ListBucket",
                        Resource: location.bucket.arn,
                        Condition: { StringLike: { "s3:prefix": [`${CONFIG_PREFIX}*`] } },
                    },
                    {
                        Effect: "Allow",
                        Action: "s3:GetObject",
                        Resource: pulumi.interpolate`${location.bucket.arn}/${CONFIG_PREFIX}*`,
                    },
                ],
            }),
        },
        { parent: ctx.parent },
    );
}

/** The FIS experiment role and the experiment templates of one region. */
export interface ChaosExperiments {
    /** The role FIS runs this region's experiments with. */
    readonly fisRole: aws.iam.Role;
    /** "api-fails": every invocation answers 503 without running. */
    readonly apiFails: aws.fis.ExperimentTemplate;
    /** "slow": every invocation starts late. */
    readonly slow: aws.fis.ExperimentTemplate;
}

/** A chaos-ready region's resources (`RegionalApi.chaos`). */
export interface ChaosResources extends ChaosExperiments {
    /** The private bucket FIS writes fault configurations to and the extension reads. */
    readonly bucket: aws.s3.Bucket;
}

/**
 * The experiment role (FIS may write and delete fault configurations in this region's location
 * and read the functions) and the templates, each targeting exactly `functions` by ARN.
 */
export function createChaosExperiments(
    ctx: ChaosContext,
    location: ChaosLocation,
    functions: aws.lambda.Function[],
    args: ChaosSettings,
): ChaosExperiments {
    const opts = { parent: ctx.parent };
    const role = new aws.iam.Role(
        `${ctx.name}-chaos-fis-role`,
        {
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "fis.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        // Only FIS experiments of this account and region (confused deputy):
                        // https://docs.aws.amazon.com/fis/latest/userguide/getting-started-iam-service-role.html
                        Condition: {
                            StringEquals: { "aws:SourceAccount": ctx.accountId },
                            ArnLike: {
                                "aws:SourceArn": pulumi.interpolate`arn:${ctx.partition}:fis:${ctx.region}:${ctx.accountId}:experiment/*`,
                            },
                        },
                    },
                ],
            }),
            tags: ctx.tags,
        },
        opts,
    );
    new aws.iam.RolePolicy(
        `${ctx.name}-chaos-fis-policy`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["s3:PutObject", "s3:DeleteObject"],
                        Resource: pulumi.interpolate`${location.bucket.arn}/${CONFIG_PREFIX}*`,
                    },
                    {
                        // AWS grants this on "*"; targets are given by ARN, so no tag lookups.
                        Effect: "Allow",
                        Action: "lambda:GetFunction",
                        Resource: functions.map((f) => f.arn),
                    },
                ],
            }),
        },
        opts,
    );
    const duration = `PT${args.maxDurationMinutes ?? CHAOS_DEFAULTS.maxDurationMinutes}M`;
    const template = (
        key: keyof typeof CHAOS_EXPERIMENTS,
        description: string,
        actionId: string,
        parameters: Record<string, string>,
    ) =>
        new aws.fis.ExperimentTemplate(
            `${ctx.name}-chaos-${CHAOS_EXPERIMENTS[key]}`,
            {
                description,
                roleArn: role.arn,
                targets: [
                    {
                        name: "functions",
                        resourceType: "aws:lambda:function",
                        resourceArns: functions.map((f) => f.arn),
                        selectionMode: "ALL",
                    },
                ],
                actions: [
                    {
                        name: CHAOS_EXPERIMENTS[key],
                        actionId,
                        parameters: Object.entries({
                            duration,
                            invocationPercentage: "100",
                            ...parameters,
                        }).map(([k, value]) => ({ key: k, value })),
                        target: { key: "Functions", value: "functions" },
                    },
                ],
                stopConditions: args.stopAlarmArns.map((arn) => ({
                    source: "aws:cloudwatch:alarm",
                    value: arn,
                })),
                experimentOptions: {
                    accountTargeting: "single-account",
                    emptyTargetResolutionMode: "fail",
                },
                tags: pulumi
                    .output(ctx.tags)
                    .apply((t) => ({ ...t, Name: `${ctx.name}-chaos-${CHAOS_EXPERIMENTS[key]}` })),
            },
            { ...opts, dependsOn: [role] },
        );
    return {
        fisRole: role,
        apiFails: template(
            "apiFails",
            "This region's API fails: every invocation of its functions answers 503 without running; Route 53 takes the region out.",
            "aws:lambda:invocation-http-integration-response",
            {
                statusCode: "503",
                contentTypeHeader: "application/json",
                preventExecution: "true",
            },
        ),
        slow: template(
            "slow",
            `This region is slow: every invocation of its functions starts ${args.delayMilliseconds ?? CHAOS_DEFAULTS.delayMilliseconds} ms late, beyond Route 53's 2 s response budget.`,
            "aws:lambda:invocation-add-delay",
            {
                startupDelayMilliseconds: String(
                    args.delayMilliseconds ?? CHAOS_DEFAULTS.delayMilliseconds,
                ),
            },
        ),
    };
}
