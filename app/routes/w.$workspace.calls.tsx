import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { BarChart, OKABE_ITO, ROLE_COLORS, TimeSeriesChart, type TimeSeriesDef } from '../components/charts';
import { HeatmapChart } from '../components/charts/heatmap-chart';
import { DataTable, type DataColumn, type DataTableFeatures } from '../components/data-table';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { FilterBar, filterValueLabel } from '../components/filter-bar';
import { BreakdownLinks } from '../components/funnel/breakdown-links';
import { useDurations } from '../components/funnel/format';
import funnelStyles from '../components/funnel/funnel.css?url';
import { KpiCard } from '../components/kpi-card';
import { PageHeader } from '../components/page-header';
import { useFormat, useI18n, type I18n, type MessageKey } from '../i18n/i18n';
import { relativeChange, type GoodDirection } from '../lib/change';
import type { Formatter } from '../lib/format';
import { sectionMeta } from '../lib/meta';
import { CALLS_PAGE_BREAKDOWNS, type CallsPageBy } from '../components/funnel/slices';
import { getCallsPage, type CallFigures, type CallsPage, type CallsPageRow, type KeyField } from '../models/calls.server';

export const meta = sectionMeta('calls');
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: funnelStyles }];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getCallsPage(context, params.workspace, request);
}

const CHART_ROWS = 12;
const UNASSIGNED = '(unassigned)';
const NO_REGION = '(none)';
const UNKNOWN_CHANNEL = 'unknown';

// ---------- Labels ----------

function keyLabel(i18n: I18n, field: KeyField, value: string | undefined): string {
  const v = value ?? '';
  if (field === 'channel') return v === UNKNOWN_CHANNEL ? i18n.t('calls.unknownChannel') : filterValueLabel(i18n, 'channel', v);
  if (field === 'manager' && v === UNASSIGNED) return i18n.t('funnel.unassigned');
  if (v === '' || (field === 'region' && v === NO_REGION)) return i18n.t('dim.none');
  return v;
}

function rowLabel(i18n: I18n, by: CallsPageBy, r: CallsPageRow): string {
  switch (by) {
    case 'source_medium':
      return r.source || r.medium ? `${r.source || i18n.t('dim.none')} / ${r.medium || i18n.t('dim.none')}` : keyLabel(i18n, 'channel', r.channel);
    case 'campaign':
      return r.campaign ? r.campaign : keyLabel(i18n, 'channel', r.channel);
    default:
      return keyLabel(i18n, by, r[by]);
  }
}

// ---------- Key figures ----------

type KpiKey = 'calls' | 'missed' | 'missed_share' | 'first_time' | 'repeat' | 'leads' | 'avg_duration_sec' | 'missed_cost';

const KPIS: { key: KpiKey; label: MessageKey; goodWhen: GoodDirection; spend?: boolean }[] = [
  { key: 'calls', label: 'calls.calls', goodWhen: 'up' },
  { key: 'missed', label: 'calls.missed', goodWhen: 'down' },
  { key: 'missed_share', label: 'calls.missedShare', goodWhen: 'down' },
  { key: 'first_time', label: 'calls.firstTime', goodWhen: 'up' },
  { key: 'repeat', label: 'calls.repeat', goodWhen: 'neutral' },
  { key: 'leads', label: 'calls.leads', goodWhen: 'up' },
  { key: 'avg_duration_sec', label: 'calls.avgDuration', goodWhen: 'neutral' },
  { key: 'missed_cost', label: 'calls.missedCost', goodWhen: 'down', spend: true },
];

function formatKpi(f: Formatter, d: ReturnType<typeof useDurations>, key: KpiKey, v: number | string | null): string {
  if (key === 'missed_cost') return f.money(v);
  if (key === 'missed_share') return f.percent(v as number | null);
  if (key === 'avg_duration_sec') return d.seconds(v as number | null);
  return f.count(v as number | null);
}

