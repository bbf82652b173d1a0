// The api handler against a real DynamoDB implementation on loopback (dynalite, in memory):
// hostile ids, bodies, encodings, methods and headers; exact round trips; items written by
// another writer; concurrent writes; a stopped and a silent store.
//
// Cost: the scenarios that wait on timers (a silent store with the production budget, injected
// deadlines, the health check's own timeout, a store stopped and restarted) run in a child
// process started when mocha loads this file (storeScenarios.ts): on the second core, beside the
// other spec files, and with timers no other spec can delay. Their tests only await them. Refusals run
// in parallel batches, each checked against a snapshot of the whole table.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import {
    CreateTableCommand,
    GetItemCommand,
    PutItemCommand,
    ScanCommand,
    type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { isLosslessNumber, parse, type LosslessNumber } from "lossless-json";
import {
    createApiHandler,
    handler,
    MAX_BODY_BYTES,
    storeClientConfig,
    type ApiDeps,
} from "../../functions/api";
import {
    API_FUNCTION_TIMEOUT_SECONDS,
    STORE_CONNECT_TIMEOUT_MS,
    STORE_DEADLINE_MS,
    STORE_MAX_ATTEMPTS,
    STORE_REQUEST_TIMEOUT_MS,
} from "../../functions/api/budget";
import { HEALTH_TIMEOUT_MS } from "../../functions/health";
import type { LogEntry } from "../../functions/shared/log";
import {
    ACCESS,
    API_REQUEST_ID,
    apiEvent,
    assertNoLeak,
    authHeaders,
    BASE_HEADERS,
    captureLogs,
    getEvent,
    localClient,
    MESSAGES,
    NOW,
    OTHER_TOKEN,
    parsed,
    putEvent,
    REGION,
    sha256Hex,
    startLocalStore,
    TABLE,
    TOKEN,
    type LocalStore,
} from "./helpers";
import { INJECTED_DEADLINE_MS, type Logged, type ScenarioResults } from "./storeScenarios";

const SERVER_FIELDS = { updatedAt: "2030-01-02T03:04:05.678Z", updatedInRegion: REGION };
const RETRY_HEADERS = { ...BASE_HEADERS, "retry-after": "1" };
const UNAVAILABLE = { region: REGION, message: MESSAGES.storeUnavailable, retryAfterSeconds: 1 };

/** A value with every number replaced by its canonical decimal, to compare numbers by value. */
function byValue(value: unknown): unknown {
    if (isLosslessNumber(value)) {
        return `number:${canonical(value.value)}`;
    }
    if (typeof value === "number") {
        return `number:${canonical(String(value))}`;
    }
    if (Array.isArray(value)) {
        return value.map(byValue);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, byValue(v)]));
    }
    return value;
}

// 0.<digits>e<exponent> with the sign: equal for equal values however they are written.
function canonical(text: string): string {
    const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
    assert.ok(match, `not a JSON number: ${text}`);
    const [, sign, int, frac = "", exp = "0"] = match;
    const all = int + frac;
    const significant = all.replace(/^0+/, "");
    if (significant === "" || /^0+$/.test(significant)) {
        return "0";
    }
    const leadingZeros = all.length - significant.length;
    const exponent = int.length - leadingZeros + Number(exp);
    return `${sign}0.${significant.replace(/0+$/, "")}e${exponent}`;
}

function losslessBody(result: APIGatewayProxyResult): Record<string, unknown> {
    return parse(result.body) as Record<string, unknown>;
}

/** Settles a promise now, so a rejection before a test awaits it is not unhandled. */
function settle<T>(promise: Promise<T>): Promise<() => T> {
    return promise.then(
        (value) => () => value,
        (error: unknown) => () => {
            throw error;
        },
    );
}

// ---- Scenarios with timers, in a child process started at load ----

const SCENARIOS = path.join(__dirname, "storeScenarios.ts");

/** Runs storeScenarios.ts in a child process, bounded to 30 s; resolves to what it printed. */
function runScenariosInChild(): Promise<ScenarioResults> {
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            ["-r", "ts-node/register", SCENARIOS],
            {
                cwd: path.join(__dirname, "..", ".."),
                encoding: "utf8",
                timeout: 30_000,
                killSignal: "SIGKILL",
                maxBuffer: 16 << 20,
            },
            (error, stdout, stderr) =>
                error
                    ? reject(new Error(`${SCENARIOS} failed (${error.message}):\n${stderr}`))
                    : resolve(JSON.parse(stdout) as ScenarioResults),
        );
    });
}

const scenarios = settle(runScenariosInChild());

// ---- Tests ----

