// Small readers shared by the rules: type tokens, Route 53's enums, typed access to snapshot values
// that may be missing, of the wrong type, or unknown until deployed, and how messages name things.
import {
    CloudWatchRegion,
    HealthCheckRegion,
    InsufficientDataHealthStatus,
    ResourceRecordSetRegion,
} from "@aws-sdk/client-route-53";
import { ResourceSnapshot, UNKNOWN, isUnknown } from "./types";

/** Type tokens the rules read (Pulumi AWS v7). */
export const T = {
    record: "aws:route53/record:Record",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    certificate: "aws:acm/certificate:Certificate",
    certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    restApi: "aws:apigateway/restApi:RestApi",
    domainName: "aws:apigateway/domainName:DomainName",
    basePathMapping: "aws:apigateway/basePathMapping:BasePathMapping",
    apiV2: "aws:apigatewayv2/api:Api",
    domainNameV2: "aws:apigatewayv2/domainName:DomainName",
    apiMappingV2: "aws:apigatewayv2/apiMapping:ApiMapping",
    routingRuleV2: "aws:apigatewayv2/routingRule:RoutingRule",
    cloudfrontDistribution: "aws:cloudfront/distribution:Distribution",
    lambdaFunction: "aws:lambda/function:Function",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
} as const;

// ---- Route 53's enums, from the API model the AWS SDK ships (no Pulumi SDK needed at run time) --

/** Regions a latency record may name. */
export const LATENCY_REGIONS: readonly string[] = Object.values(ResourceRecordSetRegion);

/** Regions Route 53 health checkers check from. */
export const HEALTH_CHECKER_REGIONS: readonly string[] = Object.values(HealthCheckRegion);

/** Regions a CLOUDWATCH_METRIC health check can read alarms from. */
export const ALARM_REGIONS: readonly string[] = Object.values(CloudWatchRegion);

/** What a CLOUDWATCH_METRIC health check may report while its alarm lacks data. */
export const INSUFFICIENT_DATA_STATUSES: readonly string[] = Object.values(
    InsufficientDataHealthStatus,
);

// ---- Values -------------------------------------------------------------------------------------

/** A string value, or undefined when missing, unknown or not a string. */
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A finite number (numbers and numeric strings, as engines may pass either), else undefined. */
export function num(v: unknown): number | undefined {
    const n =
        typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
}

/** A boolean value (true/false or "true"/"false"), else undefined. */
export function bool(v: unknown): boolean | undefined {
    return v === true || v === "true" ? true : v === false || v === "false" ? false : undefined;
}

/** An array value, else an empty array (missing) or undefined (unknown). */
export function list(v: unknown): unknown[] | undefined {
    return Array.isArray(v) ? v : isUnknown(v) ? undefined : [];
}

/** The first element of a list input (engines may also pass the lone object itself). */
export const first = (v: unknown): unknown => (Array.isArray(v) ? (v as unknown[])[0] : v);

/** An object value (not an array), else undefined. */
export const obj = (v: unknown): Record<string, unknown> | undefined =>
    typeof v === "object" && v !== null && !Array.isArray(v)
        ? (v as Record<string, unknown>)
        : undefined;

/** Whether a value was given at all (unknown counts as given). */
export const given = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * Whether an input is set as the provider sends it: missing, empty strings, empty lists and
 * `false` are not sent; an unknown value counts as set.
 */
export function isSet(v: unknown): boolean {
    if (!given(v) || v === "" || v === false || v === "false") {
        return false;
    }
    return !(Array.isArray(v) && v.length === 0);
}

/** Whether any value inside `v` (at any depth) is unknown. */
export function hasUnknown(v: unknown): boolean {
    if (isUnknown(v)) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(hasUnknown);
    }
    const o = obj(v);
    return o !== undefined && Object.values(o).some(hasUnknown);
}

/** `xs` without repeats, in their first order. */
export const unique = <X>(xs: readonly X[]): X[] => [...new Set(xs)];

/** `xs` grouped by `keyOf`; items whose key is undefined are left out. */
export function groupBy<X>(
    xs: readonly X[],
    keyOf: (x: X) => string | undefined,
): Map<string, X[]> {
    const groups = new Map<string, X[]>();
    for (const x of xs) {
        const key = keyOf(x);
        if (key !== undefined) {
            groups.set(key, [...(groups.get(key) ?? []), x]);
        }
    }
    return groups;
}

// ---- Names --------------------------------------------------------------------------------------

/** A DNS name compared the way DNS does: lowercase, no trailing dot. */
export const dnsName = (name: string): string => name.toLowerCase().replace(/\.$/, "");

/** The parts of an ARN (`arn:partition:service:region:account:resource`), when it is one. */
export function parseArn(
    arn: string,
):
    | { partition: string; service: string; region: string; account: string; resource: string }
    | undefined {
    const parts = arn.split(":");
    if (parts.length < 6 || parts[0] !== "arn") {
        return undefined;
    }
    return {
        partition: parts[1],
        service: parts[2],
        region: parts[3],
        account: parts[4],
        resource: parts.slice(5).join(":"),
    };
}

/** The API id and region of an API Gateway host (`{id}.execute-api.{region}.amazonaws.com`). */
export function executeApiHost(host: string): { id: string; region: string } | undefined {
    const m = /^([a-z0-9-]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(
        dnsName(host),
    );
    return m ? { id: m[1], region: m[2] } : undefined;
}

// ---- Resources ----------------------------------------------------------------------------------

export const ofType = (resources: readonly ResourceSnapshot[], ...types: string[]) =>
    resources.filter((r) => types.includes(r.type));

/** Whether `r` lists `target` among the resources it depends on. */
export const dependsOn = (r: ResourceSnapshot, target: ResourceSnapshot): boolean =>
    r.options.dependsOn.includes(target.urn);

// ---- Wording ------------------------------------------------------------------------------------

/** How a resource is named in a message: its Pulumi name, and its stack when several are seen. */
export const label = (r: ResourceSnapshot): string => (r.stack ? `${r.stack}/${r.name}` : r.name);

/** The resources' labels, sorted and comma-separated. */
export const labels = (rs: readonly ResourceSnapshot[]): string =>
    rs
        .map(label)
        .sort((a, b) => a.localeCompare(b))
        .join(", ");

/** The labels of `group` but `r`'s, in the group's order. */
export const otherLabels = (r: ResourceSnapshot, group: readonly ResourceSnapshot[]): string =>
    group
        .filter((o) => o !== r)
        .map(label)
        .join(", ");

/** `a`, `a and b`, `a, b and c`. */
export function listed(items: readonly string[]): string {
    return items.length <= 1
        ? (items[0] ?? "")
        : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * A value quoted for a message, whatever its type: strings in quotes, numbers and booleans as
 * they are; never `undefined`, `null`, `NaN` or `[object Object]`.
 */
export function shown(v: unknown): string {
    if (isUnknown(v)) {
        return "(unknown until deployed)";
    }
    if (typeof v === "string") {
        return JSON.stringify(v);
    }
    if (typeof v === "number") {
        return Number.isNaN(v) ? "an invalid number" : String(v);
    }
    if (typeof v === "boolean") {
        return String(v);
    }
    if (Array.isArray(v)) {
        return `[${v.map(shown).join(", ")}]`;
    }
    return v === null || v === undefined ? "nothing" : "an object";
}

export { UNKNOWN, isUnknown };
