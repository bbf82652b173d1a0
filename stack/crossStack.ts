// Mistakes no single stack can see: the stacks of one deployment must agree on the service they
// serve and divide the regions and roles between them. The offline plan runs these checks over
// every stack file, each already validated alone; messages name the config key to fix.
import { FailoverRole, RoutingPolicy } from "../components/failoverDomain";
import { shown } from "../components/validation";
import { StackConfig } from "./config";

/** One cross-stack problem, named by the config key to change. */
export interface ConfigFinding {
    rule: string;
    severity: "error";
    /** The full config key, for example `multi-region-api:tableName`. */
    key: string;
    /** The stacks involved. */
    stacks: string[];
    message: string;
}

/** Settings every stack must share, and what goes wrong in production when they differ. */
const SHARED: { key: keyof StackConfig; consequence: string }[] = [
    {
        key: "routing",
        consequence:
            "Route 53 allows one routing policy per name, so the second stack's record is refused (or the name answers from one region only)",
    },
    {
        key: "domainName",
        consequence:
            "each stack routes its own name, so neither name has another region to fail over to",
    },
    {
        key: "zoneName",
        consequence:
            "the stacks write their records to different hosted zones, so clients of one zone never reach the other region",
    },
    {
        key: "tableName",
        consequence:
            "a region reads a table the others do not replicate: after a failover its data is missing, and its replica belongs to a table no stack creates",
    },
    {
        key: "tableRegion",
        consequence:
            "the stacks disagree on who creates the global table: two stacks create it, or none does and every replica fails",
    },
    {
        key: "recordType",
        consequence:
            "an alias A record and a CNAME cannot share a name, so the second stack's routed record is refused",
    },
];

/**
 * What is wrong across the `stacks` (stack name -> validated config) of one deployment. With
 * `wholeDeployment` false (only some stack files evaluated), nothing is reported as missing.
 */
export function crossStackFindings(
    stacks: Record<string, StackConfig>,
    namespace: string,
    wholeDeployment: boolean,
): ConfigFinding[] {
    const names = Object.keys(stacks).sort();
    const findings: ConfigFinding[] = [];
    const full = (key: string) => (key.includes(":") ? key : `${namespace}:${key}`);
    const report = (rule: string, key: string, involved: string[], message: string) =>
        findings.push({
            rule,
            severity: "error",
            key: full(key),
            stacks: involved,
            message: `[${full(key)}] ${message}`,
        });
    const byValue = (value: (c: StackConfig) => unknown) => {
        const groups = new Map<string, string[]>();
        for (const s of names) {
            const v = shown(value(stacks[s]));
            groups.set(v, [...(groups.get(v) ?? []), s]);
        }
        return groups;
    };
    const listed = (groups: Map<string, string[]>) =>
        [...groups].map(([v, s]) => `${s.join(", ")}: ${v}`).join("; ");

    for (const region of new Set(names.map((s) => stacks[s].region))) {
        const involved = names.filter((s) => stacks[s].region === region);
        if (involved.length > 1) {
            report(
                "stacks-one-region-each",
                "aws:region",
                involved,
                `stacks ${involved.join(" and ")} ${involved.length === 2 ? "both" : "all"} deploy ${region}: their custom domains, table replica and records collide, and one regional outage takes every stack out. Give each stack its own region.`,
            );
        }
    }
    for (const { key, consequence } of SHARED) {
        const groups = byValue((c) => c[key]);
        if (groups.size > 1) {
            report(
                "stacks-same-setting",
                key,
                names,
                `differs between stacks (${listed(groups)}): ${consequence}. Set the same value in every stack file.`,
            );
        }
    }
    const tableRegions = new Set(names.map((s) => stacks[s].tableRegion));
    const regions = names.map((s) => stacks[s].region);
    if (wholeDeployment && tableRegions.size === 1) {
        const [tableRegion] = tableRegions;
        if (!regions.includes(tableRegion)) {
            report(
                "stacks-table-region",
                "tableRegion",
                names,
                `is ${tableRegion}, which no stack deploys: no stack creates the global table, so every stack's replica fails and no region's /health turns healthy. Set it to one stack's region (${[...new Set(regions)].sort().join(", ")}).`,
            );
        }
    }
    if (wholeDeployment) {
        for (const s of names) {
            for (const [key, peers, consequence] of [
                [
                    "chaos",
                    stacks[s].chaos?.peers,
                    "its probe watches a region that does not serve (its alarm stays in ALARM and every experiment stops at once)",
                ],
                [
                    "observability",
                    stacks[s].observability?.peers,
                    "its probe watches a region that does not serve (its alarm notifies for ever) and replication alarms, a topic and a key are made for a replica that does not exist",
                ],
            ] as const) {
                const strangers = (peers ?? []).filter((p) => !regions.includes(p));
                if (strangers.length > 0) {
                    report(
                        `stacks-${key}-peers`,
                        key,
                        [s],
                        `peers ${strangers.join(", ")} of stack ${s}: no stack deploys ${strangers.length === 1 ? "it" : "them"}, so ${consequence}. Peers are the other stacks' regions (${[
                            ...new Set(regions),
                        ]
                            .filter((r) => r !== stacks[s].region)
                            .sort()
                            .join(", ")}).`,
                    );
                }
            }
        }
    }
    const failover = names.filter((s) => stacks[s].routing === RoutingPolicy.Failover);
    for (const role of Object.values(FailoverRole)) {
        const holders = failover.filter((s) => stacks[s].failoverRole === role);
        if (holders.length > 1) {
            report(
                "stacks-failover-roles",
                "failoverRole",
                holders,
                `stacks ${holders.join(" and ")} are ${holders.length === 2 ? "both" : "all"} ${role}: Route 53 takes one ${role} record per name, so one stack's record is refused and its region is never served. Make one stack PRIMARY and one SECONDARY.`,
            );
        } else if (holders.length === 0 && wholeDeployment && failover.length > 0) {
            report(
                "stacks-failover-roles",
                "failoverRole",
                failover,
                `no stack is ${role} (stacks: ${failover.join(", ")}): a failover pair needs one PRIMARY and one SECONDARY, so there is no region to fail over to. Add a stack with failoverRole ${role}.`,
            );
        }
    }
    return findings;
}
