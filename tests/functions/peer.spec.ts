// Peer probe handler: real HTTP peers on loopback, judged as Route 53's HTTPS_STR_MATCH checks
// judge them, and one PutMetricData call per run (CloudWatch mocked by aws-sdk-client-mock).
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import {
    createPeerHandler,
    handler,
    peerClientConfig,
    peerConfigFromEnv,
    PEER_METRIC_NAME,
    PEER_TIMEOUT_MS,
    PROBE_USER_AGENT,
    PUBLISH_CONNECT_TIMEOUT_MS,
    PUBLISH_TIMEOUT_MS,
    SEARCH_WINDOW_BYTES,
    type Peer,
    type PeerDeps,
} from "../../functions/peer";
import type { LogEntry, LogLevel } from "../../functions/shared/log";
import { captureLogs } from "./helpers";

const OBSERVER = "eu-west-1";
const SERVICE = "api.example.com";
const NAMESPACE = "MultiRegionApi/Peers";
const TOKEN = "mra-health-ok";
/** Text the peers' bodies carry that must never reach a log. */
const BODY_MARKER = "body-text-never-logged";
const TIMEOUT_MS = 200;

/** One request a peer server received. */
interface Received {
    method: string | undefined;
    url: string | undefined;
    headers: http.IncomingHttpHeaders;
}

/** An HTTP server on 127.0.0.1 standing in for one peer region. */
interface PeerServer {
    url: string;
    received: Received[];
    /** TCP connections accepted. */
    connections: () => number;
    close: () => Promise<void>;
}

// A clock that returns the given readings in order, so latencyMs is exact.
function fakeClock(...readings: number[]): () => number {
    let next = 0;
    return () => readings[Math.min(next++, readings.length - 1)];
}

