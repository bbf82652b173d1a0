import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    SWITCH_METRIC,
    AlarmHealthCheck,
    operatorSwitchArgs,
    operatorSwitchCommands,
    serverErrorGuardArgs,
} from "../components/alarmHealthCheck";
import { CHAOS_EXPERIMENTS, ChaosResources } from "../components/chaos";
import { DerivedMetricGuard, DerivedSignal } from "../components/derivedMetricGuard";
import { FailoverDomain } from "../components/failoverDomain";
import { FailoverObservability, HealthCheckRole } from "../components/failoverObservability";
import { PeerProbe } from "../components/peerProbe";
import { HEALTH_TOKEN } from "../functions/health/token";
import { RegionalApi } from "../components/regionalApi";
import { StackConfig } from "./config";

/** The providers one region is deployed with; the caller owns and names them. */
export interface RegionProviders {
    /** A provider in the region (`cfg.region`). */
    region: aws.Provider;
    /** A provider in `cfg.switchRegion`, for the operator switch; required when there is one. */
    switch?: aws.Provider;
}

/**
 * The providers of a one-region stack, named per purpose. The switch's provider asks STS in the
 * stack's own region, so an outage of the switch's region cannot stop this stack from running.
 */
export function stackProviders(cfg: StackConfig): RegionProviders {
    return {
        region: new aws.Provider(`aws-${cfg.region}`, { region: cfg.region }),
        switch: cfg.switchRegion
            ? new aws.Provider(`aws-${cfg.switchRegion}-switch`, {
                  region: cfg.switchRegion,
                  stsRegion: cfg.region,
              })
            : undefined,
    };
}

/** Everything a stack exports: what an operator needs to watch, switch and reach a region. */
export interface StackOutputs {
    region: string;
    routing: string;
    failoverRole: string | undefined;
    serviceUrl: string;
    regionalUrl: pulumi.Output<string>;
    healthUrl: pulumi.Output<string>;
    tableName: pulumi.Output<string>;
    apiFunctionName: pulumi.Output<string>;
    healthFunctionName: pulumi.Output<string>;
    restApiId: pulumi.Output<string>;
    stageName: pulumi.Output<string>;
    setIdentifier: pulumi.Output<string>;
    endpointHealthCheckId: pulumi.Output<string>;
    routedHealthCheckId: pulumi.Output<string>;
    /** Present when `serverErrorAlarm` is configured. */
    serverErrorAlarmName: pulumi.Output<string> | undefined;
    /** Present when the region has an operator switch. */
    operatorSwitch: ReturnType<typeof switchOutputs> | undefined;
    /** Present with `observability`: the region's CloudWatch dashboard. */
    dashboardUrl: pulumi.Output<string> | undefined;
    /** Present when chaos is on: what `multi-region-api drill --chaos` starts and watches. */
    chaos: ReturnType<typeof chaosOutputs> | undefined;
    hostedZoneId: pulumi.Output<string>;
    /** The zone's authoritative servers: operators ask them, past every resolver cache. */
    nameServers: pulumi.Output<string[]>;
    /** The routed record's DNS type (`A` for an alias, `CNAME`). */
    recordType: pulumi.Output<string>;
    regionalHostname: pulumi.Output<string>;
    /** The service custom domain's API Gateway target. */
    regionalDomainName: pulumi.Output<string>;
    healthSearchString: pulumi.Output<string>;
    certificateArn: pulumi.Output<string>;
    tableRegion: string;
    /** Every guard but the operator switch (empty when there is none). */
    guards: ReturnType<typeof guardOutputs>[];
}

/** What {@link deployRegion} created. */
export interface RegionDeployment {
    api: RegionalApi;
    routing: FailoverDomain;
    /** The global table, in the table's region only. */
    table: aws.dynamodb.Table | undefined;
    /** This region's replica of the global table, everywhere else. */
    replica: aws.dynamodb.TableReplica | undefined;
    operatorSwitch: AlarmHealthCheck | undefined;
    serverErrors: AlarmHealthCheck | undefined;
    outputs: StackOutputs;
}

/**
 * The global table, created in `tableRegion` (protected: `pulumi destroy` must not drop data).
 * Replicas are not listed here: each other region's stack adds its own, so a new region is a new
 * stack file and nothing else, and the table ignores the replica list it does not own.
 */
