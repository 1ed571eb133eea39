import { describe, expect, it } from 'vitest';
import { CLUSTER_SERVICES, freePorts } from './services';

describe('freePorts', () => {
  it('picks distinct ports under 32768 (the cluster stores them in a Postgres smallint)', async () => {
    const ports = await freePorts();
    const all = [ports.frontend, ports.frontendHttp, ports.history, ports.matching, ports.worker, ports.metrics, ...CLUSTER_SERVICES.map((s) => ports.membership[s])];
    expect(new Set(all).size).toBe(all.length);
    for (const port of all) expect(port).toBeLessThanOrEqual(32_767);
  });
});
