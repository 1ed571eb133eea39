import { describe, expect, it } from 'vitest';
import { parseODataQuery, parseQuery, QueryError } from './query';

describe('parseQuery', () => {
  it('decodes percent escapes, reads + as a space and lower-cases OData option names', () => {
    const q = parseQuery("?$Filter=internetMessageId+eq+'%3Ca%2Bb%40x%3E'&$top=5&other=A%20B");
    expect(q.get('$filter')).toBe("internetMessageId eq '<a+b@x>'");
    expect(q.get('$top')).toBe('5');
    expect(q.get('other')).toBe('A B');
  });
});

describe('parseODataQuery', () => {
  it('splits $select, $orderby and $expand and parses the filter', () => {
    const q = parseODataQuery(parseQuery('$select=id,subject&$orderby=receivedDateTime desc&$expand=attachments($select=name)&$filter=isRead eq false&$skip=20'));
    expect(q).toMatchObject({ select: ['id', 'subject'], orderby: [{ field: 'receivedDateTime', desc: true }], expand: ['attachments'], skip: 20, top: null, filterText: 'isRead eq false' });
    expect(q.filter?.({ isRead: false })).toBe(true);
  });

  it('keeps a nested $select of an expanded property, splitting $expand only outside parentheses', () => {
    const q = parseODataQuery(parseQuery('$expand=attachments($select=id,name,size),extensions&$select=id'));
    expect(q.expand).toEqual(['attachments', 'extensions']);
    expect(q.expandSelect).toEqual({ attachments: ['id', 'name', 'size'] });
    expect(parseODataQuery(parseQuery('$expand=attachments')).expandSelect).toEqual({});
  });

  it('rejects a bad $top and a malformed $filter', () => {
    expect(() => parseODataQuery(parseQuery('$top=ten'))).toThrow(QueryError);
    expect(() => parseODataQuery(parseQuery("$filter=subject eq 'x"))).toThrow(QueryError);
  });
});
