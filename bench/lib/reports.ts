import { ATTRIBUTION_MODELS, reportParamsSchema, type ReportParamsInput } from '../../app/reports/params';
import { forecastParamsSchema } from '../../app/reports/forecast/params';
import { planParamsSchema } from '../../app/reports/pacing';
import type { Db } from '../../db/client';
import { REPORTS, type ReportOutput } from '../../db/reports/index';
import { forecastReport } from '../../db/reports/forecast';
import { planReport } from '../../db/reports/plan';
import type { Workspace } from '../../db/schema';

// Every `leadpath report` the bench times, called in-process the way
// cli/commands/report.ts calls it (same parameter schemas, same runners).

export type RangeName = 'full' | 'month';
export interface DayRange {
  from: string;
  to: string;
}
export interface BenchRanges {
  full: DayRange;
  month: DayRange;
}
export interface BenchFilters {
  channel: string;
  region: string;
}

export interface BenchCase {
  /** The equivalent CLI command, e.g. "report funnel --by region". */
  name: string;
  /** Which ranges and filter settings apply (a plan is monthly; some pages have no range). */
  variants: { range: RangeName; filters: boolean }[];
  run(range: DayRange, filters: boolean): Promise<unknown>;
}

const ALL_VARIANTS: BenchCase['variants'] = [
  { range: 'full', filters: false },
  { range: 'full', filters: true },
  { range: 'month', filters: false },
  { range: 'month', filters: true },
];

export function reportCases(db: Db, ws: Workspace, f: BenchFilters): BenchCase[] {
  const standard = (name: string, extra: Partial<ReportParamsInput>, label: string): BenchCase => ({
    name: `report ${name}${label}`,
    variants: ALL_VARIANTS,
    run: (range, filters) => {
      const params = reportParamsSchema.parse({
        ...extra,
        from: range.from,
        to: range.to,
        filters: filters ? { channel: f.channel, region: f.region } : {},
      });
      return REPORTS[name]!(db, ws, params);
    },
  });
  const cases: BenchCase[] = [
    standard('channels', { by: 'campaign' }, ' --by campaign'),
    ...ATTRIBUTION_MODELS.map((model) => standard('channels', { model }, ` --model ${model}`)),
    standard('funnel', { by: 'region' }, ' --by region'),
    standard('funnel', { by: 'manager' }, ' --by manager'),
    standard('paths', {}, ''),
    standard('attribution', {}, ''),
    standard('managers', {}, ''),
    standard('calls', {}, ''),
    standard('cohorts', {}, ''),
    standard('coverage', {}, ''),
    {
      name: 'report forecast --by week --horizon 90',
      variants: ALL_VARIANTS,
      run: (range, filters): Promise<ReportOutput> =>
        forecastReport(db, ws, forecastParamsSchema.parse({ from: range.from, to: range.to, horizon: 90, by: 'week', channel: filters ? f.channel : undefined })),
    },
    ...([undefined, 'channel'] as const).map((by): BenchCase => ({
      name: `report plan --month M${by ? ` --by ${by}` : ''}`,
      variants: [{ range: 'month', filters: false }],
      run: (range) => planReport(db, ws, planParamsSchema.parse({ month: range.from.slice(0, 7), by })),
    })),
  ];
  return cases;
}

/** The first Markov computation after an import: channels by channel with --model markov over the full range. */
export function markovChannels(db: Db, ws: Workspace, range: DayRange): Promise<ReportOutput> {
  return REPORTS.channels!(db, ws, reportParamsSchema.parse({ from: range.from, to: range.to, model: 'markov' }));
}

/** The first attribution report (every model, Markov and Shapley included) after an import, full range. */
export function attributionReport(db: Db, ws: Workspace, range: DayRange): Promise<ReportOutput> {
  return REPORTS.attribution!(db, ws, reportParamsSchema.parse({ from: range.from, to: range.to }));
}
