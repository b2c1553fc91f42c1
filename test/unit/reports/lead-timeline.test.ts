import { describe, expect, test } from 'vitest';
import { computeSankeyLayout } from '../../../app/components/charts/sankey';
import { computeJourneyFlows } from '../../../app/models/attribution.server';
import {
  computeLeadTimeline,
  computeStageSpans,
  computeTouchCredits,
  type LeadTimelineLead,
  type LeadTimelineRaw,
  type LeadTimelineTouch,
} from '../../../app/reports/lead-timeline';

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe('stage spans', () => {
  const history = [
    // Out of order on purpose: spans follow time, not input order.
    { stage: 'qualified', enteredAt: at('2026-03-02T10:00:00Z'), manager: 'Olena', position: 3 },
    { stage: 'new', enteredAt: at('2026-03-01T10:00:00Z'), manager: '', position: 1 },
    { stage: 'contacted', enteredAt: at('2026-03-01T12:30:00Z'), manager: 'Olena', position: 2 },
  ];
  const now = at('2026-03-05T10:00:00Z');

  test.each([
    // outcome, closed_at, the last stage's duration (hours), ongoing
    ['open', null, 72, true],
    ['lost', '2026-03-03T10:00:00Z', 24, false],
    ['lost', null, null, false], // closed without a time: unknown
    ['won', '2026-03-02T10:00:00Z', null, false], // closed as it entered the stage: nothing to show
  ] as const)('%s lead closed at %s: the last stage lasts %s h', (outcome, closedAt, hours, ongoing) => {
    const spans = computeStageSpans(history, { outcome, closedAt: closedAt === null ? null : at(closedAt) }, now);
    expect(spans.map((s) => s.stage)).toEqual(['new', 'contacted', 'qualified']);
    expect(spans.slice(0, 2).map((s) => s.durationMs)).toEqual([2.5 * HOUR, 21.5 * HOUR]);
    expect(spans[2]!.durationMs).toBe(hours === null ? null : hours * HOUR);
    expect(spans[2]!.isOngoing).toBe(ongoing);
  });

  test('two entries at the same time keep pipeline order; the first lasts nothing', () => {
    const same = at('2026-03-01T10:00:00Z');
    const spans = computeStageSpans(
      [
        { stage: 'contacted', enteredAt: same, manager: '', position: 2 },
        { stage: 'new', enteredAt: same, manager: '', position: 1 },
      ],
      { outcome: 'open', closedAt: null },
      at('2026-03-01T11:00:00Z'),
    );
    expect(spans.map((s) => [s.stage, s.durationMs])).toEqual([
      ['new', 0],
      ['contacted', HOUR],
    ]);
  });
});

const touch = (position: number, channel: string, iso: string, kind: LeadTimelineTouch['kind'] = 'session'): LeadTimelineTouch => ({
  position,
  kind,
  touchedAt: at(iso),
  channel,
  source: channel === 'direct' ? '' : 'src',
  medium: '',
  campaign: '',
  content: '',
  sessionId: kind === 'session' ? `s${position}` : null,
  callId: kind === 'call' ? `c${position}` : null,
});
const credit = (model: string, position: number, channel: string, value: number) => ({
  model,
  position,
  channel,
  source: '',
  medium: '',
  campaign: '',
  credit: value,
});

