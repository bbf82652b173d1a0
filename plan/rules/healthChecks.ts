// Rules for Route 53 health checks and the CloudWatch alarms they follow: settings AWS refuses,
// checks that can never judge their region right, and switches that do not switch.
import { customDomainName } from "./apisLinks";
import {
    ENDPOINT_TYPES,
    FOLLOWER_TYPES,
    HEALTH_CHECK_TYPES,
    MAX_CHILDREN,
    aCheckOf,
    checkType,
    childCount,
    childIds,
    followedAlarms,
    guardingChecks,
    isEndpointType,
    named,
    referencedChecks,
    routingPolicyOf,
} from "./healthChecksModel";
import { GroupRule, ResourceRule, ResourceSnapshot, Rule, isUnknown } from "./types";
import {
    ALARM_REGIONS,
    HEALTH_CHECKER_REGIONS,
    INSUFFICIENT_DATA_STATUSES,
    T,
    bool,
    dependsOn,
    dnsName,
    executeApiHost,
    given,
    groupBy,
    isSet,
    label,
    list,
    listed,
    num,
    ofType,
    shown,
    str,
} from "./values";

const HEALTH_CHECK_CONFIG_URL =
    "https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html";
const HEALTH_CHECK_VALUES_URL =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html";

const STR_MATCH_TYPES = ["HTTP_STR_MATCH", "HTTPS_STR_MATCH"];
const ALARM_SETTINGS = [
    "cloudwatchAlarmName",
    "cloudwatchAlarmRegion",
    "insufficientDataHealthStatus",
];

// ---- health-check-settings -------------------------------------------------------------------

/** Problems with the values of interval, threshold, checker regions and search string. */
function endpointValueProblems(i: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const interval = i.requestInterval;
    if (given(interval) && !isUnknown(interval) && ![10, 30].includes(num(interval) ?? NaN)) {
        problems.push(
            `requestInterval is ${shown(interval)}: Route 53 checks every 10 or 30 seconds only and refuses any other interval; set 10 (fast, an extra charge) or 30.`,
        );
    }
    const threshold = i.failureThreshold;
    const t = num(threshold) ?? NaN;
    if (given(threshold) && !isUnknown(threshold) && !(Number.isInteger(t) && t >= 1 && t <= 10)) {
        problems.push(
            `failureThreshold is ${shown(threshold)}: Route 53 accepts an integer from 1 to 10 and refuses the check otherwise; 3 (the default) rides out one slow answer.`,
        );
    }
    problems.push(...regionProblems(i.regions));
    const search = str(i.searchString);
    if (search !== undefined && search.length > 255) {
        problems.push(
            `searchString has ${search.length} characters: Route 53 refuses more than 255; search for a shorter marker of a healthy answer.`,
        );
    }
    return problems;
}

/** Checker regions: at least 3, each once, each one Route 53 checks from. */
function regionProblems(value: unknown): string[] {
    const regions = list(value);
    if (regions === undefined || regions.length === 0) {
        // Unknown, or not set: Route 53 then checks from every checker region.
        return [];
    }
    const problems: string[] = [];
    const known = regions.filter((r) => !isUnknown(r));
    const twice = [...new Set(known.filter((r, n) => known.indexOf(r) !== n))];
    if (twice.length > 0) {
        problems.push(
            `regions lists ${listed(twice.map(shown))} more than once: each checker region counts once; list it once and add another region if fewer than 3 remain.`,
        );
    }
    const wrong = [...new Set(known)].filter(
        (r) => typeof r !== "string" || !HEALTH_CHECKER_REGIONS.includes(r),
    );
    if (wrong.length > 0) {
        problems.push(
            `regions includes ${listed(wrong.map(shown))}, which Route 53 does not check from, so AWS refuses the check; choose from ${HEALTH_CHECKER_REGIONS.join(", ")}.`,
        );
    }
    const distinct = new Set(known).size + (regions.length - known.length);
    if (distinct < 3) {
        problems.push(
            `regions lists ${distinct} distinct checker region${distinct === 1 ? "" : "s"}: Route 53 requires at least 3 and refuses fewer; add regions from ${HEALTH_CHECKER_REGIONS.join(", ")}.`,
        );
    }
    return problems;
}

/** Alarm settings on a check that does not follow an alarm. */
function strayAlarmSettings(i: Record<string, unknown>, type: string): string[] {
    return ALARM_SETTINGS.filter((p) => isSet(i[p])).map(
        (p) =>
            `${p} is set on ${aCheckOf(type)}, but only a CLOUDWATCH_METRIC check has an alarm: the AWS provider leaves it out when it creates the check, so the check never follows the alarm although the program says it does, and a later change to ${p} is sent to Route 53 as an alarm for ${aCheckOf(type)}, which it refuses; remove ${p}, or follow the alarm with a separate CLOUDWATCH_METRIC check.`,
    );
}

