import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_TOKEN } from "../functions/health/token";
import {
    ArgProblems,
    HEALTH_CHECKER_REGIONS,
    LATENCY_REGIONS,
    isDnsName,
    isInZone,
    known,
    shown,
} from "./validation";

export type RoutingPolicy = "failover" | "latency";
export type FailoverRole = "PRIMARY" | "SECONDARY";

/** Checker regions used when none are given: three continents, fewer requests than all eight. */
export const DEFAULT_CHECKER_REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"];

/** Arguments for {@link FailoverDomain}. */
export interface FailoverDomainArgs {
    /** The routed name, for example `api.example.com`. */
    readonly serviceName: string;
    /** Public hosted zone that holds `serviceName`; looked up by name, never created. */
    readonly zoneName: string;
    /** `failover` (PRIMARY/SECONDARY pair) or `latency` (one record per region). */
    readonly routingPolicy: RoutingPolicy;
    /** This region's role in the failover pair (failover routing only). */
    readonly failoverRole?: FailoverRole;
    /** The region this record answers for (latency routing only), for example `eu-west-1`. */
    readonly latencyRegion?: string;
    /**
     * Set identifier of the routed record, unique among the records of `serviceName`.
     * @default the failover role in lowercase (`primary`, `secondary`) or the latency region
     */
    readonly setIdentifier?: string;
    /** Alias target: the regional domain name of the region's custom domain for `serviceName`. */
    readonly aliasTargetName: pulumi.Input<string>;
    /** Alias target's hosted zone id: the same custom domain's regional zone id. */
    readonly aliasTargetZoneId: pulumi.Input<string>;
    /**
     * Also require the alias target (the regional API Gateway service) to be healthy. The health
     * check, not this, is what detects failures of the API itself.
     * @default true
     */
    readonly evaluateTargetHealth?: boolean;
    /** The region's own hostname, which the endpoint health check requests; never `serviceName`. */
    readonly healthCheckFqdn: pulumi.Input<string>;
    /**
     * Path of the deep health check.
     * @default "/health"
     */
    readonly healthCheckPath?: string;
    /**
     * Text a healthy answer contains within its first 5,120 bytes (case-sensitive, ≤ 255 chars).
     * @default the health handler's token
     */
    readonly searchString?: string;
    /**
     * Seconds between checks from each checker: 10 (fast, an extra charge) or 30.
     * @default 10, for fast failover
     */
    readonly requestInterval?: number;
    /**
     * Consecutive failures (and successes) that change the status: 1-10.
     * @default 3, so one slow answer does not fail the region over
     */
    readonly failureThreshold?: number;
    /**
     * Route 53 checker regions: at least 3 of the 8 allowed.
     * @default us-east-1, us-west-2, eu-west-1, ap-southeast-1
     */
    readonly checkerRegions?: string[];
    /**
     * Health checks that take this record out of service while unhealthy: operator switches,
     * metric alarms ({@link AlarmHealthCheck}). With any, the record is guarded by a CALCULATED
     * check that is healthy only while the endpoint and every one of these is healthy.
     * @default none: the endpoint check guards the record alone
     */
    readonly guardHealthCheckIds?: pulumi.Input<string>[];
}

/** Validates a {@link FailoverDomain}'s plain arguments against Route 53's rules. */
export function validateFailoverDomainArgs(name: string, args: FailoverDomainArgs): void {
    const p = new ArgProblems("FailoverDomain", name);
    p.check(
        isDnsName(args.zoneName ?? ""),
        `[zoneName] must be a lowercase DNS name without a trailing dot (got ${shown(args.zoneName)})`,
    );
    p.check(
        isDnsName(args.serviceName ?? "") && isInZone(args.serviceName, args.zoneName),
        `[serviceName] must be a lowercase DNS name inside zone ${shown(args.zoneName)} (got ${shown(args.serviceName)})`,
    );
    if (args.routingPolicy === "failover") {
        p.check(
            args.failoverRole === "PRIMARY" || args.failoverRole === "SECONDARY",
            `[failoverRole] must be "PRIMARY" or "SECONDARY" with failover routing (got ${shown(args.failoverRole)})`,
        );
        p.check(
            args.latencyRegion === undefined,
            `[latencyRegion] applies only to latency routing`,
        );
    } else if (args.routingPolicy === "latency") {
        p.check(
            (LATENCY_REGIONS as readonly string[]).includes(args.latencyRegion ?? ""),
            `[latencyRegion] must be a Route 53 latency region (${LATENCY_REGIONS.join(", ")}) with latency routing (got ${shown(args.latencyRegion)})`,
        );
        p.check(args.failoverRole === undefined, `[failoverRole] applies only to failover routing`);
    } else {
        p.check(
            false,
            `[routingPolicy] must be "failover" or "latency" (got ${shown(args.routingPolicy)})`,
        );
    }
    if (args.setIdentifier !== undefined) {
        p.check(
            args.setIdentifier.length >= 1 && args.setIdentifier.length <= 128,
            `[setIdentifier] must be 1-128 characters (got ${shown(args.setIdentifier)})`,
        );
    }
    const fqdn = known(args.healthCheckFqdn);
    if (fqdn !== undefined) {
        p.check(
            fqdn !== args.serviceName,
            `[healthCheckFqdn] must not be the routed name ${shown(args.serviceName)}: Route 53 health check results would be unpredictable; use the region's own hostname`,
        );
        p.check(
            isDnsName(fqdn),
            `[healthCheckFqdn] must be a lowercase DNS name (got ${shown(fqdn)})`,
        );
    }
    if (args.healthCheckPath !== undefined) {
        p.check(
            /^\/\S{0,254}$/.test(args.healthCheckPath),
            `[healthCheckPath] must start with "/" and have at most 255 characters without spaces (got ${shown(args.healthCheckPath)})`,
        );
    }
    if (args.searchString !== undefined) {
        p.check(
            args.searchString.length >= 1 && args.searchString.length <= 255,
            `[searchString] must be 1-255 characters (got ${shown(args.searchString)})`,
        );
    }
    if (args.requestInterval !== undefined) {
        p.check(
            args.requestInterval === 10 || args.requestInterval === 30,
            `[requestInterval] must be 10 or 30 seconds, the only intervals Route 53 offers (got ${shown(args.requestInterval)})`,
        );
    }
    if (args.failureThreshold !== undefined) {
        p.check(
            Number.isInteger(args.failureThreshold) &&
                args.failureThreshold >= 1 &&
                args.failureThreshold <= 10,
            `[failureThreshold] must be an integer from 1 to 10 (got ${shown(args.failureThreshold)})`,
        );
    }
    if (args.checkerRegions !== undefined) {
        const regions = args.checkerRegions;
        p.check(
            Array.isArray(regions) &&
                regions.length >= 3 &&
                new Set(regions).size === regions.length &&
                regions.every((r) => (HEALTH_CHECKER_REGIONS as readonly string[]).includes(r)),
            `[checkerRegions] must be at least 3 distinct Route 53 checker regions from ${HEALTH_CHECKER_REGIONS.join(", ")} (got ${shown(regions)})`,
        );
    }
    if (args.guardHealthCheckIds !== undefined) {
        p.check(
            args.guardHealthCheckIds.length <= 254,
            `[guardHealthCheckIds] must hold at most 254 checks: a calculated check has at most 255 children`,
        );
    }
    p.throwIfAny();
}

