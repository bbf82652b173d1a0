// One start of this repository as a source-based component package, shared by the specs that call
// it (schema.spec.ts, construct.spec.ts), and the Pulumi engine's side of the conversation: a
// resource monitor and engine served on loopback. The monitor hands every registration and invoke
// the package makes to the harness's mock runtime, so what a component constructs for another
// language is recorded like what the specs construct in process.
import * as grpc from "@grpc/grpc-js";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest, LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import {
    RegisterResourceOutputsRequest,
    SupportsFeatureRequest,
    SupportsFeatureResponse,
} from "@pulumi/pulumi/proto/resource_pb";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { providerClient, startPlugin } from "../../tools/componentPlugin";

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

/** The package, started once this file loads. */
const started = engine.then((address) => startPlugin(undefined, address));

/** A client of the running package's provider server. */
export const provider: Promise<ResourceProviderClient> = started.then(async (plugin) =>
    providerClient(await plugin.port),
);
provider.catch(() => undefined); // reported by the specs that await it

/** The engine's monitor address for construct requests. */
export const monitorAddress = engine;

// Mocha's root hook: after every spec, stop the package and the engine (they keep mocha alive).
after(async () => {
    (await provider.catch(() => undefined))?.close();
    (await started.catch(() => undefined))?.child.kill();
    server.forceShutdown();
});