function createGlobalTable(cfg: StackConfig, provider: aws.Provider, tags: Record<string, string>) {
    return new aws.dynamodb.Table(
        "products",
        {
            name: cfg.tableName,
            billingMode: "PAY_PER_REQUEST",
            hashKey: "id",
            attributes: [{ name: "id", type: "S" }],
            // Global tables replicate through streams.
            streamEnabled: true,
            streamViewType: "NEW_AND_OLD_IMAGES",
            pointInTimeRecovery: { enabled: true },
            deletionProtectionEnabled: true,
            tags,
        },
        { provider, protect: true, ignoreChanges: ["replicas"] },
    );
}

/**
 * This region's replica of the global table in `tableRegion`. `globalTable`, when the table is
 * created by the same program, orders the replica after it.
 */
function createTableReplica(
    cfg: StackConfig,
    provider: aws.Provider,
    tags: Record<string, string>,
    globalTable: aws.dynamodb.Table | undefined,
) {
    const invoke = { provider };
    const arn =
        globalTable?.arn ??
        pulumi.interpolate`arn:${aws.getPartitionOutput({}, invoke).partition}:dynamodb:${cfg.tableRegion}:${aws.getCallerIdentityOutput({}, invoke).accountId}:table/${cfg.tableName}`;
    return new aws.dynamodb.TableReplica(
        `${cfg.region}-products-replica`,
        { globalTableArn: arn, pointInTimeRecovery: true, deletionProtectionEnabled: true, tags },
        { provider, protect: true },
    );
}

/**
 * Deploys one region from its validated configuration with the caller's providers. Every name is
 * scoped by region, so one program can deploy several regions (see examples/single-stack).
 * `globalTable`: the table, when this program also creates it in another region.
 */
