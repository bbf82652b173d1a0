import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_CHECKER_REGIONS } from "../components/failoverDomain";
import {
    HEALTH_CHECKER_REGIONS,
    LATENCY_REGIONS,
    isDnsName,
    isInZone,
    shown,
} from "../components/validation";

/** Config namespace of this project (`Pulumi.yaml` name). */
export const NAMESPACE = "multi-region-api";

export type Routing = "failover" | "latency";
export type Role = "primary" | "secondary";

/** Endpoint health check settings shared by every routed record of a stack. */
export interface HealthCheckSettings {
    requestInterval: 10 | 30;
    failureThreshold: number;
    regions: string[];
}

/** The validated configuration of one stack. */
export interface StackConfig {
    /** `aws:region`: the region this stack deploys. */
    region: string;
    routing: Routing;
    /** `primary` creates the global table; with failover routing it is also the PRIMARY record. */
    role: Role;
    /** The routed service name, for example `api.example.com`. */
    domainName: string;
    /** Public hosted zone holding `domainName` (looked up, never created). */
    zoneName: string;
    /** Region of this stack's operator switch; undefined when the stack has none. */
    switchRegion: string | undefined;
    healthCheck: HealthCheckSettings;
    tableName: string;
    /** Regions of the global table's replicas (primary only). */
    replicaRegions: string[];
    manageApiGatewayAccount: boolean;
    /** Take the region out while its API's 5XX rate stays high; undefined = off. */
    serverErrorAlarm: ServerErrorAlarm | undefined;
}

/** An alarm on the API's 5XXError rate (Average of the 0/1 metric per request) per minute. */
export interface ServerErrorAlarm {
    /** Error rate from 0 to 1 at or above which a minute breaches. */
    threshold: number;
    /** Consecutive breaching minutes that take the region out (1-10). */
    evaluationPeriods: number;
}

/** Defaults, the same as declared in `Pulumi.yaml`. */
export const DEFAULTS = {
    routing: "failover" as Routing,
    healthCheck: {
        requestInterval: 10 as const,
        failureThreshold: 3,
        regions: DEFAULT_CHECKER_REGIONS,
    },
    tableName: "multi-region-api-products",
    manageApiGatewayAccount: true,
};

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Reads and validates the stack's configuration. Every problem is reported at once, naming the key
 * and what it allows, before any resource is registered; `RunError` keeps the CLI output to the
 * message (no stack trace).
 */
export function loadStackConfig(): StackConfig {
    const project = new pulumi.Config(NAMESPACE);
    const raw = (key: string) => project.get(key);
    return parseStackConfig({
        "aws:region": new pulumi.Config("aws").get("region"),
        routing: raw("routing"),
        role: raw("role"),
        domainName: raw("domainName"),
        zoneName: raw("zoneName"),
        switchRegion: raw("switchRegion"),
        healthCheck: raw("healthCheck"),
        tableName: raw("tableName"),
        replicaRegions: raw("replicaRegions"),
        manageApiGatewayAccount: raw("manageApiGatewayAccount"),
        serverErrorAlarm: raw("serverErrorAlarm"),
    });
}

