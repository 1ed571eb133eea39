import type { Config } from '../config';
import { parseKeyring } from './keyring';
import { createTokenCipher } from './token-cipher';
import type { TokenCipher } from './types';

export function createTokenCipherFromConfig(config: Pick<Config, 'encryptionKeys' | 'encryptionActiveKey'>): TokenCipher {
  return createTokenCipher(parseKeyring(config.encryptionKeys, config.encryptionActiveKey));
}
