// Stack outputs and AWS answers for the operator command tests: a failover pair, us-east-1 PRIMARY
// (its switch in eu-west-1) and eu-west-1 SECONDARY, served by the loopback lab.
import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ACMClient, DescribeCertificateCommand } from "@aws-sdk/client-acm";
import {
    APIGatewayClient,
    GetBasePathMappingsCommand,
    GetDomainNameCommand,
    GetResourcesCommand,
} from "@aws-sdk/client-api-gateway";
import {
    CloudWatchClient,
    DescribeAlarmsCommand,
    GetMetricDataCommand,
    PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
    FisClient,
    GetExperimentCommand,
    ListExperimentsCommand,
    StartExperimentCommand,
    StopExperimentCommand,
} from "@aws-sdk/client-fis";
import {
    GetFunctionConfigurationCommand,
    GetFunctionConcurrencyCommand,
    LambdaClient,
} from "@aws-sdk/client-lambda";
import { GetHealthCheckStatusCommand, Route53Client } from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";
import { AwsClients } from "../../ops/aws";
import type { OpsRuntime } from "../../ops/context";
import { main } from "../../cli/main";
import { DnsLab, RegionServer, startRegions } from "./lab";

export const SERVICE = "api.example.test";
export const PRIMARY = "us-east-1";
export const SECONDARY = "eu-west-1";
/**
 * The moment the fake AWS and the commands' clock start from: mid-minute, so that a drill's
 * engage and release fall in the same minute (CloudWatch takes each minute's Maximum of the
 * switch metric, and the release must then wait for the next minute).
 */
export const NOW = Date.parse("2026-11-21T11:59:30.000Z");

let labStarted = Date.now();
let skippedMs = 0;
/**
 * The lab's clock: {@link NOW} at the start of the test, running at the real pace, plus every
 * long wait the commands asked for (see {@link labSleep}).
 */
export const labNow = () => NOW + (Date.now() - labStarted) + skippedMs;
/**
 * Sleeps as the commands ask, except that waits of a second or more (for the next minute, or
 * between retries) pass at once on the lab's clock: the tests take no minute to run.
 */
export const labSleep = (ms: number): Promise<void> => {
    if (ms >= 1000) {
        skippedMs += ms;
        return Promise.resolve();
    }
    return new Promise((resolve) => setTimeout(resolve, ms));
};
const MINUTE = 60_000;

/** The other region of the lab's pair. */
export const otherRegion = (region: string) => (region === PRIMARY ? SECONDARY : PRIMARY);
/** The stop-condition alarm of `region`'s experiments: its peer's health as `region` sees it. */
export const stopAlarmName = (region: string) => `${region}-peer-${otherRegion(region)}-alarm`;
/** The FIS experiment template `key` of `region`. */
export const templateId = (region: string, key: string) => `EXT-${key}-${region}`;

/** One FIS experiment as the fake FIS keeps it. */
export interface FakeExperiment {
    id: string;
    region: string;
    experimentTemplateId: string;
    clientToken?: string;
    tags: Record<string, string>;
    status: string;
    reason?: string;
    creationTime: Date;
}

