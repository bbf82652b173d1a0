/**
 * Items between the API's JSON form and DynamoDB's AttributeValue (no SDK code, types only).
 *
 * JSON form of each DynamoDB attribute type, as GET /products/{id} returns it:
 *
 * | DynamoDB | JSON form                                   | example                                |
 * | -------- | ------------------------------------------- | -------------------------------------- |
 * | S        | string                                      | `"kettle"`                             |
 * | N        | number, with DynamoDB's digits exactly      | `12345678901234567890123`, `0.1`       |
 * | BOOL     | `true` / `false`                            | `true`                                 |
 * | NULL     | `null`                                      | `null`                                 |
 * | L        | array                                       | `[1, "a"]`                             |
 * | M        | object                                      | `{"w": 1}`                             |
 * | B        | `{"$binary": "<base64>"}`                   | `{"$binary": "AAEC"}`                  |
 * | SS       | `{"$stringSet": [strings]}`                 | `{"$stringSet": ["a", "b"]}`           |
 * | NS       | `{"$numberSet": [numbers]}`                 | `{"$numberSet": [1, 2.5]}`             |
 * | BS       | `{"$binarySet": ["<base64>", ...]}`         | `{"$binarySet": ["AAEC", "/w=="]}`     |
 *
 * Numbers are never converted to binary floating point: the digits DynamoDB returns are written
 * out as they are (beyond 2^53 and up to 38 significant digits). DynamoDB returns an N in its own
 * normalized form (a PUT of `1.50` reads back as `1.5`, equal in value). An N text that is not in
 * JSON number grammar (`+5`, `.5`, `5.`, `007`: DynamoDB never returns one, other stores might)
 * is written as the equal JSON number (`5`, `0.5`, `5`, `7`); one that is no number at all is
 * returned as its text, a string. Sets come back in the order DynamoDB returns them. An attribute
 * type added to DynamoDB after this code reads as `null` rather than failing the read.
 *
 * Writes (PUT) accept the first six forms. Numbers are stored exactly as sent if DynamoDB can
 * hold them: at most 38 significant digits and a magnitude from 1E-130 to
 * 9.9999999999999999999999999999999999999E+125, or zero. Refused, each with the JSON Pointer
 * (RFC 6901) of the offending value: any other number; a key `__proto__` (the AWS SDK's
 * serializer and deserializer mangle or drop that attribute name); an empty key; a string or key
 * with an unpaired UTF-16 surrogate (it would be stored as U+FFFD); a value nested more than 32
 * levels deep (a top-level attribute is level 1); and an object whose only key is `$binary`,
 * `$stringSet`, `$numberSet` or `$binarySet`, so that a read never has two meanings.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { isLosslessNumber, LosslessNumber } from "lossless-json";

/** A JSON value as the api handler parses and answers it (numbers kept as their text). */
export type ApiValue = string | boolean | null | LosslessNumber | ApiValue[] | ApiObject;

/** A JSON object as the api handler parses and answers it. */
export interface ApiObject {
    [key: string]: ApiValue;
}

/** Keys of the single-key objects that show B, SS, NS and BS attributes. */
export const TYPE_TAGS = ["$binary", "$stringSet", "$numberSet", "$binarySet"] as const;

