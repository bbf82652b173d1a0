/** Success marker of `/health`: Route 53's HTTPS_STR_MATCH search string, never in a failure body. */
export const HEALTH_TOKEN = "mra-health-ok";