/** A search string on a check that does not match strings. */
function straySearchString(i: Record<string, unknown>, type: string): string[] {
    if (STR_MATCH_TYPES.includes(type) || !isSet(i.searchString)) {
        return [];
    }
    if (!isEndpointType(type)) {
        return [
            `searchString is set on ${aCheckOf(type)}: Route 53 searches response bodies only in HTTP_STR_MATCH and HTTPS_STR_MATCH checks; remove searchString.`,
        ];
    }
    const passes = type === "TCP" ? "any accepted connection" : "any 2xx or 3xx answer";
    const fix =
        type === "TCP"
            ? "use HTTPS_STR_MATCH"
            : `use type ${type === "HTTP" ? "HTTP_STR_MATCH" : "HTTPS_STR_MATCH"}`;
    return [
        `searchString is set on ${aCheckOf(type)}: Route 53 searches response bodies only in HTTP_STR_MATCH and HTTPS_STR_MATCH checks, so this one passes on ${passes}; ${fix} or remove searchString.`,
    ];
}

/** Address ranges Route 53 health checkers cannot check (RFC 5735, RFC 6598, RFC 5156). */
const UNCHECKABLE_RANGES: readonly [string, number, "ipv4" | "ipv6", string][] = [
    ["0.0.0.0", 8, "ipv4", '"this network"'],
    ["10.0.0.0", 8, "ipv4", "private"],
    ["100.64.0.0", 10, "ipv4", "shared (carrier-grade NAT)"],
    ["127.0.0.0", 8, "ipv4", "loopback"],
    ["169.254.0.0", 16, "ipv4", "link-local"],
    ["172.16.0.0", 12, "ipv4", "private"],
    ["192.0.0.0", 24, "ipv4", "IETF protocol assignment"],
    ["192.0.2.0", 24, "ipv4", "documentation"],
    ["192.88.99.0", 24, "ipv4", "6to4 relay anycast"],
    ["192.168.0.0", 16, "ipv4", "private"],
    ["198.18.0.0", 15, "ipv4", "benchmarking"],
    ["198.51.100.0", 24, "ipv4", "documentation"],
    ["203.0.113.0", 24, "ipv4", "documentation"],
    ["224.0.0.0", 4, "ipv4", "multicast"],
    ["240.0.0.0", 4, "ipv4", "reserved"],
    ["::", 128, "ipv6", "unspecified"],
    ["::1", 128, "ipv6", "loopback"],
    ["::ffff:0:0", 96, "ipv6", "IPv4-mapped"],
    ["fc00::", 7, "ipv6", "unique local (private)"],
    ["fe80::", 10, "ipv6", "link-local"],
    ["ff00::", 8, "ipv6", "multicast"],
    ["2001:db8::", 32, "ipv6", "documentation"],
];

/** An IPv4 address as a 32-bit number, else undefined. */
function ipv4Bits(ip: string): bigint | undefined {
    const parts = ip.split(".");
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
        return undefined;
    }
    return parts.reduce((bits, p) => (bits << 8n) | BigInt(Number(p)), 0n);
}

/** An IPv6 address (`::` shorthand, a trailing dotted IPv4 part) as a 128-bit number. */
function ipv6Bits(ip: string): bigint | undefined {
    let text = ip.toLowerCase();
    const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (dotted) {
        const v4 = ipv4Bits(dotted[2]);
        if (v4 === undefined) {
            return undefined;
        }
        text = `${dotted[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
    }
    const halves = text.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const groups = (h: string) => (h === "" ? [] : h.split(":"));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    const missing = 8 - head.length - tail.length;
    if ((halves.length === 2 ? missing < 1 : missing !== 0) || text.includes(":::")) {
        return undefined;
    }
    const all = [...head, ...Array<string>(missing).fill("0"), ...tail];
    if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) {
        return undefined;
    }
    return all.reduce((bits, g) => (bits << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The kind and range of a non-routable address (`private`, `10.0.0.0/8`), if it is one. */
export function uncheckableRange(ip: string): { kind: string; range: string } | undefined {
    const v4 = ipv4Bits(ip);
    const v6 = v4 === undefined && ip.includes(":") ? ipv6Bits(ip) : undefined;
    for (const [net, prefix, family, kind] of UNCHECKABLE_RANGES) {
        const [bits, width] = family === "ipv4" ? [v4, 32n] : [v6, 128n];
        const base = family === "ipv4" ? ipv4Bits(net) : ipv6Bits(net);
        const shift = width - BigInt(prefix);
        if (bits !== undefined && base !== undefined && bits >> shift === base >> shift) {
            return { kind, range: `${net}/${prefix}` };
        }
    }
    return undefined;
}

/** An ipAddress Route 53 cannot check: local, private, non-routable or multicast. */
function ipAddressProblems(value: unknown): string[] {
    const ip = str(value)?.trim();
    const range = ip === undefined ? undefined : uncheckableRange(ip);
    return range
        ? [
              `ipAddress ${shown(ip)} is in the ${range.kind} range ${range.range}: Route 53's health checkers run on the internet and cannot check local, private, non-routable or multicast addresses (HealthCheckConfig IPAddress), so AWS refuses the check or it never passes; check the endpoint's public address, or its public hostname with fqdn.`,
          ]
        : [];
}

/** What a known endpoint type requires beyond the values. */
function endpointTypeProblems(i: Record<string, unknown>, type: string): string[] {
    const problems: string[] = [];
    if (!isSet(i.fqdn) && !isSet(i.ipAddress)) {
        problems.push(
            `${aCheckOf(type)} needs fqdn or ipAddress to know what to check, and AWS refuses it without one; set fqdn to the region's own hostname.`,
        );
    }
    if (STR_MATCH_TYPES.includes(type) && !isSet(i.searchString)) {
        problems.push(
            `${aCheckOf(type)} needs searchString, the text a healthy answer's body contains, and AWS refuses it without one; set searchString (such as "ok"), or use type ${type.replace("_STR_MATCH", "")} to accept any 2xx or 3xx answer.`,
        );
    }
    problems.push(...ipAddressProblems(i.ipAddress));
    return [...problems, ...straySearchString(i, type), ...strayAlarmSettings(i, type)];
}

