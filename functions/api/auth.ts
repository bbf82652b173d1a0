// Who may read and write products: a shared bearer token, checked by its SHA-256 digest.
//
// Deliberately not SigV4 (IAM authorization): a SigV4 signature is scoped to one region, so a
// client that signed for us-east-1 is refused by eu-west-1 once DNS fails it over there. The
// same bearer token is accepted by every region's function; the functions hold only digests,
// and several digests let a new token go live before the old one is withdrawn.
import { createHash, timingSafeEqual } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";

/** Who may do what, from the function's environment. */
export interface AccessConfig {
    /** SHA-256 digests of the accepted tokens; none means no token is accepted. */
    tokenDigests: readonly Buffer[];
    /** Whether GET works without a token. */
    publicReads: boolean;
}

/** A problem with one environment variable (logged, never answered). */
export interface ConfigProblem {
    variable: string;
    problem: string;
}

const DIGEST = /^[0-9a-f]{64}$/;

/**
 * Reads ACCESS_TOKEN_SHA256 (comma-separated lowercase hex SHA-256 digests; unset or empty: no
 * token is accepted) and PUBLIC_READS ("true" or "false"; unset: "true").
 */
export function readAccessConfig(env: NodeJS.ProcessEnv): AccessConfig | ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const digests = env.ACCESS_TOKEN_SHA256 ?? "";
    const entries = digests === "" ? [] : digests.split(",");
    if (!entries.every((entry) => DIGEST.test(entry))) {
        problems.push({
            variable: "ACCESS_TOKEN_SHA256",
            problem: "every comma-separated entry must be 64 lowercase hex characters",
        });
    }
    const publicReads = env.PUBLIC_READS ?? "true";
    if (publicReads !== "true" && publicReads !== "false") {
        problems.push({ variable: "PUBLIC_READS", problem: 'must be "true" or "false"' });
    }
    if (problems.length > 0) {
        return problems;
    }
    return {
        tokenDigests: entries.map((entry) => Buffer.from(entry, "hex")),
        publicReads: publicReads === "true",
    };
}

/** What the request may do, or the answer that refuses it. */
export type AuthResult =
    | { ok: true }
    | { ok: false; statusCode: 400 | 401 | 403; message: string; headers: Record<string, string> };

/** Answer to a request without a usable Authorization header. */
export const AUTH_REQUIRED_MESSAGE = "authentication required: send Authorization: Bearer <token>";

// token68 (RFC 7235 section 2.1), the syntax of a bearer token (RFC 6750 section 2.1).
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Checks the request's bearer token for a read or a write. A public read passes without looking
 * at the header (a stale token must not break reads). Otherwise: no token configured is 403
 * whatever was sent; more than one Authorization header 400; a missing or malformed one 401; a
 * token whose digest matches none 401 invalid_token.
 */
export function authorize(
    event: Pick<APIGatewayProxyEvent, "headers" | "multiValueHeaders">,
    access: AccessConfig,
    operation: "read" | "write",
): AuthResult {
    if (operation === "read" && access.publicReads) {
        return { ok: true };
    }
    if (access.tokenDigests.length === 0) {
        return {
            ok: false,
            statusCode: 403,
            message: `${operation}s are disabled: no access token is configured`,
            headers: {},
        };
    }
    const values = authorizationValues(event);
    if (values.length > 1) {
        return {
            ok: false,
            statusCode: 400,
            message: "more than one Authorization header: send exactly one",
            headers: {},
        };
    }
    const match = BEARER.exec((values[0] ?? "").trim());
    if (match === null) {
        return {
            ok: false,
            statusCode: 401,
            message: AUTH_REQUIRED_MESSAGE,
            headers: { "www-authenticate": "Bearer" },
        };
    }
    const presented = createHash("sha256").update(match[1], "utf8").digest();
    // Every digest is compared, in constant time each, so timing tells nothing about which matched.
    let accepted = false;
    for (const digest of access.tokenDigests) {
        accepted = timingSafeEqual(presented, digest) || accepted;
    }
    return accepted
        ? { ok: true }
        : {
              ok: false,
              statusCode: 401,
              message: "invalid token",
              headers: { "www-authenticate": 'Bearer error="invalid_token"' },
          };
}

// Header names are case-insensitive, and a REST API proxy event keeps the client's spelling:
// every spelling counts. `multiValueHeaders` has each line; `headers` only the last one per name
// (and is all there is in a hand-made test event).
function authorizationValues(
    event: Pick<APIGatewayProxyEvent, "headers" | "multiValueHeaders">,
): string[] {
    const fromMulti = Object.entries(event.multiValueHeaders ?? {})
        .filter(([name]) => name.toLowerCase() === "authorization")
        .flatMap(([, values]) => values ?? []);
    const fromSingle = Object.entries(event.headers ?? {})
        .filter(([name]) => name.toLowerCase() === "authorization")
        .flatMap(([, value]) => (value === undefined ? [] : [value]));
    return fromMulti.length >= fromSingle.length ? fromMulti : fromSingle;
}
