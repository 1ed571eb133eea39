import { log } from '@temporalio/workflow';
import type { MailboxState } from './state';

type Fields = Record<string, unknown>;
export type MailboxLog = Record<'debug' | 'info' | 'warn' | 'error', (message: string, fields?: Fields) => void>;

/** What a mailbox workflow's lines carry beside the SDK's workflowId and runId: the account and its bound connections. */
export function mailboxLogIds(state: MailboxState): { accountId: string; connectionIds: string[] } {
  return { accountId: state.accountId, connectionIds: state.bindings.map((b) => b.connectionId) };
}

/**
 * The workflow logger with the mailbox's ids on every line, read when the line is written (bindings
 * change). Lines go through the SDK's sink to the worker's logger, and are dropped while replaying.
 */
export function mailboxLog(state: MailboxState): MailboxLog {
  const at =
    (level: keyof MailboxLog) =>
    (message: string, fields: Fields = {}) =>
      log[level](message, { ...mailboxLogIds(state), ...fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
