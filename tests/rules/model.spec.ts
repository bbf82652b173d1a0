// What the rules know of AWS comes from the Route 53 API model the AWS SDK ships, and nothing else
// at run time: the policy pack loads plan/rules without the Pulumi SDK.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    CloudWatchRegion,
    HealthCheckRegion,
    InsufficientDataHealthStatus,
    ResourceRecordSetRegion,
} from "@aws-sdk/client-route-53";
import {
    ALARM_REGIONS,
    HEALTH_CHECKER_REGIONS,
    INSUFFICIENT_DATA_STATUSES,
    LATENCY_REGIONS,
} from "../../plan/rules/values";

const rulesDir = path.join(__dirname, "..", "..", "plan", "rules");

describe("rules: the Route 53 model", () => {
    it("take regions and statuses from the AWS SDK's Route 53 enums", () => {
        assert.deepEqual(LATENCY_REGIONS, Object.values(ResourceRecordSetRegion));
        assert.deepEqual(HEALTH_CHECKER_REGIONS, Object.values(HealthCheckRegion));
        assert.deepEqual(ALARM_REGIONS, Object.values(CloudWatchRegion));
        assert.deepEqual(INSUFFICIENT_DATA_STATUSES, Object.values(InsufficientDataHealthStatus));
        assert.ok(LATENCY_REGIONS.includes("eu-west-1"));
        assert.equal(HEALTH_CHECKER_REGIONS.length, 8);
    });

    it("import only each other and the Route 53 SDK model", () => {
        for (const file of fs.readdirSync(rulesDir).filter((f) => f.endsWith(".ts"))) {
            const source = fs.readFileSync(path.join(rulesDir, file), "utf8");
            for (const [, from] of source.matchAll(/from "([^"]+)"/g)) {
                assert.ok(
                    /^\.\/[A-Za-z]+$/.test(from) || from === "@aws-sdk/client-route-53",
                    `${file} imports ${from}`,
                );
            }
        }
    });
});
