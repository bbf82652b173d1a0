// A hard deadline around one asynchronous call (no SDK imports).

/** How a call under a deadline ended. */
export type DeadlineOutcome<T> =
    { kind: "ok"; value: T } | { kind: "timeout" } | { kind: "error"; error: unknown };

/**
 * Runs `call` with an abort signal and races it against a timer of `deadlineMs`. On timeout the
 * signal is aborted (the SDK then cancels its request), and the timer answers even if the call
 * ignores the signal, so a store that never answers cannot hold the caller past the deadline.
 * Never rejects: a synchronous throw or a rejection is an `error` outcome.
 */
export async function withDeadline<T>(
    call: (signal: AbortSignal) => Promise<T>,
    deadlineMs: number,
): Promise<DeadlineOutcome<T>> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<DeadlineOutcome<T>>((resolve) => {
        timer = setTimeout(() => {
            controller.abort();
            resolve({ kind: "timeout" });
        }, deadlineMs);
    });
    // Started inside `then` so a synchronous throw is an error outcome too; a rejection that
    // arrives after the timeout is absorbed here rather than left unhandled.
    const settled = Promise.resolve()
        .then(() => call(controller.signal))
        .then(
            (value): DeadlineOutcome<T> => ({ kind: "ok", value }),
            (error: unknown): DeadlineOutcome<T> => ({ kind: "error", error }),
        );
    try {
        return await Promise.race([settled, timedOut]);
    } finally {
        clearTimeout(timer);
    }
}
