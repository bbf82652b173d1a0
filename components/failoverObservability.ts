// One region's failover observability: a CloudWatch dashboard (one screen for the region, its
// routing and its peers) and notifications when routing changes, the switch moves, replication
// falls behind or the certificate nears expiry, with a path that still notifies while us-east-1
// (Route 53's metrics) is impaired.
// Sources: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
// (dashboard body), https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-check-status.html
// (Route 53 metrics, us-east-1 only), https://docs.aws.amazon.com/prescriptive-guidance/latest/dynamodb-global-tables/checklist.html
// (ReplicationLatency above 180,000 ms; dropping to 0 when stalled),
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
// (AWS/DynamoDB alarms always ignore missing data), https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
// and https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns (CloudWatch alarms cannot
// publish to a topic encrypted with the AWS managed key alias/aws/sns: a customer managed key).
import * as aws from "./aws";
import * as kms from "@pulumi/aws/kms";
import * as sns from "@pulumi/aws/sns";
import type * as inputs from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { PEER_PROBE_DEFAULTS } from "./peerProbe";
import {
    AWS_TAG_LIMITS,
    ArgProblems,
    DerivedName,
    RESOURCE_NAME_CHARACTERS,
    Rule,
    dnsName,
    integerFrom,
    isAwsRegion,
    isPlainObject,
    known,
    oneOf,
    partitionOf,
    problemWith,
    shown,
    tableName,
} from "./validation";
import { componentType, withPreviousType } from "./typeToken";

/** What a Route 53 health check does for the region, as the dashboard and alarms read it. */
export enum HealthCheckRole {
    /** The `HTTPS_STR_MATCH` check on the region's own `/health`. */
    Endpoint = "endpoint",
    /**
     * The check attached to the routed record: the `CALCULATED` one, or the endpoint check itself
     * when the region has no guards (then list that check twice, once per role).
     */
    Routed = "routed",
    /** The operator switch's `CLOUDWATCH_METRIC` check. */
    Switch = "switch",
    /** Any other guard of the routed record (a 5XX-rate alarm's check, a derived-metric guard). */
    Guard = "guard",
}

/** One Route 53 health check of the region. */
export interface ObservedHealthCheck {
    /** What the check does for the region. */
    readonly role: HealthCheckRole;
    /**
     * What the dashboard calls it (guards are told apart by it).
     * @default the role
     */
    readonly label?: string;
    /** The health check's id. */
    readonly healthCheckId: pulumi.Input<string>;
}

/** The region's operator switch metric (`AlarmHealthCheck` with `operatorSwitchArgs`). */
export interface ObservedSwitchMetric {
    /** The region the switch's metric and alarm live in (never the region it drains). */
    readonly region: string;
    /** For example `HealthCheck`. */
    readonly namespace: string;
    /** For example `Failover`. */
    readonly metricName: string;
    /** For example `{ Service: "api.example.com", Region: "us-east-1" }`. */
    readonly dimensions: { [name: string]: string };
}

/** A failover-relevant alarm the dashboard shows the state of. */
export interface ObservedAlarm {
    /** The region the alarm lives in (its widget's region). */
    readonly region: string;
    /** The alarm's ARN. */
    readonly arn: pulumi.Input<string>;
}

/** One alarm of a `PeerProbe` in this region: the region's own view of a peer. */
export interface ObservedPeerAlarm {
    /** The peer region the alarm watches. */
    readonly peer: string;
    /** The alarm's ARN; the alarm must live in this component's `region`. */
    readonly arn: pulumi.Input<string>;
    /**
     * Namespace of the probe's `PeerHealthy` metric, for the dashboard.
     * @default "MultiRegionApi/Peers" (PeerProbe's default)
     */
    readonly namespace?: string;
}

/** Who is told when an alarm changes state. */
export interface NotificationTargets {
    /**
     * E-mail addresses subscribed to every topic; each address confirms each topic's subscription
     * once (one e-mail from AWS per topic region).
     * @default none
     */
    readonly emails?: string[];
    /**
     * `https://` endpoints subscribed to every topic (they confirm by answering SNS's
     * SubscriptionConfirmation request).
     * @default none
     */
    readonly httpsEndpoints?: string[];
    /**
     * Existing SNS topics the alarms in the topic's region notify directly, beside this
     * component's topic there (CloudWatch alarms notify topics in their own region only).
     * @default none
     */
    readonly topicArns?: string[];
}

/** Defaults of `FailoverObservabilityArgs`, in one place. */
export const FAILOVER_OBSERVABILITY_DEFAULTS = {
    /** AWS's global tables checklist: alert when the recent average exceeds 180,000 ms. */
    replicationLatencyThresholdMs: 180_000,
    certificateExpiryDays: 30,
} as const;