/** What `pulumi stack output --json` prints for one region of the lab's service. */
export function stackOutputs(
    region: string,
    dnsAddress: string,
    port: number,
): Record<string, unknown> {
    const primary = region === PRIMARY;
    const host = `${region}.${SERVICE}`;
    return {
        region,
        routing: "failover",
        failoverRole: primary ? "PRIMARY" : "SECONDARY",
        serviceUrl: `http://${SERVICE}:${port}`,
        regionalUrl: `http://${host}:${port}`,
        healthUrl: `http://${host}:${port}/health`,
        healthSearchString: "mra-health-ok",
        regionalHostname: host,
        regionalDomainName: `d-${region}.execute-api.${region}.amazonaws.com`,
        hostedZoneId: "ZLAB",
        nameServers: [dnsAddress],
        recordType: "A",
        tableName: "products",
        tableRegion: PRIMARY,
        apiFunctionName: `api-${region}`,
        healthFunctionName: `health-${region}`,
        restApiId: `rest-${region}`,
        stageName: "v1",
        setIdentifier: region,
        certificateArn: `arn:aws:acm:${region}:123456789012:certificate/${region}`,
        endpointHealthCheckId: `hc-endpoint-${region}`,
        routedHealthCheckId: primary ? `hc-routed-${region}` : `hc-endpoint-${region}`,
        serverErrorAlarmName: undefined,
        guards: [],
        chaos: {
            region,
            bucket: `chaos-${region}`,
            maxDurationMinutes: 10,
            stopAlarmNames: [stopAlarmName(region)],
            experiments: {
                "api-fails": templateId(region, "api-fails"),
                slow: templateId(region, "slow"),
            },
        },
        ...(primary
            ? {
                  operatorSwitch: {
                      region: SECONDARY,
                      namespace: "HealthCheck",
                      metricName: "Failover",
                      dimensions: { Service: SERVICE, Region: PRIMARY },
                      alarmName: "us-east-1-switch-alarm",
                      healthCheckId: "hc-switch-us-east-1",
                      engage: "aws cloudwatch put-metric-data ... --value 1",
                      release: "aws cloudwatch put-metric-data ... --value 0",
                  },
              }
            : {}),
    };
}

/** The lab: DNS answering the service name with the primary, and both regions' servers. */
export class Lab {
    private constructor(
        readonly dns: DnsLab,
        readonly regions: [RegionServer, RegionServer],
    ) {}

    static async start(): Promise<Lab> {
        const dns = await DnsLab.start();
        const regions = await startRegions([PRIMARY, SECONDARY]);
        const lab = new Lab(dns, regions);
        for (const r of regions) {
            dns.set(`${r.region}.${SERVICE}`, "A", [r.address]);
            dns.set(`d-${r.region}.execute-api.${r.region}.amazonaws.com`, "A", [r.address]);
        }
        lab.answer(PRIMARY);
        return lab;
    }

    region(name: string): RegionServer {
        return this.regions.find((r) => r.region === name)!;
    }

    /** Makes the service name answer `region`'s address, as Route 53 would after a failover. */
    answer(region: string): void {
        this.dns.set(SERVICE, "A", [this.region(region).address]);
    }

    outputs(region: string): Record<string, unknown> {
        return stackOutputs(region, this.dns.address, this.regions[0].port);
    }

    async close(): Promise<void> {
        await Promise.all([this.dns.close(), ...this.regions.map((r) => r.close())]);
    }
}

