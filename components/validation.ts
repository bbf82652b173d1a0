import * as pulumi from "@pulumi/pulumi";
import { HealthCheckRegion, ResourceRecordSetRegion } from "@aws-sdk/client-route-53";
import { partition } from "@aws-sdk/util-endpoints";

/**
 * One rule for one value: `undefined` when the value is allowed, else what is allowed, worded to
 * follow "must be" (`"10 or 30 seconds"`). Components and the stack config share these rules, so a
 * value is judged, and explained, the same way whether it comes from code or from a stack file.
 */
export type Rule = (value: unknown) => string | undefined;

/**
 * Quotes a value for an error message, whatever its type: JSON for plain data, except that NaN,
 * Infinity and -0 read as themselves (JSON would print null or 0), also inside lists and objects.
 * Never prints `undefined` or `[object Object]`: a missing list entry reads "(missing)", anything
 * that is not plain data by its kind ("an Output", "a RegionalApi").
 */
export function shown(value: unknown): string {
    return showValue(value, new Set());
}

function showValue(value: unknown, seen: Set<object>): string {
    switch (typeof value) {
        case "number":
            if (Object.is(value, -0)) {
                return "-0";
            }
            return Number.isFinite(value) ? JSON.stringify(value) : String(value);
        case "string":
        case "boolean":
            return JSON.stringify(value);
        case "undefined":
            return "(missing)";
        case "bigint":
            return `${value}n`;
        case "function":
            return "a function";
        case "symbol":
            return value.toString();
    }
    if (typeof value !== "object" || value === null) {
        return "null";
    }
    if (seen.has(value)) {
        return "(itself)";
    }
    if (pulumi.Output.isInstance(value)) {
        return "an Output";
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
        const kind = (value as { constructor?: { name?: unknown } }).constructor?.name;
        return typeof kind === "string" && kind !== "" ? `${article(kind)} ${kind}` : "an object";
    }
    const inner = new Set(seen).add(value);
    if (Array.isArray(value)) {
        return `[${Array.from(value, (v: unknown) => showValue(v, inner)).join(",")}]`;
    }
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${showValue(v, inner)}`).join(",")}}`;
}

/** "a" or "an", by the word's first letter. */
function article(word: string): string {
    return /^[aeiou]/i.test(word) ? "an" : "a";
}

/**
 * The optimal-string-alignment distance between `a` and `b`: insertions, deletions,
 * substitutions and transpositions of two adjacent characters each count one edit.
 */
