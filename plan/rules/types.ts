// The guardrails' neutral vocabulary. Rules are pure functions over resource snapshots; the offline
// plan (plan/findings.ts) and the policy pack (policy/) each build snapshots from what they see, so
// one rule set serves a mock-evaluated graph and a real `pulumi preview` alike.

/**
 * A value the engine does not know yet (an Output during `pulumi preview`). Rules treat it as
 * present but unjudgeable: never a finding because of it, never a pass that assumes its value.
 */
export const UNKNOWN: unique symbol = Symbol("unknown until deployed");
export type Unknown = typeof UNKNOWN;

export const isUnknown = (v: unknown): v is Unknown => v === UNKNOWN;

/** One resource as a rule sees it. */
export interface ResourceSnapshot {
    /** Pulumi type token, for example `aws:route53/record:Record`. */
    type: string;
    /** The resource's Pulumi name. */
    name: string;
    urn: string;
    /** Inputs as registered; any value, at any depth, may be {@link UNKNOWN}. */
    inputs: Record<string, unknown>;
    /** Where AWS creates it: its own `region` input, else its provider's region; undefined if unknown. */
    region: string | undefined;
    /** URN of the parent resource; undefined at the top level. */
    parent: string | undefined;
    options: {
        protect: boolean;
        /** {@link UNKNOWN} where the engine does not say (its analyzer protocol omits it). */
        retainOnDelete: boolean | Unknown;
        ignoreChanges: string[];
        /** URNs of every resource this one depends on (explicit and through its inputs). */
        dependsOn: string[];
    };
    /** The stack it belongs to, when rules see several stacks at once (the plan's cross-stack run). */
    stack?: string;
}

/** error: blocks a deploy; warning: likely wrong; advice: worth knowing. */
export type Severity = "error" | "warning" | "advice";

export const SEVERITIES: readonly Severity[] = ["error", "warning", "advice"];

/** One thing a rule found. */
export interface Finding {
    rule: string;
    severity: Severity;
    /** The resource the finding is about (its URN and name). */
    urn: string;
    resource: string;
    /** What goes wrong in production, and how to fix it. */
    message: string;
}

/**
 * What the rules are told about the snapshots they see. `wholeDeployment`: every stack of the
 * deployment is present, so something missing (a SECONDARY, a replica) is really missing. A
 * policy pack sees one stack of possibly several, so by default it is false there.
 */
export interface RuleContext {
    wholeDeployment: boolean;
}

interface RuleBase {
    /** Stable id: the policy's name in the pack, the `rule` of every finding. */
    id: string;
    severity: Severity;
    /** One line: what the rule requires. */
    description: string;
    /** How to fix a finding, in general terms. */
    remediation: string;
    /** AWS's own page that states the behaviour the rule relies on. */
    url: string;
    /** A minimal example that trips the rule, in Pulumi TypeScript (for the pack's README). */
    example: string;
}

/** A rule that judges one resource at a time. */
export interface ResourceRule extends RuleBase {
    scope: "resource";
    /** Resource types it applies to. */
    types: readonly string[];
    /** The problems with `r`, as messages (empty when fine). */
    check(r: ResourceSnapshot): string[];
}

/**
 * A rule over many resources: one stack (`scope: "stack"`), or every stack of a deployment
 * (`scope: "deployment"`: the plan runs it over all stacks together; the pack over its one stack,
 * telling it through {@link RuleContext} whether that is the whole deployment).
 */
export interface GroupRule extends RuleBase {
    scope: "stack" | "deployment";
    check(
        resources: readonly ResourceSnapshot[],
        ctx: RuleContext,
    ): { resource: ResourceSnapshot; message: string }[];
}

export type Rule = ResourceRule | GroupRule;