/** The AWS side of a deployment, as the mocks answer it; tests change it. */
export class FakeAws {
    /** The switch metric's datapoints, per protected region, stamped with the lab's clock. */
    private readonly datapoints = new Map<string, { t: number; value: number }[]>();
    /** Regions whose calls never answer. */
    readonly down = new Set<string>();
    /** Alarms that exist (in the switch's region). */
    alarmNames = ["us-east-1-switch-alarm"];
    /** An error every call fails with, when set. */
    failure: Error | undefined;
    /** Regions, command names (`PutMetricData`) or "all" that are refused with AccessDenied. */
    readonly denied = new Set<string>();
    /** Every call made: `Command region`. */
    readonly calls: string[] = [];
    /** The input of every PutMetricData, in order. */
    readonly published: ConstructorParameters<typeof PutMetricDataCommand>[0][] = [];
    /** Called after every PutMetricData, with the new value. */
    onSwitch: (value: number) => void = () => undefined;
    certificateDays = 200;
    replicationMs: number | undefined = 400;
    throttles = 0;
    reservedConcurrency: number | undefined = undefined;
    codeHash: Record<string, string> = { [PRIMARY]: "hash-a", [SECONDARY]: "hash-a" };
    routes: Record<string, string[]> = {
        [PRIMARY]: ["GET /products/{id}", "PUT /products/{id}", "GET /health"],
        [SECONDARY]: ["GET /products/{id}", "PUT /products/{id}", "GET /health"],
    };
    replicaStatus = "ACTIVE";
    mappedStage = "v1";
    /** The stop-condition alarms (each in its observer's region), by name. */
    readonly peerAlarms = new Map(
        [PRIMARY, SECONDARY].map((region) => [
            stopAlarmName(region),
            { region, peer: otherRegion(region), state: "OK" },
        ]),
    );
    /** Route 53 health checks (ids) whose checkers all fail. */
    readonly unhealthyChecks = new Set<string>();
    /** FIS experiments by id. */
    readonly experiments = new Map<string, FakeExperiment>();
    /** Every FIS call's input, with its region, in order. */
    readonly fisCalls: { command: string; region: string; input: object }[] = [];
    /** Called when FIS starts an experiment, and when StopExperiment stops one. */
    onExperiment: (event: "start" | "stop", experiment: FakeExperiment) => void = () => undefined;
    /**
     * What StartExperiment does besides answering: "lost" starts the experiment but its answer
     * never arrives; "unanswered" starts nothing and never answers either.
     */
    startAnswer: "ok" | "lost" | "unanswered" = "ok";
    /** Errors the next StopExperiment calls fail with, in order. */
    readonly stopFailures: Error[] = [];
    readonly mocks = [
        mockClient(CloudWatchClient),
        mockClient(Route53Client),
        mockClient(ACMClient),
        mockClient(APIGatewayClient),
        mockClient(DynamoDBClient),
        mockClient(LambdaClient),
        // @aws-sdk/client-fis 3.523.0 is typed against an older Smithy than the mock library.
        mockClient(FisClient as unknown as Parameters<typeof mockClient>[0]),
    ];

    /** Ends an experiment as FIS would by itself (a stop condition, a failure, its duration). */
    endExperiment(id: string, status: string, reason?: string): void {
        Object.assign(this.experiments.get(id)!, { status, reason });
    }

    /** Sets the switch of `region` as a minute before the test began (1 engaged, 0 released). */
    preset(region: string, value: number): void {
        this.datapoints.set(region, [{ t: NOW - MINUTE, value }]);
    }

    /**
     * The switch's value as its alarm sees it: the Maximum of the latest minute that has data
     * (the alarm ignores missing data), so a 0 in the same minute as a 1 changes nothing.
     */
    switchValue(region: string): number {
        const now = labNow();
        const past = (this.datapoints.get(region) ?? []).filter((d) => d.t <= now);
        if (past.length === 0) {
            return 0;
        }
        const minute = Math.floor(past[past.length - 1].t / MINUTE);
        return Math.max(
            ...past.filter((d) => Math.floor(d.t / MINUTE) === minute).map((d) => d.value),
        );
    }

