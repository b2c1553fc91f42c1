import { describe, expect, test } from 'vitest';
import {
  computeChannelTotals,
  computeFirstTouchCredits,
  computeLastNonDirectCredits,
  computeLastTouchCredits,
  computeLeadCredits,
  computeLinearCredits,
  computePositionBasedCredits,
  computeTimeDecayCredits,
  HEURISTIC_MODELS,
} from '../../../app/reports/attribution/heuristics';
import { DAY_MS, type Touch } from '../../../app/reports/attribution/types';
import { expectRelativelyClose, loadPathData, readReference } from './pathdata';

const LEAD_AT = Date.UTC(2026, 2, 15, 12);

/** Touches one day apart, the last one a day before the lead. */
function touchesOf(...channels: string[]): Touch[] {
  return channels.map((channel, i) => ({ channel, at: LEAD_AT - (channels.length - i) * DAY_MS }));
}

const creditsOnly = (credits: readonly { credit: number }[]) => credits.map((c) => c.credit);

describe('a single-touch lead gets all the credit under every model', () => {
  test.each(HEURISTIC_MODELS)('%s', (model) => {
    const lead = { touches: touchesOf('email'), leadAt: LEAD_AT, revenue: '100.00' };
    expect(computeLeadCredits(lead, model)).toEqual([{ channel: 'email', credit: 1 }]);
  });
});

describe('first, last and linear', () => {
  const touches = touchesOf('paid_search', 'email', 'email', 'direct');
  test.each([
    { name: 'first', credits: computeFirstTouchCredits(touches), expected: [1, 0, 0, 0] },
    { name: 'last', credits: computeLastTouchCredits(touches), expected: [0, 0, 0, 1] },
    // Repeats are not collapsed: email's two touches earn 2/4.
    { name: 'linear', credits: computeLinearCredits(touches), expected: [0.25, 0.25, 0.25, 0.25] },
  ])('$name', ({ credits, expected }) => {
    expect(creditsOnly(credits)).toEqual(expected);
    expect(credits.map((c) => c.channel)).toEqual(['paid_search', 'email', 'email', 'direct']);
  });
});

describe('position-based: 40% first, 40% last, 20% over the middle', () => {
  test.each([
    { n: 1, expected: [1] },
    { n: 2, expected: [0.5, 0.5] },
    { n: 3, expected: [0.4, 0.2, 0.4] },
    // 20% over three middle touches: 0.2 / 3 each.
    { n: 5, expected: [0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4] },
  ])('$n touches', ({ n, expected }) => {
    const channels = Array.from({ length: n }, (_, i) => `c${i}`);
    const credits = creditsOnly(computePositionBasedCredits(touchesOf(...channels)));
    expect(credits).toHaveLength(n);
    credits.forEach((credit, i) => expect(credit).toBeCloseTo(expected[i] ?? NaN, 15));
  });
});

describe('time decay: weight 2^(−Δ / half-life)', () => {
  test.each([
    {
      name: '7 and 0 days before the lead, default half-life: weights 1/2 and 1',
      ages: [7 * DAY_MS, 0],
      halfLifeMs: undefined,
      expected: [(1 / 2) / (3 / 2), 1 / (3 / 2)],
    },
    {
      name: '2, 1 and 0 days with a 1-day half-life: weights 1/4, 1/2, 1',
      ages: [2 * DAY_MS, DAY_MS, 0],
      halfLifeMs: DAY_MS,
      expected: [0.25 / 1.75, 0.5 / 1.75, 1 / 1.75],
    },
    {
      // 2^(−3652) underflows to 0; weights relative to the newest touch do not.
      name: 'ten years old, 2 days apart, 1-day half-life: weights 1/4 and 1',
      ages: [3652 * DAY_MS, 3650 * DAY_MS],
      halfLifeMs: DAY_MS,
      expected: [0.2, 0.8],
    },
    {
      name: 'a touch stamped after the lead counts as Δ = 0',
      ages: [7 * DAY_MS, -DAY_MS],
      halfLifeMs: undefined,
      expected: [1 / 3, 2 / 3],
    },
  ])('$name', ({ ages, halfLifeMs, expected }) => {
    const touches = ages.map((age, i) => ({ channel: `c${i}`, at: LEAD_AT - age }));
    const credits = creditsOnly(computeTimeDecayCredits(touches, LEAD_AT, halfLifeMs));
    credits.forEach((credit, i) => expect(credit).toBeCloseTo(expected[i] ?? NaN, 14));
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects half-life %s', (halfLifeMs) => {
    expect(() => computeTimeDecayCredits(touchesOf('a'), LEAD_AT, halfLifeMs)).toThrow(RangeError);
  });
});

