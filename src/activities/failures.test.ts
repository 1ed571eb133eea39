import { ensureApplicationFailure } from '@temporalio/common';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../db/errors';
import { FailureType } from '../failure-type';
import { toActivityFailure } from './failures';

const adminShutdown = Object.assign(new pg.DatabaseError('terminating connection due to administrator command', 0, 'error'), { code: '57P01' });
const outage = new DatabaseUnavailableError('57P01 admin shutdown', { cause: adminShutdown });

describe('a Postgres outage inside an activity', () => {
  it('is a retryable DatabaseUnavailable failure, not a permanent provider error, when a page maps it', () => {
    const failure = toActivityFailure('gmail', outage);
    expect({ type: failure.type, nonRetryable: failure.nonRetryable, message: failure.message, details: failure.details }).toEqual({
      type: FailureType.DatabaseUnavailable,
      nonRetryable: false,
      message: 'postgres is unavailable: 57P01 admin shutdown',
      details: [{ reason: '57P01 admin shutdown' }],
    });
  });

  it('carries the same type and retryability when it escapes an activity unmapped', () => {
    const failure = ensureApplicationFailure(outage);
    expect({ type: failure.type, nonRetryable: failure.nonRetryable }).toEqual({ type: FailureType.DatabaseUnavailable, nonRetryable: false });
  });
});
