import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  computeChannelTotals,
  computeLeadCredits,
  HEURISTIC_MODELS,
} from '../../../app/reports/attribution/heuristics';
import { computeMarkovAttribution, computeMarkovLeadShares } from '../../../app/reports/attribution/markov';
import { moneyToNumber } from '../../../app/reports/attribution/money';
import { computeAggregatedPaths } from '../../../app/reports/attribution/paths';
import { computeShapleyAttribution } from '../../../app/reports/attribution/shapley';
import { DAY_MS, isLeadJourney, type Journey } from '../../../app/reports/attribution/types';
import { bruteForceShapley, naiveRemovalEffects } from './naive-models';

const LEAD_AT = Date.UTC(2026, 0, 1);
const CHANNELS = ['direct', 'paid_search', 'email', 'organic_search', 'offline'];

const journeyArbitrary: fc.Arbitrary<Journey> = fc
  .record({
    // Touches as (channel, days before the lead), up to 120 days back.
    touches: fc.array(
      fc.record({ channel: fc.constantFrom(...CHANNELS), daysBefore: fc.double({ min: 0, max: 120, noNaN: true }) }),
      { minLength: 1, maxLength: 9 },
    ),
    converted: fc.boolean(),
    revenue: fc.option(fc.integer({ min: 0, max: 10_000_000 }).map((cents) => (cents / 100).toFixed(2))),
    fallbackChannel: fc.option(fc.constantFrom('direct', 'offline', 'referral'), { nil: undefined }),
  })
  .map(({ touches, converted, revenue, fallbackChannel }) => ({
    touches: touches
      .map(({ channel, daysBefore }) => ({ channel, at: LEAD_AT - Math.round(daysBefore * DAY_MS) }))
      .sort((a, b) => a.at - b.at),
    leadAt: converted ? LEAD_AT : null,
    revenue: converted ? revenue : null,
    fallbackChannel,
  }));

const journeysArbitrary = fc.array(journeyArbitrary, { minLength: 0, maxLength: 40 });
const halfLifeArbitrary = fc.double({ min: 60_000, max: 60 * DAY_MS, noNaN: true });

describe('heuristic models', () => {
  test.each(HEURISTIC_MODELS)('%s: each lead sums to 1, channels to the number of leads', (model) => {
    fc.assert(
      fc.property(journeysArbitrary, halfLifeArbitrary, (journeys, halfLifeMs) => {
        const leads = journeys.filter(isLeadJourney);
        const credited = leads.map((lead) => {
          const credits = computeLeadCredits(lead, model, { halfLifeMs });
          expect(credits).toHaveLength(lead.touches.length);
          for (const { credit } of credits) expect(credit).toBeGreaterThanOrEqual(0);
          expect(Math.abs(credits.reduce((sum, c) => sum + c.credit, 0) - 1)).toBeLessThanOrEqual(1e-12);
          return { credits, revenue: lead.revenue };
        });
        const totals = computeChannelTotals(credited);
        expect(totals.reduce((sum, t) => sum + t.credit, 0)).toBeCloseTo(leads.length, 9);
        const revenue = leads.reduce((sum, lead) => sum + moneyToNumber(lead.revenue), 0);
        expect(totals.reduce((sum, t) => sum + t.revenue, 0)).toBeCloseTo(revenue, 4);
      }),
    );
  });
});

describe('Markov', () => {
  test('conversion credits sum to the conversions, per-lead shares to 1, value credits to the value', () => {
    fc.assert(
      fc.property(journeysArbitrary, (journeys) => {
        const paths = computeAggregatedPaths(journeys);
        const result = computeMarkovAttribution(paths);
        const leads = journeys.filter(isLeadJourney);
        expect(result.totalConversions).toBe(leads.length);
        expect(result.channels.reduce((sum, c) => sum + c.conversions, 0)).toBeCloseTo(leads.length, 9);
        expect(result.channels.reduce((sum, c) => sum + c.value, 0)).toBeCloseTo(result.totalValue, 6);
        for (const c of result.channels) {
          expect(c.removalEffect).toBeGreaterThanOrEqual(0);
          expect(c.removalEffect).toBeLessThanOrEqual(1);
        }
        for (const lead of leads) {
          const shares = computeMarkovLeadShares(lead.touches.map((t) => t.channel), result.channels);
          expect(Math.abs(shares.reduce((sum, s) => sum + s.share, 0) - 1)).toBeLessThanOrEqual(1e-12);
        }
      }),
    );
  });

  test('removal effects equal re-solving the chain without each channel', () => {
    fc.assert(
      fc.property(journeysArbitrary, (journeys) => {
        const paths = computeAggregatedPaths(journeys);
        const expected = naiveRemovalEffects(paths);
        for (const c of computeMarkovAttribution(paths).channels) {
          expect(c.removalEffect).toBeCloseTo(expected.get(c.channel) ?? NaN, 10);
        }
      }),
    );
  });
});

describe('Shapley', () => {
  test('credits sum to the conversions, positions to the channel credit, and equal the textbook value', () => {
    fc.assert(
      fc.property(journeysArbitrary, (journeys) => {
        const paths = computeAggregatedPaths(journeys);
        const result = computeShapleyAttribution(paths);
        const leads = journeys.filter(isLeadJourney).length;
        expect(result.channels.reduce((sum, c) => sum + c.conversions, 0)).toBeCloseTo(leads, 9);
        const expected = bruteForceShapley(paths);
        for (const c of result.channels) {
          expect(c.conversionsByPosition.reduce((sum, x) => sum + x, 0)).toBeCloseTo(c.conversions, 9);
          expect(c.conversions).toBeCloseTo(expected.get(c.channel) ?? NaN, 9);
        }
      }),
    );
  });
});
