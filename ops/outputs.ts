// What the operator commands know about a deployment: the stack outputs of each region, read with
// `pulumi stack output --json` or from files that command wrote (so a machine without the Pulumi
// CLI, or without access to the state backend, can still fail over).
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { stackNames } from "../plan/stackFiles";

/** A switch that takes one region out of DNS: one metric, published in `region`. */
export interface SwitchOutputs {
    region: string;
    namespace: string;
    metricName: string;
    dimensions: Record<string, string>;
    alarmName: string;
    healthCheckId: string;
}

/** A guard other than the switch (an alarm that backs a health check on the routed record). */
export interface GuardOutputs {
    name: string;
    alarmName: string;
    alarmRegion: string;
    healthCheckId: string;
}

/**
 * A chaos-ready region's AWS FIS experiments (stack output `chaos`): the templates that break this
 * region only, by key, and the alarms (in this region: its peers' health as it sees them) that
 * stop any running experiment.
 */
export interface ChaosOutputs {
    region: string;
    /** The private bucket FIS writes fault configurations to and the extension polls. */
    bucket: string;
    /** An experiment ends by itself after this long. */
    maxDurationMinutes: number;
    /** In `region`: an experiment stops when one of them goes to ALARM. */
    stopAlarmNames: string[];
    /** Experiment template id by key (`api-fails`, `slow`). */
    experiments: Record<string, string>;
}

/** One region of the service, as its stack exported it. */
export interface RegionOutputs {
    /** Stack name, or the outputs file's name without `.json`. */
    stack: string;
    region: string;
    routing: "failover" | "latency";
    failoverRole?: "PRIMARY" | "SECONDARY";
    serviceUrl: string;
    /** The service's DNS name (the host of `serviceUrl`). */
    serviceName: string;
    regionalHostname: string;
    regionalDomainName: string;
    healthUrl: string;
    healthSearchString: string;
    hostedZoneId: string;
    nameServers: string[];
    recordType: "A" | "AAAA" | "CNAME";
    tableName: string;
    tableRegion: string;
    apiFunctionName: string;
    healthFunctionName: string;
    restApiId: string;
    stageName: string;
    certificateArn: string;
    endpointHealthCheckId: string;
    routedHealthCheckId: string;
    operatorSwitch?: SwitchOutputs;
    guards: GuardOutputs[];
    /** Absent on stacks without chaos. */
    chaos?: ChaosOutputs;
}

/** Every region of one service. */
export interface Service {
    name: string;
    routing: "failover" | "latency";
    recordType: "A" | "AAAA" | "CNAME";
    nameServers: string[];
    regions: RegionOutputs[];
}

/** Where the outputs come from: stack names (Pulumi CLI), files, or every stack of the project. */
export interface OutputSources {
    stack?: string[];
    outputs?: string[];
    project: string;
}

/** Input the operator must correct (exit status 2), as distinct from a failed AWS call. */
export class OperatorInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "OperatorInputError";
    }
}

/** Runs `pulumi stack output --json` for a stack; injectable for tests. */
export type StackOutputReader = (stack: string, project: string) => Promise<unknown>;

