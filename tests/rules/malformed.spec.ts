// Every rule over deliberately malformed snapshots: each input the rules read, and each field of
// its nested blocks, set to values no program should send. A rule must never throw, and never
// show a reader `undefined`, `null`, `NaN`, `[object Object]` or a symbol.
import * as assert from "node:assert/strict";
import { RULES, ResourceSnapshot, Rule, UNKNOWN, runRules } from "../../plan/rules";
import { T } from "../../plan/rules/values";
import { dependingOn, snap } from "./helpers";

const BAD_VALUES: readonly [string, unknown][] = [
    ["undefined", undefined],
    ["null", null],
    ["0", 0],
    ["NaN", NaN],
    ['""', ""],
    ["[]", []],
    ["{}", {}],
    ["[null]", [null]],
    ["UNKNOWN", UNKNOWN],
    ["[UNKNOWN]", [UNKNOWN]],
    ["{ x: UNKNOWN }", { x: UNKNOWN }],
];

const LEAKS = /\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]|Symbol\(/;

const lambdaTrust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Principal: { Service: "lambda.amazonaws.com" },
        },
    ],
});
const broadPolicy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }],
});
const CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/abc";

/** One resource of every type a rule reads, linked as a program links them, some of them wrong. */
function baseline(): ResourceSnapshot[] {
    const cert = snap(T.certificate, "cert", {
        domainName: "api.example.com",
        subjectAlternativeNames: ["use1.api.example.com"],
        validationMethod: "DNS",
        arn: CERT_ARN,
    });
    const validation = snap(
        T.certificateValidation,
        "validation",
        { certificateArn: CERT_ARN, validationRecordFqdns: ["_x.api.example.com"] },
        dependingOn(cert),
    );
    const domain = snap(
        T.domainName,
        "domain",
        {
            domainName: "api.example.com",
            endpointConfiguration: { types: "REGIONAL" },
            regionalCertificateArn: CERT_ARN,
            certificateArn: CERT_ARN,
            securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09",
            regionalDomainName: "d-abc.execute-api.us-east-1.amazonaws.com",
            regionalZoneId: "ZREGIONAL",
            cloudfrontDomainName: "d111.cloudfront.net",
            cloudfrontZoneId: "Z2FDTNDATAQYW2",
            routingMode: "ROUTING_RULE_THEN_API_MAPPING",
        },
        { region: "eu-west-1", ...dependingOn(cert, validation) },
    );
    const domainV2 = snap(
        T.domainNameV2,
        "domain-v2",
        {
            domainName: "ws.example.com",
            domainNameConfiguration: {
                certificateArn: CERT_ARN,
                endpointType: "REGIONAL",
                securityPolicy: "TLS_1_2",
                targetDomainName: "d-def.execute-api.us-east-1.amazonaws.com",
                hostedZoneId: "ZREGIONAL",
            },
            routingMode: "API_MAPPING_ONLY",
        },
        dependingOn(cert),
    );
    const restApi = snap(T.restApi, "rest", { disableExecuteApiEndpoint: true });
    const wsApi = snap(T.apiV2, "ws", {
        protocolType: "WEBSOCKET",
        disableExecuteApiEndpoint: true,
    });
    const httpApi = snap(T.apiV2, "http", { protocolType: "HTTP" });
    const check = snap(T.healthCheck, "check", {
        type: "HTTPS_STR_MATCH",
        fqdn: "api.example.com",
        port: 443,
        resourcePath: "/health",
        searchString: "ok",
        requestInterval: 15,
        failureThreshold: 11,
        regions: ["us-east-1", "us-east-1", "eu-central-1"],
        measureLatency: true,
        disabled: true,
        cloudwatchAlarmName: "x",
    });
    const apiCheck = snap(
        T.healthCheck,
        "api-check",
        { type: "HTTPS", fqdn: "rest-id.execute-api.us-east-1.amazonaws.com" },
        dependingOn(restApi),
    );
    const alarm = snap(T.alarm, "alarm", {
        name: "switch",
        extendedStatistic: "p99",
        metricQueries: [{ id: "m1" }],
        datapointsToAlarm: 1,
        evaluationPeriods: 3,
        period: 10,
        treatMissingData: "breaching",
    });
    const alarmCheck = snap(
        T.healthCheck,
        "alarm-check",
        {
            type: "CLOUDWATCH_METRIC",
            cloudwatchAlarmName: "switch",
            cloudwatchAlarmRegion: "us-east-1",
            insufficientDataHealthStatus: "Unhealthy",
            requestInterval: 30,
            fqdn: "x.example.com",
        },
        dependingOn(alarm),
    );
    const calculated = snap(
        T.healthCheck,
        "calculated",
        {
            type: "CALCULATED",
            childHealthchecks: ["check-id", "api-check-id", "calculated-inner-id"],
            childHealthThreshold: 4,
        },
        dependingOn(check, apiCheck),
    );
    const inner = snap(T.healthCheck, "calculated-inner", {
        type: "CALCULATED",
        childHealthchecks: ["check-id"],
    });
    const primary = snap(
        T.record,
        "primary",
        {
            zoneId: "Z1",
            name: "api.example.com",
            type: "A",
            setIdentifier: "primary",
            failoverRoutingPolicies: [{ type: "PRIMARY" }],
            healthCheckId: "calculated-id",
            ttl: 300,
            aliases: [
                {
                    name: "d-abc.execute-api.us-east-1.amazonaws.com",
                    zoneId: "Z2FDTNDATAQYW2",
                    evaluateTargetHealth: true,
                },
            ],
        },
        dependingOn(domain, calculated),
    );
    const secondary = snap(T.record, "secondary", {
        zoneId: "Z1",
        name: "api.example.com",
        type: "CNAME",
        ttl: 300,
        records: ["d-def.execute-api.eu-west-1.amazonaws.com"],
        setIdentifier: "secondary",
        failoverRoutingPolicies: [{ type: "secondary" }],
        latencyRoutingPolicies: [{ region: "us-east-1" }],
        weightedRoutingPolicies: [{ weight: 1 }],
        geolocationRoutingPolicies: [{ country: "DE" }],
        geoproximityRoutingPolicy: { awsRegion: "us-east-1" },
        cidrRoutingPolicy: { collectionId: "c", locationName: "l" },
        multivalueAnswerRoutingPolicy: true,
        allowOverwrite: false,
    });
    const validationRecord = snap(T.record, "validation-record", {
        zoneId: "Z1",
        name: "_x.api.example.com",
        type: "CNAME",
        ttl: 60,
        records: ["_y.acm-validations.aws"],
    });
    const validationRecordAgain = snap(T.record, "validation-record-again", {
        ...validationRecord.inputs,
    });
    const mapping = snap(
        T.basePathMapping,
        "mapping",
        { domainName: "api.example.com", basePath: "v1", restApi: "rest-id" },
        dependingOn(restApi),
    );
    const mappingV2 = snap(
        T.apiMappingV2,
        "mapping-v2",
        { domainName: "api.example.com", apiMappingKey: "v1", apiId: "ws-id" },
        dependingOn(wsApi),
    );
    const routingRule = snap(T.routingRuleV2, "routing-rule", { domainName: "ws.example.com" });
    const role = snap(T.role, "fn", {
        name: "fn-role",
        assumeRolePolicy: lambdaTrust,
        inlinePolicies: [{ name: "inline", policy: broadPolicy }],
        managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:custom"],
    });
    const policy = snap(T.policy, "policy", { arn: "arn:custom", policy: broadPolicy });
    const rolePolicy = snap(
        T.rolePolicy,
        "role-policy",
        {
            role: "fn-role",
            policy: JSON.parse(broadPolicy) as unknown,
        },
        dependingOn(role),
    );
    const attachment = snap(
        T.rolePolicyAttachment,
        "attachment",
        { role: "fn-role", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" },
        dependingOn(role, policy),
    );
    const policyAttachment = snap(
        T.policyAttachment,
        "policy-attachment",
        { roles: ["fn-role"], policyArn: "arn:custom" },
        dependingOn(role, policy),
    );
    return [
        cert,
        validation,
        domain,
        domainV2,
        restApi,
        wsApi,
        httpApi,
        check,
        apiCheck,
        alarm,
        alarmCheck,
        calculated,
        inner,
        primary,
        secondary,
        validationRecord,
        validationRecordAgain,
        mapping,
        mappingV2,
        routingRule,
        role,
        policy,
        rolePolicy,
        attachment,
        policyAttachment,
    ];
}

/**
 * What the rules read of the baseline: the inputs of each type (what the baseline gives, and what
 * any rule asks for), and the rules that read each type's inputs at all, since only those can
 * change when such an input does.
 */
function reads(resources: readonly ResourceSnapshot[]) {
    const keys = new Map<string, Set<string>>(
        resources.map((r) => [r.type, new Set<string>()] as const),
    );
    resources.forEach((r) => Object.keys(r.inputs).forEach((k) => keys.get(r.type)?.add(k)));
    const readers = new Map<string, Rule[]>();
    for (const rule of RULES) {
        const watched = resources.map((r) => ({
            ...r,
            inputs: new Proxy(r.inputs, {
                get(target, key, receiver) {
                    if (typeof key === "string") {
                        keys.get(r.type)?.add(key);
                        const rules = readers.get(r.type) ?? [];
                        readers.set(r.type, rules.includes(rule) ? rules : [...rules, rule]);
                    }
                    return Reflect.get(target, key, receiver) as unknown;
                },
            }),
        }));
        runRules([rule], watched, { wholeDeployment: true });
    }
    return { keys, readers };
}

/** Where a bad value goes: an input, or a field of the object (or first element) it holds. */
type Path = [string] | [string, string];

function pathsOf(r: ResourceSnapshot, keys: ReadonlySet<string>): Path[] {
    const paths: Path[] = [...keys].map((k) => [k]);
    for (const key of keys) {
        const v = r.inputs[key];
        const block = Array.isArray(v) ? (v as unknown[])[0] : v;
        if (typeof block === "object" && block !== null && !Array.isArray(block)) {
            Object.keys(block).forEach((f) => paths.push([key, f]));
        }
    }
    return paths;
}

/** `inputs` with the value at `path` replaced by `bad` (a nested field keeps its list shape). */
function withBad(
    inputs: Record<string, unknown>,
    path: Path,
    bad: unknown,
): Record<string, unknown> {
    const [key, field] = path;
    if (field === undefined) {
        return { ...inputs, [key]: bad };
    }
    const v = inputs[key];
    if (Array.isArray(v)) {
        const [head, ...rest] = v as unknown[];
        return { ...inputs, [key]: [{ ...(head as object), [field]: bad }, ...rest] };
    }
    return { ...inputs, [key]: { ...(v as object), [field]: bad } };
}

/**
 * Problems with what `rules` make of `resources`: a throw, or a message showing a leak. Resource
 * rules judge only `changed` when given: the others' resources are as in the baseline.
 */
function problemsOf(
    rules: readonly Rule[],
    resources: readonly ResourceSnapshot[],
    what: string,
    {
        wholeDeployment = true,
        changed,
    }: { wholeDeployment?: boolean; changed?: ResourceSnapshot } = {},
): string[] {
    const problems: string[] = [];
    for (const rule of rules) {
        try {
            const messages =
                rule.scope !== "resource"
                    ? rule.check(resources, { wholeDeployment }).map((f) => f.message)
                    : (changed ? [changed] : resources)
                          .filter((r) => rule.types.includes(r.type))
                          .flatMap((r) => rule.check(r));
            messages
                .filter((m) => LEAKS.test(m))
                .forEach((m) => problems.push(`${what}: ${rule.id} says "${m}"`));
        } catch (e) {
            problems.push(`${what}: ${rule.id} throws ${e instanceof Error ? e.stack : String(e)}`);
        }
    }
    return problems;
}

describe("every rule over malformed snapshots", () => {
    it("never throws, and never shows undefined, null, NaN, [object Object] or a symbol", () => {
        const base = baseline();
        const { keys, readers } = reads(base);
        const problems = [
            ...problemsOf(RULES, base, "the baseline"),
            // One stack of several: deployment rules judge less, so this is checked once.
            ...problemsOf(RULES, base, "the baseline, one stack of several", {
                wholeDeployment: false,
            }),
        ];
        let runs = 0;
        base.forEach((r, n) => {
            const rules = readers.get(r.type) ?? [];
            for (const path of pathsOf(r, keys.get(r.type) ?? new Set())) {
                for (const [shown, bad] of BAD_VALUES) {
                    const changed = { ...r, inputs: withBad(r.inputs, path, bad) };
                    const resources = [...base];
                    resources[n] = changed;
                    const what = `${r.name} ${path.join(".")} = ${shown}`;
                    problems.push(...problemsOf(rules, resources, what, { changed }));
                    runs++;
                }
            }
        });
        assert.ok(runs > 2000, `only ${runs} malformed stacks`);
        assert.deepEqual(problems.slice(0, 20), []);
    });

    it("never throws on snapshots with every input malformed at once", () => {
        const base = baseline();
        for (const [shown, bad] of BAD_VALUES) {
            const resources = base.map((r) => ({
                ...r,
                inputs: Object.fromEntries(Object.keys(r.inputs).map((k) => [k, bad])),
            }));
            assert.deepEqual(problemsOf(RULES, resources, `every input = ${shown}`), []);
        }
    });
});
