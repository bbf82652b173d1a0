// `npm run function-sizes`: the longest functions of the project's own code, in lines, so that a
// constructor that grows past a screen is seen.
import * as path from "node:path";
import ts from "typescript";

const root = path.join(__dirname, "..");
const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, "tsconfig.json"),
    {},
    {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
            throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        },
    },
);
const files = (config?.fileNames ?? []).filter((f) => !/\/(tests|examples)\//.test(f));

const sizes: { name: string; lines: number }[] = [];
for (const file of files) {
    const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? "", ts.ScriptTarget.Latest);
    const visit = (node: ts.Node, owner: string) => {
        if (ts.isFunctionLike(node) && "body" in node && node.body) {
            const line = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
            const name = ts.isConstructorDeclaration(node)
                ? `${owner} constructor`
                : (node.name?.getText(source) ?? owner);
            sizes.push({
                name: `${path.relative(root, file)}:${line(node.getStart(source)) + 1} ${name}`,
                lines: line(node.end) - line(node.getStart(source)) + 1,
            });
        }
        const next =
            ts.isClassDeclaration(node) || ts.isVariableDeclaration(node)
                ? (node.name?.getText(source) ?? owner)
                : owner;
        ts.forEachChild(node, (child) => visit(child, next));
    };
    visit(source, "(anonymous)");
}
const count = Number(process.argv[2] ?? 10);
for (const s of sizes.sort((a, b) => b.lines - a.lines).slice(0, count)) {
    console.log(`${String(s.lines).padStart(4)}  ${s.name}`);
}
