// The components as other Pulumi languages see them: this repository started as a source-based
// component package exactly as the Pulumi CLI's Node.js language host starts it (package.json's
// `main`, the package named after package.json's `name`), asked for its schema over gRPC as
// `pulumi package add` asks. The schema is the SDK analyzer's reading of the components' args and
// properties (several seconds of type checking), so the package starts when mocha loads the
// specs, beside the other specs (componentPackage.ts); the tests below await it. The schema must equal the committed
// schema.json (`npm run schema` rewrites it): a change to the public surface fails here until it
// is reviewed and committed.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import {
    PackageSchema,
    PropertySchema,
    SCHEMA_FILE,
    servedSchema,
} from "../../tools/componentPlugin";
import { readable, readmeTables, renderTables, README } from "../../tools/libraryTables";
import { provider } from "./componentPackage";

const COMPONENTS = [
    "RegionalApi",
    "FailoverDomain",
    "AlarmHealthCheck",
    "PeerProbe",
    "DerivedMetricGuard",
    "FailoverObservability",
];
const PACKAGE = JSON.parse(fs.readFileSync(require.resolve("../../package.json"), "utf8")) as {
    name: string;
    version: string;
    description: string;
};
const TOKEN = (name: string) => `${PACKAGE.name}:index:${name}`;

const served = provider.then(servedSchema);
// Reported by the tests that await it; never an unhandled rejection before they run.
served.catch(() => undefined);

/** A schema property with whether it is optional (the schema lists the required ones). */
type PropertyDefinition = PropertySchema & { optional?: boolean };

/** The schema by component and type name, each property marked optional unless required. */
interface Analysis {
    components: Record<
        string,
        {
            name: string;
            inputs: Record<string, PropertyDefinition>;
            outputs: Record<string, PropertyDefinition>;
        }
    >;
    typeDefinitions: Record<
        string,
        {
            name: string;
            type: string;
            properties?: Record<string, PropertyDefinition>;
            enum?: { name?: string; value: string | number; description?: string }[];
        }
    >;
    dependencies: { name: string; version: string }[];
}

function marked(
    properties: Record<string, PropertySchema> | undefined,
    required: string[] | undefined,
): Record<string, PropertyDefinition> {
    return Object.fromEntries(
        Object.entries(properties ?? {}).map(([k, p]) => [
            k,
            { ...p, optional: !(required ?? []).includes(k) },
        ]),
    );
}

/** The part of a token after `<package>:index:`. */
function local(token: string): string {
    assert.ok(token.startsWith(TOKEN("")), `${token} is not a token of ${PACKAGE.name}:index`);
    return token.slice(TOKEN("").length);
}

function analysisOf(schema: PackageSchema): Analysis {
    return {
        components: Object.fromEntries(
            Object.entries(schema.resources).map(([token, r]) => [
                local(token),
                {
                    name: local(token),
                    inputs: marked(r.inputProperties, r.requiredInputs),
                    outputs: marked(r.properties, r.required),
                },
            ]),
        ),
        typeDefinitions: Object.fromEntries(
            Object.entries(schema.types).map(([token, t]) => [
                local(token),
                {
                    name: local(token),
                    type: t.type,
                    ...(t.enum
                        ? { enum: t.enum }
                        : { properties: marked(t.properties, t.required) }),
                },
            ]),
        ),
        dependencies: schema.dependencies ?? [],
    };
}

/** A property's type or $ref and whether it is optional (descriptions are not compared). */
interface Shape {
    type?: string;
    $ref?: string;
    optional: boolean;
    items?: Shape;
    additionalProperties?: Shape;
}

function shape(p: PropertyDefinition): Shape {
    return {
        ...("$ref" in p ? { $ref: p.$ref } : { type: p.type }),
        optional: p.optional === true,
        ...(p.items ? { items: shape(p.items) } : {}),
        ...(p.additionalProperties ? { additionalProperties: shape(p.additionalProperties) } : {}),
    };
}

function shapes(properties: Record<string, PropertyDefinition>): Record<string, Shape> {
    return Object.fromEntries(Object.entries(properties).map(([k, p]) => [k, shape(p)]));
}

const str = (optional = false): Shape => ({ type: "string", optional });
const num = (optional = false): Shape => ({ type: "number", optional });
const ref = (type: string, optional = false): Shape => ({
    $ref: `#/types/multi-region-api:index:${type}`,
    optional,
});
const tags: Shape = { type: "object", optional: true, additionalProperties: str() };

