// The guardrails: every rule, and how to run them over snapshots. Used by the offline plan and by
// the policy pack (policy/), which must report exactly the same findings for the same resources.
import { API_RULES } from "./apis";
import { HEALTH_CHECK_RULES } from "./healthChecks";
import { RECORD_RULES } from "./records";
import { Finding, ResourceSnapshot, Rule, RuleContext, SEVERITIES } from "./types";
import { label } from "./values";

export * from "./types";

export const RULES: readonly Rule[] = [...RECORD_RULES, ...HEALTH_CHECK_RULES, ...API_RULES];

/** Runs `rules` over `resources`; findings in {@link compareFindings} order. */
export function runRules(
    rules: readonly Rule[],
    resources: readonly ResourceSnapshot[],
    ctx: RuleContext,
): Finding[] {
    const found: Finding[] = [];
    for (const rule of rules) {
        const report = (r: ResourceSnapshot, message: string) =>
            found.push({
                rule: rule.id,
                severity: rule.severity,
                urn: r.urn,
                resource: label(r),
                message,
            });
        if (rule.scope === "resource") {
            for (const r of resources.filter((r) => rule.types.includes(r.type))) {
                rule.check(r).forEach((m) => report(r, m));
            }
        } else {
            rule.check(resources, ctx).forEach((f) => report(f.resource, f.message));
        }
    }
    return found.sort(compareFindings);
}

/** Findings in reading order: errors first, then by rule, resource and message. */
export const compareFindings = (a: Finding, b: Finding): number =>
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.rule.localeCompare(b.rule) ||
    a.resource.localeCompare(b.resource) ||
    a.message.localeCompare(b.message);
