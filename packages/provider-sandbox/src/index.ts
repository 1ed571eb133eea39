/**
 * @mailsync/provider-sandbox: emulators of Gmail (with Google OAuth and Pub/Sub push) and of
 * Microsoft Graph mail (with Entra), driven by the real client libraries. Each provider's whole
 * API is under its subpath (`/gmail`, `/microsoft`); the shared fault and counter vocabulary is here.
 */
export { startGmailSandbox } from './gmail/sandbox';
export { startGraphSandbox } from './microsoft/server';
export type { GmailSandbox, GmailSandboxOptions } from './gmail/types';
export type { GraphSandbox, GraphSandboxOptions } from './microsoft/types';
export type { FaultSpec } from './shared/faults';
export type { MailboxCounters } from './shared/counters';
