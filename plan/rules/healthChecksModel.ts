// What the health check rules share: Route 53's kinds of health check, how their settings read,
// and how checks are linked to what references them. A check's id is unknown until deployed (the
// plan's mock runtime makes it `<name>-id`), so references are matched by that id when it is
// known and otherwise by the referencing resource depending on the check.
import { RoutingPolicy, setsPolicy } from "./recordsView";
import { ResourceSnapshot } from "./types";
import { T, dependsOn, isSet, label, list, ofType, str } from "./values";

/** Checks that send requests to an endpoint (Route 53's "basic" checks). */
export const ENDPOINT_TYPES: readonly string[] = [
    "HTTP",
    "HTTPS",
    "HTTP_STR_MATCH",
    "HTTPS_STR_MATCH",
    "TCP",
];

/** Checks that follow something else: other checks, an alarm's metric, an ARC routing control. */
export const FOLLOWER_TYPES: readonly string[] = [
    "CALCULATED",
    "CLOUDWATCH_METRIC",
    "RECOVERY_CONTROL",
];

export const HEALTH_CHECK_TYPES: readonly string[] = [...ENDPOINT_TYPES, ...FOLLOWER_TYPES];

/** Route 53's hard limit on a calculated check's children (Route 53 quotas). */
export const MAX_CHILDREN = 255;

/** A check's type in upper case (the provider upper-cases it), or undefined when not known. */
export const checkType = (r: ResourceSnapshot): string | undefined =>
    str(r.inputs.type)?.toUpperCase();

export const isEndpointType = (type: string | undefined): boolean =>
    type !== undefined && ENDPOINT_TYPES.includes(type);

/** "an HTTPS check", "a CALCULATED check": how a type reads in a sentence. */
export const aCheckOf = (type: string): string =>
    `${type.startsWith("HTTP") ? "an" : "a"} ${type} check`;

/** The id the plan's mock runtime gives a resource. */
const mockId = (r: ResourceSnapshot): string => `${r.name}-id`;

/**
 * The checks among `checks` that the id values `ids`, held by `holder`, refer to: by the plan's
 * mock id when an id is known, and by `holder` depending on the check when some id is unknown
 * or a real id (the snapshot does not carry real ids).
 */
export function referencedChecks(
    holder: ResourceSnapshot,
    ids: readonly unknown[],
    checks: readonly ResourceSnapshot[],
): ResourceSnapshot[] {
    const candidates = checks.filter((c) => c !== holder && c.stack === holder.stack);
    const byMockId = candidates.filter((c) => ids.some((id) => str(id) === mockId(c)));
    const opaque = ids.some((id) => !candidates.some((c) => str(id) === mockId(c)));
    const byDependency = opaque ? candidates.filter((c) => dependsOn(holder, c)) : [];
    return [...new Set([...byMockId, ...byDependency])];
}

/** The ids a CALCULATED check lists as children, or undefined when the list is unknown. */
export const childIds = (r: ResourceSnapshot): unknown[] | undefined =>
    list(r.inputs.childHealthchecks);

/**
 * How many distinct children a list of ids can hold at most and at least: the provider sends
 * the ids as a set, and unknown ids may repeat known ones.
 */
export function childCount(ids: readonly unknown[]): { atMost: number; atLeast: number } {
    const known = new Set(ids.filter((id) => typeof id === "string"));
    const unknown = ids.length - ids.filter((id) => typeof id === "string").length;
    return { atMost: known.size + unknown, atLeast: Math.max(known.size, unknown > 0 ? 1 : 0) };
}

/** How health check messages name each routing policy. */
const POLICY_NAMES: Record<RoutingPolicy, string> = {
    failover: "failover",
    latency: "latency",
    weighted: "weighted",
    geolocation: "geolocation",
    geoproximity: "geoproximity",
    cidr: "CIDR",
    multivalue: "multivalue answer",
};

/** The routing policy a record certainly has (failover, latency, weighted, ...), by name. */
export function routingPolicyOf(record: ResourceSnapshot): string | undefined {
    const policy = (Object.keys(POLICY_NAMES) as RoutingPolicy[]).find((p) =>
        setsPolicy(record, p),
    );
    return policy && POLICY_NAMES[policy];
}

/**
 * The checks that decide whether some record answers: attached to a record (its
 * `healthCheckId`), or children of a CALCULATED check that does.
 */
export function guardingChecks(resources: readonly ResourceSnapshot[]): Set<ResourceSnapshot> {
    const checks = ofType(resources, T.healthCheck);
    const guarding = new Set<ResourceSnapshot>();
    const visit = (check: ResourceSnapshot) => {
        if (guarding.has(check)) {
            return;
        }
        guarding.add(check);
        if (checkType(check) === "CALCULATED") {
            referencedChecks(check, childIds(check) ?? [], checks).forEach(visit);
        }
    };
    for (const record of ofType(resources, T.record)) {
        if (isSet(record.inputs.healthCheckId)) {
            referencedChecks(record, [record.inputs.healthCheckId], checks).forEach(visit);
        }
    }
    return guarding;
}

/**
 * The alarms a CLOUDWATCH_METRIC check follows: the alarm whose `name` and region are the
 * check's `cloudwatchAlarmName` and `cloudwatchAlarmRegion`; when a name or region is unknown or
 * the alarm's name is generated, an alarm the check depends on (in a region that does not
 * contradict the check's).
 */
export function followedAlarms(
    check: ResourceSnapshot,
    alarms: readonly ResourceSnapshot[],
): ResourceSnapshot[] {
    const name = str(check.inputs.cloudwatchAlarmName);
    const region = str(check.inputs.cloudwatchAlarmRegion);
    const dependedOn = (a: ResourceSnapshot) => dependsOn(check, a);
    return alarms.filter((a) => {
        if (region !== undefined && a.region !== undefined && region !== a.region) {
            return false;
        }
        const alarmName = str(a.inputs.name);
        if (name !== undefined && alarmName !== undefined) {
            return (
                name === alarmName &&
                ((region !== undefined && a.region !== undefined) || dependedOn(a))
            );
        }
        return dependedOn(a);
    });
}

/** How a resource is named in a message: quoted label, and its region when known. */
export const named = (r: ResourceSnapshot): string =>
    r.region ? `"${label(r)}" (${r.region})` : `"${label(r)}"`;
