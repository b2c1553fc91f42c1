/**
 * One lead's page: its timeline and the credit each attribution model gives
 * its touches, built from the rows db/queries/leads.ts returns. Pure: "now"
 * comes in, nothing is read from the clock or the database.
 *
 * Timeline, oldest first (ties: sessions, calls, the lead, stages, the close):
 * - session: a visit of the lead's stitched visitor from `lookbackDays`
 *   before the lead on, with its channel and landing page. `touchPosition` is
 *   its position among the lead's touches (lead_touches) when it is one; a
 *   visit after the lead is never a touch.
 * - call: the lead's own call and the calls from its phone in the same
 *   window, with `touchPosition` when stitching made it a touch (a static
 *   number's call).
 * - created: the lead itself.
 * - stage: each entry in the stage history. Its duration runs to the next
 *   entry; the last entry's runs to the close (closed_at) when the lead is
 *   closed, null when that is not after the entry or not known, and to `now`
 *   for an open lead (`isOngoing`).
 * - closed: the outcome (won, lost, junk) at closed_at; an open lead has none.
 * `sinceLeadMs` = the event's time − the lead's time (negative before it).
 *
 * Credits, one row per touch position (lead_touches), plus position 0 when
 * last non-direct fell back to the lead's own source: credits[model] = the
 * stored credit of that model at that position (0 when none is stored, the
 * rows of a zero credit being skipped on write). `byChannel` sums them per
 * channel and model (the channel that received the credit). Models appear in
 * the order of ATTRIBUTION_MODELS, then any other stored model by name;
 * `missingModels` are the known models with no stored row (Markov before
 * its first computation). Each model's credits sum to 1 per lead.
 */
import type { LEAD_KINDS, OUTCOMES, TEMPERATURES } from '../domain/pipeline';
import { ATTRIBUTION_MODELS } from './params';

export type TouchKind = 'session' | 'call' | 'explicit' | 'direct';
export type LeadOutcome = (typeof OUTCOMES)[number];
export type LeadKind = (typeof LEAD_KINDS)[number];
export type Temperature = (typeof TEMPERATURES)[number];

export interface LeadTimelineLead {
  leadId: string;
  createdAt: Date;
  kind: LeadKind;
  sessionId: string | null;
  visitorId: string | null;
  callId: string | null;
  /** Null when not given or not visible to the asker. */
  phone: string | null;
  email: string | null;
  contactsVisible: boolean;
  source: string;
  medium: string;
  campaign: string;
  explicitChannel: string | null;
  region: string;
  manager: string;
  product: string;
  customerId: string | null;
  temperature: Temperature | null;
  stage: string;
  outcome: LeadOutcome;
  lossReason: string | null;
  /** Decimal string. */
  amount: string | null;
  closedAt: Date | null;
  touchCount: number;
  firstTouchAt: Date | null;
  path: string | null;
  /** Why the channel is (not) known: lead_journeys.coverage. */
  coverage: string | null;
}

export interface LeadTimelineTouch {
  position: number;
  kind: TouchKind;
  touchedAt: Date;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  content: string;
  sessionId: string | null;
  callId: string | null;
}

export interface LeadTimelineSession {
  sessionId: string;
  startedAt: Date;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  content: string;
  term: string;
  landingPage: string | null;
  referrer: string | null;
  region: string;
  device: string;
  pageviews: number | null;
}

export interface LeadTimelineCall {
  callId: string;
  startedAt: Date;
  /** Null when the asker may not see contacts. */
  callerPhone: string | null;
  trackingNumber: string;
  sessionId: string | null;
  durationSec: number | null;
  status: 'answered' | 'missed';
  manager: string;
  region: string;
}

export interface LeadTimelineStage {
  stage: string;
  enteredAt: Date;
  manager: string;
  /** Pipeline position; null for a stage the pipeline does not have. */
  position: number | null;
}

export interface LeadTimelineCredit {
  model: string;
  position: number;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  credit: number;
}

export interface LeadTimelineRaw {
  lead: LeadTimelineLead;
  pipeline: string[];
  lookbackDays: number;
  touches: LeadTimelineTouch[];
  sessions: LeadTimelineSession[];
  calls: LeadTimelineCall[];
  stages: LeadTimelineStage[];
  credits: LeadTimelineCredit[];
}

// ---------- Output: plain data, times as ISO strings ----------

interface EventBase {
  at: string;
  sinceLeadMs: number;
}

