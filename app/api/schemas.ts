import { z } from 'zod';
import { LEAD_KINDS, OUTCOMES, TEMPERATURES } from '../domain/pipeline';

// The zod schemas of every /api/v1 payload. Shapes and types are checked
// here, before anything is written; what needs the workspace (a stage in its
// pipeline, a phone read in its country) is checked again by the canonical
// row validators of the import path the rows then go through.
//
// Segment events follow the tracking spec (segment.com/docs/connections/spec):
// common fields (type, messageId, anonymousId/userId, timestamp, context,
// integrations) plus properties (track, page) or traits (identify). Unknown
// keys are allowed, as Segment allows them; known keys must have their type.

const MAX_ID = 200;
const MAX_TEXT = 1000;
const MAX_URL = 8192;

const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;

/** An ISO 8601 instant with an offset or Z, years 1970–2100: an event's time must not depend on where it is read. */
export const instantSchema = z.string().max(40, 'at most 40 characters').refine((v) => {
  const m = INSTANT_RE.exec(v);
  if (!m) return false;
  const year = Number(m[1]);
  if (year < 1970 || year > 2100) return false;
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(year, mo, 0)).getUTCDate()) return false;
  if (h > 23 || mi > 59 || s > 59) return false;
  if (m[7] !== undefined && (Number(m[7]) > 14 || Number(m[8]) > 59)) return false;
  return !Number.isNaN(Date.parse(v));
}, 'not an ISO 8601 timestamp with an offset, years 1970–2100 (e.g. 2026-03-01T09:15:00.000Z)');

/** An id: a non-empty string (or a whole number, as some senders send), at most 200 characters. */
export const idSchema = z
  .union([z.string(), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)], { error: 'must be a string or a whole number' })
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, 'must not be empty').max(MAX_ID, `at most ${MAX_ID} characters`).refine((v) => !v.includes('\u0000'), 'contains a NUL character'));

const text = (max = MAX_TEXT) =>
  z.string({ error: 'must be a string' }).max(max, `at most ${max} characters`).refine((v) => !v.includes('\u0000'), 'contains a NUL character');

const optText = (max = MAX_TEXT) => text(max).nullish();

/** Money: a decimal string ("12500.50") or a number; kept as exact decimal text. */
export const amountSchema = z
  .union([z.string(), z.number().finite({ error: 'must be a finite number' })], { error: 'must be a decimal number or a string holding one' })
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .pipe(z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, 'not a decimal >= 0 with "." and up to 6 decimals (e.g. 12500.50)'));

const phoneish = z
  .union([z.string(), z.number().int().nonnegative()], { error: 'must be a string' })
  .transform((v) => String(v))
  .pipe(text(40));

const campaignContext = z.looseObject({
  name: optText(),
  source: optText(),
  medium: optText(),
  term: optText(),
  content: optText(),
});

const pageContext = z.looseObject({
  url: optText(MAX_URL),
  referrer: optText(MAX_URL),
  path: optText(MAX_URL),
  search: optText(MAX_URL),
  title: optText(),
});

const contextSchema = z.looseObject({
  campaign: campaignContext.nullish(),
  page: pageContext.nullish(),
  traits: z.looseObject({ email: optText(320), phone: phoneish.nullish() }).nullish(),
});

const common = {
  messageId: idSchema.optional(),
  anonymousId: idSchema.nullish(),
  userId: idSchema.nullish(),
  timestamp: instantSchema.nullish(),
  originalTimestamp: instantSchema.nullish(),
  sentAt: instantSchema.nullish(),
  context: contextSchema.nullish(),
  integrations: z.record(z.string(), z.unknown()).nullish(),
};

const pageProperties = z.looseObject({
  url: optText(MAX_URL),
  referrer: optText(MAX_URL),
  path: optText(MAX_URL),
  search: optText(MAX_URL),
  title: optText(),
});

export const LEAD_CREATED = 'Lead Created';

/** properties of a `Lead Created` track event: the lead's columns, lead_id optional (the messageId stands in). */
export const leadCreatedPropertiesSchema = z.looseObject({
  lead_id: idSchema.nullish(),
  kind: z.enum(LEAD_KINDS).nullish(),
  email: optText(320),
  phone: phoneish.nullish(),
  stage: optText(),
  outcome: z.enum(OUTCOMES).nullish(),
  amount: amountSchema.nullish(),
  region: optText(),
  manager: optText(),
  product: optText(),
  customer_id: idSchema.nullish(),
  temperature: z.enum(TEMPERATURES).nullish(),
});

