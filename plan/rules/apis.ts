// Rules on what serves the routed name in each region: custom domains, their certificates and
// validation records, their API mappings, and the roles of the Lambda functions behind them.
import { CERTIFICATE_RULES } from "./apisCertificates";
import { MAPPING_RULES } from "./apisMappings";
import { RECORD_DUPLICATE_RULES } from "./apisRecords";
import { lambdaLeastPrivilegeRule } from "./iamLeastPrivilege";
import { Rule } from "./types";

export const API_RULES: readonly Rule[] = [
    ...CERTIFICATE_RULES,
    ...RECORD_DUPLICATE_RULES,
    ...MAPPING_RULES,
    lambdaLeastPrivilegeRule,
];
