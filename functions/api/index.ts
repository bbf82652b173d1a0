// Product API: GET and PUT /products/{id} against the region's replica of the DynamoDB table.
import {
    DynamoDBClient,
    GetItemCommand,
    PutItemCommand,
    type AttributeValue,
    type DynamoDBClientConfig,
} from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { fromAttributeMap, Refusal, toAttributeMap } from "../shared/attributes";
import { withDeadline, type DeadlineOutcome } from "../shared/deadline";
import {
    apiRequestIdOf,
    jsonResponse,
    regionFromEnv,
    type JsonBody,
    type ProxyHandler,
} from "../shared/http";
import { errorFields, log as consoleLog, type Logger } from "../shared/log";
import { authorize, readAccessConfig, type AccessConfig, type ConfigProblem } from "./auth";
import { parseBody } from "./body";
import {
    STORE_CONNECT_TIMEOUT_MS,
    STORE_DEADLINE_MS,
    STORE_MAX_ATTEMPTS,
    STORE_REQUEST_TIMEOUT_MS,
} from "./budget";

export { MAX_BODY_BYTES } from "./body";

/** The API Gateway resource this handler serves. */
export const PRODUCT_RESOURCE = "/products/{id}";

/** Value of the `allow` header on 405 answers. */
export const ALLOWED_METHODS = "GET, PUT";

/** Dependencies of {@link createApiHandler}. */
export interface ApiDeps {
    /** DynamoDB client (one per container in production, see {@link storeClientConfig}). */
    client: DynamoDBClient;
    /** Products table; partition key `id` (string). */
    tableName: string;
    /** Region reported in every response and stored as `updatedInRegion`. */
    region: string;
    /** Accepted tokens and whether reads need one. */
    access: AccessConfig;
    /** Hard deadline of one store call in milliseconds; defaults to {@link STORE_DEADLINE_MS}. */
    deadlineMs?: number;
    /** Clock for `updatedAt`; defaults to the system clock. */
    now?: () => Date;
    /** Where log entries go; defaults to the console (Lambda's JSON log format). */
    log?: Logger;
}

/**
 * The DynamoDB client settings of the api function. `throwOnRequestTimeout` makes the request
 * timeout an error in current SDKs (without it the SDK only logs a warning); older SDKs, such as
 * the one a Lambda runtime may bundle, ignore the flag and apply the timeout to an idle socket.
 * The deadline in {@link createApiHandler} bounds the call either way.
 */
