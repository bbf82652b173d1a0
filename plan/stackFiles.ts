// Reads a stack's configuration the way the Pulumi CLI hands it to the program: project-level
// values from Pulumi.yaml, overridden by Pulumi.<stack>.yaml, every key namespaced, objects and
// arrays as JSON strings.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** This repository's two-stack program. */
export const PROJECT_DIR = path.join(__dirname, "..");

/** A Pulumi project directory: its name (the config namespace) and its program. */
export interface Project {
    dir: string;
    name: string;
    /** The program's entry file. */
    main: string;
}

/** Reads `Pulumi.yaml` in `dir`. */
export function readProject(dir = PROJECT_DIR): Project {
    const file = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        throw new Error(`no Pulumi.yaml in ${dir}`);
    }
    const project = parse(fs.readFileSync(file, "utf8")) as { name: string; main?: string };
    return { dir, name: project.name, main: path.join(dir, project.main ?? "index.ts") };
}

interface ProjectConfigEntry {
    type?: string;
    default?: unknown;
    value?: unknown;
}

// `pulumi config set --secret` writes `key: { secure: <ciphertext> }`.
const isSecure = (v: unknown) =>
    typeof v === "object" && v !== null && Object.keys(v).length === 1 && "secure" in v;

/**
 * A stack file's value as the program receives it: strings as they are, anything else as JSON.
 * JSON has no NaN or Infinity (YAML's `.nan`, `.inf`, `1e400`), which would arrive as null and
 * read as "missing": refused here, naming where.
 */
function asConfigString(v: unknown, key: string, file: string): string {
    if (typeof v === "string") {
        return v;
    }
    return JSON.stringify(v, function (this: unknown, k: string, x: unknown) {
        if (typeof x === "number" && !Number.isFinite(x)) {
            throw new Error(
                `${file}: [${k === "" ? key : `${key}.${k}`}] is ${String(x)}, which configuration cannot carry (JSON has no such number): give a finite number`,
            );
        }
        return x;
    });
}

/** The keys a stack file may have (Pulumi's stack settings). */
const STACK_FILE_KEYS = [
    "config",
    "secretsprovider",
    "encryptedkey",
    "encryptionsalt",
    "environment",
];

/** Names of the stacks that have a `Pulumi.<stack>.yaml` file in `dir`, sorted. */
export function stackNames(dir = PROJECT_DIR): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * What the program sees in place of a `secure:` value: the plan has no key to decrypt it. It has
 * the shape of an access token, so rules about the value's form pass; the plan redacts secrets.
 */
export const UNDECRYPTED_SECRET = "plan-cannot-decrypt-this-secure-config-value";

/** A stack's configuration as a program run sees it, and which keys hold secrets. */
export interface StackConfigValues {
    values: Record<string, string>;
    /** Full keys (`namespace:key`) whose values are `secure:` in the stack file. */
    secretKeys: string[];
}

/** The configuration a program run for `stack` sees. */
export function stackConfig(stack: string, dir = PROJECT_DIR): Record<string, string> {
    return readStackConfig(stack, dir).values;
}

/** The configuration a program run for `stack` sees, with the keys that are secrets. */
export function readStackConfig(stack: string, dir = PROJECT_DIR): StackConfigValues {
    const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
        name: string;
        config?: Record<string, ProjectConfigEntry | string | number | boolean>;
    };
    const config: Record<string, string> = {};
    for (const [key, entry] of Object.entries(project.config ?? {})) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        const value =
            typeof entry === "object" && entry !== null ? (entry.value ?? entry.default) : entry;
        if (value !== undefined && value !== null) {
            config[full] = asConfigString(value, full, "Pulumi.yaml");
        }
    }
    const file = ["yaml", "yml"]
        .map((ext) => path.join(dir, `Pulumi.${stack}.${ext}`))
        .find((f) => fs.existsSync(f));
    if (!file) {
        throw new Error(`no stack file Pulumi.${stack}.yaml in ${dir}`);
    }
    const stackFile = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    const name = path.basename(file);
    for (const key of Object.keys(stackFile ?? {})) {
        if (!STACK_FILE_KEYS.includes(key)) {
            // Pulumi reads only these: anything else (a misspelled `config:`) would be ignored.
            throw new Error(
                `${name}: "${key}" is not a stack file setting; the settings are ${STACK_FILE_KEYS.join(", ")}`,
            );
        }
    }
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(stackFile?.config ?? {})) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        if (isSecure(value)) {
            secretKeys.push(full);
            config[full] = UNDECRYPTED_SECRET;
        } else {
            config[full] = asConfigString(value, full, name);
        }
    }
    return { values: config, secretKeys };
}
