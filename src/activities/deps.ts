import type { Db } from '../db/client';
import type { TokenCipher } from '../crypto/types';
import type { GoogleEndpoints } from '../providers/gmail/client';

export interface Clock {
  now(): Date;
}

export interface ActivityDeps {
  db: Db;
  cipher: TokenCipher;
  google: GoogleEndpoints & { pubsubTopic: string };
  clock: Clock;
}

export const systemClock: Clock = { now: () => new Date() };
