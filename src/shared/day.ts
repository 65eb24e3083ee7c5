/** Today's day in UTC (YYYY-MM-DD), the finest date precision a result ever records. */
export function utcDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
