// The guardrails in the offline plan: the same rules as the policy pack, over the mock-evaluated
// graph. Resource and stack rules run per stack; deployment rules run over every stack together,
// which is the only place a failover pair split across two stacks can be judged.
import type { EvaluatedStack, PlannedResource } from "./evaluate";
import { Finding, RULES, ResourceSnapshot, compareFindings, runRules } from "./rules";

/**
 * A planned resource as the rules see it: its inputs, plus what AWS computes (its state), as a
 * policy pack's stack validation sees a resource's outputs during `pulumi up`.
 */
export function snapshotOf(r: PlannedResource, stack?: string): ResourceSnapshot {
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        inputs: { ...r.state, ...r.inputs },
        region: (r.state.region as string | undefined) ?? r.provider ?? undefined,
        parent: r.parent,
        options: r.options,
        stack,
    };
}

/** Findings per stack name. `wholeDeployment`: the stacks are every stack of the deployment. */
export function planFindings(
    stacks: EvaluatedStack[],
    wholeDeployment: boolean,
): Record<string, Finding[]> {
    const ctx = { wholeDeployment };
    const perStack = RULES.filter((r) => r.scope !== "deployment");
    const acrossStacks = RULES.filter((r) => r.scope === "deployment");
    const byStack: Record<string, Finding[]> = {};
    const stackOfUrn = new Map<string, string>();
    for (const s of stacks) {
        s.resources.forEach((r) => stackOfUrn.set(r.urn, s.stack));
        byStack[s.stack] = runRules(
            perStack,
            s.resources.map((r) => snapshotOf(r)),
            ctx,
        );
    }
    const all = stacks.flatMap((s) => s.resources.map((r) => snapshotOf(r, s.stack)));
    for (const f of runRules(acrossStacks, all, ctx)) {
        byStack[stackOfUrn.get(f.urn) as string].push(f);
    }
    for (const findings of Object.values(byStack)) {
        findings.sort(compareFindings);
    }
    return byStack;
}
