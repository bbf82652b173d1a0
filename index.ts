// The Pulumi program: read and validate this stack's configuration, deploy its region with
// providers named per purpose, export what operators need.
import { loadStackConfig } from "./stack/config";
import { deployRegion, stackProviders } from "./stack/deploy";

const cfg = loadStackConfig();

export const {
    region,
    routing,
    failoverRole,
    serviceUrl,
    regionalUrl,
    healthUrl,
    tableName,
    apiFunctionName,
    healthFunctionName,
    restApiId,
    stageName,
    setIdentifier,
    endpointHealthCheckId,
    routedHealthCheckId,
    serverErrorAlarmName,
    operatorSwitch,
    hostedZoneId,
    nameServers,
    recordType,
    regionalHostname,
    regionalDomainName,
    healthSearchString,
    certificateArn,
    tableRegion,
    guards,
    chaos,
    dashboardUrl,
} = deployRegion(cfg, stackProviders(cfg)).outputs;
