// How the record rules read Route 53 records and API Gateway custom domains from snapshots. Every
// reader keeps three states apart: a known value, UNKNOWN (decided at deploy time: never judged)
// and undefined (absent, or of a shape no engine would send).
import { endpointType } from "./apisLinks";
import { ResourceSnapshot, UNKNOWN, Unknown, isUnknown } from "./types";
import {
    T,
    bool,
    dependsOn,
    dnsName,
    executeApiHost,
    first,
    given,
    groupBy,
    isSet,
    obj,
    str,
} from "./values";

/** A value that is known, unknown until deployed, or absent. */
export type Maybe<V> = V | Unknown | undefined;

/** The hosted zone id of every CloudFront distribution, so of every edge-optimized API domain. */
export const CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2";

/** A string input: the string, UNKNOWN, or undefined when absent or not a string. */
export const strOrUnknown = (v: unknown): Maybe<string> => (isUnknown(v) ? UNKNOWN : str(v));

/** A field of the first element of a nested block such as `failoverRoutingPolicies`. */
function blockField(v: unknown, field: string): Maybe<string> {
    const element = first(v);
    if (isUnknown(v) || isUnknown(element)) {
        return UNKNOWN;
    }
    const o = obj(element);
    return o ? strOrUnknown(o[field]) : undefined;
}

// ---- Records -----------------------------------------------------------------------------------

export type RoutingPolicy =
    "failover" | "latency" | "weighted" | "geolocation" | "geoproximity" | "cidr" | "multivalue";

/** Each routing policy's input on `aws.route53.Record`. */
const POLICY_INPUTS: readonly [RoutingPolicy, string][] = [
    ["failover", "failoverRoutingPolicies"],
    ["latency", "latencyRoutingPolicies"],
    ["weighted", "weightedRoutingPolicies"],
    ["geolocation", "geolocationRoutingPolicies"],
    ["geoproximity", "geoproximityRoutingPolicy"],
    ["cidr", "cidrRoutingPolicy"],
    ["multivalue", "multivalueAnswerRoutingPolicy"],
];

/** Whether a policy input sets the policy: true, false, or UNKNOWN. */
function policySet(policy: RoutingPolicy, v: unknown): boolean | Unknown {
    if (isUnknown(v)) {
        return UNKNOWN;
    }
    if (policy === "multivalue") {
        return bool(v) === true;
    }
    const blocks = Array.isArray(v) ? (v as unknown[]) : [v];
    return blocks.some((b) => isUnknown(b) || obj(b) !== undefined);
}

/**
 * The routing policies a record sets (empty: simple routing); undefined when any is unknown.
 */
export function policiesOf(r: ResourceSnapshot): RoutingPolicy[] | undefined {
    const set: RoutingPolicy[] = [];
    for (const [policy, input] of POLICY_INPUTS) {
        const s = policySet(policy, r.inputs[input]);
        if (isUnknown(s)) {
            return undefined;
        }
        if (s) {
            set.push(policy);
        }
    }
    return set;
}

/** `PRIMARY`, `SECONDARY` (or whatever else was written), UNKNOWN, or undefined (not failover). */
export const failoverRoleOf = (r: ResourceSnapshot): Maybe<string> =>
    blockField(r.inputs.failoverRoutingPolicies, "type");

/** The region of a latency record, UNKNOWN, or undefined (not a latency record). */
export const latencyRegionOf = (r: ResourceSnapshot): Maybe<string> =>
    blockField(r.inputs.latencyRoutingPolicies, "region");

export interface AliasTarget {
    name: Maybe<string>;
    zoneId: Maybe<string>;
    evaluateTargetHealth: Maybe<boolean>;
}

/** The record's alias target: null when it is no alias, UNKNOWN when that is not known yet. */
export function aliasOf(r: ResourceSnapshot): AliasTarget | null | Unknown {
    const aliases = r.inputs.aliases;
    if (isUnknown(aliases)) {
        return UNKNOWN;
    }
    if (!given(aliases) || (Array.isArray(aliases) && aliases.length === 0)) {
        return null;
    }
    const element = first(aliases);
    if (isUnknown(element)) {
        return { name: UNKNOWN, zoneId: UNKNOWN, evaluateTargetHealth: UNKNOWN };
    }
    const o = obj(element);
    if (!o) {
        return null;
    }
    const eth = o.evaluateTargetHealth;
    return {
        name: strOrUnknown(o.name),
        zoneId: strOrUnknown(o.zoneId),
        evaluateTargetHealth: isUnknown(eth) ? UNKNOWN : bool(eth),
    };
}

