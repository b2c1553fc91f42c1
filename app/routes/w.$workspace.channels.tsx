import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { BarChart, ROLE_COLORS } from '../components/charts';
import { DataTable, type DataColumn, type DataTableFeatures } from '../components/data-table';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { FilterBar, filterValueLabel } from '../components/filter-bar';
import { PageHeader } from '../components/page-header';
import { Value } from '../components/value';
import { useFormat, useI18n, type I18n } from '../i18n/i18n';
import { dashboardSearch, type DashboardState } from '../lib/dashboard-params';
import { sectionMeta } from '../lib/meta';
import { isAboveLimit } from '../lib/plan-progress';
import { CHANNEL_DRILL, type ChannelLevel, type ChannelsBy } from '../lib/channel-levels';
import { getChannelsPage } from '../models/channels.server';
import type { ChannelRow } from '../reports/channels';
import type { Filters } from '../reports/params';

export const meta = sectionMeta('channels');

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getChannelsPage(context, params.workspace, request);
}

// ---------- Drill-down ----------

const NEXT_LEVEL: Partial<Record<ChannelsBy, ChannelLevel>> = { channel: 'source_medium', source_medium: 'campaign', campaign: 'ad' };
/** The filters each level pins when one drills below it. */
const PINNED: Record<ChannelLevel, (keyof Filters)[]> = {
  channel: ['channel'],
  source_medium: ['channel', 'source', 'medium'],
  campaign: ['channel', 'source', 'medium', 'campaign'],
  ad: ['channel', 'source', 'medium', 'campaign'],
};
const DRILL_FILTERS: (keyof Filters)[] = ['channel', 'source', 'medium', 'campaign'];

/** The query of the level below a row: its key values become filters. */
function drillSearch(state: DashboardState, by: ChannelsBy, row: ChannelRow): string | null {
  const next = NEXT_LEVEL[by];
  if (!next) return null;
  const filters: Filters = { ...state.filters };
  for (const key of PINNED[by as ChannelLevel]) filters[key] = [String(row[key] ?? '')];
  return dashboardSearch(state, { by: next, filters });
}

interface Crumb {
  label: string;
  search: string | null;
}

/**
 * All channels › Paid search › google / cpc: each step up is a link, the
 * last names what the table shows. A level reached without its parents pinned
 * (a hand-made URL) ends with the level's name instead.
 */
function breadcrumbs(i18n: I18n, state: DashboardState, by: ChannelsBy): Crumb[] {
  const { t } = i18n;
  const depth = (CHANNEL_DRILL as readonly string[]).indexOf(by);
  if (depth < 0) return [{ label: t(`channels.level.${by}`), search: null }];
  const without = (keys: (keyof Filters)[]): Filters =>
    Object.fromEntries(Object.entries(state.filters).filter(([k]) => !keys.includes(k as keyof Filters)));
  const only = (key: keyof Filters) => (state.filters[key]?.length === 1 ? state.filters[key]![0]! : null);
  const crumbs: Crumb[] = [{ label: t('channels.allChannels'), search: dashboardSearch(state, { by: 'channel', filters: without(DRILL_FILTERS) }) }];
  const channel = only('channel');
  const source = only('source');
  const medium = only('medium');
  const campaign = only('campaign');
  if (depth >= 1 && channel !== null) {
    crumbs.push({
      label: filterValueLabel(i18n, 'channel', channel),
      search: dashboardSearch(state, { by: 'source_medium', filters: without(['source', 'medium', 'campaign']) }),
    });
    if (depth >= 2 && source !== null && medium !== null) {
      crumbs.push({ label: `${source} / ${medium}`, search: dashboardSearch(state, { by: 'campaign', filters: without(['campaign']) }) });
      if (depth >= 3 && campaign !== null) crumbs.push({ label: campaign, search: null });
    }
  }
  if (crumbs.length === depth + 1) crumbs[crumbs.length - 1] = { ...crumbs[crumbs.length - 1]!, search: null };
  else crumbs.push({ label: t(`channels.level.${by}`), search: null });
  return crumbs;
}

// ---------- Columns ----------

const column = createColumnHelper<DataTableFeatures, ChannelRow>();

/** A key column; the row's drill link sits in the level's own column. */
const keyColumn = (id: 'channel' | 'source' | 'medium' | 'campaign' | 'ad' | 'region' | 'manager' | 'product' | 'temperature') =>
  column.accessor((r) => String(r[id] ?? ''), {
    id,
    meta: { label: `dim.${id}` },
    cell: (c) => <KeyCell id={id} row={c.row.original} />,
  });

