// Builders for rule fixtures: snapshots as the plan or the policy pack would make them, and the
// findings the rules are expected to report about them.
import { Finding, ResourceSnapshot, Rule, RuleContext, Unknown, runRules } from "../../plan/rules";

/** The URN `snap` gives a resource of `type` named `name`. */
export const urnOf = (type: string, name: string): string =>
    `urn:pulumi:test::proj::${type}::${name}`;

/** A snapshot of a resource of `type` named `name` in stack "test", region us-east-1 by default. */
export function snap(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    more: Partial<Omit<ResourceSnapshot, "type" | "name" | "inputs">> = {},
): ResourceSnapshot {
    return {
        type,
        name,
        urn: urnOf(type, name),
        inputs,
        region: "us-east-1",
        parent: undefined,
        options: options(),
        ...more,
    };
}

/** Snapshot options: depending on `on` (resources or their URNs), with `retainOnDelete`. */
export function options(
    on: readonly (ResourceSnapshot | string)[] = [],
    retainOnDelete: boolean | Unknown = false,
): ResourceSnapshot["options"] {
    return {
        protect: false,
        retainOnDelete,
        ignoreChanges: [],
        dependsOn: on.map((r) => (typeof r === "string" ? r : r.urn)),
    };
}

/** `snap`'s `more` for a resource that depends on `on` (resources or their URNs). */
export const dependingOn = (...on: (ResourceSnapshot | string)[]) => ({ options: options(on) });

/** The finding `rule` reports about `r` (a snapshot, or the URN and name of one). */
export const finding = (
    rule: Rule,
    r: Pick<ResourceSnapshot, "urn" | "name" | "stack">,
    message: string,
): Finding => ({
    rule: rule.id,
    severity: rule.severity,
    urn: r.urn,
    resource: r.stack ? `${r.stack}/${r.name}` : r.name,
    message,
});

/** The findings of one rule over `resources` (whole deployment unless told otherwise). */
export function findingsOf(
    rule: Rule,
    resources: ResourceSnapshot[],
    ctx: RuleContext = { wholeDeployment: true },
): Finding[] {
    return runRules([rule], resources, ctx);
}
