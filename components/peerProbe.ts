import { createScheduledFunction } from "./scheduledFunction";
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { REGIONAL_API_DEFAULTS } from "./regionalApi";
import {
    AWS_TAG_LIMITS,
    ArgProblems,
    DerivedName,
    RESOURCE_NAME_CHARACTERS,
    Rule,
    awsRegion,
    dnsName,
    integerFrom,
    isAwsRegion,
    isPlainObject,
    problemWith,
    shown,
    logRetentionDays,
    metricNamespace,
} from "./validation";
import { componentType, withPreviousType } from "./typeToken";

/**
 * The metric the probe publishes, one datum per peer and minute: 1 healthy, 0 not. The handler
 * (functions/peer) publishes it under the same name; the library does not ship that module's
 * compiled form, so the name is written here too, and a spec checks they agree.
 */
const METRIC_NAME = "PeerHealthy";

/**
 * The function's timeout, seconds: each probe has a hard 3 s and the PutMetricData call a hard
 * 4 s, so a run ends within 7 s, and 10 s leaves room for a cold start.
 */
const FUNCTION_TIMEOUT_SECONDS = 10;

/** Defaults of `PeerProbeArgs`, in one place. */
export const PEER_PROBE_DEFAULTS = {
    evaluationPeriods: 2,
    namespace: "MultiRegionApi/Peers",
    logRetentionDays: REGIONAL_API_DEFAULTS.logRetentionDays,
} as const;

/** One peer region a `PeerProbe` watches. */
export interface PeerProbeTarget {
    /**
     * The peer's AWS region, for example `eu-west-1`: the metric's `Peer` dimension and part of
     * its alarm's name (so a plain string, known when the program runs).
     */
    readonly region: string;
    /**
     * The peer's own health URL, `https://<region>.<serviceName>/health` (a `RegionalApi`'s
     * `healthUrl`), never the routed name: the probe must reach that region and no other.
     */
    readonly healthUrl: pulumi.Input<string>;
    /**
     * Text a healthy answer carries within its first 5,120 bytes and an unhealthy one never does
     * (a `RegionalApi`'s `healthSearchString`), at most 255 characters as Route 53's.
     */
    readonly searchString: pulumi.Input<string>;
}