/** Arguments for `FailoverObservability`: the facts of one region. */
export interface FailoverObservabilityArgs {
    /** The routed service name, for example `api.example.com`; alarm and dashboard names carry it. */
    readonly serviceName: string;
    /** The region observed: the stack's region, where the dashboard and its API live. */
    readonly region: string;
    /** The REST API's name: the `ApiName` dimension of API Gateway's metrics (`RegionalApi.restApi.name`). */
    readonly apiName: pulumi.Input<string>;
    /** The stage's name: the `Stage` dimension (`RegionalApi.stage.stageName`). */
    readonly stageName: pulumi.Input<string>;
    /** The API function's name (`RegionalApi.apiHandler.function.name`). */
    readonly apiFunctionName: pulumi.Input<string>;
    /** The health function's name (`RegionalApi.healthHandler.function.name`). */
    readonly healthFunctionName: pulumi.Input<string>;
    /** The DynamoDB global table the functions use. */
    readonly tableName: pulumi.Input<string>;
    /** The region whose stack created the global table. */
    readonly tableRegion: string;
    /**
     * The table's other replica regions: every one replicates writes to this region's replica
     * (the replication alarms live there, where DynamoDB publishes `ReplicationLatency`).
     * @default [tableRegion] when `region` is not `tableRegion`; required when it is
     */
    readonly replicaRegions?: string[];
    /** ARN of the ACM certificate of the region's custom domains (in `region`). */
    readonly certificateArn: pulumi.Input<string>;
    /** The region's Route 53 health checks: exactly one endpoint and one routed check. */
    readonly checks: ObservedHealthCheck[];
    /**
     * The metric of the operator switch that drains this region.
     * @default no switch
     */
    readonly switchMetric?: ObservedSwitchMetric;
    /**
     * Failover-relevant alarms for the dashboard's alarm-status widgets (one per region), beside
     * this component's own notifying alarms.
     * @default none
     */
    readonly alarms?: ObservedAlarm[];
    /**
     * The alarms of a `PeerProbe` in this region: each notifies this region's topic, the path
     * that still notifies while us-east-1 is impaired, and appears on the dashboard.
     * @default none: nothing notifies from this region when a peer fails
     */
    readonly peerAlarms?: ObservedPeerAlarm[];
    /**
     * Who is told.
     * @default nobody: the topics exist, subscribe to them later
     */
    readonly notifications?: NotificationTargets;
    /**
     * Average `ReplicationLatency` over 5 minutes above which replication into this region is
     * slow, milliseconds (1-86,400,000).
     * @default 180000 (AWS's global tables checklist)
     */
    readonly replicationLatencyThresholdMs?: number;
    /**
     * Days before the certificate expires at which it alarms (1-59: ACM renews from 60 days
     * before expiry, so a higher value would alarm on every healthy renewal).
     * @default 30
     */
    readonly certificateExpiryDays?: number;
    /**
     * Tags for every child that takes tags.
     * @default no tags
     */
    readonly tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** Route 53 publishes its health-check metrics in this region only. */
const ROUTE53_METRICS_REGION = "us-east-1";

/** The partition whose Route 53 metrics live in us-east-1 and whose console is console.aws.amazon.com. */
const PARTITION = "aws";

/**
 * The DynamoDB operations RegionalApi's handlers call (their roles allow exactly these): the
 * `Operation` dimension of `ThrottledRequests`; `PutItem` is the only write.
 */
export const TABLE_OPERATIONS = ["GetItem", "PutItem"] as const;
const WRITE_OPERATION = "PutItem";

/** PeerProbe's metric (functions/peer publishes it; a spec checks the dashboard names what its alarms watch). */
const PEER_METRIC_NAME = "PeerHealthy";

/** Seconds of the replication alarms' period: five minutes. */
const REPLICATION_PERIOD_SECONDS = 300;

/** Every argument of `FailoverObservability`; anything else is a typo, refused rather than ignored. */
const ARGUMENTS = Object.keys({
    serviceName: true,
    region: true,
    apiName: true,
    stageName: true,
    apiFunctionName: true,
    healthFunctionName: true,
    tableName: true,
    tableRegion: true,
    replicaRegions: true,
    certificateArn: true,
    checks: true,
    switchMetric: true,
    alarms: true,
    peerAlarms: true,
    notifications: true,
    replicationLatencyThresholdMs: true,
    certificateExpiryDays: true,
    tags: true,
} satisfies Record<keyof FailoverObservabilityArgs, true>);

const CHECK_KEYS = Object.keys({
    role: true,
    label: true,
    healthCheckId: true,
} satisfies Record<keyof ObservedHealthCheck, true>);
const SWITCH_KEYS = Object.keys({
    region: true,
    namespace: true,
    metricName: true,
    dimensions: true,
} satisfies Record<keyof ObservedSwitchMetric, true>);
const ALARM_KEYS = Object.keys({ region: true, arn: true } satisfies Record<
    keyof ObservedAlarm,
    true
>);
const PEER_KEYS = Object.keys({
    peer: true,
    arn: true,
    namespace: true,
} satisfies Record<keyof ObservedPeerAlarm, true>);
const NOTIFICATION_KEYS = Object.keys({
    emails: true,
    httpsEndpoints: true,
    topicArns: true,
} satisfies Record<keyof NotificationTargets, true>);

// ---- Rules ---------------------------------------------------------------------------------------

/** A region of the `aws` partition, where Route 53's metrics live in us-east-1. */
const commercialRegion: Rule = (v) =>
    isAwsRegion(v) && partitionOf(v) === PARTITION
        ? undefined
        : "an AWS region of the aws partition such as us-east-1 (Route 53's metrics, which this component watches, live in us-east-1 there)";

/** Whether `v` is a region this component accepts (one mistake, one message: else not compared). */
const isRegion = (v: unknown): v is string => commercialRegion(v) === undefined;

/** CloudWatch dimension values and metric names: 1-255 characters. */
const metricText: Rule = (v) =>
    typeof v === "string" && v.length >= 1 && v.length <= 255
        ? undefined
        : "a non-empty string of at most 255 characters";

/** Lambda function names (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html). */
const functionName: Rule = (v) =>
    typeof v === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(v)
        ? undefined
        : 'a Lambda function name: 1-64 letters, digits, "-" or "_"';

const label: Rule = (v) =>
    typeof v === "string" && v.length >= 1 && v.length <= 64 ? undefined : "1-64 characters";

const healthCheckId: Rule = (v) =>
    typeof v === "string" && /^[A-Za-z0-9-]{1,64}$/.test(v)
        ? undefined
        : "a Route 53 health check id";

/** The region and resource of an ARN of `service` in the aws partition, or undefined. */
function arnOf(service: string, v: unknown): { region: string; resource: string } | undefined {
    if (typeof v !== "string") {
        return undefined;
    }
    const m = new RegExp(`^arn:${PARTITION}:${service}:([a-z0-9-]+):(\\d{12}):(.+)$`).exec(v);
    return m ? { region: m[1], resource: m[3] } : undefined;
}

/** An ACM certificate in `region`: API Gateway REGIONAL domains use certificates of their region. */
const certificateIn =
    (region: unknown): Rule =>
    (v) => {
        const arn = arnOf("acm", v);
        const ok =
            arn !== undefined &&
            /^certificate\/[A-Za-z0-9-]+$/.test(arn.resource) &&
            (!isRegion(region) || arn.region === region);
        return ok
            ? undefined
            : `an ACM certificate ARN in [region]${isRegion(region) ? ` (${region})` : ""}: a REGIONAL custom domain's certificate lives in its API's region, where ACM publishes DaysToExpiry`;
    };

/** A CloudWatch alarm ARN in `region`. */
const alarmIn =
    (region: unknown, where: string): Rule =>
    (v) => {
        const arn = arnOf("cloudwatch", v);
        const ok =
            arn !== undefined &&
            /^alarm:.+$/.test(arn.resource) &&
            (!isRegion(region) || arn.region === region);
        return ok
            ? undefined
            : `a CloudWatch alarm ARN in ${where}${isRegion(region) ? ` (${region})` : ""}`;
    };

const email: Rule = (v) =>
    typeof v === "string" && v.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)
        ? undefined
        : "an e-mail address";

const httpsEndpoint: Rule = (v) => {
    const allowed = "an https:// URL";
    if (typeof v !== "string") {
        return allowed;
    }
    try {
        const url = new URL(v);
        return url.protocol === "https:" && url.hostname !== "" ? undefined : allowed;
    } catch {
        return allowed;
    }
};

/** An SNS topic ARN in one of `regions`. */
const topicIn =
    (regions: readonly string[]): Rule =>
    (v) => {
        const arn = arnOf("sns", v);
        const ok =
            arn !== undefined &&
            /^\d{12}:[A-Za-z0-9_-]{1,256}$/.test(String(v).split(":").slice(4).join(":")) &&
            regions.includes(arn.region);
        return ok
            ? undefined
            : `an SNS topic ARN in a region where this component's alarms live (${regions.join(", ")}): CloudWatch alarms notify topics in their own region only`;
    };

// ---- Validation ----------------------------------------------------------------------------------

/** What the arguments make of the regions, once they are valid. */
interface Regions {
    /** Regions that replicate writes into `region`: each holds two replication alarms. */
    readonly senders: string[];
    /** Regions with a topic: where notifying alarms live, in this order, each once. */
    readonly topics: string[];
}

function senderRegions(args: FailoverObservabilityArgs): string[] {
    const given: unknown = args.replicaRegions;
    if (Array.isArray(given)) {
        return given.filter((r): r is string => typeof r === "string");
    }
    return args.region === args.tableRegion ? [] : [args.tableRegion];
}

function regionsOf(args: FailoverObservabilityArgs): Regions {
    const senders = senderRegions(args);
    const topics = [
        args.region,
        ROUTE53_METRICS_REGION,
        ...(args.switchMetric ? [args.switchMetric.region] : []),
        ...senders,
    ].filter(isAwsRegion);
    return { senders, topics: [...new Set(topics)] };
}

