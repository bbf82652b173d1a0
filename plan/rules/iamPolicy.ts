// Reading IAM policy documents as rules see them: JSON text or objects (any part possibly
// unknown), and what in them grants more than named actions on named resources.
import { isUnknown, obj, parseArn, str } from "./values";

/** A policy document from JSON text or an object; undefined when unknown or unreadable. */
export function policyDocument(v: unknown): Record<string, unknown> | undefined {
    if (typeof v === "string") {
        try {
            return obj(JSON.parse(v));
        } catch {
            return undefined;
        }
    }
    return obj(v);
}

/** The statements of a document (a list or a single statement), objects only. */
export function statements(doc: Record<string, unknown>): Record<string, unknown>[] {
    const s = doc.Statement;
    return (Array.isArray(s) ? s : [s])
        .map(obj)
        .filter((x): x is Record<string, unknown> => x !== undefined);
}

/** A statement element that may be one string or a list: its known strings. */
export function strings(v: unknown): string[] {
    return (Array.isArray(v) ? v : [v]).map(str).filter((x): x is string => x !== undefined);
}

const allows = (s: Record<string, unknown>) => str(s.Effect)?.toLowerCase() === "allow";

/** Whether a trust policy lets `service` (for example `lambda.amazonaws.com`) assume the role. */
export function trustsService(doc: Record<string, unknown>, service: string): boolean {
    return statements(doc).some(
        (s) =>
            allows(s) &&
            strings(obj(s.Principal)?.Service).some((p) => p.toLowerCase() === service),
    );
}

const WILDCARD_ONLY = /^[*?]+$/;

/** An action with a wildcard: `*`, `dynamodb:*`, `dynamodb:Get*`. */
export const wildcardAction = (action: string): boolean => /[*?]/.test(action);

/**
 * A resource that names no particular resource: `*`, or an ARN whose resource part is only a
 * wildcard after its resource type (`table/*`, `function:*`, `log-group:*`) or whose S3 bucket is
 * a wildcard. A qualifier after a named resource (`log-group:/aws/lambda/f:*`, a log group's
 * streams; `table/orders/index/*`) is not broad.
 */
export function wildcardResource(resource: string): boolean {
    if (WILDCARD_ONLY.test(resource)) {
        return true;
    }
    const arn = parseArn(resource);
    if (arn === undefined) {
        return false;
    }
    const part = arn.resource;
    if (arn.service === "s3") {
        return WILDCARD_ONLY.test(part.split("/")[0]);
    }
    const segments = part.split(/[/:]/);
    if (WILDCARD_ONLY.test(segments[0])) {
        return true;
    }
    // After a resource type, the first non-empty segment is the resource's name.
    const name = segments.slice(1).find((s) => s !== "");
    return name !== undefined && WILDCARD_ONLY.test(name);
}

/**
 * Actions that authorize against no resource, so AWS documents them with `"Resource": "*"`
 * (CloudWatch's PutMetricData, scoped by the cloudwatch:namespace condition, and GetMetricData;
 * X-Ray's writes): https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 */
const RESOURCELESS_ACTIONS = new Set([
    "cloudwatch:putmetricdata",
    "cloudwatch:getmetricdata",
    "xray:puttracesegments",
    "xray:puttelemetryrecords",
    "xray:getsamplingrules",
    "xray:getsamplingtargets",
    "xray:getsamplingstatisticsummaries",
]);

/** Whether a statement's actions are all named ones that can only be granted on "*". */
const resourceless = (actions: string[]): boolean =>
    actions.length > 0 && actions.every((a) => RESOURCELESS_ACTIONS.has(a.toLowerCase()));

const quoted = (xs: string[]) => xs.map((x) => `"${x}"`).join(", ");

/** What each Allow statement of a document grants beyond named actions on named resources. */
export function broadGrants(doc: Record<string, unknown>): string[] {
    return statements(doc).flatMap((s, i) => {
        if (!allows(s)) {
            return [];
        }
        const sid = str(s.Sid);
        const which = sid ? `statement ${sid}` : `statement ${i + 1}`;
        const parts = [
            ...(s.NotAction !== undefined && s.NotAction !== null && !isUnknown(s.NotAction)
                ? [`NotAction (every action but ${quoted(strings(s.NotAction))})`]
                : []),
            ...(s.NotResource !== undefined && s.NotResource !== null && !isUnknown(s.NotResource)
                ? [`NotResource (every resource but ${quoted(strings(s.NotResource))})`]
                : []),
        ];
        const actions = strings(s.Action).filter(wildcardAction);
        const resources = resourceless(strings(s.Action))
            ? []
            : strings(s.Resource).filter(wildcardResource);
        if (actions.length > 0) {
            parts.push(`Action ${quoted(actions)}`);
        }
        if (resources.length > 0) {
            parts.push(`Resource ${quoted(resources)}`);
        }
        return parts.length === 0 ? [] : [`${which} allows ${parts.join(" and ")}`];
    });
}
