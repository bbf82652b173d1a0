// AWS SDK v3 clients for the operator commands: one per service and region, sized for an outage.
// A dead region must cost seconds, not minutes: each call has a short connect and request timeout,
// one retry, and an overall deadline that also bounds what the SDK's own timeouts do not (a
// credential provider that hangs, a mocked client that never answers).
import { ACMClient } from "@aws-sdk/client-acm";
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { FisClient } from "@aws-sdk/client-fis";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { Route53Client } from "@aws-sdk/client-route-53";

/** Per-call limits: what a command waits for one AWS answer before calling the region unreachable. */
export interface CallLimits {
    /** TCP + TLS connect, milliseconds. */
    connectMs: number;
    /** One attempt, milliseconds. */
    requestMs: number;
    /** Attempts (the SDK retries throttling and network errors). */
    attempts: number;
    /** Everything, retries and credential lookup included, milliseconds. */
    deadlineMs: number;
}

export const DEFAULT_LIMITS: CallLimits = {
    connectMs: 3000,
    requestMs: 5000,
    attempts: 2,
    deadlineMs: 12000,
};

// The Route 53 API (health-check status) has one endpoint, in us-east-1: it goes dark with it.
export const ROUTE53_API_REGION = "us-east-1";

/** The clients a command uses, created on first use and shared per region. */
export class AwsClients {
    private readonly cache = new Map<string, unknown>();

    constructor(readonly limits: CallLimits = DEFAULT_LIMITS) {}

    cloudwatch(region: string): CloudWatchClient {
        return this.client("cloudwatch", region, CloudWatchClient);
    }
    route53(): Route53Client {
        return this.client("route53", ROUTE53_API_REGION, Route53Client);
    }
    lambda(region: string): LambdaClient {
        return this.client("lambda", region, LambdaClient);
    }
    acm(region: string): ACMClient {
        return this.client("acm", region, ACMClient);
    }
    apigateway(region: string): APIGatewayClient {
        return this.client("apigateway", region, APIGatewayClient);
    }
    dynamodb(region: string): DynamoDBClient {
        return this.client("dynamodb", region, DynamoDBClient);
    }
    fis(region: string): FisClient {
        return this.client("fis", region, FisClient);
    }

    /**
     * Sends `command` through `send` (the client's own `send`, given the abort signal), within the
     * deadline. Failures become {@link AwsCallError}s that name the call, the region and what to do:
     * `aws.call(region, command, (c, o) => aws.cloudwatch(region).send(c, o))`.
     */
    async call<C extends object, T>(
        region: string,
        command: C,
        send: (command: C, options: { abortSignal: AbortSignal }) => Promise<T>,
        signal?: AbortSignal,
    ): Promise<T> {
        const action = actionOf(command);
        const abort = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        let onAbort: (() => void) | undefined;
        const deadline = new Promise<never>((_, reject) => {
            // The caller gave up (Ctrl-C): stop waiting at once.
            onAbort = () => {
                abort.abort();
                reject(
                    new AwsCallError(
                        "interrupted",
                        action,
                        region,
                        `${action} in ${region}: interrupted`,
                    ),
                );
            };
            signal?.addEventListener("abort", onAbort, { once: true });
            if (signal?.aborted) {
                onAbort();
            }
            timer = setTimeout(() => {
                abort.abort();
                reject(
                    new AwsCallError(
                        "unreachable",
                        action,
                        region,
                        `${region} unreachable: ${action} had no answer within ${this.limits.deadlineMs / 1000} s`,
                    ),
                );
            }, this.limits.deadlineMs);
        });
        try {
            return await Promise.race([send(command, { abortSignal: abort.signal }), deadline]);
        } catch (e) {
            throw e instanceof AwsCallError ? e : describeAwsError(e, action, region);
        } finally {
            clearTimeout(timer);
            if (onAbort) {
                signal?.removeEventListener("abort", onAbort);
            }
        }
    }

    private client<C>(
        service: string,
        region: string,
        Client: new (config: { region: string; maxAttempts: number; requestHandler: object }) => C,
    ): C {
        const key = `${service}:${region}`;
        let client = this.cache.get(key) as C | undefined;
        if (client === undefined) {
            client = new Client({
                region,
                maxAttempts: this.limits.attempts,
                requestHandler: {
                    connectionTimeout: this.limits.connectMs,
                    requestTimeout: this.limits.requestMs,
                    throwOnRequestTimeout: true,
                },
            });
            this.cache.set(key, client);
        }
        return client;
    }
}

/** The IAM action a command needs: `cloudwatch:PutMetricData` for a `PutMetricDataCommand`. */
export function actionOf(command: object): string {
    const name = command.constructor.name.replace(/Command$/, "");
    return IAM_ACTIONS[name] ?? name;
}