/** Validates raw config strings (as Pulumi stores them: objects and arrays as JSON). */
export function parseStackConfig(raw: Record<string, string | undefined>): StackConfig {
    const problems: string[] = [];
    const key = (k: string) => (k.includes(":") ? k : `${NAMESPACE}:${k}`);
    const fail = (k: string, allowed: string, got: unknown) =>
        problems.push(
            got === undefined
                ? `[${key(k)}] is required: ${allowed}`
                : `[${key(k)}] must be ${allowed} (got ${shown(got)})`,
        );
    const json = (k: string): unknown => {
        const v = raw[k];
        if (v === undefined) return undefined;
        try {
            return JSON.parse(v);
        } catch {
            return v; // reported by the type check of the caller
        }
    };
    const oneOf = <T extends string>(k: string, allowed: readonly T[], dflt?: T): T => {
        const v = raw[k] ?? dflt;
        if (v === undefined || !allowed.includes(v as T)) {
            fail(k, `one of ${allowed.map((a) => `"${a}"`).join(", ")}`, v);
        }
        return v as T;
    };

    const region = raw["aws:region"];
    if (region === undefined || !REGION.test(region))
        fail("aws:region", "an AWS region such as us-east-1", region);
    const routing = oneOf<Routing>("routing", ["failover", "latency"], DEFAULTS.routing);
    const role = oneOf<Role>("role", ["primary", "secondary"]);
    if (
        routing === "latency" &&
        region &&
        !(LATENCY_REGIONS as readonly string[]).includes(region)
    ) {
        fail("aws:region", "a region Route 53 latency routing supports", region);
    }

    const zoneName = raw.zoneName;
    if (zoneName === undefined || !isDnsName(zoneName)) {
        fail(
            "zoneName",
            "a lowercase DNS name without a trailing dot, such as example.com",
            zoneName,
        );
    }
    const domainName = raw.domainName;
    if (
        domainName === undefined ||
        !isDnsName(domainName) ||
        !isInZone(domainName, zoneName ?? "")
    ) {
        fail(
            "domainName",
            `a lowercase DNS name inside zoneName (${shown(zoneName)}), such as api.example.com`,
            domainName,
        );
    }

    // The switch must live outside the region it protects: failing over must not need that region.
    const needsSwitch = routing === "latency" || role === "primary";
    // Pulumi.yaml declares empty defaults (a declared key without one is required in every stack).
    const switchRegion = raw.switchRegion || undefined;
    if (needsSwitch && (switchRegion === undefined || !REGION.test(switchRegion))) {
        fail(
            "switchRegion",
            `the region of this stack's operator switch, other than aws:region (required for ${routing === "latency" ? "latency routing" : "the failover primary"})`,
            switchRegion,
        );
    } else if (needsSwitch && switchRegion === region) {
        fail(
            "switchRegion",
            "a region other than aws:region: the switch must not depend on the region it protects",
            switchRegion,
        );
    }

    const hc = json("healthCheck") ?? {};
    const healthCheck = {
        ...DEFAULTS.healthCheck,
        ...(typeof hc === "object" && hc !== null && !Array.isArray(hc) ? hc : {}),
    } as HealthCheckSettings;
    if (typeof hc !== "object" || hc === null || Array.isArray(hc)) {
        fail("healthCheck", "an object with requestInterval, failureThreshold, regions", hc);
    } else {
        const unknownKeys = Object.keys(hc).filter(
            (k) => !["requestInterval", "failureThreshold", "regions"].includes(k),
        );
        if (unknownKeys.length > 0)
            fail(
                "healthCheck",
                "an object with only requestInterval, failureThreshold, regions",
                unknownKeys.join(", "),
            );
        if (![10, 30].includes(healthCheck.requestInterval))
            fail(
                "healthCheck.requestInterval",
                "10 or 30 (seconds; Route 53 allows no other value)",
                healthCheck.requestInterval,
            );
        if (
            !Number.isInteger(healthCheck.failureThreshold) ||
            healthCheck.failureThreshold < 1 ||
            healthCheck.failureThreshold > 10
        ) {
            fail(
                "healthCheck.failureThreshold",
                "an integer from 1 to 10",
                healthCheck.failureThreshold,
            );
        }
        const regions = healthCheck.regions;
        if (
            !Array.isArray(regions) ||
            regions.length < 3 ||
            new Set(regions).size !== regions.length ||
            !regions.every((r) => (HEALTH_CHECKER_REGIONS as readonly string[]).includes(r))
        ) {
            fail(
                "healthCheck.regions",
                `at least 3 distinct Route 53 checker regions from ${HEALTH_CHECKER_REGIONS.join(", ")}`,
                regions,
            );
        }
    }

    const tableName = raw.tableName ?? DEFAULTS.tableName;
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName))
        fail("tableName", "3-255 letters, digits, '_', '-' or '.'", tableName);

    const replicas = json("replicaRegions");
    let replicaRegions: string[] = [];
    if (role === "primary") {
        if (
            !Array.isArray(replicas) ||
            replicas.length === 0 ||
            !replicas.every((r) => typeof r === "string" && REGION.test(r) && r !== region)
        ) {
            fail(
                "replicaRegions",
                "a non-empty list of regions other than aws:region for the global table's replicas (primary only)",
                replicas,
            );
        } else {
            replicaRegions = replicas as string[];
        }
    } else if (
        role === "secondary" &&
        (Array.isArray(replicas) ? replicas.length > 0 : replicas !== undefined)
    ) {
        fail(
            "replicaRegions",
            "unset on the secondary: the primary stack creates the global table and its replicas",
            replicas,
        );
    }

    const manage = raw.manageApiGatewayAccount ?? String(DEFAULTS.manageApiGatewayAccount);
    if (manage !== "true" && manage !== "false")
        fail("manageApiGatewayAccount", "true or false", manage);

    const alarm = json("serverErrorAlarm") as Partial<ServerErrorAlarm> | undefined;
    const alarmOk =
        alarm === undefined ||
        (typeof alarm === "object" &&
            alarm !== null &&
            Object.keys(alarm).every((k) => k === "threshold" || k === "evaluationPeriods") &&
            typeof alarm.threshold === "number" &&
            alarm.threshold > 0 &&
            alarm.threshold <= 1 &&
            Number.isInteger(alarm.evaluationPeriods) &&
            (alarm.evaluationPeriods as number) >= 1 &&
            (alarm.evaluationPeriods as number) <= 10);
    if (!alarmOk) {
        fail(
            "serverErrorAlarm",
            "unset, or an object with threshold (an error rate above 0, at most 1) and evaluationPeriods (1-10 minutes)",
            alarm,
        );
    }

    if (problems.length > 0) {
        throw new pulumi.RunError(`Invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
    }
    return {
        region: region as string,
        routing,
        role,
        domainName: domainName as string,
        zoneName: zoneName as string,
        switchRegion: needsSwitch ? switchRegion : undefined,
        healthCheck,
        tableName,
        replicaRegions,
        manageApiGatewayAccount: manage === "true",
        serverErrorAlarm: alarm as ServerErrorAlarm | undefined,
    };
}
