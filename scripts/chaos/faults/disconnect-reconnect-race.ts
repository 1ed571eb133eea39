import { newGrant } from '../mailboxes';
import { startThread } from '../traffic';
import { traffic } from './helpers';
import type { Fault } from './types';

export const disconnectReconnectRace: Fault = {
  name: 'disconnect-reconnect-race',
  summary: 'DELETE /v1/connections/:id and at once POST /v1/connections for the same mailbox; only mail after the reconnect is expected (R15: no backfill)',
  providers: ['gmail', 'outlook'],
  connectTraffic: false,
  async run(ctx) {
    const { stack, ledger } = ctx;
    await Promise.all(
      ctx.boxes.map(async (box) => {
        const removed = await stack.api.call('DELETE', `/v1/connections/${box.connectionId}`);
        if (removed.status !== 200) ledger.note(`${box.owner}: DELETE answered ${removed.status}`);
        // A reconnect goes through consent again: a fresh grant (a kept Outlook token may have aged out).
        const refreshToken = await newGrant(stack, box.provider, box.owner);
        const again = await stack.api.must('POST', '/v1/connections', { locationId: box.locationId, userId: box.userId, provider: box.provider, refreshToken });
        box.connectionId = again.body.id;
        box.refreshToken = refreshToken;
      }),
    );
    // R15: the old connection's links stopped; an Outlook thread must be started again through the new one.
    await Promise.all(ctx.boxes.filter((b) => b.provider === 'outlook').map((box) => startThread(stack, ledger, box, 'fault')));
    await traffic(ctx, 'fault', 3, 1);
  },
};
