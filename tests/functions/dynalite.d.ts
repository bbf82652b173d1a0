// dynalite ships no types: the part of its API the handler specs use.
declare module "dynalite" {
    import type { Server } from "node:http";

    interface DynaliteOptions {
        /** How long a new table stays CREATING (default 500 ms). */
        createTableMs?: number;
        deleteTableMs?: number;
        updateTableMs?: number;
        /** A LevelDB directory; in memory when absent. */
        path?: string;
    }

    /** An HTTP server speaking DynamoDB's API; closing it closes its store. */
    function dynalite(options?: DynaliteOptions): Server;
    export = dynalite;
}