    constructor() {
        labStarted = Date.now();
        skippedMs = 0;
        this.preset(PRIMARY, 0);
        const [cw, r53, acm, apigw, ddb, lambda, fis] = this.mocks;
        const on = <I, O>(
            mock: (typeof this.mocks)[number],
            command: { name: string },
            answer: (input: I, region: string) => O,
        ) =>
            (mock as unknown as { on(c: unknown): { callsFake(f: unknown): void } })
                .on(command)
                .callsFake(
                    async (
                        input: I,
                        getClient: () => { config: { region(): Promise<string> } },
                    ) => {
                        const region = await getClient().config.region();
                        this.calls.push(`${command.name.replace(/Command$/, "")} ${region}`);
                        if (this.down.has(region)) {
                            return new Promise(() => undefined);
                        }
                        if (this.failure) {
                            throw this.failure;
                        }
                        const name = command.name.replace(/Command$/, "");
                        if ([region, name, "all"].some((d) => this.denied.has(d))) {
                            throw Object.assign(new Error("User is not authorized"), {
                                name: "AccessDenied",
                            });
                        }
                        return answer(input, region);
                    },
                );
        const protectedBy = (input: {
            MetricData?: { Dimensions?: { Name?: string; Value?: string }[] }[];
        }) => input.MetricData?.[0]?.Dimensions?.find((d) => d.Name === "Region")?.Value ?? "";
        on(
            cw,
            PutMetricDataCommand,
            (input: ConstructorParameters<typeof PutMetricDataCommand>[0]) => {
                this.published.push(input);
                const value = input.MetricData?.[0]?.Value ?? NaN;
                const region = protectedBy(input);
                this.datapoints.set(region, [
                    ...(this.datapoints.get(region) ?? []),
                    { t: labNow(), value },
                ]);
                this.onSwitch(value);
                return {};
            },
        );
        on(cw, DescribeAlarmsCommand, (input: { AlarmNames?: string[] }, region: string) => ({
            MetricAlarms: [
                ...(input.AlarmNames ?? [])
                    .filter((n) => this.alarmNames.includes(n))
                    .map((n) => ({
                        AlarmName: n,
                        StateValue: this.switchValue(PRIMARY) ? "ALARM" : "OK",
                        Namespace: "HealthCheck",
                        MetricName: "Failover",
                        Dimensions: [
                            { Name: "Service", Value: SERVICE },
                            { Name: "Region", Value: PRIMARY },
                        ],
                    })),
                ...(input.AlarmNames ?? []).flatMap((n) => {
                    const alarm = this.peerAlarms.get(n);
                    return alarm && alarm.region === region
                        ? [
                              {
                                  AlarmName: n,
                                  StateValue: alarm.state,
                                  Namespace: "MultiRegionApi/Peers",
                                  MetricName: "PeerHealthy",
                                  Dimensions: [
                                      { Name: "Service", Value: SERVICE },
                                      { Name: "Peer", Value: alarm.peer },
                                      { Name: "Observer", Value: region },
                                  ],
                              },
                          ]
                        : [];
                }),
            ],
        }));
        on(
            cw,
            GetMetricDataCommand,
            (input: ConstructorParameters<typeof GetMetricDataCommand>[0]) => ({
                MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
                    const metric = q.MetricStat?.Metric?.MetricName;
                    // The switch metric, asked about one minute: that minute's Maximum.
                    const minute = Math.floor((input.StartTime?.getTime() ?? 0) / MINUTE);
                    const inMinute = (this.datapoints.get(PRIMARY) ?? [])
                        .filter((d) => Math.floor(d.t / MINUTE) === minute)
                        .map((d) => d.value);
                    const values =
                        metric === "Failover"
                            ? inMinute.length
                                ? [Math.max(...inMinute)]
                                : []
                            : metric === "Throttles"
                              ? [this.throttles]
                              : metric === "ReplicationLatency"
                                ? this.replicationMs === undefined
                                    ? []
                                    : [this.replicationMs]
                                : metric === "HealthCheckStatus"
                                  ? [this.switchValue(PRIMARY) ? 0 : 1]
                                  : [];
                    return {
                        Id: q.Id,
                        Values: values,
                        Timestamps: values.map(() => new Date(NOW)),
                    };
                }),
            }),
        );
        on(r53, GetHealthCheckStatusCommand, (input: { HealthCheckId?: string }) => {
            const unhealthy =
                (input.HealthCheckId === "hc-switch-us-east-1" &&
                    this.switchValue(PRIMARY) === 1) ||
                this.unhealthyChecks.has(input.HealthCheckId ?? "");
            return {
                HealthCheckObservations: ["us-east-1", "eu-west-1", "ap-southeast-1"].map(
                    (Region) => ({
                        Region,
                        IPAddress: "192.0.2.1",
                        StatusReport: {
                            Status: unhealthy
                                ? "Failure: alarm state ALARM"
                                : "Success: HTTP Status Code 200, OK",
                        },
                    }),
                ),
            };
        });
        on(acm, DescribeCertificateCommand, (input: { CertificateArn?: string }) => ({
            Certificate: {
                CertificateArn: input.CertificateArn,
                Status: "ISSUED",
                // Half a day more than the whole days, so that the test's running time does not change them.
                NotAfter: new Date(NOW + (this.certificateDays + 0.5) * 86_400_000),
                RenewalSummary: { RenewalStatus: "SUCCESS" },
            },
        }));
        on(apigw, GetDomainNameCommand, (input: { domainName?: string }) => ({
            domainName: input.domainName,
            domainNameStatus: "AVAILABLE",
        }));
        on(apigw, GetBasePathMappingsCommand, (_input: unknown, region: string) => ({
            items: [{ basePath: "(none)", restApiId: `rest-${region}`, stage: this.mappedStage }],
        }));
        on(apigw, GetResourcesCommand, (_input: unknown, region: string) => {
            const byPath = new Map<string, Record<string, object>>();
            for (const route of this.routes[region]) {
                const [method, path] = route.split(" ");
                byPath.set(path, { ...byPath.get(path), [method]: {} });
            }
            return {
                items: [...byPath].map(([path, resourceMethods]) => ({ path, resourceMethods })),
            };
        });
        on(ddb, DescribeTableCommand, (input: { TableName?: string }) => ({
            // Every region's view of the global table is the same.
            Table: {
                TableName: input.TableName,
                TableStatus: "ACTIVE",
                Replicas: [
                    { RegionName: PRIMARY, ReplicaStatus: "ACTIVE" },
                    { RegionName: SECONDARY, ReplicaStatus: this.replicaStatus },
                ],
            },
        }));
        on(lambda, GetFunctionConfigurationCommand, (_input: unknown, region: string) => ({
            CodeSha256: this.codeHash[region],
        }));
        on(lambda, GetFunctionConcurrencyCommand, () => ({
            ReservedConcurrentExecutions: this.reservedConcurrency,
        }));
        const fisCall = <I extends object, O>(
            command: { name: string },
            answer: (input: I, region: string) => O | Promise<O>,
        ) =>
            on(fis, command, (input: I, region: string) => {
                this.fisCalls.push({
                    command: command.name.replace(/Command$/, ""),
                    region,
                    input,
                });
                return answer(input, region);
            });
        const summary = (x: FakeExperiment) => ({
            id: x.id,
            experimentTemplateId: x.experimentTemplateId,
            state: { status: x.status, ...(x.reason ? { reason: x.reason } : {}) },
            creationTime: x.creationTime,
            tags: x.tags,
        });
        fisCall(
            StartExperimentCommand,
            (input: ConstructorParameters<typeof StartExperimentCommand>[0], region: string) => {
                if (this.startAnswer === "unanswered") {
                    throw Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
                }
                // Idempotent by client token, as FIS is.
                let x = [...this.experiments.values()].find(
                    (e) => input.clientToken !== undefined && e.clientToken === input.clientToken,
                );
                if (!x) {
                    x = {
                        id: `EXP${this.experiments.size + 1}`,
                        region,
                        experimentTemplateId: input.experimentTemplateId ?? "",
                        clientToken: input.clientToken,
                        tags: input.tags ?? {},
                        status: "initiating",
                        creationTime: new Date(labNow()),
                    };
                    this.experiments.set(x.id, x);
                    this.onExperiment("start", x);
                }
                if (this.startAnswer === "lost") {
                    throw Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
                }
                return { experiment: summary(x) };
            },
        );
        const found = (id: string | undefined, region: string) => {
            const x = this.experiments.get(id ?? "");
            if (!x || x.region !== region) {
                throw Object.assign(new Error("Experiment not found."), {
                    name: "ResourceNotFoundException",
                });
            }
            return x;
        };
        fisCall(GetExperimentCommand, (input: { id?: string }, region: string) => {
            const x = found(input.id, region);
            const answer = { experiment: summary(x) };
            // FIS moves on between two looks.
            x.status =
                x.status === "initiating"
                    ? "running"
                    : x.status === "stopping"
                      ? "stopped"
                      : x.status;
            return answer;
        });
        fisCall(StopExperimentCommand, (input: { id?: string }, region: string) => {
            const x = found(input.id, region);
            const failure = this.stopFailures.shift();
            if (failure?.name === "ConflictException" && x.status === "running") {
                // FIS refuses to stop an experiment that has just finished by itself.
                x.status = "completed";
                this.onExperiment("stop", x);
            }
            if (failure) {
                throw failure;
            }
            if (!["pending", "initiating", "running"].includes(x.status)) {
                throw Object.assign(
                    new Error(`Experiment ${x.id} is in a terminal state and cannot be stopped.`),
                    { name: "ConflictException" },
                );
            }
            Object.assign(x, { status: "stopping", reason: "Experiment stopped by user." });
            this.onExperiment("stop", x);
            return { experiment: summary(x) };
        });
        fisCall(ListExperimentsCommand, (_input: object, region: string) => ({
            experiments: [...this.experiments.values()]
                .filter((x) => x.region === region)
                .map(summary),
        }));
    }

    restore(): void {
        this.mocks.forEach((m) => m.restore());
    }
}

