import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    AlarmHealthCheck,
    SWITCH_METRIC,
    operatorSwitchArgs,
    serverErrorGuardArgs,
} from "../../components/alarmHealthCheck";
import { FailoverDomain, FailoverRole, RoutingPolicy } from "../../components/failoverDomain";
import {
    FAILOVER_OBSERVABILITY_DEFAULTS,
    FailoverObservability,
    FailoverObservabilityArgs,
    HealthCheckRole,
    TABLE_OPERATIONS,
} from "../../components/failoverObservability";
import { PeerProbe } from "../../components/peerProbe";
import { RegionalApi } from "../../components/regionalApi";
import { HEALTH_TOKEN } from "../../functions/health/token";
import { RecordedResource } from "../../plan/mockRuntime";
import { RULES, runRules } from "../../plan/rules";
import { created, promiseOf, reset, state } from "../harness";
import {
    assertTags,
    childrenOf,
    component,
    failureOf,
    inventory,
    rejectsBeforeRegistering,
    urnOf,
    withPlainStacks,
    withoutSerializingPrefixes,
    ruleSnapshot,
} from "./helpers";

const TYPE = "multi-region-api:index:FailoverObservability";
const ACCOUNT = "123456789012";
const SERVICE = "api.example.com";
const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const CERTIFICATE = (region: string) =>
    `arn:aws:acm:${region}:${ACCOUNT}:certificate/0123456789abcdef0123456789abcdef`;
const alarmArn = (region: string, name: string) =>
    `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${name}`;

/** What a subscription's name ends with: a digest of its endpoint, never the address itself. */
const digest = (endpoint: string) =>
    createHash("sha256").update(endpoint).digest("hex").slice(0, 8);

function provider(region: string) {
    return new aws.Provider(`aws-${region}`, { region });
}

/** Waits until the component's outputs and every registration have settled. */
async function settled(o: FailoverObservability) {
    await Promise.all([
        promiseOf(o.dashboardUrl),
        promiseOf(o.dashboard.dashboardBody),
        ...o.alarms.map((a) => promiseOf(a.arn)),
        ...o.peerNotifications.map((a) => promiseOf(a.alarmRule)),
    ]);
    await state.settle();
}

/** The children of the FailoverObservability `name`, keyed by name. */
function childrenByName(name: string): Record<string, RecordedResource> {
    return Object.fromEntries(childrenOf(component(TYPE, name)).map((c) => [c.name, c]));
}

/** A registered resource as the guardrails see it (as the offline plan builds it). */

// ---- What the component must write, spelled out -------------------------------------------------

const STATUS = "`npx multi-region-api status`";
const READINESS = "`npx multi-region-api readiness`";

const texts = {
    routed: (s: string, r: string) => ({
        name: `${s} ${r} out of DNS (routed health check unhealthy)`,
        description: `ALARM: Route 53 counts the routed record of ${s} for ${r} as unhealthy, so DNS stops sending clients to ${r} (failover routing: the other region answers, or the PRIMARY anyway when both are unhealthy; latency routing: the nearest healthy region). OK: healthy again, ${r} is back in DNS (a PRIMARY takes its traffic back: failback). Run ${STATUS} to see where the name points and why, and ${READINESS} before acting. This alarm lives in us-east-1 with Route 53's metrics and goes dark when us-east-1 is impaired: then the peer alarms of the other regions notify.`,
    }),
    switch: (s: string, r: string, switchRegion: string) => ({
        name: `${s} ${r} drained by its operator switch`,
        description: `ALARM: the operator switch of ${s} for ${r} (HealthCheck Failover in ${switchRegion}) is engaged: ${r} is out of DNS on purpose until it is released. OK: released; ${r} takes traffic again once its health checks pass. Release it with \`npx multi-region-api failback --to ${r}\` once ${READINESS} passes; ${STATUS} shows where the name points.`,
    }),
    latency: (s: string, sender: string, r: string, sec: string) => ({
        name: `${s} replication ${sender} to ${r} slower than ${sec} s`,
        description: `ALARM: writes to ${s}'s table made in ${sender} took more than ${sec} s on average over 5 minutes to reach ${r} (DynamoDB ReplicationLatency, measured in ${sender}). ${r} lacks recent writes: do not move traffic to ${r} (failover or failback) until it recovers; check with ${READINESS}. OK: back under ${sec} s.`,
    }),
    stalled: (s: string, sender: string, r: string) => ({
        name: `${s} replication ${sender} to ${r} stalled`,
        description: `ALARM: clients wrote to ${s}'s table in ${sender} (successful PutItem) in 2 of the last 3 five-minute periods while no replication to ${r} was measured (no ReplicationLatency above 0 ms): replication ${sender} to ${r} has stalled. ${r} lacks recent writes: do not move traffic to ${r} (failover or failback) until it recovers; check with ${READINESS}. OK: replication resumed. A stall while nobody writes in ${sender} cannot be seen, and loses nothing.`,
    }),
    certificate: (s: string, r: string, days: number) => ({
        name: `${s} ${r} certificate expires within ${days} days`,
        description: `ALARM: the ACM certificate of ${s} in ${r} expires within ${days} days. ACM renews DNS-validated certificates from 60 days before expiry, so its renewal is failing: check the certificate in ACM (${r}) and that its validation CNAME records are still in the hosted zone. Once it expires, ${r}'s custom domains fail TLS, its health check fails and it leaves DNS. OK: renewed.`,
    }),
    peer: (s: string, peer: string, r: string) => ({
        name: `${s} ${peer} unhealthy as seen from ${r}`,
        description: `ALARM: ${s} in ${peer} failed ${r}'s own probe of its /health (PeerProbe, PeerHealthy in ${r}), or the probe stopped reporting. This notification needs neither us-east-1 nor Route 53: it still arrives when us-east-1 is impaired. ${peer} may be unable to serve: run ${STATUS} and ${READINESS}; if ${peer} is down and still in DNS, take it out with \`npx multi-region-api failover --from ${peer}\` (its switch). OK: ${peer} answers ${r}'s probe again.`,
    }),
};

/** Everything a notifying metric alarm is given besides its metric. */
function notifying(
    text: { name: string; description: string },
    region: string,
    actions: string[],
    tags: Record<string, string>,
) {
    return {
        region,
        name: text.name,
        alarmDescription: text.description,
        alarmActions: actions,
        okActions: actions,
        tags,
    };
}

/** The five kinds of notifying metric alarm, exactly. */
const expectedAlarm = {
    routed: (
        s: string,
        r: string,
        checkId: string,
        actions: string[],
        tags: Record<string, string> = {},
    ) => ({
        ...notifying(texts.routed(s, r), "us-east-1", actions, tags),
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: { HealthCheckId: checkId },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "ignore",
    }),
    switch: (s: string, r: string, switchRegion: string, actions: string[]) => ({
        ...notifying(texts.switch(s, r, switchRegion), switchRegion, actions, {}),
        namespace: "HealthCheck",
        metricName: "Failover",
        dimensions: { Service: s, Region: r },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "ignore",
    }),
    latency: (
        s: string,
        sender: string,
        r: string,
        table: string,
        thresholdMs: number,
        actions: string[],
        tags: Record<string, string> = {},
    ) => ({
        ...notifying(
            texts.latency(s, sender, r, String(thresholdMs / 1000)),
            sender,
            actions,
            tags,
        ),
        namespace: "AWS/DynamoDB",
        metricName: "ReplicationLatency",
        dimensions: { TableName: table, ReceivingRegion: r },
        statistic: "Average",
        period: 300,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: thresholdMs,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "ignore",
    }),
    stalled: (
        s: string,
        sender: string,
        r: string,
        table: string,
        actions: string[],
        tags: Record<string, string> = {},
    ) => ({
        ...notifying(texts.stalled(s, sender, r), sender, actions, tags),
        metricQueries: [
            {
                id: "writes",
                returnData: false,
                metric: {
                    namespace: "AWS/DynamoDB",
                    metricName: "SuccessfulRequestLatency",
                    dimensions: { TableName: table, Operation: "PutItem" },
                    stat: "SampleCount",
                    period: 300,
                },
            },
            {
                id: "replication",
                returnData: false,
                metric: {
                    namespace: "AWS/DynamoDB",
                    metricName: "ReplicationLatency",
                    dimensions: { TableName: table, ReceivingRegion: r },
                    stat: "Maximum",
                    period: 300,
                },
            },
            {
                id: "stalled",
                label: `writes in ${sender} without replication to ${r}`,
                returnData: true,
                expression: "IF(FILL(writes, 0) > 0 AND FILL(replication, 0) <= 0, 1, 0)",
            },
        ],
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
    }),
    certificate: (
        s: string,
        r: string,
        certificateArn: string,
        days: number,
        actions: string[],
        tags: Record<string, string> = {},
    ) => ({
        ...notifying(texts.certificate(s, r, days), r, actions, tags),
        namespace: "AWS/CertificateManager",
        metricName: "DaysToExpiry",
        dimensions: { CertificateArn: certificateArn },
        statistic: "Minimum",
        period: 86400,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: days,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "ignore",
    }),
};

const keyPolicy = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "AccountAdministersTheKey",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: "kms:*",
            Resource: "*",
        },
        {
            Sid: "CloudWatchAlarmsPublishEncrypted",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
        },
    ],
};

