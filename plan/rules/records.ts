// Rules for Route 53 records (`aws.route53.Record`): failover pairs, routing policies, set
// identifiers, alias targets, latency regions and TTLs. Records of one name and type are grouped by
// hosted zone id, DNS name (lowercase, no trailing dot; a name relative to its zone is compared as
// given) and type. Unknown values never produce a finding.
import { customDomainName } from "./apisLinks";
import {
    checkType,
    childIds,
    isEndpointType,
    referencedChecks,
    routingPolicyOf,
} from "./healthChecksModel";
import { GroupRule, ResourceRule, ResourceSnapshot, Rule, isUnknown } from "./types";
import {
    ApiDomain,
    CLOUDFRONT_ZONE_ID,
    aliasOf,
    apiDomainsIn,
    counted,
    dependsOnApiDomainOnly,
    domainsBehind,
    executeApiRegion,
    failoverRoleOf,
    groupRecords,
    guardOf,
    hasHealthCheck,
    identityOf,
    isCloudFrontHost,
    latencyRegionOf,
    mightShareIdentity,
    policiesOf,
    setsPolicy,
    titleOf,
    titled,
    valuesOf,
    zoneIdKey,
} from "./recordsView";
import {
    LATENCY_REGIONS,
    T,
    dnsName,
    executeApiHost,
    given,
    groupBy,
    isSet,
    label,
    labels,
    listed,
    num,
    ofType,
    shown,
} from "./values";

const DOCS = {
    recordSet: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html",
    aliasTarget: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html",
    failoverValues:
        "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover.html",
    choosingRecords:
        "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html",
    apiGatewayFailover:
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/dns-failover.html",
    latency:
        "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-latency.html",
    recordTypes:
        "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/ResourceRecordTypes.html",
};

type Found = { resource: ResourceSnapshot; message: string };

const records = (resources: readonly ResourceSnapshot[]) => ofType(resources, T.record);

// ---- Failover ----------------------------------------------------------------------------------

const ROLES = ["PRIMARY", "SECONDARY"];

/** Failover types other than PRIMARY and SECONDARY (Route 53's values are case-sensitive). */
function invalidRoles(failover: readonly ResourceSnapshot[]): Found[] {
    return failover.flatMap((r) => {
        const role = failoverRoleOf(r);
        return typeof role === "string" && !ROLES.includes(role)
            ? [
                  {
                      resource: r,
                      message: `${titled("Failover record", r)} has failover type ${shown(role)}: Route 53 accepts only PRIMARY or SECONDARY, so the deploy fails. Write PRIMARY or SECONDARY, in capitals.`,
                  },
              ]
            : [];
    });
}

/**
 * Two records of one role: Route 53 keeps one pair per name and type. `missingOther`: the other
 * role certainly has no record, which the same message then says (one statement per record).
 */
function duplicateRoles(
    title: string,
    failover: readonly ResourceSnapshot[],
    missingOther: boolean,
): Found[] {
    return ROLES.flatMap((role) => {
        const same = failover.filter((r) => failoverRoleOf(r) === role);
        const other = ROLES.find((o) => o !== role)!;
        const hasOther = failover.some((r) => failoverRoleOf(r) === other);
        return same.length < 2
            ? []
            : same.map((r) => ({
                  resource: r,
                  message:
                      missingOther && !hasOther
                          ? `${title} has ${counted(same.length)} ${role} failover records (${labels(same)}) and no ${other} anywhere in the deployment: Route 53 rejects the second ${role}, and nothing is left to fail over to. Make one of them the ${other} (the other region's record), so the name and type has one PRIMARY and one SECONDARY.`
                          : `${title} has ${counted(same.length)} ${role} failover records (${labels(same)}): Route 53 rejects the second, or the pair answers unpredictably. Keep exactly one PRIMARY and one SECONDARY per name and type.`,
              }));
    });
}

/**
 * Whether a record not yet judgeable might complete `group`: one of it with an unknown role or
 * policy, or any record whose name, zone or type is still unknown.
 */
function mayBeCompleted(
    group: readonly ResourceSnapshot[],
    all: readonly ResourceSnapshot[],
): boolean {
    const undecided = group.some(
        (r) => policiesOf(r) === undefined || isUnknown(failoverRoleOf(r)),
    );
    const unplaced = all.some((r) => !group.includes(r) && mightShareIdentity(r, group[0]));
    return undecided || unplaced;
}

/** A role with no record at all beside a lone record of the other (only when every stack is seen). */
function missingRoles(title: string, failover: readonly ResourceSnapshot[]): Found[] {
    const primaries = failover.filter((r) => failoverRoleOf(r) === "PRIMARY");
    const secondaries = failover.filter((r) => failoverRoleOf(r) === "SECONDARY");
    if (primaries.length === 0 && secondaries.length === 1) {
        return secondaries.map((r) => ({
            resource: r,
            message: `${title} has a SECONDARY failover record (${labels(secondaries)}) but no PRIMARY anywhere in the deployment: Route 53 answers every query with the SECONDARY and nothing fails over. Add the PRIMARY record of ${title}.`,
        }));
    }
    if (secondaries.length === 0 && primaries.length === 1) {
        return primaries.map((r) => ({
            resource: r,
            message: `${title} has a PRIMARY failover record (${labels(primaries)}) but no SECONDARY anywhere in the deployment: when the primary is unhealthy Route 53 has nothing to fail over to and keeps answering with it. Add a SECONDARY record of ${title} for the other region.`,
        }));
    }
    return [];
}

