/**
 * Offline Route 53 answer simulator.
 *
 * Given the hosted zones, records and health checks exactly as `@pulumi/aws` v7 registers them
 * (Pulumi input field names), and a scenario describing what the world looks like (which endpoints,
 * alarms and AWS targets are healthy), it answers "what would Route 53 return for this name?".
 *
 * It models what the plan's drills resolve: failover and latency groups (and simple records) whose
 * records are aliases to AWS resources or non-alias values. Every non-obvious rule carries a source
 * key defined in docs/aws-sources.md. Pure functions over plain data: no Pulumi, no I/O,
 * deterministic.
 *
 * Refused with a {@link NotModelledError} naming the record or check, rather than answered
 * wrongly: weighted, multivalue answer, geolocation, geoproximity and IP-based routing; aliases to
 * other records (nested alias trees); RECOVERY_CONTROL health checks. Input Route 53 would refuse
 * (or a value left undefined) is refused with a plain Error naming the record or check, by its
 * Pulumi field names. Not modelled: wildcard records, the per-checker 18 % aggregation (an
 * endpoint's health is given directly by the scenario), and time.
 */

/** A hosted zone: its id and apex name. */
export interface SimZone {
    id: string;
    name: string;
}

/** `aws.route53.HealthCheck` inputs plus the health check's id. */
export interface SimHealthCheck {
    id: string;
    /** HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH, TCP, CALCULATED or CLOUDWATCH_METRIC. */
    type: string;
    disabled?: boolean;
    invertHealthcheck?: boolean;
    /** CALCULATED only. */
    childHealthchecks?: string[];
    /** CALCULATED only: healthy iff at least this many children are healthy. */
    childHealthThreshold?: number;
    /** CLOUDWATCH_METRIC only. */
    cloudwatchAlarmName?: string;
    /** CLOUDWATCH_METRIC only: the region the alarm lives in. */
    cloudwatchAlarmRegion?: string;
    /** CLOUDWATCH_METRIC only: "Healthy", "Unhealthy" or "LastKnownStatus" (the default). */
    insufficientDataHealthStatus?: string;
    fqdn?: string;
    resourcePath?: string;
    /** Seconds between checks, 10 or 30 (AWS default 30). */
    requestInterval?: number;
    /** Consecutive results needed to change status, 1 to 10 (AWS default 3). */
    failureThreshold?: number;
    regions?: string[];
    searchString?: string;
    /** Latency measurement (a billed optional feature). */
    measureLatency?: boolean;
}

/** `aws.route53.Record` inputs, plus who declared the record. */
export interface SimRecord {
    /** Who declared it (for example stack/resource name), used in reports and errors. */
    label: string;
    zoneId: string;
    /** FQDN (with or without trailing dot) or relative to the zone. */
    name: string;
    type: string;
    setIdentifier?: string;
    healthCheckId?: string;
    ttl?: number;
    records?: string[];
    aliases?: { name: string; zoneId: string; evaluateTargetHealth: boolean }[];
    /** PRIMARY | SECONDARY. */
    failoverRoutingPolicies?: { type: string }[];
    latencyRoutingPolicies?: { region: string }[];
    /** Read only to refuse the record: these policies are not modelled. */
    weightedRoutingPolicies?: unknown[];
    /** @see weightedRoutingPolicies */
    multivalueAnswerRoutingPolicy?: boolean;
    /** @see weightedRoutingPolicies */
    geolocationRoutingPolicies?: unknown[];
    /** @see weightedRoutingPolicies */
    geoproximityRoutingPolicy?: unknown;
    /** @see weightedRoutingPolicies */
    cidrRoutingPolicy?: unknown;
}