export function deployRegion(
    cfg: StackConfig,
    providers: RegionProviders,
    globalTable?: aws.dynamodb.Table,
): RegionDeployment {
    if (cfg.switchRegion && !providers.switch) {
        throw new pulumi.RunError(
            `deployRegion ${cfg.region}: the operator switch lives in ${cfg.switchRegion}; pass a provider there as providers.switch`,
        );
    }
    const tags = { Service: cfg.domainName };
    const provider = providers.region;
    const opts = { providers: { aws: provider } };
    const owner = cfg.region === cfg.tableRegion;
    const table = owner ? createGlobalTable(cfg, provider, tags) : undefined;
    const replica = owner ? undefined : createTableReplica(cfg, provider, tags, globalTable);
    // The functions, and so the routes, domains and routed record, wait for the table or this
    // region's replica: a new health check counts as healthy, so a record that went live before
    // its replica existed would send clients to a region that answers 503.
    const tableName = table ? table.name : pulumi.all([replica?.arn]).apply(() => cfg.tableName);

    // Chaos: the other regions' health, watched from here, stops any experiment on this region.
    // The other regions' health, as this region sees it: stops chaos experiments, and notifies
    // when us-east-1 (Route 53's metrics) is dark.
    const peerRegions = [
        ...new Set([...(cfg.chaos?.peers ?? []), ...(cfg.observability?.peers ?? [])]),
    ];
    const peers =
        peerRegions.length > 0
            ? new PeerProbe(
                  `${cfg.region}-peers`,
                  {
                      serviceName: cfg.domainName,
                      peers: peerRegions.map((peer) => ({
                          region: peer,
                          // Each region's own hostname, as RegionalApi names it by default.
                          healthUrl: `https://${peer}.${cfg.domainName}/health`,
                          searchString: HEALTH_TOKEN,
                      })),
                      tags,
                  },
                  opts,
              )
            : undefined;
    // A chaos experiment stops on the alarms of the peers chaos names.
    const stopAlarms = (chaosPeers: string[]) =>
        peers?.alarms.filter((_, i) => chaosPeers.includes(peerRegions[i])).map((a) => a.arn) ?? [];
    const api = new RegionalApi(
        cfg.region,
        {
            serviceName: cfg.domainName,
            zoneName: cfg.zoneName,
            tableName,
            manageApiGatewayAccount: cfg.manageApiGatewayAccount,
            accessTokens: cfg.accessTokens && pulumi.secret(cfg.accessTokens),
            publicReads: cfg.publicReads,
            waf: cfg.waf,
            chaos: cfg.chaos && {
                stopAlarmArns: stopAlarms(cfg.chaos.peers),
                maxDurationMinutes: cfg.chaos.maxDurationMinutes,
                delayMilliseconds: cfg.chaos.delayMilliseconds,
            },
            tags,
        },
        opts,
    );

    const operatorSwitch =
        cfg.switchRegion && providers.switch
            ? new AlarmHealthCheck(
                  `${cfg.region}-switch`,
                  operatorSwitchArgs(
                      { service: cfg.domainName, protectedRegion: cfg.region },
                      tags,
                  ),
                  { providers: { aws: providers.switch } },
              )
            : undefined;
    const serverErrors =
        cfg.serverErrorAlarm &&
        new AlarmHealthCheck(
            `${cfg.region}-5xx`,
            serverErrorGuardArgs(api, cfg.serverErrorAlarm, tags),
            opts,
        );

    // Derived-metric guards: p99 latency and error rate, published by a bridge in this region.
    const derivedGuards = (
        [
            ["latency-p99", DerivedSignal.LatencyP99, cfg.latencyGuard],
            ["error-rate", DerivedSignal.ErrorRate, cfg.errorRateGuard],
        ] as const
    ).flatMap(([name, signal, guard]) =>
        guard
            ? [
                  {
                      name,
                      guard: new DerivedMetricGuard(
                          `${cfg.region}-${name}`,
                          {
                              serviceName: cfg.domainName,
                              apiName: api.restApi.name,
                              stageName: api.stage.stageName,
                              signal,
                              threshold: guard.threshold,
                              evaluationPeriods: guard.evaluationPeriods,
                              minimumRequests: guard.minimumRequests,
                              tags,
                          },
                          opts,
                      ),
                  },
              ]
            : [],
    );

    const guardList = [
        ...(serverErrors ? [{ name: "server-errors", guard: serverErrors }] : []),
        ...derivedGuards,
    ];
    const routing = new FailoverDomain(
        `${cfg.region}-routing`,
        {
            endpoint: api,
            routingPolicy: cfg.routing,
            failoverRole: cfg.failoverRole,
            recordType: cfg.recordType,
            ttl: cfg.recordTtl,
            requestInterval: cfg.healthCheck.requestInterval,
            failureThreshold: cfg.healthCheck.failureThreshold,
            checkerRegions: cfg.healthCheck.regions,
            guards: [
                ...[operatorSwitch, serverErrors].filter((g) => g !== undefined),
                ...derivedGuards.map((d) => d.guard),
            ],
            tags,
        },
        opts,
    );

    const observability =
        cfg.observability &&
        new FailoverObservability(
            `${cfg.region}-observability`,
            {
                serviceName: cfg.domainName,
                region: cfg.region,
                apiName: api.restApi.name,
                stageName: api.stage.stageName,
                apiFunctionName: api.apiHandler.function.name,
                healthFunctionName: api.healthHandler.function.name,
                tableName,
                tableRegion: cfg.tableRegion,
                // Every replica replicates to every other: each other region of the service
                // (the table's own and the peers) sends to this one.
                replicaRegions: [...new Set([cfg.tableRegion, ...cfg.observability.peers])].filter(
                    (r) => r !== cfg.region,
                ),
                certificateArn: api.certificateArn,
                checks: [
                    {
                        role: HealthCheckRole.Endpoint,
                        healthCheckId: routing.endpointHealthCheck.id,
                    },
                    { role: HealthCheckRole.Routed, healthCheckId: routing.healthCheckId },
                    ...(operatorSwitch
                        ? [
                              {
                                  role: HealthCheckRole.Switch,
                                  healthCheckId: operatorSwitch.healthCheckId,
                              },
                          ]
                        : []),
                    ...guardList.map((g) => ({
                        role: HealthCheckRole.Guard,
                        label: g.name,
                        healthCheckId: g.guard.healthCheckId,
                    })),
                ],
                switchMetric:
                    operatorSwitch && cfg.switchRegion
                        ? {
                              region: cfg.switchRegion,
                              namespace: SWITCH_METRIC.namespace,
                              metricName: SWITCH_METRIC.metricName,
                              dimensions: { Service: cfg.domainName, Region: cfg.region },
                          }
                        : undefined,
                alarms: [
                    ...(operatorSwitch && cfg.switchRegion
                        ? [{ region: cfg.switchRegion, arn: operatorSwitch.alarm.arn }]
                        : []),
                    ...guardList.map((g) => ({ region: cfg.region, arn: g.guard.alarm.arn })),
                    ...(peers?.alarms.map((a) => ({ region: cfg.region, arn: a.arn })) ?? []),
                ],
                peerAlarms:
                    peers?.alarms
                        .map((a, i) => ({ peer: peerRegions[i], arn: a.arn }))
                        .filter((a) => cfg.observability?.peers.includes(a.peer)) ?? [],
                notifications: {
                    emails: cfg.observability.emails,
                    httpsEndpoints: cfg.observability.httpsEndpoints,
                    topicArns: cfg.observability.topicArns,
                },
                tags,
            },
            opts,
        );

    const outputs: StackOutputs = {
        region: cfg.region,
        routing: cfg.routing,
        failoverRole: cfg.failoverRole,
        serviceUrl: `https://${cfg.domainName}`,
        regionalUrl: pulumi.interpolate`https://${api.regionalHostname}`,
        healthUrl: api.healthUrl,
        tableName,
        apiFunctionName: api.apiHandler.function.name,
        healthFunctionName: api.healthHandler.function.name,
        restApiId: api.restApi.id,
        stageName: api.stage.stageName,
        setIdentifier: routing.setIdentifier,
        endpointHealthCheckId: routing.endpointHealthCheck.id,
        routedHealthCheckId: routing.healthCheckId,
        serverErrorAlarmName: serverErrors?.alarm.name,
        operatorSwitch: operatorSwitch && switchOutputs(operatorSwitch),
        chaos:
            cfg.chaos &&
            api.chaos &&
            chaosOutputs(
                cfg,
                api.chaos,
                // The alarms of the peers chaos names, by position (alarm names are autonamed).
                peers?.alarms.filter((_, i) => cfg.chaos?.peers.includes(peerRegions[i])) ?? [],
            ),
        dashboardUrl: observability?.dashboardUrl,
        hostedZoneId: api.hostedZoneId,
        nameServers: api.nameServers,
        // The record's own type: the config's `alias` is an A record in DNS.
        recordType: routing.record.type,
        regionalHostname: api.regionalHostname,
        regionalDomainName: api.regionalDomainName,
        healthSearchString: api.healthSearchString,
        certificateArn: api.certificateArn,
        tableRegion: cfg.tableRegion,
        guards: guardList.map((g) => guardOutputs(g.name, g.guard)),
    };
    return { api, routing, table, replica, operatorSwitch, serverErrors, outputs };
}

