import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './levels';
import { CENSOR, REDACT_PATHS, scrubText } from './redaction';
import { errorSerializer, requestSerializer } from './serializers';

/**
 * The one logger factory for the API and the worker: JSON lines (pino), ISO times, level names,
 * credentials redacted by field name and censored in text. `LOG_LEVEL` picks the level.
 */
export type { Logger, LogLevel };

export interface LoggerOptions {
  /** The process: `mailsync-api` or `mailsync-worker`. */
  name: string;
  level?: LogLevel;
  /** Where lines go; stdout when absent. */
  destination?: DestinationStream;
}

export function createLogger({ name, level = 'info', destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: scrubStrings },
    redact: { paths: [...REDACT_PATHS], censor: CENSOR },
    serializers: { req: requestSerializer, err: errorSerializer, error: errorSerializer },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Free text at the top of a log object (failure reasons, provider messages) is censored like messages are. */
function scrubStrings(fields: Record<string, unknown>): Record<string, unknown> {
  let out = fields;
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string') continue;
    const clean = scrubText(value);
    if (clean !== value) out = { ...out, [key]: clean };
  }
  return out;
}