/** The scenario: what the world looks like. */
export interface HealthInputs {
    /**
     * Endpoint (HTTP/HTTPS/*_STR_MATCH/TCP) health check id -> healthy? Missing => healthy (a new
     * check with no data is healthy).
     */
    endpoints?: Record<string, boolean>;
    /** Key `${cloudwatchAlarmRegion}/${cloudwatchAlarmName}`; missing => "OK". */
    alarms?: Record<string, "OK" | "ALARM" | "INSUFFICIENT_DATA">;
    /**
     * Health check id -> last known status, before inversion (used by LastKnownStatus; missing =>
     * healthy).
     */
    lastKnown?: Record<string, boolean>;
    /**
     * Alias DNS name of an AWS resource (for example an API Gateway regional domain name) -> is the
     * AWS service healthy? Missing => healthy; only read when evaluateTargetHealth is true.
     */
    awsTargets?: Record<string, boolean>;
}

/** Who is asking: AWS regions ordered nearest first, for latency routing. */
export interface Client {
    latencyOrder: string[];
}

/** Routing policy of a record or a name/type group. */
export type RoutingPolicy = "simple" | "failover" | "latency";

/** What Route 53 answers for a name/type. */
export interface Answer {
    /** The record whose value or alias target is returned. */
    record: SimRecord;
    target: { kind: "alias"; name: string; zoneId: string } | { kind: "values"; values: string[] };
    /** True if the "all unhealthy => all healthy" last resort was used. */
    failOpen: boolean;
    policy: RoutingPolicy;
}

/** Arguments of {@link resolve}. */
export interface ResolveArgs {
    zones: SimZone[];
    records: SimRecord[];
    checks: SimHealthCheck[];
    inputs: HealthInputs;
    /** Needed for latency routing; without it, regions rank alphabetically. */
    client?: Client;
    /** Queried name, case-insensitive, trailing dot optional. */
    name: string;
    /** Queried type, default "A". */
    type?: string;
}

/** Endpoint health check types, whose status comes from `inputs.endpoints`. */
export const ENDPOINT_CHECK_TYPES: readonly string[] = [
    "HTTP",
    "HTTPS",
    "HTTP_STR_MATCH",
    "HTTPS_STR_MATCH",
    "TCP",
];

const INSUFFICIENT_DATA_STATUSES = ["Healthy", "Unhealthy", "LastKnownStatus"];
const ALARM_STATES = ["OK", "ALARM", "INSUFFICIENT_DATA"];

/**
 * A refusal for something Route 53 offers but nothing here models (weighted routing, a
 * RECOVERY_CONTROL check, ...): the input may well be right; it is only not simulated.
 */
export class NotModelledError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "NotModelledError";
    }
}

/** Record fields of the routing policies Route 53 offers but the simulator refuses. */
const UNMODELLED_ROUTING_POLICIES: [keyof SimRecord, string][] = [
    ["weightedRoutingPolicies", "weighted routing"],
    ["multivalueAnswerRoutingPolicy", "multivalue answer routing"],
    ["geolocationRoutingPolicies", "geolocation routing"],
    ["geoproximityRoutingPolicy", "geoproximity routing"],
    ["cidrRoutingPolicy", "IP-based routing"],
];

/**
 * The error for a health check of a type nothing here models: RECOVERY_CONTROL (a Route 53 ARC
 * routing control) or a type AWS does not have. Shared so the simulator, the failover budget and
 * the cost model refuse the same checks with the same words.
 */
export function unmodelledCheckTypeError(check: SimHealthCheck): Error {
    if (check.type === "RECOVERY_CONTROL") {
        return new NotModelledError(
            `Health check "${check.id}" is RECOVERY_CONTROL (a Route 53 ARC routing control), which is not modelled`,
        );
    }
    if (typeof check.type !== "string") {
        return new Error(`Health check "${check.id}" has no type`);
    }
    return new Error(`Health check "${check.id}" has unknown type "${check.type}"`);
}

/**
 * The routing policy of `record` that Route 53 offers but nothing here models ("weighted
 * routing", ...), or undefined.
 */
