// Product API handler: routing, input validation, DynamoDB calls and failure mapping.
import assert from "node:assert/strict";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { createApiHandler, handler, MAX_BODY_BYTES } from "../../functions/api";
import { CANARY_ID } from "../../functions/health";

/** A JSON log line of a failed store call. */
interface LogEntry {
    operation: string;
    error: { name?: string; message: string };
}

const REGION = "eu-west-1";
const TABLE = "products-table";
const NOW = new Date("2030-01-02T03:04:05.678Z");

const BASE_HEADERS = {
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-served-by-region": REGION,
};
const STORE_UNAVAILABLE = {
    region: REGION,
    message: "store unavailable, retry",
    retryAfterSeconds: 1,
};
const INVALID_ID = {
    region: REGION,
    message: 'invalid product id: use 1-64 characters from A-Z, a-z, 0-9, "_" and "-"',
};
const RESERVED_ID = {
    region: REGION,
    message: 'invalid product id: ids starting with "__" are reserved',
};

function testClient(): DynamoDBDocumentClient {
    return DynamoDBDocumentClient.from(
        new DynamoDBClient({
            region: REGION,
            credentials: { accessKeyId: "x", secretAccessKey: "y" },
        }),
    );
}

function apiEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
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
        requestContext: {} as APIGatewayProxyEvent["requestContext"],
        body: null,
        isBase64Encoded: false,
        ...overrides,
    };
}

function putEvent(id: string, body: string | null, isBase64Encoded = false): APIGatewayProxyEvent {
    return apiEvent({
        httpMethod: "PUT",
        path: `/products/${id}`,
        pathParameters: { id },
        body,
        isBase64Encoded,
    });
}

function parsed(result: APIGatewayProxyResult): unknown {
    return JSON.parse(result.body);
}