/** A list argument: undefined (when optional) or an array of plain objects with `keys`. */
function eachObject(
    p: ArgProblems,
    arg: string,
    value: unknown,
    keys: readonly string[],
    [one, many]: [string, string],
    check: (item: Record<string, unknown>, at: string, i: number) => void,
): void {
    if (value === undefined) {
        return;
    }
    if (!Array.isArray(value)) {
        p.check(false, arg, `must be a list of ${many} (got ${shown(value)})`);
        return;
    }
    value.forEach((item: unknown, i) => {
        const at = `${arg}[${i}]`;
        if (!isPlainObject(item)) {
            p.check(false, at, `must be ${one} (got ${shown(item)})`);
            return;
        }
        p.unknownKeys(item, keys, at);
        check(item, at, i);
    });
}

/** Reports every value of `values` listed twice, at its second place. */
function distinct(p: ArgProblems, arg: string, values: unknown[], what: string): void {
    const seen = new Set<unknown>();
    values.forEach((v, i) => {
        const plain = known(v);
        if (plain === undefined) {
            return;
        }
        p.check(
            !seen.has(plain),
            `${arg}[${i}]`,
            `must name ${what} no other entry names (got ${shown(plain)} again)`,
        );
        seen.add(plain);
    });
}

function validateReplicas(p: ArgProblems, args: FailoverObservabilityArgs): void {
    const replicas: unknown = args.replicaRegions;
    const tableOwner = args.region === args.tableRegion;
    if (replicas === undefined) {
        p.check(
            !tableOwner || !isRegion(args.region),
            "replicaRegions",
            `is required when [region] is [tableRegion] (${shown(args.region)}): name the regions holding the table's other replicas, whose replication into ${String(args.region)} the alarms watch`,
        );
        return;
    }
    if (!Array.isArray(replicas) || replicas.length === 0) {
        p.check(
            false,
            "replicaRegions",
            `must be a list of at least one region holding a replica of the table (got ${shown(replicas)})`,
        );
        return;
    }
    replicas.forEach((r: unknown, i) => {
        p.required(`replicaRegions[${i}]`, r, commercialRegion);
        p.check(
            r !== args.region,
            `replicaRegions[${i}]`,
            `must not be [region] (${shown(r)}): a replica does not replicate into itself`,
        );
    });
    distinct(p, "replicaRegions", replicas, "a region");
    p.check(
        tableOwner || !isAwsRegion(args.tableRegion) || replicas.includes(args.tableRegion),
        "replicaRegions",
        `must include [tableRegion] (${shown(args.tableRegion)}): the table's own region holds a replica too`,
    );
}

function validateChecks(p: ArgProblems, checks: unknown): void {
    const shapes: [string, string] = [
        "a health check { role, label?, healthCheckId }",
        "health checks { role, label?, healthCheckId }, exactly one of role endpoint and one of role routed",
    ];
    if (!Array.isArray(checks)) {
        p.required("checks", checks, () => `a list of ${shapes[1]}`);
        return;
    }
    eachObject(p, "checks", checks, CHECK_KEYS, shapes, (c, at) => {
        p.required(`${at}.role`, c.role, oneOf(Object.values(HealthCheckRole)));
        p.rule(`${at}.label`, c.label, label);
        p.required(`${at}.healthCheckId`, c.healthCheckId, healthCheckId);
    });
    if (!checks.every(isPlainObject)) {
        // Counted once every entry is a check (a malformed one is reported as such).
        return;
    }
    for (const role of [HealthCheckRole.Endpoint, HealthCheckRole.Routed]) {
        const count = checks.filter((c) => c.role === role).length;
        p.check(
            count === 1,
            "checks",
            `must hold exactly one check of role "${role}" (got ${count})${role === HealthCheckRole.Routed ? ": the check attached to the routed record (the endpoint check itself when there are no guards)" : ""}`,
        );
    }
}

function validateSwitch(p: ArgProblems, sw: unknown): void {
    if (sw === undefined) {
        return;
    }
    if (!isPlainObject(sw)) {
        p.check(
            false,
            "switchMetric",
            `must be { region, namespace, metricName, dimensions } (got ${shown(sw)})`,
        );
        return;
    }
    p.unknownKeys(sw, SWITCH_KEYS, "switchMetric");
    p.required("switchMetric.region", sw.region, commercialRegion);
    p.required("switchMetric.namespace", sw.namespace, metricText);
    p.required("switchMetric.metricName", sw.metricName, metricText);
    const dims = sw.dimensions;
    if (!isPlainObject(dims) || Object.keys(dims).length === 0 || Object.keys(dims).length > 30) {
        p.check(
            false,
            "switchMetric.dimensions",
            `must be a map of 1-30 dimension names to values (got ${shown(dims)})`,
        );
        return;
    }
    for (const [k, v] of Object.entries(dims)) {
        p.check(
            metricText(k) === undefined,
            "switchMetric.dimensions",
            `name ${shown(k)} must be a non-empty string of at most 255 characters`,
        );
        p.required(`switchMetric.dimensions.${k}`, v, metricText);
    }
}

function validateAlarms(p: ArgProblems, args: FailoverObservabilityArgs): void {
    const alarmShapes: [string, string] = ["an alarm { region, arn }", "alarms { region, arn }"];
    eachObject(p, "alarms", args.alarms, ALARM_KEYS, alarmShapes, (a, at) => {
        p.required(`${at}.region`, a.region, commercialRegion);
        p.required(`${at}.arn`, a.arn, alarmIn(a.region, `[${at}.region]`));
    });
    const peers: unknown = args.peerAlarms;
    eachObject(
        p,
        "peerAlarms",
        peers,
        PEER_KEYS,
        ["a peer alarm { peer, arn, namespace? }", "peer alarms { peer, arn, namespace? }"],
        (a, at) => {
            p.required(`${at}.peer`, a.peer, commercialRegion);
            p.check(
                a.peer !== args.region,
                `${at}.peer`,
                `must not be [region] (${shown(a.peer)}): a region cannot observe itself from outside`,
            );
            p.required(`${at}.arn`, a.arn, alarmIn(args.region, "[region]"));
            p.rule(`${at}.namespace`, a.namespace, metricText);
        },
    );
    if (Array.isArray(peers)) {
        distinct(
            p,
            "peerAlarms",
            peers.map((a: unknown) => (isPlainObject(a) ? a.peer : undefined)),
            "a peer",
        );
    }
}

function validateNotifications(p: ArgProblems, n: unknown, topicRegions: string[]): void {
    if (n === undefined) {
        return;
    }
    if (!isPlainObject(n)) {
        p.check(
            false,
            "notifications",
            `must be { emails?, httpsEndpoints?, topicArns? } (got ${shown(n)})`,
        );
        return;
    }
    p.unknownKeys(n, NOTIFICATION_KEYS, "notifications");
    for (const [key, rule] of [
        ["emails", email],
        ["httpsEndpoints", httpsEndpoint],
        ["topicArns", topicIn(topicRegions)],
    ] as const) {
        const list = n[key];
        const arg = `notifications.${key}`;
        if (list === undefined) {
            continue;
        }
        if (!Array.isArray(list)) {
            p.check(false, arg, `must be a list (got ${shown(list)})`);
            continue;
        }
        list.forEach((v: unknown, i) => p.required(`${arg}[${i}]`, v, rule));
        distinct(p, arg, list, key === "emails" ? "an address" : "an endpoint");
    }
}

