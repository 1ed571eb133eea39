import { describe, expect, it } from 'vitest';
import { connectionLogIds, routeLogIds } from './log-ids';

describe('ids on request log lines', () => {
  it('a connection route binds its connection, a message route its message', () => {
    expect(routeLogIds('/v1/connections/:id', { id: 'conn_1' })).toEqual({ connectionId: 'conn_1' });
    expect(routeLogIds('/v1/connections/:id/messages', { id: 'conn_1' })).toEqual({ connectionId: 'conn_1' });
    expect(routeLogIds('/v1/connections/:id/credentials', { id: 'conn_1' })).toEqual({ connectionId: 'conn_1' });
    expect(routeLogIds('/v1/messages/:id/attachments/:attachmentId', { id: 'msg_1', attachmentId: '3' })).toEqual({ messageId: 'msg_1' });
  });

  it('other routes, and requests no route matched, bind nothing', () => {
    expect(routeLogIds('/v1/connections', {})).toEqual({});
    expect(routeLogIds('/v1/connections/oauth/:provider/start', { provider: 'gmail' })).toEqual({});
    expect(routeLogIds('/v1/locations/:id', { id: 'loc_1' })).toEqual({});
    expect(routeLogIds(undefined, { id: 'x' })).toEqual({});
  });

  it('a connection made names its account and mailbox workflow too', () => {
    expect(connectionLogIds({ id: 'conn_1', account_id: 'acct_1', provider: 'outlook' })).toEqual({ connectionId: 'conn_1', accountId: 'acct_1', workflowId: 'mailbox/outlook/acct_1' });
  });
});