function KpiCards({ current, previous, canSeeSpend }: { current: CallFigures; previous: CallFigures | null; canSeeSpend: boolean }) {
  const { t } = useI18n();
  const f = useFormat();
  const d = useDurations();
  return (
    <ul className="kpi-grid">
      {KPIS.filter((k) => canSeeSpend || !k.spend).map(({ key, label, goodWhen }) => (
        <KpiCard
          key={key}
          label={t(label)}
          value={formatKpi(f, d, key, current[key])}
          change={previous ? relativeChange(current[key], previous[key]) : undefined}
          previous={previous ? formatKpi(f, d, key, previous[key]) : undefined}
          goodWhen={goodWhen}
          help={t(`calls.help.${key}`)}
        />
      ))}
    </ul>
  );
}

// ---------- Charts ----------

function VolumeChart({ trend }: { trend: CallsPage['trend'] }) {
  const { t } = useI18n();
  const f = useFormat();
  const series = useMemo(
    (): TimeSeriesDef[] => [
      { key: 'answered', label: t('calls.answered'), color: OKABE_ITO.blue, kind: 'bar', format: (v) => f.count(v), axisFormat: (v) => f.compact(v) },
      { key: 'missed', label: t('calls.missed'), color: ROLE_COLORS.negative, kind: 'bar', format: (v) => f.count(v), axisFormat: (v) => f.compact(v) },
      { key: 'repeat', label: t('calls.repeat'), color: OKABE_ITO.reddishPurple, kind: 'bar', format: (v) => f.count(v), axisFormat: (v) => f.compact(v) },
    ],
    [t, f],
  );
  const points = useMemo(
    () => trend.points.map((p) => ({ date: p.date, values: { answered: p.answered, missed: p.missed, repeat: p.repeat } })),
    [trend.points],
  );
  const tick = trend.unit === 'month' ? f.month : f.shortDay;
  const bucket = (d: string) => (trend.unit === 'day' ? f.day(d) : trend.unit === 'week' ? t('chart.weekOf', { date: f.day(d) }) : f.month(d));
  return (
    <TimeSeriesChart
      title={t('calls.volume')}
      description={t(`calls.volume.${trend.unit}`)}
      points={points}
      series={series}
      formatTick={tick}
      formatBucket={bucket}
      panelHeight={80}
    />
  );
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

function HourHeatmap({ byHour }: { byHour: CallsPage['byHour'] }) {
  const { t, tn } = useI18n();
  const f = useFormat();
  const rows = WEEKDAYS.map((d) => t(`calls.weekday.${d}`));
  const cells = byHour.map((c) => ({
    row: c.weekday - 1,
    column: c.hour,
    value: c.calls,
    details: [
      { label: t('calls.calls'), value: f.count(c.calls), color: OKABE_ITO.blue },
      { label: t('calls.missed'), value: f.count(c.missed) },
      { label: t('calls.missedShare'), value: f.percent(c.calls > 0 ? c.missed / c.calls : null) },
    ],
  }));
  const busiest = byHour.reduce<CallsPage['byHour'][number] | null>((best, c) => (c.calls > (best?.calls ?? 0) ? c : best), null);
  const slot = (weekday: number, hour: number) =>
    t('calls.cellTitle', { day: rows[weekday - 1]!, from: `${HOURS[hour]}:00`, to: `${HOURS[(hour + 1) % 24]}:00` });
  return (
    <HeatmapChart
      title={t('calls.heatmap')}
      description={
        busiest
          ? `${t('calls.heatmapHelp')} ${t('calls.busiest', { slot: slot(busiest.weekday, busiest.hour), calls: tn('calls.callsCount', busiest.calls) })}`
          : t('calls.heatmapHelp')
      }
      rows={rows}
      columns={HOURS}
      cells={cells}
      cellTitle={(r, c) => slot(r + 1, c)}
      scaleLabel={(v) => tn('calls.callsCount', v)}
      emptyMessage={t('calls.noCalls')}
    />
  );
}

function SliceCharts({ rows, by }: { rows: CallsPageRow[]; by: CallsPageBy }) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const top = rows.slice(0, CHART_ROWS).map((r, i) => ({ key: `${i}`, label: rowLabel(i18n, by, r), r }));
  const description = rows.length > CHART_ROWS ? t('calls.chartTop', { count: CHART_ROWS, total: rows.length }) : t('calls.chartAll');
  return (
    <div className="panel-grid">
      <section className="panel">
        <BarChart
          title={t('calls.answeredMissed')}
          description={description}
          rows={top.map(({ key, label, r }) => ({ key, label, values: { answered: r.answered, missed: r.missed } }))}
          series={[
            { key: 'answered', label: t('calls.answered'), color: OKABE_ITO.blue, format: (v) => f.count(v) },
            { key: 'missed', label: t('calls.missed'), color: ROLE_COLORS.negative, format: (v) => f.count(v) },
          ]}
          axisFormat={(v) => f.compact(v)}
          emptyMessage={t('calls.noCalls')}
        />
      </section>
      <section className="panel">
        <BarChart
          title={t('calls.firstRepeat')}
          description={t('calls.firstRepeatHelp')}
          rows={top.map(({ key, label, r }) => ({ key, label, values: { first_time: r.first_time, repeat: r.repeat } }))}
          series={[
            { key: 'first_time', label: t('calls.firstTime'), color: OKABE_ITO.bluishGreen, format: (v) => f.count(v) },
            { key: 'repeat', label: t('calls.repeat'), color: OKABE_ITO.reddishPurple, format: (v) => f.count(v) },
          ]}
          axisFormat={(v) => f.compact(v)}
          emptyMessage={t('calls.noCalls')}
        />
      </section>
    </div>
  );
}

