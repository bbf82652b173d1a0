// Request body of PUT /products/{id}: bytes, text, then a JSON object with numbers kept as text.
import { TextDecoder } from "node:util";
import { isLosslessNumber, parse } from "lossless-json";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { MAX_NESTING_LEVELS, pointer, tooDeepMessage, type ApiObject } from "../shared/attributes";

/** Largest accepted PUT body, in bytes after base64 decoding. */
export const MAX_BODY_BYTES = 16384;

/** A parsed body, or why it was refused. */
export type BodyResult =
    { ok: true; value: ApiObject } | { ok: false; statusCode: 400 | 413; message: string };

// A byte order mark stays in the text (and makes it invalid JSON), as in a body that is not
// base64-encoded, so both encodings of one body get the same answer.
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes and parses the body of a PUT, refusing anything that is not one JSON object. */
export function parseBody(
    event: Pick<APIGatewayProxyEvent, "body" | "isBase64Encoded">,
): BodyResult {
    const refuse = (message: string, statusCode: 400 | 413 = 400): BodyResult => ({
        ok: false,
        statusCode,
        message,
    });
    if (event.body === null || event.body === undefined || event.body === "") {
        return refuse("request body is required");
    }
    let text: string;
    if (event.isBase64Encoded) {
        // Buffer.from(..., "base64") skips characters it does not know; strict means canonical.
        const bytes = Buffer.from(event.body, "base64");
        if (!BASE64.test(event.body) || bytes.toString("base64") !== event.body) {
            return refuse("request body is not valid base64");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            return refuse(`request body exceeds ${MAX_BODY_BYTES} bytes`, 413);
        }
        try {
            text = STRICT_UTF8.decode(bytes);
        } catch {
            return refuse("request body must be UTF-8 encoded JSON");
        }
    } else {
        if (Buffer.byteLength(event.body, "utf8") > MAX_BODY_BYTES) {
            return refuse(`request body exceeds ${MAX_BODY_BYTES} bytes`, 413);
        }
        text = event.body;
    }
    // Before parsing: the parser recurses once per level, and 16 KiB of "[" would overflow its
    // stack; this scan is iterative.
    const structure = scanStructure(text);
    if (structure.tooDeep !== undefined) {
        return refuse(tooDeepMessage(structure.tooDeep));
    }
    let value: unknown;
    try {
        // Equal duplicates pass the parser silently; the scan reports every duplicate.
        value = parse(text, null, { onDuplicateKey: () => undefined });
    } catch {
        return refuse("request body is not valid JSON");
    }
    if (structure.duplicate !== undefined) {
        const at = structure.duplicate;
        return refuse(`duplicate key at ${at}: each key may appear only once in an object`);
    }
    if (
        typeof value !== "object" ||
        value === null ||
        Array.isArray(value) ||
        isLosslessNumber(value)
    ) {
        return refuse("request body must be a JSON object");
    }
    return { ok: true, value: value as ApiObject };
}

interface Frame {
    object: boolean;
    keys: Set<string>;
    /** The current key (objects) or index (arrays). */
    segment: string | number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * One pass over JSON text, without recursion: the JSON Pointer of the first value nested deeper
 * than DynamoDB allows (the body object is level 0), and of the first repeated key. The text may
 * be invalid JSON; the parser reports that, and what this returns then does not matter.
 */
export function scanStructure(text: string): { tooDeep?: string; duplicate?: string } {
    const frames: Frame[] = [];
    let duplicate: string | undefined;
    let afterColon = false;
    const path = () => frames.reduce<string>((at, frame) => pointer(at, frame.segment), "");
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        const top = frames.at(-1);
        const isKey = top?.object === true && !afterColon;
        if (code === QUOTE) {
            let end = i + 1;
            while (end < text.length && text.charCodeAt(end) !== QUOTE) {
                end += text.charCodeAt(end) === BACKSLASH ? 2 : 1;
            }
            if (isKey) {
                const key = decodeString(text.slice(i, end + 1)) ?? "";
                top.segment = key;
                if (top.keys.has(key)) {
                    duplicate ??= path();
                }
                top.keys.add(key);
            } else if (frames.length > MAX_NESTING_LEVELS) {
                return { tooDeep: path(), duplicate };
            }
            i = end;
        } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
            if (frames.length > MAX_NESTING_LEVELS) {
                return { tooDeep: path(), duplicate };
            }
            frames.push({
                object: code === 0x7b,
                keys: new Set(),
                segment: code === 0x7b ? "" : 0,
            });
            afterColon = false;
        } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
            frames.pop();
        } else if (code === 0x3a /* : */) {
            afterColon = true;
        } else if (code === 0x2c /* , */) {
            if (top !== undefined && !top.object) {
                top.segment = Number(top.segment) + 1;
            }
            afterColon = false;
        } else if (!isKey && frames.length > MAX_NESTING_LEVELS && !/\s/.test(text[i])) {
            // The first character of a number, true, false or null.
            return { tooDeep: path(), duplicate };
        }
    }
    return { duplicate };
}

function decodeString(quoted: string): string | undefined {
    try {
        const value: unknown = JSON.parse(quoted);
        return typeof value === "string" ? value : undefined;
    } catch {
        return undefined;
    }
}
