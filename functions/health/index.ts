// Deep health check for Route 53: proves this region can read its data store, within a hard
// timeout well below Route 53's 2-second response budget.
import { performance } from "node:perf_hooks";
import {
    DynamoDBClient,
    GetItemCommand,
    type DynamoDBClientConfig,
} from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyResult } from "aws-lambda";
import { withDeadline } from "../shared/deadline";
import { apiRequestIdOf, jsonResponse, regionFromEnv, type ProxyHandler } from "../shared/http";
import { errorFields, log as consoleLog, type Logger } from "../shared/log";
import { HEALTH_TOKEN } from "./token";

/** Hard timeout of the canary read, in milliseconds: half of Route 53's 2 s response budget. */
export const HEALTH_TIMEOUT_MS = 1000;

/** A connection to the store that takes longer than this fails the check early. */
export const HEALTH_CONNECT_TIMEOUT_MS = 500;

/** Key of the canary item read by the check; ids starting with "__" are reserved by the API. */
export const CANARY_ID = "__health__";

/** Why a region reports itself unhealthy (in the log only). */
export type HealthFailureReason = "timeout" | "store-error" | "misconfigured";

/** Dependencies of {@link createHealthHandler}. */
export interface HealthDeps {
    /** DynamoDB client (one per container in production, see {@link healthClientConfig}). */
    client: DynamoDBClient;
    /** Table holding the canary item; partition key `id` (string). */
    tableName: string;
    /** Region reported in every response. */
    region: string;
    /** Hard timeout of the canary read, in milliseconds. */
    timeoutMs: number;
    /** Monotonic clock in milliseconds for the logged latency; defaults to `performance.now`. */
    clock?: () => number;
    /** Where log entries go; defaults to the console (Lambda's JSON log format). */
    log?: Logger;
}

/**
 * The health function's DynamoDB client settings: one attempt (a retry cannot fit in the
 * budget), each phase bounded by the SDK as well as by the race in the handler.
 * `throwOnRequestTimeout` as in the api function's client.
 */
export function healthClientConfig(): DynamoDBClientConfig {
    return {
        maxAttempts: 1,
        requestHandler: {
            connectionTimeout: HEALTH_CONNECT_TIMEOUT_MS,
            requestTimeout: HEALTH_TIMEOUT_MS,
            throwOnRequestTimeout: true,
        },
    };
}

/**
 * Creates the health handler: GET reads the canary item and answers 200 with {@link HEALTH_TOKEN}
 * when the read completes (found or not), 503 without it on timeout or store error. The bodies
 * say healthy or not and nothing else; the reason and the latency go to the log. Never throws.
 */
export function createHealthHandler(deps: HealthDeps): ProxyHandler {
    const { client, tableName, region, timeoutMs } = deps;
    const clock = deps.clock ?? (() => performance.now());
    const log = deps.log ?? consoleLog;

    return async (event) => {
        const context = apiRequestIdOf(event);
        try {
            if (event.httpMethod !== "GET") {
                return methodNotAllowed(region);
            }
            const started = clock();
            const outcome = await withDeadline(
                (abortSignal) =>
                    client.send(
                        new GetItemCommand({ TableName: tableName, Key: { id: { S: CANARY_ID } } }),
                        { abortSignal },
                    ),
                timeoutMs,
            );
            const latencyMs = Math.max(0, Math.round(clock() - started));
            switch (outcome.kind) {
                case "ok":
                    // Not logged: Route 53's checkers call every few seconds from several regions.
                    return jsonResponse(region, 200, { status: HEALTH_TOKEN });
                case "timeout":
                    log("warn", {
                        msg: "health check failed",
                        reason: "timeout",
                        latencyMs,
                        timeoutMs,
                        ...context,
                    });
                    return unhealthy(region);
                case "error":
                    log("warn", {
                        msg: "health check failed",
                        reason: "store-error",
                        latencyMs,
                        ...context,
                        error: errorFields(outcome.error),
                    });
                    return unhealthy(region);
            }
        } catch (error) {
            // Only a bug lands here; report unhealthy rather than let Lambda return a 502.
            log("error", {
                msg: "unexpected error",
                ...context,
                error: errorFields(error, { stack: true }),
            });
            return unhealthy(region);
        }
    };
}

// The failure body carries no reason and no HEALTH_TOKEN: Route 53 matches by substring.
function unhealthy(region: string): APIGatewayProxyResult {
    return jsonResponse(region, 503, { status: "unavailable" });
}

function methodNotAllowed(region: string): APIGatewayProxyResult {
    return jsonResponse(region, 405, { message: "method not allowed" }, { allow: "GET" });
}

let envHandler: ProxyHandler | undefined;

/** Lambda entry point: configured from TABLE_NAME and AWS_REGION on first use. */
export const handler: ProxyHandler = async (event) => {
    if (envHandler === undefined) {
        const region = regionFromEnv();
        const tableName = process.env.TABLE_NAME;
        if (!tableName) {
            // Not cached: a misconfigured function keeps reporting (and logging) itself unhealthy.
            consoleLog("error", {
                msg: "function misconfigured",
                variable: "TABLE_NAME",
                problem: "must name the products table",
                reason: "misconfigured" satisfies HealthFailureReason,
                ...apiRequestIdOf(event),
            });
            return event.httpMethod === "GET" ? unhealthy(region) : methodNotAllowed(region);
        }
        // One client per container: its connections are reused across checks.
        const client = new DynamoDBClient(healthClientConfig());
        envHandler = createHealthHandler({
            client,
            tableName,
            region,
            timeoutMs: HEALTH_TIMEOUT_MS,
        });
    }
    return envHandler(event);
};
