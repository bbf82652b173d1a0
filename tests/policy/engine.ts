// The pack's policies driven the way @pulumi/policy's server drives them (node_modules/@pulumi/
// policy/server.js): resources described as the engine sends them (wire JSON: unknowns as the
// engine's sentinel strings, secrets as signature objects), decoded by the SDK's own
// deserializeProperties, wrapped in its unknownCheckingProxy, with the same options, provider,
// stack tags, getConfig and notApplicable; violations, "not applicable" answers and "can't run
// during preview" diagnostics collected as the server collects them.
import {
    Policies,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
    UnknownValueError,
} from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";
import * as deserialize from "@pulumi/policy/deserialize";
import * as proxy from "@pulumi/policy/proxy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

// The SDK's runtime exports these internals; its declarations leave them out.
const { unknownCheckingProxy } = policySdk as unknown as { unknownCheckingProxy: <X>(x: X) => X };
const sdkProxy = proxy as unknown as Record<
    "unknownStringValue" | "unknownNumberValue" | "unknownBooleanValue" | "unknownArrayValue",
    string
>;
const sdkDeserialize = deserialize as unknown as {
    deserializeProperties(s: Struct, proxySecrets: boolean): Record<string, unknown>;
};

/** What the engine sends for a value unknown during preview, by the value's type. */
export const WIRE_UNKNOWN = {
    string: sdkProxy.unknownStringValue,
    number: sdkProxy.unknownNumberValue,
    boolean: sdkProxy.unknownBooleanValue,
    array: sdkProxy.unknownArrayValue,
};

/** A secret as the engine sends it (the SDK hands policies its plain value). */
export const wireSecret = (value: unknown) => ({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    value,
});

/** A resource as the engine describes it to the analyzer. */
export interface EngineResource {
    type: string;
    name: string;
    /** Wire JSON (see {@link WIRE_UNKNOWN}, {@link wireSecret}). */
    props: Record<string, unknown>;
    urn?: string;
    provider?: { type: string; name: string; props: Record<string, unknown>; urn?: string };
    protect?: boolean;
    ignoreChanges?: string[];
    retainOnDelete?: boolean;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

export const urnOf = (type: string, name: string) => `urn:pulumi:prod::shop::${type}::${name}`;

/** Props decoded and proxied exactly as the server does for validation (secrets unwrapped). */
export function engineProps(wire: Record<string, unknown>): Record<string, unknown> {
    const props = sdkDeserialize.deserializeProperties(Struct.fromJavaScript(wire as never), false);
    return unknownCheckingProxy(props);
}

function optionsOf(r: EngineResource): PolicyResourceOptions {
    const opts: PolicyResourceOptions & { retainOnDelete?: boolean } = {
        protect: r.protect ?? false,
        ignoreChanges: r.ignoreChanges ?? [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
    };
    if (r.parent) {
        opts.parent = r.parent;
    }
    if (r.retainOnDelete !== undefined) {
        opts.retainOnDelete = r.retainOnDelete;
    }
    return opts;
}

function providerOf(r: EngineResource): PolicyProviderResource | undefined {
    const p = r.provider;
    return (
        p && {
            type: p.type,
            name: p.name,
            urn: p.urn ?? urnOf(p.type, p.name),
            props: engineProps(p.props),
        }
    );
}

class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicableError(reason);
};

const stackTags: ReadonlyMap<string, string> = new Map([["pulumi:project", "shop"]]);

/** Per-policy configuration, as `--policy-pack-config` gives it. */
export type PackConfig = Record<string, Record<string, unknown>>;

/** The arguments the server passes a resource policy validating `r`. */
export function resourceArgs(
    r: EngineResource,
    config: Record<string, unknown> = {},
): ResourceValidationArgs {
    const props = engineProps(r.props);
    const args: ResourceValidationArgs = {
        type: r.type,
        props,
        urn: r.urn ?? urnOf(r.type, r.name),
        name: r.name,
        opts: optionsOf(r),
        stackTags,
        isType: (cls) => (cls as { __pulumiType?: string }).__pulumiType === r.type,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable: throwNotApplicable,
    };
    const provider = providerOf(r);
    if (provider) {
        args.provider = provider;
    }
    return args;
}

/** The arguments the server passes a stack policy: parents and dependencies linked as objects. */
export function stackArgs(
    resources: EngineResource[],
    config: Record<string, unknown> = {},
): StackValidationArgs {
    const byUrn = new Map<string, PolicyResource>();
    const linked = resources.map((r) => {
        const props = engineProps(r.props);
        const resource: PolicyResource = {
            type: r.type,
            props,
            urn: r.urn ?? urnOf(r.type, r.name),
            name: r.name,
            opts: optionsOf(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => (cls as { __pulumiType?: string }).__pulumiType === r.type,
            asType: () => undefined,
        };
        const provider = providerOf(r);
        if (provider) {
            resource.provider = provider;
        }
        byUrn.set(resource.urn, resource);
        return { r, resource };
    });
    const present = (urns: string[] = []) =>
        urns.flatMap((u) => (byUrn.has(u) ? [byUrn.get(u) as PolicyResource] : []));
    for (const { r, resource } of linked) {
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent) {
            resource.parent = parent;
        }
        resource.dependencies = present(r.dependencies);
        for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
            resource.propertyDependencies[key] = present(urns);
        }
    }
    return {
        resources: linked.map((l) => l.resource),
        stackTags,
        getConfig: <T extends object>() => config as T,
        notApplicable: throwNotApplicable,
    };
}

/** What the server would send the engine back. */
export interface Report {
    violations: { policy: string; urn: string; message: string }[];
    notApplicable: { policy: string; reason: string }[];
    /** Validations aborted by an unknown value (the server turns them into advisory notes). */
    cantRunDuringPreview: { policy: string; message: string }[];
}

async function collect(
    report: Report,
    policy: string,
    validate: () => Promise<void> | void,
): Promise<void> {
    try {
        await validate();
    } catch (e) {
        if (e instanceof UnknownValueError) {
            report.cantRunDuringPreview.push({ policy, message: (e as Error).message });
        } else if (e instanceof NotApplicableError) {
            report.notApplicable.push({ policy, reason: e.reason ?? "" });
        } else {
            throw e;
        }
    }
}

const emptyReport = (): Report => ({ violations: [], notApplicable: [], cantRunDuringPreview: [] });

/** Every resource policy of `policies` over one resource (the engine's Analyze call). */
export async function analyze(
    policies: Policies,
    r: EngineResource,
    config: PackConfig = {},
): Promise<Report> {
    const report = emptyReport();
    for (const p of policies) {
        if (!("validateResource" in p) || !p.validateResource) {
            continue;
        }
        const validations = Array.isArray(p.validateResource)
            ? p.validateResource
            : [p.validateResource];
        for (const validate of validations) {
            const args = resourceArgs(r, config[p.name]);
            await collect(report, p.name, () =>
                validate(args, (message) =>
                    report.violations.push({ policy: p.name, urn: args.urn, message }),
                ),
            );
        }
    }
    return report;
}

/** Every stack policy of `policies` over the stack's resources (the engine's AnalyzeStack call). */
export async function analyzeStack(
    policies: Policies,
    resources: EngineResource[],
    config: PackConfig = {},
): Promise<Report> {
    const report = emptyReport();
    for (const p of policies) {
        if (!("validateStack" in p)) {
            continue;
        }
        const args = stackArgs(resources, config[p.name]);
        await collect(report, p.name, () =>
            p.validateStack(args, (message, urn) =>
                report.violations.push({ policy: p.name, urn: urn ?? "", message }),
            ),
        );
    }
    return report;
}