/** CloudWatch's limits on what this component writes: alarm names, descriptions, dashboard name. */
function validateTexts(p: ArgProblems, texts: Texts): void {
    for (const { name, description } of texts.alarms) {
        p.check(
            name.length <= 255,
            "serviceName",
            `is too long for the alarm name ${shown(name)} (${name.length} characters; CloudWatch allows 255)`,
        );
        p.check(
            description.length <= 1024,
            "serviceName",
            `is too long for the description of the alarm ${shown(name)} (${description.length} characters; CloudWatch allows 1024)`,
        );
    }
    p.check(
        texts.dashboard.length <= 255,
        "serviceName",
        `is too long for the dashboard name ${shown(texts.dashboard)} (${texts.dashboard.length} characters; CloudWatch allows 255)`,
    );
}

/** An alarm-status widget shows at most 100 alarms: one widget per region. */
function validateWidgetSizes(p: ArgProblems, args: FailoverObservabilityArgs, own: string[]): void {
    const alarms: unknown = args.alarms;
    const given = Array.isArray(alarms)
        ? alarms.map((a: unknown) => (isPlainObject(a) ? a.region : undefined))
        : [];
    for (const region of new Set([...given, ...own])) {
        const count =
            given.filter((r) => r === region).length + own.filter((r) => r === region).length;
        p.check(
            count <= 100,
            "alarms",
            `must leave room in ${shown(region)}'s alarm-status widget: at most 100 alarms per region, this component's own included (got ${count})`,
        );
    }
}

function validate(name: string, args: FailoverObservabilityArgs): void {
    const p = new ArgProblems("FailoverObservability", name);
    const regions = regionsOf(args);
    p.name(name, derivedNames(regions.topics), RESOURCE_NAME_CHARACTERS);
    p.unknownKeys(args, ARGUMENTS);
    p.required("serviceName", args.serviceName, dnsName);
    p.required("region", args.region, commercialRegion);
    p.required("apiName", args.apiName, metricText);
    p.required("stageName", args.stageName, metricText);
    p.required("apiFunctionName", args.apiFunctionName, functionName);
    p.required("healthFunctionName", args.healthFunctionName, functionName);
    const [apiFn, healthFn] = [known(args.apiFunctionName), known(args.healthFunctionName)];
    p.check(
        apiFn === undefined || apiFn !== healthFn,
        "healthFunctionName",
        `must differ from [apiFunctionName] (both ${shown(apiFn)})`,
    );
    p.required("tableName", args.tableName, tableName);
    p.required("tableRegion", args.tableRegion, commercialRegion);
    validateReplicas(p, args);
    p.required("certificateArn", args.certificateArn, certificateIn(args.region));
    validateChecks(p, args.checks);
    validateSwitch(p, args.switchMetric);
    validateAlarms(p, args);
    validateNotifications(p, args.notifications, regions.topics);
    p.rule(
        "replicationLatencyThresholdMs",
        args.replicationLatencyThresholdMs,
        integerFrom(1, 86_400_000, " milliseconds"),
    );
    p.rule("certificateExpiryDays", args.certificateExpiryDays, (v) =>
        integerFrom(1, 59)(v) === undefined
            ? undefined
            : "an integer from 1 to 59 days: ACM renews from 60 days before expiry, so a higher value would alarm on every healthy renewal",
    );
    p.tags(args.tags, AWS_TAG_LIMITS);
    // The names are judged once what they are made of is valid (else reported above).
    if (dnsName(args.serviceName) === undefined && commercialRegion(args.region) === undefined) {
        const texts = textsOf(args, regions);
        validateTexts(p, texts);
        validateWidgetSizes(p, args, texts.alarmRegions);
    }
    p.throwIfAny();
}

/** Topic names Pulumi derives from the component's name: at most 256 characters. */
function derivedNames(topicRegions: string[]): DerivedName[] {
    const longest = [...topicRegions, ROUTE53_METRICS_REGION].reduce((a, b) =>
        b.length > a.length ? b : a,
    );
    return [{ suffix: `-${longest}-topic`, what: "SNS topic", maxLength: 256, autonamed: true }];
}

// ---- What operators read ------------------------------------------------------------------------

/** An alarm's name (the subject of its e-mails) and description: what happened, what to run. */
interface AlarmText {
    readonly name: string;
    readonly description: string;
}

/** Every text this component writes for operators, from valid arguments. */
interface Texts {
    readonly dashboard: string;
    readonly routed: AlarmText;
    readonly switch: AlarmText | undefined;
    readonly latency: (sender: string) => AlarmText;
    readonly stalled: (sender: string) => AlarmText;
    readonly certificate: AlarmText;
    readonly peer: (peer: string) => AlarmText;
    /** Every alarm's text, for CloudWatch's limits. */
    readonly alarms: AlarmText[];
    /** The region of each metric alarm, in the order the component creates them. */
    readonly alarmRegions: string[];
}

const STATUS = "`npx multi-region-api status`";
const READINESS = "`npx multi-region-api readiness`";
const seconds = (ms: number) => String(ms / 1000);

function textsOf(args: FailoverObservabilityArgs, regions: Regions): Texts {
    const d = FAILOVER_OBSERVABILITY_DEFAULTS;
    const { serviceName: service, region, switchMetric: sw } = args;
    const threshold = seconds(
        args.replicationLatencyThresholdMs ?? d.replicationLatencyThresholdMs,
    );
    const days = args.certificateExpiryDays ?? d.certificateExpiryDays;
    const stale = `${region} lacks recent writes: do not move traffic to ${region} (failover or failback) until it recovers; check with ${READINESS}.`;
    const texts = {
        dashboard: `${service}-${region}`.replace(/[^A-Za-z0-9_-]/g, "-"),
        routed: {
            name: `${service} ${region} out of DNS (routed health check unhealthy)`,
            description: `ALARM: Route 53 counts the routed record of ${service} for ${region} as unhealthy, so DNS stops sending clients to ${region} (failover routing: the other region answers, or the PRIMARY anyway when both are unhealthy; latency routing: the nearest healthy region). OK: healthy again, ${region} is back in DNS (a PRIMARY takes its traffic back: failback). Run ${STATUS} to see where the name points and why, and ${READINESS} before acting. This alarm lives in us-east-1 with Route 53's metrics and goes dark when us-east-1 is impaired: then the peer alarms of the other regions notify.`,
        },
        switch: sw && {
            name: `${service} ${region} drained by its operator switch`,
            description: `ALARM: the operator switch of ${service} for ${region} (${sw.namespace} ${sw.metricName} in ${sw.region}) is engaged: ${region} is out of DNS on purpose until it is released. OK: released; ${region} takes traffic again once its health checks pass. Release it with \`npx multi-region-api failback --to ${region}\` once ${READINESS} passes; ${STATUS} shows where the name points.`,
        },
        latency: (sender: string) => ({
            name: `${service} replication ${sender} to ${region} slower than ${threshold} s`,
            description: `ALARM: writes to ${service}'s table made in ${sender} took more than ${threshold} s on average over 5 minutes to reach ${region} (DynamoDB ReplicationLatency, measured in ${sender}). ${stale} OK: back under ${threshold} s.`,
        }),
        stalled: (sender: string) => ({
            name: `${service} replication ${sender} to ${region} stalled`,
            description: `ALARM: clients wrote to ${service}'s table in ${sender} (successful ${WRITE_OPERATION}) in 2 of the last 3 five-minute periods while no replication to ${region} was measured (no ReplicationLatency above 0 ms): replication ${sender} to ${region} has stalled. ${stale} OK: replication resumed. A stall while nobody writes in ${sender} cannot be seen, and loses nothing.`,
        }),
        certificate: {
            name: `${service} ${region} certificate expires within ${days} days`,
            description: `ALARM: the ACM certificate of ${service} in ${region} expires within ${days} days. ACM renews DNS-validated certificates from 60 days before expiry, so its renewal is failing: check the certificate in ACM (${region}) and that its validation CNAME records are still in the hosted zone. Once it expires, ${region}'s custom domains fail TLS, its health check fails and it leaves DNS. OK: renewed.`,
        },
        peer: (peer: string) => ({
            name: `${service} ${peer} unhealthy as seen from ${region}`,
            description: `ALARM: ${service} in ${peer} failed ${region}'s own probe of its /health (PeerProbe, PeerHealthy in ${region}), or the probe stopped reporting. This notification needs neither us-east-1 nor Route 53: it still arrives when us-east-1 is impaired. ${peer} may be unable to serve: run ${STATUS} and ${READINESS}; if ${peer} is down and still in DNS, take it out with \`npx multi-region-api failover --from ${peer}\` (its switch). OK: ${peer} answers ${region}'s probe again.`,
        }),
    };
    const given: unknown = args.peerAlarms;
    const peers = (Array.isArray(given) ? given : [])
        .map((a: unknown) => (isPlainObject(a) ? a.peer : undefined))
        .filter((peer): peer is string => typeof peer === "string")
        .map(texts.peer);
    const metricAlarms: [AlarmText, string][] = [
        [texts.routed, ROUTE53_METRICS_REGION],
        ...(texts.switch && sw ? [[texts.switch, sw.region] as [AlarmText, string]] : []),
        ...regions.senders.flatMap((s): [AlarmText, string][] => [
            [texts.latency(s), s],
            [texts.stalled(s), s],
        ]),
        [texts.certificate, region],
    ];
    return {
        ...texts,
        alarms: [...metricAlarms.map(([t]) => t), ...peers],
        alarmRegions: metricAlarms.map(([, r]) => r),
    };
}

