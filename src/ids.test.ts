import { describe, expect, test } from 'vitest';
import { newAccountId, newBccAddress, newConnectionId, newContactId, newConversationId, newMessageId, newOAuthState, newRfcMessageId } from './ids';

describe('ids', () => {
  test('each kind of id has its prefix and shape', () => {
    expect(newAccountId()).toMatch(/^acct_[a-z0-9]{1,20}$/);
    expect(newConnectionId()).toMatch(/^conn_[a-z0-9]{1,20}$/);
    expect(newConversationId()).toMatch(/^conv_[a-z0-9]{1,20}$/);
    expect(newMessageId()).toMatch(/^msg_[a-z0-9]{1,24}$/);
    expect(newBccAddress('in.mailsync.example')).toMatch(/^bcc-[a-z0-9]{1,24}@in\.mailsync\.example$/);
    expect(newOAuthState()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newRfcMessageId('mailsync.example')).toMatch(/^<[0-9a-f-]{36}@mailsync\.example>$/);
  });

  test('R18: a contact made from a recipient is named after the address', () => {
    expect(newContactId('jo.doe@client.example')).toMatch(/^ct_jo_doe_client_example_[a-z0-9]+$/);
  });

  test('two ids of one kind differ', () => {
    expect(newMessageId()).not.toBe(newMessageId());
    expect(newOAuthState()).not.toBe(newOAuthState());
  });
});