const metricColumns: DataColumn<ChannelRow>[] = [
  column.accessor('spend', { meta: { label: 'metric.spend', kind: 'money' } }),
  column.accessor('impressions', { meta: { label: 'metric.impressions', kind: 'count' } }),
  column.accessor('clicks', { meta: { label: 'metric.clicks', kind: 'count' } }),
  column.accessor('ctr', { meta: { label: 'metric.ctr', kind: 'percent' } }),
  column.accessor('cpc', { meta: { label: 'metric.cpc', kind: 'money' } }),
  column.accessor('sessions', { meta: { label: 'metric.sessions', kind: 'count' } }),
  column.accessor('cr', { meta: { label: 'metric.cr', kind: 'percent' } }),
  column.accessor('leads', { meta: { label: 'metric.leads', kind: 'number' } }),
  column.accessor('cpl', { meta: { label: 'metric.cpl', kind: 'money' }, cell: (c) => <CplCell row={c.row.original} /> }),
  column.accessor('junk', { meta: { label: 'metric.junk', kind: 'number' } }),
  column.accessor('junk_share', { meta: { label: 'metric.junk_share', kind: 'percent' } }),
  column.accessor('qualified', { meta: { label: 'metric.qualified', kind: 'number' } }),
  column.accessor('cpql', { meta: { label: 'metric.cpql', kind: 'money' } }),
  column.accessor('sales', { meta: { label: 'metric.sales', kind: 'number' } }),
  column.accessor('cac', { meta: { label: 'metric.cac', kind: 'money' } }),
  column.accessor('revenue', { meta: { label: 'metric.revenue', kind: 'money' } }),
  column.accessor('romi', { meta: { label: 'metric.romi', kind: 'percent' } }),
  column.accessor('roas', { meta: { label: 'metric.roas', kind: 'number' } }),
  column.accessor('avg_deal', { meta: { label: 'metric.avg_deal', kind: 'money' } }),
];
const HIDDEN_METRICS = ['junk', 'junk_share', 'roas', 'avg_deal'];

const KEY_COLUMNS = {
  channel: keyColumn('channel'),
  source: keyColumn('source'),
  medium: keyColumn('medium'),
  campaign: keyColumn('campaign'),
  ad: keyColumn('ad'),
  region: keyColumn('region'),
  manager: keyColumn('manager'),
  product: keyColumn('product'),
  temperature: keyColumn('temperature'),
};
/** Key columns per level, the level's own first (the parents a drill-down pinned come after, hidden). */
const KEYS_OF: Record<ChannelsBy, (keyof typeof KEY_COLUMNS)[]> = {
  channel: ['channel'],
  source_medium: ['source', 'medium', 'channel'],
  campaign: ['campaign', 'source', 'medium', 'channel'],
  ad: ['ad', 'campaign', 'source', 'medium', 'channel'],
  region: ['region'],
  manager: ['manager'],
  product: ['product'],
  temperature: ['temperature'],
};
/** Column definitions per level, built once. */
const COLUMNS = Object.fromEntries(
  Object.entries(KEYS_OF).map(([by, keys]) => [by, [...keys.map((k) => KEY_COLUMNS[k]), ...metricColumns]]),
) as Record<ChannelsBy, DataColumn<ChannelRow>[]>;

/** The column whose cell links one level down. */
const DRILL_COLUMN: Partial<Record<ChannelsBy, string>> = { channel: 'channel', source_medium: 'source', campaign: 'campaign' };

function KeyCell({ id, row }: { id: string; row: ChannelRow }) {
  const i18n = useI18n();
  const { by, filterBar } = useLoaderData<typeof loader>();
  const value = String(row[id] ?? '');
  const label = value === '' ? i18n.t('dim.none') : filterValueLabel(i18n, id === 'channel' || id === 'temperature' ? id : 'region', value);
  const search = DRILL_COLUMN[by] === id ? drillSearch(filterBar.state, by, row) : null;
  if (search === null) return <span className={value === '' ? 'muted' : undefined}>{label}</span>;
  const name = by === 'source_medium' ? `${row.source} / ${row.medium}` : label;
  return (
    <Link to={{ search }} preventScrollReset aria-label={i18n.t('channels.drill', { name, level: i18n.t(`channels.level.${NEXT_LEVEL[by]!}`) })}>
      {label}
    </Link>
  );
}

function CplCell({ row }: { row: ChannelRow }) {
  const { t } = useI18n();
  const f = useFormat();
  const { cplLimits } = useLoaderData<typeof loader>();
  const limit = cplLimits[String(row.channel ?? '')];
  if (!isAboveLimit(row.cpl, limit)) return <Value kind="money" value={row.cpl} />;
  const text = t('channels.cplOver', { limit: f.money(limit!) });
  return (
    <span className="flag" title={text}>
      <span aria-hidden="true">⚠ </span>
      <Value kind="money" value={row.cpl} />
      <span className="visually-hidden"> ({text})</span>
    </span>
  );
}

