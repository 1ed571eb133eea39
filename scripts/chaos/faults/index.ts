import { cursorExpiryGmail } from './cursor-expiry-gmail';
import { cursorExpiryGraph } from './cursor-expiry-graph';
import { disconnectReconnectRace } from './disconnect-reconnect-race';
import { duplicateOutOfOrderPushes } from './duplicate-out-of-order-pushes';
import { postgresRestart } from './postgres-restart';
import { provider429Storm } from './provider-429-storm';
import { provider5xx } from './provider-5xx';
import { providerLatencyPastTimeout } from './provider-latency-past-timeout';
import { refreshTokenRotation } from './refresh-token-rotation';
import { revokeReauth } from './revoke-reauth';
import { temporalRestart } from './temporal-restart';
import type { Fault } from './types';
import { workerKillMidSend } from './worker-kill-mid-send';
import { workerKillMidSync } from './worker-kill-mid-sync';

/** The fault matrix, in the order a run goes through it. */
export const FAULTS: Fault[] = [
  workerKillMidSync,
  workerKillMidSend,
  temporalRestart,
  postgresRestart,
  provider429Storm,
  provider5xx,
  providerLatencyPastTimeout,
  cursorExpiryGmail,
  cursorExpiryGraph,
  revokeReauth,
  duplicateOutOfOrderPushes,
  disconnectReconnectRace,
  refreshTokenRotation,
];
