// Time budget of the api function. No imports: the component reads the function timeout from here
// without pulling the AWS SDK into the library.
//
// A same-region DynamoDB GetItem/PutItem normally answers in single-digit milliseconds, so each
// number below only bounds a sick store, and the whole chain stays well inside the Lambda timeout:
// one attempt <= STORE_REQUEST_TIMEOUT_MS (the connection phase is inside it); two attempts plus
// the SDK's back-off between them (at most 200 ms after a timeout or network error) stay under
// 2.2 s; STORE_DEADLINE_MS cuts anything longer (a request that ignores its timeouts, a throttled
// retry's longer back-off) so the client gets a 503 with retry-after, never a Lambda timeout.

/** A TCP + TLS connection to the regional endpoint that takes longer than this is abandoned. */
export const STORE_CONNECT_TIMEOUT_MS = 500;

/** One store request (connection, request and response) that takes longer than this fails. */
export const STORE_REQUEST_TIMEOUT_MS = 1000;

/** Attempts per store call: one retry absorbs a dropped connection or a single throttle. */
export const STORE_MAX_ATTEMPTS = 2;

/** Hard deadline of one store call, retries included: after it the request is aborted. */
export const STORE_DEADLINE_MS = 2500;

/** Lambda timeout of the api function: twice the store deadline, so the deadline always wins. */
export const API_FUNCTION_TIMEOUT_SECONDS = 5;
