// Product API: GET and PUT /products/{id} against the region's replica of the DynamoDB table.
import { TextDecoder } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import {
    jsonResponse,
    logError,
    regionFromEnv,
    type JsonBody,
    type ProxyHandler,
} from "../shared/http";

/** Largest accepted PUT body, in bytes after base64 decoding. */
export const MAX_BODY_BYTES = 16384;

/** The API Gateway resource this handler serves. */
export const PRODUCT_RESOURCE = "/products/{id}";

/** Value of the `allow` header on 405 answers. */
export const ALLOWED_METHODS = "GET, PUT";

/** Dependencies of {@link createApiHandler}. */
export interface ApiDeps {
    /** Document client for the table (one per container in production). */
    client: DynamoDBDocumentClient;
    /** Products table; partition key `id` (string). */
    tableName: string;
    /** Region reported in every response and stored as `updatedInRegion`. */
    region: string;
    /** Clock for `updatedAt`; defaults to the system clock. */
    now?: () => Date;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
// Ids starting with "__" belong to the platform (the health canary is "__health__").
const RESERVED_ID_PREFIX = "__";
const INVALID_ID_MESSAGE =
    'invalid product id: use 1-64 characters from A-Z, a-z, 0-9, "_" and "-"';
const RESERVED_ID_MESSAGE = 'invalid product id: ids starting with "__" are reserved';

// DynamoDB limits that would otherwise surface as a store error (and a misleading 503 "retry"):
// nesting counts the top-level attribute as level 1; numbers go through the document client's
// marshaller, which refuses unsafe integers, and DynamoDB refuses magnitudes below 1e-130.
const MAX_NESTING_LEVELS = 32;
const MIN_NUMBER_MAGNITUDE = 1e-130;
const UNSTORABLE_NUMBER_MESSAGE =
    "request body has a number that cannot be stored: magnitude must be at most 9007199254740991 and, unless 0, at least 1e-130";

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

type BodyResult =
    | { ok: true; value: Record<string, unknown> }
    | { ok: false; statusCode: 400 | 413; message: string };

/**
 * Creates the product API handler. It never throws: bad input is a 4xx, a failed store call is a
 * 503 with `retry-after`, anything else a 500 without details; errors are logged, not returned.
 */
export function createApiHandler(deps: ApiDeps): ProxyHandler {
    const { client, tableName, region } = deps;
    const now = deps.now ?? (() => new Date());
    const respond = (statusCode: number, body: JsonBody, headers: Record<string, string> = {}) =>
        jsonResponse(region, statusCode, body, headers);

    // Maps a failed SDK call to a retryable 503; the details stay in the log.
    const storeUnavailable = (operation: string, id: string, error: unknown) => {
        logError("store request failed", error, { operation, tableName, region, id });
        return respond(
            503,
            { message: "store unavailable, retry", retryAfterSeconds: 1 },
            { "retry-after": "1" },
        );
    };

    const getProduct = async (id: string): Promise<APIGatewayProxyResult> => {
        let item: Record<string, unknown> | undefined;
        try {
            const output = await client.send(new GetCommand({ TableName: tableName, Key: { id } }));
            item = output.Item;
        } catch (error) {
            return storeUnavailable("GetItem", id, error);
        }
        return item === undefined
            ? respond(404, { message: "product not found" })
            : respond(200, { item });
    };

    const putProduct = async (id: string, event: APIGatewayProxyEvent) => {
        const body = parseBody(event);
        if (!body.ok) {
            return respond(body.statusCode, { message: body.message });
        }
        if ("id" in body.value && body.value.id !== id) {
            return respond(400, { message: "body id does not match the id in the path" });
        }
        const unstorable = findUnstorable(body.value, 0);
        if (unstorable !== undefined) {
            return respond(400, { message: unstorable });
        }
        const item = {
            ...body.value,
            id,
            updatedAt: now().toISOString(),
            updatedInRegion: region,
        };
        try {
            await client.send(new PutCommand({ TableName: tableName, Item: item }));
        } catch (error) {
            return storeUnavailable("PutItem", id, error);
        }
        return respond(200, { item });
    };

    return async (event) => {
        try {
            if (event.resource !== PRODUCT_RESOURCE) {
                return respond(404, { message: "route not found" });
            }
            if (event.httpMethod !== "GET" && event.httpMethod !== "PUT") {
                return respond(405, { message: "method not allowed" }, { allow: ALLOWED_METHODS });
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
            return event.httpMethod === "GET" ? await getProduct(id) : await putProduct(id, event);
        } catch (error) {
            logError("unexpected error", error, { region }, { stack: true });
            return respond(500, { message: "internal error" });
        }
    };
}

function parseBody(event: APIGatewayProxyEvent): BodyResult {
    if (event.body === null || event.body === undefined) {
        return { ok: false, statusCode: 400, message: "request body is required" };
    }
    const bytes = event.isBase64Encoded
        ? Buffer.from(event.body, "base64")
        : Buffer.from(event.body, "utf8");
    if (bytes.length === 0) {
        return { ok: false, statusCode: 400, message: "request body is required" };
    }
    if (bytes.length > MAX_BODY_BYTES) {
        return {
            ok: false,
            statusCode: 413,
            message: `request body exceeds ${MAX_BODY_BYTES} bytes`,
        };
    }
    let text: string;
    try {
        text = event.isBase64Encoded ? STRICT_UTF8.decode(bytes) : event.body;
    } catch {
        return { ok: false, statusCode: 400, message: "request body must be UTF-8 encoded JSON" };
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return { ok: false, statusCode: 400, message: "request body is not valid JSON" };
    }
    if (!isJsonObject(value)) {
        return { ok: false, statusCode: 400, message: "request body must be a JSON object" };
    }
    return { ok: true, value };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Returns why DynamoDB would refuse this JSON value, or undefined; `level` 0 is the item itself.
// Stops descending past the nesting limit, so a deeply nested body cannot exhaust the stack.
function findUnstorable(value: unknown, level: number): string | undefined {
    if (level > MAX_NESTING_LEVELS) {
        return `request body nests deeper than ${MAX_NESTING_LEVELS} levels`;
    }
    if (typeof value === "number") {
        const magnitude = Math.abs(value);
        const storable =
            Number.isFinite(value) &&
            magnitude <= Number.MAX_SAFE_INTEGER &&
            (magnitude === 0 || magnitude >= MIN_NUMBER_MAGNITUDE);
        return storable ? undefined : UNSTORABLE_NUMBER_MESSAGE;
    }
    let children: unknown[];
    if (Array.isArray(value)) {
        children = value;
    } else if (isJsonObject(value)) {
        if (Object.hasOwn(value, "")) {
            return "request body has an empty attribute name";
        }
        children = Object.values(value);
    } else {
        return undefined;
    }
    for (const child of children) {
        const reason = findUnstorable(child, level + 1);
        if (reason !== undefined) {
            return reason;
        }
    }
    return undefined;
}

let envHandler: ProxyHandler | undefined;

/** Lambda entry point: configured from TABLE_NAME and AWS_REGION on first use. */
export const handler: ProxyHandler = async (event) => {
    if (envHandler === undefined) {
        const region = regionFromEnv();
        const tableName = process.env.TABLE_NAME;
        if (!tableName) {
            // Not cached: a misconfigured function keeps answering (and logging) the same way.
            console.error(
                JSON.stringify({ level: "error", message: "TABLE_NAME is not set", region }),
            );
            return jsonResponse(region, 500, {
                message: "server misconfigured: TABLE_NAME environment variable is not set",
            });
        }
        // One client per container: its connections are reused across invocations.
        const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
        envHandler = createApiHandler({ client, tableName, region });
    }
    return envHandler(event);
};
