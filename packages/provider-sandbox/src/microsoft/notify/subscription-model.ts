import { splitSegments } from '../http/request';
import { graphTime } from '../ids';

export type ChangeType = 'created' | 'updated' | 'deleted';

export interface Subscription {
  id: string;
  mailboxAddress: string;
  userId: string;
  resource: string;
  /** Null: every folder (`/me/messages`). */
  folderRef: string | null;
  changeTypes: ChangeType[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expiresAt: number;
  immutableIds: boolean;
  applicationId: string;
  delivered: number;
  failedAttempts: number;
}

export class SubscriptionError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const CHANGE_TYPES = new Set(['created', 'updated', 'deleted']);

export function parseChangeTypes(value: unknown): ChangeType[] {
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (!list.length || list.some((c) => !CHANGE_TYPES.has(c))) {
    throw new SubscriptionError(400, 'InvalidRequest', `Invalid changeType '${String(value)}'; use created, updated and/or deleted.`);
  }
  return [...new Set(list)] as ChangeType[];
}

/** `/me/mailFolders('inbox')/messages`, `users/{id}/messages`, ... -> who and which folder. */
export function parseResource(resource: unknown): { mailbox: string; folderRef: string | null } {
  const segs = typeof resource === 'string' ? splitSegments(resource.split('?')[0] ?? '') : [];
  const lower = segs.map((s) => s.toLowerCase());
  const [head] = lower;
  const mailbox = head === 'me' ? 'me' : head === 'users' ? (segs[1] ?? '') : '';
  const rest = lower.slice(head === 'me' ? 1 : 2);
  const restRaw = segs.slice(head === 'me' ? 1 : 2);
  if (mailbox && rest.length === 1 && rest[0] === 'messages') return { mailbox, folderRef: null };
  if (mailbox && rest.length === 3 && rest[0] === 'mailfolders' && rest[2] === 'messages') return { mailbox, folderRef: restRaw[1] ?? null };
  throw new SubscriptionError(400, 'InvalidRequest', `Resource '${String(resource)}' is not supported; subscribe to a mailbox's messages or a mail folder's messages.`);
}

/** Outlook caps message subscriptions at 4,230 minutes from now (provider-facts 2.4). */
export function parseExpiration(value: unknown, maxMinutes: number, now: number): number {
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(at)) throw new SubscriptionError(400, 'InvalidRequest', 'expirationDateTime is required and must be a date-time.');
  if (at <= now) throw new SubscriptionError(400, 'ExtensionError', 'Subscription expiration must be in the future.');
  if (at > now + maxMinutes * 60_000) {
    throw new SubscriptionError(400, 'ExtensionError', `Subscription expiration can only be ${maxMinutes} minutes in the future.`);
  }
  return at;
}

export function checkUrl(value: unknown, field: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new SubscriptionError(400, 'InvalidRequest', `${field} must be an absolute URL.`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  // Graph requires https; plain http is accepted on loopback so local receivers need no certificate.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new SubscriptionError(400, 'ValidationError', `${field} must use https.`);
  }
  return url.toString();
}

export function subscriptionToGraph(s: Subscription, origin: string): Record<string, unknown> {
  return {
    '@odata.context': `${origin}/v1.0/$metadata#subscriptions/$entity`,
    id: s.id,
    resource: s.resource,
    applicationId: s.applicationId,
    changeType: s.changeTypes.join(','),
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: `${graphTime(s.expiresAt).replace('Z', '')}.0000000Z`,
    creatorId: s.userId,
    includeResourceData: false,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}
