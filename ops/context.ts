// What every operator command runs with: AWS clients, DNS settings, a clock and where to write.
import { AwsClients } from "./aws";
import { DEFAULT_DNS, type DnsOptions } from "./dns";

export interface OpsContext {
    aws: AwsClients;
    dns: DnsOptions;
    /** `/health` probes give up after this long (Route 53's own budget is 4 s connect + 2 s). */
    probeTimeoutMs: number;
    /** Milliseconds since the epoch. */
    now(): number;
    sleep(ms: number): Promise<void>;
    /** Standard output, one line at a time. */
    out(line: string): void;
    /** Progress and warnings (standard error), so that `--json` output stays parseable. */
    err(line: string): void;
}

export function defaultContext(overrides: Partial<OpsContext> = {}): OpsContext {
    return {
        aws: new AwsClients(),
        dns: DEFAULT_DNS,
        probeTimeoutMs: 6000,
        now: () => Date.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        ...overrides,
    };
}
