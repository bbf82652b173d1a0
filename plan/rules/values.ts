// Small readers shared by the rules: type tokens and typed access to snapshot values that may be
// missing, of the wrong type, or unknown until deployed.
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
    domainNameV2: "aws:apigatewayv2/domainName:DomainName",
    apiMappingV2: "aws:apigatewayv2/apiMapping:ApiMapping",
    lambdaFunction: "aws:lambda/function:Function",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
} as const;

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

/** An object value (not an array), else undefined. */
export const obj = (v: unknown): Record<string, unknown> | undefined =>
    typeof v === "object" && v !== null && !Array.isArray(v)
        ? (v as Record<string, unknown>)
        : undefined;

/** Whether a value was given at all (unknown counts as given). */
export const given = (v: unknown): boolean => v !== undefined && v !== null;

/** A DNS name compared the way DNS does: lowercase, no trailing dot. */
export const dnsName = (name: string): string => name.toLowerCase().replace(/\.$/, "");

export const ofType = (resources: readonly ResourceSnapshot[], ...types: string[]) =>
    resources.filter((r) => types.includes(r.type));

/** How a resource is named in a message: its Pulumi name, and its stack when several are seen. */
export const label = (r: ResourceSnapshot): string => (r.stack ? `${r.stack}/${r.name}` : r.name);

export { UNKNOWN, isUnknown };