export const pulumiStackOutput: StackOutputReader = (stack, project) =>
    new Promise((resolve, reject) => {
        execFile(
            "pulumi",
            ["stack", "output", "--json", "--stack", stack],
            { cwd: project, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
            (error, stdout, stderr) => {
                if ((error as NodeJS.ErrnoException | null)?.code === "ENOENT") {
                    reject(
                        new OperatorInputError(
                            `the Pulumi CLI is not installed here: on a machine that has it, run \`pulumi stack output --json --stack ${stack} > ${stack}.json\` and pass --outputs ${stack}.json`,
                        ),
                    );
                } else if (error) {
                    const why = String(stderr).trim().split("\n").pop() || error.message;
                    reject(
                        new OperatorInputError(
                            `pulumi stack output --stack ${stack} failed: ${why} (no such stack? not logged in? or pass --outputs <file>)`,
                        ),
                    );
                } else {
                    try {
                        resolve(JSON.parse(stdout));
                    } catch {
                        reject(
                            new OperatorInputError(
                                `pulumi stack output --stack ${stack} did not print JSON`,
                            ),
                        );
                    }
                }
            },
        );
    });

/** Reads and checks the outputs of every region of the service. */
export async function loadService(
    sources: OutputSources,
    readStack: StackOutputReader = pulumiStackOutput,
): Promise<Service> {
    if (sources.stack?.length && sources.outputs?.length) {
        throw new OperatorInputError("pass either --stack or --outputs, not both");
    }
    let raw: { stack: string; origin: string; value: unknown }[];
    if (sources.outputs?.length) {
        raw = sources.outputs.map((file) => ({
            stack: path.basename(file).replace(/\.json$/, ""),
            origin: `outputs file ${file}`,
            value: readJsonFile(file),
        }));
    } else {
        const stacks = sources.stack?.length ? sources.stack : projectStacks(sources.project);
        raw = await Promise.all(
            stacks.map(async (stack) => ({
                stack,
                origin: `stack ${stack}`,
                value: await readStack(stack, sources.project),
            })),
        );
    }
    return serviceOf(raw.map((r) => regionOutputs(r.stack, r.origin, r.value)));
}

function projectStacks(project: string): string[] {
    let stacks: string[] = [];
    try {
        stacks = stackNames(path.resolve(project));
    } catch {
        // No project here: said below.
    }
    if (stacks.length === 0) {
        throw new OperatorInputError(
            `no Pulumi.<stack>.yaml in ${path.resolve(project)}: pass --stack <name...>, --outputs <file...> or --project <dir>`,
        );
    }
    return stacks;
}

function readJsonFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new OperatorInputError(
            `cannot read outputs file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
    }
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new OperatorInputError(
            `outputs file ${file} is not JSON (${(e as Error).message}); write it with \`pulumi stack output --json > ${file}\``,
        );
    }
}

const RECORD_TYPES = ["A", "AAAA", "CNAME"] as const;
const ROUTINGS = ["failover", "latency"] as const;
const ROLES = ["PRIMARY", "SECONDARY"] as const;