export type TimelineEvent =
  | (EventBase & {
      type: 'session';
      sessionId: string;
      channel: string;
      source: string;
      medium: string;
      campaign: string;
      landingPage: string | null;
      referrer: string | null;
      device: string;
      region: string;
      pageviews: number | null;
      touchPosition: number | null;
      isAfterLead: boolean;
      /** The session the lead's form was sent from. */
      isLeadSession: boolean;
    })
  | (EventBase & {
      type: 'call';
      callId: string;
      status: 'answered' | 'missed';
      durationSec: number | null;
      trackingNumber: string;
      callerPhone: string | null;
      manager: string;
      touchPosition: number | null;
      channel: string | null;
      isLeadCall: boolean;
    })
  | (EventBase & { type: 'created'; kind: LeadKind })
  | (EventBase & { type: 'stage'; stage: string; manager: string; durationMs: number | null; isOngoing: boolean })
  | (EventBase & { type: 'closed'; outcome: Exclude<LeadOutcome, 'open'>; amount: string | null; lossReason: string | null });

export interface StageSpan {
  stage: string;
  enteredAt: string;
  manager: string;
  position: number | null;
  durationMs: number | null;
  isOngoing: boolean;
}

export interface TouchCreditRow {
  position: number;
  kind: TouchKind | 'fallback';
  at: string | null;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  credits: Record<string, number>;
}

export interface ChannelCreditRow {
  channel: string;
  credits: Record<string, number>;
}

export interface LeadTimeline {
  events: TimelineEvent[];
  stages: StageSpan[];
  outcome: {
    outcome: LeadOutcome;
    closedAt: string | null;
    amount: string | null;
    lossReason: string | null;
    /** closed_at − created_at; null while open or without closed_at. */
    cycleMs: number | null;
  };
  /** created_at − the first known touch; null without a session or call touch. */
  timeToLeadMs: number | null;
  models: string[];
  missingModels: string[];
  touchCredits: TouchCreditRow[];
  byChannel: ChannelCreditRow[];
  /** Σ credit per model (1 for every stored model; kept to show it). */
  modelTotals: Record<string, number>;
  /** Sessions or calls were cut at the row limit. */
  isTruncated: boolean;
}

const EVENT_ORDER: Record<TimelineEvent['type'], number> = { session: 0, call: 1, created: 2, stage: 3, closed: 4 };

const round9 = (n: number) => Math.round(n * 1e9) / 1e9 + 0;

export function computeLeadTimeline(raw: LeadTimelineRaw, opts: { now: Date; rowLimit?: number }): LeadTimeline {
  const { lead } = raw;
  const leadAt = lead.createdAt.getTime();
  const since = (d: Date) => d.getTime() - leadAt;
  const touchBySession = new Map<string, number>();
  const touchByCall = new Map<string, LeadTimelineTouch>();
  for (const t of raw.touches) {
    if (t.sessionId !== null) touchBySession.set(t.sessionId, t.position);
    if (t.callId !== null) touchByCall.set(t.callId, t);
  }

  const events: TimelineEvent[] = [];
  for (const s of raw.sessions) {
    events.push({
      type: 'session',
      at: s.startedAt.toISOString(),
      sinceLeadMs: since(s.startedAt),
      sessionId: s.sessionId,
      channel: s.channel,
      source: s.source,
      medium: s.medium,
      campaign: s.campaign,
      landingPage: s.landingPage,
      referrer: s.referrer,
      device: s.device,
      region: s.region,
      pageviews: s.pageviews,
      touchPosition: touchBySession.get(s.sessionId) ?? null,
      isAfterLead: s.startedAt.getTime() > leadAt,
      isLeadSession: s.sessionId === lead.sessionId,
    });
  }
  for (const c of raw.calls) {
    const touch = touchByCall.get(c.callId);
    events.push({
      type: 'call',
      at: c.startedAt.toISOString(),
      sinceLeadMs: since(c.startedAt),
      callId: c.callId,
      status: c.status,
      durationSec: c.durationSec,
      trackingNumber: c.trackingNumber,
      callerPhone: c.callerPhone,
      manager: c.manager,
      touchPosition: touch?.position ?? null,
      channel: touch?.channel ?? null,
      isLeadCall: c.callId === lead.callId,
    });
  }
  events.push({ type: 'created', at: lead.createdAt.toISOString(), sinceLeadMs: 0, kind: lead.kind });

  const stages = computeStageSpans(raw.stages, lead, opts.now);
  for (const s of stages) {
    events.push({
      type: 'stage',
      at: s.enteredAt,
      sinceLeadMs: Date.parse(s.enteredAt) - leadAt,
      stage: s.stage,
      manager: s.manager,
      durationMs: s.durationMs,
      isOngoing: s.isOngoing,
    });
  }
  if (lead.outcome !== 'open' && lead.closedAt !== null) {
    events.push({
      type: 'closed',
      at: lead.closedAt.toISOString(),
      sinceLeadMs: since(lead.closedAt),
      outcome: lead.outcome,
      amount: lead.amount,
      lossReason: lead.lossReason,
    });
  }
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || EVENT_ORDER[a.type] - EVENT_ORDER[b.type]);

  const credits = computeTouchCredits(raw);
  const limit = opts.rowLimit ?? Infinity;
  return {
    events,
    stages,
    outcome: {
      outcome: lead.outcome,
      closedAt: lead.closedAt?.toISOString() ?? null,
      amount: lead.amount,
      lossReason: lead.lossReason,
      cycleMs: lead.outcome !== 'open' && lead.closedAt !== null ? lead.closedAt.getTime() - leadAt : null,
    },
    timeToLeadMs: lead.firstTouchAt === null ? null : Math.max(0, leadAt - lead.firstTouchAt.getTime()),
    ...credits,
    isTruncated: raw.sessions.length >= limit || raw.calls.length >= limit,
  };
}

