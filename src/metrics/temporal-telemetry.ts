import type { RuntimeOptions } from '@temporalio/worker';
import type { Config } from '../config';

/**
 * The Temporal SDK's own worker metrics (task slots, poll and schedule-to-start latencies, sticky
 * cache, failures), served by its Rust core on its own port under `/metrics`, names prefixed
 * `temporal_`. For `Runtime.install`, before the worker's first connection.
 */
export function temporalTelemetry(at: Config['workerMetrics']): Pick<RuntimeOptions, 'telemetryOptions'> {
  if (at.temporalPort === null) return {};
  const host = at.host.includes(':') ? `[${at.host}]` : at.host;
  return { telemetryOptions: { metrics: { prometheus: { bindAddress: `${host}:${at.temporalPort}` } } } };
}