// ---------- Page ----------

const CHART_ROWS = 12;

export default function ChannelsPage() {
  const data = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const { by, rows, cplLimits, filterBar } = data;
  const state = filterBar.state;
  const crumbs = breadcrumbs(i18n, state, by);
  const totals = useMemo(() => ({ ...Object.fromEntries(data.keys.map((k) => [k, ''])), ...data.totals }) as ChannelRow, [data.keys, data.totals]);
  const hasFlags = rows.some((r) => isAboveLimit(r.cpl, cplLimits[String(r.channel ?? '')]));

  const chartRows = rows.slice(0, CHART_ROWS).map((r, i) => ({
    key: `${i}`,
    label: rowLabel(i18n, by, r),
    values: { spend: r.spend === null ? null : Number(r.spend), revenue: Number(r.revenue) },
  }));

  return (
    <>
      <PageHeader title={t('section.channels')} subtitle={data.workspace.name} />
      <FilterBar data={filterBar} />

      <nav aria-label={t('channels.breadcrumbs')} className="breadcrumbs">
        <ol>
          {crumbs.map((c, i) => (
            <li key={`${i}-${c.label}`}>
              {c.search !== null ? (
                <Link to={{ search: c.search }} preventScrollReset>
                  {c.label}
                </Link>
              ) : (
                <span aria-current={i === crumbs.length - 1 ? 'page' : undefined}>{c.label}</span>
              )}
            </li>
          ))}
        </ol>
      </nav>

      <section className="panel">
        <BarChart
          title={t('channels.chart')}
          description={rows.length > CHART_ROWS ? t('channels.chartTop', { count: CHART_ROWS, total: rows.length }) : t('channels.chartAll')}
          rows={chartRows}
          series={[
            { key: 'spend', label: t('metric.spend'), color: ROLE_COLORS.spend, format: (v) => f.money(v) },
            { key: 'revenue', label: t('metric.revenue'), color: ROLE_COLORS.revenue, format: (v) => f.money(v) },
          ]}
          axisFormat={(v) => f.moneyCompact(v)}
        />
      </section>

      <section className="panel" aria-labelledby="roi-heading">
        <h2 id="roi-heading">
          {t('channels.table')}: {t(`channels.level.${by}`)}
        </h2>
        <p className="muted table-note">
          {t('channels.note', { model: t(`model.${state.model}`), cohort: t(`channels.note.${state.cohort}`) })}
          {data.leadOnly ? ` ${t('channels.leadOnly')}` : null}
        </p>
        <DataTable
          // A new level is a new table: sorting and hidden columns start afresh.
          key={`${by}|${pinnedKeys(by, state.filters).join()}`}
          caption={t('channels.table')}
          columns={COLUMNS[by]}
          data={rows}
          totals={totals}
          getRowId={(r) => data.keys.map((k) => String(r[k] ?? '')).join('\u0000')}
          rowClassName={(r) => (isAboveLimit(r.cpl, cplLimits[String(r.channel ?? '')]) ? 'is-flagged' : undefined)}
          initialHidden={[...HIDDEN_METRICS, ...pinnedKeys(by, state.filters)]}
          filterable
          columnMenu
          stickyHeader
          exportName={`channels-${by}-${state.from}-${state.to}`}
        />
        {hasFlags ? (
          <p className="muted table-note">
            <span aria-hidden="true">⚠ </span>
            {t('channels.cplLegend')}
          </p>
        ) : null}
      </section>
    </>
  );
}

/** Parent key columns whose value the filters fix to one: every row would repeat it. */
function pinnedKeys(by: ChannelsBy, filters: Filters): string[] {
  const own = by === 'source_medium' ? ['source', 'medium'] : [by];
  return KEYS_OF[by].filter((k) => !own.includes(k) && filters[k as keyof Filters]?.length === 1);
}

function rowLabel(i18n: I18n, by: ChannelsBy, r: ChannelRow): string {
  const none = i18n.t('dim.none');
  const v = (k: string) => String(r[k] ?? '') || none;
  switch (by) {
    case 'channel':
      return filterValueLabel(i18n, 'channel', v('channel'));
    case 'source_medium':
      return `${v('source')} / ${v('medium')}`;
    case 'campaign':
      return v('campaign');
    case 'ad':
      return `${v('campaign')} · ${v('ad')}`;
    case 'temperature':
      return filterValueLabel(i18n, 'temperature', v('temperature'));
    default:
      return v(by);
  }
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