const failoverPair: GroupRule = {
    id: "failover-pair",
    scope: "deployment",
    severity: "error",
    description:
        "Every name and type with failover records has exactly one PRIMARY and one SECONDARY record.",
    remediation:
        "Keep one PRIMARY record (the primary region) and one SECONDARY record (the standby region) per name and type, with the role in capitals.",
    url: DOCS.failoverValues,
    example: `for (const name of ["primary", "other"]) {
    new aws.route53.Record(name, {
        zoneId, name: "api.example.com", type: "A", setIdentifier: name,
        failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId,
        aliases: [{ name: domain.regionalDomainName, zoneId: domain.regionalZoneId, evaluateTargetHealth: true }],
    });
}`,
    check(resources, ctx) {
        const all = records(resources);
        return groupRecords(resources).flatMap((group) => {
            const failover = group.filter((r) => failoverRoleOf(r) !== undefined);
            if (failover.length === 0) {
                return [];
            }
            const title = titleOf(group[0]);
            const invalid = invalidRoles(failover);
            const complete =
                ctx.wholeDeployment && invalid.length === 0 && !mayBeCompleted(group, all);
            // Two of one role and none of the other: one statement per record (duplicateRoles).
            return [
                ...invalid,
                ...duplicateRoles(title, failover, complete),
                ...(complete ? missingRoles(title, failover) : []),
            ];
        });
    },
};

/** Whether an alias targets API Gateway: its host says so, or (unknown yet) it depends on a domain. */
function apiGatewayTarget(r: ResourceSnapshot): { host?: string; region?: string } | undefined {
    const alias = aliasOf(r);
    if (alias === null || isUnknown(alias)) {
        return undefined;
    }
    if (typeof alias.name === "string") {
        const region = executeApiRegion(alias.name);
        return region ? { host: dnsName(alias.name), region } : undefined;
    }
    return isUnknown(alias.name) && dependsOnApiDomainOnly(r) ? {} : undefined;
}

/** Guarded by evaluateTargetHealth alone, on an API Gateway target: what that misses. */
function targetHealthOnly(r: ResourceSnapshot): string | undefined {
    const target = guardOf(r) === "target health" ? apiGatewayTarget(r) : undefined;
    if (!target) {
        return undefined;
    }
    const host = target.host ? ` ${target.host}` : " custom domain";
    const region = target.region ?? "its region";
    return `relies on evaluateTargetHealth alone for its API Gateway target${host}: that reflects only the API Gateway service in ${region}, not this API, so a failing API (5xx answers, Lambda errors, a broken deployment)`;
}

const failoverPrimaryUnguarded: ResourceRule = {
    id: "failover-primary-unguarded",
    scope: "resource",
    severity: "error",
    types: [T.record],
    description:
        "A PRIMARY failover record has a health check, or is an alias that evaluates its target's health.",
    remediation:
        "Set healthCheckId to a Route 53 health check of the primary region's endpoint (AWS rejects a non-alias PRIMARY without one).",
    url: DOCS.choosingRecords,
    example: `new aws.route53.Record("primary", {
    zoneId, name: "api.example.com", type: "CNAME", ttl: 60, setIdentifier: "primary",
    records: [domain.regionalDomainName],
    failoverRoutingPolicies: [{ type: "PRIMARY" }], // no healthCheckId
});`,
    check(r) {
        if (failoverRoleOf(r) !== "PRIMARY" || guardOf(r) !== "none") {
            return [];
        }
        return aliasOf(r) === null
            ? [
                  `${titled("PRIMARY failover record", r)} has no health check: Route 53 considers it always healthy, so the SECONDARY is never served (and Route 53 rejects a non-alias PRIMARY without one: "A non-alias primary ResourceRecordSet must have an associated health check"). Set healthCheckId to a health check of the primary region's endpoint.`,
              ]
            : [
                  `${titled("PRIMARY failover alias", r)} has no health check and evaluateTargetHealth false: Route 53 considers it always healthy, so the SECONDARY is never served. Set healthCheckId to a health check of the primary region's endpoint.`,
              ];
    },
};

const failoverPrimaryTargetHealthOnly: ResourceRule = {
    id: "failover-primary-target-health-only",
    scope: "resource",
    severity: "warning",
    types: [T.record],
    description:
        "A PRIMARY failover alias to API Gateway has a Route 53 health check, not evaluateTargetHealth alone.",
    remediation:
        "Set healthCheckId to a Route 53 health check of the API's own endpoint (a deep /health path); evaluateTargetHealth only follows the API Gateway service.",
    url: DOCS.apiGatewayFailover,
    example: `new aws.route53.Record("primary", {
    zoneId, name: "api.example.com", type: "A", setIdentifier: "primary",
    failoverRoutingPolicies: [{ type: "PRIMARY" }],
    aliases: [{ name: domain.regionalDomainName, zoneId: domain.regionalZoneId, evaluateTargetHealth: true }],
});`,
    check(r) {
        const problem = failoverRoleOf(r) === "PRIMARY" ? targetHealthOnly(r) : undefined;
        return problem
            ? [
                  `${titled("PRIMARY failover alias", r)} ${problem} never fails over. Set healthCheckId to a Route 53 health check of the API's own endpoint.`,
              ]
            : [];
    },
};

const failoverSecondaryUnguarded: ResourceRule = {
    id: "failover-secondary-unguarded",
    scope: "resource",
    severity: "advice",
    types: [T.record],
    description: "A SECONDARY failover record has a health check of its own.",
    remediation:
        "Set healthCheckId to a health check of the secondary region's endpoint, unless serving a broken secondary is acceptable.",
    url: DOCS.choosingRecords,
    example: `new aws.route53.Record("secondary", {
    zoneId, name: "api.example.com", type: "A", setIdentifier: "secondary",
    failoverRoutingPolicies: [{ type: "SECONDARY" }], // no healthCheckId
    aliases: [{ name: domain.regionalDomainName, zoneId: domain.regionalZoneId, evaluateTargetHealth: false }],
});`,
    check(r) {
        return failoverRoleOf(r) === "SECONDARY" && guardOf(r) === "none"
            ? [
                  `${titled("SECONDARY failover record", r)} has no health check: Route 53 serves it whenever the primary is unhealthy, even when the secondary region is down too. Set healthCheckId to a health check of the secondary region's endpoint, so Route 53 can tell.`,
              ]
            : [];
    },
};

