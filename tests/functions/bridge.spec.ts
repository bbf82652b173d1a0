// Derived-metric bridge handler: one GetMetricData call per run for the minute two minutes back,
// the values it publishes (measured, no traffic, low traffic), what it refuses to publish (partial
// answers), and CloudWatch failing: mocked by aws-sdk-client-mock, and for the SDK's own retries,
// a loopback server that throttles every request.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
    CloudWatchClient,
    GetMetricDataCommand,
    PutMetricDataCommand,
    type GetMetricDataCommandOutput,
    type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import {
    bridgeClientConfig,
    bridgeConfigFromEnv,
    createBridgeHandler,
    handler,
    minuteRead,
    CALL_TIMEOUT_MS,
    CONNECT_TIMEOUT_MS,
    MINUTES_BACK,
    SIGNAL_UNITS,
    type BridgeConfig,
    type BridgeDeps,
    type BridgeSignal,
} from "../../functions/bridge";
import type { LogEntry, LogLevel } from "../../functions/shared/log";
import { captureLogs } from "./helpers";

const REGION = "us-east-1";
const SERVICE = "api.example.com";
const NAMESPACE = "MultiRegionApi/Derived";
const API = "use1-api";
const STAGE = "live";
/** The run's clock, and the minute it reads: the one that began two minutes before 03:04. */
const NOW = Date.parse("2030-01-02T03:04:05.678Z");
const MINUTE = new Date("2030-01-02T03:02:00.000Z");
const MINUTE_END = new Date("2030-01-02T03:03:00.000Z");

const latency = (minimumRequests = 50): BridgeSignal => ({
    kind: "latency-p99",
    metricName: "LatencyP99Ms",
    minimumRequests,
});
const errorRate = (minimumRequests = 50): BridgeSignal => ({
    kind: "error-rate",
    metricName: "ErrorRatePercent",
    minimumRequests,
});

const config = (...signals: BridgeSignal[]): BridgeConfig => ({
    namespace: NAMESPACE,
    service: SERVICE,
    apiName: API,
    stage: STAGE,
    signals,
});
const BOTH = config(latency(), errorRate());

/** The query of one API Gateway metric, per minute, for the stage. */
const metricQuery = (id: string, metricName: string, stat: string) => ({
    Id: id,
    MetricStat: {
        Metric: {
            Namespace: "AWS/ApiGateway",
            MetricName: metricName,
            Dimensions: [
                { Name: "ApiName", Value: API },
                { Name: "Stage", Value: STAGE },
            ],
        },
        Period: 60,
        Stat: stat,
    },
    ReturnData: true,
});
const REQUESTS = metricQuery("requests", "Count", "Sum");
const LATENCY = metricQuery("latency", "Latency", "p99");
const ERRORS = metricQuery("errors", "5XXError", "Sum");
const ERROR_RATE = {
    Id: "errorRate",
    Expression: "100 * errors / requests",
    Label: "5XX error rate, percent",
    ReturnData: true,
};

/** One query's result: a value at `at` (the minute read, unless told), or no datapoint. */
function result(
    id: string,
    value?: number,
    status: MetricDataResult["StatusCode"] = "Complete",
    at: Date = MINUTE,
): MetricDataResult {
    return {
        Id: id,
        Label: id,
        Timestamps: value === undefined ? [] : [at],
        Values: value === undefined ? [] : [value],
        StatusCode: status,
    };
}

/** A complete answer with these values (absent: no datapoint). */
function answer(values: {
    requests?: number;
    latency?: number;
    errors?: number;
    errorRate?: number;
}): GetMetricDataCommandOutput {
    return {
        MetricDataResults: [
            result("requests", values.requests),
            result("latency", values.latency),
            result("errors", values.errors),
            result("errorRate", values.errorRate),
        ],
        Messages: [],
        $metadata: {},
    };
}

