import type { Command } from 'commander';
import { FILTER_KEYS, reportParamsSchema, BREAKDOWNS, ATTRIBUTION_MODELS } from '../../app/reports/params';
import { toCsv, toJson, toTextTable } from '../../app/reports/export';
import { REPORTS, REPORT_NAMES } from '../../db/reports/index';
import { CliError, resolveWorkspace, withConnection } from '../context';
import { formatZodError } from '../format';

export function registerReportCommand(program: Command): void {
  const cmd = program
    .command('report')
    .description(`print a report; names: ${REPORT_NAMES.join(', ')}`)
    .argument('<name>', 'report name')
    .option('--workspace <slug>', 'workspace (default: the only one)')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD (workspace time zone)')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (inclusive)')
    .option('--by <slice>', BREAKDOWNS.join('|'))
    .option('--model <model>', ATTRIBUTION_MODELS.join('|'))
    .option('--cohort <mode>', 'lead (outcomes in the lead\'s creation period, default) | event (when they happened)')
    .option('--format <format>', 'table | json | csv', 'table');
  for (const key of FILTER_KEYS) cmd.option(`--${key} <values>`, `only these ${key} values (comma-separated)`);
  cmd.action(async (name: string, o: Record<string, string | undefined>) => {
    const run = REPORTS[name];
    if (!run) throw new CliError(`unknown report "${name}" (reports: ${REPORT_NAMES.join(', ')})`);
    if (!['table', 'json', 'csv'].includes(o.format ?? '')) throw new CliError(`--format: expected table, json or csv`);
    const filters = Object.fromEntries(FILTER_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
    const parsed = reportParamsSchema.safeParse({ from: o.from, to: o.to, by: o.by, model: o.model, cohort: o.cohort, filters });
    if (!parsed.success) throw new CliError(formatZodError(parsed.error));
    const out = await withConnection(async ({ db }) => {
      const ws = await resolveWorkspace(db, o.workspace);
      return run(db, ws, parsed.data);
    });
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
