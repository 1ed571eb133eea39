import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size';

describe('parseByteSize', () => {
  it('reads plain bytes and decimal or binary units, any case', () => {
    expect(parseByteSize('4194304')).toBe(4_194_304);
    expect(parseByteSize('4MiB')).toBe(4_194_304);
    expect(parseByteSize('4 MB')).toBe(4_000_000);
    expect(parseByteSize('1.5kib')).toBe(1536);
    expect(parseByteSize('512KiB')).toBe(524_288);
    expect(parseByteSize('1GiB')).toBe(1024 ** 3);
  });

  it('rejects what is not a size', () => {
    for (const text of ['', 'MiB', '-1MB', '4 parsecs', '1e6', '0x10']) expect(parseByteSize(text)).toBeNull();
  });
});
