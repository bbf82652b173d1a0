// Shared pieces of the handler specs: API Gateway events, tokens, log capture, the leak check,
// and DynamoDB on loopback (dynalite, in memory) or a store that accepts and never answers.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import * as net from "node:net";
import {
    CreateTableCommand,
    DynamoDBClient,
    type DynamoDBClientConfig,
} from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import dynalite from "dynalite";
import type { AccessConfig } from "../../functions/api/auth";

export const REGION = "eu-west-1";
export const TABLE = "products-table";
export const API_REQUEST_ID = "c0ffee00-api-gw-request";

/** The token clients send in the specs, and a second one for rotation. */
export const TOKEN = "s3cr3t-Token_value.1~+/==";
export const OTHER_TOKEN = "another-token";

export function sha256Hex(text: string): string {
    return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Both tokens accepted, reads public. */
export const ACCESS: AccessConfig = {
    tokenDigests: [sha256Hex(TOKEN), sha256Hex(OTHER_TOKEN)].map((hex) => Buffer.from(hex, "hex")),
    publicReads: true,
};

/** The clock of the specs' handlers. */
export const NOW = new Date("2030-01-02T03:04:05.678Z");

/** Headers every response carries. */
export const BASE_HEADERS = {
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-served-by-region": REGION,
};

/** A REST API (payload 1.0) proxy event for the products resource. */
export function apiEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
    return {
        resource: "/products/{id}",
        path: "/products/p-1",
        httpMethod: "GET",
        headers: {},
        multiValueHeaders: {},
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: { id: "p-1" },
        stageVariables: null,
        requestContext: { requestId: API_REQUEST_ID } as APIGatewayProxyEvent["requestContext"],
        body: null,
        isBase64Encoded: false,
        ...overrides,
    };
}

/** Authorization headers as API Gateway passes one header line. */
export function authHeaders(value: string, name = "Authorization") {
    return { headers: { [name]: value }, multiValueHeaders: { [name]: [value] } };
}

/** A GET of one product, with a bearer token unless `token` is null. */
export function getEvent(id: string, token: string | null = TOKEN): APIGatewayProxyEvent {
    return apiEvent({
        path: `/products/${id}`,
        pathParameters: { id },
        ...(token === null ? {} : authHeaders(`Bearer ${token}`)),
    });
}

export function putEvent(
    id: string,
    body: string | null,
    options: { base64?: boolean; token?: string } = {},
): APIGatewayProxyEvent {
    return apiEvent({
        httpMethod: "PUT",
        path: `/products/${id}`,
        pathParameters: { id },
        body,
        isBase64Encoded: options.base64 ?? false,
        ...authHeaders(`Bearer ${options.token ?? TOKEN}`),
    });
}

export function parsed(result: APIGatewayProxyResult): unknown {
    return JSON.parse(result.body);
}

/** One console call made by a handler. */
export interface LogCall {
    level: "info" | "warn" | "error";
    args: unknown[];
}

/**
 * Replaces console.info/warn/error until the returned `restore` is called, recording every call.
 * Calls whose first argument is a string (Node's own warnings) still reach the real console.
 */
export function captureLogs(): { calls: LogCall[]; restore: () => void } {
    const calls: LogCall[] = [];
    const saved = { info: console.info, warn: console.warn, error: console.error };
    for (const level of ["info", "warn", "error"] as const) {
        console[level] = (...args: unknown[]) => {
            if (typeof args[0] === "string") {
                saved[level](...args);
            } else {
                calls.push({ level, args });
            }
        };
    }
    return { calls, restore: () => Object.assign(console, saved) };
}

/** Names and words that must never reach a client (case-sensitive: "internal error" is fine). */
const INTERNAL = [
    "TABLE_NAME",
    "ACCESS_TOKEN_SHA256",
    "PUBLIC_READS",
    "AWS_",
    TABLE,
    "Exception",
    "Error",
    "ECONN",
    "ETIMEDOUT",
    "@smithy",
    "@aws-sdk",
    "node_modules",
    "DynamoDB",
    "dynamodb",
    "127.0.0.1",
    "localhost",
];

/**
 * Asserts that a response says nothing internal: no variable or table names, SDK or error names,
 * stack traces, addresses, tokens or their digests; and that a non-2xx body is JSON with a
 * non-empty `message` (or the health check's `status`).
 */
