import { z } from 'zod';

// Parameters shared by every report, validated by one zod schema whether they
// come from the URL, the CLI or the API. Dates are calendar days in the
// workspace time zone, both ends inclusive.

export const ATTRIBUTION_MODELS = ['first', 'last', 'last_non_direct', 'linear', 'time_decay', 'position', 'markov'] as const;
export type AttributionModelName = (typeof ATTRIBUTION_MODELS)[number];
export const DEFAULT_MODEL: AttributionModelName = 'last_non_direct';

export const BREAKDOWNS = ['channel', 'source_medium', 'campaign', 'ad', 'region', 'manager', 'product', 'temperature', 'month', 'week', 'day'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** Outcomes belong to the month the lead was created (lead), or to when they happened (event). */
export const COHORT_MODES = ['lead', 'event'] as const;
export type CohortMode = (typeof COHORT_MODES)[number];

export const FILTER_KEYS = ['channel', 'source', 'medium', 'campaign', 'region', 'manager', 'product', 'temperature'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string[]>>;

/** Filters that only leads carry: with one of them on, spend and sessions cannot be sliced and are left out. */
export const LEAD_ONLY_FILTERS: readonly FilterKey[] = ['manager', 'product', 'temperature'];

const isoDay = z
  .string()
  // abort: a value that is not YYYY-MM-DD gets that one message, not the calendar one too.
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date YYYY-MM-DD', abort: true })
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d && d >= '1970-01-01' && d <= '2100-12-31';
  }, 'no such calendar date (1970–2100)');

const filterValues = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((x) => x.trim()).filter((x) => x !== ''))
  .pipe(z.array(z.string().max(200)).max(50));

export const filtersSchema = z
  .object(Object.fromEntries(FILTER_KEYS.map((k) => [k, filterValues.optional()])) as Record<FilterKey, z.ZodOptional<typeof filterValues>>)
  .transform((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v && v.length > 0)) as Filters);

export const dateRangeSchema = z
  .object({ from: isoDay, to: isoDay })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] });

export const reportParamsSchema = z
  .object({
    from: isoDay,
    to: isoDay,
    // Optional: each report has its own default (channels: by channel; funnel: no breakdown).
    by: z.enum(BREAKDOWNS).optional(),
    model: z.enum(ATTRIBUTION_MODELS).default(DEFAULT_MODEL),
    cohort: z.enum(COHORT_MODES).default('lead'),
    filters: filtersSchema.default({}),
  })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] });

export type ReportParams = z.output<typeof reportParamsSchema>;
export type ReportParamsInput = z.input<typeof reportParamsSchema>;

export function hasLeadOnlyFilter(filters: Filters): boolean {
  return LEAD_ONLY_FILTERS.some((k) => (filters[k]?.length ?? 0) > 0);
}
