import { FILTER_KEYS, reportParamsSchema } from '../reports/params';
import { REPORTS, REPORT_NAMES } from '../../db/reports/index';
import type { Db } from '../../db/client';
import type { Workspace } from '../../db/schema';
import { ApiError, validationError } from './errors';

// GET /api/v1/reports/:name?from&to&by&model&cohort&<filter>=a,b for read
// tokens: the rows `leadpath report <name> --format json` prints, from the
// same report functions and the same parameter schema. A read token sees the
// whole workspace (it is a workspace's key, not a user with a role).

export async function readReport(db: Db, workspace: Workspace, name: string, search: URLSearchParams): Promise<Record<string, unknown>[]> {
  const runner = Object.hasOwn(REPORTS, name) ? REPORTS[name] : undefined;
  if (!runner) throw new ApiError(404, 'not_found', `no report "${name}" (reports: ${REPORT_NAMES.join(', ')})`, 'name');
  const known = new Set<string>(['from', 'to', 'by', 'model', 'cohort', ...FILTER_KEYS]);
  for (const key of search.keys()) {
    if (!known.has(key)) throw new ApiError(400, 'invalid_payload', `${key}: unknown parameter (known: ${[...known].join(', ')})`, key);
  }
  const one = (key: string) => search.get(key) ?? undefined;
  const filters = Object.fromEntries(FILTER_KEYS.filter((k) => search.has(k)).map((k) => [k, search.getAll(k).join(',')]));
  const parsed = reportParamsSchema.safeParse({ from: one('from'), to: one('to'), by: one('by'), model: one('model'), cohort: one('cohort'), filters });
  if (!parsed.success) throw validationError(parsed.error);
  const out = await runner(db, workspace, parsed.data);
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c) => [c, r[c] ?? null])));
}