/** Checks one stack's outputs; every problem names the output and the stack. */
export function regionOutputs(stack: string, origin: string, value: unknown): RegionOutputs {
    const problems: string[] = [];
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new OperatorInputError(
            `${origin}: expected the JSON object \`pulumi stack output --json\` prints`,
        );
    }
    const o = value as Record<string, unknown>;
    const text = (key: string, from = o, label = key): string => {
        const v = from[key];
        if (typeof v === "string" && v !== "" && v !== "[secret]") {
            return v;
        }
        problems.push(
            v === undefined
                ? `output "${label}" is missing`
                : `output "${label}" must be a non-empty string (got ${JSON.stringify(v)})`,
        );
        return "";
    };
    const oneOf = <T extends string>(key: string, allowed: readonly T[]): T => {
        const v = text(key);
        if (v && !allowed.includes(v as T)) {
            problems.push(
                `output "${key}" is ${JSON.stringify(v)}; allowed: ${allowed.join(", ")}`,
            );
        }
        return v as T;
    };
    const url = (key: string): URL | undefined => {
        const v = text(key);
        try {
            return v ? new URL(v) : undefined;
        } catch {
            problems.push(`output "${key}" is not a URL: ${JSON.stringify(v)}`);
            return undefined;
        }
    };
    const routing = oneOf("routing", ROUTINGS);
    const role = o.failoverRole;
    if (role !== undefined && role !== null && !ROLES.includes(role as never)) {
        problems.push(
            `output "failoverRole" is ${JSON.stringify(role)}; allowed: PRIMARY, SECONDARY`,
        );
    }
    const serviceUrl = url("serviceUrl");
    const healthUrl = url("healthUrl");
    const nameServers = o.nameServers;
    if (
        !Array.isArray(nameServers) ||
        nameServers.length === 0 ||
        !nameServers.every((n) => typeof n === "string" && n !== "")
    ) {
        problems.push(
            nameServers === undefined
                ? `output "nameServers" is missing`
                : `output "nameServers" must be a non-empty list of host names`,
        );
    }
    const switchOutputs = (): SwitchOutputs | undefined => {
        const s = o.operatorSwitch;
        if (s === undefined || s === null) {
            return undefined;
        }
        if (typeof s !== "object" || Array.isArray(s)) {
            problems.push(`output "operatorSwitch" must be an object`);
            return undefined;
        }
        const sw = s as Record<string, unknown>;
        const dims = sw.dimensions;
        if (
            typeof dims !== "object" ||
            dims === null ||
            Array.isArray(dims) ||
            Object.keys(dims).length === 0 ||
            !Object.values(dims).every((d) => typeof d === "string" && d !== "")
        ) {
            problems.push(
                `output "operatorSwitch.dimensions" must map dimension names to values (got ${JSON.stringify(dims)})`,
            );
        }
        return {
            region: text("region", sw, "operatorSwitch.region"),
            namespace: text("namespace", sw, "operatorSwitch.namespace"),
            metricName: text("metricName", sw, "operatorSwitch.metricName"),
            dimensions: (dims ?? {}) as Record<string, string>,
            alarmName: text("alarmName", sw, "operatorSwitch.alarmName"),
            healthCheckId: text("healthCheckId", sw, "operatorSwitch.healthCheckId"),
        };
    };
    const chaosOutputs = (): ChaosOutputs | undefined => {
        const c = o.chaos;
        if (c === undefined || c === null) {
            return undefined;
        }
        if (typeof c !== "object" || Array.isArray(c)) {
            problems.push(`output "chaos" must be an object`);
            return undefined;
        }
        const chaos = c as Record<string, unknown>;
        const region = text("region", chaos, "chaos.region");
        if (region && typeof o.region === "string" && region !== o.region) {
            problems.push(
                `output "chaos.region" is ${JSON.stringify(region)}, not the stack's region ${JSON.stringify(o.region)}`,
            );
        }
        const bucket = text("bucket", chaos, "chaos.bucket");
        const minutes = chaos.maxDurationMinutes;
        if (typeof minutes !== "number" || !Number.isInteger(minutes) || minutes < 1) {
            problems.push(
                minutes === undefined
                    ? `output "chaos.maxDurationMinutes" is missing`
                    : `output "chaos.maxDurationMinutes" must be a whole number of minutes (got ${JSON.stringify(minutes)})`,
            );
        }
        const alarms = chaos.stopAlarmNames;
        if (
            !Array.isArray(alarms) ||
            alarms.length === 0 ||
            !alarms.every((a) => typeof a === "string" && a !== "")
        ) {
            problems.push(
                alarms === undefined
                    ? `output "chaos.stopAlarmNames" is missing`
                    : `output "chaos.stopAlarmNames" must be a non-empty list of alarm names (got ${JSON.stringify(alarms)})`,
            );
        }
        const experiments = chaos.experiments;
        if (
            typeof experiments !== "object" ||
            experiments === null ||
            Array.isArray(experiments) ||
            Object.keys(experiments).length === 0 ||
            !Object.values(experiments).every((id) => typeof id === "string" && id !== "")
        ) {
            problems.push(
                experiments === undefined
                    ? `output "chaos.experiments" is missing`
                    : `output "chaos.experiments" must map experiment names to template ids (got ${JSON.stringify(experiments)})`,
            );
        }
        return {
            region,
            bucket,
            maxDurationMinutes: typeof minutes === "number" ? minutes : 0,
            stopAlarmNames: Array.isArray(alarms) ? (alarms as string[]) : [],
            experiments: (experiments ?? {}) as Record<string, string>,
        };
    };
    const guards = (): GuardOutputs[] => {
        const g = o.guards;
        if (!Array.isArray(g)) {
            problems.push(
                g === undefined ? `output "guards" is missing` : `output "guards" must be a list`,
            );
            return [];
        }
        return g.map((item, i) => {
            const entry = (typeof item === "object" && item !== null ? item : {}) as Record<
                string,
                unknown
            >;
            return {
                name: text("name", entry, `guards[${i}].name`),
                alarmName: text("alarmName", entry, `guards[${i}].alarmName`),
                alarmRegion: text("alarmRegion", entry, `guards[${i}].alarmRegion`),
                healthCheckId: text("healthCheckId", entry, `guards[${i}].healthCheckId`),
            };
        });
    };
    const result: RegionOutputs = {
        stack,
        region: text("region"),
        routing,
        failoverRole: (role ?? undefined) as RegionOutputs["failoverRole"],
        serviceUrl: serviceUrl?.href ?? "",
        serviceName: serviceUrl?.hostname ?? "",
        regionalHostname: text("regionalHostname"),
        regionalDomainName: text("regionalDomainName"),
        healthUrl: healthUrl?.href ?? "",
        healthSearchString: text("healthSearchString"),
        hostedZoneId: text("hostedZoneId"),
        nameServers: Array.isArray(nameServers) ? (nameServers as string[]) : [],
        recordType: oneOf("recordType", RECORD_TYPES),
        tableName: text("tableName"),
        tableRegion: text("tableRegion"),
        apiFunctionName: text("apiFunctionName"),
        healthFunctionName: text("healthFunctionName"),
        restApiId: text("restApiId"),
        stageName: text("stageName"),
        certificateArn: text("certificateArn"),
        endpointHealthCheckId: text("endpointHealthCheckId"),
        routedHealthCheckId: text("routedHealthCheckId"),
        operatorSwitch: switchOutputs(),
        guards: guards(),
        ...(o.chaos === undefined || o.chaos === null ? {} : { chaos: chaosOutputs() }),
    };
    if (problems.length > 0) {
        throw new OperatorInputError(
            `${origin}: ${problems.join("; ")}. Outputs come from \`pulumi stack output --json\` of a stack deployed with this version (run \`pulumi up\` once to export new outputs).`,
        );
    }
    return result;
}

