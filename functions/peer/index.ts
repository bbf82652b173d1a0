// Peer probe: this region's own view of each peer region's /health, judged as Route 53's
// HTTPS_STR_MATCH checks judge it, published as a CloudWatch metric in this region. Route 53's
// health-check metrics exist only in us-east-1; this metric lives wherever the probe runs.
import * as http from "node:http";
import * as https from "node:https";
import { performance } from "node:perf_hooks";
import {
    CloudWatchClient,
    PutMetricDataCommand,
    type CloudWatchClientConfig,
    type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import { withDeadline } from "../shared/deadline";
import { errorFields, log as consoleLog, type Logger } from "../shared/log";

/** The metric each run publishes per peer: 1 healthy, 0 not. */
export const PEER_METRIC_NAME = "PeerHealthy";

/**
 * Hard total time of one probe (connect, TLS, status and the body's first 5,120 bytes), ms.
 * Route 53 allows 4 s to connect and 2 s more for the answer; a peer slower than 3 s in total is
 * not one to send this region's traffic to.
 */
export const PEER_TIMEOUT_MS = 3000;

/** Route 53 searches this much of a response body for the search string. */
export const SEARCH_WINDOW_BYTES = 5120;

/**
 * Hard deadline of the PutMetricData call, ms. With the probes' 3 s, a run ends within 7 s, under
 * the function's 10 s timeout: a run that cannot publish fails as an error, never as a timeout.
 */
export const PUBLISH_TIMEOUT_MS = 4000;

/** A connection to CloudWatch that takes longer than this fails the attempt. */
export const PUBLISH_CONNECT_TIMEOUT_MS = 1000;

/** What the probe sends as its user agent, so the peer's access logs tell it from clients. */
export const PROBE_USER_AGENT = "multi-region-api-peer-probe";

/** One peer region and how to judge its health. */
export interface Peer {
    /** The peer's region: the metric's `Peer` dimension. */
    region: string;
    /** The peer's own `/health` URL (http: or https:). */
    healthUrl: string;
    /** Text a healthy answer carries in its first 5,120 bytes. */
    searchString: string;
}

/** What one probe found: the log's view of a peer (never its body). */
export interface PeerResult {
    region: string;
    healthy: boolean;
    /** HTTP status, when an answer arrived. */
    status?: number;
    latencyMs: number;
    /** Why it is not healthy. */
    problem?: string;
}

/** Dependencies of {@link createPeerHandler}. */
export interface PeerDeps {
    /** CloudWatch client (one per container in production, see {@link peerClientConfig}). */
    cloudwatch: CloudWatchClient;
    /** The regions to probe, each published as one datum. */
    peers: readonly Peer[];
    /** The service name: the metric's `Service` dimension. */
    service: string;
    /** The metric's namespace. */
    namespace: string;
    /** This region, the observer: the metric's `Observer` dimension. */
    region: string;
    /** Hard total timeout of each probe, ms. */
    timeoutMs: number;
    /** Hard deadline of the PutMetricData call, ms; defaults to {@link PUBLISH_TIMEOUT_MS}. */
    publishTimeoutMs?: number;
    /** Monotonic clock in milliseconds for the logged latency; defaults to `performance.now`. */
    clock?: () => number;
    /** Where log entries go; defaults to the console (Lambda's JSON log format). */
    log?: Logger;
}

/** The handler EventBridge invokes once a minute (its event carries nothing the probe needs). */
export type PeerHandler = () => Promise<void>;

/**
 * The probe's CloudWatch client settings: two attempts, each phase bounded by the SDK as well as
 * by the handler's deadline, so a retry fits only when the first attempt failed fast.
 */
export function peerClientConfig(): CloudWatchClientConfig {
    return {
        maxAttempts: 2,
        requestHandler: {
            connectionTimeout: PUBLISH_CONNECT_TIMEOUT_MS,
            requestTimeout: PUBLISH_TIMEOUT_MS / 2,
            throwOnRequestTimeout: true,
        },
    };
}

/**
 * Creates the probe: each run GETs every peer's health URL at once (new connection each, no
 * redirects followed), logs one entry with every peer's result, and publishes one datum per peer
 * in one PutMetricData call. A failed publish is logged and thrown: the invocation is an error,
 * and the alarms, which count missing data as unhealthy, fail safe.
 */
export function createPeerHandler(deps: PeerDeps): PeerHandler {
    const { cloudwatch, peers, service, namespace, region, timeoutMs } = deps;
    const publishTimeoutMs = deps.publishTimeoutMs ?? PUBLISH_TIMEOUT_MS;
    const clock = deps.clock ?? (() => performance.now());
    const log = deps.log ?? consoleLog;

    return async () => {
        const results = await Promise.all(peers.map((peer) => probe(peer, timeoutMs, clock)));
        log(results.every((r) => r.healthy) ? "info" : "warn", {
            msg: "peers probed",
            observer: region,
            service,
            peers: results,
        });
        const data: MetricDatum[] = results.map((r) => ({
            MetricName: PEER_METRIC_NAME,
            Dimensions: [
                { Name: "Service", Value: service },
                { Name: "Peer", Value: r.region },
                { Name: "Observer", Value: region },
            ],
            Value: r.healthy ? 1 : 0,
            Unit: "None",
        }));
        const outcome = await withDeadline(
            (abortSignal) =>
                cloudwatch.send(
                    new PutMetricDataCommand({ Namespace: namespace, MetricData: data }),
                    {
                        abortSignal,
                    },
                ),
            publishTimeoutMs,
        );
        switch (outcome.kind) {
            case "ok":
                return;
            case "timeout":
                log("error", {
                    msg: "PutMetricData failed",
                    namespace,
                    reason: "timeout",
                    timeoutMs: publishTimeoutMs,
                });
                throw new Error(`PutMetricData had no answer within ${publishTimeoutMs} ms`);
            case "error":
                log("error", {
                    msg: "PutMetricData failed",
                    namespace,
                    reason: "error",
                    error: errorFields(outcome.error),
                });
                throw outcome.error;
        }
    };
}

/**
 * GETs one peer's health URL and judges the answer as Route 53's HTTPS_STR_MATCH does: a status
 * from 200 to 399 and the search string within the body's first 5,120 bytes. Redirects are
 * answers, never followed. Certificates are verified as clients verify them. Never rejects.
 */
function probe(peer: Peer, timeoutMs: number, clock: () => number): Promise<PeerResult> {
    const started = clock();
    const url = new URL(peer.healthUrl);
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve) => {
        let status: number | undefined;
        let done = false;
        const finish = (healthy: boolean, problem?: string) => {
            if (done) {
                return;
            }
            done = true;
            clearTimeout(timer);
            // Nothing more is read: the rest of the body, and the connection, are dropped.
            request.destroy();
            resolve({
                region: peer.region,
                healthy,
                ...(status !== undefined && { status }),
                latencyMs: Math.max(0, Math.round(clock() - started)),
                ...(problem !== undefined && { problem }),
            });
        };
        // A new connection for every probe: a kept-alive socket would hide a peer that stopped
        // accepting connections.
        const request = client.request(
            url,
            {
                method: "GET",
                agent: false,
                headers: { "user-agent": PROBE_USER_AGENT, "cache-control": "no-cache" },
            },
            (response) => {
                status = response.statusCode ?? 0;
                if (status < 200 || status >= 400) {
                    finish(false, `status ${status}`);
                    return;
                }
                const search = Buffer.from(peer.searchString, "utf8");
                const chunks: Buffer[] = [];
                let size = 0;
                const judge = () => {
                    const window = Buffer.concat(chunks, size).subarray(0, SEARCH_WINDOW_BYTES);
                    if (window.includes(search)) {
                        finish(true);
                    } else {
                        finish(
                            false,
                            `search string not in the first ${SEARCH_WINDOW_BYTES} bytes`,
                        );
                    }
                };
                response.on("data", (chunk: Buffer) => {
                    chunks.push(chunk);
                    size += chunk.length;
                    if (size >= SEARCH_WINDOW_BYTES) {
                        judge();
                    }
                });
                response.on("end", judge);
                response.on("error", (e: NodeJS.ErrnoException) =>
                    finish(false, `response error: ${e.code ?? e.message}`),
                );
            },
        );
        const timer = setTimeout(
            () => finish(false, `no answer within ${timeoutMs} ms`),
            timeoutMs,
        );
        request.on("error", (e: NodeJS.ErrnoException) =>
            finish(false, `request error: ${e.code ?? e.message}`),
        );
        request.end();
    });
}