/** Endpoint-only settings on CALCULATED, CLOUDWATCH_METRIC and RECOVERY_CONTROL checks. */
function followerProblems(i: Record<string, unknown>, type: string): string[] {
    const problems: string[] = [];
    for (const p of ["requestInterval", "failureThreshold"].filter((p) => isSet(i[p]))) {
        problems.push(
            `${p} is set on ${aCheckOf(type)}: Route 53 accepts it only on endpoint checks (${listed(ENDPOINT_TYPES)}) and refuses the check; remove ${p}.`,
        );
    }
    if (bool(i.measureLatency) === true) {
        problems.push(
            `measureLatency is true on ${aCheckOf(type)}: Route 53 measures latency only for endpoint checks (${listed(ENDPOINT_TYPES)}); remove measureLatency.`,
        );
    }
    if (type !== "RECOVERY_CONTROL") {
        for (const p of ["fqdn", "ipAddress", "port"].filter((p) => isSet(i[p]))) {
            problems.push(
                `${p} is set on ${aCheckOf(type)}: Route 53 requires a ${type} check to have no fqdn, ipAddress or port and refuses it otherwise; remove ${p}.`,
            );
        }
    }
    problems.push(...straySearchString(i, type));
    if (type === "CLOUDWATCH_METRIC") {
        problems.push(...alarmIdentifierProblems(i));
    } else {
        problems.push(...strayAlarmSettings(i, type));
    }
    if (type === "RECOVERY_CONTROL" && !given(i.routingControlArn)) {
        problems.push(
            "a RECOVERY_CONTROL check needs routingControlArn, and AWS refuses it without one; set it to the ARC routing control that switches this region.",
        );
    }
    return problems;
}

/** The alarm a CLOUDWATCH_METRIC check follows: name and region required, values AWS knows. */
function alarmIdentifierProblems(i: Record<string, unknown>): string[] {
    const problems: string[] = [];
    if (!isSet(i.cloudwatchAlarmName)) {
        problems.push(
            "a CLOUDWATCH_METRIC check needs cloudwatchAlarmName, and AWS refuses it without one; set it to the name of the alarm it follows.",
        );
    }
    const region = i.cloudwatchAlarmRegion;
    if (!isSet(region)) {
        problems.push(
            "a CLOUDWATCH_METRIC check needs cloudwatchAlarmRegion, and AWS refuses it without one; set it to the region the alarm lives in.",
        );
    } else if (!isUnknown(region) && !ALARM_REGIONS.includes(str(region) ?? "")) {
        problems.push(
            `cloudwatchAlarmRegion is ${shown(region)}, a region Route 53 cannot read alarms from, so AWS refuses the check; set it to the alarm's region (one of Route 53's CloudWatch regions, such as us-east-1).`,
        );
    }
    const status = i.insufficientDataHealthStatus;
    const statuses = INSUFFICIENT_DATA_STATUSES;
    if (isSet(status) && !isUnknown(status) && !statuses.includes(str(status) ?? "")) {
        problems.push(
            `insufficientDataHealthStatus is ${shown(status)}: AWS accepts only ${listed(statuses.map(shown))} and refuses the check; choose one.`,
        );
    }
    return problems;
}

function healthCheckSettingsProblems(r: ResourceSnapshot): string[] {
    const i = r.inputs;
    const type = checkType(r);
    const wrongShape = given(i.type) && !isUnknown(i.type) && type === undefined;
    if (wrongShape || (type !== undefined && !HEALTH_CHECK_TYPES.includes(type))) {
        return [
            `type ${shown(i.type)} is not a Route 53 health check type, so AWS refuses the check; use one of ${listed(HEALTH_CHECK_TYPES)}.`,
        ];
    }
    if (type !== undefined && FOLLOWER_TYPES.includes(type)) {
        return followerProblems(i, type);
    }
    // An endpoint check, or a type unknown until deployed: its values are judged all the same.
    return [...endpointValueProblems(i), ...(type ? endpointTypeProblems(i, type) : [])];
}

