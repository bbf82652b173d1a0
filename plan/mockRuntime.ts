// The Pulumi SDK's mock runtime, set up to stand in for AWS: the unit tests and `multi-region-api plan` both
// evaluate the program through it. It records every registration with its provider's region and
// its resource options, and answers with the state AWS would compute (ARNs, regional domain names,
// ACM validation records) so that the resource graph reads like a real deployment.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
// Internal SDK modules (no public API exposes these): the live monitor, to see resource options
// that `MockResourceArgs` omits, and the RPC queue, to know when a program has finished registering.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as {
    getMonitor(): { registerResource: (req: RegisterRequest, cb: unknown) => unknown } | undefined;
    waitForRPCs(): Promise<void>;
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
    specialSigKey: string;
    specialSecretSig: string;
};

/** What the records (and so the plan's JSON) show in place of a secret input. */
export const REDACTED_SECRET = "[secret]";

/**
 * The inputs with every secret replaced by {@link REDACTED_SECRET}. The SDK hands secrets to mocks
 * wrapped (pushed up to the top-level property), so nothing secret is recorded or printed.
 */
function redactSecrets(inputs: Record<string, unknown>): Record<string, unknown> {
    const isSecret = (v: unknown) =>
        typeof v === "object" &&
        v !== null &&
        (v as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;
    return Object.fromEntries(
        Object.entries(inputs).map(([k, v]) => [k, isSecret(v) ? REDACTED_SECRET : v]),
    );
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getDependenciesList(): string[];
    getIgnorechangesList(): string[];
}

/** Account id the mock runtime reports (the documentation account). */
const MOCK_ACCOUNT_ID = "123456789012";

/** One registered resource, as the engine would see it. */
export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** URN of the parent resource, or undefined for a top-level resource. */
    parent: string | undefined;
    /** Provider reference (`urn::id`) or undefined for components and default providers. */
    provider: string | undefined;
    /** Region of the resource's provider: its `region` input, else null. */
    providerRegion: string | null;
    custom: boolean;
    id: string;
    inputs: Record<string, unknown>;
    /** Inputs plus what AWS would compute. */
    state: Record<string, unknown>;
    protect: boolean;
    retainOnDelete: boolean;
    dependsOn: string[];
    ignoreChanges: string[];
}

/** One invoke (data source lookup) and what the mock runtime answered. */
export type RecordedInvoke = pulumi.runtime.MockCallArgs & { result: Record<string, unknown> };

export interface MockState {
    readonly resources: RecordedResource[];
    readonly invokes: RecordedInvoke[];
    /**
     * Switches to another project and stack: fresh monitor, empty records, the given config (with
     * `secretKeys`, the full keys set as secrets).
     */
    start(
        project: string,
        stack: string,
        config: Record<string, string>,
        secretKeys?: string[],
    ): Promise<void>;
    /**
     * Resolves once every registration and invoke started so far has completed; rejects, as the
     * engine would fail the update, when two resources had the same URN.
     */
    settle(): Promise<void>;
    reset(): void;
}

const digest = (s: string, n = 12) => createHash("sha256").update(s).digest("hex").slice(0, n);

function resourceRegion(state: Record<string, unknown>, region: string | null): string {
    return (state.region as string | undefined) ?? region ?? "us-east-1";
}

