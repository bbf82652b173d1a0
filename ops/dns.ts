// DNS as clients will see it, asked of the hosted zone's own name servers: no resolver cache
// (the operator's, the ISP's) can hide a change, and Route 53's name servers answer from every
// edge location, so this works while any one AWS region is down.
import { promises as dns } from "node:dns";
import { isIP } from "node:net";
import type { RegionOutputs, Service } from "./outputs";

/** How to ask: per-query timeout, and the resolver for names outside the zone. */
export interface DnsOptions {
    timeoutMs: number;
    /**
     * `address[:port]` of the resolver that finds the name servers' own addresses and the API
     * Gateway targets' addresses; default: this machine's resolvers.
     */
    resolver?: string;
}

export const DEFAULT_DNS: DnsOptions = { timeoutMs: 2000 };

/** One answer from the zone's name servers. */
export interface DnsAnswer {
    /** Addresses (A, AAAA) or the target name (CNAME), sorted; empty when the name has none. */
    values: string[];
    /** The name server that answered. */
    server: string;
}

function resolverFor(server: string | undefined, timeoutMs: number): dns.Resolver {
    const r = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
    if (server !== undefined) {
        r.setServers([server]);
    }
    return r;
}

/** `ns-1.awsdns-01.com` → its addresses (`host:port` and IP literals are used as they are). */
async function serverAddresses(nameServer: string, options: DnsOptions): Promise<string[]> {
    if (isIP(nameServer) || /^\[.*\]:\d+$/.test(nameServer) || /^[\d.]+:\d+$/.test(nameServer)) {
        return [nameServer];
    }
    return resolverFor(options.resolver, options.timeoutMs).resolve4(nameServer.replace(/\.$/, ""));
}

const canonical = (name: string) => name.toLowerCase().replace(/\.$/, "");

async function query(
    resolver: dns.Resolver,
    name: string,
    type: "A" | "AAAA" | "CNAME",
): Promise<string[]> {
    try {
        switch (type) {
            case "A":
                return (await resolver.resolve4(name)).sort();
            case "AAAA":
                return (await resolver.resolve6(name)).sort();
            case "CNAME":
                return (await resolver.resolveCname(name)).map(canonical).sort();
        }
    } catch (e) {
        // The name exists without this type, or does not exist: an answer, not a failure.
        if (["ENODATA", "ENOTFOUND"].includes((e as NodeJS.ErrnoException).code ?? "")) {
            return [];
        }
        throw e;
    }
}

/**
 * Asks all the zone's name servers at once and takes the first answer: a silent server costs
 * nothing. Throws, naming every server, when none answers.
 */
export async function askZone(
    nameServers: string[],
    name: string,
    type: "A" | "AAAA" | "CNAME",
    options: DnsOptions = DEFAULT_DNS,
): Promise<DnsAnswer> {
    const ask = async (ns: string): Promise<DnsAnswer> => {
        const failures: string[] = [];
        let addresses: string[];
        try {
            addresses = await serverAddresses(ns, options);
        } catch (e) {
            throw new Error(`${ns}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        }
        for (const address of addresses) {
            try {
                const values = await query(resolverFor(address, options.timeoutMs), name, type);
                return { values, server: ns };
            } catch (e) {
                failures.push(
                    `${ns} (${address}): ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
                );
            }
        }
        throw new Error(failures.join("; ") || `${ns}: no address`);
    };
    try {
        return await Promise.any(nameServers.map(ask));
    } catch (e) {
        const reasons = (e as AggregateError).errors.map((x: Error) => x.message);
        throw new Error(
            `no name server of the zone answered for ${name} ${type}: ${reasons.join("; ")}`,
        );
    }
}

/** The first IPv4 address of a name outside the zone (an API Gateway target), or undefined. */
export async function resolveAddress(
    name: string,
    options: DnsOptions = DEFAULT_DNS,
): Promise<string | undefined> {
    try {
        return (
            await resolverFor(options.resolver, options.timeoutMs).resolve4(name.replace(/\.$/, ""))
        )[0];
    } catch {
        return undefined;
    }
}

/** What each region's routed answer looks like, to tell which region an answer points at. */
export interface RegionSignature {
    region: string;
    values: string[];
}

/**
 * Each region's signature: for CNAME records the API Gateway target name; for A/AAAA the
 * addresses of the region's own hostname (asked of the zone) and of its API Gateway target (asked
 * of the resolver), since an alias answers with the target's current addresses.
 */
export async function regionSignatures(
    service: Service,
    options: DnsOptions = DEFAULT_DNS,
): Promise<RegionSignature[]> {
    return Promise.all(
        service.regions.map(async (r: RegionOutputs) => {
            if (service.recordType === "CNAME") {
                return { region: r.region, values: [canonical(r.regionalDomainName)] };
            }
            const values = new Set<string>();
            const own = await askZone(
                service.nameServers,
                r.regionalHostname,
                service.recordType,
                options,
            ).catch(() => undefined);
            own?.values.forEach((v) => values.add(v));
            const target = await query(
                resolverFor(options.resolver, options.timeoutMs),
                r.regionalDomainName,
                service.recordType,
            ).catch(() => []);
            target.forEach((v) => values.add(v));
            return { region: r.region, values: [...values].sort() };
        }),
    );
}

/** The region an answer points at, when exactly one region's signature shares a value with it. */
export function regionOfAnswer(
    values: string[],
    signatures: RegionSignature[],
): string | undefined {
    const wanted = new Set(values.map(canonical));
    const matches = signatures.filter((s) => s.values.some((v) => wanted.has(canonical(v))));
    return matches.length === 1 ? matches[0].region : undefined;
}