/** Arguments for `PeerProbe`. */
export interface PeerProbeArgs {
    /** The routed service name, for example `api.example.com`: the metric's `Service` dimension. */
    readonly serviceName: pulumi.Input<string>;
    /**
     * The peer regions to probe, each with its own metric and alarm: at least one, each region
     * once, none the probe's own region (the region of the inherited provider).
     */
    readonly peers: PeerProbeTarget[];
    /**
     * Consecutive minutes a peer must be unhealthy (or unreported) before its alarm is in ALARM:
     * 1-10.
     * @default 2
     */
    readonly evaluationPeriods?: number;
    /**
     * CloudWatch namespace of the `PeerHealthy` metric; the function may publish to it alone.
     * @default "MultiRegionApi/Peers"
     */
    readonly namespace?: pulumi.Input<string>;
    /**
     * Days to keep the probe's logs (one of the values CloudWatch Logs accepts).
     * @default 30
     */
    readonly logRetentionDays?: pulumi.Input<number>;
    /**
     * Tags for every child that takes tags.
     * @default no tags
     */
    readonly tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** Every argument of `PeerProbe`; anything else is a typo, refused rather than ignored. */
const ARGUMENTS = Object.keys({
    serviceName: true,
    peers: true,
    evaluationPeriods: true,
    namespace: true,
    logRetentionDays: true,
    tags: true,
} satisfies Record<keyof PeerProbeArgs, true>);

const PEER_KEYS = Object.keys({
    region: true,
    healthUrl: true,
    searchString: true,
} satisfies Record<keyof PeerProbeTarget, true>);

const peerList: Rule = (v) =>
    Array.isArray(v) && v.length > 0
        ? undefined
        : "a list of at least one peer, each { region, healthUrl, searchString }";

/** An https URL with a host and no credentials: the peer's own `/health`. */
const healthUrl: Rule = (v) => {
    const allowed =
        "an https:// URL of the peer's own health path, such as https://eu-west-1.api.example.com/health";
    if (typeof v !== "string") {
        return allowed;
    }
    try {
        const url = new URL(v);
        return url.protocol === "https:" &&
            url.hostname !== "" &&
            url.username === "" &&
            url.password === ""
            ? undefined
            : allowed;
    } catch {
        return allowed;
    }
};

/** Route 53's limit on a health check's search string, which the probe mirrors. */
const searchString: Rule = (v) =>
    typeof v === "string" && v.length >= 1 && v.length <= 255
        ? undefined
        : "1-255 characters, as a Route 53 search string";

/**
 * The AWS names Pulumi derives from the component's name, with AWS's limits: Lambda function, IAM
 * role and EventBridge rule names have at most 64 characters, alarm names 255.
 */
function derivedNames(peers: unknown): DerivedName[] {
    const regions = Array.isArray(peers)
        ? peers.map((p: unknown) => (isPlainObject(p) ? p.region : undefined)).filter(isAwsRegion)
        : [];
    return [
        { suffix: "-function", what: "Lambda function", maxLength: 64, autonamed: true },
        { suffix: "-role", what: "IAM role", maxLength: 64, autonamed: true },
        { suffix: "-schedule", what: "EventBridge rule", maxLength: 64, autonamed: true },
        ...regions.map((r) => ({
            suffix: `-${r}-alarm`,
            what: "CloudWatch alarm",
            maxLength: 255,
            autonamed: true,
        })),
    ];
}

function validatePeers(p: ArgProblems, peers: unknown): void {
    p.required("peers", peers, peerList);
    if (!Array.isArray(peers)) {
        return;
    }
    const seen = new Set<unknown>();
    peers.forEach((peer: unknown, i) => {
        const at = `peers[${i}]`;
        if (!isPlainObject(peer)) {
            p.check(
                false,
                at,
                `must be a peer { region, healthUrl, searchString } (got ${shown(peer)})`,
            );
            return;
        }
        p.unknownKeys(peer, PEER_KEYS, at);
        p.required(`${at}.region`, peer.region, awsRegion);
        p.check(
            typeof peer.region !== "string" || !seen.has(peer.region),
            `${at}.region`,
            `must name a region no other peer names (got ${shown(peer.region)} again)`,
        );
        seen.add(peer.region);
        p.required(`${at}.healthUrl`, peer.healthUrl, healthUrl);
        p.required(`${at}.searchString`, peer.searchString, searchString);
    });
}

function validate(name: string, args: PeerProbeArgs): void {
    const p = new ArgProblems("PeerProbe", name);
    p.name(name, derivedNames(args.peers), RESOURCE_NAME_CHARACTERS);
    p.unknownKeys(args, ARGUMENTS);
    p.required("serviceName", args.serviceName, dnsName);
    validatePeers(p, args.peers);
    p.rule("evaluationPeriods", args.evaluationPeriods, integerFrom(1, 10, " minutes"));
    p.rule("namespace", args.namespace, metricNamespace);
    p.rule("logRetentionDays", args.logRetentionDays, logRetentionDays);
    p.tags(args.tags, AWS_TAG_LIMITS);
    p.throwIfAny();
}

type Tags = pulumi.Input<{ [key: string]: pulumi.Input<string> }>;

/** What every builder needs. */
interface Context {
    readonly name: string;
    readonly parent: PeerProbe;
    readonly tags: Tags;
    /** An error attached to the component, for problems found only at deploy time. */
    readonly failed: (message: string) => pulumi.ResourceError;
}

/**
 * The probe's region (the observer), checked once known: a region is never its own peer. Every
 * alarm's `Observer` dimension and the function's peers come from it, so neither is created for
 * a probe that would watch itself.
 */
function observerRegion(ctx: Context, peers: PeerProbeTarget[]): pulumi.Output<string> {
    return aws.getRegionOutput({}, { parent: ctx.parent }).region.apply((region) => {
        if (peers.some((peer) => peer.region === region)) {
            throw ctx.failed(
                `[peers] must not list the probe's own region ${shown(region)}: a region cannot observe itself from outside`,
            );
        }
        return region;
    });
}

/**
 * The `PEERS` variable: the peers as JSON, each URL and search string checked again once known
 * (they may be Outputs), with the message a known bad value gets.
 */
function peersVariable(
    ctx: Context,
    peers: PeerProbeTarget[],
    observer: pulumi.Output<string>,
): pulumi.Output<string> {
    const resolved = peers.map((peer) => pulumi.all([peer.healthUrl, peer.searchString]));
    return pulumi.all([observer, pulumi.all(resolved)]).apply(([, values]) =>
        JSON.stringify(
            peers.map((peer, i) => {
                const [url, search] = values[i];
                for (const [field, value, rule] of [
                    ["healthUrl", url, healthUrl],
                    ["searchString", search, searchString],
                ] as const) {
                    const problem = problemWith(value, rule);
                    if (problem !== undefined) {
                        throw ctx.failed(`[peers[${i}].${field}] ${problem}`);
                    }
                }
                return { region: peer.region, healthUrl: url, searchString: search };
            }),
        ),
    );
}

interface AlarmSettings {
    readonly serviceName: pulumi.Input<string>;
    readonly namespace: pulumi.Input<string>;
    readonly observer: pulumi.Output<string>;
    readonly evaluationPeriods: number;
}

/**
 * One peer's alarm: in ALARM after `evaluationPeriods` minutes whose lowest value was 0, or that
 * had no value at all (a probe that stops reporting must not look healthy).
 */
function createAlarm(
    ctx: Context,
    peer: PeerProbeTarget,
    s: AlarmSettings,
): aws.cloudwatch.MetricAlarm {
    const minutes = s.evaluationPeriods;
    return new aws.cloudwatch.MetricAlarm(
        `${ctx.name}-${peer.region}-alarm`,
        {
            namespace: s.namespace,
            metricName: METRIC_NAME,
            dimensions: { Service: s.serviceName, Peer: peer.region, Observer: s.observer },
            statistic: "Minimum",
            period: 60,
            evaluationPeriods: minutes,
            datapointsToAlarm: minutes,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            treatMissingData: "breaching",
            alarmDescription: pulumi.interpolate`${s.serviceName} in ${peer.region}, as ${s.observer} sees it, failed its /health probe (status 200-399 and the search string within 3 s) for ${minutes} consecutive minute(s), or the probe in ${s.observer} stopped reporting, which counts the same. ${peer.region} may be unable to take ${s.observer}'s traffic: do not break or drain ${s.observer} now. Run \`multi-region-api status\` to see both regions; the probe's log group has each run's result.`,
            tags: ctx.tags,
        },
        { parent: ctx.parent },
    );
}

/**
 * A region's own observation of its peers' health: a Lambda function in the region of the
 * inherited provider GETs each peer's `/health` every minute, as Route 53's `HTTPS_STR_MATCH`
 * checks judge it (status 200-399, the search string within the first 5,120 bytes, a hard 3 s,
 * no redirects followed), and publishes `PeerHealthy` (1 or 0, dimensions `Service`, `Peer`,
 * `Observer`) in this region, with one alarm per peer. Route 53's own health-check metrics exist
 * only in us-east-1; these work while us-east-1 is impaired, for example as an AWS FIS stop
 * condition ("stop breaking this region if its peer is unhealthy"). The alarms count missing data
 * as unhealthy: do not back a Route 53 health check with them, or a probe that stops would take
 * a region out of DNS.
 */
export class PeerProbe extends pulumi.ComponentResource {
    /** The probe function. */
    public readonly function: aws.lambda.Function;
    /** The function's role: its logs, and PutMetricData in `namespace` alone. */
    public readonly role: aws.iam.Role;
    /** The function's log group: one entry per run, with every peer's result. */
    public readonly logGroup: aws.cloudwatch.LogGroup;
    /** The EventBridge rule that runs the probe every minute. */
    public readonly rule: aws.cloudwatch.EventRule;
    /** One alarm per peer, in the order of `peers`. */
    public readonly alarms: aws.cloudwatch.MetricAlarm[];
    /** The alarms' ARNs, in the order of `peers` (what an AWS FIS stop condition takes). */
    public readonly alarmArns: pulumi.Output<string[]>;
    /** The alarms' names, in the order of `peers`. */
    public readonly alarmNames: pulumi.Output<string[]>;
    /** The namespace of the `PeerHealthy` metric. */
    public readonly namespace: pulumi.Output<string>;

