// Both regions of the failover pair from one program and one stack: the same wiring as the
// two-stack program, called once per region with this program's own providers. Simpler to run;
// the price is that an outage of either region blocks `pulumi up` of both (the two-stack program
// keeps each region deployable on its own).
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../stack/config";
import { deployRegion } from "../../stack/deploy";

const config = new pulumi.Config();
const shared = {
    domainName: config.require("domainName"),
    zoneName: config.require("zoneName"),
    tableRegion: "us-east-1",
};
const regionConfig = (settings: Record<string, string>) =>
    parseStackConfig({ ...shared, ...settings });

const useast1 = new aws.Provider("us-east-1", { region: "us-east-1" });
const euwest1 = new aws.Provider("eu-west-1", { region: "eu-west-1" });

const primary = deployRegion(
    regionConfig({ "aws:region": "us-east-1", failoverRole: "PRIMARY", switchRegion: "eu-west-1" }),
    // The primary's switch lives in eu-west-1, so failing over never needs us-east-1.
    { region: useast1, switch: euwest1 },
);
const secondary = deployRegion(
    regionConfig({ "aws:region": "eu-west-1", failoverRole: "SECONDARY" }),
    { region: euwest1 },
    primary.table,
);

export const serviceUrl = primary.outputs.serviceUrl;
export const regions = {
    [primary.outputs.region]: primary.outputs,
    [secondary.outputs.region]: secondary.outputs,
};
