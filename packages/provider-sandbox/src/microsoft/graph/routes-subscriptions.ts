import { jsonBody } from '../http/request';
import { GraphHttpError, empty, json } from '../http/respond';
import { SubscriptionError, subscriptionToGraph, type Subscription } from '../notify/subscription-model';
import type { GraphContext, Route } from './context';

type Json = Record<string, unknown>;

async function mapped<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof SubscriptionError) throw new GraphHttpError(err.status, err.code, err.message);
    throw err;
  }
}

function own(ctx: GraphContext, id: string | undefined): Subscription {
  const sub = id ? ctx.services.subscriptions.get(id, ctx.caller.address) : undefined;
  if (!sub) throw new GraphHttpError(404, 'ResourceNotFound', `The object was not found.`);
  return sub;
}

const show = (ctx: GraphContext, status: number, sub: Subscription) => json(status, subscriptionToGraph(sub, ctx.services.config.origin));

export const subscriptionRoutes: Route[] = [
  {
    name: 'subscriptions.create',
    method: 'POST',
    path: 'subscriptions',
    root: true,
    handler: async (ctx) => show(ctx, 201, await mapped(() => ctx.services.subscriptions.create(ctx.caller.address, (jsonBody(ctx.req) ?? {}) as Json, ctx.prefer.immutableIds))),
  },
  {
    name: 'subscriptions.list',
    method: 'GET',
    path: 'subscriptions',
    root: true,
    handler: (ctx) => json(200, { value: ctx.services.subscriptions.list(ctx.caller.address).map((s) => subscriptionToGraph(s, ctx.services.config.origin)) }),
  },
  { name: 'subscriptions.get', method: 'GET', path: 'subscriptions/:id', root: true, handler: (ctx, p) => show(ctx, 200, own(ctx, p.id)) },
  {
    name: 'subscriptions.update',
    method: 'PATCH',
    path: 'subscriptions/:id',
    root: true,
    handler: async (ctx, p) => {
      const sub = own(ctx, p.id);
      const body = (jsonBody(ctx.req) ?? {}) as Json;
      await mapped(() => ctx.services.subscriptions.renew(sub, body.expirationDateTime));
      return show(ctx, 200, sub);
    },
  },
  {
    name: 'subscriptions.delete',
    method: 'DELETE',
    path: 'subscriptions/:id',
    root: true,
    handler: (ctx, p) => {
      ctx.services.subscriptions.delete(own(ctx, p.id).id);
      return empty(204);
    },
  },
  {
    name: 'subscriptions.reauthorize',
    method: 'POST',
    path: 'subscriptions/:id/reauthorize',
    root: true,
    handler: (ctx, p) => {
      own(ctx, p.id);
      return empty(204);
    },
  },
];
