// Generates what policy/README.md and policy/whole-deployment.json say about the rules, from RULES,
// so the documentation never drifts from what the pack enforces. Rewrites only the text between
// each section's markers in the README; tests/policy/readme.spec.ts fails when either file is out
// of date. The output is final as written (README.md is in .prettierignore: formatting it would
// make the up-to-date check load prettier and reformat 1,200 lines in every test run).
// Run from the repository root: npm run policy-readme
import * as fs from "node:fs";
import * as path from "node:path";
import { GroupRule, Rule, RULES, SEVERITIES } from "../plan/rules";
import { ENFORCEMENT, POLICY_SEVERITY } from "./policies";

export const REGENERATE = "npm run policy-readme";

const here = path.join(__dirname, "..", "policy");
export const README = path.join(here, "README.md");
export const WHOLE_DEPLOYMENT_CONFIG = path.join(here, "whole-deployment.json");

/** The README's generated sections, by name. */
export type Sections = Record<"config" | "rules", string>;

export const begin = (section: string) =>
    `<!-- BEGIN GENERATED ${section}: ${REGENERATE} writes this section from plan/rules -->`;
export const end = (section: string) => `<!-- END GENERATED ${section} -->`;

const SEVERITY_MEANING = {
    error: "blocks `pulumi preview` and `pulumi up`",
    warning: "reported, does not block: likely wrong",
    advice: "reported, does not block: worth knowing",
};

function scopeOf(rule: Rule): string {
    switch (rule.scope) {
        case "resource":
            return `Checks each ${rule.types.map((t) => `\`${t}\``).join(", ")} as the program registers it.`;
        case "stack":
            return "Checks the whole stack, once every resource is known.";
        case "deployment":
            return "Checks the whole stack, once every resource is known; reports what is missing only with `wholeDeployment` (see above).";
    }
}

const titled = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const deploymentRules = (rules: readonly Rule[]) =>
    rules.filter((r): r is GroupRule => r.scope === "deployment");

/** In reading order: errors first, then by id. */
const ordered = (rules: readonly Rule[]) =>
    [...rules].sort(
        (a, b) =>
            SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
            a.id.localeCompare(b.id),
    );

/** `--policy-pack-config` for a stack that holds the whole deployment. */
export function wholeDeploymentConfig(
    rules: readonly Rule[],
): Record<string, { wholeDeployment: boolean }> {
    return Object.fromEntries(deploymentRules(rules).map((r) => [r.id, { wholeDeployment: true }]));
}

function ruleSection(rule: Rule): string {
    return [
        `### \`${rule.id}\``,
        `**${titled(rule.severity)}**: ${SEVERITY_MEANING[rule.severity]} (enforcement level \`${ENFORCEMENT[rule.severity]}\`, severity \`${POLICY_SEVERITY[rule.severity]}\`).`,
        scopeOf(rule),
        `**Requires:** ${rule.description}`,
        `**How to fix:** ${rule.remediation}`,
        `**AWS documentation:** <${rule.url}>`,
        "A program that trips it:",
        "```ts\n" + rule.example.trim() + "\n```",
    ].join("\n\n");
}

function rulesSection(rules: readonly Rule[]): string {
    if (rules.length === 0) {
        return "No rules yet.";
    }
    const count = (severity: string) => rules.filter((r) => r.severity === severity).length;
    const table = [
        "| Rule | Severity | Checks |",
        "| --- | --- | --- |",
        ...ordered(rules).map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${r.scope} |`),
    ].join("\n");
    return [
        `${rules.length} rules: ${count("error")} errors, ${count("warning")} warnings, ${count("advice")} advice.`,
        table,
        ...ordered(rules).map(ruleSection),
    ].join("\n\n");
}

function configSection(rules: readonly Rule[]): string {
    const deployment = deploymentRules(rules);
    if (deployment.length === 0) {
        return "No rule reads `wholeDeployment` yet; `whole-deployment.json` is empty.";
    }
    return [
        `The rules that read it (${deployment.map((r) => `\`${r.id}\``).join(", ")}), all set by \`whole-deployment.json\`:`,
        "```json\n" + JSON.stringify(wholeDeploymentConfig(rules), null, 2) + "\n```",
    ].join("\n\n");
}

export const sectionsFor = (rules: readonly Rule[]): Sections => ({
    config: configSection(rules),
    rules: rulesSection(rules),
});

/** `readme` with each generated section replaced; throws when a section's markers are missing. */
export function withSections(readme: string, sections: Sections): string {
    let text = readme;
    for (const [name, body] of Object.entries(sections)) {
        const from = text.indexOf(begin(name));
        const to = text.indexOf(end(name));
        if (from < 0 || to < from) {
            throw new Error(`${README} lacks the markers of its "${name}" section`);
        }
        text = text.slice(0, from) + `${begin(name)}\n\n${body}\n\n` + text.slice(to);
    }
    return text;
}

/** What README.md and whole-deployment.json must hold for `rules`. */
export function expectedFiles(rules: readonly Rule[]): Record<string, string> {
    const readme = withSections(fs.readFileSync(README, "utf8"), sectionsFor(rules));
    return {
        [README]: readme,
        // As prettier writes JSON too, so the format check passes.
        [WHOLE_DEPLOYMENT_CONFIG]: `${JSON.stringify(wholeDeploymentConfig(rules), null, 2)}\n`,
    };
}

function main(): void {
    for (const [file, text] of Object.entries(expectedFiles(RULES))) {
        fs.writeFileSync(file, text);
        console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
}

if (require.main === module) {
    try {
        main();
    } catch (e) {
        console.error(e instanceof Error ? e.message : e);
        process.exitCode = 1;
    }
}
