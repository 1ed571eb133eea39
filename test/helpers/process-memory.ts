import { readFileSync, writeFileSync } from 'node:fs';

const MiB = 1024 * 1024;

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/**
 * Peak resident memory of a process from a point on (Linux): the kernel's high-water mark is reset
 * (clear_refs 5) at `start`, so no sample can miss a short peak.
 */
export function watchPeakRss(pid: number): { baseline: number; peak(): number } {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const baseline = statusField(pid, 'VmRSS');
  return { baseline, peak: () => statusField(pid, 'VmHWM') };
}

export const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