export const healthCheckSettings: ResourceRule = {
    id: "health-check-settings",
    scope: "resource",
    severity: "error",
    types: [T.healthCheck],
    description:
        "Health checks use only settings Route 53 accepts for their type: interval 10 or 30, threshold 1-10, at least 3 distinct checker regions, a search string (required, at most 255 characters) on string-matching checks only, a public ipAddress, alarm settings on CLOUDWATCH_METRIC checks only, and no endpoint settings on CALCULATED, CLOUDWATCH_METRIC or RECOVERY_CONTROL checks.",
    remediation:
        "Use the values Route 53 allows, and give each type only its own settings (an endpoint for endpoint checks, an alarm for CLOUDWATCH_METRIC checks, children for CALCULATED checks).",
    url: HEALTH_CHECK_CONFIG_URL,
    example: `new aws.route53.HealthCheck("primary", {
    type: "HTTPS",
    fqdn: "use1.api.example.com",
    requestInterval: 15, // only 10 or 30
    regions: ["us-east-1", "us-west-2"], // at least 3
});`,
    check: healthCheckSettingsProblems,
};

// ---- health-check-targets-routed-name --------------------------------------------------------

export const healthCheckTargetsRoutedName: GroupRule = {
    id: "health-check-targets-routed-name",
    scope: "deployment",
    severity: "error",
    description:
        "A health check that guards a record never targets a name that Route 53 itself routes (failover, latency, weighted, ...): it must target one region's own hostname.",
    remediation:
        "Give each region a hostname of its own (a simple record for that region only) and point its health check there.",
    url: HEALTH_CHECK_CONFIG_URL,
    example: `const check = new aws.route53.HealthCheck("primary", {
    type: "HTTPS", fqdn: "api.example.com", port: 443, resourcePath: "/health",
});
new aws.route53.Record("primary", {
    zoneId, name: "api.example.com", type: "A", setIdentifier: "primary",
    failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: check.id,
    aliases: [{ name: domain.regionalDomainName, zoneId: domain.regionalZoneId, evaluateTargetHealth: true }],
});`,
    check(resources) {
        const routed = groupBy(
            ofType(resources, T.record).filter((r) => routingPolicyOf(r) !== undefined),
            (r) => {
                const name = str(r.inputs.name);
                return name === undefined ? undefined : dnsName(name);
            },
        );
        const guarding = guardingChecks(resources);
        return ofType(resources, T.healthCheck)
            .filter((c) => isEndpointType(checkType(c)) && guarding.has(c))
            .flatMap((check) => {
                const fqdn = str(check.inputs.fqdn);
                const records = fqdn === undefined ? undefined : routed.get(dnsName(fqdn));
                if (!fqdn || !records) {
                    return [];
                }
                const policies = [...new Set(records.map((r) => routingPolicyOf(r)!))];
                return [
                    {
                        resource: check,
                        message: `fqdn ${shown(fqdn)} is the name Route 53 routes with the ${listed(policies)} records ${listed(records.map((r) => `"${label(r)}"`))}: a check on the routed name tests whichever region DNS answers with, so AWS warns its results are unpredictable and a failed region may never leave; point the check at the region's own hostname (a simple record, such as use1.${dnsName(fqdn)}).`,
                    },
                ];
            });
    },
};

// ---- health-check-execute-api-disabled --------------------------------------------------------

export const healthCheckExecuteApiDisabled: GroupRule = {
    id: "health-check-execute-api-disabled",
    scope: "stack",
    severity: "error",
    description:
        "A health check never targets the default execute-api endpoint of an API that disables it (disableExecuteApiEndpoint: true).",
    remediation:
        "Point the check at a custom domain of the API (the region's own hostname), which keeps answering when the default endpoint is off.",
    url: "https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html",
    example: `const api = new aws.apigateway.RestApi("api", { disableExecuteApiEndpoint: true });
new aws.route53.HealthCheck("primary", {
    type: "HTTPS", port: 443, resourcePath: "/prod/health",
    fqdn: api.id.apply((id) => \`\${id}.execute-api.us-east-1.amazonaws.com\`),
});`,
    check(resources) {
        const apis = ofType(resources, T.restApi, T.apiV2).filter(
            (a) => bool(a.inputs.disableExecuteApiEndpoint) === true,
        );
        return ofType(resources, T.healthCheck)
            .filter((c) => isEndpointType(checkType(c)))
            .flatMap((check) => {
                const fqdn = str(check.inputs.fqdn);
                const host = fqdn === undefined ? undefined : executeApiHost(fqdn);
                if (!fqdn || !host) {
                    return [];
                }
                const api = apis.find(
                    (a) =>
                        a.stack === check.stack &&
                        (a.region === undefined || a.region === host.region) &&
                        (host.id === `${a.name}-id`.toLowerCase() ||
                            // A custom domain's own target (d-...) is not the default endpoint.
                            (!host.id.startsWith("d-") && dependsOn(check, a))),
                );
                return api
                    ? [
                          {
                              resource: check,
                              message: `fqdn ${shown(fqdn)} is the default endpoint of API "${label(api)}", which sets disableExecuteApiEndpoint: API Gateway answers 403 Forbidden there, so this check is always unhealthy and whatever it guards never serves; point the check at a custom domain of the API (the region's own hostname).`,
                          },
                      ]
                    : [];
            });
    },
};