// ---- Latency -----------------------------------------------------------------------------------

const latencyUnguarded: ResourceRule = {
    id: "latency-unguarded",
    scope: "resource",
    severity: "warning",
    types: [T.record],
    description:
        "A latency record has a Route 53 health check, so clients leave its region when it fails.",
    remediation:
        "Set healthCheckId to a health check of the region's endpoint; without one (or with evaluateTargetHealth on an API Gateway alias alone) the region counts as healthy while the API fails.",
    url: DOCS.choosingRecords,
    example: `new aws.route53.Record("eu-west-1", {
    zoneId, name: "api.example.com", type: "CNAME", ttl: 60, setIdentifier: "eu-west-1",
    records: [domain.regionalDomainName],
    latencyRoutingPolicies: [{ region: "eu-west-1" }], // no healthCheckId
});`,
    check(r) {
        if (!setsPolicy(r, "latency")) {
            return [];
        }
        const region = latencyRegionOf(r);
        const clients =
            typeof region === "string" ? `the clients nearest ${region}` : "its clients";
        const fix = "Set healthCheckId to a health check of that region's endpoint.";
        if (guardOf(r) === "none") {
            return [
                `${titled("Latency record", r)} has no health check: Route 53 considers it always healthy and keeps sending ${clients} to it while its region is down. ${fix}`,
            ];
        }
        const problem = targetHealthOnly(r);
        return problem
            ? [`${titled("Latency alias", r)} ${problem} keeps receiving ${clients}. ${fix}`]
            : [];
    },
};

const latencyRegionDuplicate: GroupRule = {
    id: "latency-region-duplicate",
    scope: "deployment",
    severity: "error",
    description: "A name and type has at most one latency record per region.",
    remediation:
        "Keep one latency record per region and name: each region's record names the region its endpoint runs in.",
    url: DOCS.latency,
    example: `for (const name of ["use1", "use1-again"]) {
    new aws.route53.Record(name, {
        zoneId, name: "api.example.com", type: "A", setIdentifier: name, healthCheckId,
        latencyRoutingPolicies: [{ region: "us-east-1" }],
        aliases: [{ name: domain.regionalDomainName, zoneId: domain.regionalZoneId, evaluateTargetHealth: true }],
    });
}`,
    check(resources) {
        return groupRecords(resources).flatMap((group) => {
            const byRegion = groupBy(group, (r) => {
                const region = latencyRegionOf(r);
                return typeof region === "string" ? region.toLowerCase() : undefined;
            });
            return [...byRegion].flatMap(([region, same]) =>
                same.length < 2
                    ? []
                    : same.map((r) => ({
                          resource: r,
                          message: `${titleOf(r)} has ${counted(same.length)} latency records for ${region} (${labels(same)}): Route 53 allows one latency record per region for a name and type, so the deploy fails. Keep one record per region.`,
                      })),
            );
        });
    },
};

const latencyRegionUnsupported: ResourceRule = {
    id: "latency-region-unsupported",
    scope: "resource",
    severity: "error",
    types: [T.record],
    description: "A latency record names a region Route 53 latency routing supports.",
    remediation:
        "Name the AWS region the record's endpoint runs in, written like us-east-1 (Route 53's ResourceRecordSetRegion values).",
    url: DOCS.recordSet,
    example: `new aws.route53.Record("eu", {
    zoneId, name: "api.example.com", type: "A", setIdentifier: "eu", healthCheckId,
    latencyRoutingPolicies: [{ region: "eu" }],
    aliases: [{ name: domain.regionalDomainName, zoneId: domain.regionalZoneId, evaluateTargetHealth: true }],
});`,
    check(r) {
        const region = latencyRegionOf(r);
        return typeof region === "string" && !LATENCY_REGIONS.includes(region)
            ? [
                  `${titled("Latency record", r)} names region ${shown(region)}, which Route 53 does not accept for latency records, so the deploy fails. Name the AWS region the record's endpoint runs in, written like us-east-1.`,
              ]
            : [];
    },
};

/** The region of the API a record points to, and how that is known. */
function apiRegionOf(
    r: ResourceSnapshot,
    domains: readonly ApiDomain[],
): { region: string; via: string } | undefined {
    const alias = aliasOf(r);
    let host: unknown;
    if (alias !== null && !isUnknown(alias)) {
        host = alias.name;
    } else if (alias === null && identityOf(r).type === "CNAME") {
        const values = valuesOf(r);
        host = isUnknown(values) ? undefined : values[0];
    }
    if (typeof host === "string") {
        const region = executeApiRegion(host);
        return region ? { region, via: dnsName(host) } : undefined;
    }
    // A CloudFront distribution it depends on may be the target, with the API as its origin.
    if (!dependsOnApiDomainOnly(r)) {
        return undefined;
    }
    const behind = domainsBehind(r, domains);
    const regions = new Set(behind.map((d) => d.r.region));
    const region = behind[0]?.r.region;
    return region !== undefined && regions.size === 1
        ? { region, via: `custom domain ${labels(behind.map((d) => d.r))}` }
        : undefined;
}

