import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TypedSearchAttributes } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { MAILBOX_SEARCH_ATTRIBUTES } from './search-attributes';

describe('search attribute registration', () => {
  it('docker-compose registers every mailbox search attribute with its type (the dev server and `npm run cluster` read the list itself)', () => {
    const compose = readFileSync(path.resolve(__dirname, '../../docker-compose.yml'), 'utf8');
    const registered = compose.match(/for attribute in ([^;]+);/)?.[1]?.trim().split(/\s+/);
    expect(registered).toEqual(MAILBOX_SEARCH_ATTRIBUTES.map((key) => `${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`));
  });
});
