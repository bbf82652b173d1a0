// The handlers' logger: one plain object per console call, at the console method of its level,
// which Lambda's JSON log format keeps as an object under `message` (see functions/shared/log.ts).
import assert from "node:assert/strict";
import { errorFields, log, type LogEntry } from "../../functions/shared/log";
import { captureLogs } from "./helpers";

describe("functions/shared/log", () => {
    it("writes each entry as the single argument of console.info, warn or error", () => {
        const entries: LogEntry[] = [
            { msg: "client gave up", apiRequestId: "a-1" },
            { msg: "store call failed", operation: "GetItem", error: { name: "TimeoutError" } },
            { msg: "unexpected error", nested: { list: [1, "two", null, true] } },
        ];
        const captured = captureLogs();
        try {
            log("info", entries[0]);
            log("warn", entries[1]);
            log("error", entries[2]);
        } finally {
            captured.restore();
        }
        assert.deepEqual(captured.calls, [
            { level: "info", args: [entries[0]] },
            { level: "warn", args: [entries[1]] },
            { level: "error", args: [entries[2]] },
        ]);
        // What the runtime's JSON formatter does with a single argument: the object itself
        // becomes `message`, so each field stays a field.
        for (const { args } of captured.calls) {
            const line = JSON.stringify({ level: "WARN", requestId: "r", message: args[0] });
            assert.deepEqual((JSON.parse(line) as { message: unknown }).message, args[0]);
        }
    });

    it("describes an AWS SDK error by name, metadata and message", () => {
        const error = Object.assign(new Error("Rate of requests exceeds the allowed throughput."), {
            name: "ThrottlingException",
            $fault: "client",
            $metadata: { httpStatusCode: 400, requestId: "RID", attempts: 2, totalRetryDelay: 90 },
        });
        assert.deepEqual(errorFields(error), {
            name: "ThrottlingException",
            httpStatusCode: 400,
            awsRequestId: "RID",
            attempts: 2,
            message: "Rate of requests exceeds the allowed throughput.",
        });
        assert.deepEqual(errorFields(error, { message: false }), {
            name: "ThrottlingException",
            httpStatusCode: 400,
            awsRequestId: "RID",
            attempts: 2,
        });
    });

    it("describes a network error by its code, and a bug with its stack when asked", () => {
        const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), {
            code: "ECONNREFUSED",
            errno: -111,
        });
        assert.deepEqual(errorFields(refused), {
            name: "Error",
            code: "ECONNREFUSED",
            message: "connect ECONNREFUSED 127.0.0.1:8000",
        });
        const bug = new TypeError("x is undefined");
        const { stack, ...rest } = errorFields(bug, { stack: true });
        assert.deepEqual(rest, { name: "TypeError", message: "x is undefined" });
        assert.equal(stack, bug.stack);
        assert.equal("stack" in errorFields(bug), false);
    });

    it("describes a thrown non-Error by its type only", () => {
        assert.deepEqual(errorFields("secret text"), { name: "thrown string" });
        assert.deepEqual(errorFields({ token: "t" }), { name: "thrown object" });
        assert.deepEqual(errorFields(undefined), { name: "thrown undefined" });
    });
});
