// The README's tables of each component's inputs and outputs and of the types they use, rendered
// from schema.json (what other languages' SDKs are generated from). `npm run schema` writes them
// between the markers below; tests/components/schema.spec.ts fails when they differ from the
// schema.
import * as fs from "node:fs";
import * as path from "node:path";
import type { PackageSchema, PropertySchema } from "./componentPlugin";

export const README = path.join(__dirname, "..", "README.md");
const BEGIN = "<!-- BEGIN component tables: `npm run schema` writes them from schema.json -->";
const END = "<!-- END component tables -->";

/** A property's type as a reader knows it: `string[]`, `map of string`, `aws.lambda.Function`. */
function typeOf(p: PropertySchema): string {
    if (p.$ref) {
        const local = /^#\/types\/[^:]+:index:(.+)$/.exec(p.$ref);
        if (local) {
            return local[1];
        }
        const resource = /#\/resources\/aws:([^%]+)%2F[^:]+:(.+)$/.exec(p.$ref);
        if (resource) {
            return `aws.${resource[1]}.${resource[2]}`;
        }
        throw new Error(`a type reference the tables cannot name: ${p.$ref}`);
    }
    if (p.type === "array" && p.items) {
        return `${typeOf(p.items)}[]`;
    }
    if (p.type === "object" && p.additionalProperties) {
        return `map of ${typeOf(p.additionalProperties)}`;
    }
    return p.type ?? "any";
}

/** One table cell: one line, pipes escaped. */
function cell(text: string | undefined): string {
    return (text ?? "").replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

function row(cells: string[]): string {
    return `| ${cells.join(" | ")} |`;
}

function table(header: string[], rows: string[][]): string[] {
    return [row(header), row(header.map(() => "---")), ...rows.map(row)];
}

/** Whether a property takes another resource's output, or needs a value known when the program runs. */
const takesOutputs = (p: PropertySchema) => (p.plain ? "no" : "yes");

function propertyRows(
    properties: Record<string, PropertySchema> | undefined,
    required: string[] | undefined,
    withInputColumns: boolean,
): string[][] {
    return Object.entries(properties ?? {}).map(([name, p]) => [
        `\`${name}\``,
        `\`${typeOf(p)}\``,
        ...(withInputColumns
            ? [(required ?? []).includes(name) ? "yes" : "", takesOutputs(p)]
            : []),
        cell(p.description),
    ]);
}

/** The tables, in README order: each component (inputs, outputs), then the types they use. */
export function renderTables(schema: PackageSchema): string {
    const lines: string[] = [];
    const local = (token: string) => token.split(":").pop() as string;
    for (const [token, component] of Object.entries(schema.resources).sort(([a], [b]) =>
        a.localeCompare(b),
    )) {
        lines.push(`#### \`${local(token)}\``, "", cell(component.description), "");
        lines.push(
            ...table(
                ["input", "type", "required", "takes an Output", "description"],
                propertyRows(component.inputProperties, component.requiredInputs, true),
            ),
            "",
        );
        lines.push(
            ...table(
                ["output", "type", "description"],
                propertyRows(component.properties, component.required, false),
            ),
            "",
        );
    }
    lines.push("#### Types", "");
    for (const [token, type] of Object.entries(schema.types).sort(([a], [b]) =>
        a.localeCompare(b),
    )) {
        lines.push(`\`${local(token)}\`${type.enum ? " (enumeration)" : ""}`, "");
        lines.push(
            ...(type.enum
                ? table(
                      ["value", "name", "description"],
                      type.enum.map((e) => [
                          `\`${String(e.value)}\``,
                          e.name ?? "",
                          cell(e.description),
                      ]),
                  )
                : table(
                      ["property", "type", "required", "takes an Output", "description"],
                      propertyRows(type.properties, type.required, true),
                  )),
            "",
        );
    }
    return lines.join("\n");
}

/**
 * Markdown compared as a reader sees it: blank lines dropped, table rows reduced to their trimmed
 * cells (Prettier pads and aligns them), separator rows to one marker.
 */
export function readable(markdown: string): string[] {
    return markdown
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "")
        .map((line) => {
            if (!line.startsWith("|")) {
                return line;
            }
            const cells = line
                .slice(1, -1)
                .split(/(?<!\\)\|/)
                .map((c) => c.trim());
            return cells.every((c) => /^:?-+:?$/.test(c)) ? "|---|" : cells.join(" | ");
        });
}

/** The README's current tables (between the markers). */
export function readmeTables(readme = fs.readFileSync(README, "utf8")): string {
    const begin = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    if (begin < 0 || end < begin) {
        throw new Error(`README.md has no ${BEGIN} … ${END} section`);
    }
    return readme.slice(begin + BEGIN.length, end);
}

/** The README with `tables` between the markers. */
export function withTables(readme: string, tables: string): string {
    readmeTables(readme); // the markers must be there
    return `${readme.slice(0, readme.indexOf(BEGIN) + BEGIN.length)}\n\n${tables}\n\n${readme.slice(readme.indexOf(END))}`;
}
