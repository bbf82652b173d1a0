// Turns evaluated stacks into the offline plan: failover drills answered by the Route 53
// simulator, the failover time budget and the monthly cost. Everything here reads the resource
// graph only (never the project's config), so a wiring mistake shows up as a wrong answer.
import { SWITCH_METRIC } from "../components/alarmHealthCheck";
import { componentType } from "../components/typeToken";
import type { ConfigFinding } from "../stack/crossStack";
import { EvaluatedStack, PlannedResource } from "./evaluate";
import { MINUTES_BACK as BRIDGE_MINUTES_BACK } from "../functions/bridge/window";
import { AlarmTiming, Budget, failoverBudget } from "./failoverBudget";
import { planFindings } from "./findings";
import { MonthlyCost, RUNS_PER_MONTH_EVERY_MINUTE, monthlyCost } from "./monthlyCost";
import type { Finding } from "./rules";
import {
    ENDPOINT_CHECK_TYPES,
    HealthInputs,
    NotModelledError,
    SimHealthCheck,
    SimRecord,
    SimZone,
    healthCheckStatus,
    normalizeDnsName,
    recordFqdn,
    resolve,
    unmodelledRoutingPolicy,
    validateRecordKey,
} from "./route53Simulator";

const RECORD = "aws:route53/record:Record";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const FIS_TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate";
const FUNCTION = "aws:lambda/function:Function";
const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";
const PEER_PROBE = componentType("PeerProbe");
const DERIVED_GUARD = componentType("DerivedMetricGuard");
const DOMAIN = "aws:apigateway/domainName:DomainName";
const DOMAIN_V2 = "aws:apigatewayv2/domainName:DomainName";

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

/** A routed name the drills do not answer for, and why: never a failure by itself. */
export interface NotDrilled {
    /** The routed name, for example api.example.com. */
    name: string;
    /** Its routing: failover, latency, or one nothing here models ("weighted routing", ...). */
    routing: string;
    /**
     * "not drilled: …" (with `--stack` naming some stacks, a partner may be in another one) or
     * "not simulated: …" (routing, a check type or a target the simulator does not model).
     */
    reason: string;
}

/** The failover budget of one routed record. */
export interface BudgetRow {
    /** `stack/name` of the record. */
    record: string;
    /** `stack/name` of its health check; null when it has none. */
    healthCheck: string | null;
    budget: Budget | null;
    /** Why the budget could not be computed, naming the record (budget then null). */
    notComputed?: string;
}

export interface StackBudget {
    /** Worst case over the stack's routed records; null unless every one has a budget. */
    failoverSeconds: number | null;
    failbackSeconds: number | null;
    assumptions: string[];
    /** Routed records whose budget could not be computed: `stack/name: why`. */
    notComputed: string[];
    /** Per routed record of the stack. */
    records: BudgetRow[];
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
    /** Routed names without drills, and why (never a failure by itself). */
    notDrilled: NotDrilled[];
    /** Configuration mistakes only visible across stacks, named by key. */
    crossStack: ConfigFinding[];
}

/**
 * The whole graph of every stack. Health checks are known by `stack/name` (the ids records and
 * calculated checks use are translated), so every message names resources, never a mock id.
 */
interface Graph {
    zones: SimZone[];
    /** Every record whose zoneId, name and type are strings (others cannot be resolved). */
    records: SimRecord[];
    checks: SimHealthCheck[];
    checkById: Map<string, SimHealthCheck>;
    /** Per stack: its health checks and records. */
    stacks: Map<string, { checks: SimHealthCheck[]; records: SimRecord[] }>;
    /** API Gateway regional domain name (alias target) -> region of its domain resource. */
    targetRegions: Map<string, string>;
    /** Custom domain name (health check target) -> region. */
    domainRegions: Map<string, string>;
    /** Operator switch alarms: protected region, key for the simulator, following checks. */
    switches: { protectedRegion: string; alarmKey: string; checkIds: string[] }[];
    /** `region/name` -> period and evaluation periods of every alarm. */
    alarms: Record<string, AlarmTiming>;
    /** Regions with FIS experiment templates (chaos-ready): their drills include a chaos scenario. */
    chaosRegions: Set<string>;
}