// ---- alarm-unsupported-by-route53 --------------------------------------------------------------

/** Why Route 53 cannot follow `alarm`: one reason per unsupported feature. */
function unsupportedAlarmFeatures(alarm: ResourceSnapshot): string[] {
    const i = alarm.inputs;
    const reasons: string[] = [];
    const extended = str(i.extendedStatistic);
    if (extended) {
        reasons.push(
            `uses the extended statistic ${shown(extended)}: Route 53 follows only alarms on Average, Minimum, Maximum, Sum or SampleCount, so routing never reacts to it; alarm on a standard statistic (Maximum or Average for latency)`,
        );
    }
    if ((list(i.metricQueries)?.length ?? 0) > 0) {
        reasons.push(
            "is built from metricQueries (metric math): Route 53 cannot follow metric-math alarms, so routing never reacts to it; alarm on one metric with namespace, metricName and a standard statistic",
        );
    }
    const datapoints = num(i.datapointsToAlarm);
    const periods = num(i.evaluationPeriods);
    if (datapoints !== undefined && periods !== undefined && datapoints < periods) {
        reasons.push(
            `alarms on ${datapoints} of ${periods} datapoints (M out of N): Route 53 cannot follow M-out-of-N alarms, so routing never reacts to it; set datapointsToAlarm to evaluationPeriods (${periods})`,
        );
    }
    const period = num(i.period);
    if (period !== undefined && ![10, 20, 30].includes(period) && period % 60 !== 0) {
        reasons.push(
            `has a ${period}-second period, which CloudWatch refuses (it accepts 10, 20, 30 or a multiple of 60), so the alarm is never created and the check follows nothing; use 60 seconds or a multiple of 60 (Route 53 follows only standard-resolution alarms)`,
        );
    } else if (period !== undefined && period < 60) {
        reasons.push(
            `has a ${period}-second period (high resolution): Route 53 follows only standard-resolution alarms, so routing never reacts to it; use a period of 60 seconds or a multiple of 60`,
        );
    }
    return reasons;
}

export const alarmUnsupportedByRoute53: GroupRule = {
    id: "alarm-unsupported-by-route53",
    scope: "deployment",
    severity: "error",
    description:
        "A CLOUDWATCH_METRIC health check follows only an alarm Route 53 can evaluate: a standard statistic, one metric (no metric math), datapointsToAlarm equal to evaluationPeriods, and a period of 60 seconds or a multiple of 60 (standard resolution; CloudWatch itself refuses periods other than 10, 20, 30 or a multiple of 60).",
    remediation:
        "Alarm on one metric with Average, Minimum, Maximum, Sum or SampleCount, a period of 60 seconds or a multiple, and as many datapoints to alarm as evaluation periods.",
    url: HEALTH_CHECK_VALUES_URL,
    example: `const alarm = new aws.cloudwatch.MetricAlarm("latency", {
    name: "api-latency", namespace: "AWS/ApiGateway", metricName: "Latency",
    extendedStatistic: "p99", period: 60, evaluationPeriods: 3, datapointsToAlarm: 2,
    threshold: 1000, comparisonOperator: "GreaterThanThreshold",
});
new aws.route53.HealthCheck("latency", {
    type: "CLOUDWATCH_METRIC", cloudwatchAlarmName: "api-latency", cloudwatchAlarmRegion: "us-east-1",
});`,
    check(resources) {
        const alarms = ofType(resources, T.alarm);
        return ofType(resources, T.healthCheck)
            .filter((c) => checkType(c) === "CLOUDWATCH_METRIC")
            .flatMap((check) =>
                followedAlarms(check, alarms).flatMap((alarm) =>
                    unsupportedAlarmFeatures(alarm).map((reason) => ({
                        resource: check,
                        message: `follows alarm ${named(alarm)}, which ${reason}.`,
                    })),
                ),
            );
    },
};

// ---- alarm-check-region-mismatch --------------------------------------------------------------