const latencyRegionMismatch: GroupRule = {
    id: "latency-region-mismatch",
    scope: "stack",
    severity: "warning",
    description: "A latency record names the region of the API it points to.",
    remediation:
        "Set the latency record's region to the region of its target: the API Gateway custom domain's region.",
    url: DOCS.latency,
    example: `const euCert = new aws.acm.Certificate("eu", { region: "eu-west-1", domainName: "api.example.com", validationMethod: "DNS" });
const euDomain = new aws.apigateway.DomainName("eu", {
    region: "eu-west-1", domainName: "api.example.com", regionalCertificateArn: euCert.arn,
    endpointConfiguration: { types: "REGIONAL" },
});
new aws.route53.Record("eu", {
    zoneId: "Z0123456789EXAMPLE", name: "api.example.com", type: "A", setIdentifier: "eu",
    latencyRoutingPolicies: [{ region: "us-east-1" }],
    aliases: [{ name: euDomain.regionalDomainName, zoneId: euDomain.regionalZoneId, evaluateTargetHealth: true }],
});`,
    check(resources) {
        const domains = apiDomainsIn(resources);
        return records(resources).flatMap((r) => {
            const region = latencyRegionOf(r);
            // A region Route 53 does not accept is latency-region-unsupported's finding.
            const judged = typeof region === "string" && LATENCY_REGIONS.includes(region);
            const api = judged ? apiRegionOf(r, domains) : undefined;
            if (typeof region !== "string" || !api || api.region === region) {
                return [];
            }
            return [
                {
                    resource: r,
                    message: `${titled("Latency record", r)} is tagged ${region} but points to an API in ${api.region} (${api.via}): Route 53 picks it for clients with low latency to ${region}, then sends them to ${api.region}. Set its latency region to ${api.region}, the API's region.`,
                },
            ];
        });
    },
};

// ---- Health checks of another region -----------------------------------------------------------

/** Where an endpoint check sends its requests: a region, and the host that says so. */
function checkedRegionOf(
    check: ResourceSnapshot,
    domains: readonly ApiDomain[],
): { region: string; via: string } | undefined {
    const fqdn = check.inputs.fqdn;
    if (typeof fqdn === "string") {
        const host = dnsName(fqdn);
        const region = executeApiRegion(host);
        if (region) {
            return { region, via: host };
        }
        const named = domains.filter((d) => customDomainName(d.r) === host);
        const regions = new Set(named.map((d) => d.r.region));
        const only = named[0]?.r.region;
        return only !== undefined && regions.size === 1
            ? { region: only, via: `${host}, custom domain ${labels(named.map((d) => d.r))}` }
            : undefined;
    }
    if (!isUnknown(fqdn)) {
        return undefined;
    }
    const behind = domainsBehind(check, domains);
    const regions = new Set(behind.map((d) => d.r.region));
    const only = behind[0]?.r.region;
    return only !== undefined && regions.size === 1
        ? { region: only, via: `custom domain ${labels(behind.map((d) => d.r))}` }
        : undefined;
}

/** The endpoint checks that guard a record: its own, or the endpoint children of its CALCULATED check. */
function guardingEndpointChecks(
    record: ResourceSnapshot,
    checks: readonly ResourceSnapshot[],
): ResourceSnapshot[] {
    if (!isSet(record.inputs.healthCheckId)) {
        return [];
    }
    const own = referencedChecks(record, [record.inputs.healthCheckId], checks);
    const found = own.flatMap((c) =>
        checkType(c) === "CALCULATED" ? referencedChecks(c, childIds(c) ?? [], checks) : [c],
    );
    return [...new Set(found)].filter((c) => isEndpointType(checkType(c)));
}

const healthCheckRegionMismatch: GroupRule = {
    id: "health-check-region-mismatch",
    scope: "stack",
    severity: "error",
    description:
        "A routed record (failover, latency, weighted, ...) is guarded by a health check of the region it sends clients to: its endpoint check, or the endpoint children of its CALCULATED check, target that region's host.",
    remediation:
        "Point each routed record's health check (and every endpoint child of its calculated check) at the own hostname of the region the record's alias or CNAME sends clients to.",
    url: DOCS.choosingRecords,
    example: `const cert = new aws.acm.Certificate("euw1", { region: "eu-west-1", domainName: "*.api.example.com", validationMethod: "DNS" });
const euw1 = new aws.apigateway.DomainName("euw1", {
    region: "eu-west-1", domainName: "euw1.api.example.com", regionalCertificateArn: cert.arn,
    endpointConfiguration: { types: "REGIONAL" },
});
const use1Check = new aws.route53.HealthCheck("use1", {
    type: "HTTPS", fqdn: "use1.api.example.com", port: 443, resourcePath: "/health",
});
new aws.route53.Record("primary", {
    zoneId: "Z0123456789EXAMPLE", name: "api.example.com", type: "A", setIdentifier: "primary",
    failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: use1Check.id, // checks us-east-1
    aliases: [{ name: euw1.regionalDomainName, zoneId: euw1.regionalZoneId, evaluateTargetHealth: true }],
});
new aws.apigateway.DomainName("use1", {
    domainName: "use1.api.example.com", regionalCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/example",
    endpointConfiguration: { types: "REGIONAL" },
});`,
    check(resources) {
        const domains = apiDomainsIn(resources);
        const checks = ofType(resources, T.healthCheck);
        return records(resources).flatMap((r) => {
            const policy = routingPolicyOf(r);
            const api = policy ? apiRegionOf(r, domains) : undefined;
            if (!api) {
                return [];
            }
            const wrong = guardingEndpointChecks(r, checks).flatMap((c) => {
                const checked = checkedRegionOf(c, domains);
                return checked && checked.region !== api.region ? [{ c, checked }] : [];
            });
            if (wrong.length === 0) {
                return [];
            }
            const regions = listed([...new Set(wrong.map((w) => w.checked.region))].sort());
            const which = listed(
                wrong.map((w) => `"${label(w.c)}" (${w.checked.region}: ${w.checked.via})`),
            );
            const kind = `${policy![0].toUpperCase()}${policy!.slice(1)} record`;
            return [
                {
                    resource: r,
                    message: `${titled(kind, r)} sends clients to ${api.region} (${api.via}) but its health check${wrong.length === 1 ? "" : "s"} ${which} ${wrong.length === 1 ? "checks" : "check"} ${regions}: Route 53 judges ${regions}'s health and routes to ${api.region}, so an outage in ${api.region} never takes the record out, and one in ${regions} takes out a healthy region. Point the health check at ${api.region}'s own hostname, or the record at the custom domain of the region it checks.`,
                },
            ];
        });
    },
};

