import { readFileSync } from 'node:fs';

/** Samples a process's resident set (VmRSS in /proc/<pid>/status) and keeps the largest value seen. */
export class RssSampler {
  private pid: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  maxKb = 0;

  constructor(private readonly intervalMs = 500) {}

  /** Follow this process from now on (a restarted worker replaces the killed one). */
  follow(pid: number | null): void {
    this.pid = pid;
    this.sample();
  }

  start(): void {
    this.timer ??= setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get maxMb(): number {
    return Math.round(this.maxKb / 1024);
  }

  private sample(): void {
    if (!this.pid) return;
    try {
      const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      if (match) this.maxKb = Math.max(this.maxKb, Number(match[1]));
    } catch {
      // the process is gone (killed by a fault); the next worker is followed when it starts
    }
  }
}
