import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import {
    ArgProblems,
    DerivedName,
    LATENCY_REGIONS,
    Rule,
    TAG_VALUE_CHARACTERS,
    awsRegion,
    checkerRegions,
    dnsName,
    failureThreshold,
    healthCheckTagLimits,
    integerFrom,
    known,
    latencyRegion,
    oneOf,
    requestInterval,
    shown,
} from "./validation";
import { componentType, withPreviousType } from "./typeToken";

/** How Route 53 chooses among the regions of the routed name. */
export enum RoutingPolicy {
    /** One PRIMARY and one SECONDARY record: the secondary answers only while the primary is out. */
    Failover = "failover",
    /** One record per region: each client gets the nearest healthy region. */
    Latency = "latency",
}

/** A region's place in a failover pair (Route 53's `Failover` values). */
export enum FailoverRole {
    Primary = "PRIMARY",
    Secondary = "SECONDARY",
}

/** What the routed record is. */
export enum RoutedRecordType {
    /** An alias A record: free queries, but resolvers cache it for the target's TTL. */
    Alias = "alias",
    /** A CNAME to the regional domain name with a TTL you choose: faster failover, paid queries. */
    Cname = "CNAME",
}

/**
 * What routing needs of one region's API; `RegionalApi` implements it. The side that serves
 * `/health` defines its path and search string, so the two can never disagree.
 */
export interface RegionalEndpoint {
    /** The AWS region the endpoint runs in. */
    readonly region: pulumi.Input<string>;
    /** The routed name the endpoint serves, for example `api.example.com`. */
    readonly serviceName: pulumi.Input<string>;
    /** The public hosted zone holding `serviceName` and `regionalHostname`. */
    readonly hostedZoneId: pulumi.Input<string>;
    /** The API Gateway custom domain's regional domain name: the routed record's target. */
    readonly regionalDomainName: pulumi.Input<string>;
    /** The hosted zone id of `regionalDomainName` (API Gateway's, for alias records). */
    readonly regionalZoneId: pulumi.Input<string>;
    /** The region's own hostname, never routed between regions: the health check's target. */
    readonly regionalHostname: pulumi.Input<string>;
    /** Path of the deep health check, for example `/health`. */
    readonly healthPath: pulumi.Input<string>;
    /** Text a healthy answer contains in its first 5,120 bytes and an unhealthy one never does. */
    readonly healthSearchString: pulumi.Input<string>;
}

/** Anything with a Route 53 health check: an `AlarmHealthCheck`, for example. */
export interface HealthCheckGuard {
    /** The Route 53 health check's id. */
    readonly healthCheckId: pulumi.Input<string>;
}

/** Defaults of `FailoverDomainArgs`, in one place. */
export const FAILOVER_DOMAIN_DEFAULTS = {
    recordType: RoutedRecordType.Alias,
    /** TTL of a CNAME routed record, seconds. */
    ttl: 10,
    requestInterval: 10,
    failureThreshold: 3,
    /** Three continents, half the checker traffic of all eight regions. */
    checkerRegions: ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"],
};

