// The Pulumi SDK's own component analyzer (what `pulumi package` derives a component package's
// schema with) must accept the components' args: no type it cannot express, and the inputs,
// enums and connecting types other languages would see. It type-checks the components and the
// @pulumi/aws declarations (several seconds of CPU), so it runs in a child process started when
// this file loads, beside the other specs; the tests below await its result.
import * as assert from "node:assert/strict";
import { ChildProcess, execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type {
    AnalyzeResult,
    PropertyDefinition,
} from "@pulumi/pulumi/provider/experimental/analyzer";

const REPO = path.resolve(__dirname, "..", "..");
const COMPONENTS = [
    "RegionalApi",
    "FailoverDomain",
    "AlarmHealthCheck",
    "PeerProbe",
    "DerivedMetricGuard",
    "FailoverObservability",
];
const CHILD_TIMEOUT_MS = 60_000;

/** A temporary project holding only a tsconfig.json: the repo's, limited to components/. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mra-schema-"));
fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
        extends: path.join(REPO, "tsconfig.json"),
        include: [path.join(REPO, "components", "**", "*.ts")],
    }),
);

let child: ChildProcess | undefined;
const analysis = new Promise<AnalyzeResult>((resolve, reject) => {
    child = execFile(
        process.execPath,
        [
            "--require",
            "ts-node/register",
            path.join(__dirname, "analyzeSchema.ts"),
            dir,
            // The analyzer maps the package's .js entry point to its .ts source.
            path.join(REPO, "components", "index.js"),
            ...COMPONENTS,
        ],
        { cwd: REPO, timeout: CHILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
            child = undefined;
            fs.rmSync(dir, { recursive: true, force: true });
            if (error) {
                reject(new Error(`the analyzer failed: ${error.message}\n${stderr}`));
            } else {
                resolve(JSON.parse(stdout) as AnalyzeResult);
            }
        },
    );
});
// Reported by the tests that await it; never an unhandled rejection before they run.
analysis.catch(() => undefined);

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

describe("component schema (Pulumi's analyzer)", function () {
    this.timeout(CHILD_TIMEOUT_MS + 10_000);
    let result: AnalyzeResult;

    before(async () => {
        result = await analysis;
    });

    after(() => {
        child?.kill();
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
            waf: ref("WafRateLimitArgs", true),
            chaos: ref("ChaosArgs", true),
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
            "ChaosArgs",
            "ChaosResources",
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
            "WafRateLimitArgs",
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

    it("RegionalEndpoint, HealthCheckGuard, Handler, WafRateLimitArgs, PeerProbeTarget, ChaosArgs and ChaosResources are objects with exactly these properties", () => {
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
        assert.deepEqual(object("WafRateLimitArgs"), {
            limit: num(),
            evaluationWindowSec: num(true),
        });
        assert.deepEqual(object("PeerProbeTarget"), {
            region: str(),
            healthUrl: str(),
            searchString: str(),
        });
        assert.deepEqual(object("ChaosArgs"), {
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
});
