import * as pulumi from "@pulumi/pulumi";
import { SERVER_ERROR_RULES, ServerErrorThresholds } from "../components/alarmHealthCheck";
import {
    FAILOVER_DOMAIN_DEFAULTS,
    FailoverRole,
    RoutedRecordType,
    RoutingPolicy,
} from "../components/failoverDomain";
import {
    Rule,
    awsRegion,
    checkerRegions,
    dnsName,
    failureThreshold,
    integerFrom,
    latencyRegion,
    nameInZone,
    oneOf,
    requestInterval,
    shown,
    tableName,
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
] as const;

/**
 * Reads and validates this stack's configuration. Every problem is reported at once, naming the
 * key and what it allows, before any resource is registered; `RunError` keeps the CLI output to
 * the message (no stack trace).
 */
export function loadStackConfig(): StackConfig {
    const namespace = pulumi.getProject();
    const raw: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key === "aws:region") raw[key] = value;
        else if (key.startsWith(`${namespace}:`)) raw[key.slice(namespace.length + 1)] = value;
    }
    return parseStackConfig(raw, namespace);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Validates raw config values as Pulumi hands them to a program (strings; objects and arrays as
 * JSON), keyed without namespace except `aws:region`. Rules are the components' own.
 */
export function parseStackConfig(
    raw: Record<string, string | undefined>,
    namespace = "multi-region-api",
): StackConfig {
    const problems: string[] = [];
    const full = (k: string) => (k.includes(":") ? k : `${namespace}:${k}`);
    const fail = (k: string, message: string) => problems.push(`[${full(k)}] ${message}`);
    const check = <T>(k: string, value: T, rule: Rule): T => {
        const allowed = rule(value);
        if (allowed !== undefined) {
            fail(
                k,
                value === undefined
                    ? `is required: ${allowed}`
                    : `must be ${allowed} (got ${shown(value)})`,
            );
        }
        return value;
    };
    const json = (k: string): unknown => {
        const v = raw[k];
        if (v === undefined || v === "") return undefined;
        try {
            return JSON.parse(v);
        } catch {
            return v; // reported by the rule of the caller
        }
    };
    const onlyFor = (k: string, when: string) => {
        if (raw[k] !== undefined && raw[k] !== "") fail(k, `applies only ${when}; remove it`);
    };

    for (const k of Object.keys(raw)) {
        if (k !== "aws:region" && !(KEYS as readonly string[]).includes(k)) {
            fail(k, `is not a setting of this program; its settings are ${KEYS.join(", ")}`);
        }
    }
    const region = check("aws:region", raw["aws:region"], awsRegion) as string;
    const routing = check(
        "routing",
        raw.routing ?? STACK_DEFAULTS.routing,
        oneOf(Object.values(RoutingPolicy)),
    ) as RoutingPolicy;
    let failoverRole: FailoverRole | undefined;
    if (routing === RoutingPolicy.Latency) {
        check("aws:region", region, latencyRegion);
        onlyFor("failoverRole", "to failover routing");
    } else {
        failoverRole = check(
            "failoverRole",
            raw.failoverRole,
            oneOf(Object.values(FailoverRole)),
        ) as FailoverRole;
    }
    const zoneName = check("zoneName", raw.zoneName, dnsName) as string;
    const domainName = check("domainName", raw.domainName, nameInZone(zoneName)) as string;

    // The switch must live outside the region it protects: failing over must not need that region.
    let switchRegion: string | undefined;
    if (routing === RoutingPolicy.Latency || failoverRole === FailoverRole.Primary) {
        switchRegion = check(
            "switchRegion",
            raw.switchRegion || undefined,
            (v) =>
                awsRegion(v) ??
                (v === region
                    ? "a region other than aws:region: the switch must not depend on the region it protects"
                    : undefined),
        ) as string;
    } else {
        onlyFor("switchRegion", "to the failover PRIMARY and to latency routing");
    }

    const hc = json("healthCheck") ?? {};
    const healthCheck = {
        ...STACK_DEFAULTS.healthCheck,
        ...(isObject(hc) ? hc : {}),
    } as HealthCheckSettings;
    if (!isObject(hc)) {
        fail(
            "healthCheck",
            `must be an object with requestInterval, failureThreshold, regions (got ${shown(hc)})`,
        );
    } else {
        for (const k of Object.keys(hc).filter((k) => !(k in STACK_DEFAULTS.healthCheck))) {
            fail(
                `healthCheck.${k}`,
                "is not a health check setting: requestInterval, failureThreshold, regions",
            );
        }
        check("healthCheck.requestInterval", healthCheck.requestInterval, requestInterval);
        check("healthCheck.failureThreshold", healthCheck.failureThreshold, failureThreshold);
        check("healthCheck.regions", healthCheck.regions, checkerRegions);
    }

    const table = check("tableName", raw.tableName ?? STACK_DEFAULTS.tableName, tableName);
    const tableRegion = check("tableRegion", raw.tableRegion, awsRegion) as string;

    const manage = raw.manageApiGatewayAccount ?? String(STACK_DEFAULTS.manageApiGatewayAccount);
    check("manageApiGatewayAccount", manage, oneOf(["true", "false"]));

    const alarm = json("serverErrorAlarm");
    if (alarm !== undefined) {
        if (!isObject(alarm)) {
            fail(
                "serverErrorAlarm",
                `must be an object with threshold and evaluationPeriods (got ${shown(alarm)})`,
            );
        } else {
            for (const k of Object.keys(alarm).filter((k) => !(k in SERVER_ERROR_RULES))) {
                fail(`serverErrorAlarm.${k}`, "is not a setting: threshold, evaluationPeriods");
            }
            check("serverErrorAlarm.threshold", alarm.threshold, SERVER_ERROR_RULES.threshold);
            check(
                "serverErrorAlarm.evaluationPeriods",
                alarm.evaluationPeriods,
                SERVER_ERROR_RULES.evaluationPeriods,
            );
        }
    }

    const recordType = check(
        "recordType",
        raw.recordType ?? STACK_DEFAULTS.recordType,
        oneOf(Object.values(RoutedRecordType)),
    ) as RoutedRecordType;
    let recordTtl: number | undefined;
    if (recordType === RoutedRecordType.Cname) {
        recordTtl = check(
            "recordTtl",
            (json("recordTtl") as number | undefined) ?? STACK_DEFAULTS.recordTtl,
            integerFrom(1, 60, " seconds"),
        );
    } else {
        onlyFor("recordTtl", "to a CNAME routed record (recordType CNAME)");
    }

    if (problems.length > 0) {
        throw new pulumi.RunError(`Invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
    }
    return {
        region,
        routing,
        failoverRole,
        domainName,
        zoneName,
        switchRegion,
        healthCheck,
        tableName: table,
        tableRegion,
        manageApiGatewayAccount: manage === "true",
        serverErrorAlarm: alarm as ServerErrorThresholds | undefined,
        recordType,
        recordTtl,
    };
}