/** How an operator finds a guard's alarm and health check; `name` stays stable across updates. */
function guardOutputs(
    name: string,
    guard: Pick<AlarmHealthCheck, "alarm" | "alarmRegion" | "healthCheckId">,
) {
    return {
        name,
        alarmName: guard.alarm.name,
        alarmRegion: guard.alarmRegion,
        healthCheckId: guard.healthCheckId,
    };
}

/** The chaos experiments of a region and what stops them. */
function chaosOutputs(
    cfg: StackConfig,
    chaos: ChaosResources,
    stopAlarms: aws.cloudwatch.MetricAlarm[],
) {
    return {
        region: cfg.region,
        bucket: chaos.bucket.bucket,
        maxDurationMinutes: cfg.chaos?.maxDurationMinutes,
        // Only the peers chaos names stop its experiments (observability may watch more).
        stopAlarmNames: pulumi.all(stopAlarms.map((a) => a.name)),
        experiments: {
            [CHAOS_EXPERIMENTS.apiFails]: chaos.apiFails.id,
            [CHAOS_EXPERIMENTS.slow]: chaos.slow.id,
        },
    };
}

/** How an operator finds, flips and watches a switch (publishing 1 engages it, 0 releases it). */
function switchOutputs(sw: AlarmHealthCheck) {
    const commands = operatorSwitchCommands(sw);
    return {
        region: sw.alarmRegion,
        namespace: sw.namespace,
        metricName: sw.metricName,
        dimensions: sw.dimensions,
        alarmName: sw.alarm.name,
        healthCheckId: sw.healthCheckId,
        engage: commands.engage,
        release: commands.release,
    };
}
