// The consumer project's type check, run by pack.spec.ts in a child process: type-checks consumer
// projects (each a directory with this tsconfig.json, the consumer's sources and
// node_modules/multi-region-api extracted from the packed tarball) with the TypeScript compiler
// API of the consumer's typescript, and emits their JavaScript.
//
//     node typecheck.js <consumer dir> [<consumer dir> ...]
//
// Checked, with the consumer's own options (which must be strict with skipLibCheck off): the
// consumer's files and every .d.ts the package ships (all of them are roots, reachable or not), so
// an error in our declarations, such as an import of a module that is neither shipped nor a
// dependency, is reported. Third-party declarations (@pulumi/aws alone is 3,000 files) are parsed
// and bound, as they must be to resolve types, but not themselves checked: they are not ours.
//
// Prints one JSON object: for each directory, the diagnostics (formatted as tsc prints them,
// paths relative to that directory) and the files checked; and this process's CPU time.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const started = Date.now();
const dirs = process.argv.slice(2).map((dir) => fs.realpathSync(dir));
if (dirs.length === 0) {
    throw new Error("usage: node typecheck.js <consumer dir>...");
}
// The consumer's own typescript (a link to the repository's), as a consumer's `tsc` would be.
const ts = require(require.resolve("typescript", { paths: [dirs[0]] }));

const slash = (p) => p.split(path.sep).join("/");
const under = (file, dir) => file.startsWith(`${slash(dir)}/`);

// Third-party files are the same (real) paths in every consumer: parse and bind them once.
const shared = new Map();

function walk(dir) {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
            e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
        );
}

function check(dir) {
    const config = ts.getParsedCommandLineOfConfigFile(
        path.join(dir, "tsconfig.json"),
        {},
        {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: (d) => {
                throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
            },
        },
    );
    const options = config.options;
    if (options.strict !== true || options.skipLibCheck !== false || options.skipDefaultLibCheck) {
        throw new Error(`${dir}/tsconfig.json must set strict: true and skipLibCheck: false`);
    }
    const pkg = path.join(dir, "node_modules", "multi-region-api");
    const shipped = walk(pkg).filter((f) => f.endsWith(".d.ts"));

    const host = ts.createCompilerHost(options);
    // As `tsc` does: JSDoc in .ts/.d.ts files carries no types, so do not parse it.
    host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, ...rest) => {
        if (dirs.some((d) => under(fileName, d))) {
            return getSourceFile(fileName, ...rest);
        }
        let sf = shared.get(fileName);
        if (!sf) {
            sf = getSourceFile(fileName, ...rest);
            if (sf) {
                shared.set(fileName, sf);
            }
        }
        return sf;
    };

    const program = ts.createProgram({
        rootNames: [...config.fileNames, ...shipped.map(slash)],
        options,
        host,
        configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
    });
    const own = new Set(config.fileNames.map(slash));
    const ours = program
        .getSourceFiles()
        .filter((sf) => own.has(sf.fileName) || under(sf.fileName, pkg));
    const diagnostics = [
        ...program.getConfigFileParsingDiagnostics(),
        ...program.getOptionsDiagnostics(),
        ...program.getGlobalDiagnostics(),
        ...ours.flatMap((sf) => [
            ...program.getSyntacticDiagnostics(sf),
            ...program.getSemanticDiagnostics(sf),
        ]),
    ];
    // Emit the consumer's own files only (with these options: program.js beside program.ts).
    for (const sf of ours.filter((sf) => own.has(sf.fileName))) {
        diagnostics.push(...program.emit(sf).diagnostics);
    }
    const formatHost = {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => dir,
        getNewLine: () => "\n",
    };
    return {
        diagnostics: [
            ...new Set(diagnostics.map((d) => ts.formatDiagnostic(d, formatHost).trimEnd())),
        ],
        checked: ours.map((sf) => slash(path.relative(dir, sf.fileName))).sort(),
        files: program.getSourceFiles().length,
    };
}

const results = {};
for (const dir of dirs) {
    results[dir] = check(dir);
}
const cpu = process.cpuUsage();
console.log(
    JSON.stringify({
        results,
        wallMs: Date.now() - started,
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    }),
);