/**
 * One region's membership in the routed name: an `HTTPS_STR_MATCH` health check on the region's
 * own hostname, optionally a `CALCULATED` check that also requires every guard (operator switch,
 * alarms) to be healthy, and the routed alias A record (failover or latency policy) guarded by it.
 * Records and health checks are global; the inherited provider only chooses the API endpoint.
 */
export class FailoverDomain extends pulumi.ComponentResource {
    public readonly endpointHealthCheckId: pulumi.Output<string>;
    /** The calculated check, when guards were given. */
    public readonly calculatedHealthCheckId: pulumi.Output<string | undefined>;
    /** The check attached to the record (calculated if any, else endpoint). */
    public readonly healthCheckId: pulumi.Output<string>;
    public readonly recordFqdn: pulumi.Output<string>;
    public readonly setIdentifier: string;

    constructor(name: string, args: FailoverDomainArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multiregion:index:FailoverDomain", name, {}, opts);
        validateFailoverDomainArgs(name, args);

        const zone = aws.route53.getZoneOutput(
            { name: args.zoneName, privateZone: false },
            { parent: this },
        );
        const serviceName = args.serviceName;
        // Only an Output can still be the routed name here; plain values were validated above.
        const fqdn = pulumi.output(args.healthCheckFqdn).apply((f) => {
            if (f === serviceName) {
                throw new pulumi.ResourceError(
                    `FailoverDomain "${name}": [healthCheckFqdn] must not be the routed name "${serviceName}"`,
                    this,
                );
            }
            return f;
        });
        const endpoint = new aws.route53.HealthCheck(
            `${name}-endpoint`,
            {
                type: "HTTPS_STR_MATCH",
                fqdn,
                port: 443,
                resourcePath: args.healthCheckPath ?? "/health",
                searchString: args.searchString ?? HEALTH_TOKEN,
                requestInterval: args.requestInterval ?? 10,
                failureThreshold: args.failureThreshold ?? 3,
                regions: args.checkerRegions ?? DEFAULT_CHECKER_REGIONS,
                enableSni: true,
                tags: { Name: `${name}-endpoint` },
            },
            { parent: this },
        );
        const guards = args.guardHealthCheckIds ?? [];
        const calculated =
            guards.length > 0
                ? new aws.route53.HealthCheck(
                      `${name}-calculated`,
                      {
                          type: "CALCULATED",
                          childHealthchecks: [endpoint.id, ...guards],
                          // AND: every child must be healthy.
                          childHealthThreshold: guards.length + 1,
                          tags: { Name: `${name}-calculated` },
                      },
                      { parent: this },
                  )
                : undefined;
        const guard = calculated ?? endpoint;

        this.setIdentifier =
            args.setIdentifier ??
            (args.routingPolicy === "failover"
                ? (args.failoverRole as FailoverRole).toLowerCase()
                : (args.latencyRegion as string));
        const record = new aws.route53.Record(
            `${name}-record`,
            {
                zoneId: zone.zoneId,
                name: serviceName,
                type: "A",
                setIdentifier: this.setIdentifier,
                healthCheckId: guard.id,
                aliases: [
                    {
                        name: args.aliasTargetName,
                        zoneId: args.aliasTargetZoneId,
                        evaluateTargetHealth: args.evaluateTargetHealth ?? true,
                    },
                ],
                ...(args.routingPolicy === "failover"
                    ? { failoverRoutingPolicies: [{ type: args.failoverRole as FailoverRole }] }
                    : { latencyRoutingPolicies: [{ region: args.latencyRegion as string }] }),
            },
            { parent: this },
        );

        this.endpointHealthCheckId = endpoint.id;
        this.calculatedHealthCheckId = calculated ? calculated.id : pulumi.output(undefined);
        this.healthCheckId = guard.id;
        this.recordFqdn = record.fqdn;
        this.registerOutputs({
            endpointHealthCheckId: this.endpointHealthCheckId,
            calculatedHealthCheckId: this.calculatedHealthCheckId,
            healthCheckId: this.healthCheckId,
            recordFqdn: this.recordFqdn,
            setIdentifier: this.setIdentifier,
        });
    }
}