// ---- Builders ------------------------------------------------------------------------------------

type Tags = pulumi.Input<{ [key: string]: pulumi.Input<string> }>;

/** What every builder needs. */
interface Context {
    readonly name: string;
    readonly parent: FailoverObservability;
    readonly args: FailoverObservabilityArgs;
    readonly texts: Texts;
    readonly tags: Tags;
    readonly accountId: pulumi.Output<string>;
    /** An error attached to the component, for problems found only at deploy time. */
    readonly failed: (message: string) => pulumi.ResourceError;
}

/** A region's topic and what an alarm there needs to notify it. */
interface RegionalTopic {
    readonly topic: sns.Topic;
    readonly policy: sns.TopicPolicy;
    /** The topic and the existing topics of this region. */
    readonly actions: pulumi.Input<string>[];
}

const short = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 8);

/**
 * A customer managed key that CloudWatch alarms may use: they cannot publish to a topic encrypted
 * with the AWS managed key `alias/aws/sns`, whose policy cannot be changed to let them.
 */
function createKey(ctx: Context, region: string): kms.Key {
    return new kms.Key(
        `${ctx.name}-${region}-key`,
        {
            region,
            description: `Encrypts the failover notifications of ${ctx.args.serviceName} in ${region} (SNS topic); CloudWatch alarms use it to publish.`,
            enableKeyRotation: true,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "AccountAdministersTheKey",
                        Effect: "Allow",
                        Principal: {
                            AWS: pulumi.interpolate`arn:${PARTITION}:iam::${ctx.accountId}:root`,
                        },
                        Action: "kms:*",
                        Resource: "*",
                    },
                    {
                        // As AWS documents it, unconditioned: the topic policy is what admits
                        // this account's alarms only.
                        Sid: "CloudWatchAlarmsPublishEncrypted",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                        Resource: "*",
                    },
                ],
            }),
            tags: ctx.tags,
        },
        { parent: ctx.parent },
    );
}

/**
 * The region's topic, encrypted with its own key, that this account's CloudWatch alarms in that
 * region (and nothing else) may publish to, with the e-mail and HTTPS subscriptions. A topic's
 * `id` is its ARN (@pulumi/aws: `arn` is "a clone of id").
 */
function createTopic(ctx: Context, region: string, existing: string[]): RegionalTopic {
    const opts = { parent: ctx.parent };
    const n = `${ctx.name}-${region}`;
    const key = createKey(ctx, region);
    const topic = new sns.Topic(
        `${n}-topic`,
        { region, kmsMasterKeyId: key.id, tags: ctx.tags },
        opts,
    );
    const policy = new sns.TopicPolicy(
        `${n}-topic-policy`,
        {
            region,
            arn: topic.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ThisAccountsAlarmsInThisRegionPublish",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: topic.id,
                        Condition: {
                            StringEquals: { "aws:SourceAccount": ctx.accountId },
                            ArnLike: {
                                "aws:SourceArn": pulumi.interpolate`arn:${PARTITION}:cloudwatch:${region}:${ctx.accountId}:alarm:*`,
                            },
                        },
                    },
                ],
            }),
        },
        opts,
    );
    const targets = ctx.args.notifications ?? {};
    for (const [protocol, endpoints] of [
        ["email", targets.emails ?? []],
        ["https", targets.httpsEndpoints ?? []],
    ] as const) {
        for (const endpoint of endpoints) {
            // Named by a digest of the endpoint: reordering the list keeps every confirmation.
            new sns.TopicSubscription(
                `${n}-${protocol}-${short(endpoint)}`,
                { region, topic: topic.id, protocol, endpoint },
                opts,
            );
        }
    }
    return { topic, policy, actions: [topic.id, ...existing] };
}

interface MetricAlarmSettings {
    readonly resourceName: string;
    readonly text: AlarmText;
    readonly region: string;
    readonly metric?: {
        readonly namespace: string;
        readonly metricName: string;
        readonly dimensions: pulumi.Input<{ [name: string]: pulumi.Input<string> }>;
        readonly statistic: string;
    };
    readonly metricQueries?: inputs.cloudwatch.MetricAlarmMetricQuery[];
    readonly period?: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly threshold: number;
    readonly comparisonOperator: string;
    readonly treatMissingData: string;
}

/** A notifying alarm: OK and ALARM actions on its region's topics, created once it may publish. */
function createAlarm(
    ctx: Context,
    topics: Map<string, RegionalTopic>,
    s: MetricAlarmSettings,
): aws.cloudwatch.MetricAlarm {
    const topic = topics.get(s.region)!;
    return new aws.cloudwatch.MetricAlarm(
        s.resourceName,
        {
            region: s.region,
            name: s.text.name,
            alarmDescription: s.text.description,
            ...(s.metric ?? {}),
            ...(s.metricQueries ? { metricQueries: s.metricQueries } : { period: s.period }),
            evaluationPeriods: s.evaluationPeriods,
            datapointsToAlarm: s.datapointsToAlarm,
            threshold: s.threshold,
            comparisonOperator: s.comparisonOperator,
            treatMissingData: s.treatMissingData,
            alarmActions: topic.actions,
            okActions: topic.actions,
            tags: ctx.tags,
        },
        { parent: ctx.parent, dependsOn: [topic.policy] },
    );
}

/** Route 53's view of the routed record's check, in us-east-1 (its metrics exist nowhere else). */
function routedAlarm(ctx: Context, topics: Map<string, RegionalTopic>) {
    const routed = ctx.args.checks.find((c) => c.role === HealthCheckRole.Routed)!;
    return createAlarm(ctx, topics, {
        resourceName: `${ctx.name}-routed-check-alarm`,
        text: ctx.texts.routed,
        region: ROUTE53_METRICS_REGION,
        metric: {
            namespace: "AWS/Route53",
            metricName: "HealthCheckStatus",
            dimensions: { HealthCheckId: routed.healthCheckId },
            statistic: "Minimum",
        },
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        // Hold the last state through gaps in Route 53's metrics: no false OK after a gap.
        treatMissingData: "ignore",
    });
}