/** Computed state per type token: what the AWS provider returns after create. */
function computedState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    providerRegion: string | null,
): Record<string, unknown> {
    const region = resourceRegion(inputs, providerRegion);
    const physical = (inputs.name as string | undefined) ?? name;
    const arn = (service: string, resource: string) =>
        `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${resource}`;
    switch (type) {
        case "aws:iam/role:Role":
            return { name: physical, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${physical}` };
        case "aws:lambda/function:Function":
            return {
                name: physical,
                arn: arn("lambda", `function:${physical}`),
                invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn("lambda", `function:${physical}`)}/invocations`,
            };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { name: physical, arn: arn("logs", `log-group:${physical}`) };
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return { name: physical, arn: arn("cloudwatch", `alarm:${physical}`) };
        case "aws:dynamodb/table:Table":
            return {
                name: physical,
                arn: arn("dynamodb", `table/${physical}`),
                streamArn: arn("dynamodb", `table/${physical}/stream/mock`),
            };
        case "aws:dynamodb/tableReplica:TableReplica": {
            const table = String(inputs.globalTableArn).split(":table/")[1];
            return { arn: arn("dynamodb", `table/${table}`) };
        }
        case "aws:apigateway/restApi:RestApi": {
            const id = digest(`${region}/${name}`, 10);
            return {
                name: physical,
                rootResourceId: `${id}-root`,
                executionArn: arn("execute-api", id),
            };
        }
        case "aws:apigateway/stage:Stage":
            return {
                arn: `arn:aws:apigateway:${region}::/restapis/stage/${String(inputs.stageName)}`,
            };
        case "aws:apigateway/domainName:DomainName":
            return {
                arn: `arn:aws:apigateway:${region}::/domainnames/${String(inputs.domainName)}`,
                regionalDomainName: `d-${digest(`${region}/${String(inputs.domainName)}`, 10)}.execute-api.${region}.amazonaws.com`,
                // Not AWS's real zone ids: clearly fake so no one copies them.
                regionalZoneId: `ZMOCKAPIGW${region.replace(/-/g, "").toUpperCase()}`,
            };
        case "aws:acm/certificate:Certificate": {
            // ACM's validation CNAME depends on the domain name and account, not the region.
            const names = [
                inputs.domainName,
                ...((inputs.subjectAlternativeNames as string[]) ?? []),
            ];
            return {
                arn: arn("acm", `certificate/${digest(`${region}/${name}`, 32)}`),
                domainValidationOptions: names.map((domainName) => ({
                    domainName,
                    resourceRecordName: `_${digest(String(domainName), 32)}.${String(domainName)}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${digest(`value/${String(domainName)}`, 32)}.acm-validations.aws.`,
                })),
            };
        }
        case "aws:route53/record:Record":
            return { fqdn: String(inputs.name).replace(/\.$/, "") };
        case "aws:wafv2/ipSet:IpSet":
        case "aws:wafv2/webAcl:WebAcl": {
            const kind = type === "aws:wafv2/ipSet:IpSet" ? "ipset" : "webacl";
            const id = digest(`${region}/${name}`, 32);
            return { arn: arn("wafv2", `regional/${kind}/${physical}/${id}`) };
        }
        default:
            return {};
    }
}