const topicPolicy = (topic: string, region: string) => ({
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "ThisAccountsAlarmsInThisRegionPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topic,
            Condition: {
                StringEquals: { "aws:SourceAccount": ACCOUNT },
                ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:*` },
            },
        },
    ],
});

/** The children a component named `n` registers for one topic region, as `type name`. */
const topicInventory = (n: string, r: string, subscriptions: string[]) => [
    `aws:kms/key:Key ${n}-${r}-key`,
    `aws:sns/topic:Topic ${n}-${r}-topic`,
    `aws:sns/topicPolicy:TopicPolicy ${n}-${r}-topic-policy`,
    ...subscriptions.map((s) => `aws:sns/topicSubscription:TopicSubscription ${n}-${r}-${s}`),
];

// ---- Dashboard reading ---------------------------------------------------------------------------

interface Widget {
    type: string;
    x: number;
    y: number;
    width: number;
    height: number;
    properties: Record<string, unknown> & { metrics?: unknown[][]; region?: string };
}

function widgetsOf(dashboard: RecordedResource): Widget[] {
    const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as { widgets: Widget[] };
    assert.deepEqual(Object.keys(body), ["widgets"]);
    return body.widgets;
}

/** One metric a dashboard or an alarm names: where, what, with which dimensions and statistic. */
interface NamedMetric {
    region: string;
    namespace: string;
    metricName: string;
    dimensions: Record<string, string>;
    stat: string;
    label?: string;
}

/** A metric widget's entries, read as the console reads them (no "." shorthand is used). */
function metricsOf(w: Widget): NamedMetric[] {
    return (w.properties.metrics ?? []).map((m) => {
        const options = m[m.length - 1] as { region: string; stat: string; label: string };
        const pairs = m.slice(2, -1) as string[];
        assert.equal(pairs.length % 2, 0, `dimension pairs of ${JSON.stringify(m)}`);
        const dimensions: Record<string, string> = {};
        for (let i = 0; i < pairs.length; i += 2) {
            dimensions[pairs[i]] = pairs[i + 1];
        }
        return {
            region: options.region,
            namespace: String(m[0]),
            metricName: String(m[1]),
            dimensions,
            stat: options.stat,
            label: options.label,
        };
    });
}

/** The metrics a notifying alarm evaluates, in its region. */
function alarmMetrics(alarm: RecordedResource): NamedMetric[] {
    const i = alarm.inputs;
    const region = String(i.region);
    if (i.metricQueries) {
        return (
            i.metricQueries as {
                metric?: {
                    namespace: string;
                    metricName: string;
                    dimensions: Record<string, string>;
                    stat: string;
                };
            }[]
        ).flatMap((q) => (q.metric ? [{ region, ...q.metric }] : []));
    }
    return [
        {
            region,
            namespace: String(i.namespace),
            metricName: String(i.metricName),
            dimensions: i.dimensions as Record<string, string>,
            stat: String(i.statistic),
        },
    ];
}

// ---- The primary's wiring, as stack/deploy.ts would do it ---------------------------------------

/** us-east-1 with the table, its switch in eu-west-1, a 5XX guard and a probe of eu-west-1. */
async function primary(notifications: FailoverObservabilityArgs["notifications"]) {
    const use1 = provider("us-east-1");
    const euw1 = provider("eu-west-1");
    const opts = { providers: { aws: use1 } };
    const table = new aws.dynamodb.Table(
        "products",
        {
            name: "products",
            billingMode: "PAY_PER_REQUEST",
            hashKey: "id",
            attributes: [{ name: "id", type: "S" }],
            streamEnabled: true,
            streamViewType: "NEW_AND_OLD_IMAGES",
        },
        { provider: use1 },
    );
    new aws.dynamodb.TableReplica(
        "eu-west-1-products-replica",
        { globalTableArn: table.arn },
        { provider: euw1 },
    );
    const peers = new PeerProbe(
        "us-east-1-peers",
        {
            serviceName: SERVICE,
            peers: [
                {
                    region: "eu-west-1",
                    healthUrl: `https://eu-west-1.${SERVICE}/health`,
                    searchString: HEALTH_TOKEN,
                },
            ],
        },
        opts,
    );
    const api = new RegionalApi(
        "us-east-1",
        { serviceName: SERVICE, zoneName: "example.com", tableName: table.name },
        opts,
    );
    const operatorSwitch = new AlarmHealthCheck(
        "us-east-1-switch",
        operatorSwitchArgs({ service: SERVICE, protectedRegion: "us-east-1" }),
        { providers: { aws: euw1 } },
    );
    const guard = new AlarmHealthCheck(
        "us-east-1-5xx",
        serverErrorGuardArgs(api, { threshold: 0.05, evaluationPeriods: 2 }),
        opts,
    );
    const routing = new FailoverDomain(
        "us-east-1-routing",
        {
            endpoint: api,
            routingPolicy: RoutingPolicy.Failover,
            failoverRole: FailoverRole.Primary,
            guards: [operatorSwitch, guard],
        },
        opts,
    );
    const observability = new FailoverObservability(
        "us-east-1-observability",
        {
            serviceName: SERVICE,
            region: "us-east-1",
            apiName: api.restApi.name,
            stageName: api.stage.stageName,
            apiFunctionName: api.apiHandler.function.name,
            healthFunctionName: api.healthHandler.function.name,
            tableName: table.name,
            tableRegion: "us-east-1",
            replicaRegions: ["eu-west-1"],
            certificateArn: api.certificateArn,
            checks: [
                { role: HealthCheckRole.Endpoint, healthCheckId: routing.endpointHealthCheck.id },
                { role: HealthCheckRole.Routed, healthCheckId: routing.healthCheckId },
                { role: HealthCheckRole.Switch, healthCheckId: operatorSwitch.healthCheckId },
                {
                    role: HealthCheckRole.Guard,
                    label: "5XX guard",
                    healthCheckId: guard.healthCheckId,
                },
            ],
            switchMetric: {
                region: "eu-west-1",
                ...SWITCH_METRIC,
                dimensions: { Service: SERVICE, Region: "us-east-1" },
            },
            alarms: [
                { region: "eu-west-1", arn: operatorSwitch.alarm.arn },
                { region: "us-east-1", arn: guard.alarm.arn },
                { region: "us-east-1", arn: peers.alarms[0].arn },
            ],
            peerAlarms: [{ peer: "eu-west-1", arn: peers.alarms[0].arn }],
            notifications,
        },
        opts,
    );
    await Promise.all([promiseOf(api.healthUrl), promiseOf(routing.healthCheckId)]);
    await settled(observability);
    return { observability, use1 };
}