// ---------- Tables ----------

const column = createColumnHelper<DataTableFeatures, CallsPageRow>();

const keyColumn = (id: KeyField) =>
  column.accessor((r) => r[id] ?? '', { id, meta: { label: `dim.${id}` }, cell: (c) => <KeyCell field={id} value={c.getValue()} /> });

function KeyCell({ field, value }: { field: KeyField; value: string }) {
  const i18n = useI18n();
  const label = keyLabel(i18n, field, value);
  const isNone = value === '' || value === UNASSIGNED || value === NO_REGION || value === UNKNOWN_CHANNEL;
  return <span className={isNone ? 'muted' : undefined}>{label}</span>;
}

// What missed calls cost sits next to the missed calls (the CLI prints it last); the spend-derived pair is last in
// the list, so a role without 'spend:view' gets the same columns without them.
const CALL_COLUMNS: DataColumn<CallsPageRow>[] = [
  column.accessor('calls', { meta: { label: 'calls.calls', kind: 'count' } }),
  column.accessor('answered', { meta: { label: 'calls.answered', kind: 'count' } }),
  column.accessor('missed', { meta: { label: 'calls.missed', kind: 'count' } }),
  column.accessor('missed_share', { meta: { label: 'calls.missedShare', kind: 'percent' } }),
  column.accessor('first_time', { meta: { label: 'calls.col.firstTime', kind: 'count' } }),
  column.accessor('repeat', { meta: { label: 'calls.col.repeat', kind: 'count' } }),
  column.accessor('leads', { meta: { label: 'calls.col.leads', kind: 'count' } }),
  column.accessor('unique_callers', { meta: { label: 'calls.uniqueCallers', kind: 'count' } }),
  // Seconds as a number (not '2 min 48 s'), so the totals row can show it too.
  column.accessor('avg_duration_sec', { meta: { label: 'calls.avgDurationSec', kind: 'number' } }),
];
const SPEND_COLUMNS: DataColumn<CallsPageRow>[] = [
  column.accessor('missed_cost', { meta: { label: 'calls.missedCost', kind: 'money' } }),
  column.accessor('cost_per_call', { meta: { label: 'calls.costPerCall', kind: 'money' } }),
];

