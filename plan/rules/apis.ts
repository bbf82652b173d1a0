import { Rule } from "./types";

export const API_RULES: readonly Rule[] = [];