/** The datum published for one signal: the minute's timestamp, standard resolution. */
const datum = (metricName: string, value: number, unit: "Milliseconds" | "Percent") => ({
    MetricName: metricName,
    Dimensions: [
        { Name: "Service", Value: SERVICE },
        { Name: "Region", Value: REGION },
    ],
    Timestamp: MINUTE,
    Value: value,
    Unit: unit,
    StorageResolution: 60,
});

describe("functions/bridge", () => {
    // Only this instance is mocked: other specs' clients talk to real servers meanwhile.
    const cloudwatch = new CloudWatchClient({
        region: REGION,
        credentials: { accessKeyId: "x", secretAccessKey: "y" },
    });
    let cw: AwsClientStub<CloudWatchClient>;
    let logs: { level: LogLevel; entry: LogEntry }[];

    function bridge(cfg: BridgeConfig = BOTH, overrides: Partial<BridgeDeps> = {}) {
        return createBridgeHandler({
            cloudwatch,
            config: cfg,
            region: REGION,
            clock: () => NOW,
            log: (level, entry) => logs.push({ level, entry }),
            ...overrides,
        });
    }

    /** The inputs of every GetMetricData / PutMetricData call made. */
    const read = () => cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    const published = () => cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);

    /** The run's log entry, as logged for these signal outcomes. */
    const runEntry = (requests: number | null, signals: unknown[]) => ({
        msg: "signals derived",
        minute: MINUTE.toISOString(),
        apiName: API,
        stage: STAGE,
        requests,
        signals,
    });

    before(() => {
        cw = mockClient(cloudwatch);
    });
    after(() => {
        cw.restore();
        cloudwatch.destroy();
    });
    beforeEach(() => {
        cw.reset();
        cw.on(PutMetricDataCommand).resolves({});
        logs = [];
    });

    it("reads the minute two minutes back, bounds each call at 10 s, and tries each call twice", () => {
        assert.equal(MINUTES_BACK, 2);
        assert.equal(CALL_TIMEOUT_MS, 10_000);
        assert.equal(CONNECT_TIMEOUT_MS, 1000);
        assert.deepEqual(bridgeClientConfig(), {
            maxAttempts: 2,
            requestHandler: {
                connectionTimeout: 1000,
                requestTimeout: 4000,
                throwOnRequestTimeout: true,
            },
        });
        assert.deepEqual(SIGNAL_UNITS, { "latency-p99": "Milliseconds", "error-rate": "Percent" });
        // Whenever in its minute the schedule fires, the run reads the same minute: 60-120 s old.
        for (const at of ["03:04:00.000", "03:04:05.678", "03:04:59.999"]) {
            assert.deepEqual(
                minuteRead(Date.parse(`2030-01-02T${at}Z`)),
                { start: MINUTE, end: MINUTE_END },
                at,
            );
        }
        assert.deepEqual(minuteRead(Date.parse("2030-01-02T03:05:00.000Z")), {
            start: MINUTE_END,
            end: new Date("2030-01-02T03:04:00.000Z"),
        });
    });

    it("asks one GetMetricData for the minute: Count, p99 Latency, 5XX and the error rate as metric math", async () => {
        cw.on(GetMetricDataCommand).resolves(answer({}));

        await bridge()();

        assert.deepEqual(read(), [
            {
                MetricDataQueries: [REQUESTS, LATENCY, ERRORS, ERROR_RATE],
                StartTime: MINUTE,
                EndTime: MINUTE_END,
            },
        ]);
    });

    it("asks only for what its signals need: Count always, then latency or errors and the rate", async () => {
        cw.on(GetMetricDataCommand).resolves(answer({}));

        await bridge(config(latency()))();
        await bridge(config(errorRate()))();

        assert.deepEqual(
            read().map((input) => input.MetricDataQueries),
            [
                [REQUESTS, LATENCY],
                [REQUESTS, ERRORS, ERROR_RATE],
            ],
        );
    });

    it("publishes the measured p99 and error rate in one PutMetricData, stamped with the minute they describe", async () => {
        cw.on(GetMetricDataCommand).resolves(
            answer({ requests: 120, latency: 1234.5, errors: 6, errorRate: 5 }),
        );

        await bridge()();

        assert.deepEqual(published(), [
            {
                Namespace: NAMESPACE,
                MetricData: [
                    datum("LatencyP99Ms", 1234.5, "Milliseconds"),
                    datum("ErrorRatePercent", 5, "Percent"),
                ],
            },
        ]);
        assert.deepEqual(logs, [
            {
                level: "info",
                entry: runEntry(120, [
                    {
                        kind: "latency-p99",
                        metricName: "LatencyP99Ms",
                        outcome: "measured",
                        value: 1234.5,
                    },
                    {
                        kind: "error-rate",
                        metricName: "ErrorRatePercent",
                        outcome: "measured",
                        value: 5,
                    },
                ]),
            },
        ]);
    });

    it("publishes a value from exactly the minimum number of requests", async () => {
        cw.on(GetMetricDataCommand).resolves(
            answer({ requests: 50, latency: 80, errors: 50, errorRate: 100 }),
        );

        await bridge()();

        assert.deepEqual(published()[0].MetricData, [
            datum("LatencyP99Ms", 80, "Milliseconds"),
            datum("ErrorRatePercent", 100, "Percent"),
        ]);
    });

    it("no datapoint at all for the minute (an idle API, a passive region): publishes the healthy 0, logged as no traffic", async () => {
        cw.on(GetMetricDataCommand).resolves(answer({}));

        await bridge()();

        assert.deepEqual(published(), [
            {
                Namespace: NAMESPACE,
                MetricData: [
                    datum("LatencyP99Ms", 0, "Milliseconds"),
                    datum("ErrorRatePercent", 0, "Percent"),
                ],
            },
        ]);
        assert.deepEqual(logs, [
            {
                level: "info",
                entry: runEntry(0, [
                    {
                        kind: "latency-p99",
                        metricName: "LatencyP99Ms",
                        outcome: "no-traffic",
                        value: 0,
                    },
                    {
                        kind: "error-rate",
                        metricName: "ErrorRatePercent",
                        outcome: "no-traffic",
                        value: 0,
                    },
                ]),
            },
        ]);
    });

    it("datapoints of another minute only: read as no traffic, never as this minute's values", async () => {
        const other = new Date("2030-01-02T03:01:00.000Z");
        cw.on(GetMetricDataCommand).resolves({
            MetricDataResults: [
                result("requests", 900, "Complete", other),
                result("latency", 9000, "Complete", other),
            ],
            $metadata: {},
        });

        await bridge(config(latency()))();

        assert.deepEqual(published()[0].MetricData, [datum("LatencyP99Ms", 0, "Milliseconds")]);
    });

    it("fewer requests than a signal's minimum: publishes the healthy 0 for it, and logs that it did", async () => {
        // 60 requests: enough for the latency signal (minimum 50), too few for the error rate's.
        cw.on(GetMetricDataCommand).resolves(
            answer({ requests: 60, latency: 5000, errors: 30, errorRate: 50 }),
        );

        await bridge(config(latency(50), errorRate(100)))();

        assert.deepEqual(published()[0].MetricData, [
            datum("LatencyP99Ms", 5000, "Milliseconds"),
            datum("ErrorRatePercent", 0, "Percent"),
        ]);
        assert.deepEqual(logs, [
            {
                level: "info",
                entry: runEntry(60, [
                    {
                        kind: "latency-p99",
                        metricName: "LatencyP99Ms",
                        outcome: "measured",
                        value: 5000,
                    },
                    {
                        kind: "error-rate",
                        metricName: "ErrorRatePercent",
                        outcome: "low-traffic",
                        value: 0,
                        minimumRequests: 100,
                    },
                ]),
            },
        ]);
    });

    it("a high p99 from a few requests publishes 0: noise, not a signal", async () => {
        cw.on(GetMetricDataCommand).resolves(answer({ requests: 3, latency: 29000 }));

        await bridge(config(latency()))();

        assert.deepEqual(published()[0].MetricData, [datum("LatencyP99Ms", 0, "Milliseconds")]);
        assert.deepEqual(logs[0].entry.signals, [
            {
                kind: "latency-p99",
                metricName: "LatencyP99Ms",
                outcome: "low-traffic",
                value: 0,
                minimumRequests: 50,
            },
        ]);
    });

    describe("a partial answer: the signals it touches are not published, never made up", () => {
        it("a query with PartialData: only the signal that needs it goes unpublished, logged at warn with why", async () => {
            const a = answer({ requests: 120, errors: 6, errorRate: 5 });
            a.MetricDataResults![1] = {
                ...result("latency", 700, "PartialData"),
                Messages: [{ Code: "ArithmeticError", Value: "partial" }],
            };
            cw.on(GetMetricDataCommand).resolves(a);

            await bridge()();

            assert.deepEqual(published(), [
                { Namespace: NAMESPACE, MetricData: [datum("ErrorRatePercent", 5, "Percent")] },
            ]);
            assert.deepEqual(logs, [
                {
                    level: "warn",
                    entry: runEntry(120, [
                        {
                            kind: "latency-p99",
                            metricName: "LatencyP99Ms",
                            outcome: "not-published",
                            problems: ["query latency is PartialData (ArithmeticError: partial)"],
                        },
                        {
                            kind: "error-rate",
                            metricName: "ErrorRatePercent",
                            outcome: "measured",
                            value: 5,
                        },
                    ]),
                },
            ]);
        });

        it("Count with InternalError: no signal can be judged, so nothing is published and no PutMetricData is made", async () => {
            const a = answer({ latency: 700, errors: 6, errorRate: 5 });
            a.MetricDataResults![0] = result("requests", undefined, "InternalError");
            cw.on(GetMetricDataCommand).resolves(a);

            await bridge()();

            assert.deepEqual(published(), []);
            assert.deepEqual(logs, [
                {
                    level: "warn",
                    entry: runEntry(null, [
                        {
                            kind: "latency-p99",
                            metricName: "LatencyP99Ms",
                            outcome: "not-published",
                            problems: ["query requests is InternalError"],
                        },
                        {
                            kind: "error-rate",
                            metricName: "ErrorRatePercent",
                            outcome: "not-published",
                            problems: ["query requests is InternalError"],
                        },
                    ]),
                },
            ]);
        });

        it("an answer with more pages (NextToken): nothing is published, the answer's messages are logged", async () => {
            cw.on(GetMetricDataCommand).resolves({
                ...answer({ requests: 120, latency: 700, errors: 6, errorRate: 5 }),
                NextToken: "page-2",
                Messages: [{ Code: "MaxMetricsExceeded", Value: "more data" }],
            });

            await bridge()();

            assert.deepEqual(published(), []);
            const problem = "the answer has more pages (NextToken): it is incomplete";
            assert.deepEqual(logs, [
                {
                    level: "warn",
                    entry: {
                        ...runEntry(120, [
                            {
                                kind: "latency-p99",
                                metricName: "LatencyP99Ms",
                                outcome: "not-published",
                                problems: [problem],
                            },
                            {
                                kind: "error-rate",
                                metricName: "ErrorRatePercent",
                                outcome: "not-published",
                                problems: [problem],
                            },
                        ]),
                        messages: [{ Code: "MaxMetricsExceeded", Value: "more data" }],
                    },
                },
            ]);
        });

        it("a result missing from the answer, or no value although the minute had traffic: not published", async () => {
            cw.on(GetMetricDataCommand).resolves({
                MetricDataResults: [
                    result("requests", 120),
                    result("latency", undefined),
                    result("errors", 6),
                ],
                $metadata: {},
            });

            await bridge()();

            assert.deepEqual(published(), []);
            assert.deepEqual(
                logs[0].entry.signals,
                [
                    ["latency-p99", "query latency has no usable value for the minute (got none)"],
                    ["error-rate", "no result for query errorRate"],
                ].map(([kind, problem]) => ({
                    kind,
                    metricName: kind === "latency-p99" ? "LatencyP99Ms" : "ErrorRatePercent",
                    outcome: "not-published",
                    problems: [problem],
                })),
            );
        });
    });

    describe("CloudWatch failing", () => {
        const throttled = () =>
            Object.assign(new Error("Rate exceeded"), {
                name: "ThrottlingException",
                $metadata: { httpStatusCode: 400, requestId: "cw-req-1", attempts: 2 },
            });

        it("GetMetricData throttled: logs, rethrows, and publishes nothing", async () => {
            const failure = throttled();
            cw.on(GetMetricDataCommand).rejects(failure);

            await assert.rejects(bridge()(), (e) => e === failure);

            assert.deepEqual(published(), []);
            assert.deepEqual(logs, [
                {
                    level: "error",
                    entry: {
                        msg: "GetMetricData failed",
                        minute: MINUTE.toISOString(),
                        reason: "error",
                        error: {
                            name: "ThrottlingException",
                            httpStatusCode: 400,
                            awsRequestId: "cw-req-1",
                            attempts: 2,
                            message: "Rate exceeded",
                        },
                    },
                },
            ]);
        });

        it("GetMetricData not answering: aborted at the deadline, logged, thrown, nothing published", async () => {
            cw.on(GetMetricDataCommand).callsFake(() => new Promise(() => {}));

            await assert.rejects(bridge(BOTH, { callTimeoutMs: 50 })(), {
                message: "GetMetricData had no answer within 50 ms",
            });

            const options = (cw.send.getCall(0).args as unknown[])[1] as {
                abortSignal: AbortSignal;
            };
            assert.equal(options.abortSignal.aborted, true);
            assert.deepEqual(published(), []);
            assert.deepEqual(logs, [
                {
                    level: "error",
                    entry: {
                        msg: "GetMetricData failed",
                        minute: MINUTE.toISOString(),
                        reason: "timeout",
                        timeoutMs: 50,
                    },
                },
            ]);
        });

        it("PutMetricData failing: the run's entry, then the failure, is logged and thrown", async () => {
            const failure = throttled();
            cw.on(GetMetricDataCommand).resolves(answer({}));
            cw.on(PutMetricDataCommand).rejects(failure);

            await assert.rejects(bridge(config(latency()))(), (e) => e === failure);

            assert.deepEqual(
                logs.map((l) => [l.level, l.entry.msg]),
                [
                    ["info", "signals derived"],
                    ["error", "PutMetricData failed"],
                ],
            );
            assert.deepEqual(logs[1].entry, {
                msg: "PutMetricData failed",
                namespace: NAMESPACE,
                minute: MINUTE.toISOString(),
                reason: "error",
                error: {
                    name: "ThrottlingException",
                    httpStatusCode: 400,
                    awsRequestId: "cw-req-1",
                    attempts: 2,
                    message: "Rate exceeded",
                },
            });
        });

        it("PutMetricData not answering: aborted at the deadline, logged and thrown", async () => {
            cw.on(GetMetricDataCommand).resolves(answer({}));
            cw.on(PutMetricDataCommand).callsFake(() => new Promise(() => {}));

            await assert.rejects(bridge(config(latency()), { callTimeoutMs: 50 })(), {
                message: "PutMetricData had no answer within 50 ms",
            });

            const options = (cw.send.getCall(1).args as unknown[])[1] as {
                abortSignal: AbortSignal;
            };
            assert.equal(options.abortSignal.aborted, true);
            assert.deepEqual(logs[1], {
                level: "error",
                entry: {
                    msg: "PutMetricData failed",
                    namespace: NAMESPACE,
                    minute: MINUTE.toISOString(),
                    reason: "timeout",
                    timeoutMs: 50,
                },
            });
        });

        it("throttled by a real endpoint: the SDK client with the bridge's settings tries twice, then the run fails and publishes nothing", async () => {
            const targets: (string | undefined)[] = [];
            const server = http.createServer((req, res) => {
                targets.push(req.headers["x-amz-target"] as string | undefined);
                req.resume();
                req.on("end", () => {
                    res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
                    res.end(
                        JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }),
                    );
                });
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            const { port } = server.address() as AddressInfo;
            const real = new CloudWatchClient({
                ...bridgeClientConfig(),
                region: REGION,
                endpoint: `http://127.0.0.1:${port}`,
                credentials: { accessKeyId: "x", secretAccessKey: "y" },
            });
            try {
                const started = Date.now();
                await assert.rejects(bridge(BOTH, { cloudwatch: real })(), {
                    name: "ThrottlingException",
                    message: "Rate exceeded",
                });
                const elapsed = Date.now() - started;
                assert.ok(elapsed < 5000, `gave up after ${elapsed} ms`);
                // Two GetMetricData attempts, no PutMetricData.
                assert.deepEqual(targets, [
                    "GraniteServiceVersion20100801.GetMetricData",
                    "GraniteServiceVersion20100801.GetMetricData",
                ]);
                assert.equal(logs.length, 1);
                assert.equal(logs[0].level, "error");
                assert.equal(logs[0].entry.msg, "GetMetricData failed");
                assert.deepEqual(
                    (logs[0].entry.error as { name: string; attempts: number }).attempts,
                    2,
                );
            } finally {
                real.destroy();
                await new Promise<void>((resolve) => server.close(() => resolve()));
            }
        });
    });

    describe("configuration from the environment", () => {
        const VARIABLES = ["BRIDGE_CONFIG", "AWS_REGION"] as const;
        const saved = Object.fromEntries(VARIABLES.map((v) => [v, process.env[v]]));
        afterEach(() => {
            for (const [name, value] of Object.entries(saved)) {
                if (value === undefined) {
                    delete process.env[name];
                } else {
                    process.env[name] = value;
                }
            }
        });

        // As the component writes it.
        const good = {
            BRIDGE_CONFIG: JSON.stringify({
                namespace: NAMESPACE,
                service: SERVICE,
                apiName: API,
                stage: STAGE,
                signals: [{ kind: "latency-p99", metricName: "LatencyP99Ms", minimumRequests: 50 }],
            }),
            AWS_REGION: REGION,
        };

        it("reads the configuration and this region", () => {
            assert.deepEqual(bridgeConfigFromEnv(good), {
                ok: true,
                config: config(latency()),
                region: REGION,
            });
        });

        it("names every missing or malformed setting", () => {
            const shape = 'a JSON object {"namespace","service","apiName","stage","signals"}';
            const signals =
                'signals must be a list of at least one {"kind","metricName","minimumRequests"}';
            const withConfig = (c: unknown) => ({ ...good, BRIDGE_CONFIG: JSON.stringify(c) });
            const base = JSON.parse(good.BRIDGE_CONFIG) as Record<string, unknown>;
            const cases: [Record<string, string | undefined>, [string, string][]][] = [
                [
                    {},
                    [
                        ["BRIDGE_CONFIG", `must be ${shape}`],
                        ["AWS_REGION", "must name this region (Lambda sets it)"],
                    ],
                ],
                [
                    { ...good, BRIDGE_CONFIG: "{" },
                    [["BRIDGE_CONFIG", `is not valid JSON; it must be ${shape}`]],
                ],
                [withConfig([]), [["BRIDGE_CONFIG", `must be ${shape}`]]],
                [
                    withConfig({ signals: [] }),
                    [
                        ["BRIDGE_CONFIG", "namespace must name the metrics' namespace"],
                        ["BRIDGE_CONFIG", "service must name the service"],
                        ["BRIDGE_CONFIG", "apiName must name the REST API"],
                        ["BRIDGE_CONFIG", "stage must name the API's stage"],
                        ["BRIDGE_CONFIG", signals],
                    ],
                ],
                [withConfig({ ...base, signals: "latency-p99" }), [["BRIDGE_CONFIG", signals]]],
                [
                    withConfig({
                        ...base,
                        signals: [
                            { kind: "p50", metricName: "", minimumRequests: 0 },
                            "error-rate",
                            { kind: "error-rate", metricName: "E", minimumRequests: 1.5 },
                            { kind: "latency-p99", metricName: "A", minimumRequests: 1 },
                            { kind: "latency-p99", metricName: "B", minimumRequests: 1 },
                        ],
                    }),
                    [
                        [
                            "BRIDGE_CONFIG",
                            'signal 1: kind must be one of "latency-p99", "error-rate", metricName must be a metric name of 1-255 characters, minimumRequests must be a positive integer',
                        ],
                        [
                            "BRIDGE_CONFIG",
                            'signal 2: kind must be one of "latency-p99", "error-rate", metricName must be a metric name of 1-255 characters, minimumRequests must be a positive integer',
                        ],
                        ["BRIDGE_CONFIG", "signal 3: minimumRequests must be a positive integer"],
                        ["BRIDGE_CONFIG", "signal 5: kind latency-p99 is listed twice"],
                    ],
                ],
                [
                    { ...good, AWS_REGION: "" },
                    [["AWS_REGION", "must name this region (Lambda sets it)"]],
                ],
            ];
            for (const [env, problems] of cases) {
                assert.deepEqual(
                    bridgeConfigFromEnv(env),
                    {
                        ok: false,
                        problems: problems.map(([variable, problem]) => ({ variable, problem })),
                    },
                    JSON.stringify(env),
                );
            }
        });

        it("handler: a misconfigured function logs every problem and fails each run, calling nothing", async () => {
            process.env.BRIDGE_CONFIG = JSON.stringify({ signals: [] });
            delete process.env.AWS_REGION;
            const captured = captureLogs();
            try {
                const message =
                    'function misconfigured: BRIDGE_CONFIG namespace must name the metrics\' namespace; BRIDGE_CONFIG service must name the service; BRIDGE_CONFIG apiName must name the REST API; BRIDGE_CONFIG stage must name the API\'s stage; BRIDGE_CONFIG signals must be a list of at least one {"kind","metricName","minimumRequests"}; AWS_REGION must name this region (Lambda sets it)';
                await assert.rejects(handler(), { message });
                await assert.rejects(handler(), { message });
                assert.equal(captured.calls.length, 2);
                for (const call of captured.calls) {
                    assert.equal(call.level, "error");
                    const entry = call.args[0] as { msg: string; problems: unknown[] };
                    assert.equal(entry.msg, "function misconfigured");
                    assert.equal(entry.problems.length, 6);
                }
            } finally {
                captured.restore();
            }
            assert.equal(cw.calls().length, 0);
        });

        it("handler: configured, it reads and publishes with a client of its own, for the minute of the clock", async () => {
            process.env.BRIDGE_CONFIG = good.BRIDGE_CONFIG;
            process.env.AWS_REGION = REGION;
            // Every CloudWatch client, for this test only: the handler makes its own.
            const every = mockClient(CloudWatchClient);
            every.on(GetMetricDataCommand).resolves(answer({ requests: 200, latency: 321 }));
            every.on(PutMetricDataCommand).resolves({});
            const captured = captureLogs();
            try {
                const before = Date.now();
                await handler();
                const after = Date.now();

                const [get] = every.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
                const start = get.StartTime as Date;
                assert.ok(
                    [
                        minuteRead(before).start.getTime(),
                        minuteRead(after).start.getTime(),
                    ].includes(start.getTime()),
                );
                assert.deepEqual(get.MetricDataQueries, [REQUESTS, LATENCY]);
                // The answer's value is at MINUTE, not at the clock's minute: read as no traffic.
                assert.deepEqual(
                    every.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input),
                    [
                        {
                            Namespace: NAMESPACE,
                            MetricData: [
                                {
                                    ...datum("LatencyP99Ms", 0, "Milliseconds"),
                                    Timestamp: start,
                                },
                            ],
                        },
                    ],
                );
                assert.deepEqual(
                    captured.calls.map((c) => [c.level, (c.args[0] as LogEntry).msg]),
                    [["info", "signals derived"]],
                );
            } finally {
                captured.restore();
                every.restore();
            }
        });
    });
});
