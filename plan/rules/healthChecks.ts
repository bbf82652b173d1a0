import { Rule } from "./types";

export const HEALTH_CHECK_RULES: readonly Rule[] = [];
