import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/client';
import { appendSendFailed } from '../db/repositories/events';
import { markHandOffRefused, markHandOffUnanswered } from '../db/repositories/messages';
import type { ConnectionRow } from '../db/schema';
import { DomainError, type DomainErrorKind } from '../domain-errors';
import { FailureType } from '../failure-type';
import { sendUpdate } from '../workflows/definitions';
import { mailboxWorkflowId } from '../workflows/state';

/** What the workflow's send validator needs to know of the attachments (R17), without their bytes. */
export interface AttachmentMeta {
  filename: string;
  size: number;
  contentType: string;
}

/** How long the API waits for an accepted send's outcome before answering 202. */
export const SEND_WAIT_MS = 30_000;

/** Refusals that prove the message was not sent: it is failed, and the API says why. */
const UPDATE_ERRORS: Record<string, Extract<DomainErrorKind, 'mailbox_disconnected' | 'reauth_required' | 'send_limit_reached' | 'send_rejected'>> = {
  [FailureType.MailboxDisconnected]: 'mailbox_disconnected',
  [FailureType.ReauthRequired]: 'reauth_required',
  [FailureType.AuthRevoked]: 'reauth_required',
  [FailureType.SendLimitReached]: 'send_limit_reached',
  [FailureType.SendLimit]: 'send_limit_reached',
  [FailureType.Permanent]: 'send_rejected',
};

/**
 * Hands the send to the mailbox workflow. A refusal (validator, provider) fails the message. Anything
 * else (a Temporal blip after the update was accepted, a lost answer) leaves its fate unknown: the
 * message is `unknown`, never `failed` on a guess, and the workflow or a retry with the same
 * Idempotency-Key settles it without sending twice.
 */
export async function deliver(deps: { db: Db; temporal: Client }, connection: ConnectionRow, messageId: string, attachments: AttachmentMeta[]): Promise<void> {
  const workflowId = mailboxWorkflowId(connection.provider, connection.account_id);
  try {
    const update = await executeWithRoom(() =>
      deps.temporal.workflow.getHandle(workflowId).startUpdate(sendUpdate, {
        args: [{ messageId, connectionId: connection.id, attachments }],
        updateId: `send-${messageId}`,
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      }),
    );
    // Accepted: the workflow owns the send now. Wait a while for its outcome; past that the API answers
    // 202 and the message settles by itself (read it again).
    const outcome = update.result();
    outcome.catch(() => undefined);
    await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, SEND_WAIT_MS).unref())]);
  } catch (err) {
    const failure = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause : null;
    const refusal = failure?.type ? UPDATE_ERRORS[failure.type] : undefined;
    if (!refusal && !(err instanceof WorkflowNotFoundError)) {
      const reason = failure?.message ?? (err as Error).message;
      await markHandOffUnanswered(deps.db, messageId, reason);
      return;
    }
    const reason = failure?.message ?? `the mailbox workflow of connection ${connection.id} is not running`;
    await deps.db.transaction().execute(async (trx) => {
      const failed = await markHandOffRefused(trx, messageId, reason);
      if (failed) await appendSendFailed(trx, failed, reason);
    });
    throw new DomainError(refusal ?? 'mailbox_disconnected', reason, { messageId, ...((failure?.details?.[0] as object | undefined) ?? {}) });
  }
}

/** gRPC codes worth another try with the same update id: the server was busy or briefly out of reach. */
const RETRYABLE_GRPC = new Set([4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);

/**
 * The server admits a bounded number of in-flight updates per workflow (10 by default); a burst of sends
 * beyond it is answered RESOURCE_EXHAUSTED, and a restarting server UNAVAILABLE. Same update id, so
 * retrying is safe: wait and try again.
 */
async function executeWithRoom<T>(fn: () => Promise<T>, attempts = 30): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: number; cause?: { code?: number } }).code ?? (err as { cause?: { code?: number } }).cause?.code;
      const retryable = (code !== undefined && RETRYABLE_GRPC.has(code)) || /RESOURCE_EXHAUSTED|in-flight updates/i.test(String((err as Error).message));
      if (!retryable || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2)));
    }
  }
}