// ---- Default execute-api hosts -----------------------------------------------------------------

/** The default endpoint host a record's alias or CNAME names (`abc123.execute-api...`), if any. */
function defaultEndpointOf(
    r: ResourceSnapshot,
): { host: string; id: string; region: string; alias: boolean } | undefined {
    const alias = aliasOf(r);
    let host: unknown;
    if (alias !== null && !isUnknown(alias)) {
        host = alias.name;
    } else if (alias === null && identityOf(r).type === "CNAME") {
        const values = valuesOf(r);
        host = isUnknown(values) ? undefined : values.find((v) => typeof v === "string");
    }
    const api = typeof host === "string" ? executeApiHost(host) : undefined;
    // A custom domain's own target is d-...: that is the right target, not the default endpoint.
    return api && !api.id.startsWith("d-")
        ? { host: dnsName(host as string), ...api, alias: alias !== null }
        : undefined;
}

const recordTargetsDefaultEndpoint: ResourceRule = {
    id: "record-targets-default-endpoint",
    scope: "resource",
    severity: "error",
    types: [T.record],
    description:
        "A record (an alias or a CNAME) sends clients to an API Gateway custom domain's target (d-....execute-api...), never to an API's default execute-api endpoint.",
    remediation:
        "Create an API Gateway custom domain for the record's name (with a base path or API mapping) and alias its regionalDomainName with its regionalZoneId (apigatewayv2: domainNameConfiguration.targetDomainName and hostedZoneId).",
    url: DOCS.aliasTarget,
    example: `const api = new aws.apigateway.RestApi("api", {});
new aws.route53.Record("api", {
    zoneId: "Z0123456789EXAMPLE", name: "api.example.com", type: "CNAME", ttl: 60,
    records: [api.id.apply((id) => \`\${id}.execute-api.us-east-1.amazonaws.com\`)],
});`,
    check(r) {
        const target = defaultEndpointOf(r);
        if (!target) {
            return [];
        }
        const name =
            typeof identityOf(r).name === "string" ? String(identityOf(r).name) : "its name";
        const fix = `Create a custom domain for ${name} in ${target.region} (aws.apigateway.DomainName with a BasePathMapping, or aws.apigatewayv2.DomainName with an ApiMapping) and alias its regionalDomainName with its regionalZoneId.`;
        return target.alias
            ? [
                  `${titled("Alias", r)} targets ${target.host}, the default execute-api endpoint of API ${target.id} in ${target.region}, not a custom domain: AWS takes an API Gateway alias target only as a custom domain's regionalDomainName (an edge domain's CloudFront name) for a record named like the custom domain, so Route 53 refuses the record, and clients would bypass the custom domain's certificate and mappings anyway. ${fix}`,
              ]
            : [
                  `${titled("Record", r)} points to ${target.host}, the default execute-api endpoint of API ${target.id} in ${target.region}, not a custom domain: clients asking for ${name} reach an endpoint whose certificate covers only *.execute-api.${target.region}.amazonaws.com and which knows no ${name}, so HTTPS clients fail the certificate check, and API Gateway answers 403 Forbidden to a host it does not serve. ${fix}`,
              ];
    },
};

// ---- Routing policies and set identifiers ------------------------------------------------------

/** Records that set two routing policies at once. */
function multiPolicyRecords(group: readonly ResourceSnapshot[]): Found[] {
    return group.flatMap((r) => {
        const policies = policiesOf(r) ?? [];
        return policies.length < 2
            ? []
            : [
                  {
                      resource: r,
                      message: `${titled("Record", r)} sets ${listed(policies)} routing at once: a record takes one routing policy, so the deploy fails. Keep the policy you mean and remove the others.`,
                  },
              ];
    });
}

/** Records of one name and type under different routing policies (simple counts as one). */
function mixedPolicies(group: readonly ResourceSnapshot[]): Found[] {
    const byPolicy = groupBy(group, (r) => {
        const policies = policiesOf(r);
        return policies && policies.length < 2 ? (policies[0] ?? "simple") : undefined;
    });
    if (byPolicy.size < 2) {
        return [];
    }
    const title = titleOf(group[0]);
    const mix = listed(
        [...byPolicy]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([policy, rs]) => `${policy} (${labels(rs)})`),
    );
    return [...byPolicy.values()].flat().map((r) => ({
        resource: r,
        message: `${title} mixes ${mix} records: Route 53 rejects a record whose routing policy differs from the other records of its name and type, so the deploy fails. Give every ${title} record the same routing policy.`,
    }));
}

const routingPolicyMixed: GroupRule = {
    id: "routing-policy-mixed",
    scope: "deployment",
    severity: "error",
    description:
        "All records of a name and type share one routing policy; no simple record sits beside policy records.",
    remediation:
        "Give every record of the name and type the same routing policy (and one each), or move the odd record to another name.",
    url: DOCS.recordSet,
    example: `new aws.route53.Record("simple", { zoneId, name: "api.example.com", type: "CNAME", ttl: 60, records: ["a.example.net"] });
new aws.route53.Record("primary", {
    zoneId, name: "api.example.com", type: "CNAME", ttl: 60, records: ["b.example.net"],
    setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId,
});`,
    check(resources) {
        return [
            ...multiPolicyRecords(records(resources)),
            ...groupRecords(resources).flatMap(mixedPolicies),
        ];
    },
};

