// Turns evaluated stacks into the offline plan: failover drills answered by the Route 53
// simulator, the failover time budget and the monthly cost. Everything here reads the resource
// graph only (never the project's config), so a wiring mistake shows up as a wrong answer.
import { SWITCH_METRIC } from "../components/alarmHealthCheck";
import type { ConfigFinding } from "../stack/crossStack";
import { EvaluatedStack, PlannedResource } from "./evaluate";
import { Budget, failoverBudget } from "./failoverBudget";
import { planFindings } from "./findings";
import { MonthlyCost, monthlyCost } from "./monthlyCost";
import type { Finding } from "./rules";
import {
    ENDPOINT_CHECK_TYPES,
    HealthInputs,
    SimHealthCheck,
    SimRecord,
    SimZone,
    healthCheckStatus,
    normalizeDnsName,
    resolve,
} from "./route53Simulator";

const RECORD = "aws:route53/record:Record";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const DOMAIN = "aws:apigateway/domainName:DomainName";

/** One drill: a named world state, what Route 53 would answer, and what the configuration intends. */
export interface Drill {
    scenario: string;
    /** The routed name the drill resolves. */
    name: string;
    /** Health checks the simulator finds unhealthy, as `<stack>/<resource name>`. */
    unhealthy: string[];
    answer: { region: string | null; target: string | null };
    /** The intended answer, in words: region and why. */
    expected: string;
    ok: boolean;
    /** Route 53 answered from its last resort (every record unhealthy). */
    failOpen: boolean;
}

export interface StackBudget {
    failoverSeconds: number | null;
    failbackSeconds: number | null;
    assumptions: string[];
    /** Per routed record of the stack. */
    records: { record: string; healthCheck: string | null; budget: Budget | null }[];
}

export interface StackPlan {
    region: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    budget: StackBudget;
    monthlyCostUsd: number;
    cost: MonthlyCost;
    /** What the guardrails found in this stack, including deployment rules run over every stack. */
    findings: Finding[];
}

export interface Plan {
    stacks: Record<string, StackPlan>;
    drills: Drill[];
    /** Configuration mistakes only visible across stacks, named by key. */
    crossStack: ConfigFinding[];
}

/** The whole graph of every stack, with ids made unique per stack. */
interface Graph {
    zones: SimZone[];
    records: SimRecord[];
    checks: SimHealthCheck[];
    /** Check id -> label. */
    labels: Map<string, string>;
    /** API Gateway regional domain name (alias target) -> region of its domain resource. */
    targetRegions: Map<string, string>;
    /** Custom domain name (health check target) -> region. */
    domainRegions: Map<string, string>;
    /** Operator switch alarms: protected region, key for the simulator, following checks. */
    switches: { protectedRegion: string; alarmKey: string; checkIds: string[] }[];
    /** `region/name` -> period and evaluation periods of every alarm. */
    alarms: Record<string, { period: number; evaluationPeriods: number }>;
}

const scoped = (stack: string, id: string) => `${stack}/${id}`;
const ofType = (s: EvaluatedStack, type: string) => s.resources.filter((r) => r.type === type);

function checkOf(stack: string, r: PlannedResource): SimHealthCheck {
    const inputs = r.inputs as Omit<SimHealthCheck, "id">;
    return {
        ...inputs,
        id: scoped(stack, r.id),
        childHealthchecks: inputs.childHealthchecks?.map((c) => scoped(stack, c)),
    };
}

function recordOf(stack: string, r: PlannedResource): SimRecord {
    const inputs = r.inputs as Omit<SimRecord, "label">;
    return {
        ...inputs,
        label: scoped(stack, r.name),
        healthCheckId: inputs.healthCheckId ? scoped(stack, inputs.healthCheckId) : undefined,
    };
}