/** DynamoDB's nesting limit: a top-level attribute is level 1. */
export const MAX_NESTING_LEVELS = 32;

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE])([+-]?\d+))?$/;
const MAX_SIGNIFICANT_DIGITS = 38;
const MIN_EXPONENT = -130;
const MAX_EXPONENT = 125;
// In a `u` regular expression a surrogate pair is one code point, so this matches only the
// unpaired halves.
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/** JSON Pointer (RFC 6901) of `segment` inside the value at `parent`. */
export function pointer(parent: string, segment: string | number): string {
    return `${parent}/${String(segment).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** The refusal message of a value nested deeper than {@link MAX_NESTING_LEVELS}. */
export function tooDeepMessage(path: string): string {
    return `value nested too deeply at ${path}: values may be nested at most ${MAX_NESTING_LEVELS} levels deep`;
}

const NUMBER_RULE =
    "numbers may have at most 38 significant digits and, unless 0, a magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125";
const TEXT_RULE = "text must be valid Unicode (no unpaired surrogate escapes such as \\ud800)";

/** Why a value cannot be stored (`message`, for the client), and where (a JSON Pointer). */
export class Refusal extends Error {
    constructor(
        readonly path: string,
        message: string,
    ) {
        super(message);
        this.name = "Refusal";
    }
}

/**
 * Converts a parsed request body (an object) to a DynamoDB item, or returns the first value in
 * document order that cannot be stored exactly. Throws only on a value no JSON parser produces.
 */
export function toAttributeMap(body: ApiObject): Record<string, AttributeValue> | Refusal {
    try {
        return convertObject(body, "", 0);
    } catch (error) {
        if (error instanceof Refusal) {
            return error;
        }
        throw error;
    }
}

function convertObject(
    object: ApiObject,
    path: string,
    level: number,
): Record<string, AttributeValue> {
    const keys = Object.keys(object);
    if (level > 0 && keys.length === 1 && (TYPE_TAGS as readonly string[]).includes(keys[0])) {
        throw new Refusal(
            path,
            `reserved object form at ${path}: an object whose only key is "$binary", "$stringSet", "$numberSet" or "$binarySet" is how reads show other attribute types; add another key or rename this one`,
        );
    }
    const result: Record<string, AttributeValue> = {};
    for (const key of keys) {
        const at = pointer(path, key);
        if (key === "") {
            throw new Refusal(at, `invalid key at ${at}: keys must not be empty`);
        }
        if (key === "__proto__") {
            throw new Refusal(at, `invalid key at ${at}: "__proto__" is not allowed as a key`);
        }
        if (UNPAIRED_SURROGATE.test(key)) {
            throw new Refusal(at, `invalid key at ${at}: ${TEXT_RULE}`);
        }
        result[key] = convert(object[key], at, level + 1);
    }
    return result;
}

function convert(value: ApiValue, path: string, level: number): AttributeValue {
    if (level > MAX_NESTING_LEVELS) {
        throw new Refusal(path, tooDeepMessage(path));
    }
    if (typeof value === "string") {
        if (UNPAIRED_SURROGATE.test(value)) {
            throw new Refusal(path, `invalid string at ${path}: ${TEXT_RULE}`);
        }
        return { S: value };
    }
    if (typeof value === "boolean") {
        return { BOOL: value };
    }
    if (value === null) {
        return { NULL: true };
    }
    if (isLosslessNumber(value)) {
        if (!isStorableNumber(value.value)) {
            throw new Refusal(path, `invalid number at ${path}: ${NUMBER_RULE}`);
        }
        // The text exactly as sent; DynamoDB normalizes it to an equal value.
        return { N: value.value };
    }
    if (Array.isArray(value)) {
        return { L: value.map((item, index) => convert(item, pointer(path, index), level + 1)) };
    }
    if (typeof value === "object") {
        return { M: convertObject(value, path, level) };
    }
    throw new TypeError(`not a JSON value: ${typeof value}`);
}

interface DecimalParts {
    negative: boolean;
    /** Significant digits, without leading or trailing zeros ("" for zero). */
    digits: string;
    /** Exponent of the first significant digit in scientific notation. */
    exponent: number;
}

function decimalParts(text: string): DecimalParts | undefined {
    const match = DECIMAL.exec(text);
    if (match === null) {
        return undefined;
    }
    const [, sign, integer, fraction = "", , exponentText = "0"] = match;
    if (integer === "" && fraction === "") {
        return undefined;
    }
    const all = integer + fraction;
    const leadingZeros = all.length - all.replace(/^0+/, "").length;
    const digits = all.slice(leadingZeros).replace(/0+$/, "");
    // Number() is exact for every exponent that matters; a longer one is far out of range anyway.
    const exponent = integer.length - leadingZeros - 1 + Number(exponentText);
    return { negative: sign === "-", digits, exponent };
}

/** True if DynamoDB can hold the number written as `text` (JSON number grammar) exactly. */
export function isStorableNumber(text: string): boolean {
    if (!JSON_NUMBER.test(text)) {
        return false;
    }
    const parts = decimalParts(text);
    if (parts === undefined) {
        return false;
    }
    if (parts.digits === "") {
        return true;
    }
    return (
        parts.digits.length <= MAX_SIGNIFICANT_DIGITS &&
        parts.exponent >= MIN_EXPONENT &&
        parts.exponent <= MAX_EXPONENT
    );
}

/**
 * The JSON form of an N attribute: a lossless number with DynamoDB's digits, the equal JSON
 * number if the text is a decimal outside JSON's grammar, else the text itself.
 */
export function numberToJson(text: string): LosslessNumber | string {
    if (JSON_NUMBER.test(text)) {
        return new LosslessNumber(text);
    }
    const match = DECIMAL.exec(text);
    if (match === null || (match[2] === "" && (match[3] ?? "") === "")) {
        return text;
    }
    const [, sign, integer, fraction = "", marker = "", exponent = ""] = match;
    const normalized =
        (sign === "-" ? "-" : "") +
        (integer.replace(/^0+(?=\d)/, "") || "0") +
        (fraction === "" ? "" : `.${fraction}`) +
        (marker === "" ? "" : `E${exponent}`);
    return new LosslessNumber(normalized);
}

function base64(bytes: Uint8Array): string {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

// Own property even for "__proto__", which plain assignment would treat as the prototype.
function setOwn(object: ApiObject, key: string, value: ApiValue): void {
    Object.defineProperty(object, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
    });
}

/** The JSON form of an item (or an M attribute), see the table above. Never throws on valid data. */
export function fromAttributeMap(map: Record<string, AttributeValue>): ApiObject {
    const result: ApiObject = {};
    for (const [key, value] of Object.entries(map)) {
        setOwn(result, key, fromAttributeValue(value));
    }
    return result;
}

/** The JSON form of one attribute value, see the table above. */
export function fromAttributeValue(value: AttributeValue): ApiValue {
    if (value.S !== undefined) {
        return value.S;
    }
    if (value.N !== undefined) {
        return numberToJson(value.N);
    }
    if (value.BOOL !== undefined) {
        return value.BOOL;
    }
    if (value.NULL !== undefined) {
        return null;
    }
    if (value.L !== undefined) {
        return value.L.map(fromAttributeValue);
    }
    if (value.M !== undefined) {
        return fromAttributeMap(value.M);
    }
    if (value.B !== undefined) {
        return { $binary: base64(value.B) };
    }
    if (value.SS !== undefined) {
        return { $stringSet: [...value.SS] };
    }
    if (value.NS !== undefined) {
        return { $numberSet: value.NS.map(numberToJson) };
    }
    if (value.BS !== undefined) {
        return { $binarySet: value.BS.map(base64) };
    }
    // An attribute type newer than this code (the SDK's `$unknown`): shown as null, not a failure.
    return null;
}