export function editDistance(a: string, b: string): number {
    // rows[i][j]: distance between the first i characters of a and the first j of b.
    const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                best = Math.min(best, rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    return rows[a.length][b.length];
}

/**
 * The candidate nearest to `word`, ignoring case, when it is close enough to be what was meant: at
 * most one edit in three characters of `word` (at least one edit). A namespaced candidate
 * (`aws:region`) also matches by its bare name. Ties go to the earlier candidate.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
    const typed = word.toLowerCase();
    const limit = Math.max(1, Math.floor(typed.length / 3));
    let best: string | undefined;
    let bestDistance = limit + 1;
    for (const candidate of candidates) {
        const lower = candidate.toLowerCase();
        const bare = lower.slice(lower.lastIndexOf(":") + 1);
        const distance = Math.min(editDistance(typed, lower), editDistance(typed, bare));
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

/**
 * Why `key` is refused where only `known` keys exist, worded to follow the key: `is not a setting
 * of healthCheck; did you mean requestInterval? Its settings are …`, without the question when no
 * key is close. `alsoSuggest`: keys that may be meant but are not listed (another namespace's).
 */
export function unknownKeyProblem(
    key: string,
    known: readonly string[],
    owner: string,
    kind: "setting" | "argument",
    alsoSuggest: readonly string[] = [],
): string {
    const guess = nearest(key, [...known, ...alsoSuggest]);
    const list = known.join(", ");
    const refused = `is not ${article(kind)} ${kind} of ${owner}`;
    return guess === undefined
        ? `${refused}; its ${kind}s are ${list}`
        : `${refused}; did you mean ${guess}? Its ${kind}s are ${list}`;
}

/**
 * What is wrong with `value` under `rule`, worded to follow the argument's name: `is required: …`
 * when it is missing, `must be … (got …)` when it is not allowed; undefined when it is fine.
 */
export function problemWith(value: unknown, rule: Rule): string | undefined {
    const missing = value === undefined || value === null;
    const allowed = rule(missing ? undefined : value);
    if (allowed === undefined) {
        return undefined;
    }
    return missing ? `is required: ${allowed}` : `must be ${allowed} (got ${shown(value)})`;
}

/**
 * Collects every problem with a component's plain arguments and throws them together, so a user
 * fixes them in one pass. Messages name the component, the instance and the argument:
 * `RegionalApi "primary": [stageName] must be 1-128 letters, digits or underscores (got "a b")`.
 */
export class ArgProblems {
    private readonly problems: string[] = [];

    constructor(
        private readonly component: string,
        private readonly instance: string,
    ) {}

    /** Records a problem with `[arg]` unless `ok`. */
    check(ok: boolean, arg: string, problem: string): void {
        if (!ok) {
            this.problems.push(`[${arg}] ${problem}`);
        }
    }

    /** Like `rule`, for an argument that must be given. */
    required(arg: string, value: unknown, rule: Rule): void {
        if (value === undefined || value === null) {
            this.check(false, arg, problemWith(undefined, rule) ?? "is required");
        } else {
            this.rule(arg, value, rule);
        }
    }

    /** Applies `rule` to `value` when the value is known now (Outputs are checked by AWS). */
    rule(arg: string, value: unknown, rule: Rule): void {
        const v = known(value);
        const problem = v === undefined ? undefined : problemWith(v, rule);
        this.check(problem === undefined, arg, problem ?? "");
    }

    /**
     * Records each key of `args` that carries a value but is not one of `known`, suggesting the
     * nearest: a misspelled argument would otherwise be ignored and its default used silently.
     * `path` names a nested object argument (`waf`); top-level keys are the component's arguments.
     */
    unknownKeys(args: unknown, known: readonly string[], path?: string): void {
        if (!isPlainObject(args)) {
            return;
        }
        for (const [key, value] of Object.entries(args)) {
            if (value !== undefined && !known.includes(key)) {
                this.check(
                    false,
                    path === undefined ? key : `${path}.${key}`,
                    path === undefined
                        ? unknownKeyProblem(key, known, this.component, "argument")
                        : unknownKeyProblem(key, known, `[${path}]`, "setting"),
                );
            }
        }
    }

    /**
     * Checks the component's own name, which AWS names are derived from: its characters, and a
     * length that leaves every derived name (with Pulumi's random suffix, if auto-named) within
     * AWS's limit.
     */
    name(name: unknown, derived: readonly DerivedName[], chars: NameCharacters): void {
        const room = (d: DerivedName) =>
            d.maxLength - d.suffix.length - (d.autonamed ? AUTONAME_SUFFIX_LENGTH : 0);
        const tightest = derived.reduce((a, b) => (room(b) < room(a) ? b : a));
        const max = room(tightest);
        const ok =
            typeof name === "string" &&
            name.length >= 1 &&
            name.length <= max &&
            chars.pattern.test(name);
        const example = `${tightest.what} "<name>${tightest.suffix}"${tightest.autonamed ? ", plus Pulumi's 8-character random suffix," : ""}`;
        const got =
            typeof name === "string" ? `${shown(name)}, ${name.length} characters` : shown(name);
        this.check(
            ok,
            "name",
            `must be 1-${max} characters from ${chars.described}: the ${example} must fit AWS's limit of ${tightest.maxLength} characters (got ${got})`,
        );
    }

    /**
     * Checks tags known now: at most `max` of them, keys and values as AWS allows, no `aws:`
     * prefix, and none of `reserved` (keys the component sets itself, which would silently win).
     */
    tags(tags: unknown, limits: TagLimits): void {
        const value = known(tags);
        if (value === undefined) {
            return;
        }
        if (!isPlainObject(value)) {
            this.check(false, "tags", `must be a map of tag keys to values (got ${shown(value)})`);
            return;
        }
        const keys = Object.keys(value);
        this.check(
            keys.length <= limits.max,
            "tags",
            `must hold at most ${limits.max} tags: ${limits.why} (got ${keys.length})`,
        );
        for (const key of keys) {
            if (limits.reserved?.includes(key)) {
                this.check(false, `tags.${key}`, `${limits.reservedWhy}; remove it`);
                continue;
            }
            this.check(
                key.length >= 1 &&
                    key.length <= 128 &&
                    TAG_TEXT.test(key) &&
                    !key.toLowerCase().startsWith("aws:"),
                "tags",
                `key ${shown(key)} must be 1-128 ${TAG_CHARACTERS}, not starting with "aws:" (reserved for AWS)`,
            );
            this.rule(`tags.${key}`, value[key], (v) =>
                typeof v === "string" && v.length <= 256 && TAG_TEXT.test(v)
                    ? undefined
                    : `at most 256 ${TAG_CHARACTERS}`,
            );
        }
    }

    throwIfAny(): void {
        if (this.problems.length > 0) {
            // RunError: the Pulumi CLI prints the message alone, without a stack trace.
            throw new pulumi.RunError(
                `${this.component} "${this.instance}": ${this.problems.join("; ")}`,
            );
        }
    }
}

/** Pulumi's default auto-name: the resource's name, "-" and 7 random characters. */
export const AUTONAME_SUFFIX_LENGTH = 8;

/** An AWS name derived from a component's name: `<name><suffix>`. */
export interface DerivedName {
    /** What is appended to the component's name, for example `-api-role`. */
    readonly suffix: string;
    /** What the derived name names, for the message: `IAM role`. */
    readonly what: string;
    /** AWS's limit on its length. */
    readonly maxLength: number;
    /** Whether Pulumi auto-names it, appending its random suffix. */
    readonly autonamed: boolean;
}

/** The characters a component name may have, and how a message words them. */
export interface NameCharacters {
    readonly pattern: RegExp;
    readonly described: string;
}

/** Lambda function names, WAF names and IAM role names all allow these. */
export const RESOURCE_NAME_CHARACTERS: NameCharacters = {
    pattern: /^[A-Za-z0-9_-]+$/,
    described: 'A-Z, a-z, 0-9, "-" and "_"',
};

/** What AWS allows in tag keys and values (and so in names that become a `Name` tag). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_CHARACTERS = "letters, digits, spaces or _ . : / = + - @";

export const TAG_VALUE_CHARACTERS: NameCharacters = {
    pattern: TAG_TEXT,
    described: "letters, digits, spaces and _ . : / = + - @",
};

/** How many tags a component's children take, and the keys it sets itself. */
export interface TagLimits {
    readonly max: number;
    /** Why at most `max`, worded to follow it. */
    readonly why: string;
    readonly reserved?: readonly string[];
    /** Why a reserved key is refused, worded to follow the key. */
    readonly reservedWhy?: string;
}

/** AWS's limit per resource for the services the components tag (Lambda, IAM, API Gateway, WAF). */
export const AWS_TAG_LIMITS: TagLimits = {
    max: 50,
    why: "AWS resources take at most 50",
};

/** The tags of a component whose children include Route 53 health checks named by a `Name` tag. */
export const healthCheckTagLimits = (component: string): TagLimits => ({
    max: 9,
    why: `a Route 53 health check takes at most 10 and ${component} adds Name`,
    reserved: ["Name"],
    reservedWhy: `is set by ${component}, which names each health check after itself`,
});

/** A plain object (not an array, an Output or a class instance). */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !pulumi.Output.isInstance(v) &&
    [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);

/**
 * `input` checked against `rule` once it is known, failing with `fail(problem)`: for values that
 * land in IAM policy text, where a bad value (a `*` in a table name) would grant more than
 * intended and so must never reach AWS, even when it is known only at deploy time.
 */
export function checkedWhenKnown<T>(
    input: pulumi.Input<T>,
    rule: Rule,
    fail: (problem: string) => Error,
): pulumi.Output<T> {
    return pulumi.output(input).apply((value) => {
        const problem = problemWith(value, rule);
        if (problem !== undefined) {
            throw fail(problem);
        }
        return value;
    }) as pulumi.Output<T>;
}

/** The value of an Input when it is known now (not an Output or a Promise), else undefined. */
export function known<T>(input: pulumi.Input<T> | undefined): T | undefined {
    if (input === undefined || pulumi.Output.isInstance(input) || input instanceof Promise) {
        return undefined;
    }
    return input;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A lowercase DNS name without a trailing dot, at most 253 characters, at least two labels. */
export function isDnsName(name: unknown): name is string {
    return (
        typeof name === "string" &&
        name.length <= 253 &&
        name.split(".").length >= 2 &&
        name.split(".").every((l) => LABEL.test(l))
    );
}

/** Whether `name` is `zone` itself or a name below it. */
export function isInZone(name: string, zone: string): boolean {
    return name === zone || name.endsWith(`.${zone}`);
}

/**
 * ACM's limit on a certificate's first domain name, its Common Name (RFC 5280); further names
 * (SANs) may have up to 253 characters, as any DNS name
 * (https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html).
 */
export const MAX_CERTIFICATE_FIRST_NAME = 64;

/** What keeps a string from being a DNS name in isDnsName's sense, said briefly; "" when nothing. */
function dnsNameFlaw(value: unknown): string {
    if (typeof value !== "string") {
        return "";
    }
    const name: string = value;
    if (isDnsName(value)) {
        return "";
    }
    const labels = name.split(".");
    const flaw =
        name === ""
            ? "it is empty"
            : name.length > 253
              ? `it has ${name.length} characters (at most 253)`
              : labels.length < 2
                ? "it has a single label"
                : labels.includes("")
                  ? "it has an empty label (two dots in a row, or a dot at an end)"
                  : labels
                        .filter((l) => !LABEL.test(l))
                        .map((l) =>
                            l.length > 63
                                ? `label "${l.slice(0, 12)}…" has ${l.length} characters (at most 63)`
                                : /[A-Z]/.test(l)
                                  ? `label "${l}" has uppercase letters`
                                  : /^-|-$/.test(l)
                                    ? `label "${l}" starts or ends with "-"`
                                    : `label "${l}" has characters other than a-z, 0-9 and "-"`,
                        )[0];
    return `; ${flaw}`;
}

export const dnsName: Rule = (v) =>
    isDnsName(v)
        ? undefined
        : `a lowercase DNS name without a trailing dot, such as example.com${dnsNameFlaw(v)}`;

/**
 * A DNS name inside `zone` (or the zone itself). When the zone is itself missing or invalid (and
 * reported as such), only the name's own form is checked: one mistake, one message.
 */
export const nameInZone =
    (zone: unknown): Rule =>
    (v) => {
        if (!isDnsName(zone)) {
            const why = zone === undefined || zone === null ? "missing" : "invalid";
            return isDnsName(v)
                ? undefined
                : `a lowercase DNS name inside the hosted zone (itself ${why})`;
        }
        return isDnsName(v) && isInZone(v, zone)
            ? undefined
            : `a lowercase DNS name inside zone ${shown(zone)}${dnsNameFlaw(v)}`;
    };

/**
 * The routed service name: a DNS name inside `zone` short enough to be the first domain name of
 * the ACM certificate each region requests for it.
 */
export const serviceNameInZone =
    (zone: unknown): Rule =>
    (v) =>
        nameInZone(zone)(v) ??
        ((v as string).length > MAX_CERTIFICATE_FIRST_NAME
            ? `a name of at most ${MAX_CERTIFICATE_FIRST_NAME} characters: it is the first domain name (Common Name) of the ACM certificate each region requests, which ACM limits to ${MAX_CERTIFICATE_FIRST_NAME}`
            : undefined);

/**
 * Whether `region` is a region the AWS SDK's partition metadata lists (a kept source, updated
 * with every SDK release), as opposed to a typo that merely looks like one.
 */
export function isAwsRegion(region: unknown): region is string {
    return (
        typeof region === "string" &&
        /^[a-z]{2,4}(-[a-z]+)+-\d+$/.test(region) &&
        // Listed regions carry a description; a name that only matches a pattern does not.
        (partition(region) as { description?: string }).description !== undefined
    );
}

export const awsRegion: Rule = (v) =>
    isAwsRegion(v) ? undefined : "an AWS region such as us-east-1 (a region the AWS SDK lists)";

/** The AWS partition of a region (`aws`, `aws-cn`, `aws-us-gov`, ...). */
export const partitionOf = (region: string): string => partition(region).name;

/** An AWS region in the same partition as `region`: one account cannot span partitions. */
export const regionBeside =
    (region: unknown): Rule =>
    (v) =>
        awsRegion(v) ??
        (isAwsRegion(region) && partitionOf(v as string) !== partitionOf(region)
            ? `a region of the same AWS partition as aws:region (${partitionOf(region)})`
            : undefined);

/** Route 53's health checker regions, from the Route 53 API model (HealthCheckRegion). */
export const HEALTH_CHECKER_REGIONS: readonly string[] = Object.values(HealthCheckRegion);

/** Regions a latency record may name, from the Route 53 API model (ResourceRecordSetRegion). */
export const LATENCY_REGIONS: readonly string[] = Object.values(ResourceRecordSetRegion);

export const latencyRegion: Rule = (v) =>
    typeof v === "string" && LATENCY_REGIONS.includes(v)
        ? undefined
        : "a region Route 53 latency records support";

/** Seconds between checks from each checker: Route 53 offers only these two. */
export const requestInterval: Rule = (v) =>
    v === 10 || v === 30 ? undefined : "10 or 30 (seconds; Route 53 offers no other interval)";

export const failureThreshold: Rule = (v) =>
    Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 10
        ? undefined
        : "an integer from 1 to 10";

export const checkerRegions: Rule = (v) => {
    const allowed = `a list of at least 3 distinct Route 53 checker regions from ${HEALTH_CHECKER_REGIONS.join(", ")}`;
    if (!Array.isArray(v)) {
        return allowed;
    }
    const unknown = v.filter((r) => !HEALTH_CHECKER_REGIONS.includes(r as string));
    const seen = new Set<unknown>();
    const twice = v.filter((r) => seen.has(r) || !seen.add(r));
    const flaws = [
        ...unknown.map((r) => `${shown(r)} is not one`),
        ...[...new Set(twice)].map((r) => `${shown(r)} is listed twice`),
        ...(new Set(v).size < 3 ? [`${new Set(v).size} distinct given`] : []),
    ];
    return flaws.length === 0 ? undefined : `${allowed}; ${flaws.join(", ")}`;
};

/**
 * A DynamoDB table name ([A-Za-z0-9_.-], 3-255 characters): it also ends up in IAM resource ARNs,
 * where `*` or `?` would grant far more than one table.
 */
export const tableName: Rule = (v) =>
    typeof v === "string" && /^[A-Za-z0-9_.-]{3,255}$/.test(v)
        ? undefined
        : "a DynamoDB table name: 3-255 letters, digits, '_', '-' or '.'";

/** A finite number above 0. */
export const positiveNumber: Rule = (v) =>
    typeof v === "number" && Number.isFinite(v) && v > 0 ? undefined : "a positive number";

/** An integer above 0 (no upper bound known at construction). */
export const positiveInteger: Rule = (v) =>
    Number.isInteger(v) && (v as number) > 0 ? undefined : "a positive integer";

/** An integer in [min, max]. */
export const integerFrom =
    (min: number, max: number, unit = ""): Rule =>
    (v) =>
        Number.isInteger(v) && (v as number) >= min && (v as number) <= max
            ? undefined
            : `an integer from ${min} to ${max}${unit}`;

/** One of the values of a string enum. */
export const oneOf =
    (values: readonly string[]): Rule =>
    (v) =>
        typeof v === "string" && values.includes(v)
            ? undefined
            : `one of ${values.map((x) => `"${x}"`).join(", ")}`;

/**
 * A bearer token: RFC 6750's token68 characters, long enough that guessing is hopeless. The
 * handlers keep only SHA-256 digests, which is safe only for tokens with this much entropy.
 */
const ACCESS_TOKEN = /^[A-Za-z0-9\-._~+/]{32,512}=*$/;

/**
 * What is wrong with a list of access tokens, or undefined. Secrets are never quoted: the message
 * names a token by its position only.
 */
export function accessTokensProblem(tokens: unknown): string | undefined {
    if (!Array.isArray(tokens)) {
        return "must be a list of tokens (the value is a secret and is not shown)";
    }
    const bad = tokens.flatMap((t, i) =>
        typeof t === "string" && ACCESS_TOKEN.test(t) ? [] : [i + 1],
    );
    if (bad.length > 0) {
        const which =
            tokens.length === 1 ? "the token" : `token ${bad.join(", ")} of ${tokens.length}`;
        return `${which} must be 32-512 characters from A-Z, a-z, 0-9, "-", ".", "_", "~", "+", "/", optionally ending in "=" (for example \`openssl rand -hex 32\`); the value is a secret and is not shown`;
    }
    if (new Set(tokens).size !== tokens.length) {
        return "must not list the same token twice (the values are secret and are not shown)";
    }
    return undefined;
}

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/** A log group's retention: one of {@link LOG_RETENTION_DAYS}. */
export const logRetentionDays: Rule = (v) =>
    LOG_RETENTION_DAYS.includes(v as number)
        ? undefined
        : `one of ${LOG_RETENTION_DAYS.join(", ")}`;

/** API Gateway's stage names (https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html). */
export const stageName: Rule = (v) =>
    typeof v === "string" && /^[A-Za-z0-9_-]{1,128}$/.test(v)
        ? undefined
        : '1-128 letters, digits, "-" or "_"';

/**
 * A CloudWatch namespace for custom metrics: 1-255 ASCII letters, digits and `. - _ / # :` or
 * spaces, not all spaces, not starting with ":" and not in AWS's own `AWS/` namespaces
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Namespace).
 */
export const metricNamespace: Rule = (v) =>
    typeof v === "string" &&
    /^[A-Za-z0-9._\-/#: ]{1,255}$/.test(v) &&
    /\S/.test(v) &&
    !v.startsWith(":") &&
    !v.startsWith("AWS/")
        ? undefined
        : 'a CloudWatch namespace: 1-255 letters, digits, spaces or . - _ / # :, not starting with ":" or "AWS/" (reserved for AWS)';
