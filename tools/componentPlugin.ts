// This repository as a source-based component package, started the way the Pulumi CLI's Node.js
// language host starts one (`node @pulumi/pulumi/cmd/run-plugin <package dir> <engine address>`,
// in the consumer's directory): it loads package.json's `main` (dist/, which `npm install` builds
// through `prepare`), finds the exported components, names the package after package.json's
// `name`, and prints the port of its gRPC provider server. Its schema is what `pulumi package add`
// generates other languages' SDKs from: `npm run schema` writes it to schema.json, and the
// README's component tables from it; tests/components/schema.spec.ts compares both with what the
// running package serves.
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { GetSchemaRequest, GetSchemaResponse } from "@pulumi/pulumi/proto/provider_pb";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { README, renderTables, withTables } from "./libraryTables";

export const REPO = path.resolve(__dirname, "..");
/** The committed schema, the package's public surface. */
export const SCHEMA_FILE = path.join(REPO, "schema.json");

/** A started package: its process and the port it serves on. */
export interface StartedPlugin {
    child: ChildProcess;
    port: Promise<number>;
}

/**
 * Starts the package in `packageDir` as the language host does, with `engineAddress` as the
 * engine's address and an empty scratch directory (removed at exit) as the consumer's.
 */
export function startPlugin(packageDir = REPO, engineAddress = "127.0.0.1:1"): StartedPlugin {
    const consumer = fs.mkdtempSync(path.join(os.tmpdir(), "mra-consumer-"));
    process.once("exit", () => fs.rmSync(consumer, { recursive: true, force: true }));
    const runner = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [packageDir] });
    const child = spawn(process.execPath, [runner, packageDir, engineAddress], {
        cwd: consumer,
        stdio: ["ignore", "pipe", "pipe"],
    });
    process.once("exit", () => child.kill());
    let stdout = "";
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = new Promise<number>((resolve, reject) => {
        child.stdout?.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            // The language host reads the port from the first line; anything else breaks it.
            const [first, ...rest] = stdout.split("\n");
            if (rest.length === 0) {
                return; // the first line is not complete yet
            }
            if (/^\d+$/.test(first.trim())) {
                resolve(Number(first));
            } else {
                reject(new Error(`the package printed ${JSON.stringify(first)}, not a port`));
            }
        });
        child.on("exit", (code) =>
            reject(new Error(`the package exited (${code}) before serving:\n${stdout}${stderr}`)),
        );
    });
    return { child, port };
}

/** A client of the package's provider server. */
export function providerClient(port: number): ResourceProviderClient {
    return new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

/** The schema the package serves (what `pulumi package get-schema` prints). */
export async function servedSchema(client: ResourceProviderClient): Promise<PackageSchema> {
    const response = await new Promise<GetSchemaResponse>((resolve, reject) =>
        client.getSchema(new GetSchemaRequest(), (e, r) => (e ? reject(e) : resolve(r))),
    );
    return JSON.parse(response.getSchema()) as PackageSchema;
}

/** The parts of a Pulumi package schema the components' schema uses. */
export interface PackageSchema {
    name: string;
    version: string;
    description?: string;
    resources: Record<string, ResourceSchema>;
    types: Record<string, TypeSchema>;
    dependencies?: { name: string; version: string }[];
    language?: Record<string, unknown>;
}

export interface ResourceSchema {
    isComponent: true;
    description?: string;
    inputProperties?: Record<string, PropertySchema>;
    requiredInputs?: string[];
    properties?: Record<string, PropertySchema>;
    required?: string[];
}

export interface TypeSchema {
    type: string;
    description?: string;
    properties?: Record<string, PropertySchema>;
    required?: string[];
    enum?: { name?: string; value: string | number; description?: string }[];
}

export interface PropertySchema {
    type?: string;
    $ref?: string;
    plain?: boolean;
    description?: string;
    items?: PropertySchema;
    additionalProperties?: PropertySchema;
}

/**
 * `npm run schema`: writes what the package serves to schema.json, and the README's component
 * tables from it (formatted as `npm run format` would).
 */
async function main(): Promise<void> {
    const plugin = startPlugin();
    const client = providerClient(await plugin.port);
    try {
        const schema = await servedSchema(client);
        fs.writeFileSync(SCHEMA_FILE, `${JSON.stringify(schema, null, 2)}\n`);
        const prettier = await import("prettier");
        const readme = withTables(fs.readFileSync(README, "utf8"), renderTables(schema));
        const options = await prettier.resolveConfig(README);
        fs.writeFileSync(README, await prettier.format(readme, { ...options, filepath: README }));
        for (const file of [SCHEMA_FILE, README]) {
            console.log(`wrote ${path.relative(process.cwd(), file)}`);
        }
    } finally {
        client.close();
        plugin.child.kill();
    }
}

if (require.main === module) {
    main().catch((e: unknown) => {
        console.error(e instanceof Error ? e.message : String(e));
        process.exit(1);
    });
}