describe("FailoverObservability", () => {
    describe("in the primary's wiring: us-east-1 with the table, its switch in eu-west-1, a 5XX guard and a peer probe", () => {
        const n = "us-east-1-observability";
        const EMAIL = "oncall@example.com";
        const HOOK = "https://hooks.example.com/aws-alarms";
        let o: FailoverObservability;
        let use1: aws.Provider;
        let c: Record<string, RecordedResource>;
        const topic = (region: string) => c[`${n}-${region}-topic`].id;
        const byType = (type: string) => created.filter((r) => r.type === type);
        const one = (type: string, name: string) => {
            const found = byType(type).filter((r) => r.name === name);
            assert.equal(found.length, 1, `one ${type} ${name}`);
            return found[0];
        };

        before(() =>
            withPlainStacks(async () => {
                reset();
                ({ observability: o, use1 } = await primary({
                    emails: [EMAIL],
                    httpsEndpoints: [HOOK],
                }));
                c = childrenByName(n);
            }),
        );

        it("registers exactly these children, parented to it, all through the inherited provider, each in its own region", async () => {
            const parent = component(TYPE, n);
            assert.equal(parent.urn, urnOf(TYPE, n));
            const subscriptions = [`email-${digest(EMAIL)}`, `https-${digest(HOOK)}`];
            const expected = [
                ...topicInventory(n, "us-east-1", subscriptions),
                ...topicInventory(n, "eu-west-1", subscriptions),
                `aws:cloudwatch/compositeAlarm:CompositeAlarm ${n}-eu-west-1-peer-alarm`,
                `aws:cloudwatch/dashboard:Dashboard ${n}-dashboard`,
                `${METRIC_ALARM} ${n}-certificate-alarm`,
                `${METRIC_ALARM} ${n}-eu-west-1-replication-latency-alarm`,
                `${METRIC_ALARM} ${n}-eu-west-1-replication-stalled-alarm`,
                `${METRIC_ALARM} ${n}-routed-check-alarm`,
                `${METRIC_ALARM} ${n}-switch-alarm`,
            ].sort();
            assert.deepEqual(inventory(Object.values(c)), expected);
            const providerRef = `${await promiseOf(use1.urn)}::${await promiseOf(use1.id)}`;
            const regions: Record<string, string> = {};
            for (const child of Object.values(c)) {
                assert.equal(child.parent, parent.urn, `${child.name} parent`);
                assert.equal(child.urn, urnOf(`${TYPE}$${child.type}`, child.name));
                assert.equal(child.provider, providerRef, `${child.name} provider`);
                assert.equal(child.inputs.region, child.providerRegion, `${child.name} region`);
                regions[child.name] = String(child.providerRegion);
            }
            const inRegion = (r: string) =>
                Object.entries(regions)
                    .filter(([, region]) => region === r)
                    .map(([name]) => name)
                    .sort();
            assert.deepEqual(inRegion("us-east-1"), [
                `${n}-certificate-alarm`,
                `${n}-dashboard`,
                `${n}-eu-west-1-peer-alarm`,
                `${n}-routed-check-alarm`,
                `${n}-us-east-1-email-${digest(EMAIL)}`,
                `${n}-us-east-1-https-${digest(HOOK)}`,
                `${n}-us-east-1-key`,
                `${n}-us-east-1-topic`,
                `${n}-us-east-1-topic-policy`,
            ]);
            assert.deepEqual(inRegion("eu-west-1"), [
                `${n}-eu-west-1-email-${digest(EMAIL)}`,
                `${n}-eu-west-1-https-${digest(HOOK)}`,
                `${n}-eu-west-1-key`,
                `${n}-eu-west-1-replication-latency-alarm`,
                `${n}-eu-west-1-replication-stalled-alarm`,
                `${n}-eu-west-1-topic`,
                `${n}-eu-west-1-topic-policy`,
                `${n}-switch-alarm`,
            ]);
        });

        it("encrypts each region's topic with its own customer managed key that CloudWatch alarms may use", () => {
            for (const r of ["us-east-1", "eu-west-1"]) {
                const key = c[`${n}-${r}-key`];
                const { policy, ...rest } = key.inputs;
                assert.deepEqual(rest, {
                    region: r,
                    description: `Encrypts the failover notifications of ${SERVICE} in ${r} (SNS topic); CloudWatch alarms use it to publish.`,
                    enableKeyRotation: true,
                    tags: {},
                });
                assert.deepEqual(JSON.parse(String(policy)), keyPolicy);
                assert.deepEqual(c[`${n}-${r}-topic`].inputs, {
                    region: r,
                    kmsMasterKeyId: key.id,
                    tags: {},
                });
                assert.notEqual(c[`${n}-${r}-topic`].inputs.kmsMasterKeyId, "alias/aws/sns");
            }
        });

        it("lets this account's alarms of the topic's region, and nothing else, publish", () => {
            for (const r of ["us-east-1", "eu-west-1"]) {
                const p = c[`${n}-${r}-topic-policy`];
                assert.deepEqual(
                    { ...p.inputs, policy: JSON.parse(String(p.inputs.policy)) as unknown },
                    { region: r, arn: topic(r), policy: topicPolicy(topic(r), r) },
                );
            }
        });

        it("subscribes the e-mail address and the HTTPS endpoint to every topic, named by a digest of the endpoint", () => {
            const subscriptions = byType("aws:sns/topicSubscription:TopicSubscription")
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((s) => [s.name, s.inputs]);
            assert.deepEqual(subscriptions, [
                [
                    `${n}-eu-west-1-email-${digest(EMAIL)}`,
                    {
                        region: "eu-west-1",
                        topic: topic("eu-west-1"),
                        protocol: "email",
                        endpoint: EMAIL,
                    },
                ],
                [
                    `${n}-eu-west-1-https-${digest(HOOK)}`,
                    {
                        region: "eu-west-1",
                        topic: topic("eu-west-1"),
                        protocol: "https",
                        endpoint: HOOK,
                    },
                ],
                [
                    `${n}-us-east-1-email-${digest(EMAIL)}`,
                    {
                        region: "us-east-1",
                        topic: topic("us-east-1"),
                        protocol: "email",
                        endpoint: EMAIL,
                    },
                ],
                [
                    `${n}-us-east-1-https-${digest(HOOK)}`,
                    {
                        region: "us-east-1",
                        topic: topic("us-east-1"),
                        protocol: "https",
                        endpoint: HOOK,
                    },
                ],
            ]);
        });

        it("alarms on the routed check in us-east-1, the switch in eu-west-1, replication into us-east-1 in eu-west-1 and the certificate, each on its region's topic", () => {
            const routedCheck = one(
                "aws:route53/healthCheck:HealthCheck",
                "us-east-1-routing-calculated",
            );
            const certificate = one("aws:acm/certificate:Certificate", "us-east-1-cert");
            const use1 = [topic("us-east-1")];
            const euw1 = [topic("eu-west-1")];
            const alarm = (name: string) => c[`${n}-${name}`].inputs;
            assert.deepEqual(
                alarm("routed-check-alarm"),
                expectedAlarm.routed(SERVICE, "us-east-1", routedCheck.id, use1),
            );
            assert.deepEqual(
                alarm("switch-alarm"),
                expectedAlarm.switch(SERVICE, "us-east-1", "eu-west-1", euw1),
            );
            assert.deepEqual(
                alarm("eu-west-1-replication-latency-alarm"),
                expectedAlarm.latency(SERVICE, "eu-west-1", "us-east-1", "products", 180000, euw1),
            );
            assert.deepEqual(
                alarm("eu-west-1-replication-stalled-alarm"),
                expectedAlarm.stalled(SERVICE, "eu-west-1", "us-east-1", "products", euw1),
            );
            assert.deepEqual(
                alarm("certificate-alarm"),
                expectedAlarm.certificate(
                    SERVICE,
                    "us-east-1",
                    String(certificate.state.arn),
                    30,
                    use1,
                ),
            );
            // Created once their topic admits them: the first transition must reach the topic.
            for (const name of [
                "routed-check-alarm",
                "certificate-alarm",
                "switch-alarm",
                "eu-west-1-replication-latency-alarm",
                "eu-west-1-replication-stalled-alarm",
            ]) {
                const region = String(alarm(name).region);
                assert.ok(
                    c[`${n}-${name}`].dependsOn.includes(c[`${n}-${region}-topic-policy`].urn),
                    `${name} depends on the ${region} topic policy`,
                );
            }
        });

        it("follows the PeerProbe's alarm with a composite alarm on the us-east-1 topic", () => {
            const peerAlarm = one(METRIC_ALARM, "us-east-1-peers-eu-west-1-alarm");
            const composite = c[`${n}-eu-west-1-peer-alarm`];
            const text = texts.peer(SERVICE, "eu-west-1", "us-east-1");
            assert.deepEqual(composite.inputs, {
                region: "us-east-1",
                alarmName: text.name,
                alarmDescription: text.description,
                alarmRule: `ALARM("${String(peerAlarm.state.arn)}")`,
                alarmActions: [topic("us-east-1")],
                okActions: [topic("us-east-1")],
                tags: {},
            });
            assert.equal(peerAlarm.providerRegion, composite.providerRegion);
            assert.ok(composite.dependsOn.includes(c[`${n}-us-east-1-topic-policy`].urn));
        });

        it("names a dashboard after the service and region and outputs its console URL", async () => {
            assert.equal(c[`${n}-dashboard`].inputs.dashboardName, "api-example-com-us-east-1");
            assert.equal(
                await promiseOf(o.dashboardUrl),
                "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/api-example-com-us-east-1",
            );
        });

        it("lays the dashboard out in rows: commands, routing, API, functions, table, peers, alarms", () => {
            const widgets = widgetsOf(c[`${n}-dashboard`]);
            assert.deepEqual(
                widgets.map((w) => [
                    w.type,
                    w.x,
                    w.y,
                    w.width,
                    w.height,
                    w.properties.title ?? null,
                    w.properties.region ?? null,
                ]),
                [
                    ["text", 0, 0, 24, 6, null, null],
                    [
                        "metric",
                        0,
                        6,
                        12,
                        6,
                        "Route 53 health checks: 1 healthy, 0 unhealthy [us-east-1]",
                        "us-east-1",
                    ],
                    [
                        "metric",
                        12,
                        6,
                        6,
                        6,
                        "Checkers that see the endpoint healthy, % [us-east-1]",
                        "us-east-1",
                    ],
                    [
                        "metric",
                        18,
                        6,
                        6,
                        6,
                        "Operator switch of us-east-1: 1 engaged [eu-west-1]",
                        "eu-west-1",
                    ],
                    ["metric", 0, 12, 8, 6, "API requests (Count, Sum) [us-east-1]", "us-east-1"],
                    [
                        "metric",
                        8,
                        12,
                        8,
                        6,
                        "API error rates (share of requests, Average) [us-east-1]",
                        "us-east-1",
                    ],
                    ["metric", 16, 12, 8, 6, "API latency, ms [us-east-1]", "us-east-1"],
                    ["metric", 0, 18, 8, 6, "Function errors (Sum) [us-east-1]", "us-east-1"],
                    ["metric", 8, 18, 8, 6, "Function throttles (Sum) [us-east-1]", "us-east-1"],
                    ["metric", 16, 18, 8, 6, "Function duration p99, ms [us-east-1]", "us-east-1"],
                    [
                        "metric",
                        0,
                        24,
                        8,
                        6,
                        "Replication into us-east-1, ms (measured where it is sent) [eu-west-1]",
                        "eu-west-1",
                    ],
                    [
                        "metric",
                        8,
                        24,
                        8,
                        6,
                        "Replication out of us-east-1, ms [us-east-1]",
                        "us-east-1",
                    ],
                    [
                        "metric",
                        16,
                        24,
                        8,
                        6,
                        "Table throttled requests (Sum) [us-east-1]",
                        "us-east-1",
                    ],
                    [
                        "metric",
                        0,
                        30,
                        12,
                        6,
                        "Peers as us-east-1 sees them (PeerHealthy): 1 healthy, 0 not [us-east-1]",
                        "us-east-1",
                    ],
                    ["text", 12, 30, 12, 6, null, null],
                    ["alarm", 0, 36, 8, 6, "Failover alarms in us-east-1", null],
                    ["alarm", 8, 36, 8, 6, "Failover alarms in eu-west-1", null],
                ],
            );
            for (const w of widgets.filter((w) => w.type === "metric")) {
                assert.equal(w.properties.view, "timeSeries");
                assert.equal(w.properties.stacked, false);
                assert.equal(w.properties.period, 60);
                // The widget's region is its metrics' (each names its own) and its title says so.
                const regions = [...new Set(metricsOf(w).map((m) => m.region))];
                assert.equal(w.properties.region, regions[0]);
                assert.ok(String(w.properties.title).endsWith(` [${regions.join(", ")}]`));
            }
        });

        it("graphs exactly these metrics: namespace, name, dimensions, region, statistic and label", () => {
            const check = (name: string) => one("aws:route53/healthCheck:HealthCheck", name).id;
            const fn = (name: string) =>
                String(one("aws:lambda/function:Function", name).state.name);
            const metrics = widgetsOf(c[`${n}-dashboard`])
                .filter((w) => w.type === "metric")
                .map(metricsOf);
            const m = (
                region: string,
                namespace: string,
                metricName: string,
                dimensions: Record<string, string>,
                stat: string,
                label: string,
            ): NamedMetric => ({ region, namespace, metricName, dimensions, stat, label });
            const api = { ApiName: "us-east-1-rest", Stage: "live" };
            const fns = [
                ["api", fn("us-east-1-api")],
                ["health", fn("us-east-1-health")],
            ];
            const lambda = (metricName: string, stat: string) =>
                fns.map(([label, f]) =>
                    m("us-east-1", "AWS/Lambda", metricName, { FunctionName: f }, stat, label),
                );
            const r53 = (metricName: string, id: string, stat: string, label: string) =>
                m("us-east-1", "AWS/Route53", metricName, { HealthCheckId: id }, stat, label);
            const replication = (measuredIn: string, receiving: string) =>
                m(
                    measuredIn,
                    "AWS/DynamoDB",
                    "ReplicationLatency",
                    { TableName: "products", ReceivingRegion: receiving },
                    "Average",
                    `${measuredIn} to ${receiving}`,
                );
            assert.deepEqual(metrics, [
                [
                    r53(
                        "HealthCheckStatus",
                        check("us-east-1-routing-endpoint"),
                        "Minimum",
                        "endpoint",
                    ),
                    r53(
                        "HealthCheckStatus",
                        check("us-east-1-routing-calculated"),
                        "Minimum",
                        "routed",
                    ),
                    r53("HealthCheckStatus", check("us-east-1-switch-check"), "Minimum", "switch"),
                    r53("HealthCheckStatus", check("us-east-1-5xx-check"), "Minimum", "5XX guard"),
                ],
                [
                    r53(
                        "HealthCheckPercentageHealthy",
                        check("us-east-1-routing-endpoint"),
                        "Average",
                        "endpoint",
                    ),
                ],
                [
                    m(
                        "eu-west-1",
                        "HealthCheck",
                        "Failover",
                        { Service: SERVICE, Region: "us-east-1" },
                        "Maximum",
                        "switch",
                    ),
                ],
                [m("us-east-1", "AWS/ApiGateway", "Count", api, "Sum", "requests")],
                [
                    m("us-east-1", "AWS/ApiGateway", "5XXError", api, "Average", "5XX rate"),
                    m("us-east-1", "AWS/ApiGateway", "4XXError", api, "Average", "4XX rate"),
                ],
                [
                    m("us-east-1", "AWS/ApiGateway", "Latency", api, "p50", "p50"),
                    m("us-east-1", "AWS/ApiGateway", "Latency", api, "p99", "p99"),
                ],
                lambda("Errors", "Sum"),
                lambda("Throttles", "Sum"),
                lambda("Duration", "p99"),
                [replication("eu-west-1", "us-east-1")],
                [replication("us-east-1", "eu-west-1")],
                TABLE_OPERATIONS.map((op) =>
                    m(
                        "us-east-1",
                        "AWS/DynamoDB",
                        "ThrottledRequests",
                        { TableName: "products", Operation: op },
                        "Sum",
                        op,
                    ),
                ),
                [
                    m(
                        "us-east-1",
                        "MultiRegionApi/Peers",
                        "PeerHealthy",
                        { Service: SERVICE, Peer: "eu-west-1", Observer: "us-east-1" },
                        "Minimum",
                        "eu-west-1",
                    ),
                ],
            ]);
            const widgets = widgetsOf(c[`${n}-dashboard`]);
            const annotated = widgets.filter((w) =>
                String(w.properties.title).startsWith("Replication"),
            );
            assert.equal(annotated.length, 2);
            for (const w of annotated) {
                assert.deepEqual(w.properties.annotations, {
                    horizontal: [{ label: "alarm threshold", value: 180000 }],
                });
            }
            assert.deepEqual(
                widgets.filter((w) => w.properties.yAxis).map((w) => w.properties.yAxis),
                [
                    { left: { min: 0, max: 1 } },
                    { left: { min: 0, max: 100 } },
                    { left: { min: 0, max: 1 } },
                    { left: { min: 0, max: 1 } },
                ],
            );
        });

        it("names only metrics the region's resources emit, with their dimensions (the dashboard's and the alarms')", () => {
            const problems: string[] = [];
            const inRegion = (type: string, region: string) =>
                byType(type).filter((r) => r.providerRegion === region);
            // The table's regions (the table and its replicas) and what the functions may call on it.
            const tableRegions = [
                ...byType("aws:dynamodb/table:Table").map((t) => t.providerRegion),
                ...byType("aws:dynamodb/tableReplica:TableReplica").map((t) => t.providerRegion),
            ];
            const functions = byType("aws:lambda/function:Function");
            const tableNames = new Set(
                functions
                    .map(
                        (f) =>
                            (f.inputs.environment as { variables: Record<string, string> })
                                .variables.TABLE_NAME,
                    )
                    .filter((t) => t !== undefined),
            );
            const operations = new Set(
                byType("aws:iam/rolePolicy:RolePolicy").flatMap((p) =>
                    (
                        JSON.parse(String(p.inputs.policy)) as {
                            Statement: { Action: string | string[] }[];
                        }
                    ).Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
                        .filter((a) => a.startsWith("dynamodb:"))
                        .map((a) => a.slice("dynamodb:".length)),
                ),
            );
            const sameKeys = (d: Record<string, string>, keys: string[]) =>
                JSON.stringify(Object.keys(d).sort()) === JSON.stringify([...keys].sort());
            const emitted = (x: NamedMetric): boolean => {
                const d = x.dimensions;
                switch (x.namespace) {
                    case "AWS/Route53": {
                        // Route 53 publishes in us-east-1 only; the percentage exists for endpoint checks.
                        const check = byType("aws:route53/healthCheck:HealthCheck").find(
                            (h) => h.id === d.HealthCheckId,
                        );
                        return (
                            x.region === "us-east-1" &&
                            sameKeys(d, ["HealthCheckId"]) &&
                            check !== undefined &&
                            (x.metricName === "HealthCheckStatus" ||
                                (x.metricName === "HealthCheckPercentageHealthy" &&
                                    check.inputs.type === "HTTPS_STR_MATCH"))
                        );
                    }
                    case "AWS/ApiGateway": {
                        const apis = inRegion("aws:apigateway/restApi:RestApi", x.region).filter(
                            (a) => a.state.name === d.ApiName,
                        );
                        return (
                            sameKeys(d, ["ApiName", "Stage"]) &&
                            ["Count", "5XXError", "4XXError", "Latency"].includes(x.metricName) &&
                            inRegion("aws:apigateway/stage:Stage", x.region).some(
                                (s) =>
                                    s.inputs.stageName === d.Stage &&
                                    apis.some((a) => a.id === s.inputs.restApi),
                            )
                        );
                    }
                    case "AWS/Lambda":
                        return (
                            sameKeys(d, ["FunctionName"]) &&
                            ["Errors", "Throttles", "Duration"].includes(x.metricName) &&
                            inRegion("aws:lambda/function:Function", x.region).some(
                                (f) => f.state.name === d.FunctionName,
                            )
                        );
                    case "AWS/DynamoDB":
                        if (!tableNames.has(d.TableName) || !tableRegions.includes(x.region)) {
                            return false;
                        }
                        if (x.metricName === "ReplicationLatency") {
                            return (
                                sameKeys(d, ["TableName", "ReceivingRegion"]) &&
                                tableRegions.includes(d.ReceivingRegion) &&
                                d.ReceivingRegion !== x.region
                            );
                        }
                        return (
                            ["ThrottledRequests", "SuccessfulRequestLatency"].includes(
                                x.metricName,
                            ) &&
                            sameKeys(d, ["TableName", "Operation"]) &&
                            operations.has(d.Operation)
                        );
                    case "AWS/CertificateManager":
                        return (
                            x.metricName === "DaysToExpiry" &&
                            sameKeys(d, ["CertificateArn"]) &&
                            inRegion("aws:acm/certificate:Certificate", x.region).some(
                                (cert) => cert.state.arn === d.CertificateArn,
                            )
                        );
                    default:
                        // A custom metric: one some alarm of the program watches, in its region.
                        return inRegion(METRIC_ALARM, x.region).some(
                            (a) =>
                                !a.parent?.includes(TYPE) &&
                                a.inputs.namespace === x.namespace &&
                                a.inputs.metricName === x.metricName &&
                                JSON.stringify(a.inputs.dimensions) ===
                                    JSON.stringify(
                                        Object.fromEntries(
                                            Object.keys(a.inputs.dimensions as object).map((k) => [
                                                k,
                                                d[k],
                                            ]),
                                        ),
                                    ) &&
                                sameKeys(d, Object.keys(a.inputs.dimensions as object)),
                        );
                }
            };
            const named = [
                ...widgetsOf(c[`${n}-dashboard`])
                    .filter((w) => w.type === "metric")
                    .flatMap(metricsOf),
                ...Object.values(c)
                    .filter((r) => r.type === METRIC_ALARM)
                    .flatMap(alarmMetrics),
            ];
            for (const x of named) {
                if (!emitted(x)) {
                    problems.push(JSON.stringify(x));
                }
            }
            assert.deepEqual(problems, []);
            // The check itself judges: each kind of mistake is caught.
            const first = named[0];
            for (const wrong of [
                { ...first, region: "eu-west-1" },
                { ...first, dimensions: { HealthCheckId: "no-such-check" } },
                {
                    ...named.find((x) => x.namespace === "AWS/ApiGateway")!,
                    dimensions: { ApiName: "us-east-1-rest", Stage: "prod" },
                },
                {
                    ...named.find((x) => x.namespace === "AWS/Lambda")!,
                    dimensions: { FunctionName: "us-east-1-peers-function-x" },
                },
                {
                    ...named.find((x) => x.metricName === "ThrottledRequests")!,
                    dimensions: { TableName: "products", Operation: "Scan" },
                },
                {
                    ...named.find((x) => x.metricName === "ReplicationLatency")!,
                    dimensions: { TableName: "products", ReceivingRegion: "ap-south-1" },
                },
                {
                    ...named.find((x) => x.metricName === "PeerHealthy")!,
                    dimensions: { Service: SERVICE, Peer: "eu-west-1", Observer: "eu-west-1" },
                },
                { ...named.find((x) => x.metricName === "Failover")!, region: "us-east-1" },
            ]) {
                assert.equal(emitted(wrong), false, JSON.stringify(wrong));
            }
        });

        it("shows every failover alarm's state, one widget per region: its own and the ones given", () => {
            const arn = (type: string, name: string) => String(one(type, name).state.arn);
            const own = (name: string) => arn(METRIC_ALARM, `${n}-${name}`);
            const alarms = widgetsOf(c[`${n}-dashboard`])
                .filter((w) => w.type === "alarm")
                .map((w) => w.properties);
            assert.deepEqual(alarms, [
                {
                    title: "Failover alarms in us-east-1",
                    alarms: [
                        own("routed-check-alarm"),
                        own("certificate-alarm"),
                        arn(METRIC_ALARM, "us-east-1-5xx-alarm"),
                        arn(METRIC_ALARM, "us-east-1-peers-eu-west-1-alarm"),
                    ],
                    sortBy: "stateUpdatedTimestamp",
                },
                {
                    title: "Failover alarms in eu-west-1",
                    alarms: [
                        own("switch-alarm"),
                        own("eu-west-1-replication-latency-alarm"),
                        own("eu-west-1-replication-stalled-alarm"),
                        arn(METRIC_ALARM, "us-east-1-switch-alarm"),
                    ],
                    sortBy: "stateUpdatedTimestamp",
                },
            ]);
            for (const w of alarms) {
                const region = String(w.title).split(" ").pop();
                for (const a of w.alarms) {
                    assert.ok(a.startsWith(`arn:aws:cloudwatch:${region}:`), `${a} in ${region}`);
                }
            }
        });

        it("tells the operator what to run, and what still works when us-east-1 is impaired", () => {
            const texts = widgetsOf(c[`${n}-dashboard`])
                .filter((w) => w.type === "text")
                .map((w) => w.properties.markdown);
            assert.deepEqual(texts, [
                [
                    `# ${SERVICE} in us-east-1`,
                    "Changes of routing, switch, replication and certificate are e-mailed/posted through this stack's SNS topics. Run from a clone of the project:",
                    `* \`npx multi-region-api status\`: where ${SERVICE} points now (asked of the zone's name servers), each region's checks, switch, guards and /health`,
                    "* `npx multi-region-api readiness --region us-east-1`: can us-east-1 take the traffic now (health, switch, certificate, replication)",
                    "* `npx multi-region-api failover --from us-east-1`: take us-east-1 out of DNS with its switch (one PutMetricData call in eu-west-1; no Route 53 or us-east-1 call); `npx multi-region-api failback --to us-east-1` brings it back",
                    "Route 53's health-check metrics exist only in us-east-1: when us-east-1 is impaired those graphs go blank and their alarms go quiet. Then read **PeerHealthy** below (us-east-1's own probe of its peers) and the peer alarms, which need neither. Before moving traffic to us-east-1, replication into it (eu-west-1 to us-east-1) must be flowing.",
                ].join("\n\n"),
                "## When us-east-1 is impaired\n\nRoute 53's graphs above go blank, and so do the alarms and topic in us-east-1. us-east-1 probes eu-west-1 itself every minute and notifies through its own topic (us-east-1): a peer at 0 here is down as us-east-1 sees it. Take a down region out with `npx multi-region-api failover --from <region>` (its switch; no us-east-1 call).",
            ]);
        });

        it("exposes the dashboard, the topics by region and its alarms, in creation order", async () => {
            assert.equal(await promiseOf(o.dashboard.urn), c[`${n}-dashboard`].urn);
            assert.deepEqual(Object.keys(o.topics), ["us-east-1", "eu-west-1"]);
            for (const [r, t] of Object.entries(o.topics)) {
                assert.equal(await promiseOf(t.urn), c[`${n}-${r}-topic`].urn);
            }
            assert.deepEqual(
                await Promise.all(o.alarms.map((a) => promiseOf(a.urn))),
                [
                    "routed-check-alarm",
                    "switch-alarm",
                    "eu-west-1-replication-latency-alarm",
                    "eu-west-1-replication-stalled-alarm",
                    "certificate-alarm",
                ].map((a) => c[`${n}-${a}`].urn),
            );
            assert.deepEqual(await Promise.all(o.peerNotifications.map((a) => promiseOf(a.urn))), [
                c[`${n}-eu-west-1-peer-alarm`].urn,
            ]);
            assert.deepEqual(FAILOVER_OBSERVABILITY_DEFAULTS, {
                replicationLatencyThresholdMs: 180000,
                certificateExpiryDays: 30,
            });
        });

        it("writes alarm names and descriptions within CloudWatch's limits for the longest names it accepts", () => {
            // A service name of 64 characters (ACM's limit on the first name) and long regions.
            const service = `${"a".repeat(50)}.example.com`.padStart(64, "b");
            for (const t of [
                texts.routed(service, "ap-southeast-2"),
                texts.switch(service, "ap-southeast-2", "ap-northeast-3"),
                texts.latency(service, "ap-northeast-3", "ap-southeast-2", "86400"),
                texts.stalled(service, "ap-northeast-3", "ap-southeast-2"),
                texts.certificate(service, "ap-southeast-2", 59),
                texts.peer(service, "ap-northeast-3", "ap-southeast-2"),
            ]) {
                assert.ok(t.name.length <= 255, t.name);
                assert.ok(t.description.length <= 1024, `${t.description.length}: ${t.name}`);
            }
        });

        it("trips no guardrail", () => {
            assert.deepEqual(
                runRules(RULES, created.map(ruleSnapshot), { wholeDeployment: false }),
                [],
            );
        });
    });

    describe("in a secondary: eu-west-1, the table's region us-east-1, no switch, no guards, existing topics, every setting", () => {
        const n = "eu-west-1-observability";
        const HOOK = "https://hooks.example.com/orders";
        const PAGER_EUW1 = `arn:aws:sns:eu-west-1:${ACCOUNT}:ops-pager`;
        const PAGER_USE1 = `arn:aws:sns:us-east-1:${ACCOUNT}:ops-pager`;
        const PEER_ALARM = alarmArn("eu-west-1", "eu-west-1-peers-us-east-1-alarm-1234567");
        const OTHER_ALARM = alarmArn("us-east-1", "orders-us-east-1-5xx");
        const tags = { team: "orders" };
        let o: FailoverObservability;
        let c: Record<string, RecordedResource>;
        const topic = (region: string) => c[`${n}-${region}-topic`].id;

        before(() =>
            withPlainStacks(async () => {
                reset();
                o = new FailoverObservability(
                    n,
                    {
                        serviceName: "orders.example.com",
                        region: "eu-west-1",
                        apiName: pulumi.output("eu-west-1-rest"),
                        stageName: "prod",
                        apiFunctionName: "eu-west-1-api-1a2b3c4",
                        healthFunctionName: "eu-west-1-health-5d6e7f8",
                        tableName: "orders",
                        tableRegion: "us-east-1",
                        certificateArn: pulumi.output(CERTIFICATE("eu-west-1")),
                        checks: [
                            {
                                role: HealthCheckRole.Endpoint,
                                healthCheckId: pulumi.output("hc-euw1"),
                            },
                            { role: HealthCheckRole.Routed, healthCheckId: "hc-euw1" },
                        ],
                        alarms: [{ region: "us-east-1", arn: OTHER_ALARM }],
                        peerAlarms: [
                            {
                                peer: "us-east-1",
                                arn: pulumi.output(PEER_ALARM),
                                namespace: "Orders/Peers",
                            },
                        ],
                        notifications: {
                            httpsEndpoints: [HOOK],
                            topicArns: [PAGER_EUW1, PAGER_USE1],
                        },
                        replicationLatencyThresholdMs: 60_000,
                        certificateExpiryDays: 14,
                        tags,
                    },
                    { providers: { aws: provider("eu-west-1") } },
                );
                await settled(o);
                c = childrenByName(n);
            }),
        );

        it("registers a topic where each alarm lives: eu-west-1 and us-east-1, and no switch alarm", () => {
            assert.deepEqual(
                inventory(Object.values(c)),
                [
                    ...topicInventory(n, "eu-west-1", [`https-${digest(HOOK)}`]),
                    ...topicInventory(n, "us-east-1", [`https-${digest(HOOK)}`]),
                    `${COMPOSITE_ALARM} ${n}-us-east-1-peer-alarm`,
                    `aws:cloudwatch/dashboard:Dashboard ${n}-dashboard`,
                    `${METRIC_ALARM} ${n}-certificate-alarm`,
                    `${METRIC_ALARM} ${n}-routed-check-alarm`,
                    `${METRIC_ALARM} ${n}-us-east-1-replication-latency-alarm`,
                    `${METRIC_ALARM} ${n}-us-east-1-replication-stalled-alarm`,
                ].sort(),
            );
            assert.deepEqual(Object.keys(o.topics), ["eu-west-1", "us-east-1"]);
        });

        it("looks up the account once, on its provider, and nothing else", () => {
            const providerRef = `${urnOf("pulumi:providers:aws", "aws-eu-west-1")}::aws-eu-west-1-id`;
            assert.deepEqual(
                state.invokes.map((i): unknown[] => [i.token, i.provider, i.inputs]),
                [["aws:index/getCallerIdentity:getCallerIdentity", providerRef, {}]],
            );
        });

        it("watches replication into eu-west-1 from the table's region, with the given threshold, and notifies the existing topic of each alarm's region too", () => {
            const use1 = [topic("us-east-1"), PAGER_USE1];
            const euw1 = [topic("eu-west-1"), PAGER_EUW1];
            const s = "orders.example.com";
            const alarm = (name: string) => c[`${n}-${name}`].inputs;
            assert.deepEqual(
                alarm("routed-check-alarm"),
                expectedAlarm.routed(s, "eu-west-1", "hc-euw1", use1, tags),
            );
            assert.deepEqual(
                alarm("us-east-1-replication-latency-alarm"),
                expectedAlarm.latency(s, "us-east-1", "eu-west-1", "orders", 60000, use1, tags),
            );
            assert.deepEqual(
                alarm("us-east-1-replication-stalled-alarm"),
                expectedAlarm.stalled(s, "us-east-1", "eu-west-1", "orders", use1, tags),
            );
            assert.deepEqual(
                alarm("certificate-alarm"),
                expectedAlarm.certificate(s, "eu-west-1", CERTIFICATE("eu-west-1"), 14, euw1, tags),
            );
            const text = texts.peer(s, "us-east-1", "eu-west-1");
            assert.deepEqual(c[`${n}-us-east-1-peer-alarm`].inputs, {
                region: "eu-west-1",
                alarmName: text.name,
                alarmDescription: text.description,
                alarmRule: `ALARM("${PEER_ALARM}")`,
                alarmActions: euw1,
                okActions: euw1,
                tags,
            });
            assert.equal(
                texts.latency(s, "us-east-1", "eu-west-1", "60").name,
                "orders.example.com replication us-east-1 to eu-west-1 slower than 60 s",
            );
        });

        it("notifies each event through a topic of the alarm's own region: an impaired region silences exactly its alarms", () => {
            const notifications = Object.values(c)
                .filter((r) => r.type === METRIC_ALARM || r.type === COMPOSITE_ALARM)
                .map((r) => {
                    const actions = r.inputs.alarmActions as string[];
                    const topicRegions = actions.map((a) =>
                        a === PAGER_EUW1
                            ? "eu-west-1"
                            : a === PAGER_USE1
                              ? "us-east-1"
                              : Object.values(c).find((t) => t.id === a)!.providerRegion,
                    );
                    assert.deepEqual(r.inputs.okActions, actions, `${r.name} OK actions`);
                    return [
                        r.name.slice(n.length + 1),
                        r.providerRegion,
                        [...new Set(topicRegions)],
                    ];
                })
                .sort(([a], [b]) => String(a).localeCompare(String(b)));
            assert.deepEqual(notifications, [
                ["certificate-alarm", "eu-west-1", ["eu-west-1"]],
                ["routed-check-alarm", "us-east-1", ["us-east-1"]],
                ["us-east-1-peer-alarm", "eu-west-1", ["eu-west-1"]],
                ["us-east-1-replication-latency-alarm", "us-east-1", ["us-east-1"]],
                ["us-east-1-replication-stalled-alarm", "us-east-1", ["us-east-1"]],
            ]);
            const darkWhen = (impaired: string) =>
                notifications.filter(([, region]) => region === impaired).map(([name]) => name);
            // us-east-1 impaired: Route 53's view and replication from us-east-1 go dark; the
            // peer alarm (eu-west-1's own probe of us-east-1) still notifies.
            assert.deepEqual(darkWhen("us-east-1"), [
                "routed-check-alarm",
                "us-east-1-replication-latency-alarm",
                "us-east-1-replication-stalled-alarm",
            ]);
            assert.deepEqual(darkWhen("eu-west-1"), ["certificate-alarm", "us-east-1-peer-alarm"]);
        });

        it("graphs the endpoint check once when it is also the routed check, without a switch, with the peers' namespace", () => {
            const widgets = widgetsOf(c[`${n}-dashboard`]);
            const metric = (title: string) =>
                metricsOf(widgets.find((w) => String(w.properties.title).startsWith(title))!);
            assert.deepEqual(metric("Route 53 health checks"), [
                {
                    region: "us-east-1",
                    namespace: "AWS/Route53",
                    metricName: "HealthCheckStatus",
                    dimensions: { HealthCheckId: "hc-euw1" },
                    stat: "Minimum",
                    label: "endpoint + routed",
                },
            ]);
            assert.equal(
                widgets.filter((w) => String(w.properties.title).startsWith("Operator switch"))
                    .length,
                0,
            );
            assert.deepEqual(
                metric("Replication into eu-west-1").map((m) => [m.region, m.dimensions]),
                [["us-east-1", { TableName: "orders", ReceivingRegion: "eu-west-1" }]],
            );
            assert.deepEqual(
                metric("Replication out of eu-west-1").map((m) => [m.region, m.dimensions]),
                [["eu-west-1", { TableName: "orders", ReceivingRegion: "us-east-1" }]],
            );
            assert.deepEqual(metric("API requests")[0].dimensions, {
                ApiName: "eu-west-1-rest",
                Stage: "prod",
            });
            assert.deepEqual(metric("Peers as eu-west-1")[0], {
                region: "eu-west-1",
                namespace: "Orders/Peers",
                metricName: "PeerHealthy",
                dimensions: {
                    Service: "orders.example.com",
                    Peer: "us-east-1",
                    Observer: "eu-west-1",
                },
                stat: "Minimum",
                label: "us-east-1",
            });
            for (const w of widgets.filter((w) =>
                String(w.properties.title).startsWith("Replication"),
            )) {
                assert.deepEqual(w.properties.annotations, {
                    horizontal: [{ label: "alarm threshold", value: 60000 }],
                });
            }
            const header = String(widgets[0].properties.markdown);
            assert.ok(
                header.includes(
                    "* eu-west-1 has no operator switch here: another region's stack drains it, or routing follows its health checks alone",
                ),
            );
            assert.ok(!header.includes("failover --from"));
            assert.deepEqual(
                widgets
                    .filter((w) => w.type === "alarm")
                    .map((w) => [w.properties.title, w.properties.alarms]),
                [
                    [
                        "Failover alarms in us-east-1",
                        [
                            alarmArn(
                                "us-east-1",
                                texts.routed("orders.example.com", "eu-west-1").name,
                            ),
                            alarmArn(
                                "us-east-1",
                                texts.latency("orders.example.com", "us-east-1", "eu-west-1", "60")
                                    .name,
                            ),
                            alarmArn(
                                "us-east-1",
                                texts.stalled("orders.example.com", "us-east-1", "eu-west-1").name,
                            ),
                            OTHER_ALARM,
                        ],
                    ],
                    [
                        "Failover alarms in eu-west-1",
                        [
                            alarmArn(
                                "eu-west-1",
                                texts.certificate("orders.example.com", "eu-west-1", 14).name,
                            ),
                        ],
                    ],
                ],
            );
        });

        it("opens its dashboard in eu-west-1", async () => {
            assert.equal(
                await promiseOf(o.dashboardUrl),
                "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/orders-example-com-eu-west-1",
            );
        });

        it("tags every child that takes tags, and no other", () => {
            assertTags(Object.values(c), () => tags, [
                "aws:kms/key:Key",
                "aws:sns/topic:Topic",
                METRIC_ALARM,
                COMPOSITE_ALARM,
            ]);
        });

        it("trips no guardrail", () => {
            assert.deepEqual(
                runRules(RULES, created.map(ruleSnapshot), { wholeDeployment: false }),
                [],
            );
        });
    });

    /** Plain arguments of a valid component in eu-west-1, with one of everything. */
    const valid: FailoverObservabilityArgs = {
        serviceName: SERVICE,
        region: "eu-west-1",
        apiName: "eu-west-1-rest",
        stageName: "live",
        apiFunctionName: "eu-west-1-api",
        healthFunctionName: "eu-west-1-health",
        tableName: "products",
        tableRegion: "us-east-1",
        certificateArn: CERTIFICATE("eu-west-1"),
        checks: [
            { role: HealthCheckRole.Endpoint, healthCheckId: "hc-endpoint" },
            { role: HealthCheckRole.Routed, healthCheckId: "hc-calculated" },
        ],
        switchMetric: {
            region: "us-east-1",
            ...SWITCH_METRIC,
            dimensions: { Service: SERVICE, Region: "eu-west-1" },
        },
        alarms: [{ region: "us-east-1", arn: alarmArn("us-east-1", "a") }],
        peerAlarms: [{ peer: "us-east-1", arn: alarmArn("eu-west-1", "p") }],
        notifications: { emails: ["ops@example.com"] },
    };

    describe("fails the deployment on what is known only then", () => {
        const lateCertificate = CERTIFICATE("us-east-1");
        const latePeer = alarmArn("us-east-1", "p");
        const lateAlarm = alarmArn("eu-west-1", "a");
        const cases: [
            string,
            (v: pulumi.Input<string>) => Partial<FailoverObservabilityArgs>,
            string,
            (o: FailoverObservability) => pulumi.Output<unknown>,
            string,
        ][] = [
            [
                "a certificate of another region",
                (v) => ({ certificateArn: v }),
                lateCertificate,
                (o) => o.alarms[o.alarms.length - 1].arn,
                `[certificateArn] must be an ACM certificate ARN in [region] (eu-west-1): a REGIONAL custom domain's certificate lives in its API's region, where ACM publishes DaysToExpiry (got "${lateCertificate}")`,
            ],
            [
                "a peer alarm of another region",
                (v) => ({ peerAlarms: [{ peer: "us-east-1", arn: v }] }),
                latePeer,
                (o) => o.peerNotifications[0].arn,
                `[peerAlarms[0].arn] must be a CloudWatch alarm ARN in [region] (eu-west-1) (got "${latePeer}")`,
            ],
            [
                "an alarm of another region than it says",
                (v) => ({ alarms: [{ region: "us-east-1", arn: v }] }),
                lateAlarm,
                (o) => o.dashboard.dashboardBody,
                `[alarms[0].arn] must be a CloudWatch alarm ARN in [alarms[0].region] (us-east-1) (got "${lateAlarm}")`,
            ],
        ];
        for (const [title, bad, value, failing, message] of cases) {
            it(`${title}: an error on the component, with the message a known value gets`, () =>
                withPlainStacks(async () => {
                    reset();
                    const o = new FailoverObservability(
                        "late",
                        { ...valid, ...bad(pulumi.output(value)) },
                        { providers: { aws: provider("eu-west-1") } },
                    );
                    const error = await failureOf(failing(o));
                    assert.ok(
                        error instanceof pulumi.ResourceError,
                        `a ResourceError, got ${String(error)}`,
                    );
                    assert.equal(error.resource, o);
                    assert.equal(
                        withoutSerializingPrefixes(error.message),
                        `FailoverObservability "late": ${message}`,
                    );
                    await state.settle();
                    await rejectsBeforeRegistering(() => {
                        reset();
                        return new FailoverObservability("late", { ...valid, ...bad(value) });
                    }, `FailoverObservability "late": ${message}`);
                }));
        }
    });

    describe("rejects bad arguments before registering anything", () => {
        before(reset);
        const region =
            "an AWS region of the aws partition such as us-east-1 (Route 53's metrics, which this component watches, live in us-east-1 there)";
        const longService = `${"s".repeat(63)}.${"e".repeat(63)}.${"r".repeat(63)}.example.com`;
        const certificate = (got: string, where = "eu-west-1") =>
            `[certificateArn] must be an ACM certificate ARN in [region] (${where}): a REGIONAL custom domain's certificate lives in its API's region, where ACM publishes DaysToExpiry (got "${got}")`;
        const checks = (...c: unknown[]) => ({ checks: c });
        const routed =
            'must hold exactly one check of role "routed" (got 0): the check attached to the routed record (the endpoint check itself when there are no guards)';
        const topics =
            "must be an SNS topic ARN in a region where this component's alarms live (eu-west-1, us-east-1): CloudWatch alarms notify topics in their own region only";
        const cases: [string, string, Record<string, unknown>, string][] = [
            [
                "a missing service name",
                "bad",
                { serviceName: undefined },
                "[serviceName] is required: a lowercase DNS name without a trailing dot, such as example.com",
            ],
            [
                "a service name that is not a DNS name",
                "bad",
                { serviceName: "API.example.com" },
                '[serviceName] must be a lowercase DNS name without a trailing dot, such as example.com; label "API" has uppercase letters (got "API.example.com")',
            ],
            [
                "an unknown region",
                "bad",
                { region: "eu-west-9" },
                `[region] must be ${region} (got "eu-west-9")`,
            ],
            [
                "a region of another partition, once",
                "bad",
                { region: "cn-north-1" },
                `[region] must be ${region} (got "cn-north-1")`,
            ],
            [
                "a function name Lambda refuses",
                "bad",
                { apiFunctionName: "api fn" },
                '[apiFunctionName] must be a Lambda function name: 1-64 letters, digits, "-" or "_" (got "api fn")',
            ],
            [
                "the same function twice",
                "bad",
                { healthFunctionName: "eu-west-1-api" },
                '[healthFunctionName] must differ from [apiFunctionName] (both "eu-west-1-api")',
            ],
            [
                "an empty stage name",
                "bad",
                { stageName: "" },
                '[stageName] must be a non-empty string of at most 255 characters (got "")',
            ],
            [
                "a table name with a wildcard",
                "bad",
                { tableName: "prod*" },
                `[tableName] must be a DynamoDB table name: 3-255 letters, digits, '_', '-' or '.' (got "prod*")`,
            ],
            [
                "a missing table region",
                "bad",
                { tableRegion: undefined },
                `[tableRegion] is required: ${region}`,
            ],
            [
                "no replica regions in the table's region",
                "bad",
                {
                    region: "us-east-1",
                    tableRegion: "us-east-1",
                    certificateArn: CERTIFICATE("us-east-1"),
                    switchMetric: undefined,
                    peerAlarms: undefined,
                },
                '[replicaRegions] is required when [region] is [tableRegion] ("us-east-1"): name the regions holding the table\'s other replicas, whose replication into us-east-1 the alarms watch',
            ],
            [
                "empty replica regions",
                "bad",
                { replicaRegions: [] },
                "[replicaRegions] must be a list of at least one region holding a replica of the table (got [])",
            ],
            [
                "replica regions naming the region itself",
                "bad",
                { replicaRegions: ["us-east-1", "eu-west-1"] },
                '[replicaRegions[1]] must not be [region] ("eu-west-1"): a replica does not replicate into itself',
            ],
            [
                "a replica region twice",
                "bad",
                { replicaRegions: ["us-east-1", "us-east-1"] },
                '[replicaRegions[1]] must name a region no other entry names (got "us-east-1" again)',
            ],
            [
                "replica regions without the table's region",
                "bad",
                { replicaRegions: ["us-west-2"] },
                '[replicaRegions] must include [tableRegion] ("us-east-1"): the table\'s own region holds a replica too',
            ],
            [
                "a certificate of another region",
                "bad",
                { certificateArn: CERTIFICATE("us-east-1") },
                certificate(CERTIFICATE("us-east-1")),
            ],
            [
                "a certificate ARN that is not one",
                "bad",
                { certificateArn: "arn:aws:iam::123456789012:role/x" },
                certificate("arn:aws:iam::123456789012:role/x"),
            ],
            [
                "missing checks",
                "bad",
                { checks: undefined },
                "[checks] is required: a list of health checks { role, label?, healthCheckId }, exactly one of role endpoint and one of role routed",
            ],
            [
                "checks without a routed one",
                "bad",
                checks({ role: "endpoint", healthCheckId: "a" }),
                `[checks] ${routed}`,
            ],
            [
                "two endpoint checks",
                "bad",
                checks(
                    { role: "endpoint", healthCheckId: "a" },
                    { role: "endpoint", healthCheckId: "b" },
                    { role: "routed", healthCheckId: "c" },
                ),
                '[checks] must hold exactly one check of role "endpoint" (got 2)',
            ],
            [
                "a role that does not exist",
                "bad",
                checks(
                    { role: "endpoint", healthCheckId: "a" },
                    { role: "routed", healthCheckId: "b" },
                    { role: "primary", healthCheckId: "c" },
                ),
                '[checks[2].role] must be one of "endpoint", "routed", "switch", "guard" (got "primary")',
            ],
            [
                "a check without an id",
                "bad",
                checks({ role: "endpoint", healthCheckId: "a" }, { role: "routed" }),
                "[checks[1].healthCheckId] is required: a Route 53 health check id",
            ],
            [
                "a misspelled check key",
                "bad",
                checks(
                    { role: "endpoint", healthCheckId: "a" },
                    { role: "routed", healthcheckId: "b" },
                ),
                "[checks[1].healthcheckId] is not a setting of [checks[1]]; did you mean healthCheckId? Its settings are role, label, healthCheckId; [checks[1].healthCheckId] is required: a Route 53 health check id",
            ],
            [
                "a check that is not an object, once",
                "bad",
                checks({ role: "endpoint", healthCheckId: "a" }, "routed"),
                '[checks[1]] must be a health check { role, label?, healthCheckId } (got "routed")',
            ],
            [
                "a switch metric that is not an object",
                "bad",
                { switchMetric: "HealthCheck/Failover" },
                '[switchMetric] must be { region, namespace, metricName, dimensions } (got "HealthCheck/Failover")',
            ],
            [
                "a switch metric without dimensions, in no region",
                "bad",
                {
                    switchMetric: {
                        region: "mars-1",
                        namespace: "HealthCheck",
                        metricName: "Failover",
                        dimensions: {},
                    },
                },
                `[switchMetric.region] must be ${region} (got "mars-1"); [switchMetric.dimensions] must be a map of 1-30 dimension names to values (got {})`,
            ],
            [
                "alarms that are not a list",
                "bad",
                { alarms: alarmArn("us-east-1", "a") },
                `[alarms] must be a list of alarms { region, arn } (got "${alarmArn("us-east-1", "a")}")`,
            ],
            [
                "an alarm of another region than it says",
                "bad",
                { alarms: [{ region: "eu-west-1", arn: alarmArn("us-east-1", "a") }] },
                `[alarms[0].arn] must be a CloudWatch alarm ARN in [alarms[0].region] (eu-west-1) (got "${alarmArn("us-east-1", "a")}")`,
            ],
            [
                "a peer that is the region itself",
                "bad",
                { peerAlarms: [{ peer: "eu-west-1", arn: alarmArn("eu-west-1", "p") }] },
                '[peerAlarms[0].peer] must not be [region] ("eu-west-1"): a region cannot observe itself from outside',
            ],
            [
                "a peer alarm of another region",
                "bad",
                { peerAlarms: [{ peer: "us-east-1", arn: alarmArn("us-east-1", "p") }] },
                `[peerAlarms[0].arn] must be a CloudWatch alarm ARN in [region] (eu-west-1) (got "${alarmArn("us-east-1", "p")}")`,
            ],
            [
                "a peer twice",
                "bad",
                {
                    peerAlarms: [
                        { peer: "us-east-1", arn: alarmArn("eu-west-1", "p") },
                        { peer: "us-east-1", arn: alarmArn("eu-west-1", "q") },
                    ],
                },
                '[peerAlarms[1]] must name a peer no other entry names (got "us-east-1" again)',
            ],
            [
                "an e-mail address that is not one",
                "bad",
                { notifications: { emails: ["ops"] } },
                '[notifications.emails[0]] must be an e-mail address (got "ops")',
            ],
            [
                "an e-mail address twice",
                "bad",
                { notifications: { emails: ["ops@example.com", "ops@example.com"] } },
                '[notifications.emails[1]] must name an address no other entry names (got "ops@example.com" again)',
            ],
            [
                "an HTTP endpoint",
                "bad",
                { notifications: { httpsEndpoints: ["http://hooks.example.com/x"] } },
                '[notifications.httpsEndpoints[0]] must be an https:// URL (got "http://hooks.example.com/x")',
            ],
            [
                "a topic in a region without alarms",
                "bad",
                { notifications: { topicArns: [`arn:aws:sns:us-west-2:${ACCOUNT}:pager`] } },
                `[notifications.topicArns[0]] ${topics} (got "arn:aws:sns:us-west-2:${ACCOUNT}:pager")`,
            ],
            [
                "a topic ARN that is not one",
                "bad",
                { notifications: { topicArns: ["pager"] } },
                `[notifications.topicArns[0]] ${topics} (got "pager")`,
            ],
            [
                "a misspelled notification key",
                "bad",
                { notifications: { email: ["ops@example.com"] } },
                "[notifications.email] is not a setting of [notifications]; did you mean emails? Its settings are emails, httpsEndpoints, topicArns",
            ],
            [
                "a zero replication threshold",
                "bad",
                { replicationLatencyThresholdMs: 0 },
                "[replicationLatencyThresholdMs] must be an integer from 1 to 86400000 milliseconds (got 0)",
            ],
            [
                "a certificate threshold ACM's renewal would trip",
                "bad",
                { certificateExpiryDays: 60 },
                "[certificateExpiryDays] must be an integer from 1 to 59 days: ACM renews from 60 days before expiry, so a higher value would alarm on every healthy renewal (got 60)",
            ],
            [
                "a misspelled argument",
                "bad",
                { certificateExpiry: 14 },
                "[certificateExpiry] is not an argument of FailoverObservability; did you mean certificateExpiryDays? Its arguments are serviceName, region, apiName, stageName, apiFunctionName, healthFunctionName, tableName, tableRegion, replicaRegions, certificateArn, checks, switchMetric, alarms, peerAlarms, notifications, replicationLatencyThresholdMs, certificateExpiryDays, tags",
            ],
            [
                "a tag key AWS reserves",
                "bad",
                { tags: { "aws:team": "sre" } },
                '[tags] key "aws:team" must be 1-128 letters, digits, spaces or _ . : / = + - @, not starting with "aws:" (reserved for AWS)',
            ],
            [
                "a name with a dot",
                "obs.euw1",
                {},
                '[name] must be 1-232 characters from A-Z, a-z, 0-9, "-" and "_": the SNS topic "<name>-eu-west-1-topic", plus Pulumi\'s 8-character random suffix, must fit AWS\'s limit of 256 characters (got "obs.euw1", 8 characters)',
            ],
            [
                "a name too long for its topics",
                "o".repeat(233),
                {},
                `[name] must be 1-232 characters from A-Z, a-z, 0-9, "-" and "_": the SNS topic "<name>-eu-west-1-topic", plus Pulumi's 8-character random suffix, must fit AWS's limit of 256 characters (got "${"o".repeat(233)}", 233 characters)`,
            ],
            [
                "a service name too long for the alarm names",
                "bad",
                { serviceName: longService },
                [
                    `[serviceName] is too long for the alarm name "${longService} eu-west-1 out of DNS (routed health check unhealthy)" (256 characters; CloudWatch allows 255)`,
                    `[serviceName] is too long for the alarm name "${longService} replication us-east-1 to eu-west-1 slower than 180 s" (256 characters; CloudWatch allows 255)`,
                ].join("; "),
            ],
            [
                "more alarms in a region than its widget shows",
                "bad",
                {
                    alarms: Array.from({ length: 97 }, (_, i) => ({
                        region: "us-east-1",
                        arn: alarmArn("us-east-1", `a${i}`),
                    })),
                },
                `[alarms] must leave room in "us-east-1"'s alarm-status widget: at most 100 alarms per region, this component's own included (got 101)`,
            ],
            [
                "several problems at once",
                "bad",
                { region: "mars-1", tableName: "t", certificateExpiryDays: 0 },
                `[region] must be ${region} (got "mars-1"); [tableName] must be a DynamoDB table name: 3-255 letters, digits, '_', '-' or '.' (got "t"); [certificateExpiryDays] must be an integer from 1 to 59 days: ACM renews from 60 days before expiry, so a higher value would alarm on every healthy renewal (got 0)`,
            ],
        ];
        for (const [title, name, bad, problems] of cases) {
            it(`rejects ${title}`, async () => {
                await rejectsBeforeRegistering(
                    () => new FailoverObservability(name, { ...valid, ...bad }),
                    `FailoverObservability "${name}": ${problems}`,
                );
            });
        }

        it("says on the dashboard when nothing from this region reports a peer while us-east-1 is impaired", () =>
            withPlainStacks(async () => {
                reset();
                const o = new FailoverObservability(
                    "alone",
                    { ...valid, peerAlarms: undefined },
                    { providers: { aws: provider("eu-west-1") } },
                );
                await settled(o);
                const widgets = widgetsOf(
                    component("aws:cloudwatch/dashboard:Dashboard", "alone-dashboard"),
                );
                assert.ok(
                    String(widgets[0].properties.markdown).includes(
                        "Route 53's health-check metrics exist only in us-east-1: when us-east-1 is impaired those graphs go blank and their alarms go quiet. eu-west-1 has no peer probe here: nothing on this screen or from this stack reports another region then. Before moving traffic to eu-west-1, replication into it (us-east-1 to eu-west-1) must be flowing.",
                    ),
                );
                assert.deepEqual(
                    widgets.filter((w) => String(w.properties.title).startsWith("Peers")),
                    [],
                );
                assert.deepEqual(widgets.filter((w) => w.type === "text").length, 1);
                assert.deepEqual(o.peerNotifications, []);
                assert.equal(created.filter((r) => r.type === COMPOSITE_ALARM).length, 0);
            }));

        it("accepts a name of exactly 232 characters and the extremes of every range", () =>
            withPlainStacks(async () => {
                reset();
                const euw1 = { providers: { aws: provider("eu-west-1") } };
                const long = new FailoverObservability(
                    "o".repeat(232),
                    { ...valid, replicationLatencyThresholdMs: 1, certificateExpiryDays: 1 },
                    euw1,
                );
                const slow = new FailoverObservability(
                    "slow",
                    {
                        ...valid,
                        serviceName: "orders.example.com",
                        replicationLatencyThresholdMs: 86_400_000,
                        certificateExpiryDays: 59,
                    },
                    euw1,
                );
                await settled(long);
                await settled(slow);
                const thresholds = (n: string) =>
                    Object.fromEntries(
                        created
                            .filter((r) => r.type === METRIC_ALARM && r.name.startsWith(`${n}-`))
                            .map((r) => [r.name.slice(n.length + 1), r.inputs.threshold]),
                    );
                assert.deepEqual(thresholds("o".repeat(232)), {
                    "routed-check-alarm": 1,
                    "switch-alarm": 1,
                    "us-east-1-replication-latency-alarm": 1,
                    "us-east-1-replication-stalled-alarm": 1,
                    "certificate-alarm": 1,
                });
                assert.deepEqual(thresholds("slow"), {
                    "routed-check-alarm": 1,
                    "switch-alarm": 1,
                    "us-east-1-replication-latency-alarm": 86_400_000,
                    "us-east-1-replication-stalled-alarm": 1,
                    "certificate-alarm": 59,
                });
                assert.equal(
                    created.find((r) => r.name === "slow-us-east-1-replication-latency-alarm")
                        ?.inputs.name,
                    "orders.example.com replication us-east-1 to eu-west-1 slower than 86400 s",
                );
            }));
    });
});
