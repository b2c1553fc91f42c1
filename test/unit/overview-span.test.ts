import { expect, test } from 'vitest';
import { computeSpan, type DayRange } from '../../db/queries/overview';

const none: DayRange = { first: null, last: null };

test.each<[string, DayRange[], DayRange]>([
  ['nothing at all', [], none],
  ['only empty tables', [none, none], none],
  ['one table', [{ first: '2026-11-01', last: '2026-11-05' }], { first: '2026-11-01', last: '2026-11-05' }],
  [
    'empty tables are ignored',
    [none, { first: '2026-11-03', last: '2026-11-04' }, none],
    { first: '2026-11-03', last: '2026-11-04' },
  ],
  [
    'earliest first and latest last across tables',
    [
      { first: '2026-11-02', last: '2026-11-30' },
      { first: '2026-10-28', last: '2026-11-10' },
      { first: '2026-11-05', last: '2026-12-01' },
    ],
    { first: '2026-10-28', last: '2026-12-01' },
  ],
])('computeSpan: %s', (_name, ranges, expected) => {
  expect(computeSpan(ranges)).toEqual(expected);
});
