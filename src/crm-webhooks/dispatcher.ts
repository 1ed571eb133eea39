import { Webhook } from 'standardwebhooks';
import type { Db } from '../db/client';
import { claimUndelivered, markDelivered, markDeliveryFailed, sequenceEvents } from '../db/repositories/events';

export interface DispatcherOptions {
  db: Db;
  url: string;
  /** Standard Webhooks secret (`whsec_…` base64). */
  secret: string;
  intervalMs?: number;
  batch?: number;
  log?: (line: string) => void;
}

/**
 * Delivers the outbox to the CRM as Standard Webhooks (webhook-id / -timestamp / -signature), in id
 * order, at least once: an event is marked delivered only after a 2xx; a failure stops the batch
 * (order is kept) and is retried on the next tick. Several dispatchers may run: rows are claimed with
 * SKIP LOCKED.
 */
export function startWebhookDispatcher(opts: DispatcherOptions): { stop(): Promise<void> } {
  const webhook = new Webhook(opts.secret);
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    // Only events with a feed position, in feed order: the same order and ids as GET /v1/events.
    await sequenceEvents(opts.db);
    await opts.db.transaction().execute(async (trx) => {
      const events = await claimUndelivered(trx, opts.batch ?? 50);
      for (const event of events) {
        const id = `evt_${event.position}`;
        const body = JSON.stringify({ type: event.type, timestamp: event.created_at.toISOString(), data: { ...event.payload, eventId: String(event.position), locationId: event.location_id, connectionId: event.connection_id } });
        const now = new Date();
        try {
          const res = await fetch(opts.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': webhook.sign(id, now, body) },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          await markDelivered(trx, event.id);
        } catch (err) {
          await markDeliveryFailed(trx, event.id, (err as Error).message.slice(0, 500));
          opts.log?.(`webhook ${id} to ${opts.url} failed: ${(err as Error).message}`);
          break;
        }
      }
    });
  };
  const loop = async () => {
    while (!stopped) {
      try {
        await tick();
      } catch (err) {
        opts.log?.(`webhook dispatcher: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
    }
  };
  running = loop();
  return {
    async stop() {
      stopped = true;
      await running;
    },
  };
}
