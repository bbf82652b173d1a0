import { strict as assert } from "node:assert";
import {
    Answer,
    Client,
    HealthInputs,
    healthCheckStatus,
    qualifyRecordName,
    resolve,
    routingPolicyOf,
    SimHealthCheck,
    SimRecord,
    SimZone,
} from "../../plan/route53Simulator";

// Section numbers in test titles refer to shared/reference/route53-semantics.md.

const ZONE: SimZone = { id: "Z1", name: "example.com" };
const USE1 = { name: "d-use1.execute-api.us-east-1.amazonaws.com", zoneId: "Z1UJRXOUMOOFQ8" };
const EUW1 = { name: "d-euw1.execute-api.eu-west-1.amazonaws.com", zoneId: "ZLY8HYME6SFDD" };
const NEAR_USE1: Client = { latencyOrder: ["us-east-1", "eu-west-1", "ap-southeast-1"] };
const NEAR_EUW1: Client = { latencyOrder: ["eu-west-1", "us-east-1", "ap-southeast-1"] };

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

/** The answer with records replaced by labels: what the tables assert on, exactly. */
interface Summary {
    chain: string[];
    record: string;
    target: Answer["target"];
    failOpen: boolean;
    policy: Answer["policy"];
    weights?: Answer["weights"];
}

function summary(answer: Answer | undefined): Summary | undefined {
    if (answer === undefined) {
        return undefined;
    }
    const s: Summary = {
        chain: answer.chain.map((r) => r.label),
        record: answer.record.label,
        target: answer.target,
        failOpen: answer.failOpen,
        policy: answer.policy,
    };
    if (answer.weights !== undefined) {
        s.weights = answer.weights;
    }
    return s;
}

function aliasAnswer(
    chain: string[],
    target: { name: string; zoneId: string },
    failOpen: boolean,
    policy: Answer["policy"],
): Summary {
    return {
        chain,
        record: chain[chain.length - 1],
        target: { kind: "alias", name: target.name, zoneId: target.zoneId },
        failOpen,
        policy,
    };
}

function valuesAnswer(
    chain: string[],
    values: string[],
    failOpen: boolean,
    policy: Answer["policy"],
    record = chain[chain.length - 1],
): Summary {
    return { chain, record, target: { kind: "values", values }, failOpen, policy };
}