/** Whether the record has a health check (an unknown id counts: one is being set). */
export const hasHealthCheck = (r: ResourceSnapshot): boolean => isSet(r.inputs.healthCheckId);

/**
 * What keeps the record out of answers when its endpoint fails: a health check, its alias
 * target's health, or nothing (Route 53 then considers it always healthy); undefined if unknown.
 */
export function guardOf(
    r: ResourceSnapshot,
): "health check" | "target health" | "none" | undefined {
    if (hasHealthCheck(r)) {
        return "health check";
    }
    const alias = aliasOf(r);
    if (isUnknown(alias)) {
        return undefined;
    }
    if (alias === null) {
        return "none";
    }
    const eth = alias.evaluateTargetHealth;
    return isUnknown(eth) || eth === undefined ? undefined : eth ? "target health" : "none";
}

/**
 * The record's values (`records`): any element may be unknown; UNKNOWN when the list is; a lone
 * value counts as one.
 */
export function valuesOf(r: ResourceSnapshot): unknown[] | Unknown {
    const v = r.inputs.records;
    if (isUnknown(v)) {
        return UNKNOWN;
    }
    return Array.isArray(v) ? (v as unknown[]) : given(v) ? [v] : [];
}

/** A hosted zone id as Route 53 compares it: without `/hostedzone/`, in capitals. */
export const zoneIdKey = (zoneId: string): string =>
    zoneId.replace(/^\/?hostedzone\//i, "").toUpperCase();

/** The parts a record set is identified by; each known, UNKNOWN or undefined. */
export interface RecordIdentity {
    zoneId: Maybe<string>;
    /** As DNS compares names (a name relative to the zone is compared as given). */
    name: Maybe<string>;
    type: Maybe<string>;
}

export function identityOf(r: ResourceSnapshot): RecordIdentity {
    const zoneId = strOrUnknown(r.inputs.zoneId);
    const name = strOrUnknown(r.inputs.name);
    const type = strOrUnknown(r.inputs.type);
    const known = <V>(v: Maybe<string>, f: (s: string) => V) => (typeof v === "string" ? f(v) : v);
    return {
        zoneId: known(zoneId, zoneIdKey),
        name: known(name, dnsName),
        type: known(type, (t) => t.toUpperCase()),
    };
}

/** A key for records of one name (and type, unless `withType` is false); undefined if unknown. */
export function keyOf(r: ResourceSnapshot, withType = true): string | undefined {
    const id = identityOf(r);
    const parts = withType ? [id.zoneId, id.name, id.type] : [id.zoneId, id.name];
    return parts.every((p) => typeof p === "string") ? parts.join("\u0000") : undefined;
}

/**
 * Whether `r` might turn out to have the identity of `of` once its unknown parts are known
 * (parts it lacks altogether cannot match).
 */
export function mightShareIdentity(r: ResourceSnapshot, of: ResourceSnapshot): boolean {
    const a = identityOf(r);
    const b = identityOf(of);
    const may = (x: Maybe<string>, y: Maybe<string>) => isUnknown(x) || x === y;
    return may(a.zoneId, b.zoneId) && may(a.name, b.name) && may(a.type, b.type);
}

/** How a record is named in messages: `api.example.com A`, as much of it as is known. */
export function titleOf(r: ResourceSnapshot): string {
    const id = identityOf(r);
    const name = typeof id.name === "string" ? id.name : undefined;
    const type = typeof id.type === "string" ? id.type : undefined;
    return [name, type].filter((p) => p !== undefined).join(" ");
}

/** `prefix title`, or `prefix` alone when nothing of the record's name is known. */
export function titled(prefix: string, r: ResourceSnapshot): string {
    const title = titleOf(r);
    return title ? `${prefix} ${title}` : prefix;
}

/** Records grouped by `keyOf`; records whose key is not known are left out. */
export const groupRecords = (
    resources: readonly ResourceSnapshot[],
    withType = true,
): ResourceSnapshot[][] => [
    ...groupBy(
        resources.filter((r) => r.type === T.record),
        (r) => keyOf(r, withType),
    ).values(),
];

// ---- Wording -----------------------------------------------------------------------------------

const COUNTS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

/** A count in words, as messages say it: `two`, `12`. */
export const counted = (n: number): string => COUNTS[n] ?? String(n);

// ---- Alias targets -----------------------------------------------------------------------------

/** The region of an API Gateway host (`d-abc.execute-api.eu-west-1.amazonaws.com`), if it is one. */
export const executeApiRegion = (host: string): string | undefined => executeApiHost(host)?.region;

/** Whether a host is a CloudFront distribution's (`d111.cloudfront.net`). */
export const isCloudFrontHost = (host: string): boolean => /\.cloudfront\.net$/.test(dnsName(host));

/** The type token in a URN (`urn:pulumi:stack::project::parent$type::name`). */
export function urnType(urn: string): string | undefined {
    const qualified = urn.split("::")[2];
    return qualified?.split("$").pop();
}

/** One alias target an API Gateway custom domain offers: a host name and the zone id it needs. */
export interface DomainTarget {
    /** `regionalDomainName` / `regionalZoneId`, `cloudfrontDomainName` / `cloudfrontZoneId`, ... */
    nameField: string;
    zoneField: string;
    name: Maybe<string>;
    zoneId: Maybe<string>;
}

/** An API Gateway custom domain (REST or HTTP API) as the record rules see it. */
export interface ApiDomain {
    r: ResourceSnapshot;
    targets: DomainTarget[];
    /** Whether its endpoint type is known to be REGIONAL alone. */
    regionalOnly: boolean;
}

/**
 * The custom domain, with the computed fields its snapshot carries (the offline plan adds them;
 * a preview usually has none), or undefined for other resources.
 */
export function apiDomainOf(r: ResourceSnapshot): ApiDomain | undefined {
    const i = r.inputs;
    const regionalOnly = endpointType(r) === "REGIONAL";
    if (r.type === T.domainName) {
        const pair = (kind: string): DomainTarget => ({
            nameField: `${kind}DomainName`,
            zoneField: `${kind}ZoneId`,
            name: strOrUnknown(i[`${kind}DomainName`]),
            zoneId: strOrUnknown(i[`${kind}ZoneId`]),
        });
        return {
            r,
            targets: [pair("regional"), pair("cloudfront")],
            regionalOnly,
        };
    }
    if (r.type === T.domainNameV2) {
        const config = i.domainNameConfiguration;
        const element = isUnknown(config) ? UNKNOWN : first(config);
        const o = isUnknown(element) ? undefined : obj(element);
        const field = (f: string): Maybe<string> =>
            isUnknown(element) ? UNKNOWN : strOrUnknown(o?.[f]);
        return {
            r,
            targets: [
                {
                    nameField: "domainNameConfiguration.targetDomainName",
                    zoneField: "domainNameConfiguration.hostedZoneId",
                    name: field("targetDomainName"),
                    zoneId: field("hostedZoneId"),
                },
            ],
            regionalOnly,
        };
    }
    return undefined;
}

/** The API Gateway custom domains among `resources`. */
export const apiDomainsIn = (resources: readonly ResourceSnapshot[]): ApiDomain[] =>
    resources.map(apiDomainOf).filter((d): d is ApiDomain => d !== undefined);

/** The custom domains among `domains` that `r` depends on. */
export const domainsBehind = (r: ResourceSnapshot, domains: readonly ApiDomain[]): ApiDomain[] =>
    domains.filter((d) => dependsOn(r, d.r));

/** Whether `r` depends on a resource of one of `types` (judged by URNs: it may be elsewhere). */
const dependsOnType = (r: ResourceSnapshot, ...types: string[]): boolean =>
    r.options.dependsOn.some((urn) => types.includes(urnType(urn) ?? ""));

/**
 * Whether `r` depends on an API Gateway custom domain and on no CloudFront distribution (which
 * could be the alias target, with the API as its origin).
 */
export const dependsOnApiDomainOnly = (r: ResourceSnapshot): boolean =>
    dependsOnType(r, T.domainName, T.domainNameV2) && !dependsOnType(r, T.cloudfrontDistribution);

/** Whether the record certainly sets `policy` (false when it does not, or that is unknown). */
export const setsPolicy = (r: ResourceSnapshot, policy: RoutingPolicy): boolean => {
    const input = POLICY_INPUTS.find(([p]) => p === policy)?.[1] ?? "";
    return policySet(policy, r.inputs[input]) === true;
};
