import { newGrant, revokeGrant } from '../mailboxes';
import { traffic, waitUntil } from './helpers';
import type { Fault } from './types';

export const revokeReauth: Fault = {
  name: 'revoke-reauth',
  summary: 'the provider revokes the grant; mail keeps arriving and the CRM keeps sending; once the connection shows needs_reauth, new credentials go to PUT /v1/connections/:id/credentials',
  providers: ['gmail', 'outlook'],
  async run(ctx) {
    const { stack, ledger } = ctx;
    await traffic(ctx, 'fault', 1, 0);
    for (const box of ctx.boxes) await revokeGrant(stack, box);
    await traffic(ctx, 'fault', 2, 1);
    const paused = await waitUntil(async () => {
      const views = await Promise.all(ctx.boxes.map((box) => stack.api.call('GET', `/v1/connections/${box.connectionId}`)));
      return views.every((v) => v.body?.status === 'needs_reauth');
    }, 20_000, 250);
    if (!paused) ledger.note('not every connection showed needs_reauth within 20 s of the revocation; re-authorised anyway');
    await traffic(ctx, 'fault', 2, 0);
    for (const box of ctx.boxes) {
      const refreshToken = await newGrant(stack, box.provider, box.owner);
      const res = await stack.api.must('PUT', `/v1/connections/${box.connectionId}/credentials`, { refreshToken });
      box.refreshToken = refreshToken;
      if (res.body?.outcome !== 'reauthorized') ledger.note(`${box.owner}: credentials outcome ${String(res.body?.outcome)}`);
    }
  },
};