function graphOf(stacks: EvaluatedStack[]): Graph {
    const g: Graph = {
        zones: [],
        records: [],
        checks: [],
        labels: new Map(),
        targetRegions: new Map(),
        domainRegions: new Map(),
        switches: [],
        alarms: {},
    };
    const zoneIds = new Set<string>();
    for (const s of stacks) {
        for (const z of s.zones.filter((z) => !zoneIds.has(z.id))) {
            zoneIds.add(z.id);
            g.zones.push(z);
        }
        for (const r of ofType(s, RECORD)) {
            g.records.push(recordOf(s.stack, r));
        }
        for (const r of ofType(s, HEALTH_CHECK)) {
            const check = checkOf(s.stack, r);
            g.checks.push(check);
            g.labels.set(check.id, scoped(s.stack, r.name));
        }
        for (const d of ofType(s, DOMAIN)) {
            if (!d.provider) {
                continue;
            }
            g.targetRegions.set(normalizeDnsName(String(d.state.regionalDomainName)), d.provider);
            g.domainRegions.set(normalizeDnsName(String(d.inputs.domainName)), d.provider);
        }
        for (const a of ofType(s, ALARM)) {
            const key = `${a.provider}/${String(a.state.name)}`;
            g.alarms[key] = {
                period: Number(a.inputs.period),
                evaluationPeriods: Number(a.inputs.evaluationPeriods),
            };
            const dims = (a.inputs.dimensions ?? {}) as Record<string, string>;
            if (
                a.inputs.namespace === SWITCH_METRIC.namespace &&
                a.inputs.metricName === SWITCH_METRIC.metricName &&
                dims.Region
            ) {
                g.switches.push({ protectedRegion: dims.Region, alarmKey: key, checkIds: [] });
            }
        }
    }
    for (const sw of g.switches) {
        sw.checkIds = g.checks
            .filter((c) => `${c.cloudwatchAlarmRegion}/${c.cloudwatchAlarmName}` === sw.alarmKey)
            .map((c) => c.id);
    }
    return g;
}

/** What is wrong with the world in a scenario. */
interface World {
    down: string[];
    /** Switches engaged (alarm in ALARM). */
    engaged: string[];
    /** Switches whose metric stopped; `true` = the last data engaged it. */
    noData?: Record<string, boolean>;
}

function healthInputs(g: Graph, w: World): HealthInputs {
    const inputs: Required<Pick<HealthInputs, "endpoints" | "alarms" | "lastKnown">> = {
        endpoints: {},
        alarms: {},
        lastKnown: {},
    };
    for (const c of g.checks.filter((c) => ENDPOINT_CHECK_TYPES.includes(c.type))) {
        const region = g.domainRegions.get(normalizeDnsName(c.fqdn ?? ""));
        inputs.endpoints[c.id] = !(region && w.down.includes(region));
    }
    for (const sw of g.switches) {
        const lastEngaged = w.noData?.[sw.protectedRegion];
        if (lastEngaged !== undefined) {
            inputs.alarms[sw.alarmKey] = "INSUFFICIENT_DATA";
            for (const id of sw.checkIds) {
                inputs.lastKnown[id] = !lastEngaged;
            }
        } else {
            inputs.alarms[sw.alarmKey] = w.engaged.includes(sw.protectedRegion) ? "ALARM" : "OK";
        }
    }
    return inputs;
}

/** Whether the world lets a region serve: up, and not taken out by its operator switch. */
const available = (w: World, region: string | null) =>
    region !== null &&
    !w.down.includes(region) &&
    !w.engaged.includes(region) &&
    w.noData?.[region] !== true;

interface Group {
    zoneId: string;
    name: string;
    type: string;
    records: SimRecord[];
}

function routedGroups(g: Graph): Group[] {
    const groups = new Map<string, Group>();
    for (const r of g.records) {
        if (!isRouted(r)) {
            continue;
        }
        const key = `${r.zoneId}|${normalizeDnsName(r.name)}|${r.type}`;
        const group = groups.get(key) ?? {
            zoneId: r.zoneId,
            name: normalizeDnsName(r.name),
            type: r.type,
            records: [],
        };
        group.records.push(r);
        groups.set(key, group);
    }
    return [...groups.values()];
}

