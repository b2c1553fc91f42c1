import { normalizeDateTime, normalizeDecimal } from './normalize';
import { cell, definePreset, normalizeStatus, patternValues, PresetRowIssue, statusTarget, type PresetContext, type PresetRecord, type StatusMapEntry } from './preset';

// HubSpot deals export (CRM → Deals → Export, all properties) or a CRM API
// dump with internal property names. Two presets read the same file: the
// deals become leads (hubspot-deals), and the stage calculated properties
// "Date entered <stage>" (hs_date_entered_<stage id>) become stage history
// (hubspot-deal-stages, run right after as its companion). Both map HubSpot
// stages (by id or label) to pipeline stages through the status map.

export const HUBSPOT_STATUS_MAP: readonly StatusMapEntry[] = [
  ...['appointmentscheduled', 'Appointment Scheduled'].map((status) => ({ status, stage: 'contacted', outcome: 'open' as const })),
  ...['qualifiedtobuy', 'Qualified To Buy'].map((status) => ({ status, stage: 'qualified', outcome: 'open' as const })),
  ...['presentationscheduled', 'Presentation Scheduled'].map((status) => ({ status, stage: 'proposal', outcome: 'open' as const })),
  ...['decisionmakerboughtin', 'Decision Maker Bought-In'].map((status) => ({ status, stage: 'negotiation', outcome: 'open' as const })),
  ...['contractsent', 'Contract Sent'].map((status) => ({ status, stage: 'negotiation', outcome: 'open' as const })),
  ...['closedwon', 'Closed Won'].map((status) => ({ status, stage: 'won', outcome: 'won' as const })),
  ...['closedlost', 'Closed Lost'].map((status) => ({ status, stage: 'contacted', outcome: 'lost' as const })),
];

const ID_HEADERS = ['Record ID', 'hs_object_id', 'Deal ID', 'dealId'];
// "Date entered "Appointment Scheduled (Sales Pipeline)"" in UI exports, hs_date_entered_<id> from the API.
const ENTERED = /^(?:hs_date_entered_(\w+)|date entered\s+"?(?:\[)?(.+?)(?:\])?(?:\s+\([^)]*\))?"?)$/i;

const hubspotFields = [
  { key: 'id', headers: ID_HEADERS, required: true, feeds: ['lead_id'] },
  { key: 'created', headers: ['Create Date', 'createdate', 'hs_createdate'], required: true, feeds: ['created_at'] },
  { key: 'stage', headers: ['Deal Stage', 'dealstage'], required: true, feeds: ['stage', 'outcome'] },
  { key: 'amount', headers: ['Amount', 'amount', 'Amount in company currency', 'amount_in_home_currency'], feeds: ['amount'] },
  { key: 'close', headers: ['Close Date', 'closedate'], feeds: ['closed_at'] },
  { key: 'owner', headers: ['Deal owner', 'Deal Owner', 'hubspot_owner_id'], feeds: ['manager'] },
  { key: 'lost_reason', headers: ['Closed Lost Reason', 'closed_lost_reason'], feeds: ['loss_reason'] },
  { key: 'source', headers: ['Original Traffic Source', 'hs_analytics_source'], feeds: ['medium'] },
  { key: 'contact', headers: ['Associated Contact IDs', 'Associated Contact'], feeds: ['customer_id'] },
] as const;

const enteredPattern = { key: 'entered', pattern: ENTERED, feeds: ['entered_at', 'stage'], label: 'Date entered "<stage>" / hs_date_entered_<stage id>' };

/** HubSpot's own channel names as source / medium (when the CRM is the only origin known). */
const ANALYTICS_SOURCES: Record<string, [string, string]> = {
  ORGANIC_SEARCH: ['(organic)', 'organic'], PAID_SEARCH: ['(paid search)', 'cpc'], EMAIL_MARKETING: ['email', 'email'],
  SOCIAL_MEDIA: ['(social)', 'social'], REFERRALS: ['(referral)', 'referral'], PAID_SOCIAL: ['(paid social)', 'paid_social'],
  DIRECT_TRAFFIC: ['(direct)', '(none)'], OFFLINE: ['(offline)', 'offline'],
};

