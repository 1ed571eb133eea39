const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1_000, mb: 1_000_000, gb: 1_000_000_000, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** "4194304", "4MiB", "4MB", "512 KiB" → bytes (whole); null when the text is not a size. */
export function parseByteSize(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'none'];
  if (!match || unit === undefined) return null;
  return Math.floor(Number(match[1]) * unit);
}
