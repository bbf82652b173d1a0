// The plan's two forms: a stable JSON document for tools, and a report for people.
import { Plan } from "./analyze";
import { Finding, SEVERITIES } from "./rules";

/** The JSON document `multi-region-api plan --json` prints (shape documented in the README). */
export function planJson(plan: Plan) {
    const stacks: Record<string, unknown> = {};
    for (const [name, s] of Object.entries(plan.stacks)) {
        stacks[name] = {
            region: s.region,
            resources: s.resources.map((r) => ({
                type: r.type,
                name: r.name,
                urn: r.urn,
                provider: r.provider,
                inputs: r.inputs,
            })),
            outputs: s.outputs,
            budget: {
                failoverSeconds: s.budget.failoverSeconds,
                failbackSeconds: s.budget.failbackSeconds,
                assumptions: s.budget.assumptions,
                notComputed: s.budget.notComputed,
            },
            monthlyCostUsd: s.monthlyCostUsd,
            cost: {
                lines: s.cost.lines,
                rates: s.cost.rates,
                assumptions: s.cost.assumptions,
                notComputed: s.cost.notComputed,
            },
            findings: s.findings,
        };
    }
    return {
        stacks,
        drills: plan.drills.map((d) => ({
            scenario: d.scenario,
            unhealthy: d.unhealthy,
            answer: d.answer,
            expected: d.expected,
            ok: d.ok,
            failOpen: d.failOpen,
        })),
        notDrilled: plan.notDrilled.map((n) => ({
            name: n.name,
            routing: n.routing,
            reason: n.reason,
        })),
        crossStack: { findings: plan.crossStack },
    };
}

/** A unit price: cents, or the digits that matter for a fraction of a cent ($0.0000002). */
function unitPrice(usd: number): string {
    return usd >= 0.01 || usd === 0 ? usd.toFixed(2) : usd.toFixed(10).replace(/0+$/, "");
}

/** Rows of cells as aligned text columns, two spaces apart. */
export function formatTable(rows: string[][], align: "left" | "right" = "left"): string {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const pad = (c: string, i: number) =>
        align === "left" ? c.padEnd(widths[i]) : c.padStart(widths[i]);
    return rows.map((r) => r.map(pad).join("  ").trimEnd()).join("\n");
}

const indent = (text: string) => text.replace(/^/gm, "  ");
const table = (rows: string[][]) => indent(formatTable(rows));

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** "1 routed record", "2 routed records". */
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** "2 errors, 1 warning, no advice" (or "no findings"). */
function findingCounts(findings: Finding[]): string {
    if (findings.length === 0) {
        return "no findings";
    }
    const counts = SEVERITIES.map((sev) => {
        const n = findings.filter((f) => f.severity === sev).length;
        return sev === "advice"
            ? `${n || "no"} advice`
            : `${n || "no"} ${sev}${n === 1 ? "" : "s"}`;
    });
    return counts.join(", ");
}

