/**
 * How a token was sealed. 1: associated data is the key id only (rows written before tokens were
 * bound to their account). 2: associated data is the key id and the account id, so a ciphertext
 * copied onto another account's row fails authentication.
 */
export type SealedFormat = 1 | 2;
export const CURRENT_SEALED_FORMAT: SealedFormat = 2;

/** A refresh token sealed with AES-256-GCM; stored as is (key_id, format, iv, tag, ciphertext columns). */
export interface SealedToken {
  keyId: string;
  format: SealedFormat;
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
  /** Seals under the active key, bound to the account (format 2). */
  encrypt(plaintext: string, accountId: string): SealedToken;
  /** Opens a token of either format; a format-2 token opens only for the account it was sealed for. */
  decrypt(sealed: SealedToken, accountId: string): string;
  /** True when the token was sealed with a key other than the active one, or in an older format (re-seal it). */
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
