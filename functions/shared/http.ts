// Response and logging helpers shared by the api and health handlers (no Pulumi, no SDK imports).
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";

/** A REST API (payload 1.0) proxy-integration handler as the handlers here export it. */
export type ProxyHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** Fields of a JSON response body; `region` is always added by {@link jsonResponse}. */
export type JsonBody = { [field: string]: unknown; region?: never };

/** Region this function runs in: Lambda always sets AWS_REGION, "unknown" only outside Lambda. */
export function regionFromEnv(env: NodeJS.ProcessEnv = process.env): string {
    return env.AWS_REGION || "unknown";
}

/**
 * Builds a JSON proxy response. Every response names the region that served it, in a header and
 * in the body, so clients and operators can see where failover routing sent them; `no-store`
 * keeps caches from serving one region's answer after traffic moved.
 */
export function jsonResponse(
    region: string,
    statusCode: number,
    body: JsonBody,
    headers: Record<string, string> = {},
): APIGatewayProxyResult {
    return {
        statusCode,
        headers: {
            ...headers,
            "content-type": "application/json",
            "cache-control": "no-store",
            "x-served-by-region": region,
        },
        body: JSON.stringify({ region, ...body }, jsonReplacer),
    };
}

// The document client returns DynamoDB sets as `Set`, which JSON.stringify would turn into `{}`.
function jsonReplacer(_key: string, value: unknown): unknown {
    return value instanceof Set ? [...value] : value;
}

/**
 * Logs one line of JSON to stderr (CloudWatch keeps it as one searchable event). The error's name,
 * message and SDK metadata go to the log only, never into a response.
 */
export function logError(
    message: string,
    error: unknown,
    fields: Record<string, unknown> = {},
    options: { stack?: boolean } = {},
): void {
    console.error(
        JSON.stringify({
            level: "error",
            message,
            ...fields,
            error: describeError(error, options),
        }),
    );
}

function describeError(error: unknown, options: { stack?: boolean }): Record<string, unknown> {
    if (!(error instanceof Error)) {
        return { value: String(error) };
    }
    const metadata = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } })
        .$metadata;
    return {
        name: error.name,
        message: error.message,
        ...(metadata?.httpStatusCode !== undefined && { httpStatusCode: metadata.httpStatusCode }),
        ...(metadata?.requestId !== undefined && { awsRequestId: metadata.requestId }),
        ...(options.stack && error.stack !== undefined && { stack: error.stack }),
    };
}
