// From what @pulumi/policy hands a policy to the rules' neutral snapshots (plan/rules/types.ts).
// Props arrive wrapped in the SDK's unknown-checking proxy, which throws on reading a value the
// engine does not know yet (an Output during `pulumi preview`). A deep copy turns each such value
// into UNKNOWN, so one unknown input never aborts a whole policy. Secrets arrive as plain values
// (the SDK unwraps them for validation); a `Secret` wrapper, should one appear, is unwrapped too.
import {
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    Secret,
    UnknownValueError,
} from "@pulumi/policy";
import { ResourceSnapshot, UNKNOWN, isUnknown } from "../plan/rules";

/** `container[key]`, or UNKNOWN when the engine does not know it yet. */
function read(container: object, key: string | number): unknown {
    try {
        const value: unknown = (container as Record<string | number, unknown>)[key];
        return value instanceof Secret ? (value.value as unknown) : value;
    } catch (e) {
        if (e instanceof UnknownValueError) {
            return UNKNOWN;
        }
        throw e;
    }
}

/**
 * A plain deep copy of `value` (arrays, objects, primitives) read through the unknown-checking
 * proxy: every unknown, at any depth, becomes UNKNOWN.
 */
export function plainCopy(value: unknown): unknown {
    if (Array.isArray(value)) {
        return Array.from({ length: value.length }, (_, i) => plainCopy(read(value, i)));
    }
    if (typeof value === "object" && value !== null) {
        const copy: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
            copy[key] = plainCopy(read(value, key));
        }
        return copy;
    }
    return value;
}

function inputsOf(props: unknown): Record<string, unknown> {
    const copy = plainCopy(props);
    return typeof copy === "object" && copy !== null && !Array.isArray(copy)
        ? (copy as Record<string, unknown>)
        : {};
}

const nonEmptyString = (v: unknown): v is string => typeof v === "string" && v !== "";

/**
 * Where AWS creates the resource: its own `region` input (AWS provider v7 has one per resource),
 * else its provider's `region`; undefined when neither is known (an unknown own region hides the
 * provider's, which it overrides).
 */
export function regionOf(
    inputs: Record<string, unknown>,
    provider: PolicyProviderResource | undefined,
): string | undefined {
    const own = inputs.region;
    if (isUnknown(own)) {
        return undefined;
    }
    if (nonEmptyString(own)) {
        return own;
    }
    const fromProvider = provider?.props ? read(provider.props, "region") : undefined;
    return nonEmptyString(fromProvider) ? fromProvider : undefined;
}

const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];

/** Options the engine may send that older @pulumi/policy declarations do not list. */
interface NewerOptions {
    retainOnDelete?: unknown;
    dependencies?: unknown;
}

function optionsOf(
    opts: PolicyResourceOptions | undefined,
    dependsOn: string[],
): ResourceSnapshot["options"] {
    const newer = (opts ?? {}) as NewerOptions;
    return {
        protect: opts?.protect === true,
        // The engine's analyzer protocol does not carry it today: unknown, not false.
        retainOnDelete: typeof newer.retainOnDelete === "boolean" ? newer.retainOnDelete : UNKNOWN,
        ignoreChanges: strings(opts?.ignoreChanges),
        dependsOn: [...new Set(dependsOn)],
    };
}

interface Seen {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    provider?: PolicyProviderResource;
}

function snapshotOf(
    r: Seen,
    opts: PolicyResourceOptions | undefined,
    parent: string | undefined,
    dependsOn: string[],
): ResourceSnapshot {
    const inputs = inputsOf(r.props);
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        inputs,
        region: regionOf(inputs, r.provider),
        parent: nonEmptyString(parent) ? parent : undefined,
        options: optionsOf(opts, dependsOn),
    };
}

/** The snapshot of the resource a resource policy validates (its inputs, before deployment). */
export function snapshotOfResource(args: ResourceValidationArgs): ResourceSnapshot {
    const dependencies = strings((args.opts as NewerOptions | undefined)?.dependencies);
    return snapshotOf(args, args.opts, args.opts?.parent, dependencies);
}

/** The snapshot of one resource of the stack a stack policy validates. */
export function snapshotOfStackResource(r: PolicyResource): ResourceSnapshot {
    const dependsOn = [
        ...(r.dependencies ?? []).map((d) => d.urn),
        ...Object.values(r.propertyDependencies ?? {}).flatMap((ds) => ds.map((d) => d.urn)),
        ...strings((r.opts as NewerOptions | undefined)?.dependencies),
    ];
    return snapshotOf(r, r.opts, r.parent?.urn ?? r.opts?.parent, dependsOn);
}
