import { z } from 'zod';
import {
  ATTRIBUTION_MODELS,
  BREAKDOWNS,
  COHORT_MODES,
  DEFAULT_MODEL,
  FILTER_KEYS,
  reportParamsSchema,
  type AttributionModelName,
  type Breakdown,
  type CohortMode,
  type FilterKey,
  type Filters,
  type ReportParams,
} from '../reports/params';
import {
  addDays,
  addMonths,
  monthStart,
  quarterStart,
  rangeLength,
  shiftYears,
  yearStart,
  type Day,
} from './calendar';

// The dashboard's URL state, parsed by ONE schema for every page:
//
//   ?range=last_30|…|custom &from=YYYY-MM-DD &to=YYYY-MM-DD
//   &compare=none|previous|last_year &model=… &cohort=lead|event &by=…
//   &channel=a&channel=b &source=… &medium=… &campaign=… &region=…
//   &manager=… &product=… &temperature=…
//
// Every field falls back to its default on its own when it is missing or
// invalid, so a hostile or stale URL shows a page, never an error. Presets
// resolve against "today", which the server owns (the workspace's calendar
// day), and is passed in. Pure: no I/O, no clock.

export const RANGE_PRESETS = [
  'last_7',
  'last_30',
  'last_90',
  'this_month',
  'last_month',
  'this_quarter',
  'last_quarter',
  'this_year',
  'last_year',
  'custom',
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_RANGE: Exclude<RangePreset, 'custom'> = 'last_30';

export const COMPARE_MODES = ['none', 'previous', 'last_year'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];
export const DEFAULT_COMPARE: CompareMode = 'previous';
export const DEFAULT_COHORT: CohortMode = 'lead';

/** Everything the URL says, resolved: what the filter bar shows and what links carry. */
export interface DashboardState {
  range: RangePreset;
  /** First and last day shown, inclusive, in the workspace time zone. */
  from: Day;
  to: Day;
  compare: CompareMode;
  model: AttributionModelName;
  cohort: CohortMode;
  /** The page's breakdown or drill level; each page decides which it accepts. */
  by: Breakdown | undefined;
  filters: Filters;
  /** The workspace's today, so presets and date inputs agree with the server. */
  today: Day;
}

/** The values each filter offers (db/queries/filter-options.ts). */
export type FilterOptions = Record<FilterKey, string[]>;

export interface Dashboard {
  state: DashboardState;
  /** The chosen period, ready for any report runner. */
  params: ReportParams;
  /** The same filters over the comparison period; null when compare=none or the period is out of bounds. */
  comparison: ReportParams | null;
}

// ---------- Ranges ----------

export interface DayRange {
  from: Day;
  to: Day;
}

/** The days a preset covers on `today`. "This …" periods run up to today. */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, today: Day): DayRange {
  switch (preset) {
    case 'last_7':
      return { from: addDays(today, -6), to: today };
    case 'last_30':
      return { from: addDays(today, -29), to: today };
    case 'last_90':
      return { from: addDays(today, -89), to: today };
    case 'this_month':
      return { from: monthStart(today), to: today };
    case 'last_month': {
      const from = addMonths(today, -1);
      return { from, to: addDays(monthStart(today), -1) };
    }
    case 'this_quarter':
      return { from: quarterStart(today), to: today };
    case 'last_quarter': {
      const start = quarterStart(today);
      return { from: addMonths(start, -3), to: addDays(start, -1) };
    }
    case 'this_year':
      return { from: yearStart(today), to: today };
    case 'last_year': {
      const start = yearStart(today);
      return { from: shiftYears(start, -1), to: addDays(start, -1) };
    }
  }
}

/**
 * The comparison period: `previous` is the same number of days immediately
 * before; `last_year` is the same dates a year earlier (Feb 29 → Feb 28).
 */
export function comparisonRange(range: DayRange, mode: Exclude<CompareMode, 'none'>): DayRange {
  if (mode === 'previous') {
    const to = addDays(range.from, -1);
    return { from: addDays(to, -(rangeLength(range.from, range.to) - 1)), to };
  }
  return { from: shiftYears(range.from, -1), to: shiftYears(range.to, -1) };
}

/** The time bucket a chart over this range should use: days up to two months, weeks up to two years. */
export function timeBucketFor(range: DayRange): 'day' | 'week' | 'month' {
  const days = rangeLength(range.from, range.to);
  if (days <= 62) return 'day';
  if (days <= 731) return 'week';
  return 'month';
}

// ---------- The schema ----------

const MIN_DAY = '1970-01-01';
const MAX_DAY = '2100-12-31';

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d && d >= MIN_DAY && d <= MAX_DAY;
  });

/** The first value of a repeated query key (`?a=1&a=2` → '1'). */
const single = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v), schema);

const MAX_FILTER_VALUES = 50;
const MAX_FILTER_LENGTH = 200;

/** All values of a repeated key, trimmed, de-duplicated; over-long values are dropped. */
const filterValues = z
  .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))
  .transform((values) =>
    [...new Set(values.map((v) => v.trim()))]
      .filter((v) => v !== '' && v.length <= MAX_FILTER_LENGTH)
      .slice(0, MAX_FILTER_VALUES),
  )
  .catch([]);