describe("functions/api", () => {
    let ddb: AwsClientStub<DynamoDBDocumentClient>;
    let logged: string[];
    let originalConsoleError: typeof console.error;
    const api = createApiHandler({
        client: testClient(),
        tableName: TABLE,
        region: REGION,
        now: () => NOW,
    });

    // Asserts an answer that never reached the store.
    async function rejected(
        event: APIGatewayProxyEvent,
        statusCode: number,
        body: unknown,
        headers: Record<string, string> = {},
    ): Promise<void> {
        const result = await api(event);
        assert.equal(result.statusCode, statusCode);
        assert.deepEqual(result.headers, { ...BASE_HEADERS, ...headers });
        assert.deepEqual(parsed(result), body);
        assert.equal(ddb.calls().length, 0);
    }

    before(() => {
        ddb = mockClient(DynamoDBDocumentClient);
    });
    after(() => {
        ddb.restore();
    });
    beforeEach(() => {
        ddb.reset();
        logged = [];
        originalConsoleError = console.error;
        // Keeps the handlers' one-line JSON entries; other output (Node warnings) passes through.
        console.error = (...args: unknown[]) => {
            if (typeof args[0] === "string" && args[0].startsWith("{")) {
                logged.push(args[0]);
            } else {
                originalConsoleError(...args);
            }
        };
    });
    afterEach(() => {
        console.error = originalConsoleError;
    });

    describe("GET /products/{id}", () => {
        it("answers 200 with the item and reads it by key", async () => {
            const item = { id: "p-1", name: "kettle", price: 25 };
            ddb.on(GetCommand).resolves({ Item: item });

            const result = await api(apiEvent());

            assert.equal(result.statusCode, 200);
            assert.deepEqual(result.headers, BASE_HEADERS);
            assert.deepEqual(parsed(result), { region: REGION, item });
            assert.deepEqual(
                ddb.commandCalls(GetCommand).map((call) => call.args[0].input),
                [{ TableName: TABLE, Key: { id: "p-1" } }],
            );
            assert.equal(ddb.calls().length, 1);
        });

        it("answers 404 when the item does not exist", async () => {
            ddb.on(GetCommand).resolves({});

            const result = await api(apiEvent({ pathParameters: { id: "missing_1" } }));

            assert.equal(result.statusCode, 404);
            assert.deepEqual(result.headers, BASE_HEADERS);
            assert.deepEqual(parsed(result), { region: REGION, message: "product not found" });
            assert.deepEqual(
                ddb.commandCalls(GetCommand).map((call) => call.args[0].input),
                [{ TableName: TABLE, Key: { id: "missing_1" } }],
            );
        });

        it("accepts a 64-character id and a single leading underscore", async () => {
            ddb.on(GetCommand).resolves({});
            const longest = "a".repeat(64);

            assert.equal(
                (await api(apiEvent({ pathParameters: { id: longest } }))).statusCode,
                404,
            );
            assert.equal((await api(apiEvent({ pathParameters: { id: "_x" } }))).statusCode, 404);
            assert.deepEqual(
                ddb.commandCalls(GetCommand).map((call) => call.args[0].input.Key),
                [{ id: longest }, { id: "_x" }],
            );
        });

        it("answers 503 with retry-after when the read fails, without error details", async () => {
            ddb.on(GetCommand).rejects(new Error("secret internal detail"));

            const result = await api(apiEvent());

            assert.equal(result.statusCode, 503);
            assert.deepEqual(result.headers, { ...BASE_HEADERS, "retry-after": "1" });
            assert.deepEqual(parsed(result), STORE_UNAVAILABLE);
            assert.ok(!result.body.includes("secret"));
            assert.equal(logged.length, 1);
            assert.ok(!logged[0].includes("\n"), "log entry is one line");
            const entry = JSON.parse(logged[0]) as LogEntry;
            assert.equal(entry.operation, "GetItem");
            assert.equal(entry.error.message, "secret internal detail");
        });

        it("answers 503 when the client throws synchronously", async () => {
            ddb.on(GetCommand).callsFake(() => {
                throw new Error("boom");
            });

            const result = await api(apiEvent());

            assert.equal(result.statusCode, 503);
            assert.deepEqual(result.headers, { ...BASE_HEADERS, "retry-after": "1" });
            assert.deepEqual(parsed(result), STORE_UNAVAILABLE);
        });
    });

    describe("PUT /products/{id}", () => {
        it("stores the body with id, updatedAt and updatedInRegion and answers 200", async () => {
            ddb.on(PutCommand).resolves({});
            const body = { name: "kettle", price: 25.5, tags: ["a", "b"], dims: { w: 1 } };

            const result = await api(putEvent("p-1", JSON.stringify(body)));

            const item = {
                ...body,
                id: "p-1",
                updatedAt: "2030-01-02T03:04:05.678Z",
                updatedInRegion: REGION,
            };
            assert.equal(result.statusCode, 200);
            assert.deepEqual(result.headers, BASE_HEADERS);
            assert.deepEqual(parsed(result), { region: REGION, item });
            assert.deepEqual(
                ddb.commandCalls(PutCommand).map((call) => call.args[0].input),
                [{ TableName: TABLE, Item: item }],
            );
            assert.equal(ddb.calls().length, 1);
        });

        it("accepts a body id equal to the path id and overrides server-owned fields", async () => {
            ddb.on(PutCommand).resolves({});
            const body = { id: "p-1", updatedAt: "yesterday", updatedInRegion: "mars-1", n: 1 };

            const result = await api(putEvent("p-1", JSON.stringify(body)));

            const item = {
                id: "p-1",
                n: 1,
                updatedAt: "2030-01-02T03:04:05.678Z",
                updatedInRegion: REGION,
            };
            assert.equal(result.statusCode, 200);
            assert.deepEqual(parsed(result), { region: REGION, item });
            assert.deepEqual(ddb.commandCalls(PutCommand)[0].args[0].input, {
                TableName: TABLE,
                Item: item,
            });
        });

        it("decodes a base64 body and measures its decoded size", async () => {
            ddb.on(PutCommand).resolves({});
            // Encoded, this is longer than MAX_BODY_BYTES; decoded, it is exactly the limit.
            const prefix = '{"name":"';
            const suffix = '"}';
            const json =
                prefix + "x".repeat(MAX_BODY_BYTES - prefix.length - suffix.length) + suffix;
            const encoded = Buffer.from(json, "utf8").toString("base64");
            assert.ok(encoded.length > MAX_BODY_BYTES);

            const result = await api(putEvent("p-1", encoded, true));

            assert.equal(result.statusCode, 200);
            assert.deepEqual(ddb.commandCalls(PutCommand)[0].args[0].input, {
                TableName: TABLE,
                Item: {
                    name: "x".repeat(MAX_BODY_BYTES - prefix.length - suffix.length),
                    id: "p-1",
                    updatedAt: "2030-01-02T03:04:05.678Z",
                    updatedInRegion: REGION,
                },
            });
        });

        it("answers 413 for a base64 body over the limit once decoded", async () => {
            const json = JSON.stringify({ name: "x".repeat(MAX_BODY_BYTES) });
            const encoded = Buffer.from(json, "utf8").toString("base64");

            await rejected(putEvent("p-1", encoded, true), 413, {
                region: REGION,
                message: "request body exceeds 16384 bytes",
            });
        });

        it("answers 413 for a body over 16 KiB, counting bytes not characters", async () => {
            assert.equal(MAX_BODY_BYTES, 16384);
            // 8,200 characters but 16,400+ bytes in UTF-8.
            const body = JSON.stringify({ name: "é".repeat(8200) });
            assert.ok(body.length < MAX_BODY_BYTES);

            await rejected(putEvent("p-1", body), 413, {
                region: REGION,
                message: "request body exceeds 16384 bytes",
            });
        });

        it("accepts a body of exactly 16 KiB and rejects one byte more", async () => {
            ddb.on(PutCommand).resolves({});
            const exact = '{"a":"' + "x".repeat(MAX_BODY_BYTES - 8) + '"}';
            assert.equal(Buffer.byteLength(exact), MAX_BODY_BYTES);

            assert.equal((await api(putEvent("p-1", exact))).statusCode, 200);
            const over = '{"a":"' + "x".repeat(MAX_BODY_BYTES - 7) + '"}';
            assert.equal((await api(putEvent("p-1", over))).statusCode, 413);
            assert.equal(ddb.calls().length, 1);
        });

        it("answers 503 with retry-after when the write fails", async () => {
            ddb.on(PutCommand).rejects(
                Object.assign(new Error("Throughput exceeds the current capacity"), {
                    name: "ProvisionedThroughputExceededException",
                    $metadata: { httpStatusCode: 400, requestId: "req-1" },
                }),
            );

            const result = await api(putEvent("p-1", '{"name":"kettle"}'));

            assert.equal(result.statusCode, 503);
            assert.deepEqual(result.headers, { ...BASE_HEADERS, "retry-after": "1" });
            assert.deepEqual(parsed(result), STORE_UNAVAILABLE);
            assert.equal(ddb.commandCalls(PutCommand).length, 1);
            assert.equal(logged.length, 1);
            const entry = JSON.parse(logged[0]) as LogEntry;
            assert.equal(entry.operation, "PutItem");
            assert.deepEqual(entry.error, {
                name: "ProvisionedThroughputExceededException",
                message: "Throughput exceeds the current capacity",
                httpStatusCode: 400,
                awsRequestId: "req-1",
            });
        });
    });

    describe("bad input", () => {
        const message = (text: string) => ({ region: REGION, message: text });

        it("answers 400 when the id is missing", async () => {
            await rejected(
                apiEvent({ pathParameters: null }),
                400,
                message("missing product id in path"),
            );
            await rejected(
                apiEvent({ pathParameters: { id: "" } }),
                400,
                message("missing product id in path"),
            );
        });

        it("answers 400 for an id longer than 64 characters", async () => {
            await rejected(apiEvent({ pathParameters: { id: "a".repeat(65) } }), 400, INVALID_ID);
            await rejected(putEvent("b".repeat(65), "{}"), 400, INVALID_ID);
        });

        it("answers 400 for ids with characters outside [A-Za-z0-9_-]", async () => {
            for (const id of ["a.b", "a b", "a/b", "caf\u00e9", "a%20b", "x:y"]) {
                await rejected(apiEvent({ pathParameters: { id } }), 400, INVALID_ID);
            }
        });

        it("answers 400 for reserved ids starting with __, including the health canary", async () => {
            assert.equal(CANARY_ID, "__health__");
            await rejected(apiEvent({ pathParameters: { id: CANARY_ID } }), 400, RESERVED_ID);
            await rejected(putEvent(CANARY_ID, '{"x":1}'), 400, RESERVED_ID);
            await rejected(apiEvent({ pathParameters: { id: "__" } }), 400, RESERVED_ID);
        });

        it("answers 400 for a PUT without a body", async () => {
            await rejected(putEvent("p-1", null), 400, message("request body is required"));
            await rejected(putEvent("p-1", ""), 400, message("request body is required"));
        });

        it("answers 400 for a body that is not valid JSON", async () => {
            await rejected(
                putEvent("p-1", "{name:"),
                400,
                message("request body is not valid JSON"),
            );
        });

        it("answers 400 for a JSON body that is not an object", async () => {
            for (const body of ["[1,2]", "[]", "null", "42", '"text"', "true"]) {
                await rejected(
                    putEvent("p-1", body),
                    400,
                    message("request body must be a JSON object"),
                );
            }
        });

        it("answers 400 for a base64 body that is not UTF-8", async () => {
            const encoded = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64");

            await rejected(
                putEvent("p-1", encoded, true),
                400,
                message("request body must be UTF-8 encoded JSON"),
            );
        });

        it("answers 400 when the body id differs from the path id", async () => {
            const mismatch = message("body id does not match the id in the path");
            await rejected(putEvent("p-1", '{"id":"p-2"}'), 400, mismatch);
            await rejected(putEvent("p-1", '{"id":1}'), 400, mismatch);
            await rejected(putEvent("p-1", '{"id":null}'), 400, mismatch);
        });

        it("answers 400 for values DynamoDB cannot store instead of a retryable 503", async () => {
            const badNumber = message(
                "request body has a number that cannot be stored: magnitude must be at most 9007199254740991 and, unless 0, at least 1e-130",
            );
            await rejected(putEvent("p-1", '{"n":1e20}'), 400, badNumber);
            await rejected(putEvent("p-1", '{"n":[-1e300]}'), 400, badNumber);
            await rejected(putEvent("p-1", '{"n":{"m":1e-200}}'), 400, badNumber);
            await rejected(
                putEvent("p-1", '{"":1}'),
                400,
                message("request body has an empty attribute name"),
            );
            await rejected(
                putEvent("p-1", '{"a":{"":1}}'),
                400,
                message("request body has an empty attribute name"),
            );
            // Level 1 is the top-level attribute: 32 nested maps put the leaf at level 33.
            const nested = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
            await rejected(
                putEvent("p-1", nested(33)),
                400,
                message("request body nests deeper than 32 levels"),
            );
        });

        it("stores the deepest nesting and the extreme numbers DynamoDB accepts", async () => {
            ddb.on(PutCommand).resolves({});
            const nested = '{"a":'.repeat(32) + "1" + "}".repeat(32);
            assert.equal((await api(putEvent("p-1", nested))).statusCode, 200);
            const numbers = { max: 9007199254740991, min: -9007199254740991, tiny: 1e-130, z: 0 };
            assert.equal((await api(putEvent("p-1", JSON.stringify(numbers)))).statusCode, 200);
            assert.equal(ddb.commandCalls(PutCommand).length, 2);
        });
    });

    describe("routing", () => {
        it("answers 405 with allow: GET, PUT for other methods", async () => {
            for (const httpMethod of ["DELETE", "POST", "OPTIONS", "PATCH", "HEAD"]) {
                await rejected(
                    apiEvent({ httpMethod, body: '{"a":1}' }),
                    405,
                    { region: REGION, message: "method not allowed" },
                    { allow: "GET, PUT" },
                );
            }
        });

        it("answers 404 for an unknown resource", async () => {
            await rejected(apiEvent({ resource: "/orders/{id}", path: "/orders/1" }), 404, {
                region: REGION,
                message: "route not found",
            });
            await rejected(apiEvent({ resource: "/{proxy+}", pathParameters: null }), 404, {
                region: REGION,
                message: "route not found",
            });
        });

        it("answers 500 without details when something unexpected throws", async () => {
            const failing = createApiHandler({
                client: testClient(),
                tableName: TABLE,
                region: REGION,
                now: () => {
                    throw new Error("clock exploded");
                },
            });

            const result = await failing(putEvent("p-1", '{"a":1}'));

            assert.equal(result.statusCode, 500);
            assert.deepEqual(result.headers, BASE_HEADERS);
            assert.deepEqual(parsed(result), { region: REGION, message: "internal error" });
            assert.equal(ddb.calls().length, 0);
            assert.equal(logged.length, 1);
            assert.equal((JSON.parse(logged[0]) as LogEntry).error.message, "clock exploded");
        });
    });

    describe("handler (from the environment)", () => {
        const saved = { TABLE_NAME: process.env.TABLE_NAME, AWS_REGION: process.env.AWS_REGION };
        afterEach(() => {
            for (const [name, value] of Object.entries(saved)) {
                if (value === undefined) {
                    delete process.env[name];
                } else {
                    process.env[name] = value;
                }
            }
        });

        it("answers 500 naming TABLE_NAME when it is not set", async () => {
            delete process.env.TABLE_NAME;
            process.env.AWS_REGION = "us-east-1";

            const result = await handler(apiEvent());

            assert.equal(result.statusCode, 500);
            assert.deepEqual(result.headers, {
                "content-type": "application/json",
                "cache-control": "no-store",
                "x-served-by-region": "us-east-1",
            });
            assert.deepEqual(parsed(result), {
                region: "us-east-1",
                message: "server misconfigured: TABLE_NAME environment variable is not set",
            });
            assert.equal(ddb.calls().length, 0);
        });
    });
});
