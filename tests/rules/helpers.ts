// Builders for rule fixtures: snapshots as the plan or the policy pack would make them.
import { Finding, ResourceSnapshot, Rule, RuleContext, runRules } from "../../plan/rules";

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
        urn: `urn:pulumi:test::proj::${type}::${name}`,
        inputs,
        region: "us-east-1",
        parent: undefined,
        options: { protect: false, retainOnDelete: false, ignoreChanges: [], dependsOn: [] },
        ...more,
    };
}

/** The findings of one rule over `resources` (whole deployment unless told otherwise). */
export function findingsOf(
    rule: Rule,
    resources: ResourceSnapshot[],
    ctx: RuleContext = { wholeDeployment: true },
): Finding[] {
    return runRules([rule], resources, ctx);
}
