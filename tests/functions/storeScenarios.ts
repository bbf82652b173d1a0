// Scenarios that wait on timers, for apiStore.spec.ts, which runs this file in a child process:
// there no other spec shares the event loop and delays the timers being measured. Prints one JSON
// object: the answers, times and logs of each scenario.
import { performance } from "node:perf_hooks";
import type { DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { createApiHandler, storeClientConfig, type ApiDeps } from "../../functions/api";
import { createHealthHandler, healthClientConfig, HEALTH_TIMEOUT_MS } from "../../functions/health";
import type { LogEntry, LogLevel } from "../../functions/shared/log";
import {
    ACCESS,
    apiEvent,
    getEvent,
    localClient,
    NOW,
    putEvent,
    REGION,
    startLocalStore,
    startSilentStore,
    TABLE,
} from "./helpers";

/** One log entry a handler wrote. */
export interface Logged {
    level: LogLevel;
    entry: LogEntry;
}

/** One call against a silent store: the answer, how long it took, what the store and log saw. */
export interface Timed {
    result: APIGatewayProxyResult;
    ms: number;
    connections: number;
    logs: Logged[];
}

async function againstSilentStore(
    make: (
        endpoint: string,
        log: Logged[],
    ) => { call: () => Promise<APIGatewayProxyResult>; destroy: () => void },
): Promise<Timed> {
    const silent = await startSilentStore();
    const logs: Logged[] = [];
    const { call, destroy } = make(silent.endpoint, logs);
    try {
        const started = performance.now();
        const result = await call();
        const ms = performance.now() - started;
        return { result, ms, connections: silent.connections(), logs };
    } finally {
        destroy();
        await silent.close();
    }
}

function silentApi(
    config: DynamoDBClientConfig,
    deps: Partial<ApiDeps>,
    event: APIGatewayProxyEvent,
) {
    return (endpoint: string, logs: Logged[]) => {
        const client = localClient(endpoint, config);
        const api = createApiHandler({
            client,
            tableName: TABLE,
            region: REGION,
            access: ACCESS,
            log: (level, entry) => logs.push({ level, entry }),
            ...deps,
        });
        return { call: () => api(event), destroy: () => client.destroy() };
    };
}

/** The deadline injected where only the deadline can answer. */
export const INJECTED_DEADLINE_MS = 150;

const silentStores = () =>
    Promise.all([
        // The production client settings and deadline, measured.
        againstSilentStore(silentApi(storeClientConfig(), {}, getEvent("p-hang"))),
        // SDK timeouts off: only the deadline can answer.
        againstSilentStore(
            silentApi({ maxAttempts: 1 }, { deadlineMs: INJECTED_DEADLINE_MS }, getEvent("p-hang")),
        ),
        againstSilentStore(
            silentApi(
                { maxAttempts: 1 },
                { deadlineMs: INJECTED_DEADLINE_MS },
                putEvent("p-hang", '{"a":1}'),
            ),
        ),
        againstSilentStore((endpoint, logs) => {
            const client = localClient(endpoint, healthClientConfig());
            const health = createHealthHandler({
                client,
                tableName: TABLE,
                region: REGION,
                timeoutMs: HEALTH_TIMEOUT_MS,
                log: (level, entry) => logs.push({ level, entry }),
            });
            return {
                call: () => health(apiEvent({ resource: "/health", path: "/health" })),
                destroy: () => client.destroy(),
            };
        }),
    ]);

// A store that stops and comes back: 503 with retry-after while it is down, then success.
const stopAndRestart = async () => {
    const store = await startLocalStore();
    const client = localClient(store.endpoint, storeClientConfig());
    const logs: Logged[] = [];
    const log = (level: LogLevel, entry: LogEntry) => logs.push({ level, entry });
    const api = createApiHandler({
        client,
        tableName: TABLE,
        region: REGION,
        access: ACCESS,
        now: () => NOW,
        log,
    });
    try {
        const before = await api(putEvent("p-1", '{"v":1}'));
        await store.stop();
        const down = await Promise.all([api(getEvent("p-1")), api(putEvent("p-1", '{"v":2}'))]);
        const downLogs = logs.splice(0);
        // Restarted on the same port: dynalite's store starts empty, the table is recreated.
        await store.restart();
        const missing = await api(getEvent("p-1"));
        const put = await api(putEvent("p-1", '{"v":3}'));
        const got = await api(getEvent("p-1"));
        return { before, down, downLogs, missing, put, got, after: logs };
    } finally {
        client.destroy();
        await store.close();
    }
};

/** Runs every scenario at once. */
export async function runScenarios() {
    const [[production, injectedGet, injectedPut, health], restart] = await Promise.all([
        silentStores(),
        stopAndRestart(),
    ]);
    return { production, injectedGet, injectedPut, health, restart };
}

/** What {@link runScenarios} prints. */
export type ScenarioResults = Awaited<ReturnType<typeof runScenarios>>;

if (require.main === module) {
    runScenarios().then(
        (results) => process.stdout.write(JSON.stringify(results)),
        (error: unknown) => {
            console.error(error);
            process.exitCode = 1;
        },
    );
}
