import * as pulumi from "@pulumi/pulumi";
import { SERVER_ERROR_RULES, ServerErrorThresholds } from "../components/alarmHealthCheck";
import { CHAOS_DEFAULTS, CHAOS_RULES } from "../components/chaos";
import {
    DERIVED_METRIC_GUARD_DEFAULTS,
    DERIVED_METRIC_GUARD_RULES,
    DerivedSignal,
} from "../components/derivedMetricGuard";
import {
    FAILOVER_DOMAIN_DEFAULTS,
    FailoverRole,
    RoutedRecordType,
    RoutingPolicy,
} from "../components/failoverDomain";
import { REGIONAL_API_DEFAULTS, WAF_RULES, WafRateLimit } from "../components/regionalApi";
import {
    Rule,
    accessTokensProblem,
    awsRegion,
    problemWith,
    regionBeside,
    checkerRegions,
    dnsName,
    failureThreshold,
    integerFrom,
    latencyRegion,
    oneOf,
    requestInterval,
    serviceNameInZone,
    shown,
    tableName,
    unknownKeyProblem,
} from "../components/validation";

/** Endpoint health check settings of the stack's routed record. */
export interface HealthCheckSettings {
    requestInterval: number;
    failureThreshold: number;
    regions: string[];
}

/** The validated configuration of one region. */
export interface StackConfig {
    /** `aws:region`: the region this stack deploys. */
    region: string;
    routing: RoutingPolicy;
    /** With failover routing: this region's record. */
    failoverRole: FailoverRole | undefined;
    /** The routed service name, for example `api.example.com`. */
    domainName: string;
    /** Public hosted zone holding `domainName` (looked up, never created). */
    zoneName: string;
    /** Region of this stack's operator switch; undefined when the stack has none. */
    switchRegion: string | undefined;
    healthCheck: HealthCheckSettings;
    tableName: string;
    /** The region whose stack creates the global table; every other stack adds its replica. */
    tableRegion: string;
    manageApiGatewayAccount: boolean;
    /** Take the region out while its API's 5XX rate stays high; undefined = off. */
    serverErrorAlarm: ServerErrorThresholds | undefined;
    recordType: RoutedRecordType;
    /** TTL of a CNAME routed record; undefined for an alias. */
    recordTtl: number | undefined;
    /** Bearer tokens that may write (from secret config); undefined = the API is read-only. */
    accessTokens: string[] | undefined;
    publicReads: boolean;
    /** Per-client-IP rate limit by AWS WAF; undefined = no web ACL. */
    waf: WafRateLimit | undefined;
    /** FIS chaos experiments on this region, stopped when a peer turns unhealthy; undefined = off. */
    chaos: ChaosConfig | undefined;
    /** A dashboard and notifications (FailoverObservability); undefined = off. */
    observability: ObservabilityConfig | undefined;
    /** Take the region out while its API's p99 latency stays high (a derived metric); undefined = off. */
    latencyGuard: DerivedGuardConfig | undefined;
    /** Take the region out while its API's 5XX rate stays high, with enough traffic; undefined = off. */
    errorRateGuard: DerivedGuardConfig | undefined;
}

/** `observability`: who is told, and which regions this one watches (a PeerProbe). */
export interface ObservabilityConfig {
    /** The service's other regions, watched from this one: the path that survives us-east-1. */
    peers: string[];
    emails: string[];
    httpsEndpoints: string[];
    topicArns: string[];
}

/** `latencyGuard` (threshold in milliseconds) and `errorRateGuard` (threshold in percent). */
export interface DerivedGuardConfig {
    threshold: number;
    evaluationPeriods: number;
    minimumRequests: number;
}

/** `chaos`: make the region chaos-ready (RegionalApi `chaos`), watched by a PeerProbe. */
export interface ChaosConfig {
    /** Regions whose health, as this region observes it, stops any experiment (1-5). */
    peers: string[];
    maxDurationMinutes: number;
    delayMilliseconds: number;
}

/** Defaults of the stack config; `Pulumi.yaml` declares the same (a test keeps them equal). */
export const STACK_DEFAULTS = {
    routing: RoutingPolicy.Failover,
    healthCheck: {
        requestInterval: FAILOVER_DOMAIN_DEFAULTS.requestInterval,
        failureThreshold: FAILOVER_DOMAIN_DEFAULTS.failureThreshold,
        regions: FAILOVER_DOMAIN_DEFAULTS.checkerRegions,
    },
    tableName: "multi-region-api-products",
    manageApiGatewayAccount: true,
    recordType: RoutedRecordType.Alias,
    recordTtl: FAILOVER_DOMAIN_DEFAULTS.ttl,
    publicReads: REGIONAL_API_DEFAULTS.publicReads,
};

