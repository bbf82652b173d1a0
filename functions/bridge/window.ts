// Which minute a bridge run reads (shared with the offline plan, which budgets the lag).
/**
 * Which minute a run reads: the one that began this many minutes before the run's own minute
 * began. At 03:04:05 a run reads 03:02:00-03:03:00, which ended 65 s earlier (60-120 s, whenever
 * in its minute the schedule fires). Two things pull against each other:
 * - Too recent, and API Gateway's datapoints for the minute may not be readable yet: the minute
 *   would look idle and be published as the healthy 0 (missing source data is read as no
 *   traffic). That can only delay detection, never fail a region over, but it is the reason not
 *   to read the minute that has just ended (0-60 s earlier).
 * - Too old, and the alarm sees gaps at its newest periods. The value is published with the
 *   timestamp of the minute it describes, so the derived metric's newest minutes are empty: in
 *   minute M, the newest datapoint is M-2 once this minute's run has published, M-3 before. A
 *   CloudWatch alarm looks at a range a little longer than its evaluation periods (the 5 newest
 *   datapoints for 3 periods, in its documentation's example; for other period counts it is not
 *   documented: assumed periods + 2) and fills in missing datapoints with its missing-data
 *   treatment, breaching for this alarm, only when that range holds fewer real datapoints than
 *   evaluation periods. With two empty newest minutes the range still holds as many real
 *   datapoints as periods; reading one minute further back would leave one fewer, so one
 *   breaching filler would count against the region at every evaluation before the run (with 1
 *   evaluation period: the alarm in ALARM for part of every minute).
 * So: the minute before the one that has just ended.
 */
export const MINUTES_BACK = 2;
