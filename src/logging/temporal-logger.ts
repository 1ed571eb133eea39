import type { LogLevel as TemporalLogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { makeTelemetryFilterString, type RuntimeOptions } from '@temporalio/worker';
import type { Level } from 'pino';
import { accountIdOfMailboxWorkflow } from '../workflows/state';
import type { Logger } from './logger';

const LEVELS: Record<TemporalLogLevel, Level> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * The fields a Temporal SDK log line (worker, workflow through its sink, activity, core) is written
 * with: its metadata, without the activity's task token, and with the account a mailbox workflow's
 * id names when the line does not say it (the SDK's own lines, and activities started by it).
 */
export function temporalLogFields(meta: LogMetadata = {}): Record<string, unknown> {
  const { taskToken: _taskToken, ...fields } = meta as Record<string, unknown>;
  if (fields.accountId === undefined && typeof fields.workflowId === 'string') {
    const accountId = accountIdOfMailboxWorkflow(fields.workflowId);
    if (accountId !== null) fields.accountId = accountId;
  }
  return fields;
}

/** The Temporal SDK's Logger interface over a pino logger. */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly pino: Logger) {}

  log(level: TemporalLogLevel, message: string, meta?: LogMetadata): void {
    const method = LEVELS[level];
    if (!this.pino.isLevelEnabled(method)) return;
    this.pino[method](temporalLogFields(meta), message);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }

  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }

  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }

  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }

  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/**
 * The logging half of `Runtime.install` options: SDK, workflow and activity lines go to the pino
 * logger, and the native core's own warnings are forwarded to it instead of printed to stderr.
 */
export function runtimeLogging(logger: Logger): Pick<RuntimeOptions, 'logger' | 'telemetryOptions'> {
  return {
    logger: new PinoTemporalLogger(logger),
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) } },
  };
}
