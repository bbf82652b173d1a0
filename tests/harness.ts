// The one Pulumi mock runtime for every spec (loaded by .mocharc.json before any spec file).
// Records every resource registration and invoke; specs inspect them through the helpers below.
import * as pulumi from "@pulumi/pulumi";
import { mockRuntime, MockState } from "../plan/mockRuntime";
import { readProject } from "../plan/stackFiles";

export const state: MockState = mockRuntime({ project: readProject().name, stack: "test" });

export const created = state.resources;

/** Resolves an Output's value (never asserts inside `apply`: a throw there becomes a timeout). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** Registrations recorded so far, of one Pulumi type token. */
export function ofType(type: string) {
    return created.filter((r) => r.type === type);
}

/** Forgets recorded registrations and config between tests. */
export function reset(): void {
    state.reset();
}

// Mocha sets Error.stackTraceLimit to Infinity, and the Pulumi SDK captures `new Error().stack` for
// every promise it makes (one per resource property): capturing and formatting those took a fifth
// of the test run. One frame still shows where a failure happened: an assertion's frame is the
// spec's line, an error's is where it was thrown.
Error.stackTraceLimit = 1;
