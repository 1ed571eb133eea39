import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { accountIdOfMailboxWorkflow, mailboxWorkflowId } from '../workflows/state';
import { logIdsOf } from './activity-log-ids';
import { createLogger, type LogLevel } from './logger';
import { PinoTemporalLogger, temporalLogFields } from './temporal-logger';

function capture(level: LogLevel) {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = new PinoTemporalLogger(createLogger({ name: 'mailsync-worker', level, destination }));
  return { logger, lines: () => chunks.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('Temporal SDK lines in the JSON logs', () => {
  it('keep their metadata, name the mailbox workflow\'s account, and drop the task token', () => {
    const workflowId = mailboxWorkflowId('gmail', 'acct_1');
    expect(temporalLogFields({ workflowId, activityType: 'syncPage', taskToken: 'dG9rZW4=', sdkComponent: 'worker' })).toEqual({
      workflowId, activityType: 'syncPage', sdkComponent: 'worker', accountId: 'acct_1',
    });
  });

  it('keep an accountId the line gives, and add none for other workflows', () => {
    expect(temporalLogFields({ workflowId: mailboxWorkflowId('outlook', 'acct_2'), accountId: 'acct_3' })).toEqual({ workflowId: 'mailbox/outlook/acct_2', accountId: 'acct_3' });
    expect(temporalLogFields({ workflowId: 'webhook-endpoint/whep_1' })).toEqual({ workflowId: 'webhook-endpoint/whep_1' });
    expect(temporalLogFields(undefined)).toEqual({});
  });

  it('map the SDK levels onto pino\'s and filter by the logger\'s level', () => {
    const { logger, lines } = capture('info');
    logger.debug('Activity started', { workflowId: 'mailbox/gmail/acct_1' });
    logger.info('Workflow bundle created');
    logger.log('WARN', 'Activity failed', { workflowId: 'mailbox/gmail/acct_1' });
    logger.error('Worker failed');
    expect(lines().map(({ level, msg, accountId }) => ({ level, msg, accountId }))).toEqual([
      { level: 'info', msg: 'Workflow bundle created', accountId: undefined },
      { level: 'warn', msg: 'Activity failed', accountId: 'acct_1' },
      { level: 'error', msg: 'Worker failed', accountId: undefined },
    ]);
  });
});

describe('ids read from workflow ids and activity input', () => {
  it('a mailbox workflow id names its account', () => {
    expect(accountIdOfMailboxWorkflow(mailboxWorkflowId('gmail', 'acct_x1'))).toBe('acct_x1');
    expect(accountIdOfMailboxWorkflow('webhook-endpoint/whep_1')).toBeNull();
    expect(accountIdOfMailboxWorkflow('mailbox/gmail/')).toBeNull();
  });

  it('an activity\'s input gives its account, connection and message ids', () => {
    expect(logIdsOf({ accountId: 'acct_1', messageId: 'msg_1', connectionId: 'conn_1', settleMs: 10 })).toEqual({ accountId: 'acct_1', messageId: 'msg_1', connectionId: 'conn_1' });
    expect(logIdsOf({ accountId: 'acct_1', windowMs: 1 })).toEqual({ accountId: 'acct_1' });
    expect(logIdsOf('whep_1')).toEqual({});
    expect(logIdsOf(undefined)).toEqual({});
  });
});