/** The project's config keys (without namespace); anything else in the namespace is a typo. */
const KEYS = [
    "routing",
    "failoverRole",
    "domainName",
    "zoneName",
    "switchRegion",
    "healthCheck",
    "tableName",
    "tableRegion",
    "manageApiGatewayAccount",
    "serverErrorAlarm",
    "recordType",
    "recordTtl",
    "accessTokens",
    "publicReads",
    "waf",
    "chaos",
    "observability",
    "latencyGuard",
    "errorRateGuard",
] as const;

// The SDK's own record of which config values were set with `--secret` (internal, not typed).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as {
    isConfigSecret(key: string): boolean;
};

/**
 * Reads and validates this stack's configuration. Every problem is reported at once, naming the
 * key and what it allows, before any resource is registered; `RunError` keeps the CLI output to
 * the message (no stack trace).
 */
export function loadStackConfig(): StackConfig {
    const all = pulumi.runtime.allConfig();
    const secretKeys = Object.keys(all).filter((key) => runtimeConfig.isConfigSecret(key));
    return stackConfigOf(all, secretKeys, pulumi.getProject());
}

/**
 * The validated configuration of a stack from its full-key values (`namespace:key`, `aws:region`),
 * as a program run sees them; `secretKeys`: the full keys set as secrets.
 */
export function stackConfigOf(
    values: Record<string, string>,
    secretKeys: readonly string[],
    namespace: string,
): StackConfig {
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
        if (key === "aws:region") {
            raw[key] = value;
        } else if (key.startsWith(`${namespace}:`)) {
            raw[key.slice(namespace.length + 1)] = value;
        }
    }
    return parseStackConfig(raw, namespace, secretKeys);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads raw config values and collects every problem, each naming its full key. */
class ConfigReader {
    readonly problems: string[] = [];

    constructor(
        readonly raw: Record<string, string | undefined>,
        private readonly namespace: string,
    ) {}

    fail(key: string, message: string): void {
        this.problems.push(`[${key.includes(":") ? key : `${this.namespace}:${key}`}] ${message}`);
    }

    /** Returns `value`, recording a problem unless `rule` allows it. */
    check<T>(key: string, value: T, rule: Rule): T {
        const problem = problemWith(value, rule);
        if (problem !== undefined) {
            this.fail(key, problem);
        }
        return value;
    }

    /** A value Pulumi stores as JSON (objects, arrays, numbers); unparsable text as is. */
    json(key: string): unknown {
        const v = this.raw[key];
        if (v === undefined || v === "") {
            return undefined;
        }
        try {
            return JSON.parse(v) as unknown;
        } catch {
            return v; // reported by the caller's rule
        }
    }

    onlyFor(key: string, when: string): void {
        if (this.raw[key] !== undefined && this.raw[key] !== "") {
            this.fail(key, `applies only ${when}; remove it`);
        }
    }

    /** An object setting: only the keys of `rules`, each checked, over `defaults`. */
    object(key: string, rules: Record<string, Rule>, defaults: Record<string, unknown> = {}) {
        const value = this.json(key);
        if (value === undefined) {
            return undefined;
        }
        const names = Object.keys(rules).join(", ");
        if (!isObject(value)) {
            this.fail(key, `must be an object with ${names} (got ${shown(value)})`);
            return undefined;
        }
        for (const k of Object.keys(value).filter((k) => !(k in rules))) {
            this.fail(`${key}.${k}`, unknownKeyProblem(k, Object.keys(rules), key, "setting"));
        }
        const merged = { ...defaults, ...value };
        for (const [k, rule] of Object.entries(rules)) {
            this.check(`${key}.${k}`, merged[k], rule);
        }
        return merged;
    }
}

/** Routing, the failover role and the operator switch's region. */
function readRouting(r: ConfigReader, region: string) {
    const routing = r.check(
        "routing",
        r.raw.routing ?? STACK_DEFAULTS.routing,
        oneOf(Object.values(RoutingPolicy)),
    ) as RoutingPolicy;
    let failoverRole: FailoverRole | undefined;
    if (routing === RoutingPolicy.Latency) {
        r.check("aws:region", region, latencyRegion);
        r.onlyFor("failoverRole", "to failover routing");
    } else if (routing === RoutingPolicy.Failover) {
        failoverRole = r.check(
            "failoverRole",
            r.raw.failoverRole || undefined,
            oneOf(Object.values(FailoverRole)),
        ) as FailoverRole;
    }
    // The switch must live outside the region it protects: failing over must not need that region.
    let switchRegion: string | undefined;
    if (routing === RoutingPolicy.Latency || failoverRole === FailoverRole.Primary) {
        switchRegion = r.check(
            "switchRegion",
            r.raw.switchRegion || undefined,
            (v) =>
                regionBeside(region)(v) ??
                (v === region
                    ? "a region other than aws:region: the switch must not depend on the region it protects"
                    : undefined),
        );
    } else if (failoverRole === FailoverRole.Secondary) {
        r.onlyFor("switchRegion", "to the failover PRIMARY and to latency routing");
    }
    return { routing, failoverRole, switchRegion };
}