/** What the handler needs from its environment. */
export interface PeerConfig {
    peers: Peer[];
    service: string;
    namespace: string;
    region: string;
}

/** One environment variable that is missing or wrong. */
export interface ConfigProblem {
    variable: string;
    problem: string;
}

const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;

function isHttpUrl(v: unknown): boolean {
    if (typeof v !== "string") {
        return false;
    }
    try {
        const url = new URL(v);
        return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
    } catch {
        return false;
    }
}

/** The problems with `PEERS`, a JSON array of `{ region, healthUrl, searchString }`. */
function peersProblems(text: string | undefined): { peers: Peer[]; problems: string[] } {
    const shape = 'a JSON array of {"region","healthUrl","searchString"}';
    if (!isText(text)) {
        return { peers: [], problems: [`must be ${shape}`] };
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return { peers: [], problems: [`is not valid JSON; it must be ${shape}`] };
    }
    if (!Array.isArray(parsed) || parsed.length === 0) {
        return { peers: [], problems: [`must be ${shape}, with at least one peer`] };
    }
    const problems: string[] = [];
    const peers: Peer[] = [];
    parsed.forEach((entry: unknown, i) => {
        const p = (typeof entry === "object" && entry !== null ? entry : {}) as Record<
            string,
            unknown
        >;
        const flaws = [
            ...(isText(p.region) ? [] : ["region must be a region name"]),
            ...(isHttpUrl(p.healthUrl) ? [] : ["healthUrl must be an http:// or https:// URL"]),
            ...(isText(p.searchString) ? [] : ["searchString must be a non-empty string"]),
        ];
        if (flaws.length > 0) {
            problems.push(`peer ${i + 1}: ${flaws.join(", ")}`);
        } else if (peers.some((q) => q.region === p.region)) {
            problems.push(`peer ${i + 1}: region ${String(p.region)} is listed twice`);
        } else {
            peers.push({
                region: p.region as string,
                healthUrl: p.healthUrl as string,
                searchString: p.searchString as string,
            });
        }
    });
    return { peers, problems };
}

