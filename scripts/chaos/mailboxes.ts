import type { Box, ProviderName } from './ledger';
import type { ChaosStack } from './stack';

const DOMAIN: Record<ProviderName, string> = { gmail: 'gmail.test', outlook: 'outlook.test' };

/**
 * A fresh mailbox for one iteration: its own location, a CRM user, a contact assigned to the user
 * (R2), the sandbox account and its grant, connected through POST /v1/connections. It does not wait
 * for the first sync: mail may arrive the moment the API has answered.
 */
export async function connectFreshBox(stack: ChaosStack, provider: ProviderName, tag: string): Promise<Box> {
  const locationId = `loc-${tag}-${provider}`;
  const userId = `user-${tag}-${provider}`;
  const owner = `owner-${tag}@${DOMAIN[provider]}`.toLowerCase();
  const contactEmail = `client-${tag}-${provider}@client.test`.toLowerCase();
  await stack.api.must('PUT', `/v1/locations/${locationId}`, { name: `Chaos ${tag}` });
  await stack.api.must('PUT', `/v1/users/${userId}`, { email: owner, name: `Owner ${tag}`, locationIds: [locationId] });
  await stack.api.must('PUT', `/v1/locations/${locationId}/contacts/c-1`, { email: contactEmail, name: `Client ${tag}`, assignedUserId: userId });
  const refreshToken = await newGrant(stack, provider, owner, true);
  const connected = await stack.api.must('POST', '/v1/connections', { locationId, userId, provider, refreshToken });
  return { provider, owner, contactEmail, contactId: 'c-1', locationId, userId, connectionId: connected.body.id, accountId: connected.body.accountId, refreshToken, threadSend: null };
}

/** A refresh token for the mailbox: the account is created the first time, later calls are a new consent. */
export async function newGrant(stack: ChaosStack, provider: ProviderName, owner: string, create = false): Promise<string> {
  if (provider === 'gmail') return (create ? stack.gmail.control.createAccount(owner) : stack.gmail.control.issueGrant(owner)).refreshToken;
  return (await stack.graph.control.createAccount(owner)).refreshToken;
}

/** The provider revokes every grant of the mailbox (the user removed the app, or an admin did). */
export async function revokeGrant(stack: ChaosStack, box: Box): Promise<void> {
  if (box.provider === 'gmail') stack.gmail.control.revoke(box.owner);
  else await stack.graph.control.revoke(box.owner);
}
