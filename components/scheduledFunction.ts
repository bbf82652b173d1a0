// A bundled handler run once a minute by EventBridge, with its log group and a role of its own:
// what PeerProbe and DerivedMetricGuard are built on. Children are named `<name>-logs`, `-role`,
// `-policy`, `-function`, `-schedule`, `-target` and `-invoke`.
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { HandlerName, LAMBDA_RUNTIME, handlerArchive } from "./handlerBundle";

/** What a scheduled function needs of its component. */
export interface ScheduledFunctionScope {
    readonly name: string;
    readonly parent: pulumi.Resource;
    readonly tags: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

export interface ScheduledFunctionSettings {
    handler: HandlerName;
    /** What the schedule says it runs ("the peer probe"). */
    what: string;
    /** IAM statements besides writing its own logs. */
    statements: object[];
    environment: Record<string, pulumi.Input<string>>;
    timeoutSeconds: number;
    retentionInDays: pulumi.Input<number>;
}

export interface ScheduledFunction {
    readonly function: aws.lambda.Function;
    readonly role: aws.iam.Role;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly rule: aws.cloudwatch.EventRule;
}

const assumeRole = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
        },
    ],
});

export function createScheduledFunction(
    scope: ScheduledFunctionScope,
    settings: ScheduledFunctionSettings,
): ScheduledFunction {
    const opts = { parent: scope.parent };
    const logGroup = new aws.cloudwatch.LogGroup(
        `${scope.name}-logs`,
        { retentionInDays: settings.retentionInDays, tags: scope.tags },
        opts,
    );
    const role = new aws.iam.Role(
        `${scope.name}-role`,
        { assumeRolePolicy: assumeRole, tags: scope.tags },
        opts,
    );
    const policy = new aws.iam.RolePolicy(
        `${scope.name}-policy`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    ...settings.statements,
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
        `${scope.name}-function`,
        {
            runtime: LAMBDA_RUNTIME,
            architectures: ["arm64"],
            handler: "index.handler",
            code: handlerArchive(settings.handler),
            role: role.arn,
            memorySize: 128,
            timeout: settings.timeoutSeconds,
            environment: { variables: settings.environment },
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            tags: scope.tags,
        },
        // The schedule starts at once: the first run must already be allowed to do its work.
        { ...opts, dependsOn: [policy] },
    );
    // A run that cannot start within a minute is dropped, never retried: the next one is due.
    const rule = new aws.cloudwatch.EventRule(
        `${scope.name}-schedule`,
        {
            description: `Runs ${settings.what} ${scope.name} every minute.`,
            scheduleExpression: "rate(1 minute)",
            tags: scope.tags,
        },
        opts,
    );
    new aws.cloudwatch.EventTarget(
        `${scope.name}-target`,
        {
            rule: rule.name,
            arn: fn.arn,
            retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
        },
        opts,
    );
    new aws.lambda.Permission(
        `${scope.name}-invoke`,
        {
            action: "lambda:InvokeFunction",
            function: fn.name,
            principal: "events.amazonaws.com",
            sourceArn: rule.arn,
        },
        opts,
    );
    return { function: fn, role, logGroup, rule };
}
