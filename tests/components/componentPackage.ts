// One start of this repository as a source-based component package, shared by the specs that call
// it (schema, construct, yamlExample), and the Pulumi engine's side of the conversation: a
// resource monitor and engine served on loopback. The monitor hands every registration and invoke
// the package makes to the harness's mock runtime, so what a component constructs for another
// language is recorded like what the specs construct in process.
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest, LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import * as pulumi from "@pulumi/pulumi";
import { Alias } from "@pulumi/pulumi/proto/alias_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { ConstructRequest, ConstructResponse } from "@pulumi/pulumi/proto/provider_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import {
    RegisterResourceOutputsRequest,
    SupportsFeatureRequest,
    SupportsFeatureResponse,
} from "@pulumi/pulumi/proto/resource_pb";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { componentType } from "../../components/typeToken";
import { providerClient, REPO, startPlugin } from "../../tools/componentPlugin";

type Handler = (call: { request: unknown }, done: (e: Error | null, res?: unknown) => void) => void;

/** The harness's mock monitor (installed by the mock runtime's `start`), as the SDK calls it. */
function monitor(): Record<
    string,
    (req: unknown, done: (e: Error | null, res?: unknown) => void) => void
> {
    const current = settings.getMonitor();
    if (!current) {
        throw new Error("no mock monitor: start the harness's runtime first");
    }
    return current as unknown as ReturnType<typeof monitor>;
}

/** The warnings and errors the package logged to the engine (what a user would see). */
export const engineLog: string[] = [];

const server = new grpc.Server();
const forward =
    (method: string): Handler =>
    (call, done) =>
        monitor()[method](call.request, done);
server.addService(ResourceMonitorService, {
    // The engine's answers to the package's SDK: every feature but output values in registrations
    // (the mock monitor reads plain values, as in process).
    supportsFeature: (
        call: { request: SupportsFeatureRequest },
        done: (e: null, r: SupportsFeatureResponse) => void,
    ) => {
        const response = new SupportsFeatureResponse();
        response.setHassupport(call.request.getId() !== "outputValues");
        done(null, response);
    },
    registerResource: forward("registerResource"),
    invoke: forward("invoke"),
    registerResourceOutputs: (
        call: { request: RegisterResourceOutputsRequest },
        done: (e: Error | null, r?: Empty) => void,
    ) => monitor().registerResourceOutputs(call.request, (e) => done(e, new Empty())),
});
server.addService(EngineService, {
    log: (call: { request: LogRequest }, done: (e: null, r: Empty) => void) => {
        if (call.request.getSeverity() >= LogSeverity.WARNING) {
            engineLog.push(call.request.getMessage());
        }
        done(null, new Empty());
    },
});

/** The engine's address, once it serves. */
const engine = new Promise<string>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, port) =>
        e ? reject(e) : resolve(`127.0.0.1:${port}`),
    ),
);

/**
 * Why dist/ (the package's `main`, what the package runs) is not the components' source, if it
 * is not: a component's emitted JavaScript missing or older than its source.
 */
function staleBuild(): string | undefined {
    const sources = path.join(REPO, "components");
    for (const file of fs.readdirSync(sources).filter((f) => f.endsWith(".ts"))) {
        const emitted = path.join(REPO, "dist", "components", file.replace(/\.ts$/, ".js"));
        if (
            !fs.existsSync(emitted) ||
            fs.statSync(emitted).mtimeMs < fs.statSync(path.join(sources, file)).mtimeMs
        ) {
            return `dist/components is older than components/${file}: run \`npm run build\` (npm test does)`;
        }
    }
    return undefined;
}

/** The package, started once this file loads (from dist/, so only once it is built). */
const started = engine.then((address) => {
    const stale = staleBuild();
    if (stale) {
        throw new Error(stale);
    }
    return startPlugin(undefined, address);
});

/** A client of the running package's provider server. */
export const provider: Promise<ResourceProviderClient> = started.then(async (plugin) =>
    providerClient(await plugin.port),
);
provider.catch(() => undefined); // reported by the specs that await it

const monitorAddress = engine;

/** A value that came from another resource's output, as the engine forwards it. */
export function outputValue(value: unknown, dependencies: string[]): Record<string, unknown> {
    return {
        [rpc.specialSigKey]: rpc.specialOutputValueSig,
        ...(value === undefined ? {} : { value }),
        dependencies,
    };
}

export interface Constructed {
    urn: string;
    state: Record<string, unknown>;
    /** Each output's dependencies (URNs). */
    dependencies: Record<string, string[]>;
}

export interface ConstructOptions {
    /** Provider references (`urn::id`) by package. */
    providers?: Record<string, string>;
    /** URNs of the resources it must wait for (`dependsOn`). */
    dependsOn?: string[];
    /** URN of its parent (a component of the calling program). */
    parent?: string;
    /** Earlier names (`aliases: [{ name }]`). */
    aliasNames?: string[];
    dryRun?: boolean;
}

/**
 * One Construct call, as the engine makes it for a program's `RegionalApi(...)` and the like, in
 * the project and stack the harness's runtime was started with.
 */
export async function construct(
    component: string,
    name: string,
    inputs: Record<string, unknown>,
    opts: ConstructOptions = {},
): Promise<Constructed> {
    const request = new ConstructRequest();
    request.setProject(pulumi.getProject());
    request.setStack(pulumi.getStack());
    request.setDryrun(opts.dryRun ?? false);
    request.setParallel(16);
    request.setMonitorendpoint(await monitorAddress);
    request.setType(componentType(component));
    request.setName(name);
    request.setInputs(Struct.fromJavaScript(inputs as Record<string, never>));
    request.setAcceptsOutputValues(true);
    request.setDependenciesList(opts.dependsOn ?? []);
    request.setParent(opts.parent ?? "");
    request.setAliasesList(
        (opts.aliasNames ?? []).map((name) => new Alias().setSpec(new Alias.Spec().setName(name))),
    );
    for (const [pkg, ref] of Object.entries(opts.providers ?? {})) {
        request.getProvidersMap().set(pkg, ref);
    }
    const client = await provider;
    const response = await new Promise<ConstructResponse>((resolve, reject) =>
        client.construct(request, (e, r) => (e ? reject(e) : resolve(r))),
    );
    const dependencies: Record<string, string[]> = {};
    response
        .getStatedependenciesMap()
        .forEach((deps, key) => (dependencies[key] = deps.getUrnsList()));
    return {
        urn: response.getUrn(),
        state: rpc.deserializeProperties(response.getState() ?? new Struct()),
        dependencies,
    };
}

// Mocha's root hook: after every spec, stop the package and the engine (they keep mocha alive).
after(async () => {
    (await provider.catch(() => undefined))?.close();
    (await started.catch(() => undefined))?.child.kill();
    server.forceShutdown();
});