/**
 * Who may write and read: access tokens (one secret, comma-separated for rotation) and whether
 * reads are public. Tokens are never quoted in a message.
 */
function readAccess(r: ConfigReader, secretKeys: readonly string[], namespace: string) {
    const text = r.raw.accessTokens;
    let accessTokens: string[] | undefined;
    if (text !== undefined && text !== "") {
        accessTokens = text.split(",").map((t) => t.trim());
        if (!secretKeys.includes(`${namespace}:accessTokens`)) {
            r.fail(
                "accessTokens",
                'must be set as a secret, or it is stored in plain text: pulumi config set --secret accessTokens "$(openssl rand -hex 32)"',
            );
        }
        const problem = accessTokensProblem(accessTokens);
        if (problem !== undefined) {
            r.fail("accessTokens", problem);
        }
    }
    const publicReads = r.raw.publicReads ?? String(STACK_DEFAULTS.publicReads);
    r.check("publicReads", publicReads, oneOf(["true", "false"]));
    if (publicReads === "false" && accessTokens === undefined) {
        r.fail("publicReads", "false needs accessTokens: without a token nobody could read");
    }
    return { accessTokens, publicReads: publicReads !== "false" };
}

/** The routed record's type and, for a CNAME, its TTL. */
function readRecord(r: ConfigReader) {
    const recordType = r.check(
        "recordType",
        r.raw.recordType ?? STACK_DEFAULTS.recordType,
        oneOf(Object.values(RoutedRecordType)),
    ) as RoutedRecordType;
    let recordTtl: number | undefined;
    if (recordType === RoutedRecordType.Cname) {
        recordTtl = r.check(
            "recordTtl",
            (r.json("recordTtl") as number | undefined) ?? STACK_DEFAULTS.recordTtl,
            integerFrom(1, 60, " seconds"),
        );
    } else {
        r.onlyFor("recordTtl", "to a CNAME routed record (recordType CNAME)");
    }
    return { recordType, recordTtl };
}

/**
 * Validates raw config values as Pulumi hands them to a program (strings; objects and arrays as
 * JSON), keyed without namespace except `aws:region`; messages name keys in `namespace` (the
 * Pulumi project's name). Rules are the components' own.
 */
