// Starting a policy pack the way the Pulumi CLI does (`node @pulumi/pulumi/cmd/run-policy-pack
// <engine> .` in the pack's folder, which prints the port of the analyzer's gRPC server), and
// calling it as the engine does.
import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.join(__dirname, "..", "..");

/**
 * Starts the pack in `packDir` as the CLI does (with the Pulumi SDK `sdkFrom` resolves, and `env`);
 * `port` resolves with the port it prints.
 */
export function startPack(
    packDir: string,
    env: NodeJS.ProcessEnv = process.env,
    sdkFrom = packDir,
): { child: ChildProcess; port: Promise<number> } {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [sdkFrom] });
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

/**
 * This repository's pack laid out as `npm install multi-region-api` lays it out: the pack's folder
 * under `node_modules/multi-region-api/`, beside the compiled `dist/` (a link to this repository's,
 * which `npm test` builds first), in a scratch directory removed at exit. Its launcher then loads
 * the compiled pack, which starts in about a second, where the TypeScript source takes ts-node
 * several seconds of type-checking (the same types `tsc` checks).
 */
export function installedPack(): string {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mra-pack-"));
    process.once("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));
    const installed = path.join(scratch, "node_modules", "multi-region-api");
    fs.mkdirSync(path.join(installed, "policy"), { recursive: true });
    for (const file of ["launch.js", "package.json", "PulumiPolicy.yaml"]) {
        fs.copyFileSync(path.join(root, "policy", file), path.join(installed, "policy", file));
    }
    fs.symlinkSync(path.join(root, "dist"), path.join(installed, "dist"), "junction");
    return path.join(installed, "policy");
}