describe("route53Simulator", () => {
    describe("healthCheckStatus (§3, §9)", () => {
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
                title: "§3.3 new endpoint check without data is healthy",
                checks: [ep],
                inputs: {},
                expected: true,
            },
            {
                title: "§3.1 endpoint reported healthy",
                checks: [ep],
                inputs: { endpoints: { ep: true } },
                expected: true,
            },
            {
                title: "§3.1 endpoint reported unhealthy",
                checks: [ep],
                inputs: { endpoints: { ep: false } },
                expected: false,
            },
            {
                title: "§3.1 TCP check follows its endpoint",
                checks: [{ id: "ep", type: "TCP" }],
                inputs: { endpoints: { ep: false } },
                expected: false,
            },
            {
                title: "§3.1 HTTP check follows its endpoint",
                checks: [{ id: "ep", type: "HTTP" }],
                inputs: { endpoints: { ep: true } },
                expected: true,
            },
            {
                title: "§3.1 RECOVERY_CONTROL routing control ON is healthy",
                checks: [{ id: "rc", type: "RECOVERY_CONTROL" }],
                inputs: { endpoints: { rc: true } },
                id: "rc",
                expected: true,
            },
            {
                title: "§3.1 RECOVERY_CONTROL routing control OFF is unhealthy",
                checks: [{ id: "rc", type: "RECOVERY_CONTROL" }],
                inputs: { endpoints: { rc: false } },
                id: "rc",
                expected: false,
            },
            {
                title: "§3.5 inverted check of a healthy endpoint is unhealthy",
                checks: [endpointCheck("ep", { invertHealthcheck: true })],
                inputs: { endpoints: { ep: true } },
                expected: false,
            },
            {
                title: "§3.5 inverted check of an unhealthy endpoint is healthy",
                checks: [endpointCheck("ep", { invertHealthcheck: true })],
                inputs: { endpoints: { ep: false } },
                expected: true,
            },
            {
                title: "§3.3 inverted new check without data is unhealthy",
                checks: [endpointCheck("ep", { invertHealthcheck: true })],
                inputs: {},
                expected: false,
            },
            {
                title: "§3.5 disabled check counts healthy although its endpoint is down",
                checks: [endpointCheck("ep", { disabled: true })],
                inputs: { endpoints: { ep: false } },
                expected: true,
            },
            {
                title: "§3.5 disabled + inverted check counts unhealthy (INFERRED)",
                checks: [endpointCheck("ep", { disabled: true, invertHealthcheck: true })],
                inputs: { endpoints: { ep: true } },
                expected: false,
            },
            {
                title: "§3.6 CLOUDWATCH_METRIC alarm OK is healthy",
                checks: [alarm()],
                inputs: { alarms: { "eu-west-1/switch": "OK" } },
                id: "cw",
                expected: true,
            },
            {
                title: "§3.6 CLOUDWATCH_METRIC alarm with no state given is OK",
                checks: [alarm()],
                inputs: {},
                id: "cw",
                expected: true,
            },
            {
                title: "§3.6 CLOUDWATCH_METRIC alarm ALARM is unhealthy",
                checks: [alarm()],
                inputs: { alarms: { "eu-west-1/switch": "ALARM" } },
                id: "cw",
                expected: false,
            },
            {
                title: "§3.6 alarm key uses the alarm's own region",
                checks: [alarm()],
                inputs: { alarms: { "us-east-1/switch": "ALARM" } },
                id: "cw",
                expected: true,
            },
            {
                title: "§3.6 INSUFFICIENT_DATA with Healthy is healthy",
                checks: [alarm({ insufficientDataHealthStatus: "Healthy" })],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: false },
                },
                id: "cw",
                expected: true,
            },
            {
                title: "§3.6 INSUFFICIENT_DATA with Unhealthy is unhealthy",
                checks: [alarm({ insufficientDataHealthStatus: "Unhealthy" })],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: true },
                },
                id: "cw",
                expected: false,
            },
            {
                title: "§3.6 INSUFFICIENT_DATA with LastKnownStatus keeps last unhealthy",
                checks: [alarm({ insufficientDataHealthStatus: "LastKnownStatus" })],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: false },
                },
                id: "cw",
                expected: false,
            },
            {
                title: "§3.6 INSUFFICIENT_DATA with LastKnownStatus keeps last healthy",
                checks: [alarm({ insufficientDataHealthStatus: "LastKnownStatus" })],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: true },
                },
                id: "cw",
                expected: true,
            },
            {
                title: "§3.6 INSUFFICIENT_DATA with LastKnownStatus and no history is healthy",
                checks: [alarm({ insufficientDataHealthStatus: "LastKnownStatus" })],
                inputs: { alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" } },
                id: "cw",
                expected: true,
            },
            {
                title: "§3.6 INSUFFICIENT_DATA with insufficientDataHealthStatus unset defaults to LastKnownStatus",
                checks: [alarm()],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: false },
                },
                id: "cw",
                expected: false,
            },
            {
                title: "§3.6 INSUFFICIENT_DATA with insufficientDataHealthStatus unset keeps last healthy (not Unhealthy)",
                checks: [alarm()],
                inputs: {
                    alarms: { "eu-west-1/switch": "INSUFFICIENT_DATA" },
                    lastKnown: { cw: true },
                },
                id: "cw",
                expected: true,
            },
            {
                title: "§3.5 inverted CLOUDWATCH_METRIC in ALARM is healthy",
                checks: [alarm({ invertHealthcheck: true })],
                inputs: { alarms: { "eu-west-1/switch": "ALARM" } },
                id: "cw",
                expected: true,
            },
            {
                title: "§3.5 disabled CLOUDWATCH_METRIC in ALARM is healthy",
                checks: [alarm({ disabled: true })],
                inputs: { alarms: { "eu-west-1/switch": "ALARM" } },
                id: "cw",
                expected: true,
            },
            {
                title: "§3.7 CALCULATED threshold 0 is healthy with every child down",
                checks: calculated(0),
                inputs: { endpoints: { c1: false, c2: false, c3: false } },
                id: "calc",
                expected: true,
            },
            {
                title: "§3.7 CALCULATED threshold 0 with no children is healthy",
                checks: calculated(0, []),
                inputs: {},
                id: "calc",
                expected: true,
            },
            {
                title: "§3.7 CALCULATED all (3 of 3) healthy",
                checks: calculated(3),
                inputs: {},
                id: "calc",
                expected: true,
            },
            {
                title: "§3.7 CALCULATED all (3 of 3) with one child down is unhealthy",
                checks: calculated(3),
                inputs: { endpoints: { c2: false } },
                id: "calc",
                expected: false,
            },
            {
                title: "§3.7 CALCULATED threshold above the children (4 of 3) is unhealthy with all healthy",
                checks: calculated(4),
                inputs: {},
                id: "calc",
                expected: false,
            },
            {
                title: "§3.7 CALCULATED mixed 2 of 3 with one child down is healthy",
                checks: calculated(2),
                inputs: { endpoints: { c1: false } },
                id: "calc",
                expected: true,
            },
            {
                title: "§3.7 CALCULATED mixed 2 of 3 with two children down is unhealthy",
                checks: calculated(2),
                inputs: { endpoints: { c1: false, c3: false } },
                id: "calc",
                expected: false,
            },
            {
                title: "§3.7 CALCULATED OR (1 of 3) with two children down is healthy",
                checks: calculated(1),
                inputs: { endpoints: { c1: false, c3: false } },
                id: "calc",
                expected: true,
            },
            {
                title: "§3.5/§3.7 disabled child counts healthy inside CALCULATED",
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
                title: "§3.5/§3.7 disabled + inverted child counts unhealthy inside CALCULATED",
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
                title: "§3.5/§3.7 disabled CALCULATED is healthy whatever its children",
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
                title: "§3.5/§3.7 inverted CALCULATED flips the aggregate",
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
        // CLOUDWATCH_METRIC check on an alarm in the other region (design.md).
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
            it(`§3.6/§3.7 endpoint AND switch: ${row.title}`, () => {
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
                title: "§3.7 CALCULATED with an unknown child",
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
                title: "§3.7 CALCULATED child of a CALCULATED check",
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
                title: "§3.7 CALCULATED without childHealthThreshold",
                checks: [
                    ...children,
                    { id: "calc", type: "CALCULATED", childHealthchecks: ["c1"] },
                ],
                id: "calc",
                message:
                    'CALCULATED health check "calc" has no childHealthThreshold; set it explicitly',
            },
            {
                title: "§3.6 CLOUDWATCH_METRIC without an alarm",
                checks: [{ id: "cw", type: "CLOUDWATCH_METRIC", cloudwatchAlarmName: "switch" }],
                id: "cw",
                message:
                    'CLOUDWATCH_METRIC health check "cw" needs cloudwatchAlarmName and cloudwatchAlarmRegion',
            },
            {
                title: "§3.6 invalid insufficientDataHealthStatus",
                checks: [alarm({ insufficientDataHealthStatus: "healthy" })],
                id: "cw",
                message:
                    'Health check "cw" has insufficientDataHealthStatus "healthy"; expected one of Healthy, Unhealthy, LastKnownStatus',
            },
            {
                title: "§3.6 invalid alarm state in the scenario",
                checks: [alarm()],
                id: "cw",
                inputs: { alarms: { "eu-west-1/switch": "BROKEN" as "OK" } },
                message:
                    'Alarm "eu-west-1/switch" has state "BROKEN"; expected one of OK, ALARM, INSUFFICIENT_DATA',
            },
            {
                title: "§3.1 unknown type",
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

    describe("naming", () => {
        const rows: { title: string; name: string; zone: string; expected: string }[] = [
            {
                title: "relative name is qualified",
                name: "api",
                zone: "example.com",
                expected: "api.example.com",
            },
            {
                title: "FQDN with trailing dot kept",
                name: "API.Example.com.",
                zone: "example.com.",
                expected: "api.example.com",
            },
            {
                title: "empty name is the apex",
                name: "",
                zone: "example.com",
                expected: "example.com",
            },
            {
                title: "name not ending in the zone gets it appended",
                name: "api.other.org",
                zone: "example.com",
                expected: "api.other.org.example.com",
            },
            {
                title: "plain suffix test, as the provider does ([TF:record.go])",
                name: "myexample.com",
                zone: "example.com",
                expected: "myexample.com",
            },
        ];
        for (const row of rows) {
            it(`qualifyRecordName: ${row.title}`, () => {
                assert.equal(qualifyRecordName(row.name, row.zone), row.expected);
            });
        }

        const policies: { record: SimRecord; expected: string }[] = [
            { record: rec("s", { records: ["192.0.2.1"] }), expected: "simple" },
            {
                record: rec("f", { ...role("PRIMARY"), records: ["192.0.2.1"] }),
                expected: "failover",
            },
            {
                record: rec("l", {
                    latencyRoutingPolicies: [{ region: "us-east-1" }],
                    records: ["192.0.2.1"],
                }),
                expected: "latency",
            },
            {
                record: rec("w", {
                    weightedRoutingPolicies: [{ weight: 1 }],
                    records: ["192.0.2.1"],
                }),
                expected: "weighted",
            },
            {
                record: rec("m", { multivalueAnswerRoutingPolicy: true, records: ["192.0.2.1"] }),
                expected: "multivalue",
            },
            {
                record: rec("e", { failoverRoutingPolicies: [], records: ["192.0.2.1"] }),
                expected: "simple",
            },
        ];
        for (const row of policies) {
            it(`routingPolicyOf: ${row.expected} (${row.record.label})`, () => {
                assert.equal(routingPolicyOf(row.record), row.expected);
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

        describe("failover (§1.1)", () => {
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
                aliasAnswer(["primary"], USE1, failOpen, "failover");
            const toSecondary = aliasAnswer(["secondary"], EUW1, false, "failover");
            run([
                {
                    title: "§1.1 row 1: PRIMARY healthy, SECONDARY healthy => PRIMARY",
                    records: [primary, secondary],
                    checks,
                    expected: toPrimary(),
                },
                {
                    title: "§1.1 row 1: PRIMARY healthy, SECONDARY unhealthy => PRIMARY",
                    records: [primary, secondary],
                    checks,
                    inputs: { endpoints: { "hc-s": false } },
                    expected: toPrimary(),
                },
                {
                    title: "§1.1 row 2: PRIMARY unhealthy, SECONDARY healthy => SECONDARY",
                    records: [primary, secondary],
                    checks,
                    inputs: { endpoints: { "hc-p": false } },
                    expected: toSecondary,
                },
                {
                    title: "§1.1 row 3: both unhealthy => PRIMARY (fail-open, not NXDOMAIN)",
                    records: [primary, secondary],
                    checks,
                    inputs: { endpoints: { "hc-p": false, "hc-s": false } },
                    expected: toPrimary(true),
                },
                {
                    title: "§1.1 row 4: PRIMARY unhealthy, SECONDARY without health check => SECONDARY",
                    records: [primary, secondaryNoCheck],
                    checks,
                    inputs: { endpoints: { "hc-p": false } },
                    expected: toSecondary,
                },
                {
                    title: "§1.1 row 4: SECONDARY without health check is served even when its target is broken",
                    records: [primary, secondaryNoCheck],
                    checks,
                    inputs: { endpoints: { "hc-p": false }, awsTargets: { [EUW1.name]: false } },
                    expected: toSecondary,
                },
                {
                    title: "§1.1 record without a health check is always healthy: PRIMARY never fails over",
                    records: [
                        rec("primary", { ...role("PRIMARY"), records: ["192.0.2.1"], ttl: 60 }),
                        secondary,
                    ],
                    checks,
                    inputs: { endpoints: { "hc-s": true } },
                    expected: valuesAnswer(["primary"], ["192.0.2.1"], false, "failover"),
                },
                {
                    title: "§1.2 alias with ETH=false ignores its target: PRIMARY served although the target is down",
                    records: [
                        rec("primary", { ...role("PRIMARY"), ...aliasTo(USE1, false) }),
                        secondary,
                    ],
                    checks,
                    inputs: { awsTargets: { [USE1.name]: false } },
                    expected: toPrimary(),
                },
                {
                    title: "§1.2 ETH on an API Gateway alias reflects only the API Gateway service: the app being down does not fail over",
                    records: [
                        rec("primary", { ...role("PRIMARY"), ...aliasTo(USE1, true) }),
                        secondary,
                    ],
                    checks,
                    inputs: { endpoints: { "hc-p": false }, awsTargets: { [USE1.name]: true } },
                    expected: toPrimary(),
                },
                {
                    title: "§1.2 ETH on an API Gateway alias: regional API Gateway service outage fails over",
                    records: [
                        rec("primary", { ...role("PRIMARY"), ...aliasTo(USE1, true) }),
                        secondary,
                    ],
                    checks,
                    inputs: { awsTargets: { [USE1.name.toUpperCase() + "."]: false } },
                    expected: toSecondary,
                },
                {
                    title: "§1.1 health check AND ETH: both healthy => PRIMARY",
                    records: [primary, secondary],
                    checks,
                    inputs: { awsTargets: { [USE1.name]: true } },
                    expected: toPrimary(),
                },
                {
                    title: "§1.1 health check AND ETH: check healthy, target down => SECONDARY",
                    records: [primary, secondary],
                    checks,
                    inputs: { awsTargets: { [USE1.name]: false } },
                    expected: toSecondary,
                },
                {
                    title: "§1.1 health check AND ETH: check down, target up => SECONDARY",
                    records: [primary, secondary],
                    checks,
                    inputs: { endpoints: { "hc-p": false }, awsTargets: { [USE1.name]: true } },
                    expected: toSecondary,
                },
                {
                    title: "§3.5 disabled health check on PRIMARY counts healthy: no failover although the endpoint is down",
                    records: [primary, secondary],
                    checks: [endpointCheck("hc-p", { disabled: true }), endpointCheck("hc-s")],
                    inputs: { endpoints: { "hc-p": false } },
                    expected: toPrimary(),
                },
                {
                    title: "§3.5 disabled + inverted health check on PRIMARY counts unhealthy => SECONDARY",
                    records: [primary, secondary],
                    checks: [
                        endpointCheck("hc-p", { disabled: true, invertHealthcheck: true }),
                        endpointCheck("hc-s"),
                    ],
                    expected: toSecondary,
                },
                {
                    title: "§3.5 inverted health check on PRIMARY with a healthy endpoint => SECONDARY",
                    records: [primary, secondary],
                    checks: [
                        endpointCheck("hc-p", { invertHealthcheck: true }),
                        endpointCheck("hc-s"),
                    ],
                    inputs: { endpoints: { "hc-p": true } },
                    expected: toSecondary,
                },
                {
                    title: "§1.1 PRIMARY alone, unhealthy => PRIMARY (fail-open)",
                    records: [primary],
                    checks,
                    inputs: { endpoints: { "hc-p": false } },
                    expected: toPrimary(true),
                },
                {
                    title: "§1.1 SECONDARY alone, healthy => SECONDARY",
                    records: [secondary],
                    checks,
                    expected: toSecondary,
                },
            ]);

            // design.md topology: PRIMARY guarded by CALCULATED (endpoint AND switch), SECONDARY by
            // its own endpoint check; the switch is a CLOUDWATCH_METRIC check on an eu-west-1 alarm.
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
                    title: "§1.1/§3.7 project: all healthy => us-east-1",
                    records: projectRecords,
                    checks: projectChecks,
                    expected: aliasAnswer(["primary/api"], USE1, false, "failover"),
                },
                {
                    title: "§1.1/§3.6 project: operator flips the switch => eu-west-1",
                    records: projectRecords,
                    checks: projectChecks,
                    inputs: { alarms: { "eu-west-1/failover-switch": "ALARM" } },
                    expected: aliasAnswer(["secondary/api"], EUW1, false, "failover"),
                },
                {
                    title: "§1.1/§3.6 project: switch flipped then metric stops => stays on eu-west-1 (LastKnownStatus)",
                    records: projectRecords,
                    checks: projectChecks,
                    inputs: {
                        alarms: { "eu-west-1/failover-switch": "INSUFFICIENT_DATA" },
                        lastKnown: { switch: false },
                    },
                    expected: aliasAnswer(["secondary/api"], EUW1, false, "failover"),
                },
                {
                    title: "§1.1 project: us-east-1 endpoint down => eu-west-1",
                    records: projectRecords,
                    checks: projectChecks,
                    inputs: { endpoints: { "ep-use1": false } },
                    expected: aliasAnswer(["secondary/api"], EUW1, false, "failover"),
                },
                {
                    title: "§1.1 project: both regions down => us-east-1 (fail-open)",
                    records: projectRecords,
                    checks: projectChecks,
                    inputs: { endpoints: { "ep-use1": false, "ep-euw1": false } },
                    expected: aliasAnswer(["primary/api"], USE1, true, "failover"),
                },
            ]);
        });

        describe("latency (§2)", () => {
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
                    title: "§2 latency: nearest region (us-east-1 client)",
                    records: two,
                    checks,
                    client: NEAR_USE1,
                    expected: aliasAnswer(["use1"], USE1, false, "latency"),
                },
                {
                    title: "§2 latency: nearest region (eu-west-1 client)",
                    records: two,
                    checks,
                    client: NEAR_EUW1,
                    expected: aliasAnswer(["euw1"], EUW1, false, "latency"),
                },
                {
                    title: "§2 latency: unhealthy nearest region is skipped",
                    records: two,
                    checks,
                    client: NEAR_USE1,
                    inputs: { endpoints: { "hc-use1": false } },
                    expected: aliasAnswer(["euw1"], EUW1, false, "latency"),
                },
                {
                    title: "§2 latency: all unhealthy => nearest (fail-open)",
                    records: two,
                    checks,
                    client: NEAR_EUW1,
                    inputs: { endpoints: { "hc-use1": false, "hc-euw1": false } },
                    expected: aliasAnswer(["euw1"], EUW1, true, "latency"),
                },
                {
                    title: "§2 latency: regions the client has no latency for rank last, alphabetically",
                    records: three,
                    checks,
                    client: { latencyOrder: ["ap-southeast-1"] },
                    inputs: { endpoints: { "hc-apse1": false } },
                    expected: aliasAnswer(["euw1"], EUW1, false, "latency"),
                },
                {
                    title: "§2 latency: a region in latencyOrder beats regions without latency data",
                    records: three,
                    checks,
                    client: { latencyOrder: ["us-east-1"] },
                    expected: aliasAnswer(["use1"], USE1, false, "latency"),
                },
                {
                    title: "§2 latency: without a client, regions rank alphabetically",
                    records: three,
                    checks,
                    expected: aliasAnswer(["apse1"], APSE1, false, "latency"),
                },
            ]);
        });

        describe("weighted (§2)", () => {
            const checks = [
                endpointCheck("hc-a"),
                endpointCheck("hc-b"),
                endpointCheck("hc-c"),
                endpointCheck("hc-z"),
                endpointCheck("hc-y"),
            ];
            const weighted = (id: string, weight: number) =>
                rec(id, {
                    weightedRoutingPolicies: [{ weight }],
                    setIdentifier: id,
                    records: [`192.0.2.${id.charCodeAt(0) - 96}`],
                    ttl: 60,
                    healthCheckId: `hc-${id}`,
                });
            const abc = [weighted("a", 10), weighted("b", 20), weighted("c", 20)];
            const w = (a: number, b: number, c: number) => [
                { setIdentifier: "a", probability: a },
                { setIdentifier: "b", probability: b },
                { setIdentifier: "c", probability: c },
            ];
            const answer = (
                label: string,
                weights: Summary["weights"],
                failOpen = false,
            ): Summary => ({
                ...valuesAnswer(
                    [label],
                    [`192.0.2.${label.charCodeAt(0) - 96}`],
                    failOpen,
                    "weighted",
                ),
                weights,
            });
            run([
                {
                    title: "§2 weighted: 10/20/20 all healthy => 20%/40%/40%, most probable b (tie by setIdentifier)",
                    records: abc,
                    checks,
                    expected: answer("b", w(0.2, 0.4, 0.4)),
                },
                {
                    title: "§2 weighted: c unhealthy => renormalised 10/(10+20) = 33% / 67%",
                    records: abc,
                    checks,
                    inputs: { endpoints: { "hc-c": false } },
                    expected: answer("b", w(1 / 3, 2 / 3, 0)),
                },
                {
                    title: "§2 weighted: b and c unhealthy => a 100%",
                    records: abc,
                    checks,
                    inputs: { endpoints: { "hc-b": false, "hc-c": false } },
                    expected: answer("a", w(1, 0, 0)),
                },
                {
                    title: "§2 weighted: all unhealthy => all healthy, original distribution (fail-open)",
                    records: abc,
                    checks,
                    inputs: { endpoints: { "hc-a": false, "hc-b": false, "hc-c": false } },
                    expected: answer("b", w(0.2, 0.4, 0.4), true),
                },
                {
                    title: "§2 weighted: zero-weight record not used while a nonzero record is healthy",
                    records: [weighted("a", 10), weighted("z", 0)],
                    checks,
                    expected: answer("a", [
                        { setIdentifier: "a", probability: 1 },
                        { setIdentifier: "z", probability: 0 },
                    ]),
                },
                {
                    title: "§2 weighted: zero-weight record used when every nonzero record is unhealthy",
                    records: [weighted("a", 10), weighted("z", 0)],
                    checks,
                    inputs: { endpoints: { "hc-a": false } },
                    expected: answer("z", [
                        { setIdentifier: "a", probability: 0 },
                        { setIdentifier: "z", probability: 1 },
                    ]),
                },
                {
                    title: "§2 weighted: all unhealthy with a zero weight => nonzero records first (fail-open)",
                    records: [weighted("a", 10), weighted("z", 0)],
                    checks,
                    inputs: { endpoints: { "hc-a": false, "hc-z": false } },
                    expected: answer(
                        "a",
                        [
                            { setIdentifier: "a", probability: 1 },
                            { setIdentifier: "z", probability: 0 },
                        ],
                        true,
                    ),
                },
                {
                    title: "§2 weighted: all weights 0 => equal probability",
                    records: [weighted("z", 0), weighted("y", 0)],
                    checks,
                    expected: answer("y", [
                        { setIdentifier: "y", probability: 0.5 },
                        { setIdentifier: "z", probability: 0.5 },
                    ]),
                },
                {
                    title: "§2 weighted: all weights 0, one unhealthy => the other",
                    records: [weighted("z", 0), weighted("y", 0)],
                    checks,
                    inputs: { endpoints: { "hc-y": false } },
                    expected: answer("z", [
                        { setIdentifier: "y", probability: 0 },
                        { setIdentifier: "z", probability: 1 },
                    ]),
                },
            ]);
        });

        describe("multivalue (§2)", () => {
            const ids = Array.from({ length: 10 }, (_, i) => `mv${String(i + 1).padStart(2, "0")}`);
            const checks = ids.map((id) => endpointCheck(`hc-${id}`));
            const records = ids.map((id, i) =>
                rec(id, {
                    multivalueAnswerRoutingPolicy: true,
                    setIdentifier: id,
                    records: [`192.0.2.${i + 1}`],
                    ttl: 60,
                    healthCheckId: `hc-${id}`,
                }),
            );
            const ip = (i: number) => `192.0.2.${i}`;
            const down = (...n: number[]) => ({
                endpoints: Object.fromEntries(
                    n.map((i) => [`hc-mv${String(i).padStart(2, "0")}`, false]),
                ),
            });
            run([
                {
                    title: "§2 multivalue: at most 8 healthy records of 10",
                    records,
                    checks,
                    expected: valuesAnswer(
                        ["mv01"],
                        [1, 2, 3, 4, 5, 6, 7, 8].map(ip),
                        false,
                        "multivalue",
                    ),
                },
                {
                    title: "§2 multivalue: only healthy values",
                    records,
                    checks,
                    inputs: down(1, 2, 3, 4, 5, 6, 7),
                    expected: valuesAnswer(["mv08"], [8, 9, 10].map(ip), false, "multivalue"),
                },
                {
                    title: "§2 multivalue: unhealthy records skipped before the cap",
                    records,
                    checks,
                    inputs: down(2, 4),
                    expected: valuesAnswer(
                        ["mv01"],
                        [1, 3, 5, 6, 7, 8, 9, 10].map(ip),
                        false,
                        "multivalue",
                    ),
                },
                {
                    title: "§2 multivalue: none healthy => up to 8 unhealthy (fail-open)",
                    records,
                    checks,
                    inputs: down(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
                    expected: valuesAnswer(
                        ["mv01"],
                        [1, 2, 3, 4, 5, 6, 7, 8].map(ip),
                        true,
                        "multivalue",
                    ),
                },
                {
                    title: "§2 multivalue: records without health check are always healthy",
                    records: [
                        rec("m1", {
                            multivalueAnswerRoutingPolicy: true,
                            setIdentifier: "m1",
                            records: ["198.51.100.1"],
                        }),
                        rec("m2", {
                            multivalueAnswerRoutingPolicy: true,
                            setIdentifier: "m2",
                            records: ["198.51.100.2"],
                            healthCheckId: "hc-mv01",
                        }),
                    ],
                    checks,
                    inputs: down(1),
                    expected: valuesAnswer(["m1"], ["198.51.100.1"], false, "multivalue"),
                },
            ]);
        });

        describe("nested trees (§1.2, §1.3)", () => {
            // api: failover PRIMARY -> alias (ETH) -> latency group "lat.api" whose region records
            // alias (ETH) to per-region weighted groups of health-checked IPs; SECONDARY -> a
            // maintenance value with its own check.
            const checks = ["w-use1-a", "w-use1-b", "w-euw1-a", "w-euw1-b", "maint"].map((id) =>
                endpointCheck(id),
            );
            const weighted = (label: string, name: string, weight: number, ip: string) =>
                rec(label, {
                    name,
                    weightedRoutingPolicies: [{ weight }],
                    setIdentifier: label,
                    records: [ip],
                    ttl: 60,
                    healthCheckId: label,
                });
            const records = [
                rec("top-primary", {
                    ...role("PRIMARY"),
                    ...aliasTo({ name: "lat.api.example.com", zoneId: "Z1" }, true),
                }),
                rec("top-secondary", {
                    ...role("SECONDARY"),
                    records: ["203.0.113.9"],
                    ttl: 60,
                    healthCheckId: "maint",
                }),
                rec("lat-use1", {
                    name: "lat.api",
                    latencyRoutingPolicies: [{ region: "us-east-1" }],
                    setIdentifier: "us-east-1",
                    ...aliasTo({ name: "USE1.api.example.com.", zoneId: "Z1" }, true),
                }),
                rec("lat-euw1", {
                    name: "lat.api",
                    latencyRoutingPolicies: [{ region: "eu-west-1" }],
                    setIdentifier: "eu-west-1",
                    ...aliasTo({ name: "euw1.api.example.com", zoneId: "/hostedzone/Z1" }, true),
                }),
                weighted("w-use1-a", "use1.api", 60, "198.51.100.1"),
                weighted("w-use1-b", "use1.api", 40, "198.51.100.2"),
                weighted("w-euw1-a", "euw1.api.example.com", 50, "198.51.100.3"),
                weighted("w-euw1-b", "euw1.api.example.com.", 50, "198.51.100.4"),
            ];
            const use1Weights = (a: number, b: number) => [
                { setIdentifier: "w-use1-a", probability: a },
                { setIdentifier: "w-use1-b", probability: b },
            ];
            run([
                {
                    title: "§1.3 failover -> latency -> weighted: all healthy, nearest region, most probable record",
                    records,
                    checks,
                    client: NEAR_USE1,
                    expected: {
                        ...valuesAnswer(
                            ["top-primary", "lat-use1", "w-use1-a"],
                            ["198.51.100.1"],
                            false,
                            "failover",
                        ),
                        weights: use1Weights(0.6, 0.4),
                    },
                },
                {
                    title: "§1.3 one weighted record down inside the branch: renormalised, branch still used",
                    records,
                    checks,
                    client: NEAR_USE1,
                    inputs: { endpoints: { "w-use1-a": false } },
                    expected: {
                        ...valuesAnswer(
                            ["top-primary", "lat-use1", "w-use1-b"],
                            ["198.51.100.2"],
                            false,
                            "failover",
                        ),
                        weights: use1Weights(0, 1),
                    },
                },
                {
                    title: "§1.3 every weighted record of the nearest region down: back out to the next-best latency record",
                    records,
                    checks,
                    client: NEAR_USE1,
                    inputs: { endpoints: { "w-use1-a": false, "w-use1-b": false } },
                    expected: {
                        ...valuesAnswer(
                            ["top-primary", "lat-euw1", "w-euw1-a"],
                            ["198.51.100.3"],
                            false,
                            "failover",
                        ),
                        weights: [
                            { setIdentifier: "w-euw1-a", probability: 0.5 },
                            { setIdentifier: "w-euw1-b", probability: 0.5 },
                        ],
                    },
                },
                {
                    title: "§1.2/§1.3 every branch down: PRIMARY alias (ETH) unhealthy => SECONDARY",
                    records,
                    checks,
                    client: NEAR_USE1,
                    inputs: {
                        endpoints: {
                            "w-use1-a": false,
                            "w-use1-b": false,
                            "w-euw1-a": false,
                            "w-euw1-b": false,
                        },
                    },
                    expected: valuesAnswer(["top-secondary"], ["203.0.113.9"], false, "failover"),
                },
                {
                    title: "§1.3 everything down: fail-open at every level down to the nearest, most probable record (INFERRED)",
                    records,
                    checks,
                    client: NEAR_USE1,
                    inputs: {
                        endpoints: {
                            "w-use1-a": false,
                            "w-use1-b": false,
                            "w-euw1-a": false,
                            "w-euw1-b": false,
                            maint: false,
                        },
                    },
                    expected: {
                        ...valuesAnswer(
                            ["top-primary", "lat-use1", "w-use1-a"],
                            ["198.51.100.1"],
                            true,
                            "failover",
                        ),
                        weights: use1Weights(0.6, 0.4),
                    },
                },
                {
                    title: "§1.3 querying a branch directly",
                    records,
                    checks,
                    client: NEAR_EUW1,
                    name: "lat.api.example.com",
                    expected: {
                        ...valuesAnswer(
                            ["lat-euw1", "w-euw1-a"],
                            ["198.51.100.3"],
                            false,
                            "latency",
                        ),
                        weights: [
                            { setIdentifier: "w-euw1-a", probability: 0.5 },
                            { setIdentifier: "w-euw1-b", probability: 0.5 },
                        ],
                    },
                },
                {
                    title: "§1.3 alias with ETH=false into an all-unhealthy branch: last resort inside the branch (INFERRED)",
                    records: [
                        rec("top", aliasTo({ name: "use1.api.example.com", zoneId: "Z1" }, false)),
                        weighted("w-use1-a", "use1.api", 60, "198.51.100.1"),
                        weighted("w-use1-b", "use1.api", 40, "198.51.100.2"),
                    ],
                    checks,
                    inputs: { endpoints: { "w-use1-a": false, "w-use1-b": false } },
                    expected: {
                        ...valuesAnswer(["top", "w-use1-a"], ["198.51.100.1"], true, "simple"),
                        weights: use1Weights(0.6, 0.4),
                    },
                },
            ]);
        });

        describe("names, zones and simple records", () => {
            const SUB: SimZone = { id: "Z2", name: "api.example.com" };
            run([
                {
                    title: "relative record name matches the FQDN query",
                    records: [rec("r", { name: "api", records: ["192.0.2.1"] })],
                    expected: valuesAnswer(["r"], ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "FQDN record name with trailing dot, query in another case with trailing dot",
                    records: [rec("r", { name: "API.example.com.", records: ["192.0.2.1"] })],
                    name: "Api.Example.Com.",
                    expected: valuesAnswer(["r"], ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "empty record name is the zone apex",
                    records: [rec("r", { name: "", records: ["192.0.2.1"] })],
                    name: "example.com",
                    expected: valuesAnswer(["r"], ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "zone id given as /hostedzone/Z1",
                    records: [rec("r", { zoneId: "/hostedzone/Z1", records: ["192.0.2.1"] })],
                    expected: valuesAnswer(["r"], ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "query type compares case-insensitively",
                    records: [rec("r", { type: "AAAA", records: ["2001:db8::1"] })],
                    type: "aaaa",
                    expected: valuesAnswer(["r"], ["2001:db8::1"], false, "simple"),
                },
                {
                    title: "simple alias to an AWS resource returns the alias target",
                    records: [rec("r", aliasTo(USE1, false))],
                    expected: aliasAnswer(["r"], USE1, false, "simple"),
                },
                {
                    title: "simple record is returned whatever its health check says",
                    records: [rec("r", { records: ["192.0.2.1"], healthCheckId: "hc" })],
                    checks: [endpointCheck("hc")],
                    inputs: { endpoints: { hc: false } },
                    expected: valuesAnswer(["r"], ["192.0.2.1"], false, "simple"),
                },
                {
                    title: "§1.2 simple alias to a same-zone record follows it",
                    records: [
                        rec("apex", {
                            name: "example.com",
                            ...aliasTo({ name: "api.example.com", zoneId: "Z1" }, true),
                        }),
                        rec("api", aliasTo(USE1, false)),
                    ],
                    name: "example.com",
                    expected: {
                        chain: ["apex", "api"],
                        record: "api",
                        target: { kind: "alias", name: USE1.name, zoneId: USE1.zoneId },
                        failOpen: false,
                        policy: "simple",
                    },
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
                    expected: valuesAnswer(["www"], ["api.example.com"], false, "simple"),
                },
                {
                    title: "the most specific zone answers (delegated subdomain)",
                    zones: [ZONE, SUB],
                    records: [
                        rec("parent", { records: ["192.0.2.1"] }),
                        rec("child", { zoneId: "Z2", name: "", records: ["192.0.2.2"] }),
                    ],
                    expected: valuesAnswer(["child"], ["192.0.2.2"], false, "simple"),
                },
                {
                    title: "same zone listed twice (both stacks) is fine",
                    zones: [ZONE, { id: "Z1", name: "Example.com." }],
                    records: [rec("r", { records: ["192.0.2.1"] })],
                    expected: valuesAnswer(["r"], ["192.0.2.1"], false, "simple"),
                },
            ]);
        });

        describe("errors (malformed input)", () => {
            const checks = [endpointCheck("hc-p"), endpointCheck("hc-s")];
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
            const rows: {
                title: string;
                records: SimRecord[];
                zones?: SimZone[];
                name?: string;
                message: string;
            }[] = [
                {
                    title: "§4.3 group mixing routing policies",
                    records: [primary, rec("stack-b/plain", aliasTo(EUW1, false))],
                    message:
                        'Records for api.example.com A mix routing policies: "stack-a/primary" (failover), "stack-b/plain" (simple)',
                },
                {
                    title: "§1.1 two PRIMARY records",
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
                    title: "§1.1 failover type other than PRIMARY/SECONDARY",
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
                    title: "§1.1 failover type is case-sensitive ([API:ResourceRecordSet] Failover enum)",
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
                    message: 'Record "stack-b/secondary" refers to unknown health check "ghost"',
                },
                {
                    title: "§4.3 missing setIdentifier",
                    records: [
                        rec("stack-a/p", {
                            failoverRoutingPolicies: [{ type: "PRIMARY" }],
                            ...aliasTo(USE1, true),
                        }),
                    ],
                    message: 'Record "stack-a/p" (failover) has no setIdentifier',
                },
                {
                    title: "§4.3 duplicate setIdentifier",
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
                    title: "§4.3 two latency records for one region",
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
                    title: "§4.3 two simple records for one name/type",
                    records: [
                        rec("a", { records: ["192.0.2.1"] }),
                        rec("b", { records: ["192.0.2.2"] }),
                    ],
                    message:
                        'Records for api.example.com A declare 2 simple records ("a", "b"); only one is allowed',
                },
                {
                    title: "§4.3 record with two routing policies",
                    records: [
                        rec("a", {
                            ...role("PRIMARY"),
                            weightedRoutingPolicies: [{ weight: 1 }],
                            records: ["192.0.2.1"],
                        }),
                    ],
                    message: 'Record "a" has more than one routing policy (failover, weighted)',
                },
                {
                    title: "§4.2 alias and records together",
                    records: [rec("a", { ...aliasTo(USE1, false), records: ["192.0.2.1"] })],
                    message: 'Record "a" has both an alias and records',
                },
                {
                    title: "record with neither alias nor records",
                    records: [rec("a", {})],
                    message: 'Record "a" has neither an alias nor records',
                },
                {
                    title: "§2 multivalue alias",
                    records: [
                        rec("a", {
                            multivalueAnswerRoutingPolicy: true,
                            setIdentifier: "a",
                            ...aliasTo(USE1, false),
                        }),
                    ],
                    message: 'Record "a" is a multivalue answer alias record',
                },
                {
                    title: "weighted record with a negative weight",
                    records: [
                        rec("a", {
                            weightedRoutingPolicies: [{ weight: -1 }],
                            setIdentifier: "a",
                            records: ["192.0.2.1"],
                        }),
                    ],
                    message: 'Record "a" has invalid weight -1',
                },
                {
                    title: "record in an unknown zone",
                    records: [rec("a", { zoneId: "Z9", records: ["192.0.2.1"] })],
                    message: 'Record "a" is in unknown hosted zone "Z9"',
                },
                {
                    title: "record name outside its zone (provider suffix quirk)",
                    records: [rec("a", { name: "myexample.com", records: ["192.0.2.1"] })],
                    message: 'Record "a" name myexample.com is outside its hosted zone example.com',
                },
                {
                    title: "§1.2 alias into another hosted zone",
                    zones: [ZONE, { id: "Z2", name: "example.net" }],
                    records: [rec("a", aliasTo({ name: "api.example.net", zoneId: "Z2" }, true))],
                    message:
                        'Alias record "a" targets api.example.net in another hosted zone "Z2"; an alias can only reference records in its own zone',
                },
                {
                    title: "§1.2 alias to a same-zone name with no records of that type",
                    records: [
                        rec("a", aliasTo({ name: "ghost.example.com", zoneId: "Z1" }, false)),
                    ],
                    message:
                        'Alias record "a" targets ghost.example.com A in its own zone, but no such records exist',
                },
                {
                    title: "alias loop",
                    records: [
                        rec("a", aliasTo({ name: "b.example.com", zoneId: "Z1" }, false)),
                        rec("b", {
                            name: "b",
                            ...aliasTo({ name: "api.example.com", zoneId: "Z1" }, false),
                        }),
                    ],
                    message:
                        "Alias loop: api.example.com A -> b.example.com A -> api.example.com A",
                },
                {
                    title: "alias loop through evaluateTargetHealth",
                    records: [
                        rec("a", {
                            ...role("PRIMARY"),
                            ...aliasTo({ name: "b.example.com", zoneId: "Z1" }, true),
                        }),
                        rec("b", {
                            name: "b",
                            ...aliasTo({ name: "api.example.com", zoneId: "Z1" }, true),
                        }),
                    ],
                    message:
                        "Alias loop: api.example.com A -> b.example.com A -> api.example.com A",
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
            ];
            for (const row of rows) {
                it(`throws: ${row.title}`, () => {
                    assert.throws(
                        () =>
                            resolve({
                                zones: row.zones ?? [ZONE],
                                records: row.records,
                                checks,
                                inputs: {},
                                name: row.name ?? "api.example.com",
                            }),
                        { message: row.message },
                    );
                });
            }

            it("throws: record with two failover blocks", () => {
                assert.throws(
                    () =>
                        routingPolicyOf(
                            rec("a", {
                                failoverRoutingPolicies: [
                                    { type: "PRIMARY" },
                                    { type: "SECONDARY" },
                                ],
                                records: ["192.0.2.1"],
                            }),
                        ),
                    {
                        message:
                            'Record "a" has 2 failover routing policy blocks; at most one is allowed',
                    },
                );
            });
        });
    });
});
