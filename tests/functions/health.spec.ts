// Deep health handler: canary read, hard timeout, and bodies Route 53's string match can rely on.
import assert from "node:assert/strict";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import {
    CANARY_ID,
    createHealthHandler,
    handler,
    healthClientConfig,
    HEALTH_CONNECT_TIMEOUT_MS,
    HEALTH_TIMEOUT_MS,
    type HealthDeps,
} from "../../functions/health";
import { HEALTH_TOKEN } from "../../functions/health/token";
import type { LogEntry, LogLevel } from "../../functions/shared/log";
import { API_REQUEST_ID, assertNoLeak, captureLogs } from "./helpers";

const REGION = "eu-west-1";
const TABLE = "products-table";
const HEADERS = {
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-served-by-region": REGION,
};
const HEALTHY = { region: REGION, status: HEALTH_TOKEN };
const UNHEALTHY = { region: REGION, status: "unavailable" };

function healthEvent(httpMethod = "GET"): APIGatewayProxyEvent {
    return {
        resource: "/health",
        path: "/health",
        httpMethod,
        headers: {},
        multiValueHeaders: {},
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: null,
        stageVariables: null,
        requestContext: { requestId: API_REQUEST_ID } as APIGatewayProxyEvent["requestContext"],
        body: null,
        isBase64Encoded: false,
    };
}

// A clock that returns the given readings in order, so latencyMs is exact.
function fakeClock(...readings: number[]): () => number {
    let next = 0;
    return () => readings[Math.min(next++, readings.length - 1)];
}

function parsed(result: APIGatewayProxyResult): unknown {
    return JSON.parse(result.body);
}

// Runs `action` while recording the timers it starts and clears; resolves to those still pending.
async function pendingTimersAfter(action: () => Promise<unknown>): Promise<number> {
    const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
    const pending = new Set<unknown>();
    globalThis.setTimeout = ((...args: Parameters<typeof realSet>) => {
        const timer = realSet(...args);
        pending.add(timer);
        return timer;
    }) as typeof realSet;
    globalThis.clearTimeout = (timer: Parameters<typeof realClear>[0]) => {
        pending.delete(timer);
        realClear(timer);
    };
    try {
        await action();
    } finally {
        globalThis.setTimeout = realSet;
        globalThis.clearTimeout = realClear;
    }
    return pending.size;
}