/** The operator switch, in its own region: engaged (ALARM) or released (OK). */
function switchAlarm(ctx: Context, topics: Map<string, RegionalTopic>, sw: ObservedSwitchMetric) {
    return createAlarm(ctx, topics, {
        resourceName: `${ctx.name}-switch-alarm`,
        text: ctx.texts.switch!,
        region: sw.region,
        metric: {
            namespace: sw.namespace,
            metricName: sw.metricName,
            dimensions: sw.dimensions,
            statistic: "Maximum",
        },
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        // The switch publishes only when flipped: its state lasts until the next flip.
        treatMissingData: "ignore",
    });
}

/**
 * Replication from `sender` into this region, where DynamoDB publishes it (in the sender): slow
 * (average above the threshold over 5 minutes) and stalled. AWS/DynamoDB alarms ignore missing
 * data whatever they are told, so "no ReplicationLatency" cannot breach by itself: stalled is
 * "clients wrote in the sender (successful PutItem) and no replication above 0 ms reached this
 * region", in 2 of 3 five-minute periods. A stall while nobody writes in the sender is not seen
 * (and loses nothing).
 */
function replicationAlarms(
    ctx: Context,
    topics: Map<string, RegionalTopic>,
    sender: string,
    tableName: pulumi.Input<string>,
) {
    const { region } = ctx.args;
    const d = FAILOVER_OBSERVABILITY_DEFAULTS;
    const threshold = ctx.args.replicationLatencyThresholdMs ?? d.replicationLatencyThresholdMs;
    const replication = { TableName: tableName, ReceivingRegion: region };
    const latency = createAlarm(ctx, topics, {
        resourceName: `${ctx.name}-${sender}-replication-latency-alarm`,
        text: ctx.texts.latency(sender),
        region: sender,
        metric: {
            namespace: "AWS/DynamoDB",
            metricName: "ReplicationLatency",
            dimensions: replication,
            statistic: "Average",
        },
        period: REPLICATION_PERIOD_SECONDS,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold,
        comparisonOperator: "GreaterThanThreshold",
        // AWS/DynamoDB alarms ignore missing data anyway: said so, not left to a default.
        treatMissingData: "ignore",
    });
    const metric = (
        id: string,
        metricName: string,
        dimensions: Record<string, pulumi.Input<string>>,
        stat: string,
    ) => ({
        id,
        returnData: false,
        metric: {
            namespace: "AWS/DynamoDB",
            metricName,
            dimensions,
            stat,
            period: REPLICATION_PERIOD_SECONDS,
        },
    });
    const stalled = createAlarm(ctx, topics, {
        resourceName: `${ctx.name}-${sender}-replication-stalled-alarm`,
        text: ctx.texts.stalled(sender),
        region: sender,
        metricQueries: [
            metric(
                "writes",
                "SuccessfulRequestLatency",
                { TableName: tableName, Operation: WRITE_OPERATION },
                "SampleCount",
            ),
            metric("replication", "ReplicationLatency", replication, "Maximum"),
            {
                id: "stalled",
                label: `writes in ${sender} without replication to ${region}`,
                returnData: true,
                expression: "IF(FILL(writes, 0) > 0 AND FILL(replication, 0) <= 0, 1, 0)",
            },
        ],
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
    });
    return [latency, stalled];
}

/**
 * The certificate's days to expiry (ACM publishes them daily, in the certificate's region),
 * its ARN checked once known: a certificate of another region has no metric here.
 */
function certificateAlarm(ctx: Context, topics: Map<string, RegionalTopic>) {
    const { region } = ctx.args;
    const days =
        ctx.args.certificateExpiryDays ?? FAILOVER_OBSERVABILITY_DEFAULTS.certificateExpiryDays;
    const arn = pulumi.output(ctx.args.certificateArn).apply((value) => {
        const problem = problemWith(value, certificateIn(region));
        if (problem !== undefined) {
            throw ctx.failed(`[certificateArn] ${problem}`);
        }
        return value;
    });
    return createAlarm(ctx, topics, {
        resourceName: `${ctx.name}-certificate-alarm`,
        text: ctx.texts.certificate,
        region,
        metric: {
            namespace: "AWS/CertificateManager",
            metricName: "DaysToExpiry",
            dimensions: { CertificateArn: arn },
            statistic: "Minimum",
        },
        period: 86_400,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: days,
        comparisonOperator: "LessThanThreshold",
        // ACM publishes once a day: hold the state between data points.
        treatMissingData: "ignore",
    });
}

/**
 * A composite alarm that follows one PeerProbe alarm and notifies this region's topic: the
 * region's own view of a peer, which needs neither us-east-1 nor Route 53.
 */
function peerNotification(
    ctx: Context,
    topics: Map<string, RegionalTopic>,
    peer: ObservedPeerAlarm,
    i: number,
) {
    const { region } = ctx.args;
    const topic = topics.get(region)!;
    const text = ctx.texts.peer(peer.peer);
    const rule = pulumi.output(peer.arn).apply((arn) => {
        const problem = problemWith(arn, alarmIn(region, "[region]"));
        if (problem !== undefined) {
            throw ctx.failed(`[peerAlarms[${i}].arn] ${problem}`);
        }
        return `ALARM("${arn}")`;
    });
    return new aws.cloudwatch.CompositeAlarm(
        `${ctx.name}-${peer.peer}-peer-alarm`,
        {
            region,
            alarmName: text.name,
            alarmDescription: text.description,
            alarmRule: rule,
            alarmActions: topic.actions,
            okActions: topic.actions,
            tags: ctx.tags,
        },
        { parent: ctx.parent, dependsOn: [topic.policy] },
    );
}

// ---- Dashboard -----------------------------------------------------------------------------------

/** One entry of a metric widget's `metrics`: namespace, name, dimension pairs, options. */
type MetricEntry = (string | Record<string, unknown>)[];

interface Widget {
    type: "metric" | "text" | "alarm";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: Record<string, unknown>;
}

/** Widgets placed left to right, a new row when the next one does not fit. */
class Layout {
    readonly widgets: Widget[] = [];
    private x = 0;
    private y = 0;
    private rowHeight = 0;

    add(type: Widget["type"], width: number, height: number, properties: Record<string, unknown>) {
        if (this.x + width > 24) {
            this.newRow();
        }
        this.widgets.push({ type, x: this.x, y: this.y, width, height, properties });
        this.x += width;
        this.rowHeight = Math.max(this.rowHeight, height);
    }

    newRow() {
        if (this.x > 0) {
            this.y += this.rowHeight;
        }
        this.x = 0;
        this.rowHeight = 0;
    }
}

/** `[namespace, name, k1, v1, ..., { region, stat, label }]`: every metric says its region. */
function entry(
    namespace: string,
    metricName: string,
    dimensions: [string, string][],
    options: { region: string; stat: string; label: string } & Record<string, unknown>,
): MetricEntry {
    return [namespace, metricName, ...dimensions.flat(), options];
}

/** The region an entry's options name. */
const regionOfEntry = (e: MetricEntry) => String((e[e.length - 1] as { region: string }).region);