export const dashboardSearchSchema = z.object({
  range: single(z.enum(RANGE_PRESETS)).optional().catch(undefined),
  from: single(isoDay).optional().catch(undefined),
  to: single(isoDay).optional().catch(undefined),
  compare: single(z.enum(COMPARE_MODES)).catch(DEFAULT_COMPARE).default(DEFAULT_COMPARE),
  model: single(z.enum(ATTRIBUTION_MODELS)).catch(DEFAULT_MODEL).default(DEFAULT_MODEL),
  cohort: single(z.enum(COHORT_MODES)).catch(DEFAULT_COHORT).default(DEFAULT_COHORT),
  by: single(z.enum(BREAKDOWNS)).optional().catch(undefined),
  ...(Object.fromEntries(FILTER_KEYS.map((k) => [k, filterValues])) as Record<(typeof FILTER_KEYS)[number], typeof filterValues>),
});

export type DashboardSearch = z.output<typeof dashboardSearchSchema>;

/**
 * The query string as zod input: each key with all its values. No prototype,
 * so keys like `toString` or `__proto__` are plain keys; values holding NUL
 * are dropped (PostgreSQL text cannot hold it, so they could match nothing).
 */
export function searchToObject(search: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const [key, value] of search) if (!value.includes('\u0000')) (out[key] ??= []).push(value);
  return out;
}

/**
 * The dashboard state of a URL's query on the workspace's `today`. Never
 * throws: anything it cannot use falls back to the default.
 */
export function parseDashboard(search: URLSearchParams | string, today: Day): Dashboard {
  const query = typeof search === 'string' ? new URLSearchParams(search) : search;
  // Every field catches its own errors, so the object as a whole always parses.
  const s = dashboardSearchSchema.parse(searchToObject(query));
  const { range, from, to } = resolveRange(s, today);
  const filters: Filters = {};
  for (const key of FILTER_KEYS) if (s[key].length > 0) filters[key] = s[key];
  const state: DashboardState = { range, from, to, compare: s.compare, model: s.model, cohort: s.cohort, by: s.by, filters, today };
  return { state, ...reportParamsOf(state) };
}

function resolveRange(s: DashboardSearch, today: Day): DayRange & { range: RangePreset } {
  const preset = s.range ?? (s.from !== undefined || s.to !== undefined ? 'custom' : DEFAULT_RANGE);
  if (preset !== 'custom') return { range: preset, ...presetRange(preset, today) };
  if (s.from === undefined && s.to === undefined) return { range: DEFAULT_RANGE, ...presetRange(DEFAULT_RANGE, today) };
  // One end missing: the other end of the default length; ends given backwards are swapped.
  let from = s.from ?? clampDay(addDays(s.to!, -29));
  let to = s.to ?? (today >= from ? today : from);
  if (from > to) [from, to] = [to, from];
  return { range: 'custom', from, to };
}

function clampDay(day: Day): Day {
  return day < MIN_DAY ? MIN_DAY : day > MAX_DAY ? MAX_DAY : day;
}

/** Report params of the chosen period and of the comparison period, validated by the reports' own schema. */
export function reportParamsOf(state: DashboardState): { params: ReportParams; comparison: ReportParams | null } {
  const base = { by: state.by, model: state.model, cohort: state.cohort, filters: state.filters };
  const params = reportParamsSchema.parse({ ...base, from: state.from, to: state.to });
  let comparison: ReportParams | null = null;
  if (state.compare !== 'none') {
    const r = comparisonRange(state, state.compare);
    if (r.from >= MIN_DAY) comparison = reportParamsSchema.parse({ ...base, ...r });
  }
  return { params, comparison };
}

// ---------- Back to the URL ----------

/**
 * The canonical query of a state: defaults are left out and the dates of a
 * preset are implied, so links stay short and a preset link stays relative.
 */
export function toSearchParams(state: Omit<DashboardState, 'today'>): URLSearchParams {
  const out = new URLSearchParams();
  if (state.range === 'custom') {
    out.set('range', 'custom');
    out.set('from', state.from);
    out.set('to', state.to);
  } else if (state.range !== DEFAULT_RANGE) {
    out.set('range', state.range);
  }
  if (state.compare !== DEFAULT_COMPARE) out.set('compare', state.compare);
  if (state.model !== DEFAULT_MODEL) out.set('model', state.model);
  if (state.cohort !== DEFAULT_COHORT) out.set('cohort', state.cohort);
  if (state.by !== undefined) out.set('by', state.by);
  for (const key of FILTER_KEYS) for (const v of state.filters[key] ?? []) out.append(key, v);
  return out;
}

export type DashboardPatch = Partial<Omit<DashboardState, 'today' | 'filters'>> & { filters?: Filters };

/** `?query` of the state with some fields changed (a drill-down, a breadcrumb, a preset). */
export function dashboardSearch(state: DashboardState, patch: DashboardPatch = {}): string {
  const query = toSearchParams({ ...state, ...patch }).toString();
  return query ? `?${query}` : '';
}

/** The query to carry to another page: the shared filters without the page's own breakdown. */
export function carriedSearch(state: DashboardState): string {
  return dashboardSearch(state, { by: undefined });
}

/** True when the filter is on (has at least one value). */
export function hasFilter(filters: Filters, key: keyof Filters): boolean {
  return (filters[key]?.length ?? 0) > 0;
}

const CARRIED_KEYS = new Set<string>(['range', 'from', 'to', 'compare', 'model', 'cohort', ...FILTER_KEYS]);

/**
 * The part of a raw query ('?range=last_7&by=ad&x=1') that follows the reader
 * to another page: the shared dashboard keys, without the page's own `by`.
 * Needs no "today", so the navigation can compute it in the browser.
 */
export function carriedQuery(search: string): string {
  const out = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(search)) if (CARRIED_KEYS.has(key)) out.append(key, value);
  const query = out.toString();
  return query ? `?${query}` : '';
}
