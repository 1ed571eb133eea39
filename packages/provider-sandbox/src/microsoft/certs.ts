import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

export interface CertificateAuthority {
  cert: string;
  key: string;
  /** The CA certificate alone, for NODE_EXTRA_CA_CERTS or `ca` options. */
  certFile: string;
}

export interface ServerCertificate {
  cert: string;
  key: string;
}

const BUNDLE = 'ca-bundle.json';
const CERT_FILE = 'ca.pem';
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export const defaultCertDir = (): string => path.join(os.homedir(), '.cache', 'mailsync', 'sandbox-ca');

function readBundle(dir: string): { cert: string; key: string } | null {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dir, BUNDLE), 'utf8')) as { cert?: unknown; key?: unknown };
    if (typeof parsed.cert !== 'string' || typeof parsed.key !== 'string') return null;
    const expires = new X509Certificate(parsed.cert).validTo;
    return Date.parse(expires) > Date.now() + 24 * 3600 * 1000 ? { cert: parsed.cert, key: parsed.key } : null;
  } catch {
    return null;
  }
}

async function createBundle(): Promise<{ cert: string; key: string }> {
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'mailsync sandbox CA' }, { name: 'organizationName', value: 'mailsync' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 3600 * 1000),
    notAfterDate: new Date(now.getTime() + TEN_YEARS_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * Writes the bundle only if no other process wrote one first (link fails on an existing name), so
 * concurrent starts agree on one CA instead of overwriting each other's.
 */
function publishBundle(dir: string, bundle: { cert: string; key: string }): void {
  const tmp = path.join(dir, `.${BUNDLE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  writeFileSync(tmp, JSON.stringify(bundle), { mode: 0o600 });
  try {
    linkSync(tmp, path.join(dir, BUNDLE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (!readBundle(dir)) renameSync(tmp, path.join(dir, BUNDLE));
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed into place
    }
  }
}

/** Loads the sandbox CA from `dir`, creating it on first use; the same CA is reused across runs. */
export async function loadOrCreateCa(dir: string): Promise<CertificateAuthority> {
  mkdirSync(dir, { recursive: true });
  let bundle = readBundle(dir);
  if (!bundle) {
    publishBundle(dir, await createBundle());
    bundle = readBundle(dir);
    if (!bundle) throw new Error(`sandbox CA in ${dir} is unreadable`);
  }
  const certFile = path.join(dir, CERT_FILE);
  const tmp = `${certFile}.${process.pid}.tmp`;
  writeFileSync(tmp, bundle.cert);
  renameSync(tmp, certFile);
  return { ...bundle, certFile };
}

/** A fresh server certificate for localhost and 127.0.0.1, signed by the sandbox CA. */
export async function issueServerCertificate(ca: CertificateAuthority, hosts: string[]): Promise<ServerCertificate> {
  const names = [...new Set(['localhost', '127.0.0.1', ...hosts])];
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 3600 * 1000),
    notAfterDate: new Date(now + 365 * 24 * 3600 * 1000),
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((n) => (/^[\d.]+$|:/.test(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