const AWS_VERSION = (
    JSON.parse(fs.readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")) as {
        version: string;
    }
).version;
/** A reference to an AWS resource in the @pulumi/aws schema, by type token. */
const aws = (token: string, optional = false): Shape => ({
    $ref: `/aws/v${AWS_VERSION}/schema.json#/resources/${token.replace("/", "%2F")}`,
    optional,
});

describe("component package schema (what `pulumi package add` generates SDKs from)", function () {
    this.timeout(60_000);
    let schema: PackageSchema;
    let result: Analysis;

    before(async () => {
        schema = await served;
        result = analysisOf(schema);
    });

    it("finds exactly the components, depending on @pulumi/aws alone", () => {
        assert.deepEqual(Object.keys(result.components).sort(), [...COMPONENTS].sort());
        for (const name of COMPONENTS) {
            assert.equal(result.components[name].name, name);
        }
        assert.deepEqual(result.dependencies, [{ name: "aws", version: AWS_VERSION }]);
    });

    it("RegionalApi inputs", () => {
        assert.deepEqual(shapes(result.components.RegionalApi.inputs), {
            serviceName: str(),
            zoneName: str(),
            regionalHostname: str(true),
            tableName: str(),
            stageName: str(true),
            throttlingRateLimit: num(true),
            throttlingBurstLimit: num(true),
            healthThrottlingRateLimit: num(true),
            healthThrottlingBurstLimit: num(true),
            healthReservedConcurrency: num(true),
            accessTokens: { type: "array", optional: true, items: str() },
            publicReads: { type: "boolean", optional: true },
            waf: ref("WafRateLimit", true),
            chaos: ref("ChaosSettings", true),
            logRetentionDays: num(true),
            manageApiGatewayAccount: { type: "boolean", optional: true },
            tags,
        });
    });

    it("FailoverDomain inputs: endpoint is a RegionalEndpoint, guards are HealthCheckGuards", () => {
        assert.deepEqual(shapes(result.components.FailoverDomain.inputs), {
            endpoint: ref("RegionalEndpoint"),
            routingPolicy: ref("RoutingPolicy"),
            failoverRole: ref("FailoverRole", true),
            setIdentifier: str(true),
            recordType: ref("RoutedRecordType", true),
            ttl: num(true),
            requestInterval: num(true),
            failureThreshold: num(true),
            checkerRegions: { type: "array", optional: true, items: str() },
            guards: { type: "array", optional: true, items: ref("HealthCheckGuard") },
            tags,
        });
    });

    it("AlarmHealthCheck inputs", () => {
        assert.deepEqual(shapes(result.components.AlarmHealthCheck.inputs), {
            namespace: str(),
            metricName: str(),
            dimensions: { type: "object", optional: true, additionalProperties: str() },
            statistic: ref("AlarmStatistic", true),
            period: num(true),
            evaluationPeriods: num(true),
            threshold: num(),
            comparisonOperator: ref("ComparisonOperator", true),
            treatMissingData: ref("TreatMissingData", true),
            insufficientDataHealthStatus: ref("InsufficientDataHealthStatus", true),
            alarmDescription: str(true),
            tags,
        });
    });

    it("PeerProbe inputs: peers are PeerProbeTargets", () => {
        assert.deepEqual(shapes(result.components.PeerProbe.inputs), {
            serviceName: str(),
            peers: { type: "array", optional: false, items: ref("PeerProbeTarget") },
            evaluationPeriods: num(true),
            namespace: str(true),
            logRetentionDays: num(true),
            tags,
        });
    });

    it("DerivedMetricGuard inputs: signal is a DerivedSignal", () => {
        assert.deepEqual(shapes(result.components.DerivedMetricGuard.inputs), {
            serviceName: str(),
            apiName: str(),
            stageName: str(),
            signal: ref("DerivedSignal"),
            threshold: num(),
            evaluationPeriods: num(true),
            minimumRequests: num(true),
            namespace: str(true),
            logRetentionDays: num(true),
            tags,
        });
    });

    it("FailoverObservability inputs: the region's facts, checks, switch metric, alarms and notification targets", () => {
        assert.deepEqual(shapes(result.components.FailoverObservability.inputs), {
            serviceName: str(),
            region: str(),
            apiName: str(),
            stageName: str(),
            apiFunctionName: str(),
            healthFunctionName: str(),
            tableName: str(),
            tableRegion: str(),
            replicaRegions: { type: "array", optional: true, items: str() },
            certificateArn: str(),
            checks: { type: "array", optional: false, items: ref("ObservedHealthCheck") },
            switchMetric: ref("ObservedSwitchMetric", true),
            alarms: { type: "array", optional: true, items: ref("ObservedAlarm") },
            peerAlarms: { type: "array", optional: true, items: ref("ObservedPeerAlarm") },
            notifications: ref("NotificationTargets", true),
            replicationLatencyThresholdMs: num(true),
            certificateExpiryDays: num(true),
            tags,
        });
    });

    it("outputs: what connects the components, and the children they expose", () => {
        assert.deepEqual(shapes(result.components.RegionalApi.outputs), {
            region: str(),
            serviceName: str(),
            hostedZoneId: str(),
            nameServers: { type: "array", optional: false, items: str() },
            regionalDomainName: str(),
            regionalZoneId: str(),
            regionalHostname: str(),
            healthPath: str(),
            healthSearchString: str(),
            healthUrl: str(),
            certificateArn: str(),
            apiHandler: ref("Handler"),
            healthHandler: ref("Handler"),
            restApi: aws("aws:apigateway/restApi:RestApi"),
            stage: aws("aws:apigateway/stage:Stage"),
            accessLogGroup: aws("aws:cloudwatch/logGroup:LogGroup"),
            webAcl: aws("aws:wafv2/webAcl:WebAcl", true),
            chaos: ref("ChaosResources", true),
        });
        assert.deepEqual(shapes(result.components.FailoverDomain.outputs), {
            endpointHealthCheck: aws("aws:route53/healthCheck:HealthCheck"),
            calculatedHealthCheck: aws("aws:route53/healthCheck:HealthCheck", true),
            record: aws("aws:route53/record:Record"),
            healthCheckId: str(),
            setIdentifier: str(),
        });
        assert.deepEqual(shapes(result.components.AlarmHealthCheck.outputs), {
            alarm: aws("aws:cloudwatch/metricAlarm:MetricAlarm"),
            healthCheck: aws("aws:route53/healthCheck:HealthCheck"),
            healthCheckId: str(),
            alarmRegion: str(),
            namespace: str(),
            metricName: str(),
            dimensions: { type: "object", optional: false, additionalProperties: str() },
        });
        assert.deepEqual(shapes(result.components.PeerProbe.outputs), {
            function: aws("aws:lambda/function:Function"),
            role: aws("aws:iam/role:Role"),
            logGroup: aws("aws:cloudwatch/logGroup:LogGroup"),
            rule: aws("aws:cloudwatch/eventRule:EventRule"),
            alarms: {
                type: "array",
                optional: false,
                items: aws("aws:cloudwatch/metricAlarm:MetricAlarm"),
            },
            alarmArns: { type: "array", optional: false, items: str() },
            alarmNames: { type: "array", optional: false, items: str() },
            namespace: str(),
        });
        assert.deepEqual(shapes(result.components.DerivedMetricGuard.outputs), {
            healthCheckId: str(),
            alarm: aws("aws:cloudwatch/metricAlarm:MetricAlarm"),
            healthCheck: aws("aws:route53/healthCheck:HealthCheck"),
            alarmRegion: str(),
            function: aws("aws:lambda/function:Function"),
            role: aws("aws:iam/role:Role"),
            logGroup: aws("aws:cloudwatch/logGroup:LogGroup"),
            rule: aws("aws:cloudwatch/eventRule:EventRule"),
            metricName: str(),
            namespace: str(),
        });
        assert.deepEqual(shapes(result.components.FailoverObservability.outputs), {
            dashboard: aws("aws:cloudwatch/dashboard:Dashboard"),
            dashboardUrl: str(),
            topics: {
                type: "object",
                optional: false,
                additionalProperties: aws("aws:sns/topic:Topic"),
            },
            alarms: {
                type: "array",
                optional: false,
                items: aws("aws:cloudwatch/metricAlarm:MetricAlarm"),
            },
            peerNotifications: {
                type: "array",
                optional: false,
                items: aws("aws:cloudwatch/compositeAlarm:CompositeAlarm"),
            },
        });
    });

    it("declares exactly the enums and object types the components use", () => {
        assert.deepEqual(Object.keys(result.typeDefinitions).sort(), [
            "AlarmStatistic",
            "ChaosResources",
            "ChaosSettings",
            "ComparisonOperator",
            "DerivedSignal",
            "FailoverRole",
            "Handler",
            "HealthCheckGuard",
            "HealthCheckRole",
            "InsufficientDataHealthStatus",
            "NotificationTargets",
            "ObservedAlarm",
            "ObservedHealthCheck",
            "ObservedPeerAlarm",
            "ObservedSwitchMetric",
            "PeerProbeTarget",
            "RegionalEndpoint",
            "RoutedRecordType",
            "RoutingPolicy",
            "TreatMissingData",
            "WafRateLimit",
        ]);
        for (const [name, type] of Object.entries(result.typeDefinitions)) {
            assert.equal(type.name, name);
        }
    });

    it("enums carry their exact names and values", () => {
        const enums = Object.fromEntries(
            Object.values(result.typeDefinitions)
                .filter((t) => t.enum !== undefined)
                .map((t) => [
                    t.name,
                    { type: t.type, values: t.enum!.map((e) => [e.name, e.value]) },
                ]),
        );
        const strings = (...values: [string, string][]) => ({ type: "string", values });
        assert.deepEqual(enums, {
            RoutingPolicy: strings(["Failover", "failover"], ["Latency", "latency"]),
            FailoverRole: strings(["Primary", "PRIMARY"], ["Secondary", "SECONDARY"]),
            RoutedRecordType: strings(["Alias", "alias"], ["Cname", "CNAME"]),
            AlarmStatistic: strings(
                ["Average", "Average"],
                ["Minimum", "Minimum"],
                ["Maximum", "Maximum"],
                ["Sum", "Sum"],
                ["SampleCount", "SampleCount"],
            ),
            ComparisonOperator: strings(
                ["GreaterThanOrEqualToThreshold", "GreaterThanOrEqualToThreshold"],
                ["GreaterThanThreshold", "GreaterThanThreshold"],
                ["LessThanThreshold", "LessThanThreshold"],
                ["LessThanOrEqualToThreshold", "LessThanOrEqualToThreshold"],
            ),
            TreatMissingData: strings(
                ["Missing", "missing"],
                ["Ignore", "ignore"],
                ["Breaching", "breaching"],
                ["NotBreaching", "notBreaching"],
            ),
            InsufficientDataHealthStatus: strings(
                ["Healthy", "Healthy"],
                ["Unhealthy", "Unhealthy"],
                ["LastKnownStatus", "LastKnownStatus"],
            ),
            DerivedSignal: strings(["LatencyP99", "latency-p99"], ["ErrorRate", "error-rate"]),
            HealthCheckRole: strings(
                ["Endpoint", "endpoint"],
                ["Routed", "routed"],
                ["Switch", "switch"],
                ["Guard", "guard"],
            ),
        });
    });

    it("RegionalEndpoint, HealthCheckGuard, Handler, WafRateLimit, PeerProbeTarget, ChaosSettings and ChaosResources are objects with exactly these properties", () => {
        const object = (name: string) => {
            const t = result.typeDefinitions[name];
            assert.equal(t.type, "object", name);
            assert.equal(t.enum, undefined, name);
            return shapes(t.properties ?? {});
        };
        assert.deepEqual(object("RegionalEndpoint"), {
            region: str(),
            serviceName: str(),
            hostedZoneId: str(),
            regionalDomainName: str(),
            regionalZoneId: str(),
            regionalHostname: str(),
            healthPath: str(),
            healthSearchString: str(),
        });
        assert.deepEqual(object("HealthCheckGuard"), { healthCheckId: str() });
        assert.deepEqual(object("Handler"), {
            function: aws("aws:lambda/function:Function"),
            role: aws("aws:iam/role:Role"),
            logGroup: aws("aws:cloudwatch/logGroup:LogGroup"),
        });
        assert.deepEqual(object("WafRateLimit"), {
            limit: num(),
            evaluationWindowSec: num(true),
        });
        assert.deepEqual(object("PeerProbeTarget"), {
            region: str(),
            healthUrl: str(),
            searchString: str(),
        });
        assert.deepEqual(object("ChaosSettings"), {
            stopAlarmArns: { type: "array", optional: false, items: str() },
            maxDurationMinutes: num(true),
            delayMilliseconds: num(true),
        });
        assert.deepEqual(object("ChaosResources"), {
            bucket: aws("aws:s3/bucket:Bucket"),
            fisRole: aws("aws:iam/role:Role"),
            apiFails: aws("aws:fis/experimentTemplate:ExperimentTemplate"),
            slow: aws("aws:fis/experimentTemplate:ExperimentTemplate"),
        });
    });

    it("FailoverObservability's ObservedHealthCheck, ObservedSwitchMetric, ObservedAlarm, ObservedPeerAlarm and NotificationTargets are objects with exactly these properties", () => {
        const object = (name: string) => {
            const t = result.typeDefinitions[name];
            assert.equal(t.type, "object", name);
            assert.equal(t.enum, undefined, name);
            return shapes(t.properties ?? {});
        };
        const strings = (optional: boolean): Shape => ({ type: "array", optional, items: str() });
        assert.deepEqual(object("ObservedHealthCheck"), {
            role: ref("HealthCheckRole"),
            label: str(true),
            healthCheckId: str(),
        });
        assert.deepEqual(object("ObservedSwitchMetric"), {
            region: str(),
            namespace: str(),
            metricName: str(),
            dimensions: { type: "object", optional: false, additionalProperties: str() },
        });
        assert.deepEqual(object("ObservedAlarm"), { region: str(), arn: str() });
        assert.deepEqual(object("ObservedPeerAlarm"), {
            peer: str(),
            arn: str(),
            namespace: str(true),
        });
        assert.deepEqual(object("NotificationTargets"), {
            emails: strings(true),
            httpsEndpoints: strings(true),
            topicArns: strings(true),
        });
    });
    it("is the committed schema.json (the public surface; `npm run schema` rewrites it)", () => {
        const committed = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as PackageSchema;
        assert.deepEqual(
            schema,
            committed,
            "the components' public surface differs from schema.json: review the change, then run `npm run schema` and commit schema.json",
        );
    });

    it("is package.json's package: its name in every token, its version and description", () => {
        assert.equal(schema.name, PACKAGE.name);
        assert.equal(schema.version, PACKAGE.version);
        assert.equal(schema.description, PACKAGE.description);
        assert.deepEqual(Object.keys(schema.resources).sort(), COMPONENTS.map(TOKEN).sort());
    });

    it("takes Outputs everywhere but where a value must be known when the program runs", () => {
        const plain = Object.fromEntries(
            COMPONENTS.map((c) => [
                c,
                Object.entries(result.components[c].inputs)
                    .filter(([, p]) => p.plain === true)
                    .map(([k]) => k),
            ]),
        );
        assert.deepEqual(plain, {
            RegionalApi: [
                "serviceName",
                "zoneName",
                "regionalHostname",
                "stageName",
                "healthReservedConcurrency",
                "publicReads",
                "waf",
                "chaos",
                "manageApiGatewayAccount",
            ],
            // endpoint and guards are known lists and objects of Inputs (RegionalEndpoint's fields
            // and a guard's healthCheckId take Outputs).
            FailoverDomain: [
                "endpoint",
                "routingPolicy",
                "failoverRole",
                "setIdentifier",
                "recordType",
                "ttl",
                "requestInterval",
                "failureThreshold",
                "checkerRegions",
                "guards",
            ],
            AlarmHealthCheck: [
                "statistic",
                "period",
                "evaluationPeriods",
                "comparisonOperator",
                "treatMissingData",
                "insufficientDataHealthStatus",
            ],
            PeerProbe: ["peers", "evaluationPeriods"],
            DerivedMetricGuard: ["signal", "threshold", "evaluationPeriods", "minimumRequests"],
            FailoverObservability: [
                "serviceName",
                "region",
                "tableRegion",
                "replicaRegions",
                "checks",
                "switchMetric",
                "alarms",
                "peerAlarms",
                "notifications",
                "replicationLatencyThresholdMs",
                "certificateExpiryDays",
            ],
        });
        const endpoint = result.typeDefinitions.RegionalEndpoint.properties ?? {};
        assert.deepEqual(
            Object.values(endpoint).filter((p) => p.plain === true),
            [],
        );
    });

    it("carries each component's and each property's TSDoc description", () => {
        assert.equal(
            schema.resources[TOKEN("FailoverDomain")].inputProperties?.ttl.description,
            "TTL of a CNAME routed record in seconds, 1-60 (a CNAME exists to fail over faster than an\nalias); CNAME only.",
        );
        const undocumented: string[] = [];
        for (const [name, c] of Object.entries(schema.resources)) {
            if (!c.description) {
                undocumented.push(name);
            }
            for (const [kind, properties] of Object.entries({
                input: c.inputProperties,
                output: c.properties,
            })) {
                for (const [k, p] of Object.entries(properties ?? {})) {
                    if (!p.description) {
                        undocumented.push(`${local(name)} ${kind} ${k}`);
                    }
                }
            }
        }
        for (const [name, t] of Object.entries(schema.types)) {
            for (const [k, p] of Object.entries(t.properties ?? {})) {
                if (!p.description) {
                    undocumented.push(`${local(name)}.${k}`);
                }
            }
        }
        assert.deepEqual(undocumented, []);
    });
    it("is what the README's component tables say", () => {
        assert.deepEqual(
            readable(readmeTables()),
            readable(renderTables(schema)),
            "README.md's component tables differ from the schema: run `npm run schema`",
        );
    });

    it("has every name the README's Python example uses, spelled as Python's SDK spells it", () => {
        const readme = fs.readFileSync(README, "utf8");
        const example = /```python\n([\s\S]*?)```/.exec(readme)?.[1];
        assert.ok(example, "README.md has a Python example");
        // The code without its comments and the contents of its strings.
        const block = example.replace(/#.*$/gm, "").replace(/"[^"]*"/g, '""');
        const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        const member = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
        const problems: string[] = [];
        const variables = new Map<string, string>();
        for (const [, variable, component] of block.matchAll(/(\w+) = mra\.(\w+)\(/g)) {
            variables.set(variable, component);
        }
        // Each call's keyword arguments, at its own nesting level.
        for (const call of block.matchAll(/mra\.(\w+)\(/g)) {
            const name = call[1];
            let depth = 0;
            let i = call.index + call[0].length;
            const keywords: string[] = [];
            for (; i < block.length; i++) {
                const c = block[i];
                if (depth === 0 && /\w/.test(c) && /[(,\s]/.test(block[i - 1])) {
                    const keyword = /^(\w+)=/.exec(block.slice(i));
                    if (keyword) {
                        keywords.push(keyword[1]);
                    }
                }
                if ("([{".includes(c)) {
                    depth++;
                } else if (")]}".includes(c)) {
                    if (depth === 0) {
                        break;
                    }
                    depth--;
                }
            }
            const type = name.endsWith("Args") ? name.slice(0, -4) : undefined;
            const properties = type
                ? result.typeDefinitions[type]?.properties
                : result.components[name]?.inputs;
            if (!properties) {
                problems.push(`mra.${name} is neither a component nor an object type`);
                continue;
            }
            const known = new Set(Object.keys(properties).map(snake));
            problems.push(
                ...keywords
                    .filter((k) => k !== "opts" && !known.has(k))
                    .map((k) => `mra.${name} has no argument ${k}`),
                ...Object.entries(properties)
                    .filter(([k, p]) => !p.optional && !keywords.includes(snake(k)))
                    .map(([k]) => `mra.${name} is called without ${snake(k)}`),
            );
        }
        for (const [, enumName, value] of block.matchAll(/mra\.(\w+)\.([A-Z_]+)\b/g)) {
            const members = (result.typeDefinitions[enumName]?.enum ?? []).map((e) =>
                member(e.name ?? ""),
            );
            if (!members.includes(value)) {
                problems.push(
                    `mra.${enumName} has no member ${value} (it has ${members.join(", ")})`,
                );
            }
        }
        for (const [, variable, attribute] of block.matchAll(/\b(\w+)\.(\w+)\b(?!\()/g)) {
            const component = variables.get(variable);
            if (component) {
                const outputs = Object.keys(result.components[component].outputs).map(snake);
                if (!outputs.includes(attribute)) {
                    problems.push(`${variable} (${component}) has no output ${attribute}`);
                }
            }
        }
        assert.deepEqual(problems, []);
        assert.deepEqual([...new Set(variables.values())].sort(), [
            "AlarmHealthCheck",
            "RegionalApi",
        ]);
    });
});
