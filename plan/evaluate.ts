// Evaluates the Pulumi program for each stack under the SDK's mock runtime, exactly as `pulumi up`
// runs it (index.ts with the stack's configuration), and captures the resulting resource graph.
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { MockState, RecordedResource } from "./mockRuntime";
import { Project, readStackConfig } from "./stackFiles";

/** One resource of an evaluated stack, in the plan's stable JSON shape. */
export interface PlannedResource {
    /** Pulumi type token. */
    type: string;
    name: string;
    urn: string;
    /** Region of the resource's provider; null for components and providers. */
    provider: string | null;
    /** Inputs as registered, with archives summarised as `{ archive: { file: { bytes, sha256 } } }`. */
    inputs: Record<string, unknown>;
    /** Inputs plus what the mock runtime computed in AWS's place (ids, ARNs, domain names). */
    state: Record<string, unknown>;
    id: string;
    /** URN of the parent resource; undefined at the top level. */
    parent: string | undefined;
    /** The resource options the guardrails read. */
    options: {
        protect: boolean;
        retainOnDelete: boolean;
        ignoreChanges: string[];
        dependsOn: string[];
    };
}

/** Everything one program run registered and exported. */
export interface EvaluatedStack {
    stack: string;
    /** The stack's `aws:region`, else the regions of its providers (comma-separated). */
    region: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    /** Hosted zones the program looked up: id and name. */
    zones: { id: string; name: string }[];
}

/** Replaces Pulumi archives and assets (whose contents arrive as promises) by a summary. */
async function plain(value: unknown): Promise<unknown> {
    const v = await value;
    if (pulumi.asset.Archive.isInstance(v)) {
        const assets = (await (v as pulumi.asset.AssetArchive).assets) as Record<
            string,
            pulumi.asset.StringAsset
        >;
        const archive: Record<string, { bytes: number; sha256: string }> = {};
        for (const [file, asset] of Object.entries(assets ?? {})) {
            const text = (await asset.text) ?? "";
            archive[file] = {
                bytes: Buffer.byteLength(text),
                sha256: crypto.createHash("sha256").update(text).digest("hex"),
            };
        }
        return { archive };
    }
    if (Array.isArray(v)) {
        return Promise.all((v as unknown[]).map(plain));
    }
    if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
            out[k] = await plain(x);
        }
        return out;
    }
    return v;
}

async function planned(r: RecordedResource): Promise<PlannedResource> {
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        provider: r.providerRegion,
        inputs: (await plain(r.inputs)) as Record<string, unknown>,
        state: (await plain(r.state)) as Record<string, unknown>,
        id: r.id,
        parent: r.parent,
        options: optionsOf(r),
    };
}

/** The resource options of a registration that the guardrails read. */
export function optionsOf(r: RecordedResource): PlannedResource["options"] {
    return {
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        ignoreChanges: r.ignoreChanges,
        dependsOn: r.dependsOn,
    };
}

/**
 * The program's exports, resolved. An export whose value failed (an invoke it came from had no
 * answer) is left out and handed to the runtime, whose settle() then fails the evaluation naming
 * it (waiting on `apply` alone would never end: a failed Output never calls it).
 */
async function stackOutputs(
    runtime: MockState,
    exported: Record<string, unknown>,
): Promise<Record<string, unknown>> {
    const entries = await Promise.all(
        Object.entries(exported ?? {}).map(([name, value]) =>
            // Outputs reject through their promise (internal to the SDK), never through apply.
            (pulumi.output(value) as unknown as { promise(): Promise<unknown> }).promise().then(
                (v): [string, unknown] => [name, v],
                (e: unknown) => {
                    runtime.outputFailed(name, e);
                    return undefined;
                },
            ),
        ),
    );
    return Object.fromEntries(entries.filter((e) => e !== undefined));
}

/**
 * Runs the project's program for `stack` with `config` and its `secretKeys` (default: its stack
 * file merged with `Pulumi.yaml`) on the mock runtime and returns its graph. The program module is
 * evaluated afresh each time (its dependencies stay cached), so stacks never share state.
 */
export async function evaluateStack(
    runtime: MockState,
    project: Project,
    stack: string,
    values?: Record<string, string>,
    secretKeys: string[] = [],
): Promise<EvaluatedStack> {
    const { values: config, secretKeys: secrets } = values
        ? { values, secretKeys }
        : readStackConfig(stack, project.dir);
    await runtime.start(project.name, stack, config, secrets);
    const modulePath = require.resolve(project.main);
    delete require.cache[modulePath];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(modulePath) as Record<string, unknown>;
    const outputs = await stackOutputs(runtime, exported);
    return recordedStack(runtime, stack, config["aws:region"], outputs);
}

/**
 * What the runtime recorded since its `start`, once settled, as the plan reads a stack: every
 * registration, the zones the program looked up, and its `outputs`. `region`: the stack's
 * `aws:region`, if any.
 */
export async function recordedStack(
    runtime: MockState,
    stack: string,
    region: string | undefined,
    outputs: Record<string, unknown> | undefined,
): Promise<EvaluatedStack> {
    await runtime.settle(true);
    const resources = await Promise.all(runtime.resources.map(planned));
    const zones = new Map<string, string>();
    for (const i of runtime.invokes.filter((i) => i.token === "aws:route53/getZone:getZone")) {
        zones.set(String(i.result.zoneId), String(i.result.name));
    }
    return {
        stack,
        // A program that deploys several regions with its own providers has no `aws:region`.
        region:
            region ??
            [...new Set(resources.map((r) => r.provider).filter((r) => r !== null))]
                .sort()
                .join(", "),
        resources,
        outputs: JSON.parse(JSON.stringify(outputs ?? {})) as Record<string, unknown>,
        zones: [...zones].map(([id, name]) => ({ id, name })),
    };
}
