import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_CHANNEL_RULES, FALLBACK_CHANNEL, type ChannelRule } from '../../app/domain/channels';
import { reportParamsSchema } from '../../app/reports/params';
import type { Db } from '../../db/client';
import { REPORTS } from '../../db/reports/index';
import type { Workspace } from '../../db/schema';
import type { DayRange } from './reports';

// The channel report by DuckDB straight from the canonical CSVs, to compare
// with ours (`report channels --by channel --model first`, cohort by lead).
//
// Compared per channel (the columns DuckDB can compute from the files alone):
// - spend: sum of spend.cost on days in the range, channel from the row's source/medium;
// - sessions: sessions that started on days in the range (workspace zone);
// - leads, sales, revenue under first touch: leads created in the range; a
//   lead's first touch is its visitor's earliest session in the lookback
//   window before it (visitor: the lead's, else its session's, else the
//   session of its call), else the static number it called, else its own
//   source/medium, else direct (db/analytics/stitch.ts); sales = its won
//   leads, revenue = their amount.
// Channels come from the workspace's rules, which are the defaults in the
// bench workspace (app/domain/channels.ts); source and medium compared
// trimmed and lower-cased, as the import stores them.

export const DUCKDB_COMPARED = 'channel report, by channel, model first, cohort by lead: spend, sessions, leads, sales, revenue per channel';