export function assertNoLeak(result: APIGatewayProxyResult, secrets: string[] = []): void {
    const text = `${result.body}\n${JSON.stringify(result.headers ?? {})}`;
    for (const word of [...INTERNAL, TOKEN, sha256Hex(TOKEN), ...secrets]) {
        assert.ok(!text.includes(word), `response mentions ${word}: ${text}`);
    }
    assert.doesNotMatch(text, /\bat \S+ \(|\.[jt]s:\d+|\n\s+at /, "stack trace in response");
    const body = parsed(result) as Record<string, unknown>;
    assert.equal(typeof body, "object");
    if (result.statusCode >= 300) {
        const said = body.message ?? body.status;
        assert.ok(typeof said === "string" && said.length > 0, `no message in ${result.body}`);
    }
}

/** DynamoDB on loopback: dynalite with its in-memory store, and a client pointed at it. */
export interface LocalStore {
    port: number;
    endpoint: string;
    /** A client for the spec's own reads and writes (dummy credentials). */
    client: DynamoDBClient;
    /** Stops the server; its data is gone. */
    stop(): Promise<void>;
    /** Starts it again on the same port, empty, with the table created. */
    restart(): Promise<void>;
    /** Stops the server and destroys the client. */
    close(): Promise<void>;
}

export function localClient(endpoint: string, config: DynamoDBClientConfig = {}) {
    return new DynamoDBClient({
        region: REGION,
        endpoint,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        ...config,
    });
}

export async function createTable(client: DynamoDBClient, tableName = TABLE): Promise<void> {
    await client.send(
        new CreateTableCommand({
            TableName: tableName,
            KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
            AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
            BillingMode: "PAY_PER_REQUEST",
        }),
    );
}

export async function startLocalStore(): Promise<LocalStore> {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    // Retries off: the spec's own calls should fail loudly, not slowly.
    const client = localClient(endpoint, { maxAttempts: 1 });
    await createTable(client);
    let running = true;
    const stop = async () => {
        if (running) {
            running = false;
            await new Promise<void>((resolve, reject) =>
                server.close((error) => (error ? reject(error) : resolve())),
            );
        }
    };
    return {
        port,
        endpoint,
        client,
        stop,
        restart: async () => {
            await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
            running = true;
            await createTable(client);
        },
        close: async () => {
            client.destroy();
            await stop();
        },
    };
}

/** A TCP server on loopback that accepts connections and never answers. */
export async function startSilentStore(): Promise<{
    endpoint: string;
    connections: () => number;
    close: () => Promise<void>;
}> {
    const sockets = new Set<net.Socket>();
    let accepted = 0;
    const server = net.createServer((socket) => {
        accepted++;
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        connections: () => accepted,
        close: () =>
            new Promise<void>((resolve) => {
                for (const socket of sockets) {
                    socket.destroy();
                }
                server.close(() => resolve());
            }),
    };
}

/** Every answer's message, written out here rather than imported, so a changed text fails. */
export const MESSAGES = {
    authRequired: "authentication required: send Authorization: Bearer <token>",
    invalidToken: "invalid token",
    oneHeader: "more than one Authorization header: send exactly one",
    writesDisabled: "writes are disabled: no access token is configured",
    readsDisabled: "reads are disabled: no access token is configured",
    routeNotFound: "route not found",
    methodNotAllowed: "method not allowed",
    missingId: "missing product id in path",
    invalidId: 'invalid product id: use 1-64 characters from A-Z, a-z, 0-9, "_" and "-"',
    reservedId: 'invalid product id: ids starting with "__" are reserved',
    notFound: "product not found",
    bodyRequired: "request body is required",
    notBase64: "request body is not valid base64",
    notUtf8: "request body must be UTF-8 encoded JSON",
    tooLarge: "request body exceeds 16384 bytes",
    notJson: "request body is not valid JSON",
    notObject: "request body must be a JSON object",
    number: (at: string) =>
        `invalid number at ${at}: numbers may have at most 38 significant digits and, unless 0, a magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125`,
    proto: (at: string) => `invalid key at ${at}: "__proto__" is not allowed as a key`,
    emptyKey: (at: string) => `invalid key at ${at}: keys must not be empty`,
    surrogateKey: (at: string) =>
        `invalid key at ${at}: text must be valid Unicode (no unpaired surrogate escapes such as \\ud800)`,
    surrogateString: (at: string) =>
        `invalid string at ${at}: text must be valid Unicode (no unpaired surrogate escapes such as \\ud800)`,
    duplicate: (at: string) => `duplicate key at ${at}: each key may appear only once in an object`,
    tooDeep: (at: string) =>
        `value nested too deeply at ${at}: values may be nested at most 32 levels deep`,
    tag: (at: string) =>
        `reserved object form at ${at}: an object whose only key is "$binary", "$stringSet", "$numberSet" or "$binarySet" is how reads show other attribute types; add another key or rename this one`,
    serverField: (field: string) =>
        `server-set field at /${field}: "updatedAt" and "updatedInRegion" are set by the server; leave them out`,
    idMismatch: 'id mismatch at /id: leave "id" out or send the id from the path as a string',
    storeRefused: "the item was refused by the store: check it against the documented limits",
    storeUnavailable: "store unavailable, retry",
    storeBusy: "store busy, retry",
    internal: "internal error",
};
