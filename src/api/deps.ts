import type { Client } from '@temporalio/client';
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { ConnectDeps } from '../connections/deps';

export interface AppDeps extends ConnectDeps {
  db: Db;
  temporal: Client;
  config: Pick<Config, 'api' | 'temporal' | 'timers'>;
  logger?: FastifyServerOptions['logger'];
}
