export { startGraphSandbox } from './server';
export { defaultCertDir, loadOrCreateCa, issueServerCertificate, type CertificateAuthority, type ServerCertificate } from './certs';
export { DEFAULT_CLIENT_ID, DEFAULT_TENANT } from './config';
export { normalizeSubject } from './mail/conversation';
export type * from './types';
export { sandboxMsalApp, sandboxGraphClient, connectSandboxAccount, GRAPH_MAIL_SCOPES, type ConnectedAccount } from './clients';
export { createGraphFetchOptions, createMsalNetworkClient } from './trust';
