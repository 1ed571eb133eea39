import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ControlError } from '../state';
import type { DeliverInput, FaultSpec, GmailSandboxControl, SendAsOwnerInput } from '../types';
import { bodyOf, list, paramsOf, queryOf, str } from './params';

const BASE = '/sandbox/gmail';
const ACCOUNT = `${BASE}/accounts/:address`;

const address = (req: FastifyRequest): string => paramsOf(req).address ?? '';

function required(value: unknown, name: string): string {
  const text = str(value);
  if (!text) throw new ControlError(`${name} is required`);
  return text;
}

/** The control API as JSON over HTTP, for demos and for processes other than the one running the sandbox. */
export function registerControlRoutes(app: FastifyInstance, control: GmailSandboxControl): void {
  app.get(`${BASE}/accounts`, () => ({ accounts: control.accounts() }));
  app.post(`${BASE}/accounts`, (req, reply) => {
    const body = bodyOf(req);
    const name = str(body.name);
    return reply.code(201).send(control.createAccount(required(body.address, 'address'), name ? { name } : {}));
  });
  app.post(`${ACCOUNT}/grants`, (req) => control.issueGrant(address(req)));

  // `deliverTo`: the mailboxes that get a copy; `to`: the To header. Either defaults to the other, so a
  // message whose To names someone else (a Bcc copy, a list) is `{ deliverTo: mailbox, to: others }`.
  app.post(`${BASE}/deliver`, (req) => {
    const { deliverTo, ...input } = bodyOf(req);
    const mailboxes = deliverTo === undefined ? list(input.to) : list(deliverTo);
    return control.deliver(mailboxes, input as unknown as DeliverInput);
  });
  app.post(`${BASE}/deliver-raw`, (req) => {
    const { deliverTo, raw, date } = bodyOf(req);
    const when = str(date);
    return control.deliverRaw(list(deliverTo), { raw: required(raw, 'raw'), ...(when ? { date: when } : {}) });
  });
  app.post(`${ACCOUNT}/send-as-owner`, (req) => control.sendAsOwner(address(req), bodyOf(req) as SendAsOwnerInput));

  app.get(`${ACCOUNT}/messages`, (req) => {
    const label = str(queryOf(req).label);
    return { messages: control.listMessages(address(req), label ? { label } : {}) };
  });
  app.get(`${ACCOUNT}/messages/:id`, (req) => control.getMessage(address(req), paramsOf(req).id ?? ''));
  app.post(`${ACCOUNT}/messages/:id/labels`, (req) => {
    const body = bodyOf(req);
    return control.modifyLabels(address(req), paramsOf(req).id ?? '', list(body.add), list(body.remove));
  });
  app.delete(`${ACCOUNT}/messages/:id`, (req, reply) => {
    control.deleteMessage(address(req), paramsOf(req).id ?? '');
    return reply.code(204).send();
  });

  const action = (path: string, run: (a: string) => void) =>
    app.post(`${ACCOUNT}/${path}`, (req, reply) => {
      run(address(req));
      return reply.code(204).send();
    });
  action('revoke', (a) => control.revoke(a));
  action('expire-access-tokens', (a) => control.expireAccessTokens(a));
  action('expire-history', (a) => control.expireHistory(a));
  app.get(`${ACCOUNT}/history-id`, (req) => ({ historyId: control.currentHistoryId(address(req)) }));
  app.get(`${ACCOUNT}/watch`, (req) => control.watchState(address(req)));
  app.get(`${ACCOUNT}/counters`, (req) => control.counters(address(req)));

  app.post(`${BASE}/faults`, (req, reply) => {
    control.injectFaults(req.body as FaultSpec | FaultSpec[]);
    return reply.code(204).send();
  });
  app.delete(`${BASE}/faults`, (_req, reply) => {
    control.clearFaults();
    return reply.code(204).send();
  });
  app.post(`${BASE}/counters/reset`, (req, reply) => {
    control.resetCounters(str(bodyOf(req).address));
    return reply.code(204).send();
  });
  app.put(`${BASE}/push-endpoint`, (req, reply) => {
    const body = bodyOf(req);
    control.setPushEndpoint(str(body.url) ?? null, str(body.audience));
    return reply.code(204).send();
  });
  app.put(`${BASE}/push-identity`, (req, reply) => {
    const body = bodyOf(req);
    const serviceAccount = str(body.serviceAccount);
    control.setPushIdentity(serviceAccount ? { serviceAccount, emailVerified: body.emailVerified !== false } : null);
    return reply.code(204).send();
  });
}
