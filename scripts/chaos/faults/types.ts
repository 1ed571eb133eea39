import type { Box, Ledger, ProviderName } from '../ledger';
import type { ChaosStack } from '../stack';

export interface IterationContext {
  stack: ChaosStack;
  ledger: Ledger;
  /** The iteration's fresh mailboxes, one per provider the fault applies to. */
  boxes: Box[];
  iteration: number;
}

/**
 * One fault of the matrix. The runner connects fresh mailboxes, sends the usual traffic right after
 * connect, calls `run` (which injects the fault and keeps mail flowing while it lasts), sends the
 * traffic of after the fault, waits for quiet and counts.
 */
export interface Fault {
  name: string;
  /** What it does, in one line (README and --list). */
  summary: string;
  providers: ProviderName[];
  /** False: the fault drives the traffic right after connect itself. */
  connectTraffic?: boolean;
  /** Why it cannot run here, or null. */
  unsupported?(stack: ChaosStack): string | null;
  run(ctx: IterationContext): Promise<void>;
}