/** Arguments for `FailoverDomain`. */
export interface FailoverDomainArgs {
    /** The region this record routes to: a `RegionalApi`, or any `RegionalEndpoint`. */
    readonly endpoint: RegionalEndpoint;
    /** `failover` (a PRIMARY/SECONDARY pair) or `latency` (one record per region). */
    readonly routingPolicy: RoutingPolicy;
    /** This region's role in the failover pair; failover routing only, and required there. */
    readonly failoverRole?: FailoverRole;
    /**
     * Set identifier of the routed record, unique among the records of the service name.
     * @default the failover role in lowercase (`primary`, `secondary`) or the endpoint's region
     */
    readonly setIdentifier?: string;
    /**
     * The routed record: an alias (free queries, the target's TTL) or a CNAME with `ttl`.
     * @default alias
     */
    readonly recordType?: RoutedRecordType;
    /**
     * TTL of a CNAME routed record in seconds, 1-60 (a CNAME exists to fail over faster than an
     * alias); CNAME only.
     * @default 10
     */
    readonly ttl?: number;
    /**
     * Seconds between checks from each checker: 10 (fast, an extra charge) or 30.
     * @default 10
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
     * metric alarms (`AlarmHealthCheck`). With any, the record is guarded by a CALCULATED
     * check that is healthy only while the endpoint and every guard are healthy.
     * @default none: the endpoint check guards the record alone
     */
    readonly guards?: HealthCheckGuard[];
    /**
     * Tags for the health checks (each also gets a `Name` tag; records take no tags).
     * @default no tags
     */
    readonly tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** The fields of a `RegionalEndpoint`, which `FailoverDomain` reads one by one. */
const ENDPOINT_FIELDS = [
    "region",
    "serviceName",
    "hostedZoneId",
    "regionalDomainName",
    "regionalZoneId",
    "regionalHostname",
    "healthPath",
    "healthSearchString",
] as const satisfies readonly (keyof RegionalEndpoint)[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function validateEndpoint(p: ArgProblems, args: FailoverDomainArgs): void {
    const endpoint: unknown = args.endpoint;
    if (!isObject(endpoint)) {
        p.check(
            false,
            "endpoint",
            endpoint === undefined
                ? "is required: a RegionalApi or another RegionalEndpoint"
                : `must be a RegionalApi or another RegionalEndpoint (got ${shown(endpoint)})`,
        );
        return;
    }
    const missing = ENDPOINT_FIELDS.filter(
        (f) => endpoint[f] === undefined || endpoint[f] === null,
    );
    p.check(
        missing.length === 0,
        "endpoint",
        `must be a RegionalApi or another RegionalEndpoint; it lacks ${missing.join(", ")}`,
    );
    if (missing.length > 0) {
        return;
    }
    // The endpoint's values are usually Outputs, checked once they resolve; known ones now.
    const hostname = known(endpoint.regionalHostname);
    p.check(
        hostname === undefined || hostname !== known(endpoint.serviceName),
        "endpoint",
        `regionalHostname must not be the routed name ${shown(hostname)}: Route 53 health check results would be unpredictable`,
    );
    // Known values are checked against what Route 53 takes for them; Outputs by Route 53 itself.
    p.rule(
        "endpoint.region",
        endpoint.region,
        args.routingPolicy === RoutingPolicy.Latency ? latencyRegion : awsRegion,
    );
    for (const field of ["serviceName", "regionalHostname", "regionalDomainName"] as const) {
        p.rule(`endpoint.${field}`, endpoint[field], dnsName);
    }
    for (const field of ["hostedZoneId", "regionalZoneId"] as const) {
        p.rule(`endpoint.${field}`, endpoint[field], hostedZoneId);
    }
    p.rule("endpoint.healthPath", endpoint.healthPath, healthPath);
    p.rule("endpoint.healthSearchString", endpoint.healthSearchString, searchString);
}

/** A Route 53 hosted zone id, with or without the `/hostedzone/` prefix. */
const hostedZoneId: Rule = (v) =>
    typeof v === "string" && /^(\/hostedzone\/)?[A-Z0-9]{1,32}$/.test(v)
        ? undefined
        : "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ";

/** Route 53's ResourcePath (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html). */
const healthPath: Rule = (v) =>
    typeof v === "string" && v.startsWith("/") && v.length <= 255
        ? undefined
        : 'a path starting with "/", at most 255 characters';

/** Route 53's SearchString: what a healthy answer contains, 1-255 characters. */
const searchString: Rule = (v) =>
    typeof v === "string" && v.length >= 1 && v.length <= 255 ? undefined : "1-255 characters";

/** Every argument of `FailoverDomain`; anything else is a typo, refused rather than ignored. */
const ARGUMENTS = Object.keys({
    endpoint: true,
    routingPolicy: true,
    failoverRole: true,
    setIdentifier: true,
    recordType: true,
    ttl: true,
    requestInterval: true,
    failureThreshold: true,
    checkerRegions: true,
    guards: true,
    tags: true,
} satisfies Record<keyof FailoverDomainArgs, true>);

/** The health checks' Name tags (at most 256 characters) are `<name>-endpoint`, `<name>-calculated`. */
const DERIVED_NAMES: DerivedName[] = [
    { suffix: "-calculated", what: "Name tag", maxLength: 256, autonamed: false },
];

/** Each guard once: a calculated check that lists one twice could never count all as healthy. */
function validateGuards(p: ArgProblems, guards: unknown[]): void {
    const firstIndex = new Map<unknown, number>();
    guards.forEach((g: unknown, i) => {
        if (!isObject(g) || g.healthCheckId === undefined || g.healthCheckId === null) {
            p.check(
                false,
                `guards[${i}]`,
                "must be an AlarmHealthCheck or anything with a healthCheckId",
            );
            return;
        }
        const id = known(g.healthCheckId as pulumi.Input<string>);
        const earlier = firstIndex.get(g) ?? (id === undefined ? undefined : firstIndex.get(id));
        p.check(
            earlier === undefined,
            `guards[${i}]`,
            `repeats [guards[${earlier}]]: list each health check once (a calculated check counts every child)`,
        );
        firstIndex.set(g, firstIndex.get(g) ?? i);
        if (id !== undefined) {
            firstIndex.set(id, firstIndex.get(id) ?? i);
        }
    });
    p.check(
        guards.length <= 254,
        "guards",
        "must hold at most 254 checks: a calculated check has at most 255 children",
    );
}

function validate(name: string, args: FailoverDomainArgs): void {
    const p = new ArgProblems("FailoverDomain", name);
    p.name(name, DERIVED_NAMES, TAG_VALUE_CHARACTERS);
    p.unknownKeys(args, ARGUMENTS);
    validateEndpoint(p, args);
    p.required("routingPolicy", args.routingPolicy, oneOf(Object.values(RoutingPolicy)));
    if (args.routingPolicy === RoutingPolicy.Failover) {
        p.required("failoverRole", args.failoverRole, oneOf(Object.values(FailoverRole)));
    } else if (args.routingPolicy === RoutingPolicy.Latency) {
        p.check(
            args.failoverRole === undefined,
            "failoverRole",
            "applies only to failover routing",
        );
    }
    p.rule("setIdentifier", args.setIdentifier, (v) =>
        typeof v === "string" && v.length >= 1 && v.length <= 128 ? undefined : "1-128 characters",
    );
    p.rule("recordType", args.recordType, oneOf(Object.values(RoutedRecordType)));
    if ((args.recordType ?? FAILOVER_DOMAIN_DEFAULTS.recordType) === RoutedRecordType.Cname) {
        p.rule("ttl", args.ttl, integerFrom(1, 60, " seconds"));
    } else {
        p.check(args.ttl === undefined, "ttl", "applies only to a CNAME routed record");
    }
    p.rule("requestInterval", args.requestInterval, requestInterval);
    p.rule("failureThreshold", args.failureThreshold, failureThreshold);
    p.rule("checkerRegions", args.checkerRegions, checkerRegions);
    const guards: unknown = args.guards ?? [];
    if (!Array.isArray(guards)) {
        p.check(false, "guards", `must be a list of health checks (got ${shown(guards)})`);
    } else {
        validateGuards(p, guards);
    }
    p.tags(args.tags, healthCheckTagLimits("FailoverDomain"));
    p.throwIfAny();
}

/** What the builders of a `FailoverDomain` need. */
interface Context {
    readonly name: string;
    readonly parent: FailoverDomain;
    /** The component's tags plus `Name: <name>-<suffix>`. */
    readonly tagged: (suffix: string) => pulumi.Output<{ [key: string]: string }>;
    /** An error attached to the component, for inputs known only once they resolve. */
    readonly failed: (message: string) => pulumi.ResourceError;
}

/** The endpoint check and, with guards, the CALCULATED check requiring all of them. */
function createHealthChecks(ctx: Context, args: FailoverDomainArgs) {
    const d = FAILOVER_DOMAIN_DEFAULTS;
    const endpoint = args.endpoint;
    // Route 53's results are unpredictable when a check targets the routed name
    // (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).
    const fqdn = pulumi
        .all([endpoint.regionalHostname, endpoint.serviceName])
        .apply(([hostname, service]) => {
            if (hostname === service) {
                throw ctx.failed(
                    `the endpoint's regionalHostname must not be the routed name ${shown(service)}`,
                );
            }
            return hostname;
        });
    const endpointCheck = new aws.route53.HealthCheck(
        `${ctx.name}-endpoint`,
        {
            type: "HTTPS_STR_MATCH",
            fqdn,
            port: 443,
            resourcePath: endpoint.healthPath,
            searchString: endpoint.healthSearchString,
            requestInterval: args.requestInterval ?? d.requestInterval,
            failureThreshold: args.failureThreshold ?? d.failureThreshold,
            regions: args.checkerRegions ?? d.checkerRegions,
            enableSni: true,
            tags: ctx.tagged("endpoint"),
        },
        { parent: ctx.parent },
    );
    const guards = args.guards ?? [];
    const calculated =
        guards.length > 0
            ? new aws.route53.HealthCheck(
                  `${ctx.name}-calculated`,
                  {
                      type: "CALCULATED",
                      childHealthchecks: [endpointCheck.id, ...guards.map((g) => g.healthCheckId)],
                      // AND: every child must be healthy.
                      childHealthThreshold: guards.length + 1,
                      tags: ctx.tagged("calculated"),
                  },
                  { parent: ctx.parent },
              )
            : undefined;
    return { endpoint: endpointCheck, calculated };
}

/** The routed record: an alias A record (no TTL: the target's) or a CNAME with its TTL. */
function createRecord(
    ctx: Context,
    args: FailoverDomainArgs,
    healthCheckId: pulumi.Output<string>,
) {
    const d = FAILOVER_DOMAIN_DEFAULTS;
    const endpoint = args.endpoint;
    const latency = args.routingPolicy === RoutingPolicy.Latency;
    const latencyRegion = pulumi.output(endpoint.region).apply((region) => {
        if (latency && !LATENCY_REGIONS.includes(region)) {
            throw ctx.failed(
                `Route 53 has no latency records for the endpoint's region ${shown(region)}`,
            );
        }
        return region;
    });
    const role = args.failoverRole as FailoverRole;
    const setIdentifier = pulumi.output(
        args.setIdentifier ?? (latency ? latencyRegion : role.toLowerCase()),
    );
    const target =
        (args.recordType ?? d.recordType) === RoutedRecordType.Cname
            ? { type: "CNAME", ttl: args.ttl ?? d.ttl, records: [endpoint.regionalDomainName] }
            : {
                  type: "A",
                  aliases: [
                      {
                          name: endpoint.regionalDomainName,
                          zoneId: endpoint.regionalZoneId,
                          evaluateTargetHealth: true,
                      },
                  ],
              };
    const record = new aws.route53.Record(
        `${ctx.name}-record`,
        {
            zoneId: endpoint.hostedZoneId,
            name: endpoint.serviceName,
            setIdentifier,
            healthCheckId,
            ...target,
            ...(latency
                ? { latencyRoutingPolicies: [{ region: latencyRegion }] }
                : { failoverRoutingPolicies: [{ type: role }] }),
        },
        { parent: ctx.parent },
    );
    return { record, setIdentifier };
}

/**
 * One region's membership in the routed name: an `HTTPS_STR_MATCH` health check on the region's
 * own hostname, a `CALCULATED` check that also requires every guard (operator switch, alarms) to be
 * healthy when there are guards, and the routed record (failover or latency policy) guarded by it.
 * Records and health checks are global; the inherited provider only chooses the API endpoint.
 */
export class FailoverDomain extends pulumi.ComponentResource {
    /** The `HTTPS_STR_MATCH` check on the region's own hostname. */
    public readonly endpointHealthCheck: aws.route53.HealthCheck;
    /** The `CALCULATED` check (endpoint AND every guard), when there are guards. */
    public readonly calculatedHealthCheck: aws.route53.HealthCheck | undefined;
    /** The routed record. */
    public readonly record: aws.route53.Record;
    /** Id of the check attached to the record (the calculated one if any, else the endpoint's). */
    public readonly healthCheckId: pulumi.Output<string>;
    /** The routed record's set identifier. */
    public readonly setIdentifier: pulumi.Output<string>;

    constructor(name: string, args: FailoverDomainArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before super(): bad input must fail before anything is registered.
        validate(name, args);
        super(componentType("FailoverDomain"), name, {}, withPreviousType("FailoverDomain", opts));
        const ctx: Context = {
            name,
            parent: this,
            tagged: (suffix) =>
                pulumi
                    .output(args.tags ?? {})
                    .apply((t): { [key: string]: string } => ({ ...t, Name: `${name}-${suffix}` })),
            failed: (message) =>
                new pulumi.ResourceError(`FailoverDomain "${name}": ${message}`, this, true),
        };
        const checks = createHealthChecks(ctx, args);
        this.endpointHealthCheck = checks.endpoint;
        this.calculatedHealthCheck = checks.calculated;
        this.healthCheckId = (checks.calculated ?? checks.endpoint).id;
        const routed = createRecord(ctx, args, this.healthCheckId);
        this.record = routed.record;
        this.setIdentifier = routed.setIdentifier;
        this.registerOutputs({
            healthCheckId: this.healthCheckId,
            setIdentifier: this.setIdentifier,
        });
    }
}