    constructor(name: string, args: PeerProbeArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before super(): bad input must fail before anything is registered.
        validate(name, args);
        super(componentType("PeerProbe"), name, {}, withPreviousType("PeerProbe", opts));
        const d = PEER_PROBE_DEFAULTS;
        const ctx: Context = {
            name,
            parent: this,
            tags: args.tags ?? {},
            failed: (message) =>
                new pulumi.ResourceError(`PeerProbe "${name}": ${message}`, this, true),
        };
        const namespace = args.namespace ?? d.namespace;
        const observer = observerRegion(ctx, args.peers);
        // PutMetricData authorizes against no resource: the namespace condition is its only scope.
        const probe = createScheduledFunction(ctx, {
            handler: "peer",
            what: "the peer probe",
            statements: [
                {
                    Effect: "Allow",
                    Action: "cloudwatch:PutMetricData",
                    Resource: "*",
                    Condition: { StringEquals: { "cloudwatch:namespace": namespace } },
                },
            ],
            environment: {
                PEERS: peersVariable(ctx, args.peers, observer),
                SERVICE: args.serviceName,
                NAMESPACE: namespace,
            },
            timeoutSeconds: FUNCTION_TIMEOUT_SECONDS,
            retentionInDays: args.logRetentionDays ?? d.logRetentionDays,
        });
        this.function = probe.function;
        this.role = probe.role;
        this.logGroup = probe.logGroup;
        this.rule = probe.rule;
        const settings: AlarmSettings = {
            serviceName: args.serviceName,
            namespace,
            observer,
            evaluationPeriods: args.evaluationPeriods ?? d.evaluationPeriods,
        };
        this.alarms = args.peers.map((peer) => createAlarm(ctx, peer, settings));
        this.alarmArns = pulumi.all(this.alarms.map((a) => a.arn));
        this.alarmNames = pulumi.all(this.alarms.map((a) => a.name));
        this.namespace = pulumi.output(namespace);
        this.registerOutputs({
            alarmArns: this.alarmArns,
            alarmNames: this.alarmNames,
            namespace: this.namespace,
        });
    }
}
