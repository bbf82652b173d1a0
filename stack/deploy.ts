import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RegionalApi } from "../components/regionalApi";
import { StackConfig } from "./config";

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

/** Everything a stack exports. */
export interface StackOutputs {
    region: string;
    role: string;
    routing: string;
    serviceUrl: pulumi.Output<string>;
    regionalUrl: pulumi.Output<string>;
    healthUrl: pulumi.Output<string>;
    tableName: pulumi.Output<string>;
    apiFunctionName: pulumi.Output<string>;
    healthFunctionName: pulumi.Output<string>;
    restApiId: pulumi.Output<string>;
    stageName: pulumi.Output<string>;
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

    return {
        region: cfg.region,
        role: cfg.role,
        routing: cfg.routing,
        serviceUrl: pulumi.output(`https://${cfg.domainName}`),
        regionalUrl: pulumi.interpolate`https://${api.regionalHostname}`,
        healthUrl: api.healthUrl,
        tableName,
        apiFunctionName: api.apiFunctionName,
        healthFunctionName: api.healthFunctionName,
        restApiId: api.restApiId,
        stageName: api.stageName,
    };
}