describe('touch credits', () => {
  test('one row per touch and model; a missing row is a zero credit; channels summed', () => {
    const touches = [touch(1, 'paid_search', '2026-03-01T10:00:00Z'), touch(2, 'direct', '2026-03-02T10:00:00Z'), touch(3, 'paid_search', '2026-03-03T10:00:00Z')];
    const out = computeTouchCredits({
      touches,
      credits: [
        credit('linear', 1, 'paid_search', 1 / 3),
        credit('linear', 2, 'direct', 1 / 3),
        credit('linear', 3, 'paid_search', 1 / 3),
        credit('first', 1, 'paid_search', 1),
        credit('custom_model', 2, 'direct', 1),
      ],
    });
    // Known models in the product's order, others after them by name.
    expect(out.models).toEqual(['first', 'linear', 'custom_model']);
    expect(out.missingModels).toEqual(['last', 'last_non_direct', 'time_decay', 'position', 'markov']);
    expect(out.touchCredits.map((r) => r.credits)).toEqual([
      { first: 1, linear: 0.333333333, custom_model: 0 },
      { first: 0, linear: 0.333333333, custom_model: 1 },
      { first: 0, linear: 0.333333333, custom_model: 0 },
    ]);
    expect(out.byChannel).toEqual([
      { channel: 'paid_search', credits: { first: 1, linear: 0.666666667, custom_model: 0 } },
      { channel: 'direct', credits: { first: 0, linear: 0.333333333, custom_model: 1 } },
    ]);
    expect(out.modelTotals).toEqual({ first: 1, linear: 1, custom_model: 1 });
  });

  test('last non-direct’s fallback to the lead’s own source is a row of its own, before the touches', () => {
    const out = computeTouchCredits({
      touches: [touch(1, 'direct', '2026-03-01T10:00:00Z')],
      credits: [credit('last_non_direct', 0, 'offline', 1), credit('first', 1, 'direct', 1)],
    });
    expect(out.touchCredits.map((r) => [r.position, r.kind, r.channel, r.at, r.credits])).toEqual([
      [0, 'fallback', 'offline', null, { first: 0, last_non_direct: 1 }],
      [1, 'session', 'direct', '2026-03-01T10:00:00.000Z', { first: 1, last_non_direct: 0 }],
    ]);
  });
});

describe('timeline', () => {
  const lead: LeadTimelineLead = {
    leadId: 'L1',
    createdAt: at('2026-03-05T10:00:00Z'),
    kind: 'call',
    sessionId: null,
    visitorId: 'v1',
    callId: 'c9',
    phone: null,
    email: null,
    contactsVisible: false,
    source: '',
    medium: '',
    campaign: '',
    explicitChannel: null,
    region: '',
    manager: 'Olena',
    product: '',
    customerId: null,
    temperature: null,
    stage: 'new',
    outcome: 'open',
    lossReason: null,
    amount: null,
    closedAt: null,
    touchCount: 2,
    firstTouchAt: at('2026-03-01T10:00:00Z'),
    path: 'paid_search > offline',
    coverage: 'known',
  };
  const session = (id: string, iso: string, channel: string) => ({
    sessionId: id,
    startedAt: at(iso),
    channel,
    source: '',
    medium: '',
    campaign: '',
    content: '',
    term: '',
    landingPage: '/',
    referrer: null,
    region: '',
    device: 'mobile',
    pageviews: 1,
  });
  const raw: LeadTimelineRaw = {
    lead,
    pipeline: ['new', 'won'],
    lookbackDays: 90,
    touches: [touch(1, 'paid_search', '2026-03-01T10:00:00Z'), { ...touch(2, 'offline', '2026-03-05T09:58:00Z', 'call'), callId: 'c9' }],
    sessions: [session('s1', '2026-03-01T10:00:00Z', 'paid_search'), session('s7', '2026-03-06T10:00:00Z', 'direct')],
    calls: [
      {
        callId: 'c9',
        startedAt: at('2026-03-05T09:58:00Z'),
        callerPhone: null,
        trackingNumber: '+380441110001',
        sessionId: null,
        durationSec: 60,
        status: 'answered',
        manager: 'Olena',
        region: '',
      },
    ],
    // The stage entry shares the lead's time: the lead comes first.
    stages: [{ stage: 'new', enteredAt: at('2026-03-05T10:00:00Z'), manager: '', position: 1 }],
    credits: [],
  };

  test('events in time order, touches numbered, the open lead’s stage still running', () => {
    const out = computeLeadTimeline(raw, { now: at('2026-03-06T10:00:00Z'), rowLimit: 200 });
    expect(out.events.map((e) => [e.type, e.sinceLeadMs / HOUR])).toEqual([
      ['session', -96],
      ['call', -2 / 60],
      ['created', 0],
      ['stage', 0],
      ['session', 24],
    ]);
    expect(out.events[0]).toMatchObject({ touchPosition: 1, isAfterLead: false });
    expect(out.events[1]).toMatchObject({ touchPosition: 2, channel: 'offline', isLeadCall: true });
    expect(out.events[4]).toMatchObject({ touchPosition: null, isAfterLead: true });
    expect(out.events[3]).toMatchObject({ durationMs: 24 * HOUR, isOngoing: true });
    expect(out.outcome).toEqual({ outcome: 'open', closedAt: null, amount: null, lossReason: null, cycleMs: null });
    expect(out.timeToLeadMs).toBe(96 * HOUR);
    expect(out.isTruncated).toBe(false);
    expect(computeLeadTimeline(raw, { now: at('2026-03-06T10:00:00Z'), rowLimit: 2 }).isTruncated).toBe(true);
  });
});