const scoped = (stack: string, id: string) => `${stack}/${id}`;
const ofType = (s: EvaluatedStack, type: string) => s.resources.filter((r) => r.type === type);

/** A reason to print: a TypeError (a value left undefined) says so rather than only crashing. */
function reasonOf(e: unknown): string {
    if (e instanceof TypeError) {
        return `a value it reads is missing or of the wrong type (${e.message})`;
    }
    return e instanceof Error ? e.message : String(e);
}

function graphOf(stacks: EvaluatedStack[]): Graph {
    const g: Graph = {
        zones: [],
        records: [],
        checks: [],
        checkById: new Map(),
        stacks: new Map(),
        targetRegions: new Map(),
        domainRegions: new Map(),
        switches: [],
        alarms: {},
        chaosRegions: new Set(),
    };
    const zoneIds = new Set<string>();
    for (const s of stacks) {
        for (const z of s.zones.filter((z) => !zoneIds.has(z.id))) {
            zoneIds.add(z.id);
            g.zones.push(z);
        }
        // The mock runtime's ids -> `stack/name` (made unique should two checks share a name).
        const names = new Map<string, string>();
        const taken = new Set<string>();
        for (const r of ofType(s, HEALTH_CHECK)) {
            let label = scoped(s.stack, r.name);
            for (let n = 2; taken.has(label); n++) {
                label = scoped(s.stack, `${r.name}#${n}`);
            }
            taken.add(label);
            names.set(r.id, label);
        }
        const ref = (id: unknown) =>
            typeof id === "string" && id !== ""
                ? (names.get(id) ?? scoped(s.stack, id))
                : undefined;
        const checks = ofType(s, HEALTH_CHECK).map((r): SimHealthCheck => {
            const inputs = r.inputs as Omit<SimHealthCheck, "id">;
            const children = inputs.childHealthchecks as unknown;
            return {
                ...inputs,
                id: names.get(r.id) as string,
                childHealthchecks: Array.isArray(children)
                    ? children.map((c) => ref(c) ?? String(c))
                    : inputs.childHealthchecks,
            };
        });
        const records = ofType(s, RECORD).map((r): SimRecord => ({
            ...(r.inputs as Omit<SimRecord, "label">),
            label: scoped(s.stack, r.name),
            healthCheckId: ref(r.inputs.healthCheckId),
        }));
        g.stacks.set(s.stack, { checks, records });
        g.checks.push(...checks);
        g.records.push(...records.filter((r) => keyProblem(r) === undefined));
        for (const d of [...ofType(s, DOMAIN), ...ofType(s, DOMAIN_V2)]) {
            // The regional target a record aliases: REST's regionalDomainName (empty for an EDGE
            // domain, served by CloudFront from no one region), HTTP API's targetDomainName.
            const config = d.state.domainNameConfiguration as
                { targetDomainName?: unknown } | undefined;
            const target =
                d.type === DOMAIN ? d.state.regionalDomainName : config?.targetDomainName;
            if (!d.provider || typeof target !== "string" || target === "") {
                continue;
            }
            g.targetRegions.set(normalizeDnsName(target), d.provider);
            g.domainRegions.set(normalizeDnsName(String(d.inputs.domainName)), d.provider);
        }
        for (const t of ofType(s, FIS_TEMPLATE)) {
            if (t.provider) {
                g.chaosRegions.add(t.provider);
            }
        }
        for (const a of ofType(s, ALARM)) {
            const key = `${a.provider}/${String(a.state.name)}`;
            const bridge = bridgeOf(s, a);
            g.alarms[key] = {
                period: Number(a.inputs.period),
                evaluationPeriods: Number(a.inputs.evaluationPeriods),
                ...(bridge
                    ? {
                          derived: {
                              scheduleSeconds: bridge.everySeconds,
                              lagSeconds: BRIDGE_MINUTES_BACK * 60,
                          },
                      }
                    : {}),
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
    g.checkById = new Map(g.checks.map((c) => [c.id, c]));
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

const ALL_HEALTHY: World = { down: [], engaged: [] };

function healthInputs(g: Graph, w: World): HealthInputs {
    const inputs: Required<Pick<HealthInputs, "endpoints" | "alarms" | "lastKnown">> = {
        endpoints: {},
        alarms: {},
        lastKnown: {},
    };
    for (const c of g.checks.filter((c) => ENDPOINT_CHECK_TYPES.includes(c.type))) {
        const region =
            typeof c.fqdn === "string" ? g.domainRegions.get(normalizeDnsName(c.fqdn)) : undefined;
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

/**
 * A chaos drill of each chaos-ready region among `regions`: its FIS experiment makes its functions
 * fail, so its endpoint check fails while its switch stays released.
 */
function chaosScenarios(g: Graph, regions: string[]): [string, World][] {
    return regions
        .filter((r) => g.chaosRegions.has(r))
        .map((r) => [
            `chaos experiment breaks ${r} (its endpoint check fails, its switch released)`,
            { down: [r], engaged: [] },
        ]);
}

/** Whether an operator switch (graph.switches) can take `region` out: else no switch scenario. */
const switched = (g: Graph, region: string) =>
    g.switches.some((sw) => sw.protectedRegion === region);

/** The routing of a record: failover, latency, one nothing models, or undefined (simple). */
function routingOf(r: SimRecord): string | undefined {
    return (
        unmodelledRoutingPolicy(r) ??
        (r.failoverRoutingPolicies?.length
            ? "failover"
            : r.latencyRoutingPolicies?.length
              ? "latency"
              : undefined)
    );
}

const isRouted = (r: SimRecord) => routingOf(r) !== undefined;

/** Why a record's zoneId, name or type cannot be read, or undefined. */
function keyProblem(r: SimRecord): string | undefined {
    try {
        validateRecordKey(r);
        return undefined;
    } catch (e) {
        return reasonOf(e);
    }
}

interface Group {
    name: string;
    type: string;
    /** failover, latency, or the first routing nothing models. */
    routing: string;
    records: SimRecord[];
    /** Why the group (one record) cannot even be resolved: its name, zone or type is unknown. */
    unreadable?: string;
}

/** The routed records per zone, fully qualified name and type, as Route 53 groups them. */
function routedGroups(g: Graph): Group[] {
    const zoneNames = new Map(g.zones.map((z) => [z.id, z.name]));
    const groups = new Map<string, Group>();
    const all = [...g.stacks.values()].flatMap((s) => s.records).filter(isRouted);
    for (const r of all) {
        const unreadable = keyProblem(r);
        if (unreadable !== undefined) {
            const name = `record ${r.label}`;
            groups.set(name, { name, type: "", routing: "", records: [r], unreadable });
            continue;
        }
        const zone = zoneNames.get(r.zoneId);
        const name = zone === undefined ? normalizeDnsName(r.name) : recordFqdn(r.name, zone);
        const type = r.type.toUpperCase();
        const key = `${r.zoneId}|${name}|${type}`;
        const group = groups.get(key) ?? { name, type, routing: "", records: [] };
        group.records.push(r);
        groups.set(key, group);
    }
    for (const group of groups.values()) {
        const routings = group.records.map(routingOf) as string[];
        group.routing =
            routings.find((p) => p !== "failover" && p !== "latency") ??
            (routings.includes("failover") ? "failover" : "latency");
    }
    return [...groups.values()];
}

/** What the simulator answers for a group in a world (or why it refuses). */
interface Simulated {
    unhealthy: string[];
    answer: Drill["answer"];
    failOpen: boolean;
    error?: unknown;
}

function simulate(g: Graph, group: Group, w: World, latencyOrder?: string[]): Simulated {
    const inputs = healthInputs(g, w);
    // A check the simulator refuses is not listed here; the answer says why if it matters.
    const unhealthy = g.checks
        .filter((c) => {
            try {
                return !healthCheckStatus(c.id, g.checkById, inputs);
            } catch {
                return false;
            }
        })
        .map((c) => c.id)
        .sort();
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
        if (!a) {
            return { unhealthy, answer: { region: null, target: null }, failOpen: false };
        }
        const first = a.target.kind === "alias" ? a.target.name : a.target.values[0];
        const target = a.target.kind === "alias" ? a.target.name : a.target.values.join(",");
        return {
            unhealthy,
            answer: { region: g.targetRegions.get(normalizeDnsName(first ?? "")) ?? null, target },
            failOpen: a.failOpen,
        };
    } catch (e) {
        return { unhealthy, answer: { region: null, target: null }, failOpen: false, error: e };
    }
}

function drill(
    g: Graph,
    group: Group,
    scenario: string,
    w: World,
    expected: { region: string | null; why: string },
    latencyOrder?: string[],
): Drill {
    const s = simulate(g, group, w, latencyOrder);
    const refused =
        s.error === undefined ? "" : `; the simulator refused the records: ${reasonOf(s.error)}`;
    return {
        scenario: `${group.name} ${group.routing}: ${scenario}`,
        name: group.name,
        unhealthy: s.unhealthy,
        answer: s.answer,
        expected: `${expected.region ?? "no region"} (${expected.why})${refused}`,
        ok:
            s.error === undefined &&
            expected.region !== null &&
            s.answer.region === expected.region,
        failOpen: s.failOpen,
    };
}

/**
 * The one FAIL row that stands for every drill of a group that cannot be drilled as intended: what
 * Route 53 answers when all is healthy (if anything), and what is wrong.
 */
function brokenGroup(g: Graph, group: Group, scenario: string, expected: string): Drill {
    const s = simulate(g, group, ALL_HEALTHY);
    return {
        scenario: `${group.name} ${group.routing}: ${scenario}`,
        name: group.name,
        unhealthy: s.unhealthy,
        answer: s.answer,
        expected,
        ok: false,
        failOpen: s.failOpen,
    };
}

/** The region a routed record sends clients to: its alias target's, or its CNAME value's. */
function targetRegion(g: Graph, r: SimRecord): string | null {
    const target = r.aliases?.[0]?.name ?? r.records?.[0];
    return (typeof target === "string" && g.targetRegions.get(normalizeDnsName(target))) || null;
}

/** A not-simulated outcome when some record's target is no API Gateway domain of the plan. */
function unknownTarget(g: Graph, group: Group, role: (r: SimRecord) => string): Outcome | null {
    const r = group.records.find((r) => targetRegion(g, r) === null);
    if (!r) {
        return null;
    }
    const target = r.aliases?.[0]?.name ?? r.records?.join(",");
    return {
        drills: [],
        notDrilled: {
            name: group.name,
            routing: group.routing,
            reason: `not simulated: the ${role(r)} record "${r.label}" points at ${target}, which is no API Gateway custom domain of the stacks planned, so its region is unknown`,
        },
    };
}

interface Outcome {
    drills: Drill[];
    notDrilled?: NotDrilled;
}

const failoverRole = (r: SimRecord) => r.failoverRoutingPolicies?.[0]?.type;

/**
 * A failover group without exactly one PRIMARY and one SECONDARY: one FAIL row saying why, or,
 * when only some stacks are planned and a role is missing, no drill (the other stacks may hold
 * it). Null when the pair is whole (or a role is misspelt: the simulator names that).
 */
function brokenPair(
    g: Graph,
    group: Group,
    wholeDeployment: boolean,
    planned: string[],
): Outcome | null {
    const roles = ["PRIMARY", "SECONDARY"];
    if (!group.records.every((r) => roles.includes(failoverRole(r) ?? ""))) {
        return null;
    }
    const holders = roles.map((role) => ({
        role,
        records: group.records.filter((r) => failoverRole(r) === role),
    }));
    const twice = holders.filter((h) => h.records.length > 1);
    if (twice.length > 0) {
        const which = twice
            .map(
                (h) =>
                    `${h.records.length} ${h.role} records: ${h.records.map((r) => r.label).join(", ")}`,
            )
            .join("; ");
        return {
            drills: [
                brokenGroup(
                    g,
                    group,
                    "the failover pair",
                    `one PRIMARY and one SECONDARY record (${which}; Route 53 accepts one of each; no scenario is drilled)`,
                ),
            ],
        };
    }
    const missing = holders.filter((h) => h.records.length === 0).map((h) => h.role);
    if (missing.length === 0) {
        return null;
    }
    if (!wholeDeployment) {
        return {
            drills: [],
            notDrilled: {
                name: group.name,
                routing: group.routing,
                reason: `not drilled: the ${missing.join(" and ")} record is in none of the stacks planned (${planned.join(", ")}); it may be in another stack: plan every stack to drill this name`,
            },
        };
    }
    return {
        drills: [
            brokenGroup(
                g,
                group,
                "the failover pair",
                `one PRIMARY and one SECONDARY record (no ${missing.join(" or ")} record for ${group.name} in any stack: Route 53 has nothing to fail over to; no scenario is drilled)`,
            ),
        ],
    };
}

function failoverDrills(g: Graph, group: Group): Outcome {
    const unknown = unknownTarget(g, group, (r) => failoverRole(r) ?? "failover");
    if (unknown) {
        return unknown;
    }
    const byRole = (t: string) => group.records.find((r) => failoverRole(r) === t) as SimRecord;
    const P = targetRegion(g, byRole("PRIMARY")) as string;
    const S = targetRegion(g, byRole("SECONDARY")) as string;
    const intent = (w: World) =>
        available(w, P)
            ? { region: P, why: "PRIMARY is healthy" }
            : available(w, S)
              ? { region: S, why: "PRIMARY is out, SECONDARY is healthy" }
              : {
                    region: P,
                    why: "PRIMARY: every record is unhealthy, Route 53 fails open to PRIMARY",
                };
    // Switch scenarios only where a switch protects the PRIMARY's region.
    const sw = switched(g, P);
    const scenarios: [string, World][] = [
        ["all healthy", ALL_HEALTHY],
        [`primary endpoint down (${P})`, { down: [P], engaged: [] }],
        ...(sw
            ? ([
                  [`operator switch engaged (${P})`, { down: [], engaged: [P] }],
                  [
                      `switch alarm without data, never engaged (${P})`,
                      { down: [], engaged: [], noData: { [P]: false } },
                  ],
                  [
                      `switch engaged, then no new data (${P})`,
                      { down: [], engaged: [], noData: { [P]: true } },
                  ],
              ] as [string, World][])
            : []),
        ...chaosScenarios(g, [P, S]),
        [`secondary down (${S})`, { down: [S], engaged: [] }],
        ...(sw
            ? ([[`secondary down, switch engaged (${P})`, { down: [S], engaged: [P] }]] as [
                  string,
                  World,
              ][])
            : []),
        ["both down", { down: [P, S], engaged: [] }],
        ...(sw
            ? ([["both down, switch engaged", { down: [P, S], engaged: [P] }]] as [string, World][])
            : []),
    ];
    return { drills: scenarios.map(([name, w]) => drill(g, group, name, w, intent(w))) };
}

function latencyDrills(g: Graph, group: Group): Outcome {
    const unknown = unknownTarget(
        g,
        group,
        (r) => `latency (${r.latencyRoutingPolicies?.[0]?.region})`,
    );
    if (unknown) {
        return unknown;
    }
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
            [`client near ${near}, all healthy`, ALL_HEALTHY],
            [`client near ${near}, ${near} down`, { down: [near], engaged: [] }],
            ...chaosScenarios(g, [near]).map(([name, w]): [string, World] => [
                `client near ${near}, ${name}`,
                w,
            ]),
            ...(switched(g, near)
                ? ([
                      [
                          `client near ${near}, ${near} drained by its switch`,
                          { down: [], engaged: [near] },
                      ],
                  ] as [string, World][])
                : []),
            [`client near ${near}, every region down`, { down: regions, engaged: [] }],
        ];
        for (const [name, w] of scenarios) {
            drills.push(drill(g, group, name, w, intent(w), order));
        }
    }
    return { drills };
}

/** The drills of one routed name, or why there are none. */
function groupOutcome(
    g: Graph,
    group: Group,
    wholeDeployment: boolean,
    planned: string[],
): Outcome {
    if (group.unreadable !== undefined) {
        return {
            drills: [
                brokenGroup(
                    g,
                    group,
                    "every scenario",
                    `a simulated answer (the simulator cannot read the record: ${group.unreadable}; no scenario is drilled)`,
                ),
            ],
        };
    }
    if (group.routing === "failover") {
        const broken = brokenPair(g, group, wholeDeployment, planned);
        if (broken) {
            return broken;
        }
    }
    // Everything the simulator refuses, it refuses in every world: ask once.
    const { error } = simulate(g, group, ALL_HEALTHY);
    if (error instanceof NotModelledError) {
        return {
            drills: [],
            notDrilled: {
                name: group.name,
                routing: group.routing,
                reason: `not simulated: ${error.message}`,
            },
        };
    }
    if (error !== undefined) {
        return {
            drills: [
                brokenGroup(
                    g,
                    group,
                    "every scenario",
                    `a simulated answer (the simulator refused the records: ${reasonOf(error)}; no scenario is drilled)`,
                ),
            ],
        };
    }
    return group.routing === "failover" ? failoverDrills(g, group) : latencyDrills(g, group);
}

/** A non-alias record's TTL (known exactly, unlike an alias target's); throws when it has none. */
function recordTtl(r: SimRecord): number | undefined {
    if (r.aliases?.length) {
        return undefined;
    }
    if (typeof r.ttl !== "number") {
        throw new Error("it has no aliases and no ttl; a non-alias record needs a ttl");
    }
    return r.ttl;
}

function stackBudget(g: Graph, stack: string): StackBudget {
    const records = (g.stacks.get(stack)?.records ?? []).filter(isRouted);
    const rows = records.map((r): BudgetRow => {
        const row: BudgetRow = {
            record: r.label,
            healthCheck: r.healthCheckId ?? null,
            budget: null,
        };
        if (r.healthCheckId === undefined) {
            return row;
        }
        try {
            const check = g.checkById.get(r.healthCheckId);
            if (check === undefined) {
                throw new Error(
                    `its health check "${r.healthCheckId}" is not among the health checks planned`,
                );
            }
            return {
                ...row,
                budget: failoverBudget({
                    check,
                    checks: g.checks,
                    alarms: g.alarms,
                    recordTtlSeconds: recordTtl(r),
                }),
            };
        } catch (e) {
            return { ...row, notComputed: `${r.label}: ${reasonOf(e)}` };
        }
    });
    const budgets = rows.map((r) => r.budget).filter((b): b is Budget => b !== null);
    const unguarded = rows
        .filter((r) => r.healthCheck === null)
        .map((r) => `${r.record} has no health check: Route 53 never takes it out of service.`);
    const complete = budgets.length > 0 && budgets.length === rows.length;
    return {
        failoverSeconds: complete ? Math.max(...budgets.map((b) => b.failoverSeconds)) : null,
        failbackSeconds: complete ? Math.max(...budgets.map((b) => b.failbackSeconds)) : null,
        assumptions: [...new Set([...unguarded, ...budgets.flatMap((b) => b.assumptions)])],
        notComputed: rows.flatMap((r) => (r.notComputed ? [r.notComputed] : [])),
        records: rows,
    };
}

function stackCost(g: Graph, s: EvaluatedStack, hostedZoneShare: number): MonthlyCost {
    const { checks, records } = g.stacks.get(s.stack) ?? { checks: [], records: [] };
    try {
        return monthlyCost({
            checks,
            // A metric-math alarm is billed per metric it reads.
            alarmCount: ofType(s, ALARM).reduce((sum, a) => {
                const queries = a.inputs.metricQueries as { metric?: unknown }[] | undefined;
                return (
                    sum + Math.max(1, queries?.filter((q) => q.metric !== undefined).length ?? 1)
                );
            }, 0),
            observability: {
                dashboards: ofType(s, "aws:cloudwatch/dashboard:Dashboard").length,
                keys: ofType(s, "aws:kms/key:Key").length,
                compositeAlarms: ofType(s, "aws:cloudwatch/compositeAlarm:CompositeAlarm").length,
            },
            hostedZoneShare,
            routedRecords: records.filter(isRouted).map((r) => ({
                label: r.label,
                policy: routingOf(r) as string,
                kind: r.aliases?.length ? "alias" : "cname",
                ttl: r.aliases?.length ? undefined : r.ttl,
            })),
            webAclRules: ofType(s, WEB_ACL).map((r) =>
                Array.isArray(r.inputs.rules) ? r.inputs.rules.length : 0,
            ),
            peerProbes: peerProbesOf(s),
            bridges: bridgesOf(s),
            chaos: chaosOf(s),
        });
    } catch (e) {
        return {
            totalUsd: 0,
            lines: [],
            rates: [],
            assumptions: [],
            notComputed: [`Stack ${s.stack}: the monthly cost is not computed: ${reasonOf(e)}`],
        };
    }
}

/** Seconds between runs of a `rate(N minute[s])` schedule; undefined for anything else. */
function scheduleSeconds(
    rule: { inputs: Record<string, unknown> } | undefined,
): number | undefined {
    const every = /^rate\((\d+) minutes?\)$/.exec(String(rule?.inputs.scheduleExpression));
    return every ? Number(every[1]) * 60 : undefined;
}

/**
 * The derived-metric bridge behind an alarm of a DerivedMetricGuard (its schedule), or undefined
 * for any other alarm. The alarm belongs to the guard's AlarmHealthCheck; the schedule to the guard.
 */
function bridgeOf(
    s: EvaluatedStack,
    alarm: EvaluatedStack["resources"][number],
): { everySeconds: number } | undefined {
    if (!alarm.urn.includes(`${DERIVED_GUARD}$`)) {
        return undefined;
    }
    const byUrn = new Map(s.resources.map((r) => [r.urn, r]));
    const guard = byUrn.get(byUrn.get(alarm.parent ?? "")?.parent ?? "");
    const rule = s.resources.find((r) => r.type === EVENT_RULE && r.parent === guard?.urn);
    const everySeconds = scheduleSeconds(rule);
    return everySeconds === undefined ? undefined : { everySeconds };
}

/** The derived-metric bridges of a stack, for their cost. */
function bridgesOf(s: EvaluatedStack): { runsPerMonth: number; metricsPerRun: number }[] {
    return s.resources
        .filter((r) => r.type === DERIVED_GUARD)
        .flatMap((guard) => {
            const every = scheduleSeconds(
                s.resources.find((r) => r.type === EVENT_RULE && r.parent === guard.urn),
            );
            // Each run asks for the request count and one more metric (p99 latency or 5XX sum).
            return every
                ? [{ runsPerMonth: (RUNS_PER_MONTH_EVERY_MINUTE * 60) / every, metricsPerRun: 2 }]
                : [];
        });
}

/** The PeerProbes of a stack: each schedule's runs per month and the peers it watches. */
function peerProbesOf(s: EvaluatedStack): { runsPerMonth: number; peers: number }[] {
    const probes = s.resources.filter((r) => r.type === PEER_PROBE);
    return probes.map((probe) => {
        const children = s.resources.filter((r) => r.parent === probe.urn);
        const every = scheduleSeconds(children.find((r) => r.type === EVENT_RULE));
        return {
            runsPerMonth: every ? (RUNS_PER_MONTH_EVERY_MINUTE * 60) / every : 0,
            peers: children.filter((r) => r.type === ALARM).length,
        };
    });
}

/** Chaos-ready functions and the experiments of a stack, for their cost; undefined when none. */
function chaosOf(s: EvaluatedStack) {
    const templates = ofType(s, FIS_TEMPLATE);
    if (templates.length === 0) {
        return undefined;
    }
    const minutes = (t: (typeof templates)[number]) => {
        const actions = (t.inputs.actions ?? []) as {
            parameters?: { key: string; value: string }[];
        }[];
        const duration = actions[0]?.parameters?.find((p) => p.key === "duration")?.value ?? "";
        const m = /^PT(\d+)M$/.exec(duration);
        return m ? Number(m[1]) : 0;
    };
    return {
        pollingFunctions: ofType(s, FUNCTION).filter(
            (f) =>
                (f.inputs.environment as { variables?: Record<string, unknown> } | undefined)
                    ?.variables?.AWS_FIS_CONFIGURATION_LOCATION !== undefined,
        ).length,
        experiments: templates
            .map((t) => ({ label: scoped(s.stack, t.name), maxMinutes: minutes(t) }))
            .sort((a, b) => a.label.localeCompare(b.label)),
    };
}

/**
 * Builds the plan from evaluated stacks; `wholeDeployment`: they are every stack of the deployment
 * (so a missing failover partner is really missing). A budget, cost or simulator problem in one
 * record or stack is reported there as not computed or not simulated: it never stops the plan.
 */
export function analyze(stacks: EvaluatedStack[], wholeDeployment = true): Plan {
    const g = graphOf(stacks);
    const findings = planFindings(stacks, wholeDeployment);
    const planned = stacks.map((s) => s.stack);
    const drills: Drill[] = [];
    const notDrilled: NotDrilled[] = [];
    for (const group of routedGroups(g)) {
        let outcome: Outcome;
        try {
            outcome = groupOutcome(g, group, wholeDeployment, planned);
        } catch (e) {
            outcome = {
                drills: [
                    brokenGroup(
                        g,
                        group,
                        "every scenario",
                        `a simulated answer (the drills could not be built: ${reasonOf(e)})`,
                    ),
                ],
            };
        }
        drills.push(...outcome.drills);
        if (outcome.notDrilled) {
            notDrilled.push(outcome.notDrilled);
        }
    }
    const zoneUsers = new Map<string, number>();
    for (const s of stacks) {
        for (const z of s.zones) {
            zoneUsers.set(z.id, (zoneUsers.get(z.id) ?? 0) + 1);
        }
    }
    const plans: Record<string, StackPlan> = {};
    for (const s of stacks) {
        const cost = stackCost(
            g,
            s,
            s.zones.reduce((sum, z) => sum + 1 / (zoneUsers.get(z.id) ?? 1), 0),
        );
        plans[s.stack] = {
            region: s.region,
            resources: s.resources,
            outputs: s.outputs,
            budget: stackBudget(g, s.stack),
            monthlyCostUsd: cost.totalUsd,
            cost,
            findings: findings[s.stack],
        };
    }
    return { stacks: plans, drills, notDrilled, crossStack: [] };
}