/** What a command printed. */
export interface Printed {
    out: string[];
    err: string[];
    /** Live progress lines, as a terminal would rewrite them. */
    live: string[];
}

/** Runs `multi-region-api <argv>` in-process against the lab and the fake AWS. */
export async function runCli(
    argv: string[],
    options: {
        /** The operator's answer, or what happens while the question is asked. */
        confirm?: boolean | ((question: string) => Promise<boolean>);
        interrupts?: EventEmitter;
        deadlineMs?: number;
        tty?: boolean;
    } = {},
): Promise<Printed & { code: number }> {
    const printed: Printed = { out: [], err: [], live: [] };
    const runtime: OpsRuntime = {
        context: {
            aws: new AwsClients({
                connectMs: 100,
                requestMs: 200,
                attempts: 1,
                deadlineMs: options.deadlineMs ?? 1000,
            }),
            dns: { timeoutMs: 1000 },
            probeTimeoutMs: 1000,
            now: labNow,
            minuteMarginMs: 50,
            sleep: labSleep,
            out: (line) => printed.out.push(line),
            err: (line) => printed.err.push(line),
            rewrite: (line) => printed.live.push(line),
        },
        confirm: (question) =>
            typeof options.confirm === "function"
                ? options.confirm(question)
                : Promise.resolve(options.confirm ?? false),
        interrupts: options.interrupts ?? new EventEmitter(),
        tty: options.tty ?? false,
    };
    const saved = process.exitCode;
    const code = await main(argv, runtime);
    process.exitCode = saved;
    return { ...printed, code };
}