export function parseStackConfig(
    raw: Record<string, string | undefined>,
    namespace = pulumi.getProject(),
    secretKeys: readonly string[] = [],
): StackConfig {
    const r = new ConfigReader(raw, namespace);
    for (const k of Object.keys(raw)) {
        if (k !== "aws:region" && !(KEYS as readonly string[]).includes(k)) {
            // `region` in the project's namespace is most likely aws:region.
            r.fail(k, unknownKeyProblem(k, KEYS, "this program", "setting", ["aws:region"]));
        }
    }
    const region = r.check("aws:region", raw["aws:region"], awsRegion) as string;
    const routing = readRouting(r, region);
    const zoneName = r.check("zoneName", raw.zoneName, dnsName) as string;
    const domainName = r.check("domainName", raw.domainName, serviceNameInZone(zoneName)) as string;
    const healthCheck = (r.object(
        "healthCheck",
        { requestInterval, failureThreshold, regions: checkerRegions },
        STACK_DEFAULTS.healthCheck,
    ) ?? STACK_DEFAULTS.healthCheck) as HealthCheckSettings;
    const table = r.check("tableName", raw.tableName ?? STACK_DEFAULTS.tableName, tableName);
    const tableRegion = r.check("tableRegion", raw.tableRegion, regionBeside(region)) as string;
    const manage = raw.manageApiGatewayAccount ?? String(STACK_DEFAULTS.manageApiGatewayAccount);
    r.check("manageApiGatewayAccount", manage, oneOf(["true", "false"]));
    const serverErrorAlarm = r.object("serverErrorAlarm", SERVER_ERROR_RULES);
    const record = readRecord(r);
    if (record.recordType === RoutedRecordType.Cname && domainName === zoneName) {
        r.fail(
            "recordType",
            `CNAME cannot route the zone apex ${shown(zoneName)}: DNS allows no CNAME beside the zone's SOA and NS records; use alias, or a domainName below the zone`,
        );
    }
    const access = readAccess(r, secretKeys, namespace);
    const waf = r.object("waf", WAF_RULES, {
        evaluationWindowSec: REGIONAL_API_DEFAULTS.wafEvaluationWindowSec,
    });
    const chaos = r.object(
        "chaos",
        {
            peers: peersOf(region, "whose health, watched from this region, stops an experiment"),
            ...CHAOS_RULES,
        },
        CHAOS_DEFAULTS,
    );
    const observability = r.object(
        "observability",
        {
            peers: peersOf(region, "whose health this region watches and reports"),
            emails: listOf(
                (v) =>
                    typeof v === "string" &&
                    v.length <= 254 &&
                    /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v),
                "e-mail addresses (at most 254 characters)",
            ),
            httpsEndpoints: listOf(httpsUrl, "https:// URLs"),
            topicArns: listOf(
                (v) =>
                    typeof v === "string" &&
                    /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(v),
                "SNS topic ARNs (arn:aws:sns:<region>:<account>:<name>)",
            ),
        },
        { emails: [], httpsEndpoints: [], topicArns: [] },
    ) as ObservabilityConfig | undefined;
    if (observability && Array.isArray(observability.topicArns)) {
        // An alarm notifies only topics of its own region: this stack's alarms live in its region,
        // us-east-1 (Route 53's metrics), the switch's region and each region replicating to it.
        const where = [
            ...new Set([
                region,
                "us-east-1",
                ...(routing.switchRegion ? [routing.switchRegion] : []),
                ...(tableRegion ? [tableRegion] : []),
                ...(Array.isArray(observability.peers) ? observability.peers : []),
            ]),
        ];
        const elsewhere = observability.topicArns.filter(
            (arn) => typeof arn === "string" && !where.includes(arn.split(":")[3]),
        );
        if (elsewhere.length > 0) {
            r.fail(
                "observability.topicArns",
                `${elsewhere.join(", ")}: an alarm only notifies topics of its own region, and this stack's alarms live in ${where.join(", ")}`,
            );
        }
    }
    const guard = (key: string, signal: DerivedSignal) =>
        r.object(
            key,
            {
                threshold: DERIVED_METRIC_GUARD_RULES.threshold[signal],
                evaluationPeriods: DERIVED_METRIC_GUARD_RULES.evaluationPeriods,
                minimumRequests: DERIVED_METRIC_GUARD_RULES.minimumRequests,
            },
            {
                evaluationPeriods: DERIVED_METRIC_GUARD_DEFAULTS.evaluationPeriods,
                minimumRequests: DERIVED_METRIC_GUARD_DEFAULTS.minimumRequests,
            },
        ) as DerivedGuardConfig | undefined;
    const latencyGuard = guard("latencyGuard", DerivedSignal.LatencyP99);
    const errorRateGuard = guard("errorRateGuard", DerivedSignal.ErrorRate);

    if (r.problems.length > 0) {
        throw new pulumi.RunError(`Invalid stack configuration:\n  - ${r.problems.join("\n  - ")}`);
    }
    return {
        region,
        ...routing,
        domainName,
        zoneName,
        healthCheck,
        tableName: table,
        tableRegion,
        manageApiGatewayAccount: manage === "true",
        serverErrorAlarm: serverErrorAlarm as ServerErrorThresholds | undefined,
        ...record,
        ...access,
        waf: waf as WafRateLimit | undefined,
        chaos: chaos as ChaosConfig | undefined,
        observability,
        latencyGuard,
        errorRateGuard,
    };
}

/** At most 5 peers: FIS allows 5 stop conditions per experiment template, one per peer. */
const MAX_PEERS = 5;

/** A list whose every item `ok` accepts, each once. */
function listOf(ok: (v: unknown) => boolean, what: string): Rule {
    return (v) =>
        Array.isArray(v) && v.every(ok) && new Set(v).size === v.length
            ? undefined
            : `a list of ${what}, each once`;
}

const httpsUrl = (v: unknown) => {
    try {
        return typeof v === "string" && !/\s/.test(v) && new URL(v).protocol === "https:";
    } catch {
        return false;
    }
};

/** `chaos.peers`, `observability.peers`: other regions of the service, each watched from this one. */
function peersOf(region: string, purpose: string): Rule {
    return (v) => {
        if (!Array.isArray(v) || v.length < 1 || v.length > MAX_PEERS) {
            return `a list of 1 to ${MAX_PEERS} regions (the service's other regions) ${purpose}`;
        }
        for (const peer of v as unknown[]) {
            const problem = problemWith(peer, awsRegion);
            if (problem !== undefined) {
                return `AWS regions; ${shown(peer)} is not (${problem})`;
            }
            if (peer === region) {
                return `regions other than aws:region ${shown(peer)}: a peer is the region that must stay healthy while this one is broken`;
            }
        }
        return new Set(v).size === v.length ? undefined : "each region once";
    };
}
