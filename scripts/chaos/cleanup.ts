import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Action = { name: string; run: () => Promise<unknown> };

const STEP_TIMEOUT_MS = 20_000;

/**
 * Everything the run started, undone in reverse order, each step bounded. A detached reaper kills the
 * recorded process ids and removes the temp dir if this process dies without cleaning up (SIGKILL).
 */
export class Cleanup {
  private readonly actions: Action[] = [];
  private readonly pids = new Set<number>();
  private done = false;
  readonly pidFile: string;

  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void,
    private readonly keepDir: boolean,
  ) {
    this.pidFile = path.join(dir, 'pids');
    writeFileSync(this.pidFile, '');
    if (keepDir) writeFileSync(path.join(dir, 'keep'), '');
    startReaper(process.pid, dir);
  }

  add(name: string, run: () => Promise<unknown>): void {
    this.actions.push({ name, run });
  }

  trackPid(pid: number | undefined | null): void {
    if (!pid) return;
    this.pids.add(pid);
    this.writePids();
  }

  untrackPid(pid: number | undefined | null): void {
    if (!pid || !this.pids.delete(pid)) return;
    this.writePids();
  }

  async runAll(): Promise<void> {
    if (this.done) return;
    this.done = true;
    for (const action of this.actions.reverse()) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          action.run(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), STEP_TIMEOUT_MS))),
        ]);
      } catch (err) {
        this.log(`cleanup: ${action.name} failed: ${(err as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    // Whatever is still alive after the orderly stops was started by this run: kill it by its id.
    for (const pid of this.pids) killQuietly(pid);
    this.pids.clear();
    if (existsSync(this.pidFile)) writeFileSync(this.pidFile, '');
    if (this.keepDir) this.log(`logs kept in ${this.dir}`);
    else rmSync(this.dir, { recursive: true, force: true });
  }

  private writePids(): void {
    if (!this.done) writeFileSync(this.pidFile, [...this.pids].join('\n') + '\n');
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** A shell that outlives a killed run: once the run's process is gone, it reaps what the run recorded. */
function startReaper(parentPid: number, dir: string): void {
  const script = [
    `while kill -0 ${parentPid} 2>/dev/null; do sleep 1; done`,
    `if [ -s "$1/pids" ]; then for p in $(cat "$1/pids"); do kill -9 "$p" 2>/dev/null; done; fi`,
    `if [ -d "$1" ] && [ ! -f "$1/keep" ]; then rm -rf "$1"; fi`,
  ].join('\n');
  const child = spawn('sh', ['-c', script, 'chaos-reaper', dir], { detached: true, stdio: 'ignore' });
  child.unref();
}
