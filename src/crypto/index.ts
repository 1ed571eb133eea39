export { createTokenCipher } from './token-cipher';
export { parseKeyring, KeyringError, KEYS_VARIABLE, ACTIVE_KEY_VARIABLE } from './keyring';
export { createTokenCipherFromConfig } from './from-config';
export { TokenCipherError, type TokenCipher, type SealedToken, type Keyring, type TokenCipherErrorCode } from './types';