function drill(
    g: Graph,
    group: Group,
    scenario: string,
    w: World,
    expected: { region: string | null; why: string },
    latencyOrder?: string[],
): Drill {
    const inputs = healthInputs(g, w);
    const unhealthy = g.checks
        .filter((c) => !healthCheckStatus(c.id, g.checks, inputs))
        .map((c) => g.labels.get(c.id) as string)
        .sort();
    let answer: Drill["answer"] = { region: null, target: null };
    let failOpen = false;
    let error: string | undefined;
    try {
        const a = resolve({
            zones: g.zones,
            records: g.records,
            checks: g.checks,
            inputs,
            client: latencyOrder ? { latencyOrder } : undefined,
            name: group.name,
            type: group.type,
        });
        if (a) {
            const target = a.target.kind === "alias" ? a.target.name : a.target.values.join(",");
            answer = { region: g.targetRegions.get(normalizeDnsName(target)) ?? null, target };
        }
        failOpen = a?.failOpen ?? false;
    } catch (e) {
        error = (e as Error).message;
    }
    return {
        scenario,
        name: group.name,
        unhealthy,
        answer,
        expected: `${expected.region ?? "no region"} (${expected.why})${error ? `; the simulator refused the records: ${error}` : ""}`,
        ok: error === undefined && expected.region !== null && answer.region === expected.region,
        failOpen,
    };
}

/** The region a routed record sends clients to: its alias target's, or its CNAME value's. */
function targetRegion(g: Graph, r: SimRecord | undefined): string | null {
    const target = r?.aliases?.[0]?.name ?? r?.records?.[0];
    return (target && g.targetRegions.get(normalizeDnsName(target))) ?? null;
}

/** A non-alias routed record's TTL: known exactly, unlike an alias target's. */
const recordTtl = (r: SimRecord) => (r.aliases?.length ? undefined : r.ttl);

const isRouted = (r: SimRecord) =>
    Boolean(r.failoverRoutingPolicies?.length || r.latencyRoutingPolicies?.length);

function failoverDrills(g: Graph, group: Group): Drill[] {
    const role = (t: string) =>
        group.records.find((r) => r.failoverRoutingPolicies?.[0]?.type === t);
    const p = targetRegion(g, role("PRIMARY"));
    const s = targetRegion(g, role("SECONDARY"));
    // A failover pair intends both roles; a missing one is a wiring mistake, never "as intended".
    const missing = [p ? "" : "PRIMARY", s ? "" : "SECONDARY"].filter(Boolean);
    const intent = (w: World) =>
        missing.length > 0
            ? { region: null, why: `no ${missing.join(" or ")} record for ${group.name}` }
            : available(w, p)
              ? { region: p, why: "PRIMARY is healthy" }
              : available(w, s)
                ? { region: s, why: "PRIMARY is out, SECONDARY is healthy" }
                : {
                      region: p,
                      why: "PRIMARY: every record is unhealthy, Route 53 fails open to PRIMARY",
                  };
    const P = p ?? "primary";
    const S = s ?? "secondary";
    const scenarios: [string, World][] = [
        ["all healthy", { down: [], engaged: [] }],
        [`primary endpoint down (${P})`, { down: [P], engaged: [] }],
        [`operator switch engaged (${P})`, { down: [], engaged: [P] }],
        [
            `switch alarm without data, never engaged (${P})`,
            { down: [], engaged: [], noData: { [P]: false } },
        ],
        [
            `switch engaged, then no new data (${P})`,
            { down: [], engaged: [], noData: { [P]: true } },
        ],
        [`secondary down (${S})`, { down: [S], engaged: [] }],
        [`secondary down, switch engaged (${P})`, { down: [S], engaged: [P] }],
        ["both down", { down: [P, S], engaged: [] }],
        ["both down, switch engaged", { down: [P, S], engaged: [P] }],
    ];
    return scenarios.map(([name, w]) =>
        drill(g, group, `${group.name} failover: ${name}`, w, intent(w)),
    );
}