export const alarmCheckRegionMismatch: GroupRule = {
    id: "alarm-check-region-mismatch",
    scope: "deployment",
    severity: "error",
    description:
        "A CLOUDWATCH_METRIC health check's cloudwatchAlarmRegion is the region its alarm is created in.",
    remediation:
        "Set cloudwatchAlarmRegion to the region of the alarm (the alarm's provider or region), or create the alarm in the region the check names.",
    url: HEALTH_CHECK_CONFIG_URL,
    example: `const alarm = new aws.cloudwatch.MetricAlarm("errors", {
    region: "eu-west-1", name: "api-errors", namespace: "AWS/ApiGateway", metricName: "5XXError",
    statistic: "Sum", period: 60, evaluationPeriods: 1, threshold: 5, comparisonOperator: "GreaterThanThreshold",
});
new aws.route53.HealthCheck("errors", {
    type: "CLOUDWATCH_METRIC", cloudwatchAlarmName: "api-errors", cloudwatchAlarmRegion: "us-east-1",
    insufficientDataHealthStatus: "LastKnownStatus",
}, { dependsOn: [alarm] });`,
    check(resources, ctx) {
        const alarms = ofType(resources, T.alarm);
        return ofType(resources, T.healthCheck)
            .filter((c) => checkType(c) === "CLOUDWATCH_METRIC")
            .flatMap((check) => {
                const region = str(check.inputs.cloudwatchAlarmRegion);
                if (region === undefined) {
                    return [];
                }
                const name = str(check.inputs.cloudwatchAlarmName);
                const meant = alarms.filter((a) => {
                    const alarmName = str(a.inputs.name);
                    return name !== undefined && alarmName !== undefined
                        ? alarmName === name
                        : dependsOn(check, a);
                });
                // Judged only when every stack is seen, or the alarm is the check's own stack's:
                // an alarm of that name in the check's region may live in a stack not seen.
                const seen = meant.filter(
                    (a) => ctx.wholeDeployment || a.stack === check.stack || dependsOn(check, a),
                );
                if (meant.some((a) => a.region === undefined || a.region === region)) {
                    return [];
                }
                const elsewhere = seen.filter((a) => a.region !== undefined);
                if (elsewhere.length === 0) {
                    return [];
                }
                const where = listed([...new Set(elsewhere.map((a) => a.region!))].sort());
                const alarm = name !== undefined ? `an alarm named ${shown(name)}` : "its alarm";
                return [
                    {
                        resource: check,
                        message: `cloudwatchAlarmRegion is ${shown(region)}, but ${alarm} exists only in ${where} (${listed(elsewhere.map(named))}): Route 53 looks for the alarm in ${region}, where there is none, so the check cannot follow the alarm the program creates (AWS refuses the check, or it reports its insufficient-data status whatever the alarm says); set cloudwatchAlarmRegion to ${elsewhere[0].region}, or create the alarm in ${region}.`,
                    },
                ];
            });
    },
};

// ---- calculated checks ------------------------------------------------------------------------

const calculated = (r: ResourceSnapshot) => checkType(r) === "CALCULATED";

const children = (n: number) => (n === 1 ? "1 child" : `${n} children`);

export const calculatedNeverHealthy: ResourceRule = {
    id: "calculated-never-healthy",
    scope: "resource",
    severity: "error",
    types: [T.healthCheck],
    description:
        "A CALCULATED health check's childHealthThreshold is at most its number of children.",
    remediation:
        "Lower childHealthThreshold to the number of children that must be healthy, or add the missing children.",
    url: HEALTH_CHECK_CONFIG_URL,
    example: `new aws.route53.HealthCheck("all", {
    type: "CALCULATED",
    childHealthchecks: [endpoint.id, guard.id],
    childHealthThreshold: 3,
});`,
    check(r) {
        const ids = childIds(r);
        const threshold = num(r.inputs.childHealthThreshold);
        if (!calculated(r) || ids === undefined || threshold === undefined) {
            return [];
        }
        const { atMost } = childCount(ids);
        return threshold > atMost
            ? [
                  `childHealthThreshold is ${threshold} but the check has ${children(atMost)}: Route 53 considers it always unhealthy, so whatever it guards never serves (a failover primary never answers, a latency region is always skipped); set it to at most ${atMost}.`,
              ]
            : [];
    },
};

export const calculatedAlwaysHealthy: ResourceRule = {
    id: "calculated-always-healthy",
    scope: "resource",
    severity: "warning",
    types: [T.healthCheck],
    description:
        "A CALCULATED health check with children sets childHealthThreshold above 0: with 0 it is always healthy (and unset, AWS refuses it or takes 0).",
    remediation:
        "Set childHealthThreshold to the number of children that must be healthy: all of them for AND, 1 for OR.",
    url: HEALTH_CHECK_CONFIG_URL,
    example: `new aws.route53.HealthCheck("all", {
    type: "CALCULATED",
    childHealthchecks: [endpoint.id, guard.id],
    // childHealthThreshold missing: always healthy
});`,
    check(r) {
        const ids = childIds(r);
        const value = r.inputs.childHealthThreshold;
        if (!calculated(r) || isUnknown(value) || (ids !== undefined && ids.length === 0)) {
            return [];
        }
        const unset = !given(value);
        if (!unset && num(value) !== 0) {
            return [];
        }
        const withChildren = ids === undefined ? "" : ` (with ${children(childCount(ids).atMost)})`;
        const all = ids === undefined ? "all of them" : String(childCount(ids).atMost);
        const fix = `set it to the number of children that must be healthy (${all} for AND, 1 for OR)`;
        // Unset, AWS refuses the check ("Calculated health checks must have a health threshold
        // specified") where the provider sends nothing, or takes it as 0 where it sends 0.
        return [
            unset
                ? `childHealthThreshold is not set${withChildren}: AWS refuses the check, or, where the provider sends 0, considers it always healthy, so it never takes anything out of service; ${fix}.`
                : `childHealthThreshold is 0${withChildren}: Route 53 considers the check always healthy, so it never takes anything out of service; ${fix}.`,
        ];
    },
};