describe('last non-direct', () => {
  test.each([
    {
      name: 'skips trailing direct touches',
      channels: ['paid_search', 'email', 'direct', 'direct'],
      fallback: 'direct',
      expected: [
        { channel: 'paid_search', credit: 0 },
        { channel: 'email', credit: 1 },
        { channel: 'direct', credit: 0 },
        { channel: 'direct', credit: 0 },
      ],
    },
    {
      name: 'only direct touches, no explicit channel: the last direct touch',
      channels: ['direct', 'direct'],
      fallback: 'direct',
      expected: [
        { channel: 'direct', credit: 0 },
        { channel: 'direct', credit: 1 },
      ],
    },
    {
      name: 'only direct touches, explicit channel offline: the fallback, on the last touch',
      channels: ['direct', 'direct'],
      fallback: 'offline',
      expected: [
        { channel: 'direct', credit: 0 },
        { channel: 'offline', credit: 1 },
      ],
    },
  ])('$name', ({ channels, fallback, expected }) => {
    expect(computeLastNonDirectCredits(touchesOf(...channels), fallback)).toEqual(expected);
  });

  test('computeLeadCredits passes the lead’s fallback channel', () => {
    const lead = { touches: touchesOf('direct'), leadAt: LEAD_AT, revenue: null, fallbackChannel: 'offline' };
    expect(computeLeadCredits(lead, 'last_non_direct')).toEqual([{ channel: 'offline', credit: 1 }]);
  });
});

describe('all-direct journeys', () => {
  test.each(HEURISTIC_MODELS)('%s credits only direct', (model) => {
    const lead = { touches: touchesOf('direct', 'direct', 'direct'), leadAt: LEAD_AT, revenue: '30' };
    const totals = computeChannelTotals([{ credits: computeLeadCredits(lead, model), revenue: lead.revenue }]);
    expect(totals).toHaveLength(1);
    expect(totals[0]?.channel).toBe('direct');
    expect(totals[0]?.credit).toBeCloseTo(1, 14);
    expect(totals[0]?.revenue).toBeCloseTo(30, 12);
  });
});

test('a journey without touches is a caller bug', () => {
  expect(() => computeLinearCredits([])).toThrow(RangeError);
});

describe('computeChannelTotals', () => {
  test('sums credits and credited revenue per channel, largest first, zero rows kept', () => {
    const totals = computeChannelTotals([
      // a > b, revenue 90, linear: a 45, b 45
      { credits: computeLinearCredits(touchesOf('a', 'b')), revenue: '90.00' },
      // b alone, no revenue
      { credits: computeLinearCredits(touchesOf('b')), revenue: null },
      // c > a, first touch, 3 identical leads worth 30 together: c 3 leads and 30
      { credits: computeFirstTouchCredits(touchesOf('c', 'a')), revenue: '30', count: 3 },
    ]);
    expect(totals).toEqual([
      { channel: 'c', credit: 3, revenue: 30 },
      { channel: 'b', credit: 1.5, revenue: 45 },
      { channel: 'a', credit: 0.5, revenue: 45 },
    ]);
  });
});

describe('ChannelAttribution heuristic_models on PathData (repeats not collapsed)', () => {
  const rows = loadPathData();
  const reference = readReference('ca_heuristic.csv');
  const models = {
    first_touch: computeFirstTouchCredits,
    last_touch: computeLastTouchCredits,
    linear_touch: computeLinearCredits,
  } as const;
  const totalsByModel = Object.fromEntries(
    Object.entries(models).map(([name, model]) => [
      name,
      new Map(
        // A row stands for `conversions` leads; its value is shared by the same credits.
        computeChannelTotals(
          rows.map((row) => ({ credits: model(touchesOf(...row.path)), revenue: row.value, count: row.conversions })),
        ).map((total) => [total.channel, total]),
      ),
    ]),
  );

  const cases = [...reference.keys()].flatMap((channel) =>
    Object.keys(models).map((model) => ({ channel, model })),
  );
  test.each(cases)('$model: $channel conversions and value', ({ channel, model }) => {
    const expected = reference.get(channel) ?? {};
    const actual = totalsByModel[model]?.get(channel);
    expectRelativelyClose(actual?.credit ?? NaN, expected[`${model}_conversions`] ?? NaN, 1e-6);
    expectRelativelyClose(actual?.revenue ?? NaN, expected[`${model}_value`] ?? NaN, 1e-6);
  });

  test('the reference covers every channel', () => {
    expect([...(totalsByModel.first_touch?.keys() ?? [])].sort()).toEqual([...reference.keys()].sort());
  });
});
