// Response helpers shared by the api and health handlers (no Pulumi, no SDK imports).
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { stringify } from "lossless-json";

/** A REST API (payload 1.0) proxy-integration handler as the handlers here export it. */
export type ProxyHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** Fields of a JSON response body; `region` is always added by {@link jsonResponse}. */
export type JsonBody = { [field: string]: unknown; region?: never };

/** Region this function runs in: Lambda always sets AWS_REGION, "unknown" only outside Lambda. */
export function regionFromEnv(env: NodeJS.ProcessEnv = process.env): string {
    return env.AWS_REGION || "unknown";
}

/** API Gateway's id of the request (also in its access log), for log entries; absent in tests. */
export function apiRequestIdOf(event: APIGatewayProxyEvent): { apiRequestId?: string } {
    const id = (event.requestContext as { requestId?: unknown } | null | undefined)?.requestId;
    return typeof id === "string" ? { apiRequestId: id } : {};
}

/**
 * Builds a JSON proxy response. Every response names the region that served it, in a header and
 * in the body, so clients and operators can see where failover routing sent them; `no-store`
 * keeps caches from serving one region's answer after traffic moved. Numbers parsed or read
 * losslessly are written with their exact digits.
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
        body: stringify({ region, ...body }) ?? "{}",
    };
}
