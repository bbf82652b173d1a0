// `npm run test-wall-time`: how long the README's test command takes, wall clock. Measured here
// and reported, never asserted in a test (a loaded machine would make such a test flaky).
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

const start = performance.now();
const child = spawn("npm", ["test"], { stdio: ["ignore", "ignore", "inherit"] });
child.on("exit", (code) => {
    const seconds = (performance.now() - start) / 1000;
    console.log(`npm test: ${seconds.toFixed(1)} s wall, exit ${code}`);
    process.exitCode = code ?? 1;
});