describe("functions/api against DynamoDB on loopback", () => {
    let store: LocalStore;
    let handlerClient: LocalStore["client"];
    let api: ReturnType<typeof createApiHandler>;
    let logs: Logged[];

    function apiWith(deps: Partial<ApiDeps>) {
        return createApiHandler({
            client: handlerClient,
            tableName: TABLE,
            region: REGION,
            access: ACCESS,
            now: () => NOW,
            log: (level, entry) => logs.push({ level, entry }),
            ...deps,
        });
    }

    async function snapshot(): Promise<Record<string, AttributeValue>[]> {
        const { Items = [] } = await store.client.send(new ScanCommand({ TableName: TABLE }));
        return Items.sort((a, b) => (a.id.S ?? "").localeCompare(b.id.S ?? ""));
    }

    async function stored(id: string): Promise<Record<string, AttributeValue> | undefined> {
        const { Item } = await store.client.send(
            new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } } }),
        );
        return Item;
    }

    interface Refusal {
        label: string;
        event: APIGatewayProxyEvent;
        statusCode: number;
        message: string;
        headers?: Record<string, string>;
    }

    /** Runs refusals in parallel: each answer exact and leak-free, the table unchanged, no log. */
    async function refused(cases: Refusal[], target = api): Promise<void> {
        const before = await snapshot();
        const results = await Promise.all(cases.map((c) => target(c.event)));
        results.forEach((result, index) => {
            const c = cases[index];
            assert.deepEqual(
                {
                    case: c.label,
                    statusCode: result.statusCode,
                    headers: result.headers,
                    body: parsed(result),
                },
                {
                    case: c.label,
                    statusCode: c.statusCode,
                    headers: { ...BASE_HEADERS, ...c.headers },
                    body: { region: REGION, message: c.message },
                },
            );
            assertNoLeak(result);
        });
        assert.deepEqual(await snapshot(), before, "no data changed");
        assert.deepEqual(logs, [], "client errors are not logged");
    }

    /** PUT, then GET: both answer the item, numbers equal in value; nothing logged. */
    async function roundTrip(id: string, body: string, expected: Record<string, unknown>) {
        const put = await api(putEvent(id, body));
        assert.equal(put.statusCode, 200, put.body);
        assert.deepEqual(put.headers, BASE_HEADERS);
        assertNoLeak(put);
        const item = { ...expected, id, ...SERVER_FIELDS };
        assert.deepEqual(byValue(losslessBody(put)), byValue({ region: REGION, item }));
        const got = await api(getEvent(id));
        assert.equal(got.statusCode, 200, got.body);
        assert.deepEqual(got.headers, BASE_HEADERS);
        assertNoLeak(got);
        assert.deepEqual(byValue(losslessBody(got)), byValue({ region: REGION, item }));
        assert.deepEqual(logs, []);
        return { put, got };
    }

    before(async () => {
        store = await startLocalStore();
        handlerClient = localClient(store.endpoint, storeClientConfig());
        api = apiWith({});
    });
    after(async () => {
        handlerClient.destroy();
        await store.close();
    });
    beforeEach(async () => {
        logs = [];
        // A known item, so that "unchanged" means something for refused writes to p-1.
        await store.client.send(
            new PutItemCommand({
                TableName: TABLE,
                Item: { id: { S: "p-1" }, name: { S: "kettle" }, price: { N: "25.5" } },
            }),
        );
    });
    afterEach(() => {
        const text = JSON.stringify(logs);
        for (const secret of [TOKEN, OTHER_TOKEN, sha256Hex(TOKEN)]) {
            assert.ok(!text.includes(secret), "a token or its digest was logged");
        }
    });

    describe("routes and methods", () => {
        it("answers 405 with allow for other methods, before authentication", async () => {
            const methods = ["DELETE", "POST", "PATCH", "OPTIONS", "HEAD", "get", "TRACE"];
            await refused(
                methods.map((httpMethod) => ({
                    label: httpMethod,
                    event: apiEvent({ httpMethod, body: '{"a":1}' }),
                    statusCode: 405,
                    message: MESSAGES.methodNotAllowed,
                    headers: { allow: "GET, PUT" },
                })),
            );
        });

        it("answers 404 for another resource", async () => {
            await refused(
                ["/orders/{id}", "/{proxy+}", "/products", "/products/{id}/x", ""].map(
                    (resource) => ({
                        label: resource,
                        event: apiEvent({ resource, httpMethod: "PUT", body: "{}" }),
                        statusCode: 404,
                        message: MESSAGES.routeNotFound,
                    }),
                ),
            );
        });
    });

    describe("authentication", () => {
        const put = (headers: Partial<APIGatewayProxyEvent>) =>
            apiEvent({ httpMethod: "PUT", body: '{"name":"hacked"}', ...headers });
        const required = { "www-authenticate": "Bearer" };
        const invalid = { "www-authenticate": 'Bearer error="invalid_token"' };

        it("answers 401 to a write without a usable bearer token", async () => {
            const malformed = [
                "",
                "Bearer",
                "Bearer ",
                "Basic dXNlcjpwYXNz",
                "Token " + TOKEN,
                "Bearer a b",
                "Bearer t\u00f6ken",
                "Bearer tok,en",
                "Bearer =abc",
                "BearerX " + TOKEN,
                "Bearer\t" + TOKEN,
            ];
            await refused([
                {
                    label: "no header",
                    event: put({ headers: {}, multiValueHeaders: {} }),
                    statusCode: 401,
                    message: MESSAGES.authRequired,
                    headers: required,
                },
                {
                    label: "null header maps",
                    event: put({
                        headers: null as unknown as APIGatewayProxyEvent["headers"],
                        multiValueHeaders:
                            null as unknown as APIGatewayProxyEvent["multiValueHeaders"],
                    }),
                    statusCode: 401,
                    message: MESSAGES.authRequired,
                    headers: required,
                },
                ...malformed.map((value) => ({
                    label: JSON.stringify(value),
                    event: put(authHeaders(value)),
                    statusCode: 401,
                    message: MESSAGES.authRequired,
                    headers: required,
                })),
            ]);
        });

        it("answers 401 invalid_token to a wrong token, with no hint which part was wrong", async () => {
            await refused(
                [TOKEN.slice(0, -3), "x" + TOKEN, TOKEN.toUpperCase(), sha256Hex(TOKEN), "a"].map(
                    (token) => ({
                        label: token,
                        event: put(authHeaders(`Bearer ${token}`)),
                        statusCode: 401,
                        message: MESSAGES.invalidToken,
                        headers: invalid,
                    }),
                ),
            );
        });

        it("answers 400 to more than one Authorization header, however spelled", async () => {
            const bearer = `Bearer ${TOKEN}`;
            await refused(
                [
                    { multiValueHeaders: { Authorization: [bearer, bearer] } },
                    { headers: { Authorization: bearer, authorization: bearer } },
                    {
                        headers: { authorization: bearer },
                        multiValueHeaders: { Authorization: [bearer], authorization: [bearer] },
                    },
                ].map((headers, index) => ({
                    label: `duplicate ${index}`,
                    event: put({ headers: {}, multiValueHeaders: {}, ...headers }),
                    statusCode: 400,
                    message: MESSAGES.oneHeader,
                })),
            );
        });

        it("accepts any spelling of the header and scheme, and every configured token", async () => {
            const events = [
                authHeaders(`Bearer ${TOKEN}`, "authorization"),
                authHeaders(`bearer ${TOKEN}`, "AUTHORIZATION"),
                authHeaders(`BEARER   ${TOKEN}  `, "AuThOrIzAtIoN"),
                authHeaders(`Bearer ${OTHER_TOKEN}`),
                { headers: { Authorization: `Bearer ${TOKEN}` }, multiValueHeaders: null },
            ];
            for (const [index, headers] of events.entries()) {
                const result = await api(
                    put({ ...(headers as Partial<APIGatewayProxyEvent>), body: `{"n":${index}}` }),
                );
                assert.equal(result.statusCode, 200, result.body);
                assert.deepEqual(
                    byValue(losslessBody(result)),
                    byValue({
                        region: REGION,
                        item: { n: parse(String(index)), id: "p-1", ...SERVER_FIELDS },
                    }),
                );
            }
        });

        it("answers 403 to writes when no token is configured, whatever is sent", async () => {
            const closed = apiWith({ access: { tokenDigests: [], publicReads: true } });
            await refused(
                [
                    put(authHeaders(`Bearer ${TOKEN}`)),
                    put({}),
                    put({ multiValueHeaders: { Authorization: ["Bearer a", "Bearer b"] } }),
                ].map((event, index) => ({
                    label: `closed ${index}`,
                    event,
                    statusCode: 403,
                    message: MESSAGES.writesDisabled,
                })),
                closed,
            );
            // Public reads still work, and ignore whatever Authorization header came along.
            for (const headers of [{}, authHeaders("Bearer wrong"), authHeaders("garbage")]) {
                const result = await closed(apiEvent(headers));
                assert.equal(result.statusCode, 200);
                assert.deepEqual(
                    byValue(losslessBody(result)),
                    byValue({
                        region: REGION,
                        item: { id: "p-1", name: "kettle", price: parse("25.5") },
                    }),
                );
            }
        });

        it("requires a token for reads when reads are not public", async () => {
            const privateApi = apiWith({ access: { ...ACCESS, publicReads: false } });
            await refused(
                [
                    {
                        label: "none",
                        event: getEvent("p-1", null),
                        statusCode: 401,
                        message: MESSAGES.authRequired,
                        headers: required,
                    },
                    {
                        label: "wrong",
                        event: getEvent("p-1", "nope"),
                        statusCode: 401,
                        message: MESSAGES.invalidToken,
                        headers: invalid,
                    },
                ],
                privateApi,
            );
            assert.equal((await privateApi(getEvent("p-1"))).statusCode, 200);
            const closed = apiWith({ access: { tokenDigests: [], publicReads: false } });
            await refused(
                [
                    {
                        label: "closed",
                        event: getEvent("p-1"),
                        statusCode: 403,
                        message: MESSAGES.readsDisabled,
                    },
                ],
                closed,
            );
        });

        it("checks the route and method before the token, and the token before the id and body", async () => {
            await refused([
                {
                    label: "405 first",
                    event: apiEvent({ httpMethod: "DELETE", pathParameters: { id: "../x" } }),
                    statusCode: 405,
                    message: MESSAGES.methodNotAllowed,
                    headers: { allow: "GET, PUT" },
                },
                {
                    label: "401 before id",
                    event: apiEvent({
                        httpMethod: "PUT",
                        pathParameters: { id: "../x" },
                        body: "not json",
                    }),
                    statusCode: 401,
                    message: MESSAGES.authRequired,
                    headers: required,
                },
                {
                    label: "id before body",
                    event: putEvent("../x", "not json"),
                    statusCode: 400,
                    message: MESSAGES.invalidId,
                },
            ]);
        });
    });

    describe("ids", () => {
        it("answers 400 to hostile ids on GET and PUT", async () => {
            const invalid = [
                "../etc/passwd",
                "a/b",
                "a b",
                "%2e%2e",
                "a\u0000b",
                "caf\u00e9",
                "x'OR'1'='1",
                "${jndi:ldap://x}",
                "a.b",
                "\ud800",
                "a".repeat(65),
                " p-1",
                "p-1\n",
            ];
            const cases: Refusal[] = [];
            for (const id of invalid) {
                cases.push(
                    {
                        label: `GET ${id}`,
                        event: getEvent(id),
                        statusCode: 400,
                        message: MESSAGES.invalidId,
                    },
                    {
                        label: `PUT ${id}`,
                        event: putEvent(id, "{}"),
                        statusCode: 400,
                        message: MESSAGES.invalidId,
                    },
                );
            }
            for (const id of ["__health__", "__", "__x"]) {
                cases.push(
                    {
                        label: `GET ${id}`,
                        event: getEvent(id),
                        statusCode: 400,
                        message: MESSAGES.reservedId,
                    },
                    {
                        label: `PUT ${id}`,
                        event: putEvent(id, "{}"),
                        statusCode: 400,
                        message: MESSAGES.reservedId,
                    },
                );
            }
            cases.push(
                {
                    label: "empty",
                    event: getEvent(""),
                    statusCode: 400,
                    message: MESSAGES.missingId,
                },
                {
                    label: "no path parameters",
                    event: { ...putEvent("x", "{}"), pathParameters: null },
                    statusCode: 400,
                    message: MESSAGES.missingId,
                },
            );
            await refused(cases);
        });

        it("serves the longest id and a single leading underscore", async () => {
            for (const id of ["a".repeat(64), "_x", "A-Z_0-9"]) {
                await roundTrip(id, '{"ok":true}', { ok: true });
            }
            const missing = await api(getEvent("never-written"));
            assert.equal(missing.statusCode, 404);
            assert.deepEqual(parsed(missing), { region: REGION, message: MESSAGES.notFound });
        });
    });

    describe("bodies", () => {
        const cases = (statusCode: number, entries: [string, string | null, string][]) =>
            entries.map(([label, body, message]) => ({
                label,
                event: putEvent("p-1", body),
                statusCode,
                message,
            }));

        it("refuses bodies that are missing, not JSON, or not an object", async () => {
            await refused([
                ...cases(400, [
                    ["null", null, MESSAGES.bodyRequired],
                    ["empty", "", MESSAGES.bodyRequired],
                    ["unquoted", "{name:1}", MESSAGES.notJson],
                    ["single quotes", "{'a':1}", MESSAGES.notJson],
                    ["trailing comma", '{"a":1,}', MESSAGES.notJson],
                    ["leading zero", '{"a":01}', MESSAGES.notJson],
                    ["NaN", '{"a":NaN}', MESSAGES.notJson],
                    ["Infinity", '{"a":-Infinity}', MESSAGES.notJson],
                    ["hex", '{"a":0x10}', MESSAGES.notJson],
                    ["comment", '{"a":1 /* c */}', MESSAGES.notJson],
                    ["BOM", '\ufeff{"a":1}', MESSAGES.notJson],
                    ["two values", '{"a":1}{"b":2}', MESSAGES.notJson],
                    ["truncated", '{"a":[1,2', MESSAGES.notJson],
                    ["control char", '{"a":"x\u0001"}', MESSAGES.notJson],
                    ["bad escape", '{"a":"\\x41"}', MESSAGES.notJson],
                    ["array", "[]", MESSAGES.notObject],
                    ["null literal", "null", MESSAGES.notObject],
                    ["number", "42", MESSAGES.notObject],
                    ["big number", "123456789012345678901234567890", MESSAGES.notObject],
                    ["string", '"text"', MESSAGES.notObject],
                    ["true", "true", MESSAGES.notObject],
                ]),
            ]);
        });

        it("refuses numbers DynamoDB cannot hold exactly, naming where", async () => {
            await refused(
                cases(400, [
                    ["1e126", '{"n":1e126}', MESSAGES.number("/n")],
                    ["-1E+126", '{"n":-1E+126}', MESSAGES.number("/n")],
                    ["10E125", '{"n":10E125}', MESSAGES.number("/n")],
                    ["1e-131", '{"n":1e-131}', MESSAGES.number("/n")],
                    ["0.1e-130", '{"n":0.1e-130}', MESSAGES.number("/n")],
                    [
                        "39 digits",
                        '{"n":123456789012345678901234567890123456789}',
                        MESSAGES.number("/n"),
                    ],
                    [
                        "39 digits, decimal",
                        '{"n":1.23456789012345678901234567890123456789}',
                        MESSAGES.number("/n"),
                    ],
                    ["huge exponent", '{"n":1e99999999999999999999}', MESSAGES.number("/n")],
                    ["tiny exponent", '{"n":-1e-99999999999999999999}', MESSAGES.number("/n")],
                    ["in a list", '{"a":[1,2,{"b":1e200}]}', MESSAGES.number("/a/2/b")],
                    ["in a map", '{"price":{"amount":1e-200}}', MESSAGES.number("/price/amount")],
                    ["escaped key", '{"a/b~c":1e999}', MESSAGES.number("/a~1b~0c")],
                ]),
            );
        });

        it("refuses keys the store or the SDK would alter, naming where", async () => {
            await refused(
                cases(400, [
                    ["__proto__", '{"__proto__":{"admin":true}}', MESSAGES.proto("/__proto__")],
                    ["nested __proto__", '{"a":{"__proto__":1}}', MESSAGES.proto("/a/__proto__")],
                    [
                        "__proto__ in a list",
                        '{"a":[{"__proto__":null}]}',
                        MESSAGES.proto("/a/0/__proto__"),
                    ],
                    ["escaped __proto__", '{"\\u005f_proto__":1}', MESSAGES.proto("/__proto__")],
                    ["empty key", '{"":1}', MESSAGES.emptyKey("/")],
                    ["nested empty key", '{"a":{"":1}}', MESSAGES.emptyKey("/a/")],
                    ["duplicate", '{"a":1,"a":2}', MESSAGES.duplicate("/a")],
                    ["equal duplicate", '{"a":1,"a":1}', MESSAGES.duplicate("/a")],
                    ["nested duplicate", '{"m":{"x":true,"x":true}}', MESSAGES.duplicate("/m/x")],
                    ["escaped duplicate", '{"a":1,"\\u0061":1}', MESSAGES.duplicate("/a")],
                    ["duplicate in list", '{"l":[0,{"k":1,"k":2}]}', MESSAGES.duplicate("/l/1/k")],
                    ["lone high surrogate", '{"s":"\\ud800"}', MESSAGES.surrogateString("/s")],
                    ["lone low surrogate", '{"s":"a\\udc00b"}', MESSAGES.surrogateString("/s")],
                    ["reversed pair", '{"l":["\\ude00\\ud83d"]}', MESSAGES.surrogateString("/l/0")],
                    ["surrogate key", '{"k\\ud800":1}', MESSAGES.surrogateKey("/k\ud800")],
                ]),
            );
        });

        it("refuses nesting deeper than 32 levels without overflowing the parser", async () => {
            const objects = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
            const deepArray = '{"a":' + "[".repeat(8000) + "]".repeat(8000) + "}";
            await refused(
                cases(400, [
                    ["33 maps", objects(33), MESSAGES.tooDeep("/a".repeat(33))],
                    ["8000 lists", deepArray, MESSAGES.tooDeep("/a" + "/0".repeat(32))],
                    [
                        "8000 lists at the root",
                        "[".repeat(8000) + "]".repeat(8000),
                        MESSAGES.tooDeep("/0".repeat(33)),
                    ],
                    [
                        "string leaf",
                        '{"a":' + "[".repeat(32) + '"s"' + "]".repeat(32) + "}",
                        MESSAGES.tooDeep("/a" + "/0".repeat(32)),
                    ],
                ]),
            );
            const deepest = objects(32);
            const expected = JSON.parse(deepest) as Record<string, unknown>;
            await roundTrip("deep", deepest, expected);
        });

        it("refuses server-set fields, a different id and the read-only tag forms", async () => {
            await refused(
                cases(400, [
                    [
                        "updatedAt",
                        '{"updatedAt":"2000-01-01T00:00:00.000Z"}',
                        MESSAGES.serverField("updatedAt"),
                    ],
                    [
                        "updatedInRegion",
                        '{"a":1,"updatedInRegion":"mars-1"}',
                        MESSAGES.serverField("updatedInRegion"),
                    ],
                    ["other id", '{"id":"p-2"}', MESSAGES.idMismatch],
                    ["numeric id", '{"id":1}', MESSAGES.idMismatch],
                    ["null id", '{"id":null}', MESSAGES.idMismatch],
                    ["$binary", '{"img":{"$binary":"AAEC"}}', MESSAGES.tag("/img")],
                    ["$stringSet", '{"l":[{"$stringSet":["a"]}]}', MESSAGES.tag("/l/0")],
                    ["$numberSet", '{"m":{"x":{"$numberSet":[1]}}}', MESSAGES.tag("/m/x")],
                    ["$binarySet", '{"x":{"$binarySet":[]}}', MESSAGES.tag("/x")],
                ]),
            );
        });

        it("refuses bad encodings and sizes", async () => {
            const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString("base64");
            const encoded = (label: string, body: string, statusCode: number, message: string) => ({
                label,
                event: putEvent("p-1", body, { base64: true }),
                statusCode,
                message,
            });
            const exact = '{"a":"' + "x".repeat(MAX_BODY_BYTES - 8) + '"}';
            await refused([
                encoded("not base64", "not base64!", 400, MESSAGES.notBase64),
                encoded("missing padding", "eyJhIjoxfQ", 400, MESSAGES.notBase64),
                encoded("line break", "eyJhIjoxfQ==\n", 400, MESSAGES.notBase64),
                encoded("non-canonical bits", "eyJhIjoxfR==", 400, MESSAGES.notBase64),
                encoded(
                    "url-safe alphabet",
                    b64('{"a":"\u00fe\u00ff"}').replace(/\+/g, "-").replace(/\//g, "_") + "-",
                    400,
                    MESSAGES.notBase64,
                ),
                encoded(
                    "invalid UTF-8",
                    b64(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
                    400,
                    MESSAGES.notUtf8,
                ),
                encoded(
                    "overlong UTF-8",
                    b64(Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x7d])),
                    400,
                    MESSAGES.notUtf8,
                ),
                encoded(
                    "encoded surrogate",
                    b64(
                        Buffer.from([
                            0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d,
                        ]),
                    ),
                    400,
                    MESSAGES.notUtf8,
                ),
                encoded(
                    "UTF-8 BOM",
                    b64(Buffer.from('\ufeff{"a":1}', "utf8")),
                    400,
                    MESSAGES.notJson,
                ),
                encoded("UTF-16", b64(Buffer.from('{"a":1}', "utf16le")), 400, MESSAGES.notJson),
                encoded("empty", "", 400, MESSAGES.bodyRequired),
                encoded("one byte over", b64(exact.replace('"a"', '"ab"')), 413, MESSAGES.tooLarge),
                ...cases(413, [
                    ["one byte over", exact.replace('"a"', '"ab"'), MESSAGES.tooLarge],
                    [
                        "bytes, not characters",
                        JSON.stringify({ name: "\u00e9".repeat(8200) }),
                        MESSAGES.tooLarge,
                    ],
                ]),
            ]);
            await roundTrip("exact", exact, { a: "x".repeat(MAX_BODY_BYTES - 8) });
            const viaBase64 = await api(putEvent("b64", b64(exact), { base64: true }));
            assert.equal(viaBase64.statusCode, 200);
            assert.deepEqual(await stored("b64"), {
                id: { S: "b64" },
                a: { S: "x".repeat(MAX_BODY_BYTES - 8) },
                updatedAt: { S: SERVER_FIELDS.updatedAt },
                updatedInRegion: { S: REGION },
            });
        });
    });

    describe("round trips", () => {
        it("stores and reads back every JSON shape the API accepts", async () => {
            const body = {
                name: "kettle \u2615 \u00e9\u0301 \u05e9\u05dc\u05d5\u05dd \ud83d\ude00 \u4e2d\u6587",
                control: "line\nbreak\ttab \u0000 nul \u2028",
                empty: "",
                yes: true,
                no: false,
                nothing: null,
                list: [1, "two", [3, [4]], { five: 5 }, null, false, "", [], {}],
                map: { nested: { deeper: { deepest: "x" } } },
                emptyList: [],
                emptyMap: {},
                "key with / and ~": 1,
                "\u00fcml\u00e4ut": "\u00fc",
                constructor: "c",
                prototype: { toString: "t" },
                $binary: "a top-level attribute, not a tag",
                twoKeys: { $binary: "AAEC", other: 1 },
                dollar: { $other: 1 },
                id: "rt",
            };
            const text = JSON.stringify(body);
            const expected = JSON.parse(text) as Record<string, unknown>;
            delete expected.id;
            await roundTrip("rt", text, { id: "rt", ...expected });
        });

        it("keeps numbers exact: beyond 2^53, 38 digits, the extremes, and value-equal forms", async () => {
            const numbers = [
                ["beyond2to53", "9007199254740993"],
                ["negative", "-9007199254740993"],
                ["digits38", "12345678901234567890123456789012345678"],
                ["decimal38", "0.12345678901234567890123456789012345678"],
                ["decimal38b", "1234567890123456789.0123456789012345678"],
                ["max", "9.9999999999999999999999999999999999999E+125"],
                ["min", "1E-130"],
                ["negativeMin", "-1e-130"],
                ["zero", "0"],
                ["negativeZero", "-0"],
                ["zeroExponent", "0e999999"],
                ["trailingZeros", "1.50"],
                ["leadingZeroFraction", "0.000001"],
                ["exponent", "2.5E+3"],
                ["manyZeros", "100000000000000000000000000000000000000000000000000"],
                ["float", "0.1"],
            ];
            const text = `{${numbers.map(([k, v]) => `"${k}":${v}`).join(",")}}`;
            const { put, got } = await roundTrip(
                "numbers",
                text,
                parse(text) as Record<string, unknown>,
            );
            // The PUT answers each number exactly as sent; the GET has DynamoDB's exact digits.
            for (const [key, value] of numbers) {
                assert.ok(put.body.includes(`"${key}":${value}`), `${key}:${value} in ${put.body}`);
            }
            for (const digits of [
                "9007199254740993",
                "12345678901234567890123456789012345678",
                "0.12345678901234567890123456789012345678",
                "1234567890123456789.0123456789012345678",
            ]) {
                assert.ok(got.body.includes(`:${digits}`), `${digits} in ${got.body}`);
            }
            const item = await stored("numbers");
            assert.equal(item?.beyond2to53.N, "9007199254740993");
            assert.equal(item?.trailingZeros.N, "1.5");
        });
    });

    describe("items written by another writer", () => {
        it("reads every attribute type in its documented JSON form", async () => {
            const bytes = Uint8Array.from([0, 1, 2, 253, 254, 255]);
            await store.client.send(
                new PutItemCommand({
                    TableName: TABLE,
                    Item: {
                        id: { S: "foreign" },
                        big: { N: "123456789012345678901234567890123" },
                        dec: { N: "-0.12345678901234567890123456789012345678" },
                        tiny: { N: "1E-130" },
                        b: { B: bytes },
                        emptyB: { B: new Uint8Array(0) },
                        ss: { SS: ["a", "b \ud83d\ude00"] },
                        ns: { NS: ["1", "98765432109876543210987654321", "-2.5"] },
                        bs: { BS: [bytes, Uint8Array.from([42])] },
                        nul: { NULL: true },
                        t: { BOOL: true },
                        m: {
                            M: {
                                l: {
                                    L: [
                                        { NULL: true },
                                        { BOOL: false },
                                        { M: {} },
                                        { L: [] },
                                        { N: "7" },
                                    ],
                                },
                                inner: { M: { s: { S: "" }, b: { B: bytes } } },
                            },
                        },
                    },
                }),
            );
            const result = await api(getEvent("foreign"));
            assert.equal(result.statusCode, 200);
            assertNoLeak(result);
            const { item } = losslessBody(result) as { item: Record<string, unknown> };
            const sets = item as {
                ss: { $stringSet: string[] };
                ns: { $numberSet: LosslessNumber[] };
                bs: { $binarySet: string[] };
            };
            sets.ss.$stringSet.sort();
            sets.bs.$binarySet.sort();
            sets.ns.$numberSet.sort((a, b) => (a.value < b.value ? -1 : 1));
            const n = (text: string) => parse(text);
            assert.deepEqual(item, {
                id: "foreign",
                big: n("123456789012345678901234567890123"),
                dec: n("-0.12345678901234567890123456789012345678"),
                tiny: n(`0.${"0".repeat(129)}1`),
                b: { $binary: "AAEC/f7/" },
                emptyB: { $binary: "" },
                ss: { $stringSet: ["a", "b \ud83d\ude00"] },
                ns: { $numberSet: [n("-2.5"), n("1"), n("98765432109876543210987654321")] },
                bs: { $binarySet: ["AAEC/f7/", "Kg=="] },
                nul: null,
                t: true,
                m: {
                    l: [null, false, {}, [], n("7")],
                    inner: { s: "", b: { $binary: "AAEC/f7/" } },
                },
            });
            // The exact digits are in the answer text.
            assert.ok(result.body.includes('"big":123456789012345678901234567890123'));
        });
    });

    describe("concurrent writes", () => {
        it("keeps one whole write per id: last writer wins, nothing lost or mixed", async () => {
            const bodies = Array.from({ length: 16 }, (_, i) => ({
                writer: i,
                payload: String(i).repeat(200 + i),
                nested: { writer: i, list: [i, i + 1] },
            }));
            const results = await Promise.all([
                ...bodies.map((body) => api(putEvent("contended", JSON.stringify(body)))),
                ...bodies.map((body, i) => api(putEvent(`own-${i}`, JSON.stringify(body)))),
            ]);
            for (const result of results) {
                assert.equal(result.statusCode, 200, result.body);
            }
            const { item } = parsed(await api(getEvent("contended"))) as {
                item: { writer: number };
            };
            assert.deepEqual(item, { ...bodies[item.writer], id: "contended", ...SERVER_FIELDS });
            await Promise.all(
                bodies.map(async (body, i) => {
                    const got = parsed(await api(getEvent(`own-${i}`)));
                    assert.deepEqual(got, {
                        region: REGION,
                        item: { ...body, id: `own-${i}`, ...SERVER_FIELDS },
                    });
                }),
            );
        });
    });

    describe("store errors", () => {
        it("answers 400 without SDK text when the store refuses the item, 500 on a refused read", async () => {
            // A table whose key is not `id`: the store refuses both calls with a ValidationException.
            await store.client.send(
                new CreateTableCommand({
                    TableName: "wrong-key",
                    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
                    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
                    BillingMode: "PAY_PER_REQUEST",
                }),
            );
            const wrong = apiWith({ tableName: "wrong-key" });
            const put = await wrong(putEvent("p-1", '{"a":1}'));
            assert.equal(put.statusCode, 400);
            assert.deepEqual(put.headers, BASE_HEADERS);
            assert.deepEqual(parsed(put), { region: REGION, message: MESSAGES.storeRefused });
            assertNoLeak(put, ["wrong-key"]);
            const get = await wrong(getEvent("p-1"));
            assert.equal(get.statusCode, 500);
            assert.deepEqual(parsed(get), { region: REGION, message: MESSAGES.internal });
            assertNoLeak(get, ["wrong-key"]);
            assert.deepEqual(
                logs.map(({ level, entry }) => [
                    level,
                    entry.msg,
                    entry.operation,
                    (entry.error as { name: string }).name,
                    "message" in (entry.error as object),
                ]),
                [
                    ["warn", "store refused the item", "PutItem", "ValidationException", false],
                    [
                        "error",
                        "store refused a read by key",
                        "GetItem",
                        "ValidationException",
                        false,
                    ],
                ],
            );
        });

        it("answers 503 with retry-after when the table does not exist", async () => {
            const missing = apiWith({ tableName: "no-such-table" });
            for (const event of [getEvent("p-1"), putEvent("p-1", '{"a":1}')]) {
                const result = await missing(event);
                assert.equal(result.statusCode, 503);
                assert.deepEqual(result.headers, RETRY_HEADERS);
                assert.deepEqual(parsed(result), UNAVAILABLE);
                assertNoLeak(result, ["no-such-table"]);
            }
            assert.deepEqual(
                logs.map(({ level, entry }) => [
                    level,
                    entry.msg,
                    entry.apiRequestId,
                    entry.id,
                    (entry.error as { name: string }).name,
                ]),
                [
                    [
                        "warn",
                        "store call failed",
                        API_REQUEST_ID,
                        "p-1",
                        "ResourceNotFoundException",
                    ],
                    [
                        "warn",
                        "store call failed",
                        API_REQUEST_ID,
                        "p-1",
                        "ResourceNotFoundException",
                    ],
                ],
            );
        });

        it("answers 503 with retry-after while the store is down, and serves again once it is back", async () => {
            const run = (await scenarios)().restart;
            assert.equal(run.before.statusCode, 200);
            for (const result of run.down) {
                assert.equal(result.statusCode, 503);
                assert.deepEqual(result.headers, RETRY_HEADERS);
                assert.deepEqual(parsed(result), UNAVAILABLE);
                assertNoLeak(result);
            }
            assert.deepEqual(
                run.downLogs.map(({ level, entry }) => {
                    const error = entry.error as { code?: string; attempts?: number };
                    return [level, entry.msg, error.code, error.attempts];
                }),
                [
                    ["warn", "store call failed", "ECONNREFUSED", STORE_MAX_ATTEMPTS],
                    ["warn", "store call failed", "ECONNREFUSED", STORE_MAX_ATTEMPTS],
                ],
            );
            assert.equal(run.missing.statusCode, 404);
            assert.equal(run.put.statusCode, 200);
            assert.deepEqual(parsed(run.got), {
                region: REGION,
                item: { v: 3, id: "p-1", ...SERVER_FIELDS },
            });
            assert.deepEqual(run.after, []);
        });

        it("answers 503 with retry-after within the budget when the store never answers", async () => {
            assert.deepEqual(
                [
                    STORE_CONNECT_TIMEOUT_MS,
                    STORE_REQUEST_TIMEOUT_MS,
                    STORE_MAX_ATTEMPTS,
                    STORE_DEADLINE_MS,
                    API_FUNCTION_TIMEOUT_SECONDS,
                ],
                [500, 1000, 2, 2500, 5],
            );
            const { production, injectedGet, injectedPut, health } = (await scenarios)();
            for (const { result } of [production, injectedGet, injectedPut]) {
                assert.equal(result.statusCode, 503);
                assert.deepEqual(result.headers, RETRY_HEADERS);
                assert.deepEqual(parsed(result), UNAVAILABLE);
                assertNoLeak(result);
            }
            // Production settings: the silent store never answers, so only the SDK's request
            // timeout can end the first attempt, and a second connection proves it did (and that
            // the SDK retried). Unloaded, the second attempt's timeout answers too (about 2.05 s);
            // on a loaded machine the 2.5 s deadline may cut it first. Either way: a 503 well
            // before the function's own timeout.
            assert.equal(production.connections, STORE_MAX_ATTEMPTS);
            assert.ok(
                production.ms >= STORE_MAX_ATTEMPTS * STORE_REQUEST_TIMEOUT_MS - 50,
                `${production.ms} ms`,
            );
            assert.ok(production.ms < API_FUNCTION_TIMEOUT_SECONDS * 1000, `${production.ms} ms`);
            assert.equal(production.logs.length, 1);
            const [{ level, entry }] = production.logs;
            assert.deepEqual(
                [level, entry.msg, entry.deadlineMs ?? (entry.error as { name: string }).name],
                entry.msg === "store call timed out"
                    ? ["warn", "store call timed out", STORE_DEADLINE_MS]
                    : ["warn", "store call failed", "TimeoutError"],
            );
            // Injected deadline, SDK timeouts off (the request would wait for ever): the deadline
            // alone answers, whether or not the first request of a new client got as far as the
            // connection by then.
            for (const run of [injectedGet, injectedPut]) {
                assert.ok(run.ms >= INJECTED_DEADLINE_MS - 5, `${run.ms} ms`);
                assert.ok(run.ms < STORE_DEADLINE_MS, `${run.ms} ms`);
                assert.ok(run.connections <= 1, `${run.connections} connections`);
                assert.deepEqual(
                    run.logs.map(({ level, entry }) => [level, entry.msg, entry.deadlineMs]),
                    [["warn", "store call timed out", INJECTED_DEADLINE_MS]],
                );
            }
            // The health check with its production settings: unhealthy within its 1 s budget.
            assert.equal(health.result.statusCode, 503);
            assert.deepEqual(parsed(health.result), { region: REGION, status: "unavailable" });
            assert.ok(health.ms >= HEALTH_TIMEOUT_MS - 50, `${health.ms} ms`);
            assert.ok(health.ms < 2000, `${health.ms} ms, over Route 53's 2 s`);
            assert.equal(health.logs.length, 1);
            assert.equal(health.logs[0].level, "warn");
        });
    });

    describe("handler (from the environment)", () => {
        const names = [
            "TABLE_NAME",
            "ACCESS_TOKEN_SHA256",
            "PUBLIC_READS",
            "AWS_REGION",
            "AWS_ENDPOINT_URL_DYNAMODB",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
        ];
        const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
        const configure = (values: Record<string, string | undefined>) => {
            for (const name of names) {
                const value = values[name];
                if (value === undefined) {
                    delete process.env[name];
                } else {
                    process.env[name] = value;
                }
            }
        };
        let captured: ReturnType<typeof captureLogs>;
        beforeEach(() => {
            captured = captureLogs();
        });
        afterEach(() => {
            captured.restore();
            configure(saved);
        });

        const good = () => ({
            TABLE_NAME: TABLE,
            ACCESS_TOKEN_SHA256: `${sha256Hex(OTHER_TOKEN)},${sha256Hex(TOKEN)}`,
            PUBLIC_READS: "false",
            AWS_REGION: REGION,
            AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
            AWS_ACCESS_KEY_ID: "test",
            AWS_SECRET_ACCESS_KEY: "test",
        });

        it("answers 500 internal error and logs the variable when misconfigured", async () => {
            const bad: [Record<string, string | undefined>, string[]][] = [
                [{ TABLE_NAME: undefined }, ["TABLE_NAME"]],
                [{ TABLE_NAME: "" }, ["TABLE_NAME"]],
                [{ PUBLIC_READS: "yes" }, ["PUBLIC_READS"]],
                [{ PUBLIC_READS: "" }, ["PUBLIC_READS"]],
                [{ PUBLIC_READS: "TRUE" }, ["PUBLIC_READS"]],
                [{ ACCESS_TOKEN_SHA256: sha256Hex(TOKEN).toUpperCase() }, ["ACCESS_TOKEN_SHA256"]],
                [{ ACCESS_TOKEN_SHA256: `${sha256Hex(TOKEN)},` }, ["ACCESS_TOKEN_SHA256"]],
                [
                    { ACCESS_TOKEN_SHA256: `${sha256Hex(TOKEN)}, ${sha256Hex(OTHER_TOKEN)}` },
                    ["ACCESS_TOKEN_SHA256"],
                ],
                [{ ACCESS_TOKEN_SHA256: TOKEN }, ["ACCESS_TOKEN_SHA256"]],
                [
                    { ACCESS_TOKEN_SHA256: "x", PUBLIC_READS: "no", TABLE_NAME: "" },
                    ["ACCESS_TOKEN_SHA256", "PUBLIC_READS", "TABLE_NAME"],
                ],
            ];
            for (const [values, variables] of bad) {
                configure({ ...good(), ...values });
                captured.calls.length = 0;
                const result = await handler(putEvent("p-1", '{"a":1}'));
                assert.equal(result.statusCode, 500);
                assert.deepEqual(result.headers, BASE_HEADERS);
                assert.deepEqual(parsed(result), { region: REGION, message: MESSAGES.internal });
                assertNoLeak(result);
                assert.deepEqual(
                    captured.calls.map(({ level, args }) => [
                        level,
                        args.length,
                        (args[0] as LogEntry).msg,
                        (args[0] as LogEntry).variable,
                        (args[0] as LogEntry).apiRequestId,
                    ]),
                    variables.map((variable) => [
                        "error",
                        1,
                        "function misconfigured",
                        variable,
                        API_REQUEST_ID,
                    ]),
                );
                assert.ok(!JSON.stringify(captured.calls).includes(TOKEN));
            }
        });

        it("serves from its environment: private reads, rotated tokens, the production client", async () => {
            configure(good());
            assert.equal((await handler(getEvent("p-1", null))).statusCode, 401);
            const put = await handler(
                putEvent("env", '{"n":12345678901234567890}', { token: OTHER_TOKEN }),
            );
            assert.equal(put.statusCode, 200, put.body);
            const got = await handler(getEvent("env"));
            assert.equal(got.statusCode, 200);
            assert.match(got.body, /"n":12345678901234567890[,}]/);
            assert.deepEqual(captured.calls, []);
        });
    });
});
