// A Pulumi program in another project, using the packed library exactly as a user would: both
// regions of a failover pair in one program, connected by object.
import * as aws from "@pulumi/aws";
import {
    AlarmHealthCheck,
    FailoverDomain,
    FailoverRole,
    RegionalApi,
    RegionalApiArgs,
    RoutingPolicy,
    operatorSwitchArgs,
    operatorSwitchCommands,
    serverErrorGuardArgs,
} from "multi-region-api";

const useast1 = new aws.Provider("use1", { region: "us-east-1" });
const euwest1 = new aws.Provider("euw1", { region: "eu-west-1" });
const tags = { team: "shop" };

const args: RegionalApiArgs = {
    serviceName: "shop.example.net",
    zoneName: "example.net",
    tableName: "orders",
    tags,
};
const east = new RegionalApi("shop-east", args, { providers: { aws: useast1 } });
const west = new RegionalApi("shop-west", args, { providers: { aws: euwest1 } });

const drain = new AlarmHealthCheck(
    "shop-east-switch",
    operatorSwitchArgs({ service: "shop.example.net", protectedRegion: "us-east-1" }, tags),
    { providers: { aws: euwest1 } },
);
const errors = new AlarmHealthCheck(
    "shop-east-5xx",
    serverErrorGuardArgs(east, { threshold: 0.05, evaluationPeriods: 3 }, tags),
    { providers: { aws: useast1 } },
);
const primary = new FailoverDomain(
    "shop-east-routing",
    {
        endpoint: east,
        routingPolicy: RoutingPolicy.Failover,
        failoverRole: FailoverRole.Primary,
        guards: [drain, errors],
        tags,
    },
    { providers: { aws: useast1 } },
);
const secondary = new FailoverDomain(
    "shop-west-routing",
    { endpoint: west, routingPolicy: RoutingPolicy.Failover, failoverRole: FailoverRole.Secondary },
    { providers: { aws: euwest1 } },
);

export const healthCheckIds = [primary.healthCheckId, secondary.healthCheckId];
export const healthUrl = east.healthUrl;
export const engage = operatorSwitchCommands(drain).engage;
