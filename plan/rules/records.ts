import { Rule } from "./types";

export const RECORD_RULES: readonly Rule[] = [];
