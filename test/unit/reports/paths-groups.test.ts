import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  computeAssistedConversions,
  computeCollapsedPath,
  computePathLengthDistribution,
  computeTimeToLeadDistribution,
  computeTopConvertingPaths,
  formatPath,
} from '../../../app/reports/attribution/paths';
import { sumMoney } from '../../../app/reports/attribution/money';
import { DAY_MS } from '../../../app/reports/attribution/types';
import { addDecimal } from '../../../app/reports/decimal';
import { revenueOf, toLeadJourney, type LeadPathRow } from '../../../app/reports/journeys';
import { computePathsReportFromGroups, groupLeadPaths, PATH_LENGTH_CAP, type PathsReport } from '../../../app/reports/paths-report';
import { computeJourneyFlows } from '../../../app/models/attribution.server';

// The paths report counts grouped leads (the query groups in SQL). Here it is
// checked against the engine's per-lead functions on random leads: the
// report as it was computed before grouping, one journey per lead.

const round4 = (n: number) => Math.round(n * 1e4) / 1e4;

function perLeadReport(leads: readonly LeadPathRow[]): PathsReport {
  const journeys = leads.map(toLeadJourney);
  const wonByPath = new Map<string, number>();
  for (const lead of leads) {
    const path = formatPath(computeCollapsedPath(lead.channels));
    wonByPath.set(path, (wonByPath.get(path) ?? 0) + (lead.isWon ? 1 : 0));
  }
  const touched = journeys.filter((_, i) => leads[i]!.knownTouches > 0);
  return {
    rows: computeTopConvertingPaths(journeys, { limit: 20 }).map((p) => ({
      path: p.path, leads: p.leads, share: round4(p.share), revenue: addDecimal(p.revenue), won: wonByPath.get(p.path) ?? 0,
    })),
    length: computePathLengthDistribution(journeys, { capAt: PATH_LENGTH_CAP }).map((b) => ({
      touches: b.isOpenEnded ? `${b.length}+` : String(b.length), leads: b.leads, share: round4(b.share),
    })),
    timeToLead: computeTimeToLeadDistribution(touched).map((b) => ({
      bucket: b.toDays === null ? `${b.fromDays}+` : `${b.fromDays}-${b.toDays}`, leads: b.leads, share: touched.length > 0 ? round4(b.share) : null,
    })),
    assisted: computeAssistedConversions(journeys).map((c) => ({
      channel: c.channel, last_touch_leads: c.lastTouchLeads, assisted_leads: c.assistedLeads,
      assist_ratio: c.assistRatio === null ? null : round4(c.assistRatio),
    })),
    leads: leads.length,
    won: leads.filter((l) => l.isWon).length,
    revenue: addDecimal(sumMoney(leads.map(revenueOf))),
    leadsWithoutKnownTouch: leads.filter((l) => l.knownTouches === 0).length,
    distinctPaths: wonByPath.size,
  };
}

const LEAD_AT = Date.UTC(2026, 2, 10, 12);
const leadArb = fc
  .record({
    touches: fc.array(fc.record({ channel: fc.constantFrom('direct', 'paid_search', 'organic_search', 'email', 'offline'), daysBefore: fc.integer({ min: 0, max: 120 * 24 }) }), { minLength: 1, maxLength: 12 }),
    isWon: fc.boolean(),
    amount: fc.option(fc.integer({ min: 0, max: 100_000 }).map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`)),
    known: fc.boolean(),
  })
  .map(({ touches, isWon, amount, known }): Omit<LeadPathRow, 'leadId'> => {
    // Touch times in order, hours before the lead; a lead without a known touch has one stand-in at its own time.
    const sorted = [...touches].sort((a, b) => b.daysBefore - a.daysBefore);
    const channels = known ? sorted.map((t) => t.channel) : [sorted[0]!.channel];
    const touchedAt = known ? sorted.map((t) => LEAD_AT - (t.daysBefore * DAY_MS) / 24) : [LEAD_AT];
    return { leadAt: LEAD_AT, channels, touchedAt, explicitChannel: null, isWon, amount, knownTouches: known ? channels.length : 0 };
  });

describe('grouped paths report', () => {
  test('equals the per-lead engine computation on random leads', () => {
    fc.assert(
      fc.property(fc.array(leadArb, { maxLength: 60 }), (rows) => {
        const leads = rows.map((r, i) => ({ ...r, leadId: `L${i}` }));
        expect(computePathsReportFromGroups(groupLeadPaths(leads))).toEqual(perLeadReport(leads));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  test('the order of the groups does not matter', () => {
    fc.assert(
      fc.property(fc.array(leadArb, { minLength: 1, maxLength: 40 }), (rows) => {
        const input = groupLeadPaths(rows.map((r, i) => ({ ...r, leadId: `L${i}` })));
        const reversed = { ...input, paths: [...input.paths].reverse() };
        expect(computePathsReportFromGroups(reversed)).toEqual(computePathsReportFromGroups(input));
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  test('journey flows of grouped leads equal those of one row per lead', () => {
    fc.assert(
      fc.property(fc.array(leadArb, { maxLength: 40 }), (rows) => {
        const leads = rows.map((r, i) => ({ ...r, leadId: `L${i}` }));
        expect(computeJourneyFlows(groupLeadPaths(leads).paths)).toEqual(computeJourneyFlows(leads));
      }),
      { numRuns: 100, seed: 13 },
    );
  });
});
