// `GET /health` as Route 53's checkers judge it: a 2xx or 3xx status within the time budget, and
// the search string within the first 5,120 bytes of the body.
import * as http from "node:http";
import * as https from "node:https";
import type { LookupFunction } from "node:net";

/** Route 53 searches this much of a response body for the string. */
const SEARCH_WINDOW_BYTES = 5120;

export interface ProbeResult {
    url: string;
    /** The address connected to, when the probe was pinned to one. */
    address?: string;
    healthy: boolean;
    status?: number;
    /** The region that served the answer (`x-served-by-region`, set by every handler). */
    servedBy?: string;
    elapsedMs: number;
    /** Why it is not healthy: the status, a missing search string, or the network error. */
    problem?: string;
}

export interface ProbeOptions {
    searchString: string;
    timeoutMs: number;
    /** Connect to this address instead of resolving the URL's host (TLS still checks the name). */
    address?: string;
}

/** Probes `url` once; never throws. */
export function probeHealth(url: string, options: ProbeOptions): Promise<ProbeResult> {
    const started = performance.now();
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    const lookup: LookupFunction | undefined = options.address
        ? (_host, opts, callback) => {
              const family = options.address!.includes(":") ? 6 : 4;
              if ((opts as { all?: boolean }).all) {
                  (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
                      { address: options.address!, family },
                  ]);
              } else {
                  callback(null, options.address!, family);
              }
          }
        : undefined;
    return new Promise((resolve) => {
        const done = (r: Omit<ProbeResult, "url" | "elapsedMs" | "address">) =>
            resolve({
                url,
                ...(options.address ? { address: options.address } : {}),
                elapsedMs: Math.round(performance.now() - started),
                ...r,
            });
        const request = client.get(
            target,
            // A new connection each time (no agent): a kept-alive socket would still reach the
            // address an earlier answer gave, and hide a change of DNS.
            {
                lookup,
                agent: false,
                timeout: options.timeoutMs,
                headers: { "cache-control": "no-cache" },
            },
            (response) => {
                const servedBy = response.headers["x-served-by-region"];
                const status = response.statusCode ?? 0;
                // Route 53 searches the first 5,120 bytes (not characters) of the body.
                const chunks: Buffer[] = [];
                let bytes = 0;
                const finish = () => {
                    response.destroy();
                    const okStatus = status >= 200 && status < 400;
                    const window = Buffer.concat(chunks).subarray(0, SEARCH_WINDOW_BYTES);
                    const found = window.includes(Buffer.from(options.searchString, "utf8"));
                    done({
                        healthy: okStatus && found,
                        status,
                        servedBy: typeof servedBy === "string" ? servedBy : undefined,
                        problem: !okStatus
                            ? `status ${status}`
                            : found
                              ? undefined
                              : `the body lacks "${options.searchString}"`,
                    });
                };
                response.on("data", (chunk: Buffer) => {
                    chunks.push(chunk);
                    bytes += chunk.length;
                    if (bytes >= SEARCH_WINDOW_BYTES) {
                        finish();
                    }
                });
                response.on("end", finish);
                response.on("error", (e) => done({ healthy: false, status, problem: e.message }));
            },
        );
        const overall = setTimeout(
            () => request.destroy(new Error("timed out")),
            options.timeoutMs,
        );
        request.on("timeout", () => request.destroy(new Error("timed out")));
        request.on("error", (e: NodeJS.ErrnoException) =>
            done({ healthy: false, problem: e.code ?? e.message }),
        );
        request.on("close", () => clearTimeout(overall));
    });
}