export const calculatedChildCalculated: GroupRule = {
    id: "calculated-child-calculated",
    scope: "stack",
    severity: "error",
    description: "A CALCULATED health check never lists another CALCULATED check as a child.",
    remediation:
        "List the endpoint, alarm or recovery-control checks themselves as children of one CALCULATED check.",
    url: HEALTH_CHECK_VALUES_URL,
    example: `const inner = new aws.route53.HealthCheck("inner", {
    type: "CALCULATED", childHealthchecks: [a.id, b.id], childHealthThreshold: 2,
});
new aws.route53.HealthCheck("outer", {
    type: "CALCULATED", childHealthchecks: [inner.id, c.id], childHealthThreshold: 2,
});`,
    check(resources) {
        const checks = ofType(resources, T.healthCheck);
        return checks.filter(calculated).flatMap((parent) =>
            referencedChecks(parent, childIds(parent) ?? [], checks)
                .filter(calculated)
                .map((child) => ({
                    resource: parent,
                    message: `lists the CALCULATED check "${label(child)}" as a child: Route 53 does not let a calculated check monitor another calculated check and refuses it; list "${label(child)}"'s own children here instead.`,
                })),
        );
    },
};

export const calculatedTooManyChildren: ResourceRule = {
    id: "calculated-too-many-children",
    scope: "resource",
    severity: "error",
    types: [T.healthCheck],
    description: `A CALCULATED health check lists at most ${MAX_CHILDREN} children (Route 53 quota).`,
    remediation: `Keep at most ${MAX_CHILDREN} children: calculated checks cannot nest, so the list cannot be split across levels.`,
    url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html",
    example: `new aws.route53.HealthCheck("all", {
    type: "CALCULATED",
    childHealthchecks: servers.map((s) => s.healthCheck.id), // 300 servers
    childHealthThreshold: 200,
});`,
    check(r) {
        const ids = childIds(r);
        if (!calculated(r) || ids === undefined) {
            return [];
        }
        const { atLeast } = childCount(ids);
        return atLeast > MAX_CHILDREN
            ? [
                  `lists ${atLeast} children: a calculated check monitors at most ${MAX_CHILDREN} (Route 53 quota), so AWS refuses it; keep at most ${MAX_CHILDREN}, for example one check per region instead of per server (calculated checks cannot nest).`,
              ]
            : [];
    },
};

// ---- health-check-disabled --------------------------------------------------------------------

export const healthCheckDisabled: ResourceRule = {
    id: "health-check-disabled",
    scope: "resource",
    severity: "warning",
    types: [T.healthCheck],
    description:
        "Health checks are not disabled: Route 53 considers a disabled check healthy, so disabling never drains a region.",
    remediation:
        "To take a region out, invert the check (invertHealthcheck: true), or better flip a data-plane switch (an ARC routing control or an alarm's metric); then re-enable the check.",
    url: HEALTH_CHECK_CONFIG_URL,
    example: `new aws.route53.HealthCheck("primary", {
    type: "HTTPS", fqdn: "use1.api.example.com", port: 443, resourcePath: "/health",
    disabled: true, // meant to drain us-east-1: it does the opposite
});`,
    check(r) {
        return bool(r.inputs.disabled) === true
            ? [
                  "disabled is true: Route 53 considers a disabled check always healthy, so what it guards keeps serving even if broken, and disabling it never drains a region; to take the region out, set invertHealthcheck: true or (better, without a control-plane change) flip a data-plane switch such as an ARC routing control or an alarm's metric.",
              ]
            : [];
    },
};

// ---- health-check-https-tls13-only -------------------------------------------------------------

/** API Gateway policies that accept TLS 1.3 only (SecurityPolicy_TLS13_1_3_*). */
const tls13Only = (policy: string | undefined): boolean =>
    policy !== undefined && /^SecurityPolicy_TLS13_1_3(_|$)/i.test(policy);

