// Runs the Pulumi SDK's component analyzer (what `pulumi package` derives a component package's
// schema with) and prints its result as JSON. schema.spec.ts starts it in a child process, so that
// its seconds of type checking run beside the other specs.
// Usage: node -r ts-node/register analyzeSchema.ts <dir holding tsconfig.json> <entry .js> <component>...
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";

const [dir, entry, ...components] = process.argv.slice(2);
const analyzer = new Analyzer(
    dir,
    "multi-region-api",
    { name: "multi-region-api", exports: entry },
    new Set(components),
);
process.stdout.write(JSON.stringify(analyzer.analyze()));
