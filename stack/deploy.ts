import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { metrics as apiGatewayMetrics } from "@pulumi/awsx/classic/apigateway/metrics";
import { AlarmHealthCheck, operatorSwitchArgs } from "../components/alarmHealthCheck";
import { FailoverDomain } from "../components/failoverDomain";
import { RegionalApi } from "../components/regionalApi";
import { ServerErrorAlarm, StackConfig } from "./config";

/**
 * The global table: created by the primary stack with replicas in the other regions, where the
 * secondary stack's functions use it by the same name. Protected: `pulumi destroy` must not drop data.
 */
function globalTable(cfg: StackConfig, provider: aws.Provider): aws.dynamodb.Table {
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
            replicas: cfg.replicaRegions.map((regionName) => ({
                regionName,
                pointInTimeRecovery: true,
                deletionProtectionEnabled: true,
            })),
        },
        { provider, protect: true },
    );
}

/**
 * A guard that takes the region out while its API answers too many 5XX errors. The metric comes
 * from awsx's API Gateway metric helpers; Average of 5XXError is the error rate. No traffic means
 * no data, which counts as healthy (the passive region of a failover pair has no traffic).
 */
function serverErrorGuard(
    api: RegionalApi,
    region: string,
    alarm: ServerErrorAlarm,
    provider: aws.Provider,
): AlarmHealthCheck {
    const metric = apiGatewayMetrics
        .error5XX()
        .withDimensions({ ApiName: api.restApiName, Stage: api.stageName });
    return new AlarmHealthCheck(
        `${region}-5xx`,
        {
            namespace: metric.namespace,
            metricName: metric.name,
            dimensions: metric.dimensions as pulumi.Output<Record<string, string>>,
            statistic: "Average",
            period: 60,
            evaluationPeriods: alarm.evaluationPeriods,
            threshold: alarm.threshold,
            treatMissingData: "notBreaching",
            insufficientDataHealthStatus: "Healthy",
            alarmDescription: `5XX error rate of the API in ${region}; takes the region out of DNS while it breaches.`,
        },
        { providers: { aws: provider } },
    );
}

/** Everything a stack exports: what an operator needs to watch, switch and reach each region. */
export interface StackOutputs {
    region: string;
    role: string;
    routing: string;
    serviceUrl: string;
    regionalUrl: pulumi.Output<string>;
    healthUrl: pulumi.Output<string>;
    tableName: pulumi.Output<string>;
    apiFunctionName: pulumi.Output<string>;
    healthFunctionName: pulumi.Output<string>;
    restApiId: pulumi.Output<string>;
    stageName: pulumi.Output<string>;
    recordSetIdentifier: string;
    endpointHealthCheckId: pulumi.Output<string>;
    routedHealthCheckId: pulumi.Output<string>;
    /** Present when `serverErrorAlarm` is configured. */
    serverErrorAlarmName?: pulumi.Output<string>;
    /** Present when the stack has an operator switch. */
    operatorSwitch?: {
        region: pulumi.Output<string>;
        namespace: pulumi.Output<string>;
        metricName: pulumi.Output<string>;
        dimensions: pulumi.Output<Record<string, string>>;
        alarmName: pulumi.Output<string>;
        healthCheckId: pulumi.Output<string>;
        engage: pulumi.Output<string>;
        release: pulumi.Output<string>;
    };
}

/** How an operator finds, flips and watches a switch (publishing 1 engages it, 0 releases it). */
function switchOutputs(sw: AlarmHealthCheck, cfg: StackConfig): StackOutputs["operatorSwitch"] {
    const put = (value: 0 | 1) =>
        pulumi.interpolate`aws cloudwatch put-metric-data --region ${sw.alarmRegion} --namespace ${sw.namespace} --metric-name ${sw.metricName} --dimensions Service=${cfg.domainName},Region=${cfg.region} --value ${value}`;
    return {
        region: sw.alarmRegion,
        namespace: sw.namespace,
        metricName: sw.metricName,
        dimensions: sw.dimensions,
        alarmName: sw.alarmName,
        healthCheckId: sw.healthCheckId,
        engage: put(1),
        release: put(0),
    };
}

/** Deploys one stack (one region) from its validated configuration. */
export function deployStack(cfg: StackConfig): StackOutputs {
    // Explicit providers only (`pulumi:disable-default-providers` is set in Pulumi.yaml).
    const provider = new aws.Provider(`aws-${cfg.region}`, { region: cfg.region });

    const tableName =
        cfg.role === "primary" ? globalTable(cfg, provider).name : pulumi.output(cfg.tableName);

    const api = new RegionalApi(
        cfg.region,
        {
            serviceName: cfg.domainName,
            zoneName: cfg.zoneName,
            tableName,
            manageApiGatewayAccount: cfg.manageApiGatewayAccount,
        },
        { providers: { aws: provider } },
    );

    // The switch lives outside the region it protects, so failing over needs only that other region.
    const operatorSwitch = cfg.switchRegion
        ? new AlarmHealthCheck(
              `${cfg.region}-switch`,
              operatorSwitchArgs({ service: cfg.domainName, protectedRegion: cfg.region }),
              {
                  providers: {
                      // STS in the stack's own region: an outage of the switch's region must
                      // not stop this stack from configuring its providers.
                      aws: new aws.Provider(`aws-${cfg.switchRegion}`, {
                          region: cfg.switchRegion,
                          stsRegion: cfg.region,
                      }),
                  },
              },
          )
        : undefined;

    const serverErrors =
        cfg.serverErrorAlarm && serverErrorGuard(api, cfg.region, cfg.serverErrorAlarm, provider);
    const guards = [operatorSwitch, serverErrors].flatMap((g) => (g ? [g.healthCheckId] : []));

    const routing = new FailoverDomain(
        `${cfg.region}-routing`,
        {
            serviceName: cfg.domainName,
            zoneName: cfg.zoneName,
            routingPolicy: cfg.routing,
            ...(cfg.routing === "failover"
                ? {
                      failoverRole:
                          cfg.role === "primary" ? ("PRIMARY" as const) : ("SECONDARY" as const),
                  }
                : { latencyRegion: cfg.region }),
            aliasTargetName: api.serviceTargetDomainName,
            aliasTargetZoneId: api.serviceTargetZoneId,
            healthCheckFqdn: api.regionalHostname,
            healthCheckPath: api.healthPath,
            searchString: api.healthSearchString,
            requestInterval: cfg.healthCheck.requestInterval,
            failureThreshold: cfg.healthCheck.failureThreshold,
            checkerRegions: cfg.healthCheck.regions,
            guardHealthCheckIds: guards,
        },
        { providers: { aws: provider } },
    );

    return {
        region: cfg.region,
        role: cfg.role,
        routing: cfg.routing,
        serviceUrl: `https://${cfg.domainName}`,
        regionalUrl: pulumi.interpolate`https://${api.regionalHostname}`,
        healthUrl: api.healthUrl,
        tableName,
        apiFunctionName: api.apiFunctionName,
        healthFunctionName: api.healthFunctionName,
        restApiId: api.restApiId,
        stageName: api.stageName,
        recordSetIdentifier: routing.setIdentifier,
        endpointHealthCheckId: routing.endpointHealthCheckId,
        routedHealthCheckId: routing.healthCheckId,
        operatorSwitch: operatorSwitch && switchOutputs(operatorSwitch, cfg),
        serverErrorAlarmName: serverErrors?.alarmName,
    };
}
