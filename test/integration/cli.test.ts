import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { projectRoot } from '../../db/paths';

// The CLI as users run it (bin/leadpath.mjs in a child process) against this
// file's own database through DATABASE_URL: exit codes and output formats are
// a public interface.

let t: TestDatabase;
const dir = mkdtempSync(path.join(os.tmpdir(), 'leadpath-cli-'));

function leadpath(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'bin/leadpath.mjs'), ...args], {
    env: { ...process.env, DATABASE_URL: t.url },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.drop());

test('workspace create validates its flags and exits 1 with every problem named', () => {
  const bad = leadpath('workspace', 'create', '--slug', 'Bad Slug', '--name', 'x', '--tz', 'Mars/Base', '--currency', 'usd');
  expect(bad.code).toBe(1);
  expect(bad.err).toContain('--slug: lower-case letters, digits and dashes');
  expect(bad.err).toContain('--tz: not an IANA time zone');
  const ok = leadpath('workspace', 'create', '--slug', 'acme', '--name', 'Acme', '--tz', 'Europe/Kyiv', '--currency', 'UAH');
  expect([ok.code, ok.out.trim()]).toEqual([0, 'created workspace acme (Acme, Europe/Kyiv, UAH)']);
}, 120_000);

test('import: a bad file exits 1 naming file, line and column; a good one exits 0; report prints JSON and escaped CSV', () => {
  const bad = path.join(dir, 'spend-bad.csv');
  writeFileSync(bad, 'date,source,medium,campaign,cost\n2026-03-01,google,cpc,x,-5\n');
  const failed = leadpath('import', 'spend', bad, '--workspace', 'acme');
  expect(failed.code).toBe(1);
  expect(failed.out).toContain('spend-bad.csv:2 column cost: must be >= 0 (value: "-5")');

  const good = path.join(dir, 'spend.csv');
  writeFileSync(good, 'date,source,medium,campaign,cost\n2026-03-01,google,cpc,=cmd(),100.50\n2026-03-02,google,cpc,=cmd(),20\n');
  const imported = leadpath('import', 'spend', good, '--workspace', 'acme');
  expect(imported.code).toBe(0);
  expect(imported.out).toMatch(/imported spend from spend\.csv: 2 rows read, 2 inserted/);

  const json = leadpath('report', 'channels', '--workspace', 'acme', '--from', '2026-03-01', '--to', '2026-03-31', '--by', 'campaign', '--format', 'json');
  expect(json.code).toBe(0);
  const rows = JSON.parse(json.out) as Record<string, unknown>[];
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ channel: 'paid_search', campaign: '=cmd()', spend: '120.50', leads: 0, cpl: null });

  const csvOut = leadpath('report', 'channels', '--workspace', 'acme', '--from', '2026-03-01', '--to', '2026-03-31', '--by', 'campaign', '--format', 'csv');
  expect(csvOut.out.split('\r\n')[1]).toMatch(/^paid_search,google,cpc,'=cmd\(\),120\.50,/);

  const unknown = leadpath('report', 'nope', '--workspace', 'acme', '--from', '2026-03-01', '--to', '2026-03-31');
  expect(unknown.code).toBe(1);
}, 180_000);
