// Resources as the engine describes them to the pack, shared by pack.spec.ts (engine-shaped
// arguments) and server.spec.ts (the same over gRPC).
import { T } from "../../plan/rules/values";
import { EngineResource, WIRE_UNKNOWN, urnOf } from "./engine";

/** A provider resource as the engine describes it (a default provider has the same shape). */
export const aws = (region?: string) => ({
    type: "pulumi:providers:aws",
    name: "default_7_48_0",
    props: region === undefined ? { version: "7.48.0" } : { region, version: "7.48.0" },
});

export const API_TARGET = {
    name: "d-abc123.execute-api.us-east-1.amazonaws.com",
    zoneId: "Z1UJRXOUMOOFQ8",
    evaluateTargetHealth: true,
};

/** A record `api.example.com A`, with `props` on top. */
export const record = (name: string, props: Record<string, unknown>): EngineResource => ({
    type: T.record,
    name,
    provider: aws("us-east-1"),
    props: { zoneId: "Z0123456789", name: "api.example.com", type: "A", ...props },
});

/** A PRIMARY failover alias as a program registers it at preview (ids not known yet). */
export const primary = (name: string, props: Record<string, unknown> = {}) =>
    record(name, {
        setIdentifier: name,
        failoverRoutingPolicies: [{ type: "PRIMARY" }],
        healthCheckId: WIRE_UNKNOWN.string,
        aliases: [
            { name: WIRE_UNKNOWN.string, zoneId: WIRE_UNKNOWN.string, evaluateTargetHealth: true },
        ],
        ...props,
    });

/** A DNS-validated certificate for api.example.com in `region`. */
export const certificate = (region: string): EngineResource => ({
    type: T.certificate,
    name: "cert",
    provider: aws(region),
    props: { domainName: "api.example.com", validationMethod: "DNS" },
});

/**
 * A REGIONAL custom domain in eu-west-1 using that certificate; at preview the certificate's ARN
 * is unknown, so the domain is linked to it by its dependencies.
 */
export const euDomain: EngineResource = {
    type: T.domainName,
    name: "api-domain",
    provider: aws("eu-west-1"),
    props: {
        domainName: "api.example.com",
        endpointConfiguration: { types: "REGIONAL" },
        regionalCertificateArn: WIRE_UNKNOWN.string,
    },
    dependencies: [urnOf(T.certificate, "cert")],
    propertyDependencies: { regionalCertificateArn: [urnOf(T.certificate, "cert")] },
};
