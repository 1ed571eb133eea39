import type { CapturedPush } from '../push-relay';
import { sleep, traffic } from './helpers';
import type { Fault } from './types';

const REPEAT = 3;

export const duplicateOutOfOrderPushes: Fault = {
  name: 'duplicate-out-of-order-pushes',
  summary: `Gmail pushes and Graph notifications are held, then posted to /webhooks/* ${REPEAT} times each, newest first and shuffled`,
  providers: ['gmail', 'outlook'],
  async run(ctx) {
    const { stack, ledger } = ctx;
    stack.relay.hold();
    try {
      await traffic(ctx, 'fault', 4, 1);
      await sleep(1500);
    } finally {
      const held = stack.relay.release();
      const posts: CapturedPush[] = [...held].reverse();
      for (let round = 1; round < REPEAT; round++) posts.push(...shuffle(held));
      const statuses = await postInBatches(posts, (p) => stack.relay.post(p));
      const refused = statuses.filter((s) => s < 200 || s >= 300).length;
      ledger.note(`held ${held.length} pushes, posted ${posts.length}${refused ? `, ${refused} not acknowledged` : ''}`);
    }
    await traffic(ctx, 'fault', 1, 0);
  },
};

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function postInBatches<T>(items: T[], post: (item: T) => Promise<number>, size = 4): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < items.length; i += size) statuses.push(...(await Promise.all(items.slice(i, i + size).map(post))));
  return statuses;
}
