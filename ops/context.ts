// What every operator command runs with: AWS clients, DNS settings, a clock and where to write.
import * as readline from "node:readline/promises";
import { AwsClients } from "./aws";
import { DEFAULT_DNS, type DnsOptions } from "./dns";
import { OperatorInputError, type StackOutputReader } from "./outputs";

export interface OpsContext {
    aws: AwsClients;
    dns: DnsOptions;
    /**
     * `/health` probes give up after this long (Route 53's budget is 4 s to connect and 2 s to
     * answer, plus 2 s for the body when it searches for a string).
     */
    probeTimeoutMs: number;
    /**
     * How far past a minute boundary to wait before publishing a release again (see
     * `releaseSwitch`): this machine's clock and CloudWatch's differ a little.
     */
    minuteMarginMs: number;
    /** Milliseconds since the epoch. */
    now(): number;
    sleep(ms: number): Promise<void>;
    /** Standard output, one line at a time. */
    out(line: string): void;
    /** Progress and warnings (standard error), so that `--json` output stays parseable. */
    err(line: string): void;
    /** Replaces the current line of a terminal's standard error (live progress). */
    rewrite(line: string): void;
}

export function defaultContext(overrides: Partial<OpsContext> = {}): OpsContext {
    return {
        aws: new AwsClients(),
        dns: DEFAULT_DNS,
        probeTimeoutMs: 6000,
        minuteMarginMs: 2000,
        now: () => Date.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        rewrite: (line) => process.stderr.write(`\r\x1b[K${line}`),
        ...overrides,
    };
}

/** Asks on the terminal; refuses when there is none (scripts pass --yes). */
export type Confirm = (question: string) => Promise<boolean>;

/** What the operator commands run with; tests replace the parts that reach outside. */
export interface OpsRuntime {
    context: OpsContext;
    confirm: Confirm;
    readStack?: StackOutputReader;
    /** Where Ctrl-C comes from. */
    interrupts: NodeJS.EventEmitter;
    tty: boolean;
}

export function defaultRuntime(): OpsRuntime {
    return {
        context: defaultContext(),
        confirm: terminalConfirm,
        interrupts: process,
        tty: Boolean(process.stderr.isTTY),
    };
}

const terminalConfirm: Confirm = async (question) => {
    if (!process.stdin.isTTY) {
        throw new OperatorInputError(
            "no terminal to confirm on: pass --yes to go ahead without asking",
        );
    }
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
    } catch {
        // Ctrl-C or end of input at the prompt: not a yes.
        return false;
    } finally {
        rl.close();
    }
};
