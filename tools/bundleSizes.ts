// Prints the size of each Lambda handler bundle, as deployed: `npm run bundle-sizes`.
import { gzipSync } from "node:zlib";
import { bundleHandler, HandlerName } from "../components/handlerBundle";

for (const name of ["api", "health", "peer", "bridge"] as HandlerName[]) {
    const code = Buffer.from(bundleHandler(name));
    console.log(`${name}: ${code.length} bytes (${gzipSync(code).length} gzipped)`);
}