export const healthCheckHttpsTls13Only: GroupRule = {
    id: "health-check-https-tls13-only",
    scope: "stack",
    severity: "warning",
    description:
        "An HTTPS health check never targets an API Gateway custom domain whose security policy accepts TLS 1.3 only: AWS documents that Route 53 HTTPS checks need TLS 1.0, 1.1 or 1.2.",
    remediation:
        "Give the checked domain a security policy that also accepts TLS 1.2 (TLS_1_2 or SecurityPolicy_TLS13_1_2_2021_06), for example a per-region health hostname of its own.",
    url: HEALTH_CHECK_CONFIG_URL,
    example: `new aws.apigateway.DomainName("regional", {
    domainName: "use1.api.example.com", regionalCertificateArn,
    endpointConfiguration: { types: "REGIONAL" },
    securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT",
});
new aws.route53.HealthCheck("primary", {
    type: "HTTPS", fqdn: "use1.api.example.com", port: 443, resourcePath: "/health",
});`,
    check(resources) {
        const domains = ofType(resources, T.domainName).filter((d) =>
            tls13Only(str(d.inputs.securityPolicy)),
        );
        return ofType(resources, T.healthCheck)
            .filter((c) => ["HTTPS", "HTTPS_STR_MATCH"].includes(checkType(c) ?? ""))
            .flatMap((check) => {
                const fqdn = str(check.inputs.fqdn);
                if (!fqdn) {
                    return [];
                }
                const domain = domains.find(
                    (d) => d.stack === check.stack && customDomainName(d) === dnsName(fqdn),
                );
                return domain
                    ? [
                          {
                              resource: check,
                              message: `fqdn ${shown(fqdn)} is custom domain "${label(domain)}", whose security policy ${shown(str(domain.inputs.securityPolicy))} accepts TLS 1.3 only, while AWS documents (HealthCheckConfig API reference) that Route 53 HTTPS checks need TLS 1.0, 1.1 or 1.2: the check may never connect and keep its region out; use a policy that also accepts TLS 1.2 (TLS_1_2 or SecurityPolicy_TLS13_1_2_2021_06).`,
                          },
                      ]
                    : [];
            });
    },
};

// ---- alarm-check-missing-data -----------------------------------------------------------------

/**
 * This project's derived-metric guard component (a heartbeat-like metric; see below), by its type
 * token and the one of versions before 0.2.0 (a pack newer than the program judging it).
 */
const DERIVED_METRIC_GUARDS = [
    "multi-region-api:index:DerivedMetricGuard",
    "multiregion:index:DerivedMetricGuard",
];

export const alarmCheckMissingData: GroupRule = {
    id: "alarm-check-missing-data",
    scope: "deployment",
    severity: "warning",
    description:
        "A CLOUDWATCH_METRIC health check does not turn unhealthy when its metric goes quiet: no insufficientDataHealthStatus of Unhealthy, no alarm that treats missing data as breaching.",
    remediation:
        'Let silence keep the last state or count as healthy: insufficientDataHealthStatus "LastKnownStatus" or "Healthy", and the alarm\'s treatMissingData "notBreaching", "ignore" or "missing".',
    url: HEALTH_CHECK_CONFIG_URL,
    example: `new aws.route53.HealthCheck("errors", {
    type: "CLOUDWATCH_METRIC", cloudwatchAlarmName: alarm.name, cloudwatchAlarmRegion: "us-east-1",
    insufficientDataHealthStatus: "Unhealthy", // no traffic in the standby region: it fails over
});`,
    check(resources) {
        const alarms = ofType(resources, T.alarm);
        const quiet =
            "(no traffic in a standby region, a publisher that stopped), Route 53 takes what this check guards out of service although nothing failed";
        return (
            ofType(resources, T.healthCheck)
                .filter((c) => checkType(c) === "CLOUDWATCH_METRIC")
                // A derived-metric guard's bridge publishes every minute, 0 without traffic: there,
                // silence means the bridge or its region failed, and must count against the region.
                .filter((c) => !DERIVED_METRIC_GUARDS.some((t) => c.urn.includes(`${t}$`)))
                .flatMap((check) => {
                    const found: { resource: ResourceSnapshot; message: string }[] = [];
                    if (str(check.inputs.insufficientDataHealthStatus) === "Unhealthy") {
                        found.push({
                            resource: check,
                            message: `insufficientDataHealthStatus is "Unhealthy": whenever the alarm's metric has too little data ${quiet}; use "LastKnownStatus" or "Healthy" unless silence really means down.`,
                        });
                    }
                    for (const alarm of followedAlarms(check, alarms)) {
                        if (str(alarm.inputs.treatMissingData) === "breaching") {
                            found.push({
                                resource: check,
                                message: `follows alarm ${named(alarm)}, which treats missing data as breaching: whenever its metric goes quiet ${quiet}; set treatMissingData to "notBreaching" (silence is healthy) or "ignore" (keep the last state).`,
                            });
                        }
                    }
                    return found;
                })
        );
    },
};

export const HEALTH_CHECK_RULES: readonly Rule[] = [
    healthCheckSettings,
    healthCheckTargetsRoutedName,
    healthCheckExecuteApiDisabled,
    alarmUnsupportedByRoute53,
    alarmCheckRegionMismatch,
    calculatedNeverHealthy,
    calculatedAlwaysHealthy,
    calculatedChildCalculated,
    calculatedTooManyChildren,
    healthCheckDisabled,
    healthCheckHttpsTls13Only,
    alarmCheckMissingData,
];