describe("functions/peer", () => {
    // Only this instance is mocked: other specs' clients talk to real servers meanwhile.
    const cloudwatch = new CloudWatchClient({
        region: OBSERVER,
        credentials: { accessKeyId: "x", secretAccessKey: "y" },
    });
    let cw: AwsClientStub<CloudWatchClient>;
    let logs: { level: LogLevel; entry: LogEntry }[];
    let servers: PeerServer[];

    async function serve(
        respond: (req: http.IncomingMessage, res: http.ServerResponse) => void,
    ): Promise<PeerServer> {
        const received: Received[] = [];
        const sockets = new Set<Socket>();
        let accepted = 0;
        const server = http.createServer((req, res) => {
            received.push({ method: req.method, url: req.url, headers: req.headers });
            respond(req, res);
        });
        server.on("connection", (socket: Socket) => {
            accepted++;
            sockets.add(socket);
            socket.on("close", () => sockets.delete(socket));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as AddressInfo;
        const peer: PeerServer = {
            url: `http://127.0.0.1:${port}/health`,
            received,
            connections: () => accepted,
            close: () =>
                new Promise<void>((resolve) => {
                    for (const socket of sockets) {
                        socket.destroy();
                    }
                    server.close(() => resolve());
                }),
        };
        servers.push(peer);
        return peer;
    }

    /** A peer answering `status` with `body`, plus `headers`. */
    const answering = (status: number, body: string | Buffer, headers = {}) =>
        serve((_req, res) => {
            res.writeHead(status, { "content-type": "application/json", ...headers });
            res.end(body);
        });

    /** A URL nothing listens on: a server's, once closed. */
    async function refusedUrl(): Promise<string> {
        const gone = await serve(() => undefined);
        await gone.close();
        return gone.url;
    }

    const peer = (region: string, healthUrl: string, searchString = TOKEN): Peer => ({
        region,
        healthUrl,
        searchString,
    });

    function peerHandler(peers: Peer[], overrides: Partial<PeerDeps> = {}) {
        return createPeerHandler({
            cloudwatch,
            peers,
            service: SERVICE,
            namespace: NAMESPACE,
            region: OBSERVER,
            timeoutMs: TIMEOUT_MS,
            clock: () => 0,
            log: (level, entry) => logs.push({ level, entry }),
            ...overrides,
        });
    }

    /** The datum the handler publishes for `region`. */
    const datum = (region: string, value: 0 | 1) => ({
        MetricName: "PeerHealthy",
        Dimensions: [
            { Name: "Service", Value: SERVICE },
            { Name: "Peer", Value: region },
            { Name: "Observer", Value: OBSERVER },
        ],
        Value: value,
        Unit: "None",
    });

    /** The inputs of every PutMetricData call made. */
    const published = () => cw.commandCalls(PutMetricDataCommand).map((call) => call.args[0].input);

    /** The one run entry logged, after checking it is the only entry. */
    function runEntry(level: LogLevel, peers: unknown[]) {
        assert.deepEqual(logs, [
            {
                level,
                entry: { msg: "peers probed", observer: OBSERVER, service: SERVICE, peers },
            },
        ]);
    }

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
        servers = [];
    });
    afterEach(async () => {
        await Promise.all(servers.map((s) => s.close()));
    });

    it("bounds each probe at 3 s, searches 5,120 bytes, and publishes within a bounded time", () => {
        assert.equal(PEER_TIMEOUT_MS, 3000);
        assert.equal(SEARCH_WINDOW_BYTES, 5120);
        assert.equal(PEER_METRIC_NAME, "PeerHealthy");
        assert.equal(PUBLISH_TIMEOUT_MS, 4000);
        assert.equal(PUBLISH_CONNECT_TIMEOUT_MS, 1000);
        assert.deepEqual(peerClientConfig(), {
            maxAttempts: 2,
            requestHandler: {
                connectionTimeout: 1000,
                requestTimeout: 2000,
                throwOnRequestTimeout: true,
            },
        });
    });

    it("judges every peer at once and publishes one datum per peer, in peers' order, in one call", async () => {
        const target = await answering(200, `{"status":"${TOKEN}"}`);
        const peers = [
            peer("us-east-1", (await answering(200, `{"status":"${TOKEN}"}`)).url),
            peer("us-west-2", (await answering(503, `{"status":"${TOKEN}"}`)).url),
            peer(
                "eu-central-1",
                (await answering(200, `{"status":"unavailable","x":"${BODY_MARKER}"}`)).url,
            ),
            peer(
                "ap-southeast-2",
                (await answering(200, `${"x".repeat(SEARCH_WINDOW_BYTES)}${TOKEN}`)).url,
            ),
            peer("sa-east-1", (await serve(() => undefined)).url),
            peer("ca-central-1", await refusedUrl()),
            peer(
                "ap-northeast-1",
                (await answering(301, `moved ${BODY_MARKER}`, { location: target.url })).url,
            ),
        ];
        const started = Date.now();

        await peerHandler(peers)();

        const elapsed = Date.now() - started;
        assert.ok(elapsed >= TIMEOUT_MS - 10, `answered after ${elapsed} ms, before the timeout`);
        assert.ok(elapsed < 1000, `answered after ${elapsed} ms`);
        assert.deepEqual(published(), [
            {
                Namespace: NAMESPACE,
                MetricData: [
                    datum("us-east-1", 1),
                    datum("us-west-2", 0),
                    datum("eu-central-1", 0),
                    datum("ap-southeast-2", 0),
                    datum("sa-east-1", 0),
                    datum("ca-central-1", 0),
                    datum("ap-northeast-1", 0),
                ],
            },
        ]);
        const missing = "search string not in the first 5120 bytes";
        runEntry("warn", [
            { region: "us-east-1", healthy: true, status: 200, latencyMs: 0 },
            {
                region: "us-west-2",
                healthy: false,
                status: 503,
                latencyMs: 0,
                problem: "status 503",
            },
            { region: "eu-central-1", healthy: false, status: 200, latencyMs: 0, problem: missing },
            {
                region: "ap-southeast-2",
                healthy: false,
                status: 200,
                latencyMs: 0,
                problem: missing,
            },
            {
                region: "sa-east-1",
                healthy: false,
                latencyMs: 0,
                problem: `no answer within ${TIMEOUT_MS} ms`,
            },
            {
                region: "ca-central-1",
                healthy: false,
                latencyMs: 0,
                problem: "request error: ECONNREFUSED",
            },
            {
                region: "ap-northeast-1",
                healthy: false,
                status: 301,
                latencyMs: 0,
                problem: missing,
            },
        ]);
        // The redirect was an answer, never followed; no body reached the log.
        assert.deepEqual(target.received, []);
        assert.ok(!JSON.stringify(logs).includes(BODY_MARKER));
    });

    it("logs at info, with each peer's latency, when every peer is healthy", async () => {
        const use1 = await answering(200, `{"status":"${TOKEN}"}`);

        await peerHandler([peer("us-east-1", use1.url)], { clock: fakeClock(1000, 1042.4) })();

        runEntry("info", [{ region: "us-east-1", healthy: true, status: 200, latencyMs: 42 }]);
        assert.deepEqual(published(), [
            { Namespace: NAMESPACE, MetricData: [datum("us-east-1", 1)] },
        ]);
    });

    it("sends one GET on a new connection per probe, with its own user agent, never reused", async () => {
        const use1 = await answering(200, `{"status":"${TOKEN}"}`);
        const probe = peerHandler([peer("us-east-1", use1.url)]);

        await probe();
        await probe();

        assert.equal(use1.connections(), 2);
        const host = new URL(use1.url).host;
        const request = {
            method: "GET",
            url: "/health",
            headers: {
                "user-agent": PROBE_USER_AGENT,
                "cache-control": "no-cache",
                host,
                connection: "close",
            },
        };
        assert.deepEqual(use1.received, [request, request]);
        assert.equal(PROBE_USER_AGENT, "multi-region-api-peer-probe");
    });

    it("counts 2xx and 3xx answers carrying the string as healthy, other statuses never", async () => {
        const body = `{"status":"${TOKEN}"}`;
        const statuses = [200, 204, 299, 302, 399, 400, 404, 500];
        const peers: Peer[] = [];
        for (const [i, status] of statuses.entries()) {
            // 204 carries no body: healthy only if a status alone were enough, which it is not.
            peers.push(peer(`r-${i}`, (await answering(status, body, { location: "/" })).url));
        }

        await peerHandler(peers)();

        const values = published()[0].MetricData!.map((d) => d.Value);
        assert.deepEqual(values, [1, 0, 1, 1, 1, 0, 0, 0]);
        assert.deepEqual(
            (logs[0].entry.peers as { problem?: string }[]).map((p) => p.problem),
            [
                undefined,
                "search string not in the first 5120 bytes",
                undefined,
                undefined,
                undefined,
                "status 400",
                "status 404",
                "status 500",
            ],
        );
    });

    it("searches exactly the first 5,120 bytes of the body, counted in bytes, not characters", async () => {
        const fits = "x".repeat(SEARCH_WINDOW_BYTES - TOKEN.length) + TOKEN;
        const overhangs = "x".repeat(SEARCH_WINDOW_BYTES - TOKEN.length + 1) + TOKEN;
        // 2,555 two-byte characters: 5,110 bytes, so the token ends at byte 5,123 (character 2,568).
        const multibyte = "é".repeat(2555) + TOKEN;
        // Sent in small chunks: the window is judged across them.
        const chunked = await serve((_req, res) => {
            res.writeHead(200);
            res.write("a".repeat(100));
            setTimeout(() => res.end(`${"b".repeat(100)}${TOKEN}`), 20);
        });
        const peers = [
            peer("fits", (await answering(200, fits)).url),
            peer("overhangs", (await answering(200, overhangs)).url),
            peer("multibyte", (await answering(200, Buffer.from(multibyte, "utf8"))).url),
            peer("chunked", chunked.url),
            peer("multibyte-token", (await answering(200, "ok: ✓é")).url, "✓é"),
        ];

        await peerHandler(peers)();

        assert.deepEqual(
            published()[0].MetricData!.map((d) => [d.Dimensions![1].Value, d.Value]),
            [
                ["fits", 1],
                ["overhangs", 0],
                ["multibyte", 0],
                ["chunked", 1],
                ["multibyte-token", 1],
            ],
        );
    });

    it("stops at the deadline with the status when the body never ends", async () => {
        const trickle = await serve((_req, res) => {
            res.writeHead(200);
            res.write("still thinking");
        });
        const started = Date.now();

        await peerHandler([peer("us-east-1", trickle.url)])();

        const elapsed = Date.now() - started;
        assert.ok(elapsed < 1000, `answered after ${elapsed} ms`);
        runEntry("warn", [
            {
                region: "us-east-1",
                healthy: false,
                status: 200,
                latencyMs: 0,
                problem: `no answer within ${TIMEOUT_MS} ms`,
            },
        ]);
        assert.deepEqual(published(), [
            { Namespace: NAMESPACE, MetricData: [datum("us-east-1", 0)] },
        ]);
    });

    it("counts a connection reset before the body ended as unhealthy", async () => {
        const cut = await serve((_req, res) => {
            res.writeHead(200, { "content-length": "1000" });
            res.write(`{"status":"${TOKEN}"`);
            setTimeout(() => res.destroy(), 20);
        });

        await peerHandler([peer("us-east-1", cut.url)])();

        runEntry("warn", [
            {
                region: "us-east-1",
                healthy: false,
                status: 200,
                latencyMs: 0,
                problem: "response error: ECONNRESET",
            },
        ]);
        assert.deepEqual(published(), [
            { Namespace: NAMESPACE, MetricData: [datum("us-east-1", 0)] },
        ]);
    });

    it("probes peers concurrently: two slow peers take the time of one", async () => {
        const slow = () =>
            serve((_req, res) => {
                setTimeout(() => res.end(`{"status":"${TOKEN}"}`), 300);
            });
        const peers = [peer("a", (await slow()).url), peer("b", (await slow()).url)];
        const started = Date.now();

        await peerHandler(peers, { timeoutMs: 2000 })();

        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 290 && elapsed < 550, `two 300 ms peers took ${elapsed} ms`);
        assert.deepEqual(
            published()[0].MetricData!.map((d) => d.Value),
            [1, 1],
        );
    });

    it("logs and rethrows when PutMetricData fails", async () => {
        const use1 = await answering(200, `{"status":"${TOKEN}"}`);
        const failure = Object.assign(new Error("Rate exceeded"), {
            name: "ThrottlingException",
            $metadata: { httpStatusCode: 400, requestId: "cw-req-1", attempts: 2 },
        });
        cw.on(PutMetricDataCommand).rejects(failure);

        await assert.rejects(peerHandler([peer("us-east-1", use1.url)])(), (e) => e === failure);

        assert.deepEqual(logs, [
            {
                level: "info",
                entry: {
                    msg: "peers probed",
                    observer: OBSERVER,
                    service: SERVICE,
                    peers: [{ region: "us-east-1", healthy: true, status: 200, latencyMs: 0 }],
                },
            },
            {
                level: "error",
                entry: {
                    msg: "PutMetricData failed",
                    namespace: NAMESPACE,
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

    it("logs and throws, aborting the call, when PutMetricData does not answer in time", async () => {
        const use1 = await answering(200, `{"status":"${TOKEN}"}`);
        cw.on(PutMetricDataCommand).callsFake(() => new Promise(() => {}));

        await assert.rejects(
            peerHandler([peer("us-east-1", use1.url)], { publishTimeoutMs: 50 })(),
            { message: "PutMetricData had no answer within 50 ms" },
        );

        const options = (cw.send.getCall(0).args as unknown[])[1] as { abortSignal: AbortSignal };
        assert.equal(options.abortSignal.aborted, true);
        assert.deepEqual(logs[1], {
            level: "error",
            entry: {
                msg: "PutMetricData failed",
                namespace: NAMESPACE,
                reason: "timeout",
                timeoutMs: 50,
            },
        });
    });

    describe("configuration from the environment", () => {
        const VARIABLES = ["PEERS", "SERVICE", "NAMESPACE", "AWS_REGION"] as const;
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

        const good = {
            PEERS: JSON.stringify([
                {
                    region: "us-east-1",
                    healthUrl: "https://us-east-1.api.example.com/health",
                    searchString: TOKEN,
                },
            ]),
            SERVICE,
            NAMESPACE,
            AWS_REGION: OBSERVER,
        };

        it("reads the peers, service, namespace and this region", () => {
            assert.deepEqual(peerConfigFromEnv(good), {
                ok: true,
                config: {
                    peers: [
                        {
                            region: "us-east-1",
                            healthUrl: "https://us-east-1.api.example.com/health",
                            searchString: TOKEN,
                        },
                    ],
                    service: SERVICE,
                    namespace: NAMESPACE,
                    region: OBSERVER,
                },
            });
        });

        it("names every missing or malformed variable", () => {
            const shape = 'a JSON array of {"region","healthUrl","searchString"}';
            const cases: [Record<string, string | undefined>, [string, string][]][] = [
                [
                    {},
                    [
                        ["PEERS", `must be ${shape}`],
                        ["SERVICE", "must name the service"],
                        ["NAMESPACE", "must name the metric namespace"],
                        ["AWS_REGION", "must name this region (Lambda sets it)"],
                    ],
                ],
                [{ ...good, PEERS: "[{" }, [["PEERS", `is not valid JSON; it must be ${shape}`]]],
                [{ ...good, PEERS: "[]" }, [["PEERS", `must be ${shape}, with at least one peer`]]],
                [{ ...good, PEERS: "{}" }, [["PEERS", `must be ${shape}, with at least one peer`]]],
                [
                    {
                        ...good,
                        PEERS: JSON.stringify([
                            { region: "", healthUrl: "ftp://x/health", searchString: "" },
                            "us-east-1",
                            {
                                region: "a",
                                healthUrl: "https://a.example.com/h",
                                searchString: "t",
                            },
                            {
                                region: "a",
                                healthUrl: "https://b.example.com/h",
                                searchString: "t",
                            },
                        ]),
                    },
                    [
                        [
                            "PEERS",
                            "peer 1: region must be a region name, healthUrl must be an http:// or https:// URL, searchString must be a non-empty string",
                        ],
                        [
                            "PEERS",
                            "peer 2: region must be a region name, healthUrl must be an http:// or https:// URL, searchString must be a non-empty string",
                        ],
                        ["PEERS", "peer 4: region a is listed twice"],
                    ],
                ],
                [
                    { ...good, SERVICE: "", AWS_REGION: "" },
                    [
                        ["SERVICE", "must name the service"],
                        ["AWS_REGION", "must name this region (Lambda sets it)"],
                    ],
                ],
            ];
            for (const [env, problems] of cases) {
                assert.deepEqual(
                    peerConfigFromEnv(env),
                    {
                        ok: false,
                        problems: problems.map(([variable, problem]) => ({ variable, problem })),
                    },
                    JSON.stringify(env),
                );
            }
        });

        it("handler: a misconfigured function logs every problem and fails each run", async () => {
            process.env.PEERS = "[]";
            process.env.SERVICE = SERVICE;
            delete process.env.NAMESPACE;
            process.env.AWS_REGION = OBSERVER;
            const captured = captureLogs();
            try {
                const message =
                    'function misconfigured: PEERS must be a JSON array of {"region","healthUrl","searchString"}, with at least one peer; NAMESPACE must name the metric namespace';
                await assert.rejects(handler(), { message });
                await assert.rejects(handler(), { message });
                const entry = {
                    msg: "function misconfigured",
                    problems: [
                        {
                            variable: "PEERS",
                            problem:
                                'must be a JSON array of {"region","healthUrl","searchString"}, with at least one peer',
                        },
                        { variable: "NAMESPACE", problem: "must name the metric namespace" },
                    ],
                };
                assert.deepEqual(captured.calls, [
                    { level: "error", args: [entry] },
                    { level: "error", args: [entry] },
                ]);
            } finally {
                captured.restore();
            }
            assert.equal(cw.calls().length, 0);
        });

        it("handler: configured, it probes the peers and publishes with a client of its own", async () => {
            const use1 = await answering(200, `{"status":"${TOKEN}"}`);
            process.env.PEERS = JSON.stringify([peer("us-east-1", use1.url)]);
            process.env.SERVICE = SERVICE;
            process.env.NAMESPACE = NAMESPACE;
            process.env.AWS_REGION = OBSERVER;
            // Every CloudWatch client, for this test only: the handler makes its own.
            const every = mockClient(CloudWatchClient);
            every.on(PutMetricDataCommand).resolves({});
            const captured = captureLogs();
            try {
                await handler();

                assert.deepEqual(
                    every.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input),
                    [{ Namespace: NAMESPACE, MetricData: [datum("us-east-1", 1)] }],
                );
                assert.equal(captured.calls.length, 1);
                const [{ level, args }] = captured.calls;
                const entry = args[0] as { peers: { latencyMs: unknown }[] };
                assert.equal(level, "info");
                assert.equal(typeof entry.peers[0].latencyMs, "number");
                assert.deepEqual(entry, {
                    msg: "peers probed",
                    observer: OBSERVER,
                    service: SERVICE,
                    peers: [
                        {
                            region: "us-east-1",
                            healthy: true,
                            status: 200,
                            latencyMs: entry.peers[0].latencyMs,
                        },
                    ],
                });
            } finally {
                captured.restore();
                every.restore();
            }
        });
    });
});
