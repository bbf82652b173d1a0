import { strict as assert } from "node:assert";
import {
    Answer,
    Client,
    HealthInputs,
    healthCheckStatus,
    NotModelledError,
    resolve,
    SimHealthCheck,
    SimRecord,
    SimZone,
} from "../../plan/route53Simulator";

const ZONE: SimZone = { id: "Z1", name: "example.com" };
const USE1 = { name: "d-use1.execute-api.us-east-1.amazonaws.com", zoneId: "Z1UJRXOUMOOFQ8" };
const EUW1 = { name: "d-euw1.execute-api.eu-west-1.amazonaws.com", zoneId: "ZLY8HYME6SFDD" };
const NEAR_USE1: Client = { latencyOrder: ["us-east-1", "eu-west-1", "ap-southeast-1"] };
const NEAR_EUW1: Client = { latencyOrder: ["eu-west-1", "us-east-1", "ap-southeast-1"] };
const RECOVERY_CONTROL_REFUSED =
    'Health check "rc" is RECOVERY_CONTROL (a Route 53 ARC routing control), which is not modelled';

function endpointCheck(id: string, extra: Partial<SimHealthCheck> = {}): SimHealthCheck {
    return { id, type: "HTTPS_STR_MATCH", fqdn: `${id}.example.com`, ...extra };
}

function rec(label: string, extra: Partial<SimRecord>): SimRecord {
    return { label, zoneId: "Z1", name: "api.example.com", type: "A", ...extra };
}

function aliasTo(target: { name: string; zoneId: string }, eth: boolean): Partial<SimRecord> {
    return { aliases: [{ name: target.name, zoneId: target.zoneId, evaluateTargetHealth: eth }] };
}

function role(type: "PRIMARY" | "SECONDARY"): Partial<SimRecord> {
    return { failoverRoutingPolicies: [{ type }], setIdentifier: type.toLowerCase() };
}

/** The answer with the record replaced by its label: what the tables assert on, exactly. */
interface Summary {
    record: string;
    target: Answer["target"];
    failOpen: boolean;
    policy: Answer["policy"];
}

function summary(answer: Answer | undefined): Summary | undefined {
    if (answer === undefined) {
        return undefined;
    }
    return {
        record: answer.record.label,
        target: answer.target,
        failOpen: answer.failOpen,
        policy: answer.policy,
    };
}

function aliasAnswer(
    record: string,
    target: { name: string; zoneId: string },
    failOpen: boolean,
    policy: Answer["policy"],
): Summary {
    return {
        record,
        target: { kind: "alias", name: target.name, zoneId: target.zoneId },
        failOpen,
        policy,
    };
}

function valuesAnswer(
    record: string,
    values: string[],
    failOpen: boolean,
    policy: Answer["policy"],
): Summary {
    return { record, target: { kind: "values", values }, failOpen, policy };
}

