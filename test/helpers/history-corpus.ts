import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The current corpus: histories recorded from this code by `npm run histories:record`. */
export const HISTORIES_DIR = path.resolve(__dirname, '../histories');
/** One frozen corpus per release cut (`npm run histories:release`): what runs still open at that release recorded. */
export const RELEASES_DIR = path.join(HISTORIES_DIR, 'releases');

export interface Corpus {
  /** `release <version>` or `current`. */
  name: string;
  dir: string;
  files: string[];
}

const jsonFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []);

/** Versions compared numerically part by part (0.10.0 after 0.9.0). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Every release's corpus, oldest first, then the current one. */
export function historyCorpora(): Corpus[] {
  const releases = existsSync(RELEASES_DIR) ? readdirSync(RELEASES_DIR).sort(compareVersions) : [];
  return [
    ...releases.map((version) => ({ name: `release ${version}`, dir: path.join(RELEASES_DIR, version), files: jsonFiles(path.join(RELEASES_DIR, version)) })),
    { name: 'current', dir: HISTORIES_DIR, files: jsonFiles(HISTORIES_DIR) },
  ];
}

export function readHistory(corpus: Corpus, file: string): { workflowId: string; history: any } {
  return { workflowId: `${corpus.name}/${file.replace(/\.json$/, '')}`, history: JSON.parse(readFileSync(path.join(corpus.dir, file), 'utf8')) };
}

type HistoryEvent = Record<string, any>;
const decode = (payload: { data?: string } | undefined): unknown => (payload?.data ? JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) : undefined);

/** The patch ids a history's run recorded (`patched()` markers), in order. */
export function patchesIn(history: { events: HistoryEvent[] }): string[] {
  return history.events
    .map((e) => e.markerRecordedEventAttributes)
    .filter((m) => m?.markerName === 'core_patch')
    // `temporal workflow show --output json` writes the details key as `patch-data`.
    .map((m) => (decode((m.details?.['patch-data'] ?? m.details?.patch_data)?.payloads?.[0]) as { id?: string } | undefined)?.id ?? '');
}

/** Each search attribute upsert of a history, its values decoded (null: removed). */
export function searchAttributeUpserts(history: { events: HistoryEvent[] }): Record<string, unknown>[] {
  return history.events
    .map((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields)
    .filter((fields): fields is Record<string, { data?: string }> => !!fields)
    .map((fields) => Object.fromEntries(Object.entries(fields).map(([key, payload]) => [key, decode(payload) ?? null])));
}
