// Deep health check for Route 53: proves this region can read its data store, within a hard
// timeout well below Route 53's 2-second response budget.
import { performance } from "node:perf_hooks";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyResult } from "aws-lambda";
import { jsonResponse, logError, regionFromEnv, type ProxyHandler } from "../shared/http";
import { HEALTH_TOKEN } from "./token";

/** Hard timeout of the canary read, in milliseconds: half of Route 53's 2 s response budget. */
export const HEALTH_TIMEOUT_MS = 1000;

/** Key of the canary item read by the check; ids starting with "__" are reserved by the API. */
export const CANARY_ID = "__health__";

/** Why a region reports itself unhealthy. */
export type HealthFailureReason = "timeout" | "store-error" | "misconfigured";

/** Dependencies of {@link createHealthHandler}. */
export interface HealthDeps {
    /** Document client for the table (one per container in production). */
    client: DynamoDBDocumentClient;
    /** Table holding the canary item; partition key `id` (string). */
    tableName: string;
    /** Region reported in every response. */
    region: string;
    /** Hard timeout of the canary read, in milliseconds. */
    timeoutMs: number;
    /** Monotonic clock in milliseconds for `latencyMs`; defaults to `performance.now`. */
    clock?: () => number;
}

type ProbeOutcome =
    { kind: "ok"; found: boolean } | { kind: "timeout" } | { kind: "error"; error: unknown };

/**
 * Creates the health handler: GET reads the canary item and answers 200 with {@link HEALTH_TOKEN}
 * when the read completes (found or not), 503 without it on timeout or store error. Never throws.
 */
export function createHealthHandler(deps: HealthDeps): ProxyHandler {
    const { client, tableName, region, timeoutMs } = deps;
    const clock = deps.clock ?? (() => performance.now());

    // Races the read against a timer. The abort signal cancels the SDK request; the timer still
    // answers if a request ignores the signal, so a hanging store cannot hold the check past budget.
    const probe = async (): Promise<ProbeOutcome> => {
        const controller = new AbortController();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timedOut = new Promise<ProbeOutcome>((resolve) => {
            timer = setTimeout(() => {
                controller.abort();
                resolve({ kind: "timeout" });
            }, timeoutMs);
        });
        // Started inside `then` so a synchronous throw from send() is an error outcome too; a
        // rejection that arrives after the timeout is absorbed here rather than left unhandled.
        const read = Promise.resolve()
            .then(() =>
                client.send(new GetCommand({ TableName: tableName, Key: { id: CANARY_ID } }), {
                    abortSignal: controller.signal,
                }),
            )
            .then(
                (output): ProbeOutcome => ({ kind: "ok", found: output.Item !== undefined }),
                (error: unknown): ProbeOutcome => ({ kind: "error", error }),
            );
        try {
            return await Promise.race([read, timedOut]);
        } finally {
            clearTimeout(timer);
        }
    };

    return async (event) => {
        try {
            if (event.httpMethod !== "GET") {
                return methodNotAllowed(region);
            }
            const started = clock();
            const outcome = await probe();
            const latencyMs = Math.max(0, Math.round(clock() - started));
            switch (outcome.kind) {
                case "ok":
                    return jsonResponse(region, 200, {
                        status: HEALTH_TOKEN,
                        canaryFound: outcome.found,
                        latencyMs,
                    });
                case "timeout":
                    console.error(
                        JSON.stringify({
                            level: "error",
                            message: "health read timed out",
                            tableName,
                            region,
                            timeoutMs,
                        }),
                    );
                    return unhealthy(region, "timeout", latencyMs);
                case "error":
                    logError("health read failed", outcome.error, { tableName, region });
                    return unhealthy(region, "store-error", latencyMs);
            }
        } catch (error) {
            // Only a bug lands here; report unhealthy rather than let Lambda return a 502.
            logError("unexpected error", error, { region }, { stack: true });
            return unhealthy(region, "store-error", 0);
        }
    };
}

// The failure body carries no error text and no HEALTH_TOKEN: Route 53 matches by substring.
function unhealthy(
    region: string,
    reason: HealthFailureReason,
    latencyMs: number,
): APIGatewayProxyResult {
    return jsonResponse(region, 503, { status: "unavailable", reason, latencyMs });
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
            console.error(
                JSON.stringify({ level: "error", message: "TABLE_NAME is not set", region }),
            );
            return event.httpMethod === "GET"
                ? unhealthy(region, "misconfigured", 0)
                : methodNotAllowed(region);
        }
        // One client per container: its connections are reused across checks.
        const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
        envHandler = createHealthHandler({
            client,
            tableName,
            region,
            timeoutMs: HEALTH_TIMEOUT_MS,
        });
    }
    return envHandler(event);
};