/** The human report. */
export function planText(plan: Plan): string {
    const out: string[] = [];
    for (const [name, s] of Object.entries(plan.stacks)) {
        const counts = new Map<string, number>();
        for (const r of s.resources) {
            counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
        }
        out.push(`Stack ${name} (${s.region}): ${s.resources.length} resources`);
        out.push(
            table(
                [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => [String(n), t]),
            ),
        );
        out.push(Object.keys(s.outputs).length === 0 ? "  Outputs: none" : "  Outputs:");
        for (const [k, v] of Object.entries(s.outputs)) {
            out.push(`    ${k}: ${show(v)}`);
        }
        const b = s.budget;
        out.push(
            b.records.length === 0
                ? "  Failover budget: none: no routed record"
                : b.notComputed.length > 0
                  ? `  Failover budget: not computed for ${plural(b.notComputed.length, "routed record")} (below)`
                  : b.failoverSeconds === null
                    ? "  Failover budget: none: a routed record has no health check (see assumptions)"
                    : `  Failover budget (worst case): failover ${b.failoverSeconds} s, failback ${b.failbackSeconds} s`,
        );
        for (const r of b.records) {
            if (!r.budget) {
                continue;
            }
            const d = r.budget.breakdown;
            out.push(
                `    ${r.record} guarded by ${r.healthCheck}: detection ${r.budget.detectionSeconds} s (governed by ${d.governingCheckId}) + propagation ${d.propagationSeconds} s + TTL ${d.ttlSeconds} s`,
            );
        }
        out.push(...b.notComputed.map((n) => `    not computed: ${n}`));
        out.push(
            `  Monthly cost of the failover machinery: $${s.monthlyCostUsd.toFixed(2)}${s.cost.notComputed.length > 0 ? ` (without ${plural(s.cost.notComputed.length, "item")} not priced, below)` : ""}`,
        );
        for (const l of s.cost.lines) {
            out.push(
                `    ${l.count} × ${l.item} at $${unitPrice(l.unitUsd)} = $${l.usd.toFixed(2)}`,
            );
        }
        out.push(...s.cost.notComputed.map((n) => `    not priced: ${n}`));
        out.push(`  Guardrails: ${findingCounts(s.findings)}`);
        for (const f of s.findings) {
            out.push(`    ${f.severity} ${f.rule} (${f.resource}): ${f.message}`);
        }
        out.push("");
    }
    if (plan.drills.length === 0 && plan.notDrilled.length === 0) {
        out.push("Drills: none (no routed record in any stack).");
    } else {
        out.push("Drills (Route 53 answers simulated over the records of all stacks):");
    }
    if (plan.drills.length > 0) {
        out.push(
            table([
                ["", "scenario", "unhealthy checks", "answer", "expected"],
                ...plan.drills.map((d) => [
                    d.ok ? "ok" : "FAIL",
                    d.scenario,
                    d.unhealthy.join(", ") || "-",
                    `${d.answer.region ?? "?"}${d.failOpen ? " (fail-open)" : ""} → ${d.answer.target ?? "no answer"}`,
                    d.expected,
                ]),
            ]),
        );
    }
    out.push(...plan.notDrilled.map((n) => `  ${n.name} ${n.routing}: ${n.reason}`));
    const assumptions = new Set(
        Object.values(plan.stacks).flatMap((s) => [...s.budget.assumptions, ...s.cost.assumptions]),
    );
    const rates = new Set(Object.values(plan.stacks).flatMap((s) => s.cost.rates));
    out.push("", "Assumptions:", ...[...assumptions].map((a) => `  - ${a}`));
    out.push(
        "",
        "Traffic-dependent prices (not in the totals):",
        ...[...rates].map((r) => `  - ${r}`),
    );
    if (plan.crossStack.length > 0) {
        out.push("", "Across stacks (their configuration must agree):");
        out.push(...plan.crossStack.map((f) => `  ${f.severity} ${f.rule}: ${f.message}`));
    }
    const failed = plan.drills.filter((d) => !d.ok);
    const notDrilled = plan.notDrilled.length;
    out.push(
        "",
        failed.length > 0
            ? `${failed.length} of ${plan.drills.length} drills contradict the configuration's intent:\n${failed.map((d) => `  FAIL ${d.scenario}: answered ${d.answer.region ?? "nothing"}, expected ${d.expected}`).join("\n")}`
            : plan.drills.length > 0
              ? `All ${plan.drills.length} drills answer as the configuration intends.`
              : notDrilled === 0
                ? "No drills: nothing is routed."
                : "No drills answered.",
    );
    if (notDrilled > 0) {
        out.push(
            `${plural(notDrilled, "routed name")} not drilled (listed under Drills): not a failure, and not verified either.`,
        );
    }
    const errors =
        plan.crossStack.length +
        Object.values(plan.stacks).reduce(
            (n, s) => n + s.findings.filter((f) => f.severity === "error").length,
            0,
        );
    out.push(
        errors === 0
            ? "No guardrail errors."
            : `${errors} guardrail error${errors === 1 ? "" : "s"}: fix ${errors === 1 ? "it" : "them"} before deploying (listed above).`,
    );
    return out.join("\n");
}