/** `primary.json` and `secondary.json` in a temporary directory, as `--outputs` files. */
export function outputFiles(
    lab: Lab,
    change: (region: string, outputs: Record<string, unknown>) => Record<string, unknown> = (
        _r,
        o,
    ) => o,
): { paths: string[]; remove(): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mra-ops-"));
    const paths = [
        ["primary", PRIMARY],
        ["secondary", SECONDARY],
    ].map(([stack, region]) => {
        const file = path.join(dir, `${stack}.json`);
        fs.writeFileSync(file, JSON.stringify(change(region, lab.outputs(region))));
        return file;
    });
    return { paths, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** What each operator test runs against. */
export interface LabEnv {
    lab: Lab;
    aws: FakeAws;
    files: { paths: string[]; remove(): void };
}

/**
 * A fresh lab, fake AWS and outputs files for every test of the enclosing `describe`, closed
 * after it. `dnsDelayMs`: this long after each publish, the service name answers as the switch
 * reads then, as Route 53 would (no change when undefined).
 */
export function eachTestLab(dnsDelayMs?: number): LabEnv {
    const env = {} as LabEnv;
    beforeEach(async () => {
        env.lab = await Lab.start();
        env.aws = new FakeAws();
        env.files = outputFiles(env.lab);
        if (dnsDelayMs !== undefined) {
            // Route 53 follows the switch as its alarm reads it, not each value published.
            env.aws.onSwitch = () => {
                setTimeout(
                    () => env.lab.answer(env.aws.switchValue(PRIMARY) ? SECONDARY : PRIMARY),
                    dnsDelayMs,
                );
            };
        }
    });
    afterEach(async () => {
        env.aws.restore();
        await env.lab.close();
        env.files.remove();
    });
    return env;
}