/** The handler's configuration from the environment, or every problem with it. */
export function peerConfigFromEnv(
    env: NodeJS.ProcessEnv = process.env,
): { ok: true; config: PeerConfig } | { ok: false; problems: ConfigProblem[] } {
    const { peers, problems: peerProblems } = peersProblems(env.PEERS);
    const problems: ConfigProblem[] = [
        ...peerProblems.map((problem) => ({ variable: "PEERS", problem })),
        ...(isText(env.SERVICE) ? [] : [{ variable: "SERVICE", problem: "must name the service" }]),
        ...(isText(env.NAMESPACE)
            ? []
            : [{ variable: "NAMESPACE", problem: "must name the metric namespace" }]),
        ...(isText(env.AWS_REGION)
            ? []
            : [{ variable: "AWS_REGION", problem: "must name this region (Lambda sets it)" }]),
    ];
    if (problems.length > 0) {
        return { ok: false, problems };
    }
    return {
        ok: true,
        config: {
            peers,
            service: env.SERVICE!,
            namespace: env.NAMESPACE!,
            region: env.AWS_REGION!,
        },
    };
}

let envHandler: PeerHandler | undefined;

/** Lambda entry point: configured from PEERS, SERVICE, NAMESPACE and AWS_REGION on first use. */
export const handler: PeerHandler = async () => {
    if (envHandler === undefined) {
        const result = peerConfigFromEnv();
        if (!result.ok) {
            // Not cached: every run of a misconfigured function fails, and says why.
            consoleLog("error", { msg: "function misconfigured", problems: result.problems });
            throw new Error(
                `function misconfigured: ${result.problems.map((p) => `${p.variable} ${p.problem}`).join("; ")}`,
            );
        }
        // One client per container, created once the configuration is known to be good.
        envHandler = createPeerHandler({
            cloudwatch: new CloudWatchClient(peerClientConfig()),
            ...result.config,
            timeoutMs: PEER_TIMEOUT_MS,
        });
    }
    return envHandler();
};
