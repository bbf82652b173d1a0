// Evaluations of this repository's program (index.ts) under the harness's mock runtime, exactly as
// the plan runs it, shared by the stack and plan specs: each configuration is evaluated once per
// mocha run, however many specs read it. Evaluations are serialised (the runtime is one global).
import { EvaluatedStack, evaluateStack } from "../../plan/evaluate";
import { RecordedResource, withPlainStacks } from "../../plan/mockRuntime";
import { readProject, stackConfig } from "../../plan/stackFiles";
import { state } from "../harness";

/** The two-stack program of this repository. */
export const project = readProject();

/** `multi-region-api:<key>`, the config key of the project's namespace. */
export const key = (k: string) => `${project.name}:${k}`;

/** One program run: the plan's view of it and the runtime's records. */
export interface Evaluation {
    evaluated: EvaluatedStack;
    /** Every registration, with parent, provider reference, protect, ignoreChanges, dependencies. */
    recorded: RecordedResource[];
}

/**
 * The configuration a run of `stack` sees (its stack file merged with Pulumi.yaml, as the Pulumi
 * CLI hands it over), with `changes` applied: keys without a namespace are the project's, and
 * `undefined` removes a key.
 */
export function configOf(
    stack: string,
    changes: Record<string, string | undefined> = {},
): Record<string, string> {
    const config: Record<string, string | undefined> = { ...stackConfig(stack) };
    for (const [k, v] of Object.entries(changes)) {
        config[k.includes(":") ? k : key(k)] = v;
    }
    return Object.fromEntries(
        Object.entries(config).filter((e): e is [string, string] => e[1] !== undefined),
    );
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `work` (which uses the global runtime) after every earlier exclusive work has finished,
 * with plain stack traces.
 */
export function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const done = queue.then(() => withPlainStacks(work));
    queue = done.catch(() => undefined);
    return done;
}

const cache = new Map<string, Promise<Evaluation>>();

/**
 * Evaluates index.ts for `stack` with `changes` to its configuration (`secrets`: the project keys
 * set as secrets), once per configuration.
 */
export function evaluate(
    stack: string,
    changes: Record<string, string | undefined> = {},
    secrets: string[] = [],
): Promise<Evaluation> {
    const config = configOf(stack, changes);
    const id = JSON.stringify([stack, config, secrets]);
    let evaluation = cache.get(id);
    if (!evaluation) {
        evaluation = exclusive(async () => {
            const evaluated = await evaluateStack(state, project, stack, config, secrets.map(key));
            return { evaluated, recorded: [...state.resources] };
        });
        cache.set(id, evaluation);
    }
    return evaluation;
}

/** Hands the runtime back as the harness installed it (stack `test`, no config). */
export function restoreHarness(): Promise<void> {
    return exclusive(() => state.start(project.name, "test", {}));
}

/** The configurations the specs share. */
export const PROFILES = {
    primary: () => evaluate("primary"),
    secondary: () => evaluate("secondary"),
    /** A latency stack file omits failoverRole: the program sees Pulumi.yaml's default "". */
    latencyPrimary: () =>
        evaluate("primary", { routing: "latency", failoverRole: "", switchRegion: "eu-west-1" }),
    latencySecondary: () =>
        evaluate("secondary", { routing: "latency", failoverRole: "", switchRegion: "us-east-1" }),
    /** The primary's CNAME with its own TTL; the secondary's with the default TTL (10 s). */
    cnamePrimary: () => evaluate("primary", { recordType: "CNAME", recordTtl: "15" }),
    cnameSecondary: () => evaluate("secondary", { recordType: "CNAME" }),
    /** The optional settings: a 5XX guard, own health check settings and table name, no account logging. */
    customSecondary: () =>
        evaluate("secondary", {
            serverErrorAlarm: JSON.stringify({ threshold: 0.05, evaluationPeriods: 3 }),
            healthCheck: JSON.stringify({
                requestInterval: 30,
                failureThreshold: 2,
                regions: ["us-west-1", "sa-east-1", "ap-northeast-1"],
            }),
            tableName: "orders.v2",
            manageApiGatewayAccount: "false",
        }),
};

/** The drills of a failover pair for api.example.com, in the plan's order. */
export const FAILOVER_SCENARIOS = [
    "all healthy",
    "primary endpoint down (us-east-1)",
    "operator switch engaged (us-east-1)",
    "switch alarm without data, never engaged (us-east-1)",
    "switch engaged, then no new data (us-east-1)",
    "secondary down (eu-west-1)",
    "secondary down, switch engaged (us-east-1)",
    "both down",
    "both down, switch engaged",
].map((s) => `api.example.com failover: ${s}`);