describe("functions/health", () => {
    // Only this instance is mocked: other specs' clients talk to real servers meanwhile.
    const client = new DynamoDBClient({
        region: REGION,
        credentials: { accessKeyId: "x", secretAccessKey: "y" },
    });
    let ddb: AwsClientStub<DynamoDBClient>;
    let logs: { level: LogLevel; entry: LogEntry }[];

    function healthHandler(overrides: Partial<HealthDeps> = {}) {
        return createHealthHandler({
            client,
            tableName: TABLE,
            region: REGION,
            timeoutMs: HEALTH_TIMEOUT_MS,
            clock: fakeClock(1000, 1042.4),
            log: (level, entry) => logs.push({ level, entry }),
            ...overrides,
        });
    }

    // The abort signal passed with the n-th send() call.
    function abortSignalOf(call: number): AbortSignal {
        const options = (ddb.send.getCall(call).args as unknown[])[1] as { abortSignal?: unknown };
        assert.ok(options.abortSignal instanceof AbortSignal);
        return options.abortSignal;
    }

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

    it("keeps its timeouts well under Route 53's 2 s budget and reads a reserved id", () => {
        assert.equal(HEALTH_TIMEOUT_MS, 1000);
        assert.equal(CANARY_ID, "__health__");
        assert.equal(HEALTH_TOKEN, "mra-health-ok");
        assert.deepEqual(healthClientConfig(), {
            maxAttempts: 1,
            requestHandler: {
                connectionTimeout: HEALTH_CONNECT_TIMEOUT_MS,
                requestTimeout: HEALTH_TIMEOUT_MS,
                throwOnRequestTimeout: true,
            },
        });
        assert.equal(HEALTH_CONNECT_TIMEOUT_MS, 500);
    });

    it("answers 200 with the token and nothing else when the canary item exists", async () => {
        ddb.on(GetItemCommand).resolves({ Item: { id: { S: CANARY_ID } } });

        const result = await healthHandler()(healthEvent());

        assert.equal(result.statusCode, 200);
        assert.deepEqual(result.headers, HEADERS);
        assert.equal(result.body, '{"region":"eu-west-1","status":"mra-health-ok"}');
        assert.deepEqual(
            ddb.commandCalls(GetItemCommand).map((call) => call.args[0].input),
            [{ TableName: TABLE, Key: { id: { S: "__health__" } } }],
        );
        assert.equal(abortSignalOf(0).aborted, false);
        assert.deepEqual(logs, []);
    });

    it("answers 200 the same way when the read completes without the item", async () => {
        ddb.on(GetItemCommand).resolves({});

        const result = await healthHandler({ clock: fakeClock(5, 5) })(healthEvent());

        assert.equal(result.statusCode, 200);
        assert.deepEqual(result.headers, HEADERS);
        assert.deepEqual(parsed(result), HEALTHY);
    });

    it("clears its timer once the read has answered", async () => {
        ddb.on(GetItemCommand).resolves({});

        const pending = await pendingTimersAfter(() =>
            healthHandler({ timeoutMs: 60_000 })(healthEvent()),
        );

        assert.equal(pending, 0);
    });

    it("answers 503 unavailable, with the reason in the log only, when the read fails", async () => {
        const failure = Object.assign(new Error(`table ${TABLE} gone (${HEALTH_TOKEN})`), {
            name: "ResourceNotFoundException",
            $metadata: { httpStatusCode: 400, requestId: "aws-req-9", attempts: 1 },
        });
        ddb.on(GetItemCommand).rejects(failure);

        const result = await healthHandler()(healthEvent());

        assert.equal(result.statusCode, 503);
        assert.deepEqual(result.headers, HEADERS);
        assert.equal(result.body, '{"region":"eu-west-1","status":"unavailable"}');
        assert.ok(!result.body.includes(HEALTH_TOKEN));
        assertNoLeak(result, ["gone", "store-error", "latency"]);
        assert.deepEqual(logs, [
            {
                level: "warn",
                entry: {
                    msg: "health check failed",
                    reason: "store-error",
                    latencyMs: 42,
                    apiRequestId: API_REQUEST_ID,
                    error: {
                        name: "ResourceNotFoundException",
                        httpStatusCode: 400,
                        awsRequestId: "aws-req-9",
                        attempts: 1,
                        message: `table ${TABLE} gone (${HEALTH_TOKEN})`,
                    },
                },
            },
        ]);
    });

    it("answers 503 when the client throws synchronously", async () => {
        ddb.on(GetItemCommand).callsFake(() => {
            throw new Error("boom");
        });

        const result = await healthHandler()(healthEvent());

        assert.equal(result.statusCode, 503);
        assert.deepEqual(parsed(result), UNHEALTHY);
        assert.equal(logs[0].entry.reason, "store-error");
    });

    it("answers 503 in bounded time when the store never answers", async () => {
        ddb.on(GetItemCommand).callsFake(() => new Promise(() => {}));
        const started = Date.now();

        const result = await healthHandler({ timeoutMs: 50, clock: fakeClock(0, 50) })(
            healthEvent(),
        );

        const elapsed = Date.now() - started;
        assert.ok(elapsed < 1000, `answered after ${elapsed} ms`);
        assert.ok(elapsed >= 45, `answered after ${elapsed} ms, before the timeout`);
        assert.equal(result.statusCode, 503);
        assert.deepEqual(result.headers, HEADERS);
        assert.deepEqual(parsed(result), UNHEALTHY);
        assert.equal(abortSignalOf(0).aborted, true, "the SDK request is aborted");
        assert.deepEqual(logs, [
            {
                level: "warn",
                entry: {
                    msg: "health check failed",
                    reason: "timeout",
                    latencyMs: 50,
                    timeoutMs: 50,
                    apiRequestId: API_REQUEST_ID,
                },
            },
        ]);
    });

    it("answers 405 with allow: GET for other methods, without reading", async () => {
        for (const method of ["POST", "PUT", "DELETE", "HEAD", "OPTIONS"]) {
            const result = await healthHandler()(healthEvent(method));

            assert.equal(result.statusCode, 405);
            assert.deepEqual(result.headers, { ...HEADERS, allow: "GET" });
            assert.deepEqual(parsed(result), { region: REGION, message: "method not allowed" });
            assert.ok(!result.body.includes(HEALTH_TOKEN));
        }
        assert.equal(ddb.calls().length, 0);
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

        it("answers 503 unavailable and logs the variable when TABLE_NAME is not set", async () => {
            delete process.env.TABLE_NAME;
            process.env.AWS_REGION = "us-east-1";
            const headers = { ...HEADERS, "x-served-by-region": "us-east-1" };
            const captured = captureLogs();
            try {
                const result = await handler(healthEvent());

                assert.equal(result.statusCode, 503);
                assert.deepEqual(result.headers, headers);
                assert.deepEqual(parsed(result), { region: "us-east-1", status: "unavailable" });
                assert.ok(!result.body.includes("TABLE_NAME"));

                const post = await handler(healthEvent("POST"));
                assert.equal(post.statusCode, 405);
                assert.deepEqual(post.headers, { ...headers, allow: "GET" });
                assert.equal(ddb.calls().length, 0);
                const entry = {
                    msg: "function misconfigured",
                    variable: "TABLE_NAME",
                    problem: "must name the products table",
                    reason: "misconfigured",
                    apiRequestId: API_REQUEST_ID,
                };
                assert.deepEqual(captured.calls, [
                    { level: "error", args: [entry] },
                    { level: "error", args: [entry] },
                ]);
            } finally {
                captured.restore();
            }
        });
    });
});
