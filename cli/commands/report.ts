import type { Command } from 'commander';
import { FILTER_KEYS, reportParamsSchema, BREAKDOWNS, ATTRIBUTION_MODELS } from '../../app/reports/params';
import { toCsv, toJson, toTextTable } from '../../app/reports/export';
import { forecastParamsSchema } from '../../app/reports/forecast/params';
import { FORECAST_UNITS, MAX_HORIZON_DAYS } from '../../app/reports/forecast/forecast';
import { PLAN_BREAKDOWNS, planParamsSchema } from '../../app/reports/pacing';
import { REPORTS, REPORT_NAMES, type ReportOutput } from '../../db/reports/index';
import { forecastReport } from '../../db/reports/forecast';
import { planReport } from '../../db/reports/plan';
import type { Db } from '../../db/client';
import type { Workspace } from '../../db/schema';
import { CliError, resolveWorkspace, withConnection } from '../context';
import { formatZodError } from '../format';

type Options = Record<string, string | undefined>;
type Run = (db: Db, ws: Workspace) => Promise<ReportOutput>;

/** Reports with parameters of their own (a horizon, a month), each parsed by its own zod schema. */
const OWN_PARAMS: Record<string, (o: Options) => Run> = {
  forecast: (o) => {
    requireRange(o);
    const parsed = forecastParamsSchema.safeParse({ from: o.from, to: o.to, horizon: o.horizon, by: o.by, channel: o.channel });
    if (!parsed.success) throw new CliError(formatZodError(parsed.error));
    return (db, ws) => forecastReport(db, ws, parsed.data);
  },
  plan: (o) => {
    const parsed = planParamsSchema.safeParse({ month: o.month, by: o.by, today: o.today });
    if (!parsed.success) throw new CliError(formatZodError(parsed.error));
    return (db, ws) => planReport(db, ws, parsed.data);
  },
};

const ALL_NAMES = [...new Set([...REPORT_NAMES, ...Object.keys(OWN_PARAMS)])];

function requireRange(o: Options): void {
  // --from/--to are required by every report but `plan` (which takes --month).
  for (const flag of ['from', 'to'] as const) {
    if (o[flag] === undefined) throw new CliError(`required option '--${flag} <date>' not specified`);
  }
}

export function registerReportCommand(program: Command): void {
  const cmd = program
    .command('report')
    .description(`print a report; names: ${ALL_NAMES.join(', ')}`)
    .argument('<name>', 'report name')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .option('--from <date>', 'first day, YYYY-MM-DD (workspace time zone); required except for plan')
    .option('--to <date>', 'last day, YYYY-MM-DD (inclusive); required except for plan')
    .option('--by <slice>', `${BREAKDOWNS.join('|')}; forecast: ${FORECAST_UNITS.join('|')}; plan: ${PLAN_BREAKDOWNS.join('|')}`)
    .option('--model <model>', ATTRIBUTION_MODELS.join('|'))
    .option('--cohort <mode>', 'lead (outcomes in the lead\'s creation period, default) | event (when they happened)')
    .option('--horizon <days>', `forecast: days after --to to forecast (1..${MAX_HORIZON_DAYS}, default 90)`)
    .option('--month <YYYY-MM>', 'plan: the month to compare with its plan')
    .option('--today <date>', 'plan: the day to pace as of (days before it count; default today in the workspace zone)')
    .option('--format <format>', 'table | json | csv', 'table');
  for (const key of FILTER_KEYS) {
    cmd.option(`--${key} <values>`, `only these ${key} values (comma-separated)${key === 'channel' ? '; forecast: one channel' : ''}`);
  }
  cmd.action(async (name: string, o: Options) => {
    if (!['table', 'json', 'csv'].includes(o.format ?? '')) throw new CliError(`--format: expected table, json or csv`);
    let run: Run;
    const own = OWN_PARAMS[name];
    if (own) run = own(o);
    else {
      const runner = REPORTS[name];
      if (!runner) throw new CliError(`unknown report "${name}" (reports: ${ALL_NAMES.join(', ')})`);
      requireRange(o);
      const filters = Object.fromEntries(FILTER_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
      const parsed = reportParamsSchema.safeParse({ from: o.from, to: o.to, by: o.by, model: o.model, cohort: o.cohort, filters });
      if (!parsed.success) throw new CliError(formatZodError(parsed.error));
      run = (db, ws) => runner(db, ws, parsed.data);
    }
    const out = await withConnection(async ({ db }) => run(db, await resolveWorkspace(db, o.workspace)));
    if (o.format === 'json') process.stdout.write(toJson(out.columns, out.rows) + '\n');
    else if (o.format === 'csv') process.stdout.write(toCsv(out.columns, out.rows));
    else {
      process.stdout.write(toTextTable(out.columns, out.totals ? [...out.rows, out.totals] : out.rows));
      for (const section of out.sections ?? []) {
        process.stdout.write(`\n${section.title}\n${toTextTable(section.columns, section.rows)}`);
      }
      for (const n of out.notes) process.stdout.write(`note: ${n}\n`);
    }
  });
}
