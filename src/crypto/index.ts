export { createTokenCipher } from './token-cipher';
export { parseKeyring, KeyringError, KEYS_VARIABLE, ACTIVE_KEY_VARIABLE } from './keyring';
export { createTokenCipherFromConfig } from './from-config';
export { TokenCipherError, CURRENT_SEALED_FORMAT, type TokenCipher, type SealedToken, type SealedFormat, type Keyring, type TokenCipherErrorCode } from './types';
