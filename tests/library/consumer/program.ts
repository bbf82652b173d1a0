// A Pulumi program in another project, using the packed library exactly as a user would.
import * as aws from "@pulumi/aws";
import {
    AlarmHealthCheck,
    FailoverDomain,
    RegionalApi,
    RegionalApiArgs,
    operatorSwitchArgs,
} from "multi-region-api";

const useast1 = new aws.Provider("use1", { region: "us-east-1" });
const euwest1 = new aws.Provider("euw1", { region: "eu-west-1" });

const args: RegionalApiArgs = {
    serviceName: "shop.example.net",
    zoneName: "example.net",
    tableName: "orders",
};
const api = new RegionalApi("shop", args, { providers: { aws: useast1 } });
const drain = new AlarmHealthCheck(
    "shop-switch",
    operatorSwitchArgs({ service: "shop.example.net", protectedRegion: "us-east-1" }),
    { providers: { aws: euwest1 } },
);
const routing = new FailoverDomain(
    "shop-routing",
    {
        serviceName: "shop.example.net",
        zoneName: "example.net",
        routingPolicy: "failover",
        failoverRole: "PRIMARY",
        aliasTargetName: api.serviceTargetDomainName,
        aliasTargetZoneId: api.serviceTargetZoneId,
        healthCheckFqdn: api.regionalHostname,
        guardHealthCheckIds: [drain.healthCheckId],
    },
    { providers: { aws: useast1 } },
);

export const healthCheckId = routing.healthCheckId;
export const healthUrl = api.healthUrl;