/**
 * A metric widget, one period for its lines; its title ends with the regions its metrics come
 * from, and its `region` is the first of them.
 */
function metricWidget(
    layout: Layout,
    width: number,
    title: string,
    metrics: MetricEntry[],
    extra: Record<string, unknown> = {},
) {
    const regions = [...new Set(metrics.map(regionOfEntry))];
    layout.add("metric", width, 6, {
        title: `${title} [${regions.join(", ")}]`,
        region: regions[0],
        view: "timeSeries",
        stacked: false,
        period: 60,
        metrics,
        ...extra,
    });
}

/** What the dashboard shows, every value known. */
interface DashboardFacts {
    readonly apiName: string;
    readonly stageName: string;
    readonly functions: [string, string][];
    readonly tableName: string;
    readonly checks: { label: string; id: string; role: HealthCheckRole }[];
    readonly alarms: [string, string[]][];
}

function headerText(args: FailoverObservabilityArgs, senders: string[]): string {
    const { serviceName: service, region, switchMetric } = args;
    const cli = (command: string) => `\`npx multi-region-api ${command}\``;
    return [
        `# ${service} in ${region}`,
        `Changes of routing, switch, replication and certificate are e-mailed/posted through this stack's SNS topics. Run from a clone of the project:`,
        `* ${cli("status")}: where ${service} points now (asked of the zone's name servers), each region's checks, switch, guards and /health`,
        `* ${cli(`readiness --region ${region}`)}: can ${region} take the traffic now (health, switch, certificate, replication)`,
        switchMetric
            ? `* ${cli(`failover --from ${region}`)}: take ${region} out of DNS with its switch (one PutMetricData call in ${switchMetric.region}; no Route 53 or us-east-1 call); ${cli(`failback --to ${region}`)} brings it back`
            : `* ${region} has no operator switch here: another region's stack drains it, or routing follows its health checks alone`,
        `Route 53's health-check metrics exist only in us-east-1: when us-east-1 is impaired those graphs go blank and their alarms go quiet. ${(args.peerAlarms ?? []).length > 0 ? `Then read **PeerHealthy** below (${region}'s own probe of its peers) and the peer alarms, which need neither.` : `${region} has no peer probe here: nothing on this screen or from this stack reports another region then.`}${senders.length > 0 ? ` Before moving traffic to ${region}, replication into it (${senders.join(", ")} to ${region}) must be flowing.` : ""}`,
    ].join("\n\n");
}

/** The health checks, once each (one id may serve two roles), labelled with every role it has. */
function distinctChecks(checks: DashboardFacts["checks"]): [string, string][] {
    const labels = new Map<string, string[]>();
    for (const c of checks) {
        labels.set(c.id, [...(labels.get(c.id) ?? []), c.label]);
    }
    return [...labels].map(([id, l]) => [id, l.join(" + ")]);
}

function routingWidgets(layout: Layout, args: FailoverObservabilityArgs, f: DashboardFacts) {
    const r53 = ROUTE53_METRICS_REGION;
    const statuses = distinctChecks(f.checks).map(([id, l]) =>
        entry("AWS/Route53", "HealthCheckStatus", [["HealthCheckId", id]], {
            region: r53,
            stat: "Minimum",
            label: l,
        }),
    );
    metricWidget(layout, 12, "Route 53 health checks: 1 healthy, 0 unhealthy", statuses, {
        yAxis: { left: { min: 0, max: 1 } },
    });
    const endpoint = f.checks.find((c) => c.role === HealthCheckRole.Endpoint)!;
    metricWidget(
        layout,
        6,
        "Checkers that see the endpoint healthy, %",
        [
            entry("AWS/Route53", "HealthCheckPercentageHealthy", [["HealthCheckId", endpoint.id]], {
                region: r53,
                stat: "Average",
                label: endpoint.label,
            }),
        ],
        { yAxis: { left: { min: 0, max: 100 } } },
    );
    const sw = args.switchMetric;
    if (sw) {
        metricWidget(
            layout,
            6,
            `Operator switch of ${args.region}: 1 engaged`,
            [
                entry(sw.namespace, sw.metricName, Object.entries(sw.dimensions), {
                    region: sw.region,
                    stat: "Maximum",
                    label: "switch",
                }),
            ],
            { yAxis: { left: { min: 0, max: 1 } } },
        );
    }
    layout.newRow();
}

function apiWidgets(layout: Layout, region: string, f: DashboardFacts) {
    const dims: [string, string][] = [
        ["ApiName", f.apiName],
        ["Stage", f.stageName],
    ];
    const api = (metricName: string, stat: string, label: string) =>
        entry("AWS/ApiGateway", metricName, dims, { region, stat, label });
    metricWidget(layout, 8, "API requests (Count, Sum)", [api("Count", "Sum", "requests")]);
    metricWidget(layout, 8, "API error rates (share of requests, Average)", [
        api("5XXError", "Average", "5XX rate"),
        api("4XXError", "Average", "4XX rate"),
    ]);
    metricWidget(layout, 8, "API latency, ms", [
        api("Latency", "p50", "p50"),
        api("Latency", "p99", "p99"),
    ]);
    const lambda = (metricName: string, stat: string) =>
        f.functions.map(([role, fn]) =>
            entry("AWS/Lambda", metricName, [["FunctionName", fn]], { region, stat, label: role }),
        );
    metricWidget(layout, 8, "Function errors (Sum)", lambda("Errors", "Sum"));
    metricWidget(layout, 8, "Function throttles (Sum)", lambda("Throttles", "Sum"));
    metricWidget(layout, 8, "Function duration p99, ms", lambda("Duration", "p99"));
    layout.newRow();
}

function tableWidgets(
    layout: Layout,
    args: FailoverObservabilityArgs,
    senders: string[],
    f: DashboardFacts,
) {
    const { region } = args;
    const threshold =
        args.replicationLatencyThresholdMs ??
        FAILOVER_OBSERVABILITY_DEFAULTS.replicationLatencyThresholdMs;
    const latency = (measuredIn: string, receiving: string) =>
        entry(
            "AWS/DynamoDB",
            "ReplicationLatency",
            [
                ["TableName", f.tableName],
                ["ReceivingRegion", receiving],
            ],
            { region: measuredIn, stat: "Average", label: `${measuredIn} to ${receiving}` },
        );
    const annotations = {
        annotations: { horizontal: [{ label: "alarm threshold", value: threshold }] },
    };
    if (senders.length > 0) {
        metricWidget(
            layout,
            8,
            `Replication into ${region}, ms (measured where it is sent)`,
            senders.map((s) => latency(s, region)),
            annotations,
        );
        metricWidget(
            layout,
            8,
            `Replication out of ${region}, ms`,
            senders.map((s) => latency(region, s)),
            annotations,
        );
    }
    metricWidget(
        layout,
        8,
        "Table throttled requests (Sum)",
        TABLE_OPERATIONS.map((op) =>
            entry(
                "AWS/DynamoDB",
                "ThrottledRequests",
                [
                    ["TableName", f.tableName],
                    ["Operation", op],
                ],
                { region, stat: "Sum", label: op },
            ),
        ),
    );
    layout.newRow();
}

function peerWidgets(layout: Layout, args: FailoverObservabilityArgs) {
    const { serviceName: service, region } = args;
    const peers = args.peerAlarms ?? [];
    if (peers.length === 0) {
        return;
    }
    metricWidget(
        layout,
        12,
        `Peers as ${region} sees them (PeerHealthy): 1 healthy, 0 not`,
        peers.map((p) =>
            entry(
                p.namespace ?? PEER_PROBE_DEFAULTS.namespace,
                PEER_METRIC_NAME,
                [
                    ["Service", service],
                    ["Peer", p.peer],
                    ["Observer", region],
                ],
                { region, stat: "Minimum", label: p.peer },
            ),
        ),
        { yAxis: { left: { min: 0, max: 1 } } },
    );
    layout.add("text", 12, 6, {
        markdown: `## When us-east-1 is impaired\n\nRoute 53's graphs above go blank, and so do the alarms and topic in us-east-1. ${region} probes ${peers.map((p) => p.peer).join(", ")} itself every minute and notifies through its own topic (${region}): a peer at 0 here is down as ${region} sees it. Take a down region out with \`npx multi-region-api failover --from <region>\` (its switch; no us-east-1 call).`,
    });
    layout.newRow();
}

function dashboardBody(args: FailoverObservabilityArgs, senders: string[], f: DashboardFacts) {
    const layout = new Layout();
    layout.add("text", 24, 6, { markdown: headerText(args, senders) });
    layout.newRow();
    routingWidgets(layout, args, f);
    apiWidgets(layout, args.region, f);
    tableWidgets(layout, args, senders, f);
    peerWidgets(layout, args);
    for (const [region, arns] of f.alarms) {
        layout.add("alarm", 8, 6, {
            title: `Failover alarms in ${region}`,
            alarms: arns,
            sortBy: "stateUpdatedTimestamp",
        });
    }
    return JSON.stringify({ widgets: layout.widgets });
}

/**
 * The dashboard, built once every value is known; the given alarms' ARNs are checked then (an
 * alarm of another region would show nothing in its region's widget).
 */
function createDashboard(
    ctx: Context,
    senders: string[],
    own: aws.cloudwatch.MetricAlarm[],
): aws.cloudwatch.Dashboard {
    const { args } = ctx;
    const given = args.alarms ?? [];
    // Each alarm with its region: this component's (in the order of `texts.alarmRegions`), then
    // the given ones; one widget per region, in order of first appearance.
    const alarms = [
        ...own.map((a, i) => ({ region: ctx.texts.alarmRegions[i], arn: a.arn, given: -1 })),
        ...given.map((a, i) => ({ region: a.region, arn: a.arn, given: i })),
    ];
    const facts = pulumi
        .all([
            args.apiName,
            args.stageName,
            args.apiFunctionName,
            args.healthFunctionName,
            args.tableName,
            pulumi.all(args.checks.map((c) => c.healthCheckId)),
            pulumi.all(alarms.map((a) => a.arn)),
        ])
        .apply(([apiName, stageName, api, health, table, checkIds, arns]): DashboardFacts => {
            const byRegion = new Map<string, string[]>();
            alarms.forEach((a, i) => {
                const arn = arns[i];
                const problem =
                    a.given < 0
                        ? undefined
                        : problemWith(arn, alarmIn(a.region, `[alarms[${a.given}].region]`));
                if (problem !== undefined) {
                    throw ctx.failed(`[alarms[${a.given}].arn] ${problem}`);
                }
                byRegion.set(a.region, [...(byRegion.get(a.region) ?? []), arn]);
            });
            return {
                apiName,
                stageName,
                functions: [
                    ["api", api],
                    ["health", health],
                ],
                tableName: table,
                checks: args.checks.map((c, i) => ({
                    role: c.role,
                    label: c.label ?? c.role,
                    id: checkIds[i],
                })),
                alarms: [...byRegion],
            };
        });
    return new aws.cloudwatch.Dashboard(
        `${ctx.name}-dashboard`,
        {
            region: args.region,
            dashboardName: ctx.texts.dashboard,
            dashboardBody: facts.apply((f) => dashboardBody(args, senders, f)),
        },
        { parent: ctx.parent },
    );
}

/**
 * One region's failover observability, for operators: a CloudWatch dashboard (Route 53's view of
 * the region's checks, the switch, the API, the functions, the table's replication and the peers,
 * every alarm's state, and the commands to run) and SNS notifications when routing changes.
 *
 * Notifying alarms, each on the topic of its own region (CloudWatch alarms notify topics in their
 * region only): the routed record's health check (us-east-1, where Route 53's metrics live), the
 * operator switch (its region), replication into this region slow or stalled (in each sending
 * region, where DynamoDB publishes `ReplicationLatency`), the certificate nearing expiry (this
 * region), and each `PeerProbe` alarm given (this region: the path that still notifies while
 * us-east-1 is impaired). Topics are encrypted with a customer managed key per region (CloudWatch
 * cannot publish to topics encrypted with `alias/aws/sns`) and admit this account's alarms of
 * their region only.
 *
 * Regions: every child names its region with the AWS provider's per-resource `region` input
 * (@pulumi/aws v7), so the component needs one provider, the inherited one, whatever regions it
 * reaches. A provider per region in `opts.providers` keyed by region is not a Pulumi providers
 * map (its keys are package names: the SDK warns and sends one provider per package), and a
 * provider among the args is not expressible in a package schema.
 */
export class FailoverObservability extends pulumi.ComponentResource {
    /** The dashboard, `<serviceName>-<region>` with every other character as "-". */
    public readonly dashboard: aws.cloudwatch.Dashboard;
    /** The console URL of the dashboard, in `region`. */
    public readonly dashboardUrl: pulumi.Output<string>;
    /** The notification topic of each region where a notifying alarm lives, by region. */
    public readonly topics: { [region: string]: sns.Topic };
    /**
     * The notifying metric alarms: routed check, switch (if any), replication latency and stall
     * per sending region, certificate.
     */
    public readonly alarms: aws.cloudwatch.MetricAlarm[];
    /** One composite alarm per peer alarm given, notifying this region's topic. */
    public readonly peerNotifications: aws.cloudwatch.CompositeAlarm[];

    constructor(
        name: string,
        args: FailoverObservabilityArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        // Before super(): bad input must fail before anything is registered.
        validate(name, args);
        super(
            componentType("FailoverObservability"),
            name,
            {},
            withPreviousType("FailoverObservability", opts),
        );
        const regions = regionsOf(args);
        const ctx: Context = {
            name,
            parent: this,
            args,
            texts: textsOf(args, regions),
            tags: args.tags ?? {},
            accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
            failed: (message) =>
                new pulumi.ResourceError(`FailoverObservability "${name}": ${message}`, this, true),
        };
        const existing = args.notifications?.topicArns ?? [];
        const topics = new Map(
            regions.topics.map((r) => [
                r,
                createTopic(
                    ctx,
                    r,
                    existing.filter((arn) => arnOf("sns", arn)?.region === r),
                ),
            ]),
        );
        this.alarms = [
            routedAlarm(ctx, topics),
            ...(args.switchMetric ? [switchAlarm(ctx, topics, args.switchMetric)] : []),
            ...regions.senders.flatMap((s) => replicationAlarms(ctx, topics, s, args.tableName)),
            certificateAlarm(ctx, topics),
        ];
        this.peerNotifications = (args.peerAlarms ?? []).map((p, i) =>
            peerNotification(ctx, topics, p, i),
        );
        this.dashboard = createDashboard(ctx, regions.senders, this.alarms);
        this.dashboardUrl = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards/dashboard/${this.dashboard.dashboardName}`;
        this.topics = Object.fromEntries([...topics].map(([r, t]) => [r, t.topic]));
        this.registerOutputs({ dashboardUrl: this.dashboardUrl });
    }
}
