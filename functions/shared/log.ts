// Structured logs for the handlers (no SDK imports).
//
// Both functions run with Lambda's JSON log format. In that mode the Node.js runtime replaces
// console.info/warn/error; each call writes one JSON line {"timestamp", "level", "requestId",
// "message"} where `level` comes from the console method, `requestId` is the invocation's, and
// `message` is the single argument itself when only one is passed (an object stays an object),
// or util.format() of the arguments, a string, when several are (formatJsonMessage in
// aws/aws-lambda-nodejs-runtime-interface-client src/LogPatch.js; AWS Lambda Developer Guide,
// "Log and monitor Node.js Lambda functions", nodejs-logging.html#node-js-logging-advanced).
// So every entry here is one plain object passed alone: CloudWatch Logs Insights then sees
// `message.msg`, `message.apiRequestId`, `message.error.name`, ... as fields, and the level
// filter (AWS_LAMBDA_LOG_LEVEL) applies. A pre-stringified entry would be an opaque string.

/** Levels used: client mistakes are info (or not logged), store failures warn, bugs error. */
export type LogLevel = "info" | "warn" | "error";

/** One log entry: `msg` says what happened; other fields must be JSON values. */
export interface LogEntry {
    msg: string;
    [field: string]: unknown;
}

/** Something that takes log entries: {@link log}, or a recorder in tests. */
export type Logger = (level: LogLevel, entry: LogEntry) => void;

/** Writes one entry at `level` as a single object argument (see above). */
export function log(level: LogLevel, entry: LogEntry): void {
    switch (level) {
        case "info":
            console.info(entry);
            break;
        case "warn":
            console.warn(entry);
            break;
        case "error":
            console.error(entry);
            break;
    }
}

/** What a log entry says about an error: never a request body, a token or an item. */
export interface ErrorFields {
    name: string;
    /** Node.js system error code (ECONNREFUSED, ...) or the SDK's error code, when there is one. */
    code?: string;
    /** HTTP status of the AWS response, when the error came from one. */
    httpStatusCode?: number;
    /** AWS request id, for a support case. */
    awsRequestId?: string;
    /** Attempts the SDK made. */
    attempts?: number;
    message?: string;
    stack?: string;
}

/**
 * Describes an error for a log entry. `message: false` leaves out its message: DynamoDB's
 * ValidationException messages can quote the item's values.
 */
export function errorFields(
    error: unknown,
    options: { message?: boolean; stack?: boolean } = {},
): ErrorFields {
    if (!(error instanceof Error)) {
        return { name: `thrown ${typeof error}` };
    }
    const { code, Code, $metadata } = error as {
        code?: unknown;
        Code?: unknown;
        $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
    };
    const errorCode = typeof code === "string" ? code : typeof Code === "string" ? Code : undefined;
    return {
        name: error.name,
        ...(errorCode !== undefined && { code: errorCode }),
        ...($metadata?.httpStatusCode !== undefined && {
            httpStatusCode: $metadata.httpStatusCode,
        }),
        ...($metadata?.requestId !== undefined && { awsRequestId: $metadata.requestId }),
        ...($metadata?.attempts !== undefined && { attempts: $metadata.attempts }),
        ...(options.message !== false && { message: error.message }),
        ...(options.stack === true && error.stack !== undefined && { stack: error.stack }),
    };
}
