import * as pulumi from "@pulumi/pulumi";
import { HealthCheckRegion, ResourceRecordSetRegion } from "@aws-sdk/client-route-53";
import { partition } from "@aws-sdk/util-endpoints";

/**
 * One rule for one value: `undefined` when the value is allowed, else what is allowed, worded to
 * follow "must be" (`"10 or 30 seconds"`). Components and the stack config share these rules, so a
 * value is judged, and explained, the same way whether it comes from code or from a stack file.
 */
export type Rule = (value: unknown) => string | undefined;

/** Quotes a value for an error message, whatever its type. */
export function shown(value: unknown): string {
    // JSON has no NaN or Infinity (it would print them as null).
    if (typeof value === "number" && !Number.isFinite(value)) {
        return String(value);
    }
    return JSON.stringify(value) ?? String(value);
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

    throwIfAny(): void {
        if (this.problems.length > 0) {
            // RunError: the Pulumi CLI prints the message alone, without a stack trace.
            throw new pulumi.RunError(
                `${this.component} "${this.instance}": ${this.problems.join("; ")}`,
            );
        }
    }
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

export const dnsName: Rule = (v) =>
    isDnsName(v) ? undefined : "a lowercase DNS name without a trailing dot, such as example.com";

/** A DNS name inside `zone` (or the zone itself). */
export const nameInZone =
    (zone: unknown): Rule =>
    (v) =>
        isDnsName(v) && typeof zone === "string" && isInZone(v, zone)
            ? undefined
            : `a lowercase DNS name inside ${typeof zone === "string" ? `zone ${shown(zone)}` : "the hosted zone (itself missing)"}`;

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

export const checkerRegions: Rule = (v) =>
    Array.isArray(v) &&
    v.length >= 3 &&
    new Set(v).size === v.length &&
    v.every((r) => HEALTH_CHECKER_REGIONS.includes(r as string))
        ? undefined
        : `at least 3 distinct Route 53 checker regions from ${HEALTH_CHECKER_REGIONS.join(", ")}`;

/**
 * A DynamoDB table name ([A-Za-z0-9_.-], 3-255 characters): it also ends up in IAM resource ARNs,
 * where `*` or `?` would grant far more than one table.
 */
export const tableName: Rule = (v) =>
    typeof v === "string" && /^[A-Za-z0-9_.-]{3,255}$/.test(v)
        ? undefined
        : "a DynamoDB table name: 3-255 letters, digits, '_', '-' or '.'";

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