/** Key columns per slice: the slice's own first, its parents after (hidden when a filter pins them). */
const KEYS_OF: Record<CallsPageBy, KeyField[]> = {
  channel: ['channel'],
  source_medium: ['source', 'medium', 'channel'],
  campaign: ['campaign', 'source', 'medium', 'channel'],
  region: ['region'],
  manager: ['manager'],
};
const columnsOf = (spend: DataColumn<CallsPageRow>[]) =>
  Object.fromEntries(
    CALLS_PAGE_BREAKDOWNS.map((by) => [by, [...KEYS_OF[by].map(keyColumn), ...CALL_COLUMNS.slice(0, 4), ...spend, ...CALL_COLUMNS.slice(4)]]),
  ) as Record<CallsPageBy, DataColumn<CallsPageRow>[]>;
/** Per slice, with and without the spend-derived columns (a role without 'spend:view' does not get them at all). */
const COLUMNS = columnsOf(SPEND_COLUMNS);
const COLUMNS_WITHOUT_SPEND = columnsOf([]);

type StaticRow = CallsPage['staticNumbers'][number];
const staticColumn = createColumnHelper<DataTableFeatures, StaticRow>();
const STATIC_COLUMNS: DataColumn<StaticRow>[] = [
  staticColumn.accessor('number', { meta: { label: 'calls.number' } }),
  staticColumn.accessor('source', { meta: { label: 'dim.source' } }),
  staticColumn.accessor('medium', { meta: { label: 'dim.medium' } }),
  staticColumn.accessor('campaign', { meta: { label: 'dim.campaign' } }),
  staticColumn.accessor('calls', { meta: { label: 'calls.calls', kind: 'count' } }),
  staticColumn.accessor('first_time', { meta: { label: 'calls.col.firstTime', kind: 'count' } }),
  staticColumn.accessor('missed', { meta: { label: 'calls.missed', kind: 'count' } }),
  staticColumn.accessor('leads', { meta: { label: 'calls.col.leads', kind: 'count' } }),
  staticColumn.accessor('spend', { meta: { label: 'metric.spend', kind: 'money' } }),
  staticColumn.accessor('cpl', { meta: { label: 'metric.cpl', kind: 'money' } }),
];
const STATIC_COLUMNS_WITHOUT_SPEND = STATIC_COLUMNS.slice(0, -2);

type MissedRow = CallsPage['missedByManager'][number];
const missedColumn = createColumnHelper<DataTableFeatures, MissedRow>();
const MISSED_COLUMNS: DataColumn<MissedRow>[] = [
  missedColumn.accessor('manager', { meta: { label: 'dim.manager' }, cell: (c) => <KeyCell field="manager" value={c.getValue()} /> }),
  missedColumn.accessor('missed', { meta: { label: 'calls.missed', kind: 'count' } }),
  missedColumn.accessor('missed_cost', { meta: { label: 'calls.missedCost', kind: 'money' } }),
];

function MissedCostPanel({ data }: { data: CallsPage }) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const { rows, by, missedByManager, totals, filterBar } = data;
  const costly = rows.filter((r) => Number(r.missed_cost ?? 0) > 0).slice(0, CHART_ROWS);
  const missedTotals = useMemo(
    () => ({ manager: '', missed: missedByManager.reduce((n, m) => n + m.missed, 0), missed_cost: totals.missed_cost }),
    [missedByManager, totals.missed_cost],
  );
  return (
    <section className="panel" aria-labelledby="missed-heading">
      <h2 id="missed-heading">{t('calls.missedCostTitle')}</h2>
      <p className="muted table-note">{t('calls.missedCostHelp', { total: f.money(totals.missed_cost) })}</p>
      <div className="panel-grid">
        <BarChart
          title={t('calls.missedCostBy', { slice: t(`calls.by.${by}`) })}
          headingLevel={3}
          rows={costly.map((r, i) => ({ key: `${i}`, label: rowLabel(i18n, by, r), values: { cost: Number(r.missed_cost) } }))}
          series={[{ key: 'cost', label: t('calls.missedCost'), color: ROLE_COLORS.spend, format: (v) => f.money(v) }]}
          axisFormat={(v) => f.moneyCompact(v)}
          emptyMessage={t('calls.noMissedCost')}
        />
        <div>
          <h3 className="table-title">{t('calls.missedByManager')}</h3>
          <DataTable
            caption={t('calls.missedByManager')}
            columns={MISSED_COLUMNS}
            data={missedByManager}
            totals={missedTotals}
            getRowId={(r) => r.manager}
            exportName={`calls-missed-by-manager-${filterBar.state.from}-${filterBar.state.to}`}
            emptyMessage={t('calls.noMissed')}
          />
        </div>
      </div>
    </section>
  );
}