/** Puts the regions together and checks that they are one service. */
export function serviceOf(regions: RegionOutputs[]): Service {
    const [first] = regions;
    if (first === undefined) {
        throw new OperatorInputError("no stacks given");
    }
    const differ = (key: keyof RegionOutputs) =>
        regions.some((r) => JSON.stringify(r[key]) !== JSON.stringify(first[key]));
    const problems: string[] = [];
    for (const key of ["serviceUrl", "routing", "recordType", "hostedZoneId"] as const) {
        if (differ(key)) {
            problems.push(
                `"${key}" differs: ${regions.map((r) => `${r.stack} ${JSON.stringify(r[key])}`).join(", ")}`,
            );
        }
    }
    const seen = new Map<string, string>();
    for (const r of regions) {
        const other = seen.get(r.region);
        if (other !== undefined) {
            problems.push(`stacks ${other} and ${r.stack} both serve ${r.region}`);
        }
        seen.set(r.region, r.stack);
    }
    if (first.routing === "failover" && regions.length > 1) {
        const roles = regions.map((r) => r.failoverRole).sort();
        if (JSON.stringify(roles) !== JSON.stringify(["PRIMARY", "SECONDARY"])) {
            problems.push(
                `a failover pair is one PRIMARY and one SECONDARY (got ${regions.map((r) => `${r.stack} ${r.failoverRole ?? "none"}`).join(", ")})`,
            );
        }
    }
    if (problems.length > 0) {
        throw new OperatorInputError(
            `the stacks given are not one service: ${problems.join("; ")}`,
        );
    }
    return {
        name: first.serviceName,
        routing: first.routing,
        recordType: first.recordType,
        nameServers: first.nameServers,
        regions,
    };
}

/** The region named `name`, or a message listing the service's regions. */
export function regionNamed(service: Service, name: string, option: string): RegionOutputs {
    const found = service.regions.find((r) => r.region === name);
    if (!found) {
        throw new OperatorInputError(
            `${option} ${name}: not a region of ${service.name}; its regions: ${service.regions.map((r) => r.region).join(", ")}`,
        );
    }
    return found;
}

/** The switch that takes `region` out of DNS: published by the stack of that region. */
export function switchOf(region: RegionOutputs): SwitchOutputs {
    if (!region.operatorSwitch) {
        throw new OperatorInputError(
            `${region.region} (stack ${region.stack}) has no operator switch: set switchRegion in its stack config (another region) and run pulumi up`,
        );
    }
    return region.operatorSwitch;
}

/** The chaos experiments of `region`, or why it has none (input error: exit status 2). */
export function chaosOf(region: RegionOutputs): ChaosOutputs {
    if (!region.chaos) {
        throw new OperatorInputError(
            `${region.region} (stack ${region.stack}) has no chaos output: enable chaos in its stack config (Pulumi.${region.stack}.yaml) and run pulumi up, or pass the outputs of a stack deployed with it`,
        );
    }
    return region.chaos;
}

/** The template id of experiment `key` of a chaos-ready region, or a message listing them. */
export function experimentOf(region: RegionOutputs, chaos: ChaosOutputs, key: string): string {
    const id = chaos.experiments[key];
    if (typeof id !== "string" || !Object.hasOwn(chaos.experiments, key)) {
        throw new OperatorInputError(
            `--chaos ${key}: not an experiment of ${region.region} (stack ${region.stack}); its experiments: ${Object.keys(chaos.experiments).join(", ")}`,
        );
    }
    return id;
}