/** Set identifiers a record itself gets wrong: missing, too long, or set without a policy. */
function ownSetIdentifierProblem(r: ResourceSnapshot): string | undefined {
    const policies = policiesOf(r);
    const id = r.inputs.setIdentifier;
    if (policies === undefined || isUnknown(id)) {
        return undefined;
    }
    if (policies.length > 0 && (!given(id) || id === "")) {
        return `${titled(`${policies[0][0].toUpperCase()}${policies[0].slice(1)} record`, r)} has no setIdentifier: Route 53 rejects a ${policies[0]} record without one, so the deploy fails. Set a setIdentifier unique among the records of its name and type, such as its region.`;
    }
    if (typeof id === "string" && id.length > 128) {
        return `${titled("Record", r)} has a setIdentifier of ${id.length} characters: Route 53 allows at most 128, so the deploy fails. Shorten it.`;
    }
    if (policies.length === 0 && typeof id === "string" && id !== "") {
        return `${titled("Simple record", r)} has setIdentifier ${shown(id)} but no routing policy: Route 53 rejects a set identifier without a policy, so the deploy fails. Remove setIdentifier, or add the routing policy it was meant for.`;
    }
    return undefined;
}

/** Records of one name and type sharing a set identifier: Route 53 sees one record. */
function duplicateSetIdentifiers(group: readonly ResourceSnapshot[]): Found[] {
    const byId = groupBy(group, (r) => {
        const id = r.inputs.setIdentifier;
        return typeof id === "string" && id !== "" ? id : undefined;
    });
    return [...byId].flatMap(([id, same]) =>
        same.length < 2
            ? []
            : same.map((r) => ({
                  resource: r,
                  message: `${titleOf(r)} has ${counted(same.length)} records with setIdentifier ${shown(id)} (${labels(same)}): Route 53 sees one record, so the second create fails, or with allowOverwrite silently replaces the first. Give each record a unique setIdentifier, such as its region.`,
              })),
    );
}

const setIdentifier: GroupRule = {
    id: "set-identifier",
    scope: "deployment",
    severity: "error",
    description:
        "Every routing-policy record has a setIdentifier (1-128 characters) unique within its name and type; simple records have none.",
    remediation:
        "Give each policy record a unique setIdentifier (its region or role), and remove setIdentifier from simple records.",
    url: DOCS.recordSet,
    example: `for (const [name, region] of [["use1", "us-east-1"], ["euw1", "eu-west-1"]]) {
    new aws.route53.Record(name, {
        zoneId, name: "api.example.com", type: "A", setIdentifier: "api", healthCheckId,
        latencyRoutingPolicies: [{ region }],
        aliases: [{ name: domains[region].regionalDomainName, zoneId: domains[region].regionalZoneId, evaluateTargetHealth: true }],
    });
}`,
    check(resources) {
        const own = records(resources).flatMap((r) => {
            const message = ownSetIdentifierProblem(r);
            return message ? [{ resource: r, message }] : [];
        });
        return [...own, ...groupRecords(resources).flatMap(duplicateSetIdentifiers)];
    },
};

// ---- Values, TTLs and alias targets ------------------------------------------------------------

/** A record's values for a message: up to three strings, else how many there are. */
function shownValues(values: readonly unknown[]): string {
    const strings = values.filter((v): v is string => typeof v === "string");
    return strings.length === values.length && strings.length <= 3
        ? strings.join(", ")
        : `${counted(values.length)} ${values.length === 1 ? "value" : "values"}`;
}

const aliasWithTtl: ResourceRule = {
    id: "alias-with-ttl",
    scope: "resource",
    severity: "error",
    types: [T.record],
    description: "An alias record sets neither ttl nor records.",
    remediation:
        "Remove ttl and records from alias records: an alias answers with its target's addresses and TTL.",
    url: DOCS.recordSet,
    example: `new aws.route53.Record("api", {
    zoneId, name: "api.example.com", type: "A", ttl: 60,
    aliases: [{ name: domain.regionalDomainName, zoneId: domain.regionalZoneId, evaluateTargetHealth: true }],
});`,
    check(r) {
        const alias = aliasOf(r);
        if (alias === null || isUnknown(alias)) {
            return [];
        }
        const ttl = r.inputs.ttl;
        const values = valuesOf(r);
        const extras = [
            ...(given(ttl) && !isUnknown(ttl) ? [`ttl ${shown(ttl)}`] : []),
            ...(!isUnknown(values) && values.length > 0
                ? [`records (${shownValues(values)})`]
                : []),
        ];
        return extras.length === 0
            ? []
            : [
                  `${titled("Alias record", r)} also sets ${listed(extras)}: Route 53 rejects an alias with a TTL or values (it answers with its target's addresses and TTL), so the deploy fails. Remove ${listed(extras.map((e) => e.split(" ")[0]))}.`,
              ];
    },
};

const recordValuesMissing: ResourceRule = {
    id: "record-values-missing",
    scope: "resource",
    severity: "error",
    types: [T.record],
    description: "A record that is no alias has records (its values) and a ttl.",
    remediation:
        "Give a non-alias record its values in records and a ttl, or make it an alias with aliases.",
    url: DOCS.recordSet,
    example: `new aws.route53.Record("api", { zoneId, name: "api.example.com", type: "CNAME", records: [domain.regionalDomainName] });`,
    check(r) {
        const values = valuesOf(r);
        const ttl = r.inputs.ttl;
        if (aliasOf(r) !== null || isUnknown(values)) {
            return [];
        }
        const missing = [
            ...(values.length === 0 ? ["records"] : []),
            ...(!given(ttl) ? ["ttl"] : []),
        ];
        return missing.length === 0
            ? []
            : [
                  `${titled("Record", r)} is no alias and has no ${listed(missing)}: Route 53 needs both the values and a TTL of a non-alias record, so the deploy fails. Set ${listed(missing)}, or make it an alias.`,
              ];
    },
};