describe("route53Simulator", () => {
    describe("healthCheckStatus", () => {
        const ep = endpointCheck("ep");
        const alarm = (extra: Partial<SimHealthCheck> = {}): SimHealthCheck => ({
            id: "cw",
            type: "CLOUDWATCH_METRIC",
            cloudwatchAlarmName: "switch",
            cloudwatchAlarmRegion: "eu-west-1",
            ...extra,
        });
        const children = [endpointCheck("c1"), endpointCheck("c2"), endpointCheck("c3")];
        const calculated = (threshold: number, ids = ["c1", "c2", "c3"]): SimHealthCheck[] => [
            ...children,
            {
                id: "calc",
                type: "CALCULATED",
                childHealthchecks: ids,
                childHealthThreshold: threshold,
            },
        ];
        const rows: {
            title: string;
            checks: SimHealthCheck[];
            inputs: HealthInputs;
            id?: string;
            expected: boolean;
        }[] = [
            {
                title: "new endpoint check without data is healthy",
                checks: [ep],
                inputs: {},
                expected: true,
            },
            {
                title: "endpoint reported healthy",
                checks: [ep],
                inputs: { endpoints: { ep: true } },
                expected: true,
            },
            {
                title: "endpoint reported unhealthy",
                checks: [ep],
                inputs: { endpoints: { ep: false } },
                expected: false,
            },
            {
                title: "TCP check follows its endpoint",
                checks: [{ id: "ep", type: "TCP" }],
                inputs: { endpoints: { ep: false } },
                expected: false,
            },
            {
                title: "HTTP check follows its endpoint",
                checks: [{ id: "ep", type: "HTTP" }],
                inputs: { endpoints: { ep: true } },
                expected: true,
            },
            {
                title: "inverted check of a healthy endpoint is unhealthy",
                checks: [endpointCheck("ep", { invertHealthcheck: true })],
                inputs: { endpoints: { ep: true } },
                expected: false,
            },
            {
                title: "inverted check of an unhealthy endpoint is healthy",
                checks: [endpointCheck("ep", { invertHealthcheck: true })],
                inputs: { endpoints: { ep: false } },
                expected: true,
            },
            {
                title: "inverted new check without data is unhealthy",
                checks: [endpointCheck("ep", { invertHealthcheck: true })],
                inputs: {},
                expected: false,
            },
            {
                title: "disabled check counts healthy although its endpoint is down",
                checks: [endpointCheck("ep", { disabled: true })],
                inputs: { endpoints: { ep: false } },
                expected: true,
            },
            {
                title: "disabled + inverted check counts unhealthy (INFERRED)",
                checks: [endpointCheck("ep", { disabled: true, invertHealthcheck: true })],
                inputs: { endpoints: { ep: true } },
                expected: false,
            },
            {
                title: "CLOUDWATCH_METRIC alarm OK is healthy",
                checks: [alarm()],
                inputs: { alarms: { "eu-west-1/switch": "OK" } },
                id: "cw",
                expected: true,
            },
            {
                title: "CLOUDWATCH_METRIC alarm with no state given is OK",
                checks: [alarm()],
                inputs: {},
                id: "cw",
                expected: true,
            },
            {
                title: "CLOUDWATCH_METRIC alarm ALARM is unhealthy",
                checks: [alarm()],
                inputs: { alarms: { "eu-west-1/switch": "ALARM" } },
                id: "cw",
                expected: false,
            },
            {
                title: "alarm key uses the alarm's own region",
                checks: [alarm()],
                inputs: { alarms: { "us-east-1/switch": "ALARM" } },
                id: "cw",
                expected: true,
            },
            {
                title: "INSUFFICIENT_DATA with Healthy is healthy",
                checks: [alarm({ insufficientDataHealthStatus: "Healthy" })],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: false },
                },
                id: "cw",
                expected: true,
            },
            {
                title: "INSUFFICIENT_DATA with Unhealthy is unhealthy",
                checks: [alarm({ insufficientDataHealthStatus: "Unhealthy" })],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: true },
                },
                id: "cw",
                expected: false,
            },
            {
                title: "INSUFFICIENT_DATA with LastKnownStatus keeps last unhealthy",
                checks: [alarm({ insufficientDataHealthStatus: "LastKnownStatus" })],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: false },
                },
                id: "cw",
                expected: false,
            },
            {
                title: "INSUFFICIENT_DATA with LastKnownStatus keeps last healthy",
                checks: [alarm({ insufficientDataHealthStatus: "LastKnownStatus" })],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: true },
                },
                id: "cw",
                expected: true,
            },
            {
                title: "INSUFFICIENT_DATA with LastKnownStatus and no history is healthy",
                checks: [alarm({ insufficientDataHealthStatus: "LastKnownStatus" })],
                inputs: { alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" } },
                id: "cw",
                expected: true,
            },
            {
                title: "INSUFFICIENT_DATA with insufficientDataHealthStatus unset defaults to LastKnownStatus",
                checks: [alarm()],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: false },
                },
                id: "cw",
                expected: false,
            },
            {
                title: "INSUFFICIENT_DATA with insufficientDataHealthStatus unset keeps last healthy (not Unhealthy)",
                checks: [alarm()],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: true },
                },
                id: "cw",
                expected: true,
            },
            {
                title: "inverted CLOUDWATCH_METRIC in ALARM is healthy",
                checks: [alarm({ invertHealthcheck: true })],
                inputs: { alarms: { "eu-west-1/switch": "ALARM" } },
                id: "cw",
                expected: true,
            },
            {
                title: "disabled CLOUDWATCH_METRIC in ALARM is healthy",
                checks: [alarm({ disabled: true })],
                inputs: { alarms: { "eu-west-1/switch": "ALARM" } },
                id: "cw",
                expected: true,
            },
            {
                title: "CALCULATED threshold 0 is healthy with every child down",
                checks: calculated(0),
                inputs: { endpoints: { c1: false, c2: false, c3: false } },
                id: "calc",
                expected: true,
            },
            {
                title: "CALCULATED threshold 0 with no children is healthy",
                checks: calculated(0, []),
                inputs: {},
                id: "calc",
                expected: true,
            },
            {
                title: "CALCULATED all (3 of 3) healthy",
                checks: calculated(3),
                inputs: {},
                id: "calc",
                expected: true,
            },
            {
                title: "CALCULATED all (3 of 3) with one child down is unhealthy",
                checks: calculated(3),
                inputs: { endpoints: { c2: false } },
                id: "calc",
                expected: false,
            },
            {
                title: "CALCULATED threshold above the children (4 of 3) is unhealthy with all healthy",
                checks: calculated(4),
                inputs: {},
                id: "calc",
                expected: false,
            },
            {
                title: "CALCULATED mixed 2 of 3 with one child down is healthy",
                checks: calculated(2),
                inputs: { endpoints: { c1: false } },
                id: "calc",
                expected: true,
            },
            {
                title: "CALCULATED mixed 2 of 3 with two children down is unhealthy",
                checks: calculated(2),
                inputs: { endpoints: { c1: false, c3: false } },
                id: "calc",
                expected: false,
            },
            {
                title: "CALCULATED OR (1 of 3) with two children down is healthy",
                checks: calculated(1),
                inputs: { endpoints: { c1: false, c3: false } },
                id: "calc",
                expected: true,
            },
            {
                title: "disabled child counts healthy inside CALCULATED",
                checks: [
                    endpointCheck("c1"),
                    endpointCheck("c2", { disabled: true }),
                    {
                        id: "calc",
                        type: "CALCULATED",
                        childHealthchecks: ["c1", "c2"],
                        childHealthThreshold: 2,
                    },
                ],
                inputs: { endpoints: { c2: false } },
                id: "calc",
                expected: true,
            },
            {
                title: "disabled + inverted child counts unhealthy inside CALCULATED",
                checks: [
                    endpointCheck("c1"),
                    endpointCheck("c2", { disabled: true, invertHealthcheck: true }),
                    {
                        id: "calc",
                        type: "CALCULATED",
                        childHealthchecks: ["c1", "c2"],
                        childHealthThreshold: 2,
                    },
                ],
                inputs: {},
                id: "calc",
                expected: false,
            },
            {
                title: "disabled CALCULATED is healthy whatever its children",
                checks: [
                    ...children,
                    {
                        id: "calc",
                        type: "CALCULATED",
                        childHealthchecks: ["c1"],
                        childHealthThreshold: 1,
                        disabled: true,
                    },
                ],
                inputs: { endpoints: { c1: false } },
                id: "calc",
                expected: true,
            },
            {
                title: "inverted CALCULATED flips the aggregate",
                checks: [
                    ...children,
                    {
                        id: "calc",
                        type: "CALCULATED",
                        childHealthchecks: ["c1"],
                        childHealthThreshold: 1,
                        invertHealthcheck: true,
                    },
                ],
                inputs: {},
                id: "calc",
                expected: false,
            },
        ];
        for (const row of rows) {
            it(row.title, () => {
                assert.equal(
                    healthCheckStatus(row.id ?? "ep", row.checks, row.inputs),
                    row.expected,
                );
            });
        }

        // The project's pattern: CALCULATED = endpoint AND operator switch, the switch being a
        // CLOUDWATCH_METRIC check on an alarm in the other region.
        const project: SimHealthCheck[] = [
            endpointCheck("endpoint"),
            alarm({ id: "switch", insufficientDataHealthStatus: "LastKnownStatus" }),
            {
                id: "guard",
                type: "CALCULATED",
                childHealthchecks: ["endpoint", "switch"],
                childHealthThreshold: 2,
            },
        ];
        const projectRows: { title: string; inputs: HealthInputs; expected: boolean }[] = [
            { title: "endpoint up, switch OK", inputs: {}, expected: true },
            {
                title: "endpoint down, switch OK",
                inputs: { endpoints: { endpoint: false } },
                expected: false,
            },
            {
                title: "endpoint up, switch flipped (ALARM)",
                inputs: { alarms: { "eu-west-1/switch": "ALARM" } },
                expected: false,
            },
            {
                title: "switch flipped, then no data: holds last status",
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { switch: false },
                },
                expected: false,
            },
        ];
        for (const row of projectRows) {
            it(`endpoint AND switch: ${row.title}`, () => {
                assert.equal(
                    healthCheckStatus("guard", new Map(project.map((c) => [c.id, c])), row.inputs),
                    row.expected,
                );
            });
        }

        const errors: {
            title: string;
            checks: SimHealthCheck[];
            id: string;
            inputs?: HealthInputs;
            message: string;
        }[] = [
            {
                title: "unknown id",
                checks: [ep],
                id: "nope",
                message: 'Unknown health check "nope"',
            },
            {
                title: "CALCULATED with an unknown child",
                checks: [
                    {
                        id: "calc",
                        type: "CALCULATED",
                        childHealthchecks: ["ghost"],
                        childHealthThreshold: 1,
                    },
                ],
                id: "calc",
                message: 'CALCULATED health check "calc" lists unknown child health check "ghost"',
            },
            {
                title: "CALCULATED child of a CALCULATED check",
                checks: [
                    ...calculated(1),
                    {
                        id: "outer",
                        type: "CALCULATED",
                        childHealthchecks: ["calc"],
                        childHealthThreshold: 1,
                    },
                ],
                id: "outer",
                message:
                    'CALCULATED health check "outer" has CALCULATED child "calc"; calculated checks cannot be nested',
            },
            {
                title: "CALCULATED without childHealthThreshold",
                checks: [
                    ...children,
                    { id: "calc", type: "CALCULATED", childHealthchecks: ["c1"] },
                ],
                id: "calc",
                message:
                    'CALCULATED health check "calc" has no childHealthThreshold; set it explicitly',
            },
            {
                title: "CLOUDWATCH_METRIC without an alarm",
                checks: [{ id: "cw", type: "CLOUDWATCH_METRIC", cloudwatchAlarmName: "switch" }],
                id: "cw",
                message:
                    'CLOUDWATCH_METRIC health check "cw" needs cloudwatchAlarmName and cloudwatchAlarmRegion',
            },
            {
                title: "invalid insufficientDataHealthStatus",
                checks: [alarm({ insufficientDataHealthStatus: "healthy" })],
                id: "cw",
                message:
                    'Health check "cw" has insufficientDataHealthStatus "healthy"; expected one of Healthy, Unhealthy, LastKnownStatus',
            },
            {
                title: "invalid alarm state in the scenario",
                checks: [alarm()],
                id: "cw",
                inputs: { alarms: { "eu-west-1/switch": "BROKEN" as "OK" } },
                message:
                    'Alarm "eu-west-1/switch" has state "BROKEN"; expected one of OK, ALARM, INSUFFICIENT_DATA',
            },
            {
                title: "RECOVERY_CONTROL is not modelled",
                checks: [{ id: "rc", type: "RECOVERY_CONTROL" }],
                id: "rc",
                inputs: { endpoints: { rc: true } },
                message: RECOVERY_CONTROL_REFUSED,
            },
            {
                title: "RECOVERY_CONTROL is refused even when disabled",
                checks: [{ id: "rc", type: "RECOVERY_CONTROL", disabled: true }],
                id: "rc",
                message: RECOVERY_CONTROL_REFUSED,
            },
            {
                title: "RECOVERY_CONTROL child of a CALCULATED check is refused",
                checks: [
                    { id: "rc", type: "RECOVERY_CONTROL" },
                    {
                        id: "calc",
                        type: "CALCULATED",
                        childHealthchecks: ["rc"],
                        childHealthThreshold: 1,
                    },
                ],
                id: "calc",
                message: RECOVERY_CONTROL_REFUSED,
            },
            {
                title: "unknown type",
                checks: [{ id: "x", type: "PING" }],
                id: "x",
                message: 'Health check "x" has unknown type "PING"',
            },
            {
                title: "duplicate ids",
                checks: [ep, ep],
                id: "ep",
                message: 'Health check id "ep" is declared more than once',
            },
        ];
        for (const row of errors) {
            it(`throws: ${row.title}`, () => {
                assert.throws(() => healthCheckStatus(row.id, row.checks, row.inputs ?? {}), {
                    message: row.message,
                });
            });
        }
    });

    describe("resolve", () => {
        interface Row {
            title: string;
            records: SimRecord[];
            checks?: SimHealthCheck[];
            inputs?: HealthInputs;
            client?: Client;
            zones?: SimZone[];
            name?: string;
            type?: string;
            expected: Summary | undefined;
        }
        const run = (rows: Row[]) => {
            for (const row of rows) {
                it(row.title, () => {
                    const answer = resolve({
                        zones: row.zones ?? [ZONE],
                        records: row.records,
                        checks: row.checks ?? [],
                        inputs: row.inputs ?? {},
                        client: row.client,
                        name: row.name ?? "api.example.com",
                        type: row.type,
                    });
                    assert.deepEqual(summary(answer), row.expected);
                });
            }
        };

        describe("failover", () => {
            const checks = [endpointCheck("hc-p"), endpointCheck("hc-s")];
            const primary = rec("primary", {
                ...role("PRIMARY"),
                ...aliasTo(USE1, true),
                healthCheckId: "hc-p",
            });
            const secondary = rec("secondary", {
                ...role("SECONDARY"),
                ...aliasTo(EUW1, true),
                healthCheckId: "hc-s",
            });
            const secondaryNoCheck = rec("secondary", {
                ...role("SECONDARY"),
                ...aliasTo(EUW1, false),
            });
            const toPrimary = (failOpen = false) =>
                aliasAnswer("primary", USE1, failOpen, "failover");
            const toSecondary = aliasAnswer("secondary", EUW1, false, "failover");
            run([
                {
                    title: "PRIMARY healthy, SECONDARY healthy => PRIMARY",
                    records: [primary, secondary],
                    checks,
                    expected: toPrimary(),
                },
                {
                    title: "PRIMARY healthy, SECONDARY unhealthy => PRIMARY",
                    records: [primary, secondary],
                    checks,
                    inputs: { endpoints: { "hc-s": false } },
                    expected: toPrimary(),
                },
                {
                    title: "PRIMARY unhealthy, SECONDARY healthy => SECONDARY",
                    records: [primary, secondary],
                    checks,
                    inputs: { endpoints: { "hc-p": false } },
                    expected: toSecondary,
                },
                {
                    title: "both unhealthy => PRIMARY (fail-open, not NXDOMAIN)",
                    records: [primary, secondary],
                    checks,
                    inputs: { endpoints: { "hc-p": false, "hc-s": false } },
                    expected: toPrimary(true),
                },
                {
                    title: "PRIMARY unhealthy, SECONDARY without health check => SECONDARY",
                    records: [primary, secondaryNoCheck],
                    checks,
                    inputs: { endpoints: { "hc-p": false } },
                    expected: toSecondary,
                },
                {
                    title: "SECONDARY without health check is served even when its target is broken",
                    records: [primary, secondaryNoCheck],
                    checks,
                    inputs: { endpoints: { "hc-p": false }, awsTargets: { [EUW1.name]: false } },
                    expected: toSecondary,
                },
                {
                    title: "record without a health check is always healthy: PRIMARY never fails over",
                    records: [
                        rec("primary", { ...role("PRIMARY"), records: ["192.0.2.1"], ttl: 60 }),
                        secondary,
                    ],
                    checks,
                    inputs: { endpoints: { "hc-s": true } },
                    expected: valuesAnswer("primary", ["192.0.2.1"], false, "failover"),
                },
                {
                    title: "alias with ETH=false ignores its target: PRIMARY served although the target is down",
                    records: [
                        rec("primary", { ...role("PRIMARY"), ...aliasTo(USE1, false) }),
                        secondary,
                    ],
                    checks,
                    inputs: { awsTargets: { [USE1.name]: false } },
                    expected: toPrimary(),
                },
                {
                    title: "ETH on an API Gateway alias reflects only the API Gateway service: the app being down does not fail over",
                    records: [
                        rec("primary", { ...role("PRIMARY"), ...aliasTo(USE1, true) }),
                        secondary,
                    ],
                    checks,
                    inputs: { endpoints: { "hc-p": false }, awsTargets: { [USE1.name]: true } },
                    expected: toPrimary(),
                },
                {
                    title: "ETH on an API Gateway alias: regional API Gateway service outage fails over",
                    records: [
                        rec("primary", { ...role("PRIMARY"), ...aliasTo(USE1, true) }),
                        secondary,
                    ],
                    checks,
                    inputs: { awsTargets: { [USE1.name.toUpperCase() + "."]: false } },
                    expected: toSecondary,
                },
                {
                    title: "health check AND ETH: both healthy => PRIMARY",
                    records: [primary, secondary],
                    checks,
                    inputs: { awsTargets: { [USE1.name]: true } },
                    expected: toPrimary(),
                },
                {
                    title: "health check AND ETH: check healthy, target down => SECONDARY",
                    records: [primary, secondary],
                    checks,
                    inputs: { awsTargets: { [USE1.name]: false } },
                    expected: toSecondary,
                },
                {
                    title: "health check AND ETH: check down, target up => SECONDARY",
                    records: [primary, secondary],
                    checks,
                    inputs: { endpoints: { "hc-p": false }, awsTargets: { [USE1.name]: true } },
                    expected: toSecondary,
                },
                {
                    title: "disabled health check on PRIMARY counts healthy: no failover although the endpoint is down",
                    records: [primary, secondary],
                    checks: [endpointCheck("hc-p", { disabled: true }), endpointCheck("hc-s")],
                    inputs: { endpoints: { "hc-p": false } },
                    expected: toPrimary(),
                },
                {
                    title: "disabled + inverted health check on PRIMARY counts unhealthy => SECONDARY",
                    records: [primary, secondary],
                    checks: [
                        endpointCheck("hc-p", { disabled: true, invertHealthcheck: true }),
                        endpointCheck("hc-s"),
                    ],
                    expected: toSecondary,
                },
                {
                    title: "inverted health check on PRIMARY with a healthy endpoint => SECONDARY",
                    records: [primary, secondary],
                    checks: [
                        endpointCheck("hc-p", { invertHealthcheck: true }),
                        endpointCheck("hc-s"),
                    ],
                    inputs: { endpoints: { "hc-p": true } },
                    expected: toSecondary,
                },
                {
                    title: "PRIMARY alone, unhealthy => PRIMARY (fail-open)",
                    records: [primary],
                    checks,
                    inputs: { endpoints: { "hc-p": false } },
                    expected: toPrimary(true),
                },
                {
                    title: "SECONDARY alone, healthy => SECONDARY",
                    records: [secondary],
                    checks,
                    expected: toSecondary,
                },
            ]);

            // The project's topology: PRIMARY guarded by CALCULATED (endpoint AND switch),
            // SECONDARY by its own endpoint check; the switch is a CLOUDWATCH_METRIC check on an
            // eu-west-1 alarm.
            const projectChecks: SimHealthCheck[] = [
                endpointCheck("ep-use1"),
                endpointCheck("ep-euw1"),
                {
                    id: "switch",
                    type: "CLOUDWATCH_METRIC",
                    cloudwatchAlarmName: "failover-switch",
                    cloudwatchAlarmRegion: "eu-west-1",
                    insufficientDataHealthStatus: "LastKnownStatus",
                },
                {
                    id: "guard",
                    type: "CALCULATED",
                    childHealthchecks: ["ep-use1", "switch"],
                    childHealthThreshold: 2,
                },
            ];
            const projectRecords = [
                rec("primary/api", {
                    ...role("PRIMARY"),
                    ...aliasTo(USE1, false),
                    healthCheckId: "guard",
                }),
                rec("secondary/api", {
                    ...role("SECONDARY"),
                    ...aliasTo(EUW1, false),
                    healthCheckId: "ep-euw1",
                }),
            ];
            run([
                {
                    title: "project: all healthy => us-east-1",
                    records: projectRecords,
                    checks: projectChecks,
                    expected: aliasAnswer("primary/api", USE1, false, "failover"),
                },
                {
                    title: "project: operator flips the switch => eu-west-1",
                    records: projectRecords,
                    checks: projectChecks,
                    inputs: { alarms: { "eu-west-1/failover-switch": "ALARM" } },
                    expected: aliasAnswer("secondary/api", EUW1, false, "failover"),
                },
                {
                    title: "project: switch flipped then metric stops => stays on eu-west-1 (LastKnownStatus)",
                    records: projectRecords,
                    checks: projectChecks,
                    inputs: {
                        alarms: { "eu-west-1/failover-switch": "INSUFFICIENT_DATA" },
                        lastKnown: { switch: false },
                    },
                    expected: aliasAnswer("secondary/api", EUW1, false, "failover"),
                },
                {
                    title: "project: us-east-1 endpoint down => eu-west-1",
                    records: projectRecords,
                    checks: projectChecks,
                    inputs: { endpoints: { "ep-use1": false } },
                    expected: aliasAnswer("secondary/api", EUW1, false, "failover"),
                },
                {
                    title: "project: both regions down => us-east-1 (fail-open)",
                    records: projectRecords,
                    checks: projectChecks,
                    inputs: { endpoints: { "ep-use1": false, "ep-euw1": false } },
                    expected: aliasAnswer("primary/api", USE1, true, "failover"),
                },
            ]);

            // The fast profile: non-alias CNAME records with a short TTL, answered for any type.
            const cname = (label: string, type: "PRIMARY" | "SECONDARY", value: string) =>
                rec(label, {
                    type: "CNAME",
                    ...role(type),
                    records: [value],
                    ttl: 10,
                    healthCheckId: type === "PRIMARY" ? "hc-p" : "hc-s",
                });
            const cnames = [
                cname("primary", "PRIMARY", USE1.name),
                cname("secondary", "SECONDARY", EUW1.name),
            ];
            run([
                {
                    title: "CNAME failover pair answers an A query with PRIMARY's value",
                    records: cnames,
                    checks,
                    expected: valuesAnswer("primary", [USE1.name], false, "failover"),
                },
                {
                    title: "CNAME failover pair: PRIMARY unhealthy => SECONDARY's value",
                    records: cnames,
                    checks,
                    inputs: { endpoints: { "hc-p": false } },
                    type: "AAAA",
                    expected: valuesAnswer("secondary", [EUW1.name], false, "failover"),
                },
                {
                    title: "CNAME failover pair queried as CNAME: both unhealthy => PRIMARY (fail-open)",
                    records: cnames,
                    checks,
                    inputs: { endpoints: { "hc-p": false, "hc-s": false } },
                    type: "CNAME",
                    expected: valuesAnswer("primary", [USE1.name], true, "failover"),
                },
            ]);
        });

        describe("latency", () => {
            const APSE1 = {
                name: "d-apse1.execute-api.ap-southeast-1.amazonaws.com",
                zoneId: "ZL327KTPIQFUL",
            };
            const checks = [
                endpointCheck("hc-use1"),
                endpointCheck("hc-euw1"),
                endpointCheck("hc-apse1"),
            ];
            const latency = (
                label: string,
                region: string,
                target: { name: string; zoneId: string },
            ) =>
                rec(label, {
                    latencyRoutingPolicies: [{ region }],
                    setIdentifier: region,
                    ...aliasTo(target, true),
                    healthCheckId: `hc-${label}`,
                });
            const two = [latency("use1", "us-east-1", USE1), latency("euw1", "eu-west-1", EUW1)];
            const three = [...two, latency("apse1", "ap-southeast-1", APSE1)];
            run([
                {
                    title: "nearest region (us-east-1 client)",
                    records: two,
                    checks,
                    client: NEAR_USE1,
                    expected: aliasAnswer("use1", USE1, false, "latency"),
                },
                {
                    title: "nearest region (eu-west-1 client)",
                    records: two,
                    checks,
                    client: NEAR_EUW1,
                    expected: aliasAnswer("euw1", EUW1, false, "latency"),
                },
                {
                    title: "unhealthy nearest region is skipped",
                    records: two,
                    checks,
                    client: NEAR_USE1,
                    inputs: { endpoints: { "hc-use1": false } },
                    expected: aliasAnswer("euw1", EUW1, false, "latency"),
                },
                {
                    title: "nearest region's API Gateway service down (ETH) is skipped",
                    records: two,
                    checks,
                    client: NEAR_USE1,
                    inputs: { awsTargets: { [USE1.name]: false } },
                    expected: aliasAnswer("euw1", EUW1, false, "latency"),
                },
                {
                    title: "all unhealthy => nearest (fail-open)",
                    records: two,
                    checks,
                    client: NEAR_EUW1,
                    inputs: { endpoints: { "hc-use1": false, "hc-euw1": false } },
                    expected: aliasAnswer("euw1", EUW1, true, "latency"),
                },
                {
                    title: "regions the client has no latency for rank last, alphabetically",
                    records: three,
                    checks,
                    client: { latencyOrder: ["ap-southeast-1"] },
                    inputs: { endpoints: { "hc-apse1": false } },
                    expected: aliasAnswer("euw1", EUW1, false, "latency"),
                },
                {
                    title: "a region in latencyOrder beats regions without latency data",
                    records: three,
                    checks,
                    client: { latencyOrder: ["us-east-1"] },
                    expected: aliasAnswer("use1", USE1, false, "latency"),
                },
                {
                    title: "without a client, regions rank alphabetically",
                    records: three,
                    checks,
                    expected: aliasAnswer("apse1", APSE1, false, "latency"),
                },
                {
                    title: "latency CNAME records answer with the nearest healthy region's value",
                    records: [
                        rec("use1", {
                            type: "CNAME",
                            latencyRoutingPolicies: [{ region: "us-east-1" }],
                            setIdentifier: "us-east-1",
                            records: [USE1.name],
                            ttl: 10,
                            healthCheckId: "hc-use1",
                        }),
                        rec("euw1", {
                            type: "CNAME",
                            latencyRoutingPolicies: [{ region: "eu-west-1" }],
                            setIdentifier: "eu-west-1",
                            records: [EUW1.name],
                            ttl: 10,
                            healthCheckId: "hc-euw1",
                        }),
                    ],
                    checks,
                    client: NEAR_USE1,
                    inputs: { endpoints: { "hc-use1": false } },
                    expected: valuesAnswer("euw1", [EUW1.name], false, "latency"),
                },
            ]);
        });

        describe("names, zones and simple records", () => {
            const SUB: SimZone = { id: "Z2", name: "api.example.com" };
            run([
                {
                    title: "relative record name matches the FQDN query",
                    records: [rec("r", { name: "api", records: ["192.0.2.1"] })],
                    expected: valuesAnswer("r", ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "FQDN record name with trailing dot, query in another case with trailing dot",
                    records: [rec("r", { name: "API.example.com.", records: ["192.0.2.1"] })],
                    name: "Api.Example.Com.",
                    expected: valuesAnswer("r", ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "empty record name is the zone apex",
                    records: [rec("r", { name: "", records: ["192.0.2.1"] })],
                    name: "example.com",
                    expected: valuesAnswer("r", ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "record name not ending in the zone gets the zone appended ([TF:record.go])",
                    records: [rec("r", { name: "api.other.org", records: ["192.0.2.1"] })],
                    name: "api.other.org.example.com",
                    expected: valuesAnswer("r", ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "zone id given as /hostedzone/Z1",
                    records: [rec("r", { zoneId: "/hostedzone/Z1", records: ["192.0.2.1"] })],
                    expected: valuesAnswer("r", ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "query type compares case-insensitively",
                    records: [rec("r", { type: "AAAA", records: ["2001:db8::1"] })],
                    type: "aaaa",
                    expected: valuesAnswer("r", ["2001:db8::1"], false, "simple"),
                },
                {
                    title: "simple alias to an AWS resource returns the alias target",
                    records: [rec("r", aliasTo(USE1, false))],
                    expected: aliasAnswer("r", USE1, false, "simple"),
                },
                {
                    title: "simple record is returned whatever its health check says",
                    records: [rec("r", { records: ["192.0.2.1"], healthCheckId: "hc" })],
                    checks: [endpointCheck("hc")],
                    inputs: { endpoints: { hc: false } },
                    expected: valuesAnswer("r", ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "empty policy blocks and multivalueAnswerRoutingPolicy false leave a simple record",
                    records: [
                        rec("r", {
                            failoverRoutingPolicies: [],
                            weightedRoutingPolicies: [],
                            multivalueAnswerRoutingPolicy: false,
                            records: ["192.0.2.1"],
                        }),
                    ],
                    expected: valuesAnswer("r", ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "NXDOMAIN: unknown name",
                    records: [rec("r", { records: ["192.0.2.1"] })],
                    name: "nope.example.com",
                    expected: undefined,
                },
                {
                    title: "NODATA: known name, other type",
                    records: [rec("r", { records: ["192.0.2.1"] })],
                    type: "AAAA",
                    expected: undefined,
                },
                {
                    title: "name outside every zone",
                    records: [rec("r", { records: ["192.0.2.1"] })],
                    name: "api.example.org",
                    expected: undefined,
                },
                {
                    title: "CNAME is the answer for any type at that name",
                    records: [
                        rec("www", {
                            name: "www",
                            type: "CNAME",
                            records: ["api.example.com"],
                            ttl: 300,
                        }),
                    ],
                    name: "www.example.com",
                    expected: valuesAnswer("www", ["api.example.com"], false, "simple"),
                },
                {
                    title: "the most specific zone answers (delegated subdomain)",
                    zones: [ZONE, SUB],
                    records: [
                        rec("parent", { records: ["192.0.2.1"] }),
                        rec("child", { zoneId: "Z2", name: "", records: ["192.0.2.2"] }),
                    ],
                    expected: valuesAnswer("child", ["192.0.2.2"], false, "simple"),
                },
                {
                    title: "same zone listed twice (both stacks) is fine",
                    zones: [ZONE, { id: "Z1", name: "Example.com." }],
                    records: [rec("r", { records: ["192.0.2.1"] })],
                    expected: valuesAnswer("r", ["192.0.2.1"], false, "simple"),
                },
            ]);
        });

        interface ErrorRow {
            title: string;
            records: SimRecord[];
            checks?: SimHealthCheck[];
            zones?: SimZone[];
            message: string;
        }
        /** `notModelled`: the refusals are {@link NotModelledError}s, else plain errors. */
        const runErrors = (rows: ErrorRow[], notModelled: boolean) => {
            for (const row of rows) {
                it(`throws: ${row.title}`, () => {
                    assert.throws(
                        () =>
                            resolve({
                                zones: row.zones ?? [ZONE],
                                records: row.records,
                                checks: row.checks ?? [
                                    endpointCheck("hc-p"),
                                    endpointCheck("hc-s"),
                                ],
                                inputs: {},
                                name: "api.example.com",
                            }),
                        (e: Error) => {
                            assert.equal(e.message, row.message);
                            assert.equal(e instanceof NotModelledError, notModelled, e.name);
                            return true;
                        },
                    );
                });
            }
        };

        describe("not modelled: refused, never answered", () => {
            const refusedPolicy = (label: string, policy: string) =>
                `Record "${label}" uses ${policy}, which is not modelled`;
            const nested = (label: string, target: string) =>
                `Alias record "${label}" targets ${target} in its own hosted zone: aliases to other records (nested alias trees) are not modelled`;
            runErrors(
                [
                    {
                        title: "a record in a hosted zone the program did not look up",
                        records: [rec("a", { zoneId: "Z9", records: ["192.0.2.1"] })],
                        message:
                            'Record "a" is in hosted zone "Z9", which the program did not look up (aws.route53.getZone): without the zone\'s name its records are not simulated',
                    },
                    {
                        title: "weighted routing",
                        records: [
                            rec("w", {
                                weightedRoutingPolicies: [{ weight: 10 }],
                                setIdentifier: "w",
                                records: ["192.0.2.1"],
                                ttl: 60,
                            }),
                        ],
                        message: refusedPolicy("w", "weighted routing"),
                    },
                    {
                        title: "weighted routing on a record that also declares failover",
                        records: [
                            rec("a", {
                                ...role("PRIMARY"),
                                weightedRoutingPolicies: [{ weight: 1 }],
                                records: ["192.0.2.1"],
                            }),
                        ],
                        message: refusedPolicy("a", "weighted routing"),
                    },
                    {
                        title: "multivalue answer routing",
                        records: [
                            rec("m", {
                                multivalueAnswerRoutingPolicy: true,
                                setIdentifier: "m",
                                records: ["192.0.2.1"],
                                ttl: 60,
                            }),
                        ],
                        message: refusedPolicy("m", "multivalue answer routing"),
                    },
                    {
                        title: "geolocation routing",
                        records: [
                            rec("g", {
                                geolocationRoutingPolicies: [{ continent: "EU" }],
                                setIdentifier: "g",
                                records: ["192.0.2.1"],
                            }),
                        ],
                        message: refusedPolicy("g", "geolocation routing"),
                    },
                    {
                        title: "geoproximity routing",
                        records: [
                            rec("g", {
                                geoproximityRoutingPolicy: { awsRegion: "us-east-1" },
                                setIdentifier: "g",
                                records: ["192.0.2.1"],
                            }),
                        ],
                        message: refusedPolicy("g", "geoproximity routing"),
                    },
                    {
                        title: "IP-based routing",
                        records: [
                            rec("c", {
                                cidrRoutingPolicy: { collectionId: "c", locationName: "l" },
                                setIdentifier: "c",
                                records: ["192.0.2.1"],
                            }),
                        ],
                        message: refusedPolicy("c", "IP-based routing"),
                    },
                    {
                        title: "a weighted record among failover records",
                        records: [
                            rec("p", { ...role("PRIMARY"), ...aliasTo(USE1, true) }),
                            rec("w", {
                                weightedRoutingPolicies: [{ weight: 1 }],
                                setIdentifier: "w",
                                ...aliasTo(EUW1, true),
                            }),
                        ],
                        message: refusedPolicy("w", "weighted routing"),
                    },
                    {
                        title: "nested alias tree: simple alias to a same-zone record",
                        records: [
                            rec(
                                "apex",
                                aliasTo({ name: "lat.api.example.com", zoneId: "Z1" }, false),
                            ),
                            rec("lat", { name: "lat.api", ...aliasTo(USE1, false) }),
                        ],
                        message: nested("apex", "lat.api.example.com"),
                    },
                    {
                        title: "nested alias tree: failover SECONDARY aliasing a same-zone group (zone id as /hostedzone/Z1)",
                        records: [
                            rec("p", {
                                ...role("PRIMARY"),
                                ...aliasTo(USE1, true),
                                healthCheckId: "hc-p",
                            }),
                            rec("s", {
                                ...role("SECONDARY"),
                                ...aliasTo(
                                    { name: "Backup.Example.com.", zoneId: "/hostedzone/Z1" },
                                    true,
                                ),
                            }),
                        ],
                        message: nested("s", "Backup.Example.com."),
                    },
                    {
                        title: "nested alias tree even when the alias record is not chosen",
                        records: [
                            rec("p", { ...role("PRIMARY"), ...aliasTo(USE1, false) }),
                            rec("s", {
                                ...role("SECONDARY"),
                                ...aliasTo({ name: "backup.example.com", zoneId: "Z1" }, false),
                            }),
                        ],
                        message: nested("s", "backup.example.com"),
                    },
                    {
                        title: "RECOVERY_CONTROL health check on a routed record",
                        records: [
                            rec("p", {
                                ...role("PRIMARY"),
                                ...aliasTo(USE1, false),
                                healthCheckId: "rc",
                            }),
                            rec("s", { ...role("SECONDARY"), ...aliasTo(EUW1, false) }),
                        ],
                        checks: [{ id: "rc", type: "RECOVERY_CONTROL" }],
                        message: RECOVERY_CONTROL_REFUSED,
                    },
                ],
                true,
            );
        });

        describe("errors (malformed input)", () => {
            const primary = rec("stack-a/primary", {
                ...role("PRIMARY"),
                ...aliasTo(USE1, true),
                healthCheckId: "hc-p",
            });
            const secondary = rec("stack-b/secondary", {
                ...role("SECONDARY"),
                ...aliasTo(EUW1, true),
                healthCheckId: "hc-s",
            });
            runErrors(
                [
                    {
                        title: "group mixing routing policies",
                        records: [primary, rec("stack-b/plain", aliasTo(EUW1, false))],
                        message:
                            'Records for api.example.com A mix routing policies: "stack-a/primary" (failover), "stack-b/plain" (simple)',
                    },
                    {
                        title: "two PRIMARY records",
                        records: [
                            primary,
                            rec("stack-b/primary", {
                                ...role("PRIMARY"),
                                setIdentifier: "other",
                                ...aliasTo(EUW1, true),
                            }),
                        ],
                        message:
                            'Records for api.example.com A declare 2 PRIMARY records ("stack-a/primary", "stack-b/primary"); only one is allowed',
                    },
                    {
                        title: "failover type other than PRIMARY/SECONDARY",
                        records: [
                            primary,
                            rec("stack-b/x", {
                                failoverRoutingPolicies: [{ type: "TERTIARY" }],
                                setIdentifier: "x",
                                ...aliasTo(EUW1, true),
                            }),
                        ],
                        message:
                            'Record "stack-b/x" has failover type "TERTIARY"; expected PRIMARY or SECONDARY',
                    },
                    {
                        title: "failover type is case-sensitive ([API:ResourceRecordSet] Failover enum)",
                        records: [
                            rec("stack-a/p", {
                                failoverRoutingPolicies: [{ type: "primary" }],
                                setIdentifier: "p",
                                ...aliasTo(USE1, true),
                            }),
                            secondary,
                        ],
                        message:
                            'Record "stack-a/p" has failover type "primary"; expected PRIMARY or SECONDARY',
                    },
                    {
                        title: "record refers to a health check that does not exist",
                        records: [
                            primary,
                            rec("stack-b/secondary", {
                                ...role("SECONDARY"),
                                ...aliasTo(EUW1, true),
                                healthCheckId: "ghost",
                            }),
                        ],
                        message:
                            'Record "stack-b/secondary" refers to unknown health check "ghost"',
                    },
                    {
                        title: "missing setIdentifier",
                        records: [
                            rec("stack-a/p", {
                                failoverRoutingPolicies: [{ type: "PRIMARY" }],
                                ...aliasTo(USE1, true),
                            }),
                        ],
                        message: 'Record "stack-a/p" (failover) has no setIdentifier',
                    },
                    {
                        title: "duplicate setIdentifier",
                        records: [
                            primary,
                            rec("stack-b/secondary", {
                                failoverRoutingPolicies: [{ type: "SECONDARY" }],
                                setIdentifier: "primary",
                                ...aliasTo(EUW1, true),
                            }),
                        ],
                        message:
                            'Records "stack-a/primary" and "stack-b/secondary" for api.example.com A share setIdentifier "primary"',
                    },
                    {
                        title: "two latency records for one region",
                        records: [
                            rec("a", {
                                latencyRoutingPolicies: [{ region: "us-east-1" }],
                                setIdentifier: "a",
                                ...aliasTo(USE1, true),
                            }),
                            rec("b", {
                                latencyRoutingPolicies: [{ region: "us-east-1" }],
                                setIdentifier: "b",
                                ...aliasTo(EUW1, true),
                            }),
                        ],
                        message:
                            'Records "a" and "b" for api.example.com A are both latency records for us-east-1',
                    },
                    {
                        title: "two simple records for one name/type",
                        records: [
                            rec("a", { records: ["192.0.2.1"] }),
                            rec("b", { records: ["192.0.2.2"] }),
                        ],
                        message:
                            'Records for api.example.com A declare 2 simple records ("a", "b"); only one is allowed',
                    },
                    {
                        title: "record with two routing policies",
                        records: [
                            rec("a", {
                                ...role("PRIMARY"),
                                latencyRoutingPolicies: [{ region: "us-east-1" }],
                                records: ["192.0.2.1"],
                            }),
                        ],
                        message: 'Record "a" has more than one routing policy (failover, latency)',
                    },
                    {
                        title: "record with two failover blocks",
                        records: [
                            rec("a", {
                                failoverRoutingPolicies: [
                                    { type: "PRIMARY" },
                                    { type: "SECONDARY" },
                                ],
                                setIdentifier: "a",
                                records: ["192.0.2.1"],
                            }),
                        ],
                        message:
                            'Record "a" has 2 failover routing policy blocks; at most one is allowed',
                    },
                    {
                        title: "alias and records together",
                        records: [rec("a", { ...aliasTo(USE1, false), records: ["192.0.2.1"] })],
                        message: 'Record "a" has both an alias and records',
                    },
                    {
                        title: "alias with a ttl",
                        records: [rec("a", { ...aliasTo(USE1, false), ttl: 60 })],
                        message: 'Record "a" has both an alias and a ttl',
                    },
                    {
                        title: "two alias blocks",
                        records: [
                            rec("a", {
                                aliases: [
                                    { ...USE1, evaluateTargetHealth: false },
                                    { ...EUW1, evaluateTargetHealth: false },
                                ],
                            }),
                        ],
                        message: 'Record "a" has 2 alias blocks; at most one',
                    },
                    {
                        title: "record with neither alias nor records",
                        records: [rec("a", {})],
                        message: 'Record "a" has neither an alias nor records',
                    },
                    {
                        title: "record name outside its zone (plain suffix test, as [TF:record.go] does)",
                        records: [rec("a", { name: "myexample.com", records: ["192.0.2.1"] })],
                        message:
                            'Record "a" name myexample.com is outside its hosted zone example.com',
                    },
                    {
                        title: "alias into another hosted zone",
                        zones: [ZONE, { id: "Z2", name: "example.net" }],
                        records: [
                            rec("a", aliasTo({ name: "api.example.net", zoneId: "Z2" }, true)),
                        ],
                        message:
                            'Alias record "a" targets api.example.net in another hosted zone "Z2"; an alias can only reference records in its own zone',
                    },
                    {
                        title: "two different zones with the same name",
                        zones: [ZONE, { id: "Z3", name: "example.com" }],
                        records: [rec("a", { records: ["192.0.2.1"] })],
                        message:
                            'Hosted zones "Z1", "Z3" all serve example.com; pass only the zone the client sees',
                    },
                    {
                        title: "one zone id declared with two names",
                        zones: [ZONE, { id: "Z1", name: "example.org" }],
                        records: [],
                        message: 'Hosted zone "Z1" is declared as both example.com and example.org',
                    },
                    {
                        title: "an alias zoneId left undefined (a value the program never computed) is named, not a TypeError",
                        records: [
                            rec("stack-a/p", {
                                ...role("PRIMARY"),
                                aliases: [
                                    { name: USE1.name, evaluateTargetHealth: true } as {
                                        name: string;
                                        zoneId: string;
                                        evaluateTargetHealth: boolean;
                                    },
                                ],
                            }),
                        ],
                        message: 'Record "stack-a/p" has no aliases[0].zoneId (expected a string)',
                    },
                    {
                        title: "an alias name left undefined",
                        records: [
                            rec("a", {
                                aliases: [
                                    { zoneId: USE1.zoneId, evaluateTargetHealth: true } as {
                                        name: string;
                                        zoneId: string;
                                        evaluateTargetHealth: boolean;
                                    },
                                ],
                            }),
                        ],
                        message: 'Record "a" has no aliases[0].name (expected a string)',
                    },
                    {
                        title: "a record zoneId left undefined",
                        records: [rec("a", { zoneId: undefined, records: ["192.0.2.1"] })],
                        message: 'Record "a" has no zoneId (expected a string)',
                    },
                    {
                        title: "a record name left undefined",
                        records: [rec("a", { name: undefined, records: ["192.0.2.1"] })],
                        message: 'Record "a" has no name (expected a string)',
                    },
                    {
                        title: "records that are not strings",
                        records: [rec("a", { records: [undefined as unknown as string] })],
                        message: 'Record "a" has no records (expected a list of strings)',
                    },
                    {
                        title: "a ttl that is not a number",
                        records: [
                            rec("a", { records: ["192.0.2.1"], ttl: "60" as unknown as number }),
                        ],
                        message: 'Record "a" has ttl "60"; expected a number',
                    },
                ],
                false,
            );
        });
    });
});