export interface ChannelFigures {
  spend: string;
  sessions: number;
  leads: number;
  sales: number;
  revenue: string;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const list = (xs: readonly string[]) => `(${xs.map(quote).join(', ')})`;

/** DEFAULT_CHANNEL_RULES as one SQL CASE over normalised source/medium expressions. */
export function channelCase(rules: readonly ChannelRule[], source: string, medium: string): string {
  const s = `lower(trim(coalesce(${source}, '')))`;
  const m = `lower(trim(coalesce(${medium}, '')))`;
  const whens = rules.map((r) => {
    const conds = [
      r.sourceIn && `${s} in ${list(r.sourceIn)}`,
      r.sourceNotIn && `${s} not in ${list(r.sourceNotIn)}`,
      r.mediumIn && `${m} in ${list(r.mediumIn)}`,
    ].filter(Boolean);
    return `when ${conds.length ? conds.join(' and ') : 'true'} then ${quote(r.channel)}`;
  });
  return `case ${whens.join(' ')} else ${quote(FALLBACK_CHANNEL)} end`;
}

function channelSql(files: { spend: string; sessions: string; calls: string; leads: string; tracking_numbers: string }, range: DayRange, opts: { timeZone: string; lookbackDays: number }): string {
  const csv = (f: string) => `read_csv(${quote(f)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
  const tz = quote(opts.timeZone);
  const inRange = (ts: string) => `(${ts} at time zone ${tz})::date between date ${quote(range.from)} and date ${quote(range.to)}`;
  const chan = (s: string, m: string) => channelCase(DEFAULT_CHANNEL_RULES, s, m);
  return `
    with
    s as materialized (
      select session_id, visitor_id, started_at::timestamptz as started_at, ${chan('source', 'medium')} as channel
        from ${csv(files.sessions)}
    ),
    c as (select call_id, started_at::timestamptz as started_at, tracking_number, session_id from ${csv(files.calls)}),
    tn as (
      select number, ${chan('source', 'medium')} as channel,
             coalesce(valid_from::date, date '0001-01-01') as vf, coalesce(valid_to::date, date '9999-12-31') as vt
        from ${csv(files.tracking_numbers)} where kind = 'static'
    ),
    l as (
      select lead_id, created_at::timestamptz as created_at, session_id, visitor_id, call_id, source, medium, outcome,
             amount::decimal(18, 2) as amount
        from ${csv(files.leads)}
       where ${inRange('created_at::timestamptz')}
    ),
    lv as (
      select l.*, coalesce(l.visitor_id, ls.visitor_id, cs.visitor_id) as v, c.started_at as call_at, c.tracking_number
        from l
        left join s ls on ls.session_id = l.session_id
        left join c on c.call_id = l.call_id
        left join s cs on cs.session_id = c.session_id
    ),
    first_session as (
      select lv.lead_id, first(s.channel order by s.started_at, s.session_id) as channel
        from lv join s on s.visitor_id = lv.v
         and s.started_at <= lv.created_at and s.started_at >= lv.created_at - to_days(${opts.lookbackDays})
       group by lv.lead_id
    ),
    call_touch as (
      select lv.lead_id, first(tn.channel order by tn.vf desc) as channel
        from lv join tn on tn.number = lv.tracking_number and (lv.call_at at time zone ${tz})::date between tn.vf and tn.vt
       group by lv.lead_id
    ),
    lead_channel as (
      select coalesce(fs.channel, ct.channel,
                      case when coalesce(lv.source, '') <> '' or coalesce(lv.medium, '') <> '' then ${chan('lv.source', 'lv.medium')} end,
                      'direct') as channel,
             lv.outcome, lv.amount
        from lv left join first_session fs on fs.lead_id = lv.lead_id left join call_touch ct on ct.lead_id = lv.lead_id
    ),
    sp as (
      select ${chan('source', 'medium')} as channel, sum(cost::decimal(18, 2)) as spend
        from ${csv(files.spend)} where date::date between date ${quote(range.from)} and date ${quote(range.to)} group by 1
    ),
    tr as (select channel, count(*) as sessions from s where ${inRange('started_at')} group by 1),
    ld as (
      select channel, count(*) as leads, count(*) filter (where outcome = 'won') as sales,
             coalesce(sum(amount) filter (where outcome = 'won'), 0) as revenue
        from lead_channel group by 1
    ),
    k as (select channel from sp union select channel from tr union select channel from ld)
    select k.channel, coalesce(sp.spend, 0)::decimal(18, 2)::varchar as spend, coalesce(tr.sessions, 0)::bigint::varchar as sessions,
           coalesce(ld.leads, 0)::bigint::varchar as leads, coalesce(ld.sales, 0)::bigint::varchar as sales,
           coalesce(ld.revenue, 0)::decimal(18, 2)::varchar as revenue
      from k left join sp using (channel) left join tr using (channel) left join ld using (channel)
     order by k.channel`;
}

export interface DuckRunner {
  version: string;
  run(range: DayRange): Promise<Map<string, ChannelFigures>>;
  close(): void;
}

/** pgTimeZone: the server's TimeZone, in which PostgreSQL subtracts the lookback days. */
export async function openDuckDb(files: Parameters<typeof channelSql>[0], ws: Workspace, pgTimeZone: string): Promise<DuckRunner> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`set TimeZone = ${quote(pgTimeZone)}`);
  const version = String((await conn.runAndReadAll('select version() as v')).getRowObjectsJS()[0]?.v ?? '');
  return {
    version,
    run: async (range) => {
      const reader = await conn.runAndReadAll(channelSql(files, range, { timeZone: ws.time_zone, lookbackDays: Number(ws.lookback_days) }));
      const out = new Map<string, ChannelFigures>();
      for (const r of reader.getRowObjectsJS() as Record<string, string>[]) {
        out.set(r.channel!, { spend: r.spend!, sessions: Number(r.sessions), leads: Number(r.leads), sales: Number(r.sales), revenue: r.revenue! });
      }
      return out;
    },
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** Ours: the report the CLI prints for `report channels --by channel --model first`. */
export async function oursChannels(db: Db, ws: Workspace, range: DayRange): Promise<Map<string, ChannelFigures>> {
  const out = await REPORTS.channels!(db, ws, reportParamsSchema.parse({ from: range.from, to: range.to, by: 'channel', model: 'first', cohort: 'lead' }));
  const figures = new Map<string, ChannelFigures>();
  for (const r of out.rows) {
    figures.set(String(r.channel), {
      spend: String(r.spend ?? '0'),
      sessions: Number(r.sessions ?? 0),
      leads: Number(r.leads ?? 0),
      sales: Number(r.sales ?? 0),
      revenue: String(r.revenue ?? '0'),
    });
  }
  return figures;
}

/** Exact decimal text in cents (both sides print at most 2 decimals). */
function cents(s: string): bigint {
  const m = /^(-?)(\d*)(?:\.(\d{0,2})\d*)?$/.exec(s.trim());
  if (!m) return BigInt(-1e15);
  const v = BigInt(m[2] || '0') * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -v : v;
}

/** Differences per channel and column; empty when the two agree. A channel missing on one side counts as zeros. */
export function compareChannels(ours: Map<string, ChannelFigures>, duck: Map<string, ChannelFigures>): string[] {
  const zero: ChannelFigures = { spend: '0', sessions: 0, leads: 0, sales: 0, revenue: '0' };
  const out: string[] = [];
  for (const channel of [...new Set([...ours.keys(), ...duck.keys()])].sort()) {
    const a = ours.get(channel) ?? zero;
    const b = duck.get(channel) ?? zero;
    if (cents(a.spend) !== cents(b.spend)) out.push(`${channel} spend: ours ${a.spend}, duckdb ${b.spend}`);
    if (cents(a.revenue) !== cents(b.revenue)) out.push(`${channel} revenue: ours ${a.revenue}, duckdb ${b.revenue}`);
    for (const k of ['sessions', 'leads', 'sales'] as const) {
      if (Math.abs(a[k] - b[k]) > 1e-6) out.push(`${channel} ${k}: ours ${a[k]}, duckdb ${b[k]}`);
    }
  }
  return out;
}