const pageEvent = z.looseObject({ ...common, type: z.literal('page'), name: optText(), category: optText(), properties: pageProperties.nullish() });
const trackEvent = z.looseObject({
  ...common,
  type: z.literal('track'),
  event: text(MAX_TEXT).min(1, 'name the event'),
  properties: z.record(z.string(), z.unknown()).nullish(),
});
const identifyEvent = z.looseObject({
  ...common,
  type: z.literal('identify'),
  traits: z.looseObject({ email: optText(320), phone: phoneish.nullish() }).nullish(),
});
/** Accepted so that a client sending them is not refused, but not stored: Leadpath has no use for them. */
const otherEvent = z.looseObject({ ...common, type: z.enum(['screen', 'group', 'alias']) });

export const segmentEventSchema = z
  .discriminatedUnion('type', [pageEvent, trackEvent, identifyEvent, otherEvent], {
    error: 'type must be one of page, track, identify (screen, group, alias are accepted and ignored)',
  })
  .superRefine((e, ctx) => {
    if (e.anonymousId == null && e.userId == null) {
      ctx.addIssue({ code: 'custom', message: 'anonymousId or userId is required', path: ['anonymousId'] });
    }
    if (e.type === 'track' && e.event === LEAD_CREATED) {
      const props = leadCreatedPropertiesSchema.safeParse(e.properties ?? {});
      if (!props.success) {
        for (const issue of props.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['properties', ...issue.path] });
      }
    }
  });
export type SegmentEvent = z.output<typeof segmentEventSchema>;

export const MAX_BATCH_EVENTS = 5000;

export const segmentBatchSchema = z.looseObject({
  batch: z.array(z.unknown(), { error: 'batch must be an array of events' }).min(1, 'batch is empty').max(MAX_BATCH_EVENTS, `at most ${MAX_BATCH_EVENTS} events per batch`),
  sentAt: instantSchema.nullish(),
  writeKey: z.string().max(200).nullish(),
});

// Webhooks. A call and a lead as the canonical formats have them, in JSON
// types (numbers as numbers); one object or an array of them.

export const MAX_WEBHOOK_ITEMS = 1000;

export const callSchema = z.looseObject({
  call_id: idSchema,
  started_at: instantSchema,
  caller_phone: phoneish,
  tracking_number: phoneish,
  session_id: idSchema.nullish(),
  duration_sec: z.number({ error: 'must be a whole number of seconds' }).int('must be a whole number of seconds').min(0, 'must be >= 0').max(2_147_483_647).nullish(),
  status: z.enum(['answered', 'missed'], { error: 'status is answered or missed' }),
  manager: optText(),
  region: optText(),
});
export type CallInput = z.output<typeof callSchema>;

export const stageChangeSchema = z.looseObject({
  stage: text().min(1, 'name the stage'),
  entered_at: instantSchema,
  manager: optText(),
});

/** A CRM lead: lead_id required; the rest sets (null clears) what is given and keeps what is not. */
export const leadUpdateSchema = z.looseObject({
  lead_id: idSchema,
  created_at: instantSchema.optional(),
  kind: z.enum(LEAD_KINDS).optional(),
  session_id: idSchema.nullish(),
  visitor_id: idSchema.nullish(),
  call_id: idSchema.nullish(),
  phone: phoneish.nullish(),
  email: optText(320),
  source: optText(),
  medium: optText(),
  campaign: optText(),
  region: optText(),
  manager: optText(),
  product: optText(),
  customer_id: idSchema.nullish(),
  temperature: z.enum(TEMPERATURES).nullish(),
  stage: text().min(1, 'name the stage').optional(),
  outcome: z.enum(OUTCOMES).optional(),
  loss_reason: optText(),
  amount: amountSchema.nullish(),
  closed_at: instantSchema.nullish(),
  stages: z.array(stageChangeSchema).max(100, 'at most 100 stage changes per lead').optional(),
});
export type LeadUpdate = z.output<typeof leadUpdateSchema>;