describe('journey flows', () => {
  test('the first steps of collapsed paths: nodes per step and channel, links between steps, ends counted', () => {
    const flows = computeJourneyFlows(
      [
        { channels: ['paid_search', 'paid_search', 'direct'] }, // collapsed: paid_search > direct
        { channels: ['paid_search'] },
        { channels: ['organic_search', 'direct', 'paid_search', 'email', 'direct'] }, // longer than 3 steps
        { channels: ['paid_search', 'direct'] },
      ],
      3,
    );
    expect(flows).toEqual({
      steps: 3,
      leads: 4,
      longer: 1,
      nodes: [
        { id: '0:paid_search', step: 0, channel: 'paid_search', leads: 3, ends: 1 },
        { id: '0:organic_search', step: 0, channel: 'organic_search', leads: 1, ends: 0 },
        { id: '1:direct', step: 1, channel: 'direct', leads: 3, ends: 2 },
        { id: '2:paid_search', step: 2, channel: 'paid_search', leads: 1, ends: 0 },
      ],
      links: [
        { source: '0:paid_search', target: '1:direct', leads: 2 },
        { source: '0:organic_search', target: '1:direct', leads: 1 },
        { source: '1:direct', target: '2:paid_search', leads: 1 },
      ],
    });
  });
});

describe('sankey layout', () => {
  const nodes = [
    { id: 'a', column: 0, value: 3, label: 'A', color: '#000' },
    { id: 'b', column: 0, value: 1, label: 'B', color: '#000' },
    { id: 'c', column: 1, value: 4, label: 'C', color: '#000' },
  ];
  const links = [
    { source: 'a', target: 'c', value: 3 },
    { source: 'b', target: 'c', value: 1 },
  ];

  test('one scale for every column, the fullest one filling the height; bands stacked without crossing', () => {
    // Column 0: 4 units + one 10 px gap in 110 px → 25 px per unit; column 1 (4 units, no gap) is centred.
    const layout = computeSankeyLayout(nodes, links, { width: 212, height: 110, nodeWidth: 12, nodePadding: 10 });
    expect(layout.scale).toBe(25);
    const byId = Object.fromEntries(layout.nodes.map((n) => [n.id, n]));
    expect([byId.a!.y0, byId.a!.y1, byId.b!.y0, byId.b!.y1]).toEqual([0, 75, 85, 110]);
    expect([byId.c!.x0, byId.c!.y0, byId.c!.y1]).toEqual([200, 5, 105]);
    expect(layout.links.map((l) => [l.source, l.width, l.y0, l.y1, l.x0, l.x1])).toEqual([
      ['a', 75, 37.5, 42.5, 12, 200],
      ['b', 25, 97.5, 92.5, 12, 200],
    ]);
  });

  test('no values: nothing drawn at any size', () => {
    const layout = computeSankeyLayout([{ ...nodes[0]!, value: 0 }], [], { width: 100, height: 100 });
    expect(layout.scale).toBe(0);
    expect(layout.nodes[0]).toMatchObject({ y0: 50, y1: 50 });
  });
});