const healthCheckedTtlOver60: ResourceRule = {
    id: "health-checked-ttl-over-60",
    scope: "resource",
    severity: "warning",
    types: [T.record],
    description:
        "A non-alias record with a health check or a failover or latency policy has a TTL of 60 seconds or less.",
    remediation: "Set ttl to 60 or less on records whose answer changes when health changes.",
    url: DOCS.recordSet,
    example: `new aws.route53.Record("primary", {
    zoneId, name: "api.example.com", type: "CNAME", ttl: 300, records: [domain.regionalDomainName],
    setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId,
});`,
    check(r) {
        const ttl = num(r.inputs.ttl);
        if (aliasOf(r) !== null || ttl === undefined || ttl <= 60) {
            return [];
        }
        const policy = (["failover", "latency"] as const).find((p) => setsPolicy(r, p));
        const why = hasHealthCheck(r)
            ? "has a health check and"
            : policy
              ? `is a ${policy} record with`
              : undefined;
        return why
            ? [
                  `${titled("Record", r)} ${why} a ttl of ${ttl} seconds: resolvers keep answering with a failed region for up to ${ttl} seconds after Route 53 fails over. Set ttl to 60 or less.`,
              ]
            : [];
    },
};

/** An alias whose name and zone id do not belong together, judged from their values alone. */
function hostZoneProblem(r: ResourceSnapshot, host: string, zone: string): string | undefined {
    const title = titled("Alias", r);
    const rejected = `Route 53 rejects it ("alias target name does not lie within the target zone")`;
    const apiRegion = executeApiRegion(host);
    if (apiRegion && zone === CLOUDFRONT_ZONE_ID) {
        return `${title} targets the regional API Gateway host ${host} with CloudFront's zone id ${CLOUDFRONT_ZONE_ID} (an edge domain's cloudfrontZoneId): ${rejected}. Use the domain's regionalZoneId with its regionalDomainName.`;
    }
    if (isCloudFrontHost(host) && zone !== CLOUDFRONT_ZONE_ID) {
        return `${title} targets the CloudFront host ${host} with zone id ${zone}, but CloudFront names are in zone ${CLOUDFRONT_ZONE_ID}: ${rejected}. Use the domain's cloudfrontZoneId with its cloudfrontDomainName.`;
    }
    if ((apiRegion || isCloudFrontHost(host)) && identityOf(r).zoneId === zone) {
        return `${title} targets ${host} in the record's own hosted zone ${zone}, which does not hold that name: ${rejected}. Use the zone id that comes with the target, such as the API Gateway domain's regionalZoneId.`;
    }
    return undefined;
}

/** An alias naming one custom domain's target with a zone id that is not that target's. */
function domainPairProblem(
    r: ResourceSnapshot,
    host: string,
    zone: string | undefined,
    domains: readonly ApiDomain[],
): string | undefined {
    const title = titled("Alias", r);
    for (const d of domains) {
        for (const t of d.targets) {
            if (typeof t.name !== "string" || dnsName(t.name) !== host) {
                continue;
            }
            const target = host === "" ? "an empty name" : host;
            if (t.nameField === "cloudfrontDomainName" && d.regionalOnly === true) {
                return `${title} targets ${target}, the cloudfrontDomainName of ${label(d.r)}, a REGIONAL custom domain without a CloudFront distribution: Route 53 rejects it or serves the wrong endpoint. Use ${label(d.r)}'s regionalDomainName with its regionalZoneId.`;
            }
            const own = typeof t.zoneId === "string" ? zoneIdKey(t.zoneId) : undefined;
            if (zone === undefined || own === undefined || own === zone) {
                continue;
            }
            const other = domains
                .flatMap((o) => o.targets.map((ot) => ({ o, ot })))
                .find(({ ot }) => typeof ot.zoneId === "string" && zoneIdKey(ot.zoneId) === zone);
            const whose = other ? ` (the ${other.ot.zoneField} of ${label(other.o.r)})` : "";
            return `${title} targets ${target}, the ${t.nameField} of ${label(d.r)}, with zone id ${zone}${whose} instead of its ${t.zoneField} ${own}: Route 53 rejects it ("alias target name does not lie within the target zone") or answers for the wrong endpoint. Take name and zoneId from the same domain: ${t.nameField} with ${t.zoneField}.`;
        }
    }
    return undefined;
}

/** An alias built on REGIONAL domains it depends on, but with their edge (CloudFront) fields. */
function edgeFieldsOfRegionalProblem(
    r: ResourceSnapshot,
    host: string | undefined,
    zone: string | undefined,
    domains: readonly ApiDomain[],
): string | undefined {
    const behind = domainsBehind(r, domains);
    const regional = behind.length > 0 && behind.every((d) => d.regionalOnly === true);
    // A CloudFront distribution in front of the regional API is a fine target in CloudFront's zone.
    if (!regional || !dependsOnApiDomainOnly(r) || (host && isCloudFrontHost(host))) {
        return undefined;
    }
    const names = labels(behind.map((d) => d.r));
    const title = titled("Alias", r);
    const fix = `Use the domain's regionalDomainName with its regionalZoneId.`;
    if (zone === CLOUDFRONT_ZONE_ID) {
        return `${title} uses CloudFront's zone id ${CLOUDFRONT_ZONE_ID} (cloudfrontZoneId) for the REGIONAL custom domain ${names}, which has no CloudFront distribution: Route 53 rejects it or serves the wrong endpoint. ${fix}`;
    }
    if (host === "") {
        return `${title} has an empty target name: ${names} is a REGIONAL custom domain, whose cloudfrontDomainName is empty, so the deploy fails. ${fix}`;
    }
    return undefined;
}