/** Stage history entries with the time spent in each (see the module comment). */
export function computeStageSpans(
  history: readonly LeadTimelineStage[],
  lead: Pick<LeadTimelineLead, 'outcome' | 'closedAt'>,
  now: Date,
): StageSpan[] {
  const sorted = [...history].sort(
    (a, b) => a.enteredAt.getTime() - b.enteredAt.getTime() || (a.position ?? Infinity) - (b.position ?? Infinity),
  );
  return sorted.map((s, i) => {
    const next = sorted[i + 1];
    const start = s.enteredAt.getTime();
    let durationMs: number | null;
    let isOngoing = false;
    if (next) durationMs = next.enteredAt.getTime() - start;
    else if (lead.outcome === 'open') {
      durationMs = Math.max(0, now.getTime() - start);
      isOngoing = true;
    } else durationMs = lead.closedAt !== null && lead.closedAt.getTime() > start ? lead.closedAt.getTime() - start : null;
    return { stage: s.stage, enteredAt: s.enteredAt.toISOString(), manager: s.manager, position: s.position, durationMs, isOngoing };
  });
}

function orderModels(models: Iterable<string>): string[] {
  const known = ATTRIBUTION_MODELS as readonly string[];
  return [...new Set(models)].sort((a, b) => {
    const ia = known.indexOf(a);
    const ib = known.indexOf(b);
    if (ia >= 0 && ib >= 0) return ia - ib;
    if (ia >= 0 || ib >= 0) return ia >= 0 ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Per-touch and per-channel credits of every stored model (see the module comment). */
export function computeTouchCredits(
  raw: Pick<LeadTimelineRaw, 'touches' | 'credits'>,
): Pick<LeadTimeline, 'models' | 'missingModels' | 'touchCredits' | 'byChannel' | 'modelTotals'> {
  const models = orderModels(raw.credits.map((c) => c.model));
  const zero = () => Object.fromEntries(models.map((m) => [m, 0])) as Record<string, number>;
  const rows = new Map<number, TouchCreditRow>();
  for (const t of raw.touches) {
    rows.set(t.position, {
      position: t.position,
      kind: t.kind,
      at: t.touchedAt.toISOString(),
      channel: t.channel,
      source: t.source,
      medium: t.medium,
      campaign: t.campaign,
      credits: zero(),
    });
  }
  const channels = new Map<string, Record<string, number>>();
  const modelTotals = zero();
  for (const c of raw.credits) {
    let row = rows.get(c.position);
    if (!row) {
      // Position 0: last non-direct's fallback to the lead's own source (no touch there).
      row = {
        position: c.position,
        kind: 'fallback',
        at: null,
        channel: c.channel,
        source: c.source,
        medium: c.medium,
        campaign: c.campaign,
        credits: zero(),
      };
      rows.set(c.position, row);
    }
    row.credits[c.model] = (row.credits[c.model] ?? 0) + c.credit;
    const byChannel = channels.get(c.channel) ?? zero();
    byChannel[c.model] = (byChannel[c.model] ?? 0) + c.credit;
    channels.set(c.channel, byChannel);
    modelTotals[c.model] = (modelTotals[c.model] ?? 0) + c.credit;
  }
  const touchCredits = [...rows.values()].sort((a, b) => a.position - b.position);
  for (const row of touchCredits) for (const m of models) row.credits[m] = round9(row.credits[m] ?? 0);
  const byChannel = [...channels.entries()]
    .map(([channel, credits]) => ({ channel, credits: Object.fromEntries(models.map((m) => [m, round9(credits[m] ?? 0)])) }))
    .sort((a, b) => {
      const sum = (r: ChannelCreditRow) => models.reduce((s, m) => s + (r.credits[m] ?? 0), 0);
      return sum(b) - sum(a) || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0);
    });
  for (const m of models) modelTotals[m] = round9(modelTotals[m] ?? 0);
  const missingModels = (ATTRIBUTION_MODELS as readonly string[]).filter((m) => !models.includes(m));
  return { models, missingModels, touchCredits, byChannel, modelTotals };
}
