/**
 * Multi-row statements in slices: Postgres takes at most 65,535 parameters per statement, and a slice
 * of attachment rows is kept small in bytes as well as in rows.
 */
export async function inBatches<T>(rows: readonly T[], size: number, write: (slice: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

/** Slices whose summed weight stays under `maxWeight` (one heavier row makes a slice of its own). */
export function byWeight<T>(rows: readonly T[], weight: (row: T) => number, maxWeight: number, maxRows: number): T[][] {
  const slices: T[][] = [];
  let slice: T[] = [];
  let sum = 0;
  for (const row of rows) {
    const w = weight(row);
    if (slice.length > 0 && (sum + w > maxWeight || slice.length >= maxRows)) {
      slices.push(slice);
      slice = [];
      sum = 0;
    }
    slice.push(row);
    sum += w;
  }
  if (slice.length > 0) slices.push(slice);
  return slices;
}