function enteredStages(r: PresetRecord, ctx: PresetContext): { capture: string; stage: string; at: string; outcome: string }[] {
  const out: { capture: string; stage: string; at: string; outcome: string }[] = [];
  for (const [capture, value] of patternValues(r, 'entered')) {
    if (value.trim() === '') continue;
    const target = ctx.statusMap.get(normalizeStatus(capture));
    if (!target) continue;
    out.push({ capture, stage: target.stage, at: normalizeDateTime(value), outcome: target.outcome });
  }
  return out;
}

export const hubspotDeals = definePreset({
  name: 'hubspot-deals',
  label: 'HubSpot deals export',
  kind: 'leads',
  docs: 'https://knowledge.hubspot.com/crm-deals/hubspots-default-deal-properties',
  encodings: ['utf-8'],
  delimiters: [','],
  fields: hubspotFields,
  patterns: [enteredPattern],
  statusMap: HUBSPOT_STATUS_MAP,
  companion: 'hubspot-deal-stages',
  unmapped: ['Deal Name, Deal Type, Pipeline, Deal probability, Forecast amount (no canonical column)', 'Date exited / Time in <stage> (the history needs entry times only)'],
  mapRow(r, ctx) {
    const stageText = cell(r, 'stage');
    const target = statusTarget('hubspot-deals', 'stage', stageText, ctx);
    if (target instanceof PresetRowIssue) return target;
    let stage = target.stage;
    // A lost deal stays at the furthest stage it entered before it was lost.
    if (target.outcome === 'lost') {
      const reached = enteredStages(r, ctx).filter((e) => e.outcome === 'open').map((e) => ctx.stages.indexOf(e.stage));
      const furthest = Math.max(-1, ...reached);
      if (furthest >= 0) stage = ctx.stages[furthest]!;
    }
    const [source, medium] = ANALYTICS_SOURCES[cell(r, 'source').toUpperCase().replace(/\s+/g, '_')] ?? ['', ''];
    return {
      lead_id: cell(r, 'id'),
      created_at: normalizeDateTime(cell(r, 'created'), 'mdy'),
      kind: 'import',
      source,
      medium,
      manager: cell(r, 'owner'),
      customer_id: cell(r, 'contact').split(/[;,]/)[0]?.trim() ?? '',
      stage,
      outcome: target.outcome,
      loss_reason: target.outcome === 'lost' ? cell(r, 'lost_reason') || stageText : '',
      amount: normalizeDecimal(cell(r, 'amount'), '.'),
      closed_at: target.outcome === 'open' ? '' : normalizeDateTime(cell(r, 'close'), 'mdy'),
    };
  },
});

export const hubspotDealStages = definePreset({
  name: 'hubspot-deal-stages',
  label: 'HubSpot deals export: stage history (Date entered columns)',
  kind: 'lead_stages',
  docs: 'https://knowledge.hubspot.com/properties/stage-calculated-properties',
  encodings: ['utf-8'],
  delimiters: [','],
  fields: [{ key: 'id', headers: ID_HEADERS, required: true, feeds: ['lead_id'] }, { key: 'owner', headers: ['Deal owner', 'Deal Owner', 'hubspot_owner_id'], feeds: ['manager'] }],
  patterns: [{ ...enteredPattern, required: true }],
  statusMap: HUBSPOT_STATUS_MAP,
  companionOnly: true,
  unmapped: ['every deal property but the record id and the Date entered columns (read by hubspot-deals)', 'Date entered of closedlost (lost is an outcome, not a stage)'],
  mapRow(r, ctx) {
    const rows = enteredStages(r, ctx)
      .filter((e) => e.outcome !== 'lost')
      .map((e) => ({ lead_id: cell(r, 'id'), stage: e.stage, entered_at: e.at, manager: '', '#from': `entered#${e.capture}` }));
    return rows.length === 0 ? 'skip' : rows;
  },
});
