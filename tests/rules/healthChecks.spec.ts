import * as assert from "node:assert/strict";
import { HEALTH_CHECK_RULES } from "../../plan/rules/healthChecks";
import {
    alarmCheckMissingData,
    alarmCheckRegionMismatch,
    alarmUnsupportedByRoute53,
    calculatedAlwaysHealthy,
    calculatedChildCalculated,
    calculatedNeverHealthy,
    calculatedTooManyChildren,
    healthCheckDisabled,
    healthCheckExecuteApiDisabled,
    healthCheckHttpsTls13Only,
    healthCheckSettings,
    healthCheckTargetsRoutedName,
    uncheckableRange,
} from "../../plan/rules/healthChecks";
import { Finding, ResourceSnapshot, Rule, UNKNOWN, runRules } from "../../plan/rules";
import { T } from "../../plan/rules/values";
import { dependingOn, finding as findingOf, findingsOf, snap, urnOf } from "./helpers";

/** The finding `rule` reports on the resource of `type` named `name`. */
const finding = (rule: Rule, type: string, name: string, message: string): Finding =>
    findingOf(rule, { urn: urnOf(type, name), name }, message);

const onCheck = (rule: Rule, name: string, message: string) =>
    finding(rule, T.healthCheck, name, message);

const CHECKERS =
    "ap-northeast-1, ap-southeast-1, ap-southeast-2, eu-west-1, sa-east-1, us-east-1, us-west-1, us-west-2";

/** An endpoint check as FailoverDomain makes it. */
const endpointCheck = (name: string, more: Record<string, unknown> = {}) =>
    snap(T.healthCheck, name, {
        type: "HTTPS_STR_MATCH",
        fqdn: "use1.api.example.com",
        port: 443,
        resourcePath: "/health",
        searchString: "healthy",
        requestInterval: 10,
        failureThreshold: 3,
        regions: ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"],
        enableSni: true,
        ...more,
    });

const alarmCheck = (
    name: string,
    more: Record<string, unknown> = {},
    deps: ResourceSnapshot[] = [],
) =>
    snap(
        T.healthCheck,
        name,
        {
            type: "CLOUDWATCH_METRIC",
            cloudwatchAlarmName: "switch-alarm",
            cloudwatchAlarmRegion: "us-west-2",
            insufficientDataHealthStatus: "LastKnownStatus",
            ...more,
        },
        dependingOn(...deps),
    );

const alarm = (name: string, more: Record<string, unknown> = {}, region = "us-west-2") =>
    snap(
        T.alarm,
        name,
        {
            name: "switch-alarm",
            namespace: "HealthCheck",
            metricName: "Failover",
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "ignore",
            ...more,
        },
        { region },
    );

const calculatedCheck = (
    name: string,
    children: unknown,
    threshold?: unknown,
    deps: ResourceSnapshot[] = [],
) =>
    snap(
        T.healthCheck,
        name,
        {
            type: "CALCULATED",
            childHealthchecks: children,
            ...(threshold === undefined ? {} : { childHealthThreshold: threshold }),
        },
        dependingOn(...deps),
    );

const routedRecord = (
    name: string,
    policy: Record<string, unknown>,
    healthCheckId: unknown,
    deps: ResourceSnapshot[] = [],
) =>
    snap(
        T.record,
        name,
        {
            zoneId: "ZONE",
            name: "api.example.com",
            type: "A",
            setIdentifier: name,
            healthCheckId,
            aliases: [
                {
                    name: "d-abc.execute-api.us-east-1.amazonaws.com",
                    zoneId: "Z1",
                    evaluateTargetHealth: true,
                },
            ],
            ...policy,
        },
        dependingOn(...deps),
    );

const FAILOVER_PRIMARY = { failoverRoutingPolicies: [{ type: "PRIMARY" }] };

