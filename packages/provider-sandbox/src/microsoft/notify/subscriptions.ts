import type { Counters } from '../../shared/counters';
import type { SandboxConfig } from '../config';
import { graphTime, newGuid } from '../ids';
import type { MailboxEvent } from '../mail/mailbox';
import type { SandboxState } from '../state';
import type { LifecycleEvent, SubscriptionInfo } from '../types';
import { Deliverer } from './delivery';
import { checkUrl, parseChangeTypes, parseExpiration, parseResource, SubscriptionError, type Subscription } from './subscription-model';
import { validateEndpoint } from './validation';

type Json = Record<string, unknown>;

const MAX_CLIENT_STATE = 128;

/** Change-notification subscriptions on messages, their validation, notifications and lifecycle events. */
export class SubscriptionService {
  private subs = new Map<string, Subscription>();
  private readonly deliverer: Deliverer;

  constructor(
    private readonly config: SandboxConfig,
    private readonly state: SandboxState,
    private readonly caPem: string,
    private readonly counters: Counters,
  ) {
    this.deliverer = new Deliverer(caPem, config.notificationRetryDelaysMs);
    state.onMailboxEvent((e) => this.onEvent(e));
  }

  private target(url: string): string {
    return this.config.notificationUrlOverride ?? url;
  }

  async create(callerAddress: string, body: Json, immutableIds: boolean): Promise<Subscription> {
    const changeTypes = parseChangeTypes(body.changeType);
    const { mailbox: ref, folderRef } = parseResource(body.resource);
    const mailbox = ref === 'me' ? this.state.mailbox(callerAddress) : this.state.mailbox(ref);
    if (!mailbox || mailbox.address !== callerAddress) throw new SubscriptionError(403, 'ExtensionError', 'Access is denied to the requested resource.');
    if (folderRef !== null && !mailbox.folder(folderRef)) throw new SubscriptionError(404, 'ExtensionError', 'The specified folder could not be found in the store.');
    const notificationUrl = checkUrl(body.notificationUrl, 'notificationUrl');
    const lifecycle = body.lifecycleNotificationUrl ? checkUrl(body.lifecycleNotificationUrl, 'lifecycleNotificationUrl') : null;
    const clientState = typeof body.clientState === 'string' ? body.clientState : null;
    if (clientState && clientState.length > MAX_CLIENT_STATE) throw new SubscriptionError(400, 'InvalidRequest', 'clientState is limited to 128 characters.');
    const expiresAt = parseExpiration(body.expirationDateTime, this.config.subscriptionMaxMinutes, Date.now());
    await validateEndpoint(this.target(notificationUrl), this.config.validationTimeoutMs, this.caPem);
    if (lifecycle) await validateEndpoint(this.target(lifecycle), this.config.validationTimeoutMs, this.caPem);
    const sub: Subscription = {
      id: newGuid(), mailboxAddress: mailbox.address, userId: mailbox.userId, resource: String(body.resource), folderRef, changeTypes,
      notificationUrl, lifecycleNotificationUrl: lifecycle, clientState, expiresAt, immutableIds, applicationId: this.config.clientId, delivered: 0, failedAttempts: 0,
    };
    this.subs.set(sub.id, sub);
    return sub;
  }

  /** A live subscription of the caller; expired ones are gone, as in Graph. */
  get(id: string, callerAddress?: string): Subscription | undefined {
    const sub = this.subs.get(id);
    if (sub && sub.expiresAt <= Date.now()) this.subs.delete(id);
    const live = this.subs.get(id);
    return live && (!callerAddress || live.mailboxAddress === callerAddress) ? live : undefined;
  }

  list(address: string): Subscription[] {
    return [...this.subs.keys()].map((id) => this.get(id)).filter((s): s is Subscription => s?.mailboxAddress === address);
  }

  renew(sub: Subscription, expirationDateTime: unknown): void {
    sub.expiresAt = parseExpiration(expirationDateTime, this.config.subscriptionMaxMinutes, Date.now());
  }

  delete(id: string): void {
    this.subs.delete(id);
  }

  info(sub: Subscription): SubscriptionInfo {
    return {
      id: sub.id, address: sub.mailboxAddress, resource: sub.resource, changeType: sub.changeTypes.join(','), notificationUrl: sub.notificationUrl,
      lifecycleNotificationUrl: sub.lifecycleNotificationUrl, clientState: sub.clientState, expirationDateTime: graphTime(sub.expiresAt),
      notificationsDelivered: sub.delivered, failedAttempts: sub.failedAttempts,
    };
  }

  private onEvent(e: MailboxEvent): void {
    for (const sub of this.list(e.mailbox.address)) {
      if (!sub.changeTypes.includes(e.type)) continue;
      if (sub.folderRef !== null && e.mailbox.folder(sub.folderRef)?.id !== e.folderId) continue;
      const id = sub.immutableIds ? e.message.immutableId : e.restId;
      const path = `Users/${sub.userId}/Messages/${id}`;
      const notification = {
        subscriptionId: sub.id, subscriptionExpirationDateTime: subscriptionTime(sub.expiresAt), changeType: e.type, resource: path,
        resourceData: { '@odata.type': '#Microsoft.Graph.Message', '@odata.id': path, '@odata.etag': `W/"${e.message.changeKey}"`, id },
        clientState: sub.clientState, tenantId: this.config.tenant,
      };
      void this.deliverer.send(this.deliveryTarget(sub, sub.notificationUrl), { value: [notification] });
    }
  }

  private deliveryTarget(sub: Subscription, url: string) {
    const counters = () => this.counters.of(sub.mailboxAddress);
    return {
      url: this.target(url),
      onDelivered: () => {
        sub.delivered += 1;
        counters().pushesSent += 1;
        counters().pushesDelivered += 1;
      },
      onFailedAttempt: () => {
        sub.failedAttempts += 1;
        counters().pushesSent += 1;
        counters().pushesFailed += 1;
      },
    };
  }

  /** Sends a lifecycle event; subscriptionRemoved also removes the subscription. Resolves after the first attempt. */
  async triggerLifecycle(id: string, event: LifecycleEvent): Promise<void> {
    const sub = this.get(id);
    if (!sub) throw new SubscriptionError(404, 'ResourceNotFound', `Subscription ${id} not found.`);
    if (!sub.lifecycleNotificationUrl) throw new SubscriptionError(400, 'InvalidRequest', `Subscription ${id} has no lifecycleNotificationUrl.`);
    if (event === 'subscriptionRemoved') this.subs.delete(id);
    const payload = { value: [{ subscriptionId: sub.id, subscriptionExpirationDateTime: subscriptionTime(sub.expiresAt), tenantId: this.config.tenant, clientState: sub.clientState, lifecycleEvent: event }] };
    await this.deliverer.send(this.deliveryTarget(sub, sub.lifecycleNotificationUrl), payload);
  }

  close(): void {
    this.deliverer.close();
  }
}

const subscriptionTime = (ms: number): string => `${graphTime(ms).replace('Z', '')}.0000000+00:00`;