const aliasTargetMismatch: GroupRule = {
    id: "alias-target-mismatch",
    scope: "stack",
    severity: "error",
    description:
        "An alias record's target name and zone id come from the same custom domain endpoint (regionalDomainName with regionalZoneId).",
    remediation:
        "Take the alias name and zone id from one resource and one endpoint type: regionalDomainName with regionalZoneId for a REGIONAL API Gateway domain (domainNameConfiguration.targetDomainName with hostedZoneId for apigatewayv2).",
    url: DOCS.aliasTarget,
    example: `const domain = new aws.apigateway.DomainName("api", { domainName: "api.example.com", endpointConfiguration: { types: "REGIONAL" }, regionalCertificateArn });
new aws.route53.Record("api", {
    zoneId, name: "api.example.com", type: "A",
    aliases: [{ name: domain.regionalDomainName, zoneId: domain.cloudfrontZoneId, evaluateTargetHealth: true }],
});`,
    check(resources) {
        const domains = apiDomainsIn(resources);
        return records(resources).flatMap((r) => {
            const alias = aliasOf(r);
            if (alias === null || isUnknown(alias)) {
                return [];
            }
            const host = typeof alias.name === "string" ? dnsName(alias.name) : undefined;
            const zone = typeof alias.zoneId === "string" ? zoneIdKey(alias.zoneId) : undefined;
            const message =
                (host && zone ? hostZoneProblem(r, host, zone) : undefined) ??
                (host !== undefined ? domainPairProblem(r, host, zone, domains) : undefined) ??
                edgeFieldsOfRegionalProblem(r, host, zone, domains);
            return message ? [{ resource: r, message }] : [];
        });
    },
};

const aliasCloudFrontTargetHealth: ResourceRule = {
    id: "alias-cloudfront-target-health",
    scope: "resource",
    severity: "warning",
    types: [T.record],
    description:
        "An alias to CloudFront (an edge-optimized API domain included) has evaluateTargetHealth false.",
    remediation:
        "Set evaluateTargetHealth to false on aliases to CloudFront, and attach a Route 53 health check where the record must fail over.",
    url: DOCS.aliasTarget,
    example: `new aws.route53.Record("api", {
    zoneId, name: "api.example.com", type: "A",
    aliases: [{ name: edgeDomain.cloudfrontDomainName, zoneId: edgeDomain.cloudfrontZoneId, evaluateTargetHealth: true }],
});`,
    check(r) {
        const alias = aliasOf(r);
        if (alias === null || isUnknown(alias) || alias.evaluateTargetHealth !== true) {
            return [];
        }
        const zone = typeof alias.zoneId === "string" ? zoneIdKey(alias.zoneId) : undefined;
        const host = typeof alias.name === "string" ? dnsName(alias.name) : undefined;
        const target =
            host !== undefined && isCloudFrontHost(host)
                ? host
                : zone === CLOUDFRONT_ZONE_ID
                  ? `zone ${CLOUDFRONT_ZONE_ID}`
                  : undefined;
        return target
            ? [
                  `${titled("Alias", r)} targets CloudFront (${target}) with evaluateTargetHealth true: AWS does not allow target health on CloudFront distributions, so the setting guards nothing and may be rejected. Set evaluateTargetHealth to false, and set healthCheckId where the record must fail over.`,
              ]
            : [];
    },
};

const cnameBesideOtherTypes: GroupRule = {
    id: "cname-beside-other-types",
    scope: "deployment",
    severity: "error",
    description: "A name with a CNAME record has no record of another type.",
    remediation:
        "Use one kind of record at the name: all CNAME records, or (for an AWS target) alias A records instead of the CNAME.",
    url: DOCS.recordTypes,
    example: `new aws.route53.Record("api-cname", { zoneId, name: "api.example.com", type: "CNAME", ttl: 60, records: [domain.regionalDomainName] });
new aws.route53.Record("api-a", {
    zoneId, name: "api.example.com", type: "A",
    aliases: [{ name: domain.regionalDomainName, zoneId: domain.regionalZoneId, evaluateTargetHealth: true }],
});`,
    check(resources) {
        return groupRecords(resources, false).flatMap((group) => {
            const typeOf = (r: ResourceSnapshot) => identityOf(r).type;
            const cnames = group.filter((r) => typeOf(r) === "CNAME");
            // A record whose type is not known (yet) is judged by neither side.
            const others = group.filter(
                (r) => typeof typeOf(r) === "string" && typeOf(r) !== "CNAME",
            );
            if (cnames.length === 0 || others.length === 0) {
                return [];
            }
            const name = String(identityOf(group[0]).name);
            const types = [...new Set(others.map((r) => String(typeOf(r))))].sort();
            return cnames.map((r) => ({
                resource: r,
                message: `${name} has ${cnames.length === 1 ? "a CNAME record" : "CNAME records"} (${labels(cnames)}) beside ${listed(types)} records (${labels(others)}): DNS allows no other record at a CNAME's name, so Route 53 rejects whichever is created second. Use one kind of record at ${name}, for example alias A records instead of the CNAME.`,
            }));
        });
    },
};

export const RECORD_RULES: readonly Rule[] = [
    failoverPair,
    failoverPrimaryUnguarded,
    failoverPrimaryTargetHealthOnly,
    failoverSecondaryUnguarded,
    routingPolicyMixed,
    setIdentifier,
    aliasWithTtl,
    recordValuesMissing,
    latencyRegionDuplicate,
    latencyRegionUnsupported,
    latencyRegionMismatch,
    latencyUnguarded,
    healthCheckRegionMismatch,
    aliasTargetMismatch,
    recordTargetsDefaultEndpoint,
    aliasCloudFrontTargetHealth,
    healthCheckedTtlOver60,
    cnameBesideOtherTypes,
];