/**
 * The IAM action of each AWS call the operator commands make (the README's operator policy lists
 * them; a spec checks it does). API Gateway authorizes reads as `apigateway:GET` on a path.
 */
export const IAM_ACTIONS: Record<string, string> = {
    PutMetricData: "cloudwatch:PutMetricData",
    DescribeAlarms: "cloudwatch:DescribeAlarms",
    GetMetricData: "cloudwatch:GetMetricData",
    GetHealthCheckStatus: "route53:GetHealthCheckStatus",
    GetFunctionConfiguration: "lambda:GetFunctionConfiguration",
    GetFunctionConcurrency: "lambda:GetFunctionConcurrency",
    DescribeCertificate: "acm:DescribeCertificate",
    GetResources: "apigateway:GET /restapis/{id}/resources",
    GetDomainName: "apigateway:GET /domainnames/{name}",
    GetBasePathMappings: "apigateway:GET /domainnames/{name}/basepathmappings",
    DescribeTable: "dynamodb:DescribeTable",
    StartExperiment: "fis:StartExperiment",
    GetExperiment: "fis:GetExperiment",
    StopExperiment: "fis:StopExperiment",
    ListExperiments: "fis:ListExperiments",
};

/**
 * Actions a call needs besides its own: StartExperiment with `tags` is also authorized as
 * `fis:TagResource` on the new experiment (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsfaultinjectionservice.html).
 */
export const IMPLIED_IAM_ACTIONS: Record<string, string[]> = {
    StartExperiment: ["fis:TagResource"],
};

/** Why an AWS call failed, in the operator's terms. */
export type AwsFailure =
    "credentials" | "denied" | "unreachable" | "not-found" | "interrupted" | "other";

export class AwsCallError extends Error {
    constructor(
        readonly kind: AwsFailure,
        readonly action: string,
        readonly region: string,
        message: string,
        /** The SDK's name of the error (`ConflictException`), when AWS answered with one. */
        readonly errorName?: string,
    ) {
        super(message);
        this.name = "AwsCallError";
    }
}

const UNREACHABLE = new Set([
    "TimeoutError",
    "RequestTimeout",
    "RequestTimeoutException",
    "AbortError",
    "NetworkingError",
    "ECONNREFUSED",
    "ECONNRESET",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETUNREACH",
]);

const DENIED = new Set([
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnrecognizedClientException",
]);

/** Credentials that exist but no longer (or never did) sign in. */
const STALE_CREDENTIALS = new Set([
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "TokenRefreshRequired",
]);

const NOT_FOUND = new Set([
    "ResourceNotFoundException",
    "ResourceNotFound",
    "NotFoundException",
    "NoSuchHealthCheck",
]);

/** Turns an SDK error into an {@link AwsCallError} that says what failed and what to do. */
export function describeAwsError(error: unknown, action: string, region: string): AwsCallError {
    const e = (error ?? {}) as { name?: string; code?: string; message?: string };
    const name = e.name ?? "Error";
    const message = (e.message ?? String(error)).split("\n")[0];
    const failure = (kind: AwsFailure, text: string) =>
        new AwsCallError(kind, action, region, text, name);
    if (name === "CredentialsProviderError" || /could not load credentials/i.test(message)) {
        return failure(
            "credentials",
            `no AWS credentials for ${action} in ${region}: sign in (aws sso login, or set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and run the command again`,
        );
    }
    if (STALE_CREDENTIALS.has(name)) {
        return failure(
            "credentials",
            `the AWS credentials for ${action} in ${region} are expired or invalid (${name}): sign in again (aws sso login, or refresh AWS_SESSION_TOKEN) and run the command again`,
        );
    }
    if (DENIED.has(name)) {
        const call = Object.keys(IAM_ACTIONS).find((c) => IAM_ACTIONS[c] === action);
        const implied = call ? (IMPLIED_IAM_ACTIONS[call] ?? []) : [];
        return failure(
            "denied",
            `access denied: ${action} in ${region} (${name}); the operator role needs it${implied.length ? ` and ${implied.join(", ")}` : ""} (README, "Operator permissions")`,
        );
    }
    if (UNREACHABLE.has(name) || (e.code !== undefined && UNREACHABLE.has(e.code))) {
        return failure(
            "unreachable",
            `${region} unreachable: ${action} failed (${e.code ?? name}: ${message})`,
        );
    }
    if (NOT_FOUND.has(name)) {
        return failure(
            "not-found",
            `${action} in ${region}: not found (${message}); is the stack deployed with this version?`,
        );
    }
    return failure("other", `${action} in ${region} failed: ${name}: ${message}`);
}