// ---------- Page ----------

export default function CallsPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const { by, rows, totals, filterBar, canSeeSpend } = data;
  const state = filterBar.state;
  const tableTotals = useMemo(() => ({ ...Object.fromEntries(data.keys.map((k) => [k, ''])), ...totals }) as CallsPageRow, [data.keys, totals]);
  const pinned = KEYS_OF[by].slice(1).filter((k) => (state.filters[k]?.length ?? 0) === 1);
  const options = CALLS_PAGE_BREAKDOWNS.map((b) => ({ value: b, label: t(`calls.by.${b}`) }));

  return (
    <>
      <PageHeader title={t('section.calls')} subtitle={data.workspace.name} />
      <FilterBar data={filterBar} hide={['model', 'cohort', 'product', 'temperature', ...(data.canSeeAll ? [] : (['manager'] as const))]} />

      <section aria-labelledby="kpi-heading">
        <h2 id="kpi-heading" className="section-title">
          {t('calls.kpis')}
        </h2>
        <KpiCards current={totals} previous={data.previous} canSeeSpend={canSeeSpend} />
      </section>

      <section className="panel">
        <VolumeChart trend={data.trend} />
      </section>

      <section className="panel">
        <HourHeatmap byHour={data.byHour} />
      </section>

      <section className="panel" aria-labelledby="slices-heading">
        <h2 id="slices-heading">
          {t('calls.table')}: {t(`calls.by.${by}`)}
        </h2>
        <BreakdownLinks label={t('calls.breakdown')} state={state} options={options} current={by} />
        <DataTable
          key={`${by}|${pinned.join()}`}
          caption={`${t('calls.table')}: ${t(`calls.by.${by}`)}`}
          columns={(canSeeSpend ? COLUMNS : COLUMNS_WITHOUT_SPEND)[by]}
          data={rows}
          totals={tableTotals}
          getRowId={(r) => data.keys.map((k) => r[k] ?? '').join('\u0000')}
          initialHidden={[...pinned, 'unique_callers', 'avg_duration_sec']}
          filterable
          columnMenu
          stickyHeader
          exportName={`calls-${by}-${state.from}-${state.to}`}
          emptyMessage={t('calls.noCalls')}
        />
        <p className="muted panel-note">{t('calls.note')}</p>
      </section>

      <SliceCharts rows={rows} by={by} />

      {canSeeSpend ? <MissedCostPanel data={data} /> : null}

      <section className="panel" aria-labelledby="static-heading">
        <h2 id="static-heading">{t('calls.static')}</h2>
        <p className="muted table-note">{t('calls.staticHelp')}</p>
        <DataTable
          caption={t('calls.static')}
          columns={canSeeSpend ? STATIC_COLUMNS : STATIC_COLUMNS_WITHOUT_SPEND}
          initialHidden={['medium', 'first_time']}
          data={data.staticNumbers}
          getRowId={(r, i) => `${r.number}|${i}`}
          exportName={`calls-static-numbers-${state.from}-${state.to}`}
          emptyMessage={t('calls.noStatic')}
        />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