function latencyDrills(g: Graph, group: Group): Drill[] {
    const regions = group.records
        .map((r) => r.latencyRoutingPolicies?.[0]?.region)
        .filter((r): r is string => r !== undefined)
        .sort();
    const drills: Drill[] = [];
    for (const near of regions) {
        // A client near `near`: that region first, the others after (their order is not modelled).
        const order = [near, ...regions.filter((r) => r !== near)];
        const intent = (w: World) => {
            const up = order.find((r) => available(w, r));
            return up
                ? {
                      region: up,
                      why: up === near ? "nearest region is healthy" : "nearest healthy region",
                  }
                : { region: near, why: "nearest: every record is unhealthy, Route 53 fails open" };
        };
        const scenarios: [string, World][] = [
            [`client near ${near}, all healthy`, { down: [], engaged: [] }],
            [`client near ${near}, ${near} down`, { down: [near], engaged: [] }],
            [`client near ${near}, ${near} drained by its switch`, { down: [], engaged: [near] }],
            [`client near ${near}, every region down`, { down: regions, engaged: [] }],
        ];
        for (const [name, w] of scenarios) {
            drills.push(drill(g, group, `${group.name} latency: ${name}`, w, intent(w), order));
        }
    }
    return drills;
}

const routedRecords = (s: EvaluatedStack) =>
    ofType(s, RECORD)
        .map((r) => recordOf(s.stack, r))
        .filter(isRouted);

function stackBudget(g: Graph, s: EvaluatedStack): StackBudget {
    const rows = routedRecords(s).map((r) => {
        const check = g.checks.find((c) => c.id === r.healthCheckId);
        return {
            record: r.label,
            healthCheck: check ? (g.labels.get(check.id) as string) : null,
            budget: check
                ? failoverBudget({
                      check,
                      checks: g.checks,
                      alarms: g.alarms,
                      recordTtlSeconds: recordTtl(r),
                  })
                : null,
        };
    });
    const budgets = rows.map((r) => r.budget).filter((b): b is Budget => b !== null);
    const unguarded = rows
        .filter((r) => r.budget === null)
        .map((r) => `${r.record} has no health check: Route 53 never takes it out of service.`);
    return {
        failoverSeconds:
            budgets.length && !unguarded.length
                ? Math.max(...budgets.map((b) => b.failoverSeconds))
                : null,
        failbackSeconds:
            budgets.length && !unguarded.length
                ? Math.max(...budgets.map((b) => b.failbackSeconds))
                : null,
        assumptions: [...new Set([...unguarded, ...budgets.flatMap((b) => b.assumptions)])],
        records: rows,
    };
}

/**
 * Builds the plan from evaluated stacks; `wholeDeployment`: they are every stack of the deployment
 * (so a missing failover partner is really missing).
 */
export function analyze(stacks: EvaluatedStack[], wholeDeployment = true): Plan {
    const g = graphOf(stacks);
    const findings = planFindings(stacks, wholeDeployment);
    const drills = routedGroups(g).flatMap((group) =>
        group.records.some((r) => r.failoverRoutingPolicies?.length)
            ? failoverDrills(g, group)
            : latencyDrills(g, group),
    );
    const zoneUsers = new Map<string, number>();
    for (const s of stacks) {
        for (const z of s.zones) {
            zoneUsers.set(z.id, (zoneUsers.get(z.id) ?? 0) + 1);
        }
    }
    const plans: Record<string, StackPlan> = {};
    for (const s of stacks) {
        const cost = monthlyCost({
            checks: ofType(s, HEALTH_CHECK).map((r) => checkOf(s.stack, r)),
            alarmCount: ofType(s, ALARM).length,
            hostedZoneShare: s.zones.reduce((sum, z) => sum + 1 / (zoneUsers.get(z.id) ?? 1), 0),
            routedRecords: routedRecords(s).map((r) => ({
                policy: r.failoverRoutingPolicies?.length ? "failover" : "latency",
                kind: r.aliases?.length ? "alias" : "cname",
                ttlSeconds: recordTtl(r),
            })),
            webAclRules: ofType(s, WEB_ACL).map(
                (r) => (r.inputs.rules as unknown[] | undefined)?.length ?? 0,
            ),
        });
        plans[s.stack] = {
            region: s.region,
            resources: s.resources,
            outputs: s.outputs,
            budget: stackBudget(g, s),
            monthlyCostUsd: cost.totalUsd,
            cost,
            findings: findings[s.stack],
        };
    }
    return { stacks: plans, drills, crossStack: [] };
}