/** Answers the invokes the program makes; anything else is an error, never a silent default. */
function invoke(args: pulumi.runtime.MockCallArgs, region: string | null): Record<string, unknown> {
    switch (args.token) {
        case "aws:index/getRegion:getRegion": {
            const r = region ?? "us-east-1";
            return {
                id: r,
                name: r,
                region: r,
                endpoint: `ec2.${r}.amazonaws.com`,
                description: r,
            };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                id: MOCK_ACCOUNT_ID,
                accountId: MOCK_ACCOUNT_ID,
                arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`,
                userId: "MOCK",
            };
        case "aws:index/getPartition:getPartition":
            return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" };
        case "aws:index/getIpRanges:getIpRanges": {
            // Documentation prefixes (RFC 5737, RFC 3849): clearly not AWS's ranges.
            const services = (args.inputs as { services: string[] }).services;
            return {
                id: "mock",
                services,
                cidrBlocks: ["192.0.2.0/24", "198.51.100.0/24"],
                ipv6CidrBlocks: ["2001:db8::/32"],
                createDate: "2026-01-01-00-00-00",
                syncToken: 0,
            };
        }
        case "aws:route53/getZone:getZone": {
            const zoneName = String((args.inputs as Record<string, unknown>).name).replace(
                /\.$/,
                "",
            );
            const zoneId = `ZMOCK${digest(zoneName, 10).toUpperCase()}`;
            return { id: zoneId, zoneId, name: zoneName, privateZone: false };
        }
        default:
            throw new Error(`mock runtime: no mock for invoke ${args.token}`);
    }
}

/**
 * Runs `work` with V8's own stack traces, one frame deep. The Pulumi SDK reads `new Error().stack`
 * for every resource, property and RPC; under ts-node each read maps every frame through source
 * maps, which costs more than the rest of an evaluation. Errors thrown meanwhile show one compiled
 * position; the plan prints messages only, and the tests assert messages, never positions.
 */
export async function withPlainStacks<T>(work: () => Promise<T>): Promise<T> {
    const error = Error as { prepareStackTrace?: unknown };
    const [mapStacks, limit] = [error.prepareStackTrace, Error.stackTraceLimit];
    error.prepareStackTrace = undefined;
    Error.stackTraceLimit = 1;
    try {
        return await work();
    } finally {
        error.prepareStackTrace = mapStacks;
        Error.stackTraceLimit = limit;
    }
}

/** Installs the mock runtime for `project`/`stack`. Call once per process. */
export function mockRuntime(opts: { project: string; stack: string }): MockState {
    const resources: RecordedResource[] = [];
    const invokes: RecordedInvoke[] = [];
    const urns = new Set<string>();
    const duplicates = new Set<string>();
    const providerRegions = new Map<string, string | null>();
    let options:
        | Omit<
              RecordedResource,
              "type" | "name" | "provider" | "providerRegion" | "custom" | "id" | "inputs" | "state"
          >
        | undefined;

    const regionOf = (providerRef: string | undefined): string | null => {
        if (!providerRef) {
            return null;
        }
        return providerRegions.get(providerRef.split("::").slice(0, -1).join("::")) ?? null;
    };

    const mocks: pulumi.runtime.Mocks = {
        newResource(args) {
            const providerRegion = regionOf(args.provider);
            const inputs = args.inputs as Record<string, unknown>;
            const id = args.custom ? `${args.name}-id` : "";
            const state = {
                ...inputs,
                ...computedState(args.type, args.name, inputs, providerRegion),
            };
            const meta = options ?? {
                urn: "",
                parent: undefined,
                protect: false,
                retainOnDelete: false,
                dependsOn: [],
                ignoreChanges: [],
            };
            options = undefined;
            if (args.type === "pulumi:providers:aws") {
                providerRegions.set(meta.urn, (inputs.region as string | undefined) ?? null);
            }
            resources.push({
                type: args.type,
                name: args.name,
                provider: args.provider,
                providerRegion,
                custom: args.custom ?? false,
                id,
                inputs: redactSecrets(inputs),
                state: redactSecrets(state),
                ...meta,
            });
            return { id, state };
        },
        call(args) {
            const result = invoke(args, regionOf(args.provider));
            invokes.push({ ...args, result });
            return result;
        },
    };

    // `MockResourceArgs` carries neither the parent nor protect/retainOnDelete: read them from the
    // request. The SDK calls `newResource` synchronously inside `registerResource`, so the options
    // captured here belong to the very next `newResource` call.
    const instrument = () => {
        const monitor = settings.getMonitor();
        if (!monitor) {
            throw new Error("mock runtime: no monitor after setMocks");
        }
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, cb) => {
            const parent = req.getParent() || undefined;
            // The engine qualifies a child's type with its parent's (already qualified) type,
            // except under the root stack resource.
            const parentType = parent?.split("::")[2];
            const type =
                parentType && parentType !== "pulumi:pulumi:Stack"
                    ? `${parentType}$${req.getType()}`
                    : req.getType();
            const urn = `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${req.getName()}`;
            if (urns.has(urn)) {
                duplicates.add(urn);
            }
            urns.add(urn);
            options = {
                urn,
                parent,
                protect: req.getProtect() ?? false,
                retainOnDelete: req.getRetainondelete() ?? false,
                dependsOn: req.getDependenciesList(),
                ignoreChanges: req.getIgnorechangesList(),
            };
            // Hand the program the same URN: it builds parents and dependencies from it.
            return register(req, (err: Error | null, resp?: { setUrn(urn: string): void }) => {
                resp?.setUrn(urn);
                (cb as (err: Error | null, resp?: unknown) => void)(err, resp);
            });
        };
    };

    // setMocks installs the monitor synchronously; its promise only reports completion.
    const install = (project: string, stack: string) => {
        void pulumi.runtime.setMocks(mocks, project, stack, false);
        instrument();
    };
    install(opts.project, opts.stack);

    const reset = () => {
        resources.length = 0;
        invokes.length = 0;
        providerRegions.clear();
        urns.clear();
        duplicates.clear();
    };

    return {
        resources,
        invokes,
        reset,
        async start(project, stack, config, secretKeys = []) {
            await settings.waitForRPCs();
            reset();
            install(project, stack);
            pulumi.runtime.setAllConfig(config, secretKeys);
        },
        async settle() {
            await settings.waitForRPCs();
            if (duplicates.size > 0) {
                throw new pulumi.RunError(
                    `Duplicate resource URN${duplicates.size > 1 ? "s" : ""} (the Pulumi engine refuses these): ${[...duplicates].join(", ")}`,
                );
            }
        },
    };
}
