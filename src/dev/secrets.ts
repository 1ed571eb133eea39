import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DevSecrets {
  apiKey: string;
  encryptionKeys: string;
}

/** Local-only secrets for `npm run dev`, made once and kept (mode 600) so stored tokens stay readable. */
export function loadDevSecrets(stateDir: string): DevSecrets {
  const file = path.join(stateDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  mkdirSync(stateDir, { recursive: true });
  const secrets: DevSecrets = {
    apiKey: `dev_${randomBytes(18).toString('base64url')}`,
    encryptionKeys: `dev1:${randomBytes(32).toString('base64')}`,
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