describe("health check rules", () => {
    describe("health-check-settings", () => {
        const rule = healthCheckSettings;
        const found = (name: string, ...messages: string[]) =>
            messages.map((m) => onCheck(rule, name, m));

        it("passes the endpoint, calculated and alarm checks FailoverDomain and AlarmHealthCheck make", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    endpointCheck("endpoint"),
                    calculatedCheck("calculated", ["endpoint-id", "switch-id"], 2),
                    alarmCheck("switch"),
                    snap(T.healthCheck, "arc", {
                        type: "recovery_control",
                        routingControlArn:
                            "arn:aws:route53-recovery-control::1:controlpanel/x/routingcontrol/y",
                    }),
                    // The provider's defaults for disabled and measureLatency are false: not set.
                    calculatedCheck("defaults", ["endpoint-id"], 1),
                    snap(T.healthCheck, "tcp", {
                        type: "TCP",
                        ipAddress: "52.94.236.248",
                        port: 443,
                        measureLatency: false,
                        disabled: false,
                        searchString: "",
                    }),
                ]),
                [],
            );
        });

        it("names the interval, threshold and search string values Route 53 refuses", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    endpointCheck("bad", {
                        requestInterval: 15,
                        failureThreshold: "11",
                        searchString: "x".repeat(256),
                    }),
                    endpointCheck("odd", { requestInterval: "thirty", failureThreshold: 2.5 }),
                    endpointCheck("strings", { requestInterval: "30", failureThreshold: "3" }),
                ]),
                [
                    ...found(
                        "bad",
                        'failureThreshold is "11": Route 53 accepts an integer from 1 to 10 and refuses the check otherwise; 3 (the default) rides out one slow answer.',
                        "requestInterval is 15: Route 53 checks every 10 or 30 seconds only and refuses any other interval; set 10 (fast, an extra charge) or 30.",
                        "searchString has 256 characters: Route 53 refuses more than 255; search for a shorter marker of a healthy answer.",
                    ),
                    ...found(
                        "odd",
                        "failureThreshold is 2.5: Route 53 accepts an integer from 1 to 10 and refuses the check otherwise; 3 (the default) rides out one slow answer.",
                        'requestInterval is "thirty": Route 53 checks every 10 or 30 seconds only and refuses any other interval; set 10 (fast, an extra charge) or 30.',
                    ),
                ],
            );
        });

        it("reports too few, repeated and unknown checker regions, one finding each", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    endpointCheck("few", { regions: ["us-east-1", "us-east-1", "eu-central-1"] }),
                    endpointCheck("odd", { regions: [7, "us-west-2", "eu-west-1"] }),
                    endpointCheck("unset", { regions: [] }),
                    endpointCheck("pending", { regions: [UNKNOWN, "us-west-2", "eu-west-1"] }),
                ]),
                [
                    ...found(
                        "few",
                        `regions includes "eu-central-1", which Route 53 does not check from, so AWS refuses the check; choose from ${CHECKERS}.`,
                        `regions lists "us-east-1" more than once: each checker region counts once; list it once and add another region if fewer than 3 remain.`,
                        `regions lists 2 distinct checker regions: Route 53 requires at least 3 and refuses fewer; add regions from ${CHECKERS}.`,
                    ),
                    ...found(
                        "odd",
                        `regions includes 7, which Route 53 does not check from, so AWS refuses the check; choose from ${CHECKERS}.`,
                    ),
                ],
            );
        });

        it("reports endpoint settings on CALCULATED, CLOUDWATCH_METRIC and RECOVERY_CONTROL checks", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    calculatedCheck("calc", ["a-id"], 1),
                    snap(T.healthCheck, "calc2", {
                        type: "CALCULATED",
                        childHealthchecks: ["a-id"],
                        childHealthThreshold: 1,
                        requestInterval: 30,
                        measureLatency: true,
                        fqdn: "use1.api.example.com",
                    }),
                    alarmCheck("alarm", { failureThreshold: 3, port: 443 }),
                    snap(T.healthCheck, "arc", {
                        type: "RECOVERY_CONTROL",
                        routingControlArn: "arn:x",
                        measureLatency: "true",
                        fqdn: "a.example.com",
                    }),
                ]),
                [
                    ...found(
                        "alarm",
                        "failureThreshold is set on a CLOUDWATCH_METRIC check: Route 53 accepts it only on endpoint checks (HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH and TCP) and refuses the check; remove failureThreshold.",
                        "port is set on a CLOUDWATCH_METRIC check: Route 53 requires a CLOUDWATCH_METRIC check to have no fqdn, ipAddress or port and refuses it otherwise; remove port.",
                    ),
                    ...found(
                        "arc",
                        "measureLatency is true on a RECOVERY_CONTROL check: Route 53 measures latency only for endpoint checks (HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH and TCP); remove measureLatency.",
                    ),
                    ...found(
                        "calc2",
                        "fqdn is set on a CALCULATED check: Route 53 requires a CALCULATED check to have no fqdn, ipAddress or port and refuses it otherwise; remove fqdn.",
                        "measureLatency is true on a CALCULATED check: Route 53 measures latency only for endpoint checks (HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH and TCP); remove measureLatency.",
                        "requestInterval is set on a CALCULATED check: Route 53 accepts it only on endpoint checks (HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH and TCP) and refuses the check; remove requestInterval.",
                    ),
                ],
            );
        });

        it("reports alarm settings on checks that follow no alarm, and a CLOUDWATCH_METRIC check without its alarm", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    endpointCheck("basic", {
                        type: "HTTPS",
                        searchString: undefined,
                        cloudwatchAlarmRegion: "us-east-1",
                    }),
                    snap(T.healthCheck, "bare", {
                        type: "CLOUDWATCH_METRIC",
                        cloudwatchAlarmRegion: "mars-1",
                        insufficientDataHealthStatus: "healthy",
                    }),
                    snap(T.healthCheck, "arc", { type: "RECOVERY_CONTROL" }),
                ]),
                [
                    ...found(
                        "arc",
                        "a RECOVERY_CONTROL check needs routingControlArn, and AWS refuses it without one; set it to the ARC routing control that switches this region.",
                    ),
                    ...found(
                        "bare",
                        "a CLOUDWATCH_METRIC check needs cloudwatchAlarmName, and AWS refuses it without one; set it to the name of the alarm it follows.",
                        `cloudwatchAlarmRegion is "mars-1", a region Route 53 cannot read alarms from, so AWS refuses the check; set it to the alarm's region (one of Route 53's CloudWatch regions, such as us-east-1).`,
                        `insufficientDataHealthStatus is "healthy": AWS accepts only "Healthy", "LastKnownStatus" and "Unhealthy" and refuses the check; choose one.`,
                    ),
                    ...found(
                        "basic",
                        "cloudwatchAlarmRegion is set on an HTTPS check, but only a CLOUDWATCH_METRIC check has an alarm: the AWS provider leaves it out when it creates the check, so the check never follows the alarm although the program says it does, and a later change to cloudwatchAlarmRegion is sent to Route 53 as an alarm for an HTTPS check, which it refuses; remove cloudwatchAlarmRegion, or follow the alarm with a separate CLOUDWATCH_METRIC check.",
                    ),
                ],
            );
        });

        it("reports an endpoint check without an endpoint, a search string it never searches, and an unknown type", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    snap(T.healthCheck, "nowhere", { type: "HTTPS", port: 443, fqdn: "" }),
                    endpointCheck("plain", { type: "https" }),
                    endpointCheck("tcp", { type: "TCP" }),
                    snap(T.healthCheck, "ping", { type: "PING", requestInterval: 5 }),
                    snap(T.healthCheck, "number", { type: 42 }),
                ]),
                [
                    ...found(
                        "nowhere",
                        "an HTTPS check needs fqdn or ipAddress to know what to check, and AWS refuses it without one; set fqdn to the region's own hostname.",
                    ),
                    ...found(
                        "number",
                        "type 42 is not a Route 53 health check type, so AWS refuses the check; use one of HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH, TCP, CALCULATED, CLOUDWATCH_METRIC and RECOVERY_CONTROL.",
                    ),
                    ...found(
                        "ping",
                        'type "PING" is not a Route 53 health check type, so AWS refuses the check; use one of HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH, TCP, CALCULATED, CLOUDWATCH_METRIC and RECOVERY_CONTROL.',
                    ),
                    ...found(
                        "plain",
                        "searchString is set on an HTTPS check: Route 53 searches response bodies only in HTTP_STR_MATCH and HTTPS_STR_MATCH checks, so this one passes on any 2xx or 3xx answer; use type HTTPS_STR_MATCH or remove searchString.",
                    ),
                    ...found(
                        "tcp",
                        "searchString is set on a TCP check: Route 53 searches response bodies only in HTTP_STR_MATCH and HTTPS_STR_MATCH checks, so this one passes on any accepted connection; use HTTPS_STR_MATCH or remove searchString.",
                    ),
                ],
            );
        });
    });

    describe("health-check-targets-routed-name", () => {
        const rule = healthCheckTargetsRoutedName;

        it("reports a check guarding a record when it targets the routed name", () => {
            const check = endpointCheck("primary-endpoint", { fqdn: "API.example.com." });
            const resources = [
                check,
                routedRecord("primary", FAILOVER_PRIMARY, "primary-endpoint-id"),
                routedRecord(
                    "secondary",
                    { failoverRoutingPolicies: [{ type: "SECONDARY" }] },
                    UNKNOWN,
                    [check],
                ),
            ];
            const message =
                'fqdn "API.example.com." is the name Route 53 routes with the failover records "primary" and "secondary": a check on the routed name tests whichever region DNS answers with, so AWS warns its results are unpredictable and a failed region may never leave; point the check at the region\'s own hostname (a simple record, such as use1.api.example.com).';
            assert.deepStrictEqual(findingsOf(rule, resources), [
                onCheck(rule, "primary-endpoint", message),
            ]);
            // What is visible is certainly wrong, even when other stacks are not seen.
            assert.deepStrictEqual(findingsOf(rule, resources, { wholeDeployment: false }), [
                onCheck(rule, "primary-endpoint", message),
            ]);
        });

        it("follows a calculated parent to the record it guards", () => {
            const endpoint = endpointCheck("endpoint", { fqdn: "api.example.com" });
            const parent = calculatedCheck("calculated", [UNKNOWN, "switch-id"], 2, [endpoint]);
            assert.deepStrictEqual(
                findingsOf(rule, [
                    endpoint,
                    parent,
                    routedRecord(
                        "latency",
                        { latencyRoutingPolicies: [{ region: "us-east-1" }] },
                        "calculated-id",
                    ),
                ]),
                [
                    onCheck(
                        rule,
                        "endpoint",
                        'fqdn "api.example.com" is the name Route 53 routes with the latency records "latency": a check on the routed name tests whichever region DNS answers with, so AWS warns its results are unpredictable and a failed region may never leave; point the check at the region\'s own hostname (a simple record, such as use1.api.example.com).',
                    ),
                ],
            );
        });

        it("passes a check on the region's own hostname, and a check on the routed name that guards nothing", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    endpointCheck("endpoint"),
                    endpointCheck("monitor", { fqdn: "api.example.com" }),
                    routedRecord("primary", FAILOVER_PRIMARY, "endpoint-id"),
                    snap(T.record, "regional", {
                        zoneId: "ZONE",
                        name: "use1.api.example.com",
                        type: "A",
                        aliases: [],
                    }),
                ]),
                [],
            );
        });
    });

    describe("health-check-execute-api-disabled", () => {
        const rule = healthCheckExecuteApiDisabled;
        const api = snap(T.restApi, "api", { name: "orders", disableExecuteApiEndpoint: true });

        it("reports a check on the default endpoint of an API that disables it (by mock id or by dependency)", () => {
            const byId = endpointCheck("by-id", {
                fqdn: "api-id.execute-api.us-east-1.amazonaws.com",
            });
            const byDependency = snap(
                T.healthCheck,
                "by-dependency",
                {
                    type: "HTTPS",
                    fqdn: "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
                    port: 443,
                },
                dependingOn(api),
            );
            const message = (fqdn: string) =>
                `fqdn "${fqdn}" is the default endpoint of API "api", which sets disableExecuteApiEndpoint: API Gateway answers 403 Forbidden there, so this check is always unhealthy and whatever it guards never serves; point the check at a custom domain of the API (the region's own hostname).`;
            assert.deepStrictEqual(findingsOf(rule, [api, byId, byDependency]), [
                onCheck(
                    rule,
                    "by-dependency",
                    message("a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"),
                ),
                onCheck(rule, "by-id", message("api-id.execute-api.us-east-1.amazonaws.com")),
            ]);
        });

        it("passes custom domains, enabled endpoints, other regions and the domain's own d- target", () => {
            const enabled = snap(T.restApi, "open", { disableExecuteApiEndpoint: false });
            assert.deepStrictEqual(
                findingsOf(rule, [
                    api,
                    enabled,
                    endpointCheck("custom"),
                    endpointCheck("open", { fqdn: "open-id.execute-api.us-east-1.amazonaws.com" }),
                    endpointCheck("elsewhere", {
                        fqdn: "api-id.execute-api.eu-west-1.amazonaws.com",
                    }),
                    snap(
                        T.healthCheck,
                        "target",
                        { type: "HTTPS", fqdn: "d-abc123.execute-api.us-east-1.amazonaws.com" },
                        dependingOn(api),
                    ),
                ]),
                [],
            );
        });
    });

    describe("alarm-unsupported-by-route53", () => {
        const rule = alarmUnsupportedByRoute53;

        it("reports every feature Route 53 cannot follow, matching the alarm by name and region", () => {
            const found = findingsOf(rule, [
                alarmCheck("check"),
                alarm("p99", {
                    extendedStatistic: "p99",
                    statistic: undefined,
                    datapointsToAlarm: "2",
                    evaluationPeriods: 3,
                    period: 10,
                }),
                alarm("math", {
                    name: "other",
                    metricQueries: [{ id: "e1", expression: "m1/m2" }],
                }),
                alarm("elsewhere", { extendedStatistic: "p90" }, "us-east-1"),
            ]);
            const on = (m: string) => onCheck(rule, "check", m);
            assert.deepStrictEqual(found, [
                on(
                    'follows alarm "p99" (us-west-2), which alarms on 2 of 3 datapoints (M out of N): Route 53 cannot follow M-out-of-N alarms, so routing never reacts to it; set datapointsToAlarm to evaluationPeriods (3).',
                ),
                on(
                    'follows alarm "p99" (us-west-2), which has a 10-second period (high resolution): Route 53 follows only standard-resolution alarms, so routing never reacts to it; use a period of 60 seconds or a multiple of 60.',
                ),
                on(
                    'follows alarm "p99" (us-west-2), which uses the extended statistic "p99": Route 53 follows only alarms on Average, Minimum, Maximum, Sum or SampleCount, so routing never reacts to it; alarm on a standard statistic (Maximum or Average for latency).',
                ),
            ]);
        });

        it("matches a generated or unknown alarm name by the check depending on the alarm", () => {
            const math = alarm("math", { name: undefined, metricQueries: [{ id: "m1" }] });
            assert.deepStrictEqual(
                findingsOf(rule, [
                    alarmCheck("check", { cloudwatchAlarmName: UNKNOWN }, [math]),
                    math,
                ]),
                [
                    onCheck(
                        rule,
                        "check",
                        'follows alarm "math" (us-west-2), which is built from metricQueries (metric math): Route 53 cannot follow metric-math alarms, so routing never reacts to it; alarm on one metric with namespace, metricName and a standard statistic.',
                    ),
                ],
            );
        });

        it("passes the alarms AlarmHealthCheck makes, and alarms in another region or another name", () => {
            const generated = alarm("generated", { name: undefined, period: 30 });
            assert.deepStrictEqual(
                findingsOf(rule, [
                    alarmCheck("check"),
                    alarm("switch"),
                    alarm("errors", {
                        name: "errors",
                        statistic: "Average",
                        evaluationPeriods: 3,
                        datapointsToAlarm: 3,
                        period: 120,
                    }),
                    alarm("east", { extendedStatistic: "p99" }, "us-east-1"),
                    alarm("other", { name: "other", period: 10 }),
                    // Depended on, but its region contradicts the check's.
                    generated,
                    alarmCheck(
                        "check2",
                        { cloudwatchAlarmName: "x", cloudwatchAlarmRegion: "eu-west-1" },
                        [generated],
                    ),
                ]),
                [],
            );
        });
    });

    describe("calculated-never-healthy", () => {
        const rule = calculatedNeverHealthy;

        it("reports a threshold above the number of children", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    calculatedCheck("and", ["a-id", "b-id", "a-id"], 3),
                    calculatedCheck("one", [UNKNOWN], "2"),
                ]),
                [
                    finding(
                        rule,
                        T.healthCheck,
                        "and",
                        "childHealthThreshold is 3 but the check has 2 children: Route 53 considers it always unhealthy, so whatever it guards never serves (a failover primary never answers, a latency region is always skipped); set it to at most 2.",
                    ),
                    finding(
                        rule,
                        T.healthCheck,
                        "one",
                        "childHealthThreshold is 2 but the check has 1 child: Route 53 considers it always unhealthy, so whatever it guards never serves (a failover primary never answers, a latency region is always skipped); set it to at most 1.",
                    ),
                ],
            );
        });

        it("passes AND and OR thresholds, and counts unknown children as possibly distinct", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    calculatedCheck("and", ["a-id", "b-id"], 2),
                    calculatedCheck("or", ["a-id", "b-id"], 1),
                    calculatedCheck("pending", ["a-id", UNKNOWN], 2),
                    snap(T.healthCheck, "endpoint", {
                        type: "HTTPS",
                        fqdn: "a.example.com",
                        childHealthThreshold: 4,
                    }),
                ]),
                [],
            );
        });
    });

    describe("calculated-always-healthy", () => {
        const rule = calculatedAlwaysHealthy;

        it("reports a threshold of 0 or unset with children", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    calculatedCheck("zero", ["a-id", "b-id"], 0),
                    calculatedCheck("unset", ["a-id"]),
                    calculatedCheck("pending", UNKNOWN, "0"),
                ]),
                [
                    finding(
                        rule,
                        T.healthCheck,
                        "pending",
                        "childHealthThreshold is 0: Route 53 considers the check always healthy, so it never takes anything out of service; set it to the number of children that must be healthy (all of them for AND, 1 for OR).",
                    ),
                    finding(
                        rule,
                        T.healthCheck,
                        "unset",
                        "childHealthThreshold is not set (with 1 child): AWS refuses the check, or, where the provider sends 0, considers it always healthy, so it never takes anything out of service; set it to the number of children that must be healthy (1 for AND, 1 for OR).",
                    ),
                    finding(
                        rule,
                        T.healthCheck,
                        "zero",
                        "childHealthThreshold is 0 (with 2 children): Route 53 considers the check always healthy, so it never takes anything out of service; set it to the number of children that must be healthy (2 for AND, 1 for OR).",
                    ),
                ],
            );
        });

        it("passes a positive threshold and a check without children", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    calculatedCheck("and", ["a-id", "b-id"], 2),
                    calculatedCheck("empty", [], 0),
                    calculatedCheck("pending", ["a-id"], UNKNOWN),
                ]),
                [],
            );
        });
    });

    describe("calculated-child-calculated", () => {
        const rule = calculatedChildCalculated;

        it("reports a calculated child, found by mock id or by dependency", () => {
            const inner = calculatedCheck("inner", ["a-id", "b-id"], 2);
            const other = calculatedCheck("other", ["c-id"], 1);
            const message = (child: string) =>
                `lists the CALCULATED check "${child}" as a child: Route 53 does not let a calculated check monitor another calculated check and refuses it; list "${child}"'s own children here instead.`;
            assert.deepStrictEqual(
                findingsOf(rule, [
                    inner,
                    other,
                    endpointCheck("a"),
                    calculatedCheck("outer", ["inner-id", "a-id"], 2),
                    calculatedCheck("pending", [UNKNOWN], 1, [other]),
                ]),
                [
                    onCheck(rule, "outer", message("inner")),
                    onCheck(rule, "pending", message("other")),
                ],
            );
        });

        it("passes endpoint and alarm children, and checks of other stacks with the same name", () => {
            const theirs = { ...calculatedCheck("inner", ["x-id"], 1), stack: "secondary" };
            const ours = {
                ...calculatedCheck("outer", ["a-id", "switch-id", "inner-id"], 3),
                stack: "primary",
            };
            assert.deepStrictEqual(
                findingsOf(rule, [endpointCheck("a"), alarmCheck("switch"), theirs, ours]),
                [],
            );
        });
    });

    describe("calculated-too-many-children", () => {
        const rule = calculatedTooManyChildren;
        const ids = (n: number) => Array.from({ length: n }, (_, k) => `c${k}-id`);

        it("reports more than 255 distinct children", () => {
            assert.deepStrictEqual(findingsOf(rule, [calculatedCheck("many", ids(256), 1)]), [
                finding(
                    rule,
                    T.healthCheck,
                    "many",
                    "lists 256 children: a calculated check monitors at most 255 (Route 53 quota), so AWS refuses it; keep at most 255, for example one check per region instead of per server (calculated checks cannot nest).",
                ),
            ]);
        });

        it("passes 255 children, and repeated or unknown ids that may be fewer", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    calculatedCheck("max", ids(255), 1),
                    calculatedCheck("repeated", [...ids(255), "c0-id"], 1),
                    calculatedCheck(
                        "pending",
                        Array.from({ length: 300 }, () => UNKNOWN),
                        1,
                    ),
                ]),
                [],
            );
        });
    });

    describe("health-check-disabled", () => {
        const rule = healthCheckDisabled;

        it("reports a disabled check", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [endpointCheck("drained", { disabled: "true" })]),
                [
                    onCheck(
                        rule,
                        "drained",
                        "disabled is true: Route 53 considers a disabled check always healthy, so what it guards keeps serving even if broken, and disabling it never drains a region; to take the region out, set invertHealthcheck: true or (better, without a control-plane change) flip a data-plane switch such as an ARC routing control or an alarm's metric.",
                    ),
                ],
            );
        });

        it("passes enabled checks", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [endpointCheck("on"), endpointCheck("off", { disabled: false })]),
                [],
            );
        });
    });

    describe("health-check-https-tls13-only", () => {
        const rule = healthCheckHttpsTls13Only;
        const domain = (name: string, policy: unknown) =>
            snap(T.domainName, name, {
                domainName: "use1.api.example.com",
                endpointConfiguration: { types: "REGIONAL" },
                securityPolicy: policy,
            });

        it("reports an HTTPS check on a custom domain that accepts TLS 1.3 only", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    domain("regional", "SecurityPolicy_TLS13_1_3_2025_09"),
                    endpointCheck("endpoint"),
                ]),
                [
                    onCheck(
                        rule,
                        "endpoint",
                        'fqdn "use1.api.example.com" is custom domain "regional", whose security policy "SecurityPolicy_TLS13_1_3_2025_09" accepts TLS 1.3 only, while AWS documents (HealthCheckConfig API reference) that Route 53 HTTPS checks need TLS 1.0, 1.1 or 1.2: the check may never connect and keep its region out; use a policy that also accepts TLS 1.2 (TLS_1_2 or SecurityPolicy_TLS13_1_2_2021_06).',
                    ),
                ],
            );
        });

        it("passes policies that accept TLS 1.2, HTTP checks and other names", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    domain("legacy", "TLS_1_2"),
                    domain("enhanced", "SecurityPolicy_TLS13_1_2_2021_06"),
                    endpointCheck("endpoint"),
                    endpointCheck("http", { type: "HTTP_STR_MATCH" }),
                    {
                        ...domain("strict", "SecurityPolicy_TLS13_1_3_FIPS_2025_09"),
                        inputs: {
                            domainName: "other.example.com",
                            securityPolicy: "SecurityPolicy_TLS13_1_3_FIPS_2025_09",
                        },
                    },
                ]),
                [],
            );
        });
    });

    describe("alarm-check-missing-data", () => {
        const rule = alarmCheckMissingData;

        it("reports a check that turns unhealthy on silence, by its own setting or its alarm's", () => {
            const quiet =
                "(no traffic in a standby region, a publisher that stopped), Route 53 takes what this check guards out of service although nothing failed";
            assert.deepStrictEqual(
                findingsOf(rule, [
                    alarmCheck("check", { insufficientDataHealthStatus: "Unhealthy" }),
                    alarm("switch", { treatMissingData: "breaching" }),
                ]),
                [
                    onCheck(
                        rule,
                        "check",
                        `follows alarm "switch" (us-west-2), which treats missing data as breaching: whenever its metric goes quiet ${quiet}; set treatMissingData to "notBreaching" (silence is healthy) or "ignore" (keep the last state).`,
                    ),
                    onCheck(
                        rule,
                        "check",
                        `insufficientDataHealthStatus is "Unhealthy": whenever the alarm's metric has too little data ${quiet}; use "LastKnownStatus" or "Healthy" unless silence really means down.`,
                    ),
                ],
            );
        });

        it("passes the operator switch and the 5XX guard AlarmHealthCheck makes, and an unset status", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    alarmCheck("switch-check"),
                    alarm("switch"),
                    alarmCheck("errors-check", {
                        cloudwatchAlarmName: "errors",
                        insufficientDataHealthStatus: "Healthy",
                    }),
                    alarm("errors", {
                        name: "errors",
                        treatMissingData: "notBreaching",
                        statistic: "Average",
                    }),
                    alarmCheck("default-check", {
                        cloudwatchAlarmName: "missing",
                        insufficientDataHealthStatus: undefined,
                    }),
                    alarm("missing", { name: "missing", treatMissingData: "missing" }),
                ]),
                [],
            );
        });

        it("passes a derived-metric guard's check (silence there is a failure), under either of its type tokens", () => {
            const guarded = (token: string) => {
                const check = alarmCheck(`${token}-check`, {
                    insufficientDataHealthStatus: "Unhealthy",
                });
                return {
                    ...check,
                    urn: `urn:pulumi:test::p::${token}$multi-region-api:index:AlarmHealthCheck$aws:route53/healthCheck:HealthCheck::${check.name}`,
                };
            };
            assert.deepStrictEqual(
                findingsOf(rule, [
                    guarded("multi-region-api:index:DerivedMetricGuard"),
                    guarded("multiregion:index:DerivedMetricGuard"),
                    alarm("switch"),
                ]),
                [],
            );
            assert.equal(
                findingsOf(rule, [guarded("acme:index:Guard"), alarm("switch")]).length,
                1,
            );
        });
    });

    describe("health-check-settings: search strings and addresses AWS refuses", () => {
        const rule = healthCheckSettings;

        it("reports a string-matching check without searchString", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [
                    endpointCheck("none", { searchString: undefined }),
                    endpointCheck("empty", { type: "HTTP_STR_MATCH", searchString: "" }),
                ]),
                [
                    onCheck(
                        rule,
                        "empty",
                        'an HTTP_STR_MATCH check needs searchString, the text a healthy answer\'s body contains, and AWS refuses it without one; set searchString (such as "ok"), or use type HTTP to accept any 2xx or 3xx answer.',
                    ),
                    onCheck(
                        rule,
                        "none",
                        'an HTTPS_STR_MATCH check needs searchString, the text a healthy answer\'s body contains, and AWS refuses it without one; set searchString (such as "ok"), or use type HTTPS to accept any 2xx or 3xx answer.',
                    ),
                ],
            );
        });

        it("reports an ipAddress in a private, loopback, link-local or other non-routable range", () => {
            const check = (ip: string) =>
                endpointCheck("ip", {
                    type: "TCP",
                    fqdn: undefined,
                    ipAddress: ip,
                    searchString: undefined,
                });
            assert.deepStrictEqual(findingsOf(rule, [check("10.0.0.1")]), [
                onCheck(
                    rule,
                    "ip",
                    `ipAddress "10.0.0.1" is in the private range 10.0.0.0/8: Route 53's health checkers run on the internet and cannot check local, private, non-routable or multicast addresses (HealthCheckConfig IPAddress), so AWS refuses the check or it never passes; check the endpoint's public address, or its public hostname with fqdn.`,
                ),
            ]);
            for (const public_ of ["52.94.236.248", "2600:1f18::1", "172.32.0.1", "not an ip"]) {
                assert.deepStrictEqual(findingsOf(rule, [check(public_)]), [], public_);
            }
        });

        it("knows the non-routable IPv4 and IPv6 ranges", () => {
            const cases: [string, string | undefined][] = [
                ["127.0.0.1", "loopback 127.0.0.0/8"],
                ["169.254.169.254", "link-local 169.254.0.0/16"],
                ["172.31.255.255", "private 172.16.0.0/12"],
                ["192.168.1.1", "private 192.168.0.0/16"],
                ["100.64.0.1", "shared (carrier-grade NAT) 100.64.0.0/10"],
                ["224.0.0.1", "multicast 224.0.0.0/4"],
                ["255.255.255.255", "reserved 240.0.0.0/4"],
                ["::1", "loopback ::1/128"],
                ["::", "unspecified ::/128"],
                ["fd12:3456::1", "unique local (private) fc00::/7"],
                ["FE80::1", "link-local fe80::/10"],
                ["ff02::1", "multicast ff00::/8"],
                ["::ffff:10.0.0.1", "IPv4-mapped ::ffff:0:0/96"],
                ["2001:db8::1", "documentation 2001:db8::/32"],
                ["8.8.8.8", undefined],
                ["2606:4700:4700::1111", undefined],
                ["1:2:3:4:5:6:7:8:9", undefined],
            ];
            for (const [ip, expected] of cases) {
                const found = uncheckableRange(ip);
                assert.equal(found && `${found.kind} ${found.range}`, expected, ip);
            }
        });
    });

    describe("alarm-check-region-mismatch", () => {
        const rule = alarmCheckRegionMismatch;
        const check = alarmCheck("switch", { cloudwatchAlarmRegion: "us-east-1" });
        const message =
            'cloudwatchAlarmRegion is "us-east-1", but an alarm named "switch-alarm" exists only in eu-west-1 ("euw1-alarm" (eu-west-1)): Route 53 looks for the alarm in us-east-1, where there is none, so the check cannot follow the alarm the program creates (AWS refuses the check, or it reports its insufficient-data status whatever the alarm says); set cloudwatchAlarmRegion to eu-west-1, or create the alarm in us-east-1.';

        it("reports a check naming a region its alarm is not in", () => {
            assert.deepStrictEqual(
                findingsOf(rule, [check, alarm("euw1-alarm", {}, "eu-west-1")]),
                [onCheck(rule, "switch", message)],
            );
        });

        it("passes when an alarm of that name is in the check's region", () => {
            const both = [
                check,
                alarm("euw1-alarm", {}, "eu-west-1"),
                alarm("use1-alarm", {}, "us-east-1"),
            ];
            assert.deepStrictEqual(findingsOf(rule, both), []);
        });

        it("judges an alarm of another stack only when it sees the whole deployment", () => {
            const other = { ...alarm("euw1-alarm", {}, "eu-west-1"), stack: "euw1" };
            const own = { ...check, stack: "use1" };
            assert.deepStrictEqual(findingsOf(rule, [own, other], { wholeDeployment: false }), []);
            assert.equal(findingsOf(rule, [own, other]).length, 1);
            // In its own stack, the alarm is judged from one stack too.
            const same = { ...alarm("euw1-alarm", {}, "eu-west-1"), stack: "use1" };
            assert.equal(findingsOf(rule, [own, same], { wholeDeployment: false }).length, 1);
        });

        it("follows a generated alarm name through dependsOn", () => {
            const a = alarm("euw1-alarm", { name: UNKNOWN }, "eu-west-1");
            const c = alarmCheck(
                "switch",
                { cloudwatchAlarmName: UNKNOWN, cloudwatchAlarmRegion: "us-east-1" },
                [a],
            );
            assert.deepStrictEqual(findingsOf(rule, [c, a], { wholeDeployment: false }), [
                onCheck(
                    rule,
                    "switch",
                    'cloudwatchAlarmRegion is "us-east-1", but its alarm exists only in eu-west-1 ("euw1-alarm" (eu-west-1)): Route 53 looks for the alarm in us-east-1, where there is none, so the check cannot follow the alarm the program creates (AWS refuses the check, or it reports its insufficient-data status whatever the alarm says); set cloudwatchAlarmRegion to eu-west-1, or create the alarm in us-east-1.',
                ),
            ]);
        });
    });

    describe("alarm-unsupported-by-route53: periods", () => {
        it("reports a period CloudWatch refuses (90 s) and passes multiples of 60", () => {
            const c = alarmCheck("switch");
            assert.deepStrictEqual(
                findingsOf(alarmUnsupportedByRoute53, [c, alarm("a", { period: 90 })]),
                [
                    onCheck(
                        alarmUnsupportedByRoute53,
                        "switch",
                        'follows alarm "a" (us-west-2), which has a 90-second period, which CloudWatch refuses (it accepts 10, 20, 30 or a multiple of 60), so the alarm is never created and the check follows nothing; use 60 seconds or a multiple of 60 (Route 53 follows only standard-resolution alarms).',
                    ),
                ],
            );
            assert.deepStrictEqual(
                findingsOf(alarmUnsupportedByRoute53, [c, alarm("a", { period: 120 })]),
                [],
            );
            assert.equal(
                findingsOf(alarmUnsupportedByRoute53, [c, alarm("a", { period: 45 })]).length,
                1,
            );
        });
    });

    describe("every health check rule", () => {
        it("reports nothing and never crashes on unknown values at any depth", () => {
            const api = snap(T.restApi, "api", { disableExecuteApiEndpoint: UNKNOWN });
            const pending = snap(
                T.healthCheck,
                "pending",
                {
                    type: UNKNOWN,
                    fqdn: UNKNOWN,
                    requestInterval: UNKNOWN,
                    failureThreshold: UNKNOWN,
                    regions: UNKNOWN,
                    searchString: UNKNOWN,
                    disabled: UNKNOWN,
                    childHealthchecks: UNKNOWN,
                    childHealthThreshold: UNKNOWN,
                },
                dependingOn(api),
            );
            const resources = [
                api,
                pending,
                snap(T.healthCheck, "half", {
                    type: "HTTPS",
                    fqdn: UNKNOWN,
                    regions: [UNKNOWN, UNKNOWN, UNKNOWN],
                    requestInterval: 10,
                }),
                alarmCheck("alarm-check", {
                    cloudwatchAlarmName: UNKNOWN,
                    cloudwatchAlarmRegion: UNKNOWN,
                    insufficientDataHealthStatus: UNKNOWN,
                }),
                alarm("alarm", {
                    name: UNKNOWN,
                    extendedStatistic: UNKNOWN,
                    metricQueries: UNKNOWN,
                    period: UNKNOWN,
                    treatMissingData: UNKNOWN,
                }),
                calculatedCheck("calc", [UNKNOWN, UNKNOWN], UNKNOWN, [pending]),
                snap(T.record, "routed", {
                    name: UNKNOWN,
                    failoverRoutingPolicies: UNKNOWN,
                    healthCheckId: UNKNOWN,
                }),
                snap(T.domainName, "domain", { domainName: UNKNOWN, securityPolicy: UNKNOWN }),
            ];
            assert.deepStrictEqual(
                runRules(HEALTH_CHECK_RULES, resources, { wholeDeployment: true }),
                [],
            );
            assert.deepStrictEqual(
                runRules(HEALTH_CHECK_RULES, resources, { wholeDeployment: false }),
                [],
            );
        });

        it("never crashes on odd shapes", () => {
            const odd = [
                snap(T.healthCheck, "odd", {
                    type: 42,
                    regions: "us-east-1",
                    childHealthchecks: { a: 1 },
                    childHealthThreshold: [],
                    cloudwatchAlarmName: {},
                    fqdn: ["x"],
                }),
                snap(T.healthCheck, "odd-calc", {
                    type: "CALCULATED",
                    childHealthchecks: "a-id",
                    childHealthThreshold: "x",
                }),
                snap(T.alarm, "odd-alarm", { name: 1, metricQueries: "m", period: {} }),
                snap(T.record, "odd-record", {
                    name: 5,
                    failoverRoutingPolicies: "PRIMARY",
                    healthCheckId: {},
                }),
                snap(T.healthCheck, "empty", {}),
            ];
            const found = runRules(HEALTH_CHECK_RULES, odd, { wholeDeployment: true });
            for (const f of found) {
                assert.doesNotMatch(f.message, /undefined|null|NaN|\[object Object\]/);
            }
        });
    });
});
