// Derived-metric bridge: once a minute, reads one minute of the API's own metrics in this region
// with GetMetricData (a percentile, a metric-math error rate) and publishes each result as a plain
// standard-resolution metric, which a standard alarm, and so a Route 53 health check, can follow
// (Route 53 follows no percentile and no metric math). One GetMetricData call and at most one
// PutMetricData call per run, both in this region.
import {
    CloudWatchClient,
    GetMetricDataCommand,
    PutMetricDataCommand,
    type CloudWatchClientConfig,
    type GetMetricDataCommandOutput,
    type MetricDataQuery,
    type MetricDataResult,
    type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import { withDeadline } from "../shared/deadline";
import { errorFields, log as consoleLog, type Logger } from "../shared/log";

/** The signals the bridge derives. */
export const SIGNAL_KINDS = ["latency-p99", "error-rate"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** The unit each signal is published in. */
export const SIGNAL_UNITS: Record<SignalKind, "Milliseconds" | "Percent"> = {
    "latency-p99": "Milliseconds",
    "error-rate": "Percent",
};

export { MINUTES_BACK } from "./window";
import { MINUTES_BACK } from "./window";

/** Hard deadline of each CloudWatch call, ms: the two calls fit well inside the 30 s timeout. */
export const CALL_TIMEOUT_MS = 10_000;

/** A connection to CloudWatch that takes longer than this fails the attempt. */
export const CONNECT_TIMEOUT_MS = 1000;

/** One derived signal: what to compute, the metric to publish it as, and the traffic it needs. */
export interface BridgeSignal {
    kind: SignalKind;
    /** The published metric's name, for example `LatencyP99Ms`. */
    metricName: string;
    /** Below this many requests in the minute the healthy value 0 is published. */
    minimumRequests: number;
}

/** The bridge's configuration (the `BRIDGE_CONFIG` variable, JSON). */
export interface BridgeConfig {
    /** Namespace of the published metrics. */
    namespace: string;
    /** The routed service name: the published metrics' `Service` dimension. */
    service: string;
    /** The REST API's name: API Gateway's `ApiName` dimension. */
    apiName: string;
    /** The stage's name: API Gateway's `Stage` dimension. */
    stage: string;
    /** The signals to publish, each once a minute. */
    signals: BridgeSignal[];
}

/** Dependencies of {@link createBridgeHandler}. */
export interface BridgeDeps {
    /** CloudWatch client of this region (one per container, see {@link bridgeClientConfig}). */
    cloudwatch: CloudWatchClient;
    config: BridgeConfig;
    /** This region: the published metrics' `Region` dimension. */
    region: string;
    /** Wall clock, ms since the epoch; defaults to `Date.now`. */
    clock?: () => number;
    /** Hard deadline of each CloudWatch call, ms; defaults to {@link CALL_TIMEOUT_MS}. */
    callTimeoutMs?: number;
    /** Where log entries go; defaults to the console (Lambda's JSON log format). */
    log?: Logger;
}

/** The handler EventBridge invokes once a minute (its event carries nothing the bridge needs). */
export type BridgeHandler = () => Promise<void>;

/**
 * The bridge's CloudWatch client settings: two attempts (the SDK retries throttling and 5XX
 * answers once), each bounded by connect and request timeouts, so that with the backoff between
 * them a call ends within {@link CALL_TIMEOUT_MS}, which the handler enforces besides.
 */
export function bridgeClientConfig(): CloudWatchClientConfig {
    return {
        maxAttempts: 2,
        requestHandler: {
            connectionTimeout: CONNECT_TIMEOUT_MS,
            requestTimeout: 4000,
            throwOnRequestTimeout: true,
        },
    };
}

const MINUTE_MS = 60_000;

/** The minute a run at `now` (ms) reads: [start, end). */
export function minuteRead(now: number): { start: Date; end: Date } {
    const start = (Math.floor(now / MINUTE_MS) - MINUTES_BACK) * MINUTE_MS;
    return { start: new Date(start), end: new Date(start + MINUTE_MS) };
}

/** GetMetricData query ids, and the queries each signal needs. */
const Q = { requests: "requests", errors: "errors", latency: "latency", errorRate: "errorRate" };
const NEEDS: Record<SignalKind, string[]> = {
    "latency-p99": [Q.requests, Q.latency],
    "error-rate": [Q.requests, Q.errors, Q.errorRate],
};
/** The query whose value a signal publishes. */
const VALUE_OF: Record<SignalKind, string> = {
    "latency-p99": Q.latency,
    "error-rate": Q.errorRate,
};

/**
 * The queries the configured signals need, in one request: API Gateway's request count (always:
 * it decides low traffic), and the p99 latency or the 5XX count with the error rate as metric
 * math (100 × 5XX / requests), each per minute for the API's stage.
 */
export function metricQueries(config: BridgeConfig): MetricDataQuery[] {
    const kinds = new Set(config.signals.map((s) => s.kind));
    const stat = (id: string, metricName: string, statistic: string): MetricDataQuery => ({
        Id: id,
        MetricStat: {
            Metric: {
                Namespace: "AWS/ApiGateway",
                MetricName: metricName,
                Dimensions: [
                    { Name: "ApiName", Value: config.apiName },
                    { Name: "Stage", Value: config.stage },
                ],
            },
            Period: 60,
            Stat: statistic,
        },
        ReturnData: true,
    });
    return [
        stat(Q.requests, "Count", "Sum"),
        ...(kinds.has("latency-p99") ? [stat(Q.latency, "Latency", "p99")] : []),
        ...(kinds.has("error-rate")
            ? [
                  stat(Q.errors, "5XXError", "Sum"),
                  {
                      Id: Q.errorRate,
                      Expression: `100 * ${Q.errors} / ${Q.requests}`,
                      Label: "5XX error rate, percent",
                      ReturnData: true,
                  },
              ]
            : []),
    ];
}

/** What a run did with one signal, as logged. */
export type SignalOutcome =
    | {
          kind: SignalKind;
          metricName: string;
          /** `measured`, or `no-traffic`: no Count datapoint at all, published as the healthy 0. */
          outcome: "measured" | "no-traffic";
          value: number;
      }
    | {
          kind: SignalKind;
          metricName: string;
          /** Fewer requests than `minimumRequests`: published as the healthy 0. */
          outcome: "low-traffic";
          value: 0;
          minimumRequests: number;
      }
    | { kind: SignalKind; metricName: string; outcome: "not-published"; problems: string[] };

/** The value of `result` at `minute`, if it has one. */
function valueAt(result: MetricDataResult, minute: Date): number | undefined {
    const i = (result.Timestamps ?? []).findIndex((t) => t.getTime() === minute.getTime());
    return i < 0 ? undefined : result.Values?.[i];
}

/** Why a result cannot be used, or undefined when it is complete. */
function resultProblem(id: string, result: MetricDataResult | undefined): string | undefined {
    if (result === undefined) {
        return `no result for query ${id}`;
    }
    if (result.StatusCode === "Complete") {
        return undefined;
    }
    const messages = (result.Messages ?? []).map((m) => `${m.Code ?? "?"}: ${m.Value ?? ""}`);
    return `query ${id} is ${result.StatusCode ?? "without a status"}${messages.length > 0 ? ` (${messages.join("; ")})` : ""}`;
}

/**
 * Judges one signal from a GetMetricData answer: published only from complete results, as the
 * healthy 0 when the minute had fewer requests than the signal's minimum (no Count datapoint at
 * all: no traffic, as API Gateway publishes nothing for an idle API), else as measured.
 */
function judge(
    signal: BridgeSignal,
    answer: GetMetricDataCommandOutput,
    minute: Date,
): SignalOutcome {
    const { kind, metricName } = signal;
    const results = new Map((answer.MetricDataResults ?? []).map((r) => [r.Id, r]));
    const problems = [
        ...(answer.NextToken !== undefined
            ? ["the answer has more pages (NextToken): it is incomplete"]
            : []),
        ...NEEDS[kind].map((id) => resultProblem(id, results.get(id))),
    ].filter((p): p is string => p !== undefined);
    if (problems.length > 0) {
        return { kind, metricName, outcome: "not-published", problems };
    }
    const requests = valueAt(results.get(Q.requests)!, minute);
    if (requests === undefined) {
        return { kind, metricName, outcome: "no-traffic", value: 0 };
    }
    if (requests < signal.minimumRequests) {
        return {
            kind,
            metricName,
            outcome: "low-traffic",
            value: 0,
            minimumRequests: signal.minimumRequests,
        };
    }
    const id = VALUE_OF[kind];
    const value = valueAt(results.get(id)!, minute);
    if (value === undefined || !Number.isFinite(value) || value < 0) {
        const got = value === undefined ? "none" : String(value);
        return {
            kind,
            metricName,
            outcome: "not-published",
            problems: [`query ${id} has no usable value for the minute (got ${got})`],
        };
    }
    return { kind, metricName, outcome: "measured", value };
}

/** The requests the minute had, for the log: a number, 0 for no datapoint, null if unknown. */
function requestsOf(answer: GetMetricDataCommandOutput, minute: Date): number | null {
    const result = answer.MetricDataResults?.find((r) => r.Id === Q.requests);
    if (result === undefined || result.StatusCode !== "Complete") {
        return null;
    }
    return valueAt(result, minute) ?? 0;
}

/**
 * Creates the bridge: each run reads the minute {@link MINUTES_BACK} minutes back in one
 * GetMetricData call, logs one entry with every signal's outcome, and publishes the signals it
 * could judge in one PutMetricData call, each with the minute's timestamp. A signal whose source
 * data is partial is not published (never a made-up value): its alarm counts the gap. A failed or
 * late CloudWatch call is logged and thrown, and nothing is published: the invocation is an
 * error, and the alarm counts the missing minute against the region.
 */
export function createBridgeHandler(deps: BridgeDeps): BridgeHandler {
    const { cloudwatch, config, region } = deps;
    const clock = deps.clock ?? (() => Date.now());
    const callTimeoutMs = deps.callTimeoutMs ?? CALL_TIMEOUT_MS;
    const log = deps.log ?? consoleLog;
    const queries = metricQueries(config);

    /** Runs one call under the deadline; logs and throws when it fails or is late. */
    async function call<T>(
        name: "GetMetricData" | "PutMetricData",
        send: (abortSignal: AbortSignal) => Promise<T>,
        context: Record<string, unknown>,
    ): Promise<T> {
        const outcome = await withDeadline(send, callTimeoutMs);
        switch (outcome.kind) {
            case "ok":
                return outcome.value;
            case "timeout":
                log("error", {
                    msg: `${name} failed`,
                    ...context,
                    reason: "timeout",
                    timeoutMs: callTimeoutMs,
                });
                throw new Error(`${name} had no answer within ${callTimeoutMs} ms`);
            case "error":
                log("error", {
                    msg: `${name} failed`,
                    ...context,
                    reason: "error",
                    error: errorFields(outcome.error),
                });
                throw outcome.error;
        }
    }

    return async () => {
        const { start, end } = minuteRead(clock());
        const minute = start.toISOString();
        const answer = await call(
            "GetMetricData",
            (abortSignal) =>
                cloudwatch.send(
                    new GetMetricDataCommand({
                        MetricDataQueries: queries,
                        StartTime: start,
                        EndTime: end,
                    }),
                    { abortSignal },
                ),
            { minute },
        );
        const outcomes = config.signals.map((s) => judge(s, answer, start));
        const unpublished = outcomes.some((o) => o.outcome === "not-published");
        log(unpublished ? "warn" : "info", {
            msg: "signals derived",
            minute,
            apiName: config.apiName,
            stage: config.stage,
            requests: requestsOf(answer, start),
            ...(answer.Messages !== undefined &&
                answer.Messages.length > 0 && { messages: answer.Messages }),
            signals: outcomes,
        });
        const data: MetricDatum[] = outcomes.flatMap((o) =>
            o.outcome === "not-published"
                ? []
                : [
                      {
                          MetricName: o.metricName,
                          Dimensions: [
                              { Name: "Service", Value: config.service },
                              { Name: "Region", Value: region },
                          ],
                          Timestamp: start,
                          Value: o.value,
                          Unit: SIGNAL_UNITS[o.kind],
                          StorageResolution: 60,
                      },
                  ],
        );
        if (data.length === 0) {
            return;
        }
        await call(
            "PutMetricData",
            (abortSignal) =>
                cloudwatch.send(
                    new PutMetricDataCommand({ Namespace: config.namespace, MetricData: data }),
                    { abortSignal },
                ),
            { namespace: config.namespace, minute },
        );
    };
}

/** One environment variable that is missing or wrong. */
export interface ConfigProblem {
    variable: string;
    problem: string;
}

const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;

const SIGNAL_SHAPE = 'a list of at least one {"kind","metricName","minimumRequests"}';

/** The problems with one entry of `signals`, worded to follow "signal <n>: ". */
function signalFlaws(entry: unknown): string[] {
    const s = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    return [
        ...(SIGNAL_KINDS.includes(s.kind as SignalKind)
            ? []
            : [`kind must be one of ${SIGNAL_KINDS.map((k) => `"${k}"`).join(", ")}`]),
        ...(isText(s.metricName) && s.metricName.length <= 255
            ? []
            : ["metricName must be a metric name of 1-255 characters"]),
        ...(Number.isInteger(s.minimumRequests) && (s.minimumRequests as number) > 0
            ? []
            : ["minimumRequests must be a positive integer"]),
    ];
}

/** The problems with `BRIDGE_CONFIG`, or the configuration it holds. */
function parseConfig(text: string | undefined): { config?: BridgeConfig; problems: string[] } {
    const shape = 'a JSON object {"namespace","service","apiName","stage","signals"}';
    if (!isText(text)) {
        return { problems: [`must be ${shape}`] };
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return { problems: [`is not valid JSON; it must be ${shape}`] };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return { problems: [`must be ${shape}`] };
    }
    const c = parsed as Record<string, unknown>;
    const problems = [
        ...(isText(c.namespace) ? [] : ["namespace must name the metrics' namespace"]),
        ...(isText(c.service) ? [] : ["service must name the service"]),
        ...(isText(c.apiName) ? [] : ["apiName must name the REST API"]),
        ...(isText(c.stage) ? [] : ["stage must name the API's stage"]),
    ];
    if (!Array.isArray(c.signals) || c.signals.length === 0) {
        problems.push(`signals must be ${SIGNAL_SHAPE}`);
        return { problems };
    }
    const kinds = new Set<unknown>();
    c.signals.forEach((entry: unknown, i) => {
        const flaws = signalFlaws(entry);
        const kind = (entry as { kind?: unknown }).kind;
        if (flaws.length > 0) {
            problems.push(`signal ${i + 1}: ${flaws.join(", ")}`);
        } else if (kinds.has(kind)) {
            problems.push(`signal ${i + 1}: kind ${String(kind)} is listed twice`);
        }
        kinds.add(kind);
    });
    if (problems.length > 0) {
        return { problems };
    }
    const signals = (c.signals as BridgeSignal[]).map((s) => ({
        kind: s.kind,
        metricName: s.metricName,
        minimumRequests: s.minimumRequests,
    }));
    return {
        config: {
            namespace: c.namespace as string,
            service: c.service as string,
            apiName: c.apiName as string,
            stage: c.stage as string,
            signals,
        },
        problems,
    };
}

/** The handler's configuration and region from the environment, or every problem with them. */
export function bridgeConfigFromEnv(
    env: NodeJS.ProcessEnv = process.env,
): { ok: true; config: BridgeConfig; region: string } | { ok: false; problems: ConfigProblem[] } {
    const { config, problems } = parseConfig(env.BRIDGE_CONFIG);
    const all: ConfigProblem[] = [
        ...problems.map((problem) => ({ variable: "BRIDGE_CONFIG", problem })),
        ...(isText(env.AWS_REGION)
            ? []
            : [{ variable: "AWS_REGION", problem: "must name this region (Lambda sets it)" }]),
    ];
    if (all.length > 0 || config === undefined) {
        return { ok: false, problems: all };
    }
    return { ok: true, config, region: env.AWS_REGION! };
}

let envHandler: BridgeHandler | undefined;

/** Lambda entry point: configured from BRIDGE_CONFIG and AWS_REGION on first use. */
export const handler: BridgeHandler = async () => {
    if (envHandler === undefined) {
        const result = bridgeConfigFromEnv();
        if (!result.ok) {
            // Not cached: every run of a misconfigured function fails, and says why.
            consoleLog("error", { msg: "function misconfigured", problems: result.problems });
            throw new Error(
                `function misconfigured: ${result.problems.map((p) => `${p.variable} ${p.problem}`).join("; ")}`,
            );
        }
        // One client per container, created once the configuration is known to be good.
        envHandler = createBridgeHandler({
            cloudwatch: new CloudWatchClient(bridgeClientConfig()),
            config: result.config,
            region: result.region,
        });
    }
    return envHandler();
};
