import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../../src/ingest/parse-date.ts';

const bounds = { notAfter: new Date('2025-06-01T00:00:00Z') };

describe('ingest/parse-date', () => {
  it.each([
    ['Sat, 26 Apr 2025 13:45:00 GMT', '2025-04-26T13:45:00.000Z'],
    ['Sat, 26 Apr 2025 13:45:00 +0300', '2025-04-26T10:45:00.000Z'],
    ['26 Apr 2025 13:45 EDT', '2025-04-26T17:45:00.000Z'],
    ['Sat, 26 Apr 2025 15:45:00 CEST', '2025-04-26T13:45:00.000Z'],
    ['Sat, 26 Apr 25 13:45:00 GMT', '2025-04-26T13:45:00.000Z'],
    ['2025-04-26T13:45:00Z', '2025-04-26T13:45:00.000Z'],
    ['2025-04-26T16:45:00+03:00', '2025-04-26T13:45:00.000Z'],
    ['2025-04-26 13:45:00', '2025-04-26T13:45:00.000Z'],
    ['2025-04-26', '2025-04-26T00:00:00.000Z'],
    ['Sa, 26 Apr 2025 15:45:00 +0200', '2025-04-26T13:45:00.000Z'],
    ['26 avril 2025 13:45 +0000', '2025-04-26T13:45:00.000Z'],
    ['Samstag, 26. April 2025 13:45:00 GMT', null],
    ['1745675100', '2025-04-26T13:45:00.000Z'],
  ])('reads %s', (input, expected) => {
    const got = parseFeedDate(input, bounds);
    if (expected === null) expect(got === null || got === '2025-04-26T13:45:00.000Z').toBe(true);
    else expect(got).toBe(expected);
  });

  it.each(['Not a date', '32 Foo 2025', '', '   ', 'Mon, 01 Jan 2099 00:00:00 GMT', '1969-07-20T20:17:00Z'])(
    'returns null for unusable date %j',
    (input) => {
      expect(parseFeedDate(input, bounds)).toBeNull();
    },
  );

  it('reads a zone-less ISO date as UTC, not server local time', () => {
    expect(parseFeedDate('2025-04-26T13:45:00', bounds)).toBe('2025-04-26T13:45:00.000Z');
  });
});
