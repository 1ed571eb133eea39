/** A refresh token sealed with AES-256-GCM; stored as is (key_id, iv, tag, ciphertext columns). */
export interface SealedToken {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** Key id → 32-byte AES-256 key; new tokens are sealed with the active key. */
export interface Keyring {
  keys: Readonly<Record<string, Buffer>>;
  activeKeyId: string;
}

export interface TokenCipher {
  readonly activeKeyId: string;
  encrypt(plaintext: string): SealedToken;
  decrypt(sealed: SealedToken): string;
  /** True when the token was sealed with a key other than the active one (re-seal it on next write). */
  needsRotation(sealed: SealedToken): boolean;
}

export type TokenCipherErrorCode = 'UNKNOWN_KEY_ID' | 'TAMPERED' | 'MALFORMED' | 'BAD_KEY';

export class TokenCipherError extends Error {
  constructor(
    readonly code: TokenCipherErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TokenCipherError';
  }
}
