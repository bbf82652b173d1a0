// The mock runtime names resources as the Pulumi engine does and, like the engine, refuses two
// resources with one URN. A child's URN type is its parent's qualified type, `$`, its own type.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { RecordedResource } from "../../plan/mockRuntime";
import { state } from "../harness";
import { exclusive, restoreHarness } from "../stack/evaluations";

class Component extends pulumi.ComponentResource {
    constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.registerOutputs({});
    }
}

class Leaf extends pulumi.CustomResource {
    constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Leaf", name, {}, opts);
    }
}

const urn = (type: string, name: string) => `urn:pulumi:mock::urn-test::${type}::${name}`;
const OUTER = "test:index:Outer";
const INNER = `${OUTER}$test:index:Inner`;
const THIRD = `${INNER}$test:index:Third`;

/** Runs `program` on a fresh runtime (project urn-test, stack mock); returns the records. */
function run(program: () => void): Promise<RecordedResource[]> {
    return exclusive(async () => {
        await state.start("urn-test", "mock", {});
        program();
        await state.settle();
        return [...state.resources];
    });
}

describe("mock runtime: URNs", () => {
    let recorded: RecordedResource[];
    const find = (name: string) => recorded.find((r) => r.name === name)!;
    before(async () => {
        recorded = await run(() => {
            const outer = new Component(OUTER, "outer");
            const inner = new Component("test:index:Inner", "inner", { parent: outer });
            const third = new Component("test:index:Third", "third", { parent: inner });
            const grandchild = new Leaf("grandchild", { parent: inner });
            new Leaf("great-grandchild", { parent: third });
            new Leaf("dependent", { parent: outer, dependsOn: [grandchild] });
            new Leaf("top");
            // One name under two parents: two URNs.
            new Leaf("same", { parent: outer });
            new Leaf("same", { parent: inner });
        });
    });
    after(restoreHarness);

    it("children of the root have their plain type and no parent", () => {
        assert.deepEqual(
            [find("outer"), find("top")].map((r) => [r.urn, r.parent]),
            [
                [urn(OUTER, "outer"), undefined],
                [urn("test:index:Leaf", "top"), undefined],
            ],
        );
    });

    it("a child's type is qualified by its parent's", () => {
        assert.deepEqual(
            [find("inner").urn, find("inner").parent],
            [urn(INNER, "inner"), urn(OUTER, "outer")],
        );
    });

    it("a grandchild (a resource in a component in a component) carries the whole type chain", () => {
        assert.deepEqual(
            [find("grandchild").urn, find("grandchild").parent],
            [urn(`${INNER}$test:index:Leaf`, "grandchild"), find("inner").urn],
        );
    });

    it("a great-grandchild carries the whole chain too, and its parent is its parent's URN", () => {
        assert.deepEqual(
            [find("third").urn, find("great-grandchild").urn, find("great-grandchild").parent],
            [
                urn(THIRD, "third"),
                urn(`${THIRD}$test:index:Leaf`, "great-grandchild"),
                urn(THIRD, "third"),
            ],
        );
    });

    it("a dependency on a grandchild names the grandchild's URN", () => {
        assert.deepEqual(find("dependent").dependsOn, [find("grandchild").urn]);
    });

    it("one name under two parents is two URNs", () => {
        assert.deepEqual(
            recorded.filter((r) => r.name === "same").map((r) => r.urn),
            [urn(`${OUTER}$test:index:Leaf`, "same"), urn(`${INNER}$test:index:Leaf`, "same")],
        );
    });
});

describe("mock runtime: duplicate URNs", () => {
    after(restoreHarness);

    it("settle() rejects, as the engine fails the update, naming the URN", async () => {
        const error = await exclusive(async () => {
            await state.start("urn-test", "mock", {});
            const outer = new Component(OUTER, "outer");
            new Leaf("twice", { parent: outer });
            new Leaf("twice", { parent: outer });
            return state.settle().then(
                () => undefined,
                (e: unknown) => e,
            );
        });
        assert.ok(error instanceof pulumi.RunError, String(error));
        assert.equal(
            error.message,
            `Duplicate resource URN (the Pulumi engine refuses these): ${urn(`${OUTER}$test:index:Leaf`, "twice")}`,
        );
    });

    it("a fresh start forgets the URNs of the previous program", async () => {
        const recorded = await run(() => new Leaf("twice"));
        assert.deepEqual(
            recorded.map((r) => r.urn),
            [urn("test:index:Leaf", "twice")],
        );
    });
});
