import { Client, Connection } from '@temporalio/client';
import { temporalConnectionOptions, type TemporalConnectionSettings } from './connection-options';

export async function createTemporalClient(opts: TemporalConnectionSettings & { namespace: string }): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(opts));
  return new Client({ connection, namespace: opts.namespace });
}