export function unmodelledRoutingPolicy(record: SimRecord): string | undefined {
    return UNMODELLED_ROUTING_POLICIES.find(([field]) => !isUnset(record[field]))?.[1];
}

/** Lower-cases a DNS name and drops a trailing dot (names compare case-insensitively). */
export function normalizeDnsName(name: string): string {
    const lower = name.toLowerCase();
    return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/**
 * The fully qualified name of a record named `name` in the zone `zoneName` (see
 * {@link qualifyRecordName}), lower case without trailing dot.
 */
export function recordFqdn(name: string, zoneName: string): string {
    return qualifyRecordName(name, zoneName);
}

/** Drops the `/hostedzone/` prefix that some APIs put in front of a hosted zone id. */
function normalizeZoneId(id: string): string {
    return id.replace(/^\/?hostedzone\//i, "");
}

/**
 * The fully qualified name a record gets in its zone, as the provider computes it: a name that does
 * not end with the zone name gets the zone name appended; an empty name is the apex
 * [TF:record.go] `ExpandRecordName` (a plain suffix test, no label boundary, like the provider).
 */
function qualifyRecordName(name: string, zoneName: string): string {
    const rn = normalizeDnsName(name);
    const zone = normalizeDnsName(zoneName);
    if (rn.endsWith(zone)) {
        return rn;
    }
    return rn.length === 0 ? zone : `${rn}.${zone}`;
}

/** An unset Pulumi input: absent, null, false or an empty block list. */
function isUnset(value: unknown): boolean {
    return (
        value === undefined ||
        value === null ||
        value === false ||
        (Array.isArray(value) && value.length === 0)
    );
}

/**
 * The routing policy of one record. Throws for a policy the simulator does not model, when a record
 * carries more than one policy ([TF:record.go] policies `ConflictsWith` each other) or a policy
 * block with several entries.
 */
function routingPolicyOf(record: SimRecord): RoutingPolicy {
    const unmodelled = unmodelledRoutingPolicy(record);
    if (unmodelled !== undefined) {
        throw new NotModelledError(
            `Record "${record.label}" uses ${unmodelled}, which is not modelled`,
        );
    }
    const found: RoutingPolicy[] = [];
    const blocks: [RoutingPolicy, unknown[] | undefined][] = [
        ["failover", record.failoverRoutingPolicies],
        ["latency", record.latencyRoutingPolicies],
    ];
    for (const [policy, block] of blocks) {
        const entries = block ?? [];
        if (entries.length > 1) {
            throw new Error(
                `Record "${record.label}" has ${entries.length} ${policy} routing policy blocks; at most one is allowed`,
            );
        }
        if (entries.length === 1) {
            found.push(policy);
        }
    }
    if (found.length > 1) {
        throw new Error(
            `Record "${record.label}" has more than one routing policy (${found.join(", ")})`,
        );
    }
    return found[0] ?? "simple";
}

function toCheckMap(
    checks: ReadonlyMap<string, SimHealthCheck> | SimHealthCheck[],
): ReadonlyMap<string, SimHealthCheck> {
    if (!Array.isArray(checks)) {
        return checks;
    }
    const map = new Map<string, SimHealthCheck>();
    for (const check of checks) {
        if (map.has(check.id)) {
            throw new Error(`Health check id "${check.id}" is declared more than once`);
        }
        map.set(check.id, check);
    }
    return map;
}

/**
 * The children of a CALCULATED check, after checking what AWS requires of it: an explicit
 * threshold, children that exist, and no CALCULATED child. Throws naming the check otherwise.
 */
export function calculatedChildren(
    check: SimHealthCheck,
    checks: ReadonlyMap<string, SimHealthCheck>,
): SimHealthCheck[] {
    if (check.childHealthThreshold === undefined) {
        throw new Error(
            `CALCULATED health check "${check.id}" has no childHealthThreshold; set it explicitly`,
        );
    }
    return (check.childHealthchecks ?? []).map((childId) => {
        const child = checks.get(childId);
        if (child === undefined) {
            throw new Error(
                `CALCULATED health check "${check.id}" lists unknown child health check "${childId}"`,
            );
        }
        // A calculated check cannot monitor other calculated checks
        // [DG:health-checks-creating-values].
        if (child.type === "CALCULATED") {
            throw new Error(
                `CALCULATED health check "${check.id}" has CALCULATED child "${childId}"; calculated checks cannot be nested`,
            );
        }
        return child;
    });
}

/** Throws for a health check configuration the simulator cannot evaluate. */
function validateCheck(check: SimHealthCheck, checks: ReadonlyMap<string, SimHealthCheck>): void {
    switch (check.type) {
        case "CALCULATED":
            calculatedChildren(check, checks);
            return;
        case "CLOUDWATCH_METRIC": {
            if (!check.cloudwatchAlarmName || !check.cloudwatchAlarmRegion) {
                throw new Error(
                    `CLOUDWATCH_METRIC health check "${check.id}" needs cloudwatchAlarmName and cloudwatchAlarmRegion`,
                );
            }
            const status = check.insufficientDataHealthStatus;
            if (status !== undefined && !INSUFFICIENT_DATA_STATUSES.includes(status)) {
                throw new Error(
                    `Health check "${check.id}" has insufficientDataHealthStatus "${status}"; expected one of ${INSUFFICIENT_DATA_STATUSES.join(", ")}`,
                );
            }
            return;
        }
        default:
            if (!ENDPOINT_CHECK_TYPES.includes(check.type)) {
                throw unmodelledCheckTypeError(check);
            }
    }
}

/**
 * Status of one health check under a scenario: true = healthy.
 *
 * - disabled => healthy, whatever the type [API:HealthCheckConfig] Disabled; inversion still
 *   applies afterwards, so disabled + inverted => unhealthy (inferred from
 *   [DG:health-checks-creating-values] "invert it to count as unhealthy").
 * - endpoint types: `inputs.endpoints[id]`, missing => healthy (a new check is healthy until enough
 *   data [DG:dns-failover-determining-health-of-endpoints]).
 * - CLOUDWATCH_METRIC: OK => healthy, ALARM => unhealthy, INSUFFICIENT_DATA =>
 *   `insufficientDataHealthStatus`, which defaults to LastKnownStatus when unset
 *   ([API:UpdateHealthCheck] InsufficientDataHealthStatus: "LastKnownStatus: By default,
 *   Route 53 uses the status of the health check from the last time CloudWatch had sufficient
 *   data"); LastKnownStatus reads `inputs.lastKnown[id]`, missing => healthy (same source: "For new
 *   health checks that have no last known status, the status for the health check is healthy").
 * - CALCULATED: healthy iff count(healthy children) >= childHealthThreshold; 0 => always healthy,
 *   more than the children => always unhealthy [API:HealthCheckConfig] HealthThreshold.
 * - invertHealthcheck flips the result [API:HealthCheckConfig] Inverted.
 *
 * @throws Error naming the id when it (or a child) is unknown, RECOVERY_CONTROL, or malformed.
 */
export function healthCheckStatus(
    id: string,
    checks: ReadonlyMap<string, SimHealthCheck> | SimHealthCheck[],
    inputs: HealthInputs,
): boolean {
    return statusOf(id, toCheckMap(checks), inputs);
}

function statusOf(
    id: string,
    checks: ReadonlyMap<string, SimHealthCheck>,
    inputs: HealthInputs,
): boolean {
    const check = checks.get(id);
    if (check === undefined) {
        throw new Error(`Unknown health check "${id}"`);
    }
    validateCheck(check, checks);
    const healthy = check.disabled === true ? true : rawStatus(check, checks, inputs);
    return check.invertHealthcheck === true ? !healthy : healthy;
}

function rawStatus(
    check: SimHealthCheck,
    checks: ReadonlyMap<string, SimHealthCheck>,
    inputs: HealthInputs,
): boolean {
    switch (check.type) {
        case "CALCULATED": {
            const children = check.childHealthchecks ?? [];
            const healthyChildren = children.filter((child) => statusOf(child, checks, inputs));
            return healthyChildren.length >= (check.childHealthThreshold ?? 0);
        }
        case "CLOUDWATCH_METRIC": {
            // Route 53 follows the alarm's metric stream; OK => healthy, ALARM => unhealthy
            // [DG:dns-failover-determining-health-of-endpoints].
            const key = `${check.cloudwatchAlarmRegion}/${check.cloudwatchAlarmName}`;
            const state = inputs.alarms?.[key] ?? "OK";
            if (!ALARM_STATES.includes(state)) {
                throw new Error(
                    `Alarm "${key}" has state "${state}"; expected one of ${ALARM_STATES.join(", ")}`,
                );
            }
            if (state === "OK") {
                return true;
            }
            if (state === "ALARM") {
                return false;
            }
            switch (check.insufficientDataHealthStatus ?? "LastKnownStatus") {
                case "Healthy":
                    return true;
                case "Unhealthy":
                    return false;
                default:
                    return inputs.lastKnown?.[check.id] ?? true;
            }
        }
        default:
            return inputs.endpoints?.[check.id] ?? true;
    }
}

interface Group {
    records: SimRecord[];
    policy: RoutingPolicy;
}

interface Context {
    zones: Map<string, SimZone>;
    byKey: Map<string, SimRecord[]>;
    checks: ReadonlyMap<string, SimHealthCheck>;
    inputs: HealthInputs;
    awsTargets: Map<string, boolean>;
    latencyOrder: string[];
}

function groupKey(zoneId: string, name: string, type: string): string {
    return `${zoneId} ${name} ${type}`;
}

function labels(records: SimRecord[]): string {
    return records.map((r) => `"${r.label}"`).join(", ");
}

const isText = (v: unknown): v is string => typeof v === "string";

/**
 * Throws, naming the record and the Pulumi field, when its zoneId, name or type is missing or not
 * a string (for example an unknown output left undefined): the simulator cannot even tell which
 * name such a record answers for. Later checks refuse its other fields the same way, instead of
 * failing with a TypeError that names nothing.
 */
export function validateRecordKey(record: SimRecord): void {
    for (const field of ["zoneId", "name", "type"] as const) {
        if (!isText(record[field])) {
            throw new Error(`Record "${record.label}" has no ${field} (expected a string)`);
        }
    }
}

/** Throws, naming the record and the Pulumi field, for aliases, records or ttl of the wrong shape. */
function validateRecordValues(record: SimRecord): void {
    const missing = (field: string, what: string) =>
        new Error(`Record "${record.label}" has no ${field} (expected ${what})`);
    if (record.aliases !== undefined && record.aliases !== null) {
        if (!Array.isArray(record.aliases)) {
            throw missing("aliases", "a list");
        }
        record.aliases.forEach((alias, i) => {
            for (const field of ["name", "zoneId"] as const) {
                if (!isText(alias?.[field])) {
                    throw missing(`aliases[${i}].${field}`, "a string");
                }
            }
        });
    }
    if (record.records !== undefined && record.records !== null) {
        if (!Array.isArray(record.records) || !record.records.every(isText)) {
            throw missing("records", "a list of strings");
        }
    }
    if (record.ttl !== undefined && record.ttl !== null && typeof record.ttl !== "number") {
        throw new Error(
            `Record "${record.label}" has ttl ${JSON.stringify(record.ttl)}; expected a number`,
        );
    }
}

function buildContext(args: ResolveArgs): Context {
    const zones = new Map<string, SimZone>();
    for (const zone of args.zones) {
        const id = normalizeZoneId(zone.id);
        const name = normalizeDnsName(zone.name);
        const known = zones.get(id);
        if (known !== undefined && known.name !== name) {
            throw new Error(`Hosted zone "${id}" is declared as both ${known.name} and ${name}`);
        }
        zones.set(id, { id, name });
    }
    const byKey = new Map<string, SimRecord[]>();
    for (const record of args.records) {
        validateRecordKey(record);
        const zoneId = normalizeZoneId(record.zoneId);
        const zone = zones.get(zoneId);
        if (zone === undefined) {
            // The zone's name comes only from the program's lookup (getZone): a zone id given as
            // a literal may well be right, but its records cannot be placed in the zone.
            throw new NotModelledError(
                `Record "${record.label}" is in hosted zone "${zoneId}", which the program did not look up (aws.route53.getZone): without the zone's name its records are not simulated`,
            );
        }
        const name = qualifyRecordName(record.name, zone.name);
        if (name !== zone.name && !name.endsWith(`.${zone.name}`)) {
            throw new Error(
                `Record "${record.label}" name ${name} is outside its hosted zone ${zone.name}`,
            );
        }
        const key = groupKey(zoneId, name, record.type.toUpperCase());
        byKey.set(key, [...(byKey.get(key) ?? []), record]);
    }
    const awsTargets = new Map<string, boolean>();
    for (const [name, healthy] of Object.entries(args.inputs.awsTargets ?? {})) {
        awsTargets.set(normalizeDnsName(name), healthy);
    }
    return {
        zones,
        byKey,
        checks: toCheckMap(args.checks),
        inputs: args.inputs,
        awsTargets,
        latencyOrder: args.client?.latencyOrder ?? [],
    };
}

/** The zone that answers for a name: the most specific zone whose name is a suffix of it. */
function authoritativeZone(ctx: Context, name: string): SimZone | undefined {
    const covering = [...ctx.zones.values()].filter(
        (zone) => name === zone.name || name.endsWith(`.${zone.name}`),
    );
    if (covering.length === 0) {
        return undefined;
    }
    const longest = Math.max(...covering.map((zone) => zone.name.length));
    const best = covering.filter((zone) => zone.name.length === longest);
    if (best.length > 1) {
        throw new Error(
            `Hosted zones ${best.map((zone) => `"${zone.id}"`).join(", ")} all serve ${best[0].name}; pass only the zone the client sees`,
        );
    }
    return best[0];
}

/** The validated name/type group, or undefined when no record has that name and type. */
function groupOf(ctx: Context, zoneId: string, name: string, type: string): Group | undefined {
    const records = ctx.byKey.get(groupKey(zoneId, name, type));
    if (records === undefined) {
        return undefined;
    }
    return { records, policy: validateGroup(ctx, records, `${name} ${type}`) };
}

/**
 * Throws for an alias the simulator cannot follow. An alias to another record in the same zone
 * (a nested alias tree) is not modelled; an alias cannot reference a record in a different hosted
 * zone [API:AliasTarget] HostedZoneId. Anything else is an AWS resource.
 */
function validateAlias(
    ctx: Context,
    record: SimRecord,
    alias: { name: string; zoneId: string },
): void {
    const zoneId = normalizeZoneId(alias.zoneId);
    if (zoneId === normalizeZoneId(record.zoneId)) {
        throw new NotModelledError(
            `Alias record "${record.label}" targets ${alias.name} in its own hosted zone: aliases to other records (nested alias trees) are not modelled`,
        );
    }
    if (ctx.zones.has(zoneId)) {
        throw new Error(
            `Alias record "${record.label}" targets ${alias.name} in another hosted zone "${zoneId}"; an alias can only reference records in its own zone`,
        );
    }
}

/** Throws for a group the simulator cannot answer; returns its routing policy. */
function validateGroup(ctx: Context, records: SimRecord[], what: string): RoutingPolicy {
    for (const record of records) {
        validateRecordValues(record);
        const aliasCount = record.aliases?.length ?? 0;
        const valueCount = record.records?.length ?? 0;
        if (aliasCount > 1) {
            throw new Error(`Record "${record.label}" has ${aliasCount} alias blocks; at most one`);
        }
        // `aliases` conflicts with `ttl` & `records` [PUL:route53/record.d.ts].
        if (aliasCount === 1 && valueCount > 0) {
            throw new Error(`Record "${record.label}" has both an alias and records`);
        }
        if (aliasCount === 1 && record.ttl !== undefined && record.ttl !== null) {
            throw new Error(`Record "${record.label}" has both an alias and a ttl`);
        }
        if (aliasCount === 0 && valueCount === 0) {
            throw new Error(`Record "${record.label}" has neither an alias nor records`);
        }
        const alias = record.aliases?.[0];
        if (alias !== undefined) {
            validateAlias(ctx, record, alias);
        }
        if (record.healthCheckId !== undefined && !ctx.checks.has(record.healthCheckId)) {
            throw new Error(
                `Record "${record.label}" refers to unknown health check "${record.healthCheckId}"`,
            );
        }
    }
    // One routing policy per name+type group [API:ResourceRecordSet] (Region, Failover).
    const policies = records.map(routingPolicyOf);
    const distinct = [...new Set(policies)];
    if (distinct.length > 1) {
        const parts = records.map((r, i) => `"${r.label}" (${policies[i]})`).join(", ");
        throw new Error(`Records for ${what} mix routing policies: ${parts}`);
    }
    const policy = distinct[0];
    if (policy === "simple") {
        if (records.length > 1) {
            throw new Error(
                `Records for ${what} declare ${records.length} simple records (${labels(records)}); only one is allowed`,
            );
        }
        return policy;
    }
    // SetIdentifier is required for every non-simple policy and unique within name+type
    // [API:ResourceRecordSet] SetIdentifier.
    const seen = new Map<string, SimRecord>();
    for (const record of records) {
        if (record.setIdentifier === undefined || record.setIdentifier === "") {
            throw new Error(`Record "${record.label}" (${policy}) has no setIdentifier`);
        }
        const other = seen.get(record.setIdentifier);
        if (other !== undefined) {
            throw new Error(
                `Records "${other.label}" and "${record.label}" for ${what} share setIdentifier "${record.setIdentifier}"`,
            );
        }
        seen.set(record.setIdentifier, record);
    }
    if (policy === "failover") {
        // One PRIMARY and one SECONDARY [DG:resource-record-sets-values-failover].
        for (const role of ["PRIMARY", "SECONDARY"]) {
            const holders = records.filter((r) => failoverRole(r) === role);
            if (holders.length > 1) {
                throw new Error(
                    `Records for ${what} declare ${holders.length} ${role} records (${labels(holders)}); only one is allowed`,
                );
            }
        }
        for (const record of records) {
            const role = failoverRole(record);
            if (role !== "PRIMARY" && role !== "SECONDARY") {
                throw new Error(
                    `Record "${record.label}" has failover type "${role}"; expected PRIMARY or SECONDARY`,
                );
            }
        }
    } else {
        // At most one latency record per region [API:ResourceRecordSet] Region.
        const byRegion = new Map<string, SimRecord>();
        for (const record of records) {
            const region = latencyRegion(record);
            const other = byRegion.get(region);
            if (other !== undefined) {
                throw new Error(
                    `Records "${other.label}" and "${record.label}" for ${what} are both latency records for ${region}`,
                );
            }
            byRegion.set(region, record);
        }
    }
    return policy;
}

function failoverRole(record: SimRecord): string {
    return record.failoverRoutingPolicies?.[0]?.type ?? "";
}

function latencyRegion(record: SimRecord): string {
    return record.latencyRoutingPolicies?.[0]?.region ?? "";
}

/**
 * Health of one record [DG:health-checks-how-route-53-chooses-records]: its own health check (if
 * any) AND, for an alias with evaluateTargetHealth, the AWS target's health (both must be healthy
 * [DG:resource-record-sets-values-failover-alias]). No health check and no ETH => always healthy.
 */
function recordHealthy(ctx: Context, record: SimRecord): boolean {
    const checkHealthy =
        record.healthCheckId === undefined ||
        statusOf(record.healthCheckId, ctx.checks, ctx.inputs);
    const alias = record.aliases?.[0];
    // For API Gateway the target's health only reflects the regional API Gateway service, not
    // your API [AGDG:dns-failover], [API:AliasTarget].
    const targetHealthy =
        alias === undefined ||
        !alias.evaluateTargetHealth ||
        (ctx.awsTargets.get(normalizeDnsName(alias.name)) ?? true);
    return checkHealthy && targetHealthy;
}

function latencyRank(ctx: Context, region: string): number {
    const index = ctx.latencyOrder.indexOf(region);
    return index === -1 ? Number.POSITIVE_INFINITY : index;
}

/** Chooses the answering record of a group, and whether the last resort chose it. */
function choose(ctx: Context, group: Group): { record: SimRecord; failOpen: boolean } {
    if (group.policy === "simple") {
        return { record: group.records[0], failOpen: false };
    }
    // Choose among healthy records; if none is healthy, all are (the last resort)
    // [DG:health-checks-how-route-53-chooses-records], [DG:dns-failover-problems].
    const healthy = group.records.filter((r) => recordHealthy(ctx, r));
    const failOpen = healthy.length === 0;
    const candidates = failOpen ? group.records : healthy;
    if (group.policy === "failover") {
        // PRIMARY if it is a candidate, else SECONDARY; both unhealthy => PRIMARY
        // [DG:health-checks-how-route-53-chooses-records], [API:ResourceRecordSet] Failover.
        const record =
            candidates.find((r) => failoverRole(r) === "PRIMARY") ??
            candidates.find((r) => failoverRole(r) === "SECONDARY") ??
            candidates[0];
        return { record, failOpen };
    }
    // Lowest-latency region among candidates [DG:routing-policy-latency]; regions the client has
    // no latency for rank last, alphabetically.
    const [record] = [...candidates].sort((a, b) => {
        const ra = latencyRank(ctx, latencyRegion(a));
        const rb = latencyRank(ctx, latencyRegion(b));
        if (ra !== rb) {
            return ra - rb;
        }
        const x = latencyRegion(a);
        const y = latencyRegion(b);
        return x < y ? -1 : x > y ? 1 : 0;
    });
    return { record, failOpen };
}

/**
 * What Route 53 answers for `name`/`type` (default "A") in the scenario `inputs`, seen by `client`.
 *
 * Returns undefined for NXDOMAIN/NODATA: no zone serves the name, or the most specific zone has no
 * record of that name and type (nor a CNAME, which DNS returns for any type). Names compare
 * case-insensitively without trailing dot; relative record names are qualified with their zone.
 *
 * @throws Error naming the records (by label) for input Route 53 would reject or the simulator does
 * not model: mixed routing policies, two PRIMARY records, unknown health check ids, weighted
 * routing, aliases to other records, RECOVERY_CONTROL checks, ...
 */
export function resolve(args: ResolveArgs): Answer | undefined {
    const ctx = buildContext(args);
    const name = normalizeDnsName(args.name);
    const type = (args.type ?? "A").toUpperCase();
    const zone = authoritativeZone(ctx, name);
    if (zone === undefined) {
        return undefined;
    }
    const group =
        groupOf(ctx, zone.id, name, type) ??
        (type === "CNAME" ? undefined : groupOf(ctx, zone.id, name, "CNAME"));
    if (group === undefined) {
        return undefined;
    }
    const { record, failOpen } = choose(ctx, group);
    const alias = record.aliases?.[0];
    return {
        record,
        target:
            alias === undefined
                ? { kind: "values", values: [...(record.records ?? [])] }
                : { kind: "alias", name: alias.name, zoneId: alias.zoneId },
        failOpen,
        policy: group.policy,
    };
}
