// A loopback lab for the operator commands: a real DNS server answering as the hosted zone's name
// servers would, and real HTTP servers standing in for each region's API. Everything binds to
// 127.0.0.0/8 and stops when closed.
import * as dgram from "node:dgram";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as packet from "dns-packet";

/** A DNS server on loopback UDP; records are set and changed by the test. */
export class DnsLab {
    private readonly records = new Map<string, { type: string; values: string[] }>();
    /** Every question asked, in order (`name type`). */
    readonly questions: string[] = [];

    private constructor(private readonly socket: dgram.Socket) {}

    static async start(): Promise<DnsLab> {
        const socket = dgram.createSocket("udp4");
        const lab = new DnsLab(socket);
        socket.on("message", (message, peer) => lab.answer(message, peer));
        await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
        return lab;
    }

    /** `127.0.0.1:<port>`, as a name server in stack outputs or a `--resolver`. */
    get address(): string {
        const a = this.socket.address();
        return `${a.address}:${a.port}`;
    }

    /** Sets the answer for `name` (an A, AAAA or CNAME record); an empty list removes it. */
    set(name: string, type: "A" | "AAAA" | "CNAME", values: string[]): void {
        if (values.length === 0) {
            this.records.delete(name.toLowerCase());
        } else {
            this.records.set(name.toLowerCase(), { type, values });
        }
    }

    private answer(message: Buffer, peer: dgram.RemoteInfo): void {
        let query: packet.Packet;
        try {
            query = packet.decode(message);
        } catch {
            return;
        }
        const [question] = query.questions ?? [];
        if (!question) {
            return;
        }
        this.questions.push(`${question.name} ${question.type}`);
        const record = this.records.get(question.name.toLowerCase());
        // Authoritative: a CNAME is answered whatever type was asked; a name with another type
        // only is NODATA; an unknown name is NXDOMAIN.
        const answers =
            record && (record.type === question.type || record.type === "CNAME")
                ? record.values.map((data) => ({
                      name: question.name,
                      type: record.type as "A",
                      class: "IN" as const,
                      ttl: 60,
                      data,
                  }))
                : [];
        const response = packet.encode({
            id: query.id,
            type: "response",
            flags: packet.AUTHORITATIVE_ANSWER | (record ? 0 : 3),
            questions: [question],
            answers,
        });
        this.socket.send(response, peer.port, peer.address);
    }

    close(): Promise<void> {
        return new Promise((resolve) => this.socket.close(() => resolve()));
    }
}

/** One region's API on a loopback address: `/health` answers as the health function does. */
export class RegionServer {
    healthy = true;
    /** Requests received (`METHOD path host`). */
    readonly requests: string[] = [];

    private constructor(
        readonly region: string,
        private readonly server: http.Server,
    ) {}

    /** Loopback address and port; kept after close, for a late DNS change in a test. */
    address = "";
    port = 0;

    /** Starts on `address` (127.0.0.x), on `port` (0: any free port). */
    static async start(region: string, address: string, port = 0): Promise<RegionServer> {
        const server = http.createServer();
        const lab = new RegionServer(region, server);
        server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
            lab.requests.push(`${req.method} ${req.url} ${req.headers.host}`);
            const ok = lab.healthy && req.url === "/health";
            res.writeHead(ok ? 200 : 503, {
                "content-type": "application/json",
                "x-served-by-region": region,
            });
            res.end(
                JSON.stringify(
                    ok ? { status: "mra-health-ok", region } : { status: "unavailable", region },
                ),
            );
        });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(port, address, () => resolve());
        });
        ({ address: lab.address, port: lab.port } = server.address() as AddressInfo);
        return lab;
    }

    close(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}

/**
 * Two regions on one port at two loopback addresses, as the service name's two answers: retries
 * when the second address's port happens to be taken.
 */
export async function startRegions(
    regions: [string, string],
): Promise<[RegionServer, RegionServer]> {
    for (let attempt = 0; attempt < 10; attempt++) {
        const first = await RegionServer.start(regions[0], "127.0.0.1");
        try {
            const second = await RegionServer.start(regions[1], "127.0.0.2", first.port);
            return [first, second];
        } catch {
            await first.close();
        }
    }
    throw new Error("no port free on both 127.0.0.1 and 127.0.0.2");
}
