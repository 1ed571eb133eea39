export { startGmailSandbox, type GmailSandbox } from './sandbox';
export { sandboxGmailClients, type SandboxGmailClients } from './clients';
export { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type GmailSandboxOptions } from './options';
export type {
  AccountGrant, DeliverInput, DeliverResult, DeliveredCopy, GmailSandboxControl, OwnerSendInput, SandboxMessage, WatchInfo,
} from './control/types';
export type { AccountCounters } from './limits/counters';
export type { FaultSpec, FaultStatus } from './limits/faults';
export { DEFAULT_QUOTA_UNITS, type GmailMethod } from './limits/quota';
export type { AddressInput, AttachmentInput } from './mail/compose';
export { SandboxError } from './state';
export { normalizeSubject } from './mail/threading';
