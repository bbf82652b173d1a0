// The api's JSON form of items and DynamoDB's AttributeValue: number limits, the read forms of
// every attribute type, refusals with their JSON Pointer, and the body scanner.
import assert from "node:assert/strict";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { LosslessNumber, parse, stringify } from "lossless-json";
import { scanStructure } from "../../functions/api/body";
import {
    fromAttributeMap,
    fromAttributeValue,
    isStorableNumber,
    numberToJson,
    pointer,
    Refusal,
    toAttributeMap,
    type ApiObject,
} from "../../functions/shared/attributes";
import { MESSAGES } from "./helpers";

const nines = (count: number) => "9".repeat(count);

describe("functions/shared/attributes", () => {
    it("accepts exactly the numbers DynamoDB holds exactly", () => {
        const storable = [
            "0",
            "-0",
            "0.000",
            "0e999999999999",
            "1E-130",
            "-1e-130",
            "0.1e-129",
            "10E-131",
            `9.${nines(37)}E+125`,
            `${nines(38)}e88`,
            `-${nines(38)}`,
            `0.${nines(38)}`,
            "1" + "0".repeat(125),
            "1.0000000000000000000000000000000000000000000",
            "9007199254740993",
        ];
        const unstorable = [
            "1E+126",
            `${nines(38)}e89`,
            "0.01e-129",
            "1E-131",
            nines(39),
            `0.${nines(39)}`,
            "1" + "0".repeat(126),
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "+1",
            ".5",
            "5.",
            "01",
            "NaN",
            "Infinity",
            "",
        ];
        assert.deepEqual(
            storable.filter((text) => !isStorableNumber(text)),
            [],
        );
        assert.deepEqual(
            unstorable.filter((text) => isStorableNumber(text)),
            [],
        );
    });

    it("reads an N as a JSON number with its digits, normalizing only what JSON cannot write", () => {
        const cases: [string, string | LosslessNumber][] = [
            [
                "12345678901234567890123456789012345678",
                new LosslessNumber("12345678901234567890123456789012345678"),
            ],
            ["-0.5", new LosslessNumber("-0.5")],
            ["1E+125", new LosslessNumber("1E+125")],
            ["+5", new LosslessNumber("5")],
            [".5", new LosslessNumber("0.5")],
            ["5.", new LosslessNumber("5")],
            ["007", new LosslessNumber("7")],
            ["-00.50", new LosslessNumber("-0.50")],
            ["1.e5", new LosslessNumber("1E5")],
            ["+.5E-3", new LosslessNumber("0.5E-3")],
            ["abc", "abc"],
            ["1e", "1e"],
            ["", ""],
            [" 1", " 1"],
        ];
        for (const [text, expected] of cases) {
            assert.deepEqual(numberToJson(text), expected, text);
        }
    });

    it("reads every attribute type in its documented JSON form", () => {
        const bytes = Uint8Array.from([0xff, 0x00, 0x10]);
        const view = new Uint8Array(Uint8Array.from([9, 9, 0xff, 0x00, 0x10, 9]).buffer, 2, 3);
        const item: Record<string, AttributeValue> = {
            s: { S: "text" },
            n: { N: "98765432109876543210.000000001" },
            t: { BOOL: true },
            z: { NULL: true },
            l: { L: [{ S: "a" }, { L: [] }] },
            // JSON.parse makes "__proto__" an own key (an object literal would set the prototype).
            m: {
                M: JSON.parse('{"__proto__":{"S":"kept"},"":{"N":"1"}}') as Record<
                    string,
                    AttributeValue
                >,
            },
            b: { B: bytes },
            view: { B: view },
            ss: { SS: ["x", "y"] },
            ns: { NS: ["1", "+2"] },
            bs: { BS: [bytes, new Uint8Array(0)] },
            future: { $unknown: ["V", { x: 1 }] },
        };
        const json = fromAttributeMap(item);
        assert.equal(
            stringify(json),
            '{"s":"text","n":98765432109876543210.000000001,"t":true,"z":null,"l":["a",[]],' +
                '"m":{"__proto__":"kept","":1},"b":{"$binary":"/wAQ"},"view":{"$binary":"/wAQ"},' +
                '"ss":{"$stringSet":["x","y"]},"ns":{"$numberSet":[1,2]},' +
                '"bs":{"$binarySet":["/wAQ",""]},"future":null}',
        );
        assert.equal(Object.getPrototypeOf((json as { m: object }).m), Object.prototype);
        assert.equal(fromAttributeValue({ S: "" }), "");
    });

    it("writes JSON values as attribute values and refuses, with a JSON Pointer, what it cannot", () => {
        const body = parse('{"a":[1.50,"x",true,null,{"b":{}}],"$binary":"top level is fine"}');
        assert.deepEqual(toAttributeMap(body as ApiObject), {
            a: {
                L: [
                    { N: "1.50" },
                    { S: "x" },
                    { BOOL: true },
                    { NULL: true },
                    { M: { b: { M: {} } } },
                ],
            },
            $binary: { S: "top level is fine" },
        });
        const refusal = (json: string) => {
            const result = toAttributeMap(parse(json) as ApiObject);
            assert.ok(result instanceof Refusal, json);
            return [result.path, result.message];
        };
        assert.deepEqual(refusal('{"a~/b":[0,1e999]}'), [
            "/a~0~1b/1",
            MESSAGES.number("/a~0~1b/1"),
        ]);
        assert.deepEqual(refusal('{"m":{"$numberSet":[1]}}'), ["/m", MESSAGES.tag("/m")]);
        const deep = '{"a":'.repeat(33) + "1" + "}".repeat(33);
        assert.deepEqual(refusal(deep), ["/a".repeat(33), MESSAGES.tooDeep("/a".repeat(33))]);
        assert.equal(pointer("", ""), "/");
        assert.throws(() => toAttributeMap({ n: 1 as unknown as string }), TypeError);
    });

    it("scans JSON text for duplicates and depth without recursion, and survives invalid text", () => {
        assert.deepEqual(scanStructure('{"a":{"b":1,"c":[{"d":1,"d":2}]},"a":0}'), {
            duplicate: "/a/c/0/d",
        });
        assert.deepEqual(scanStructure('{"x":"a\\"b","y":"\\\\","x":1}'), { duplicate: "/x" });
        assert.deepEqual(scanStructure('{"k":' + "[".repeat(100000)), {
            tooDeep: "/k" + "/0".repeat(32),
            duplicate: undefined,
        });
        for (const text of ['{"a', "}}]]", '{"a":"\\', "[[,,]]", '{"\\ud800":1}', "\u0000"]) {
            assert.doesNotThrow(() => scanStructure(text), text);
        }
    });
});
