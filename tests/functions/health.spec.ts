// Deep health handler: canary read, hard timeout, and bodies Route 53's string match can rely on.
import assert from "node:assert/strict";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import {
    CANARY_ID,
    createHealthHandler,
    handler,
    HEALTH_TIMEOUT_MS,
    type HealthDeps,
} from "../../functions/health";
import { HEALTH_TOKEN } from "../../functions/health/token";

const REGION = "eu-west-1";
const TABLE = "products-table";
const HEADERS = {
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-served-by-region": REGION,
};

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
        requestContext: {} as APIGatewayProxyEvent["requestContext"],
        body: null,
        isBase64Encoded: false,
    };
}

// A clock that returns the given readings in order, so latencyMs is exact.
function fakeClock(...readings: number[]): () => number {
    let next = 0;
    return () => readings[Math.min(next++, readings.length - 1)];
}

function healthHandler(overrides: Partial<HealthDeps> = {}) {
    return createHealthHandler({
        client: DynamoDBDocumentClient.from(
            new DynamoDBClient({
                region: REGION,
                credentials: { accessKeyId: "x", secretAccessKey: "y" },
            }),
        ),
        tableName: TABLE,
        region: REGION,
        timeoutMs: HEALTH_TIMEOUT_MS,
        clock: fakeClock(1000, 1042.4),
        ...overrides,
    });
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
    let ddb: AwsClientStub<DynamoDBDocumentClient>;
    let logged: string[];
    let originalConsoleError: typeof console.error;

    // The abort signal passed with the n-th send() call.
    function abortSignalOf(call: number): AbortSignal {
        const options = (ddb.send.getCall(call).args as unknown[])[1] as { abortSignal?: unknown };
        assert.ok(options.abortSignal instanceof AbortSignal);
        return options.abortSignal;
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

    it("keeps its timeout well under Route 53's 2 s budget and reads a reserved id", () => {
        assert.equal(HEALTH_TIMEOUT_MS, 1000);
        assert.equal(CANARY_ID, "__health__");
        assert.equal(HEALTH_TOKEN, "mra-health-ok");
    });

    it("answers 200 with the token when the canary item exists", async () => {
        ddb.on(GetCommand).resolves({ Item: { id: CANARY_ID } });

        const result = await healthHandler()(healthEvent());

        assert.equal(result.statusCode, 200);
        assert.deepEqual(result.headers, HEADERS);
        assert.deepEqual(parsed(result), {
            status: HEALTH_TOKEN,
            region: REGION,
            canaryFound: true,
            latencyMs: 42,
        });
        assert.ok(result.body.includes(HEALTH_TOKEN));
        assert.deepEqual(
            ddb.commandCalls(GetCommand).map((call) => call.args[0].input),
            [{ TableName: TABLE, Key: { id: "__health__" } }],
        );
        assert.equal(abortSignalOf(0).aborted, false);
        assert.equal(logged.length, 0);
    });

    it("answers 200 with canaryFound false when the read completes without the item", async () => {
        ddb.on(GetCommand).resolves({});

        const result = await healthHandler({ clock: fakeClock(5, 5) })(healthEvent());

        assert.equal(result.statusCode, 200);
        assert.deepEqual(result.headers, HEADERS);
        assert.deepEqual(parsed(result), {
            status: HEALTH_TOKEN,
            region: REGION,
            canaryFound: false,
            latencyMs: 0,
        });
    });

    it("clears its timer once the read has answered", async () => {
        ddb.on(GetCommand).resolves({});

        const pending = await pendingTimersAfter(() =>
            healthHandler({ timeoutMs: 60_000 })(healthEvent()),
        );

        assert.equal(pending, 0);
    });

    it("answers 503 store-error without the token or the error text when the read fails", async () => {
        ddb.on(GetCommand).rejects(new Error(`table gone (${HEALTH_TOKEN} should not leak)`));

        const result = await healthHandler()(healthEvent());

        assert.equal(result.statusCode, 503);
        assert.deepEqual(result.headers, HEADERS);
        assert.deepEqual(parsed(result), {
            status: "unavailable",
            region: REGION,
            reason: "store-error",
            latencyMs: 42,
        });
        assert.ok(!result.body.includes(HEALTH_TOKEN));
        assert.ok(!result.body.includes("table gone"));
        assert.equal(logged.length, 1);
        const entry = JSON.parse(logged[0]) as { error: { message: string } };
        assert.equal(entry.error.message.startsWith("table gone"), true);
    });

    it("answers 503 store-error when the client throws synchronously", async () => {
        ddb.on(GetCommand).callsFake(() => {
            throw new Error("boom");
        });

        const result = await healthHandler()(healthEvent());

        assert.equal(result.statusCode, 503);
        assert.deepEqual(parsed(result), {
            status: "unavailable",
            region: REGION,
            reason: "store-error",
            latencyMs: 42,
        });
    });

    it("answers 503 timeout in bounded time when the store never answers", async () => {
        ddb.on(GetCommand).callsFake(() => new Promise(() => {}));
        const started = Date.now();

        const result = await healthHandler({ timeoutMs: 50, clock: fakeClock(0, 50) })(
            healthEvent(),
        );

        const elapsed = Date.now() - started;
        assert.ok(elapsed < 1000, `answered after ${elapsed} ms`);
        assert.ok(elapsed >= 45, `answered after ${elapsed} ms, before the timeout`);
        assert.equal(result.statusCode, 503);
        assert.deepEqual(result.headers, HEADERS);
        assert.deepEqual(parsed(result), {
            status: "unavailable",
            region: REGION,
            reason: "timeout",
            latencyMs: 50,
        });
        assert.ok(!result.body.includes(HEALTH_TOKEN));
        assert.equal(abortSignalOf(0).aborted, true, "the SDK request is aborted");
        assert.equal(logged.length, 1);
        assert.equal(
            (JSON.parse(logged[0]) as { message: string }).message,
            "health read timed out",
        );
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

        it("answers 503 misconfigured, without the token, when TABLE_NAME is not set", async () => {
            delete process.env.TABLE_NAME;
            process.env.AWS_REGION = "us-east-1";
            const headers = { ...HEADERS, "x-served-by-region": "us-east-1" };

            const result = await handler(healthEvent());

            assert.equal(result.statusCode, 503);
            assert.deepEqual(result.headers, headers);
            assert.deepEqual(parsed(result), {
                status: "unavailable",
                region: "us-east-1",
                reason: "misconfigured",
                latencyMs: 0,
            });
            assert.ok(!result.body.includes(HEALTH_TOKEN));

            const post = await handler(healthEvent("POST"));
            assert.equal(post.statusCode, 405);
            assert.deepEqual(post.headers, { ...headers, allow: "GET" });
            assert.equal(ddb.calls().length, 0);
        });
    });
});