export function storeClientConfig(): DynamoDBClientConfig {
    return {
        maxAttempts: STORE_MAX_ATTEMPTS,
        requestHandler: {
            connectionTimeout: STORE_CONNECT_TIMEOUT_MS,
            requestTimeout: STORE_REQUEST_TIMEOUT_MS,
            throwOnRequestTimeout: true,
        },
    };
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
// Ids starting with "__" belong to the platform (the health canary is "__health__").
const RESERVED_ID_PREFIX = "__";
const INVALID_ID_MESSAGE =
    'invalid product id: use 1-64 characters from A-Z, a-z, 0-9, "_" and "-"';
const RESERVED_ID_MESSAGE = 'invalid product id: ids starting with "__" are reserved';
const SERVER_FIELDS = ["updatedAt", "updatedInRegion"];

// DynamoDB's throttling errors: the store is up but busy.
const THROTTLING = new Set([
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
]);

const RETRY_AFTER_SECONDS = 1;

/**
 * Creates the product API handler. It never throws. Order of checks: route (404), method (405),
 * authorization (400/401/403), id (400), body (400/413). Client input is always a 4xx; a store
 * that fails, is throttled or does not answer within the deadline is a 503 with `retry-after`;
 * anything else a 500 without details. Details go to the log, never into a response.
 */
export function createApiHandler(deps: ApiDeps): ProxyHandler {
    const { client, tableName, region, access } = deps;
    const deadlineMs = deps.deadlineMs ?? STORE_DEADLINE_MS;
    const now = deps.now ?? (() => new Date());
    const log = deps.log ?? consoleLog;
    const respond = (statusCode: number, body: JsonBody, headers: Record<string, string> = {}) =>
        jsonResponse(region, statusCode, body, headers);
    const retryLater = (message: string) =>
        respond(
            503,
            { message, retryAfterSeconds: RETRY_AFTER_SECONDS },
            { "retry-after": String(RETRY_AFTER_SECONDS) },
        );

    // Maps a store call that did not succeed to an answer, and logs why.
    const storeFailed = (
        operation: "GetItem" | "PutItem",
        outcome: Exclude<DeadlineOutcome<unknown>, { kind: "ok" }>,
        context: Record<string, unknown>,
    ): APIGatewayProxyResult => {
        if (outcome.kind === "timeout") {
            log("warn", { msg: "store call timed out", operation, deadlineMs, ...context });
            return retryLater("store unavailable, retry");
        }
        const { error } = outcome;
        const name = error instanceof Error ? error.name : "";
        if (name === "ValidationException") {
            // The message can quote the item's values: name and metadata only.
            const fields = { operation, ...context, error: errorFields(error, { message: false }) };
            if (operation === "PutItem") {
                log("warn", { msg: "store refused the item", ...fields });
                return respond(400, {
                    message:
                        "the item was refused by the store: check it against the documented limits",
                });
            }
            // A read by a valid id is refused only if the table does not match this function
            // (its key schema): a fault of this region, not of the client.
            log("error", { msg: "store refused a read by key", ...fields });
            return respond(500, { message: "internal error" });
        }
        log("warn", { msg: "store call failed", operation, ...context, error: errorFields(error) });
        return retryLater(THROTTLING.has(name) ? "store busy, retry" : "store unavailable, retry");
    };

    const getProduct = async (id: string, context: Record<string, unknown>) => {
        const outcome = await withDeadline(
            (abortSignal) =>
                client.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: id } } }), {
                    abortSignal,
                }),
            deadlineMs,
        );
        if (outcome.kind !== "ok") {
            return storeFailed("GetItem", outcome, context);
        }
        const item = outcome.value.Item;
        return item === undefined
            ? respond(404, { message: "product not found" })
            : respond(200, { item: fromAttributeMap(item) });
    };

    const putProduct = async (
        id: string,
        event: APIGatewayProxyEvent,
        context: Record<string, unknown>,
    ) => {
        const body = parseBody(event);
        if (!body.ok) {
            return respond(body.statusCode, { message: body.message });
        }
        const fields = body.value;
        const serverField = SERVER_FIELDS.find((field) => Object.hasOwn(fields, field));
        if (serverField !== undefined) {
            return respond(400, {
                message: `server-set field at /${serverField}: "updatedAt" and "updatedInRegion" are set by the server; leave them out`,
            });
        }
        if (Object.hasOwn(fields, "id") && fields.id !== id) {
            return respond(400, {
                message:
                    'id mismatch at /id: leave "id" out or send the id from the path as a string',
            });
        }
        const converted = toAttributeMap(fields);
        if (converted instanceof Refusal) {
            return respond(400, { message: converted.message });
        }
        const item: Record<string, AttributeValue> = {
            ...converted,
            id: { S: id },
            updatedAt: { S: now().toISOString() },
            updatedInRegion: { S: region },
        };
        const outcome = await withDeadline(
            (abortSignal) =>
                client.send(new PutItemCommand({ TableName: tableName, Item: item }), {
                    abortSignal,
                }),
            deadlineMs,
        );
        if (outcome.kind !== "ok") {
            return storeFailed("PutItem", outcome, context);
        }
        return respond(200, { item: fromAttributeMap(item) });
    };

    return async (event) => {
        const context = apiRequestIdOf(event);
        try {
            if (event.resource !== PRODUCT_RESOURCE) {
                return respond(404, { message: "route not found" });
            }
            const method = event.httpMethod;
            if (method !== "GET" && method !== "PUT") {
                return respond(405, { message: "method not allowed" }, { allow: ALLOWED_METHODS });
            }
            const auth = authorize(event, access, method === "GET" ? "read" : "write");
            if (!auth.ok) {
                return respond(auth.statusCode, { message: auth.message }, auth.headers);
            }
            const id = event.pathParameters?.id;
            if (id === undefined || id === "") {
                return respond(400, { message: "missing product id in path" });
            }
            if (!ID_PATTERN.test(id)) {
                return respond(400, { message: INVALID_ID_MESSAGE });
            }
            if (id.startsWith(RESERVED_ID_PREFIX)) {
                return respond(400, { message: RESERVED_ID_MESSAGE });
            }
            const withId = { ...context, id };
            return method === "GET"
                ? await getProduct(id, withId)
                : await putProduct(id, event, withId);
        } catch (error) {
            log("error", {
                msg: "unexpected error",
                ...context,
                error: errorFields(error, { message: true, stack: true }),
            });
            return respond(500, { message: "internal error" });
        }
    };
}

/** The api function's settings from its environment, or every problem with them. */
export function readApiConfig(
    env: NodeJS.ProcessEnv,
): { tableName: string; access: AccessConfig } | ConfigProblem[] {
    const access = readAccessConfig(env);
    const problems = Array.isArray(access) ? [...access] : [];
    const tableName = env.TABLE_NAME ?? "";
    if (tableName === "") {
        problems.push({ variable: "TABLE_NAME", problem: "must name the products table" });
    }
    return problems.length > 0 || Array.isArray(access) ? problems : { tableName, access };
}

let envHandler: ProxyHandler | undefined;

/**
 * Lambda entry point, configured on first use from TABLE_NAME, ACCESS_TOKEN_SHA256, PUBLIC_READS
 * and AWS_REGION. A misconfigured function answers 500 "internal error" (the variable is named in
 * the log only) and is not cached, so it keeps answering and logging the same way.
 */
export const handler: ProxyHandler = async (event) => {
    if (envHandler === undefined) {
        const region = regionFromEnv();
        const config = readApiConfig(process.env);
        if (Array.isArray(config)) {
            for (const problem of config) {
                consoleLog("error", {
                    msg: "function misconfigured",
                    ...problem,
                    ...apiRequestIdOf(event),
                });
            }
            return jsonResponse(region, 500, { message: "internal error" });
        }
        // One client per container: its connections are reused across invocations.
        const client = new DynamoDBClient(storeClientConfig());
        envHandler = createApiHandler({ client, region, ...config });
    }
    return envHandler(event);
};
