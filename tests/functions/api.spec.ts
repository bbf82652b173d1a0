// Product API handler with a mocked DynamoDB client: the exact store calls, how every kind of
// store failure is answered and logged, the deadline, and unexpected errors. Behaviour against a
// real store (input, encodings, headers, round trips) is in apiStore.spec.ts.
import assert from "node:assert/strict";
import {
    DynamoDBClient,
    GetItemCommand,
    PutItemCommand,
    type PutItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { createApiHandler, storeClientConfig, type ApiDeps } from "../../functions/api";
import {
    STORE_CONNECT_TIMEOUT_MS,
    STORE_MAX_ATTEMPTS,
    STORE_REQUEST_TIMEOUT_MS,
} from "../../functions/api/budget";
import type { LogEntry, LogLevel } from "../../functions/shared/log";
import {
    API_REQUEST_ID,
    assertNoLeak,
    BASE_HEADERS,
    getEvent,
    MESSAGES,
    parsed,
    putEvent,
    REGION,
    sha256Hex,
    TABLE,
    TOKEN,
} from "./helpers";

const NOW = new Date("2030-01-02T03:04:05.678Z");
const RETRY_HEADERS = { ...BASE_HEADERS, "retry-after": "1" };

function serviceError(name: string, message: string, httpStatusCode = 400): Error {
    return Object.assign(new Error(message), {
        name,
        $fault: "client",
        $metadata: { httpStatusCode, requestId: "aws-req-1", attempts: 2 },
    });
}

describe("functions/api (store mocked)", () => {
    // Only this instance is mocked: other specs' clients talk to real servers meanwhile.
    const client = new DynamoDBClient({
        region: REGION,
        credentials: { accessKeyId: "x", secretAccessKey: "y" },
    });
    let ddb: AwsClientStub<DynamoDBClient>;
    let logs: { level: LogLevel; entry: LogEntry }[];

    const apiWith = (deps: Partial<ApiDeps> = {}) =>
        createApiHandler({
            client,
            tableName: TABLE,
            region: REGION,
            access: { tokenDigests: [Buffer.from(sha256Hex(TOKEN), "hex")], publicReads: true },
            now: () => NOW,
            log: (level, entry) => logs.push({ level, entry }),
            ...deps,
        });
    const api = apiWith();

    before(() => {
        ddb = mockClient(client);
    });
    after(() => {
        ddb.restore();
        client.destroy();
    });
    beforeEach(() => {
        ddb.reset();
        logs = [];
    });

    it("configures the client with the budget: connection and request timeouts, two attempts", () => {
        assert.deepEqual(storeClientConfig(), {
            maxAttempts: STORE_MAX_ATTEMPTS,
            requestHandler: {
                connectionTimeout: STORE_CONNECT_TIMEOUT_MS,
                requestTimeout: STORE_REQUEST_TIMEOUT_MS,
                throwOnRequestTimeout: true,
            },
        });
    });

    it("reads by key with an abort signal and answers the item in its JSON form", async () => {
        ddb.on(GetItemCommand).resolves({
            Item: { id: { S: "p-1" }, price: { N: "12345678901234567890.5" }, s: { SS: ["a"] } },
        });

        const result = await api(getEvent("p-1"));

        assert.equal(result.statusCode, 200);
        assert.deepEqual(result.headers, BASE_HEADERS);
        assert.equal(
            result.body,
            '{"region":"eu-west-1","item":{"id":"p-1","price":12345678901234567890.5,"s":{"$stringSet":["a"]}}}',
        );
        const [call] = ddb.commandCalls(GetItemCommand);
        assert.deepEqual(call.args[0].input, { TableName: TABLE, Key: { id: { S: "p-1" } } });
        const options = (ddb.send.getCall(0).args as unknown[])[1] as { abortSignal: AbortSignal };
        assert.ok(options.abortSignal instanceof AbortSignal);
        assert.equal(options.abortSignal.aborted, false);
        assert.deepEqual(logs, []);
    });

    it("writes the body as attribute values, numbers as the exact text sent", async () => {
        ddb.on(PutItemCommand).resolves({});
        const body =
            '{"name":"kettle","price":1.50,"big":123456789012345678901234567890,"tags":["a",true,null],"dims":{"w":-0,"h":2.5E+3},"id":"p-1"}';

        const result = await api(putEvent("p-1", body));

        assert.equal(result.statusCode, 200);
        assert.deepEqual(result.headers, BASE_HEADERS);
        assert.equal(
            result.body,
            '{"region":"eu-west-1","item":{"name":"kettle","price":1.50,"big":123456789012345678901234567890,"tags":["a",true,null],"dims":{"w":-0,"h":2.5E+3},"id":"p-1","updatedAt":"2030-01-02T03:04:05.678Z","updatedInRegion":"eu-west-1"}}',
        );
        const expected: PutItemCommandInput = {
            TableName: TABLE,
            Item: {
                name: { S: "kettle" },
                price: { N: "1.50" },
                big: { N: "123456789012345678901234567890" },
                tags: { L: [{ S: "a" }, { BOOL: true }, { NULL: true }] },
                dims: { M: { w: { N: "-0" }, h: { N: "2.5E+3" } } },
                id: { S: "p-1" },
                updatedAt: { S: "2030-01-02T03:04:05.678Z" },
                updatedInRegion: { S: REGION },
            },
        };
        assert.deepEqual(
            ddb.commandCalls(PutItemCommand).map((call) => call.args[0].input),
            [expected],
        );
    });

    it("never calls the store for a refused request", async () => {
        await api(putEvent("p-1", '{"a":1}', { token: "wrong" }));
        await api(putEvent("p-1", '{"__proto__":1}'));
        await api(putEvent("../x", '{"a":1}'));
        await api(getEvent("__health__"));
        assert.equal(ddb.calls().length, 0);
    });

    describe("store failures", () => {
        const failures: [string, Error, number, string][] = [
            [
                "throughput exceeded",
                serviceError("ProvisionedThroughputExceededException", "over capacity"),
                503,
                MESSAGES.storeBusy,
            ],
            [
                "throttled",
                serviceError("ThrottlingException", "slow down"),
                503,
                MESSAGES.storeBusy,
            ],
            [
                "request limit",
                serviceError("RequestLimitExceeded", "limit reached"),
                503,
                MESSAGES.storeBusy,
            ],
            [
                "server error",
                serviceError("InternalServerError", "boom", 500),
                503,
                MESSAGES.storeUnavailable,
            ],
            [
                "access denied",
                serviceError("AccessDeniedException", `User is not authorized on table/${TABLE}`),
                503,
                MESSAGES.storeUnavailable,
            ],
            [
                "missing table",
                serviceError("ResourceNotFoundException", `Table ${TABLE} not found`),
                503,
                MESSAGES.storeUnavailable,
            ],
            [
                "network",
                Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), {
                    code: "ECONNREFUSED",
                }),
                503,
                MESSAGES.storeUnavailable,
            ],
        ];

        for (const [label, error, statusCode, message] of failures) {
            it(`answers ${statusCode} "${message}" with retry-after: ${label}`, async () => {
                ddb.on(GetItemCommand).rejects(error);
                ddb.on(PutItemCommand).rejects(error);

                for (const event of [getEvent("p-1"), putEvent("p-1", '{"a":1}')]) {
                    const result = await api(event);
                    assert.equal(result.statusCode, statusCode);
                    assert.deepEqual(result.headers, RETRY_HEADERS);
                    assert.deepEqual(parsed(result), {
                        region: REGION,
                        message,
                        retryAfterSeconds: 1,
                    });
                    assertNoLeak(result, [
                        "capacity",
                        "slow down",
                        "limit reached",
                        "boom",
                        "authorized",
                        "10.0.0.1",
                    ]);
                }
                const described = {
                    name: error.name,
                    ...("code" in error && { code: error.code }),
                    ...("$metadata" in error && {
                        httpStatusCode: (error as { $metadata: { httpStatusCode: number } })
                            .$metadata.httpStatusCode,
                        awsRequestId: "aws-req-1",
                        attempts: 2,
                    }),
                    message: error.message,
                };
                assert.deepEqual(
                    logs,
                    ["GetItem", "PutItem"].map((operation) => ({
                        level: "warn",
                        entry: {
                            msg: "store call failed",
                            operation,
                            apiRequestId: API_REQUEST_ID,
                            id: "p-1",
                            error: described,
                        },
                    })),
                );
            });
        }

        it("answers 503 when send throws synchronously", async () => {
            ddb.on(GetItemCommand).callsFake(() => {
                throw new Error("sync boom");
            });

            const result = await api(getEvent("p-1"));

            assert.equal(result.statusCode, 503);
            assert.deepEqual(result.headers, RETRY_HEADERS);
            assert.deepEqual(parsed(result), {
                region: REGION,
                message: MESSAGES.storeUnavailable,
                retryAfterSeconds: 1,
            });
        });

        it("answers 400 to a refused item and 500 to a refused read, logging no SDK message", async () => {
            const refusal = serviceError(
                "ValidationException",
                'One or more parameter values were invalid: "secret value"',
            );
            ddb.on(PutItemCommand).rejects(refusal);
            ddb.on(GetItemCommand).rejects(refusal);

            const put = await api(putEvent("p-1", '{"a":"secret value"}'));
            const get = await api(getEvent("p-1"));

            assert.equal(put.statusCode, 400);
            assert.deepEqual(put.headers, BASE_HEADERS);
            assert.deepEqual(parsed(put), { region: REGION, message: MESSAGES.storeRefused });
            assert.equal(get.statusCode, 500);
            assert.deepEqual(get.headers, BASE_HEADERS);
            assert.deepEqual(parsed(get), { region: REGION, message: MESSAGES.internal });
            const error = {
                name: "ValidationException",
                httpStatusCode: 400,
                awsRequestId: "aws-req-1",
                attempts: 2,
            };
            const context = { apiRequestId: API_REQUEST_ID, id: "p-1", error };
            assert.deepEqual(logs, [
                {
                    level: "warn",
                    entry: { msg: "store refused the item", operation: "PutItem", ...context },
                },
                {
                    level: "error",
                    entry: { msg: "store refused a read by key", operation: "GetItem", ...context },
                },
            ]);
        });

        it("answers 503 at the deadline and aborts the request when the store never answers", async () => {
            ddb.on(PutItemCommand).callsFake(() => new Promise(() => {}));
            const started = Date.now();

            const result = await apiWith({ deadlineMs: 30 })(putEvent("p-1", '{"a":1}'));

            const elapsed = Date.now() - started;
            assert.ok(elapsed >= 25 && elapsed < 1000, `answered after ${elapsed} ms`);
            assert.equal(result.statusCode, 503);
            assert.deepEqual(result.headers, RETRY_HEADERS);
            assert.deepEqual(parsed(result), {
                region: REGION,
                message: MESSAGES.storeUnavailable,
                retryAfterSeconds: 1,
            });
            const options = (ddb.send.getCall(0).args as unknown[])[1] as {
                abortSignal: AbortSignal;
            };
            assert.equal(options.abortSignal.aborted, true);
            assert.deepEqual(logs, [
                {
                    level: "warn",
                    entry: {
                        msg: "store call timed out",
                        operation: "PutItem",
                        deadlineMs: 30,
                        apiRequestId: API_REQUEST_ID,
                        id: "p-1",
                    },
                },
            ]);
        });
    });

    it("answers 500 without details when something unexpected throws, logging the stack", async () => {
        const failing = apiWith({
            now: () => {
                throw new TypeError(`clock exploded near ${TABLE}`);
            },
        });

        const result = await failing(putEvent("p-1", '{"a":1}'));

        assert.equal(result.statusCode, 500);
        assert.deepEqual(result.headers, BASE_HEADERS);
        assert.deepEqual(parsed(result), { region: REGION, message: MESSAGES.internal });
        assertNoLeak(result, ["clock"]);
        assert.equal(ddb.calls().length, 0);
        assert.equal(logs.length, 1);
        const { level, entry } = logs[0];
        const { stack, ...error } = entry.error as { stack: string };
        assert.equal(level, "error");
        assert.deepEqual(
            { ...entry, error },
            {
                msg: "unexpected error",
                apiRequestId: API_REQUEST_ID,
                error: { name: "TypeError", message: `clock exploded near ${TABLE}` },
            },
        );
        assert.match(stack, /^TypeError: clock exploded/);
    });
});
