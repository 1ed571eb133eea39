import type { Child } from './spawn';

export interface Crash {
  process: string;
  pid: number;
  at: number;
  how: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What a process manager does for the API and the worker: a process that exits on its own is recorded
 * as a crash and started again (every second, for a minute at most). Kills by the suite are not crashes.
 */
export class Supervisor {
  readonly crashes: Crash[] = [];
  private stopping = false;

  constructor(private readonly log: (line: string) => void) {}

  watch(name: string, child: Child, restart: () => Promise<void>): void {
    void child.exited.then(async (exit) => {
      if (exit.intended || this.stopping) return;
      const how = exit.signal ?? `exit code ${exit.code}`;
      this.crashes.push({ process: name, pid: child.pid, at: Date.now(), how });
      this.log(`${name} (pid ${child.pid}) exited on its own (${how}); starting it again`);
      for (let attempt = 1; attempt <= 60 && !this.stopping; attempt++) {
        try {
          await restart();
          return;
        } catch (err) {
          this.log(`${name} did not start again (attempt ${attempt}): ${(err as Error).message}`);
          await sleep(1000);
        }
      }
    });
  }

  stop(): void {
    this.stopping = true;
  }
}
