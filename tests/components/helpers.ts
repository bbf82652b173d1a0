// Helpers shared by the component specs: child inventories, URNs, the tag rule read from the
// @pulumi/aws declarations, rejection before registration, and failing Outputs.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import ts from "typescript";
import { optionsOf } from "../../plan/evaluate";
import { snapshotOf } from "../../plan/findings";
import { RecordedResource } from "../../plan/mockRuntime";
import type { ResourceSnapshot } from "../../plan/rules";
export { withPlainStacks } from "../../plan/mockRuntime";
import { created, state } from "../harness";

/** The URN the engine gives `name` of `type` (qualified by its parents' types, if any). */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${name}`;
}

/** The one registration of the component `type` named `name`. */
export function component(type: string, name: string): RecordedResource {
    const found = created.filter((r) => r.type === type && r.name === name);
    assert.equal(found.length, 1, `expected one ${type} ${name}, got ${found.length}`);
    return found[0];
}

/** The registrations whose parent is `parent`. */
export function childrenOf(parent: RecordedResource): RecordedResource[] {
    return created.filter((r) => r.parent === parent.urn);
}

/** `type name` of each registration, sorted: an inventory to compare exactly. */
export function inventory(resources: RecordedResource[]): string[] {
    return resources.map((r) => `${r.type} ${r.name}`).sort();
}

const AWS_DIR = path.dirname(require.resolve("@pulumi/aws/package.json"));
const taggable = new Map<string, boolean>();

/**
 * Whether the AWS resource type `type` (`aws:lambda/function:Function`) takes tags, read from the
 * @pulumi/aws declarations (`lambda/function.d.ts`, interface `FunctionArgs`), not from a hand
 * list. Throws when the declaration is not where the token says, so a typo never reads as "no".
 */
export function acceptsTags(type: string): boolean {
    const cached = taggable.get(type);
    if (cached !== undefined) {
        return cached;
    }
    const match = /^aws:([A-Za-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(type);
    if (!match) {
        throw new Error(`not an AWS resource type token: ${type}`);
    }
    const [, module, file, resource] = match;
    const dts = path.join(AWS_DIR, module === "index" ? "" : module, `${file}.d.ts`);
    const source = ts.createSourceFile(dts, fs.readFileSync(dts, "utf8"), ts.ScriptTarget.Latest);
    const args = source.statements.find(
        (s): s is ts.InterfaceDeclaration =>
            ts.isInterfaceDeclaration(s) && s.name.text === `${resource}Args`,
    );
    if (!args) {
        throw new Error(`${dts} declares no interface ${resource}Args`);
    }
    const result = args.members.some(
        (m) => ts.isPropertySignature(m) && ts.isIdentifier(m.name) && m.name.text === "tags",
    );
    taggable.set(type, result);
    return result;
}

/**
 * Asserts the tag rule over `children`: each child whose AWS type takes tags has exactly
 * `expected(child)`, every other child has no `tags` input at all, and the taggable types found
 * include `mustFind` (so the check cannot pass over an empty or untaggable inventory).
 */
export function assertTags(
    children: RecordedResource[],
    expected: (child: RecordedResource) => Record<string, string>,
    mustFind: string[],
): void {
    const found = new Set<string>();
    for (const child of children) {
        if (acceptsTags(child.type)) {
            found.add(child.type);
            assert.deepEqual(child.inputs.tags, expected(child), `tags of ${child.name}`);
        } else {
            assert.ok(!("tags" in child.inputs), `${child.name} (${child.type}) takes no tags`);
        }
    }
    for (const type of mustFind) {
        assert.ok(found.has(type), `a tagged ${type}`);
    }
}

/**
 * Asserts that `construct` throws exactly `message` and, once every registration has settled,
 * that nothing at all was registered or looked up.
 */
export async function rejectsBeforeRegistering(
    construct: () => unknown,
    message: string,
): Promise<void> {
    assert.throws(construct, (e: unknown) => {
        assert.ok(e instanceof pulumi.RunError, `a RunError, got ${String(e)}`);
        assert.equal(e.message, message);
        return true;
    });
    await state.settle();
    assert.deepEqual(created, []);
    assert.deepEqual(state.invokes, []);
}

/**
 * The error an Output fails with, waiting at most `ms`: rejects if it resolves or never settles.
 * (`promiseOf` never settles on a failure, and `Output.promise()` is the SDK's internal accessor.)
 */
export async function failureOf(output: pulumi.Output<unknown>, ms = 5000): Promise<unknown> {
    const promise = (output as unknown as { promise(): Promise<unknown> }).promise();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the output did not fail within ${ms} ms`)), ms);
    });
    try {
        return await Promise.race([
            promise.then(
                (value) => {
                    throw new assert.AssertionError({
                        message: `expected the output to fail, it resolved to ${JSON.stringify(value)}`,
                    });
                },
                (error: unknown) => error,
            ),
            deadline,
        ]);
    } finally {
        clearTimeout(timer);
    }
}

/**
 * The SDK prefixes `error serializing property "<input>": ` to a failed input's error (the same
 * error object, once per resource that awaited it); this returns the message without those.
 */
export function withoutSerializingPrefixes(message: string): string {
    return message.replace(/^(error serializing property "[^"]+": )+/, "");
}

/** A registration as the plan hands it to the guardrail rules. */
export function ruleSnapshot(r: RecordedResource): ResourceSnapshot {
    return snapshotOf({ ...r, provider: r.providerRegion, options: optionsOf(r) });
}
