/** ISO time strings to epoch milliseconds. Facts come from timestamptz columns, so a bad value is a bug: fail loudly. */
export function toMillis(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new TypeError(`${field} is not an ISO time: ${JSON.stringify(iso)}`);
  return ms;
}
