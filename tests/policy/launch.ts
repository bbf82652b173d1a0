// Starting a policy pack the way the Pulumi CLI does (`node @pulumi/pulumi/cmd/run-policy-pack
// <engine> .` in the pack's folder, which prints the port of the analyzer's gRPC server), and
// calling it as the engine does.
import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "node:child_process";

/**
 * Starts the pack in `packDir` as the CLI does (with the SDK the pack's folder resolves, and `env`);
 * `port` resolves with the port it prints.
 */
export function startPack(
    packDir: string,
    env: NodeJS.ProcessEnv = process.env,
): { child: ChildProcess; port: Promise<number> } {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: packDir, env });
    let stdout = "";
    let stderr = "";
    const port = new Promise<number>((resolve, reject) => {
        child.stdout?.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const line = /^(\d+)\s*$/m.exec(stdout);
            if (line) {
                resolve(Number(line[1]));
            }
        });
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("exit", (code) =>
            reject(new Error(`the pack exited (${code}) before serving:\n${stdout}${stderr}`)),
        );
    });
    return { child, port };
}

/** One unary gRPC call as a promise. */
export function unary<Res>(call: (done: (e: grpc.ServiceError | null, res: Res) => void) => void) {
    return new Promise<Res>((resolve, reject) => call((e, res) => (e ? reject(e) : resolve(res))));
}
