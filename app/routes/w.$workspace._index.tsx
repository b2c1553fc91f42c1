import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { BarChart, ROLE_COLORS, TimeSeriesChart, type TimeSeriesDef } from '../components/charts';
import { DataTable, type DataTableFeatures } from '../components/data-table';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { FilterBar, filterValueLabel } from '../components/filter-bar';
import { KpiCard } from '../components/kpi-card';
import { PageHeader } from '../components/page-header';
import { PlanProgressPanel } from '../components/plan-progress';
import { formatValue, type ValueKind } from '../components/value';
import { useFormat, useI18n, type MessageKey } from '../i18n/i18n';
import { relativeChange, type GoodDirection } from '../lib/change';
import type { Formatter } from '../lib/format';
import { sectionMeta } from '../lib/meta';
import { getOverviewPage, type ImportSummary, type OverviewPage } from '../models/overview.server';
import type { Metrics } from '../reports/metrics';

export const meta = sectionMeta('');

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getOverviewPage(context, params.workspace, request);
}

type KpiKey = 'spend' | 'leads' | 'cpl' | 'qualified' | 'cpql' | 'sales' | 'revenue' | 'romi';

// The eight key figures, in reading order; all are totals of the channel ROI report.
const KPIS: { key: KpiKey; kind: ValueKind; goodWhen: GoodDirection }[] = [
  { key: 'spend', kind: 'money', goodWhen: 'neutral' },
  { key: 'leads', kind: 'number', goodWhen: 'up' },
  { key: 'cpl', kind: 'money', goodWhen: 'down' },
  { key: 'qualified', kind: 'number', goodWhen: 'up' },
  { key: 'cpql', kind: 'money', goodWhen: 'down' },
  { key: 'sales', kind: 'number', goodWhen: 'up' },
  { key: 'revenue', kind: 'money', goodWhen: 'up' },
  { key: 'romi', kind: 'percent', goodWhen: 'up' },
];

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const { current, previous } = data.kpis;

  return (
    <>
      <PageHeader title={t('section.overview')} subtitle={data.workspace.name} />
      <FilterBar data={data.filterBar} />

      <section aria-labelledby="kpi-heading">
        <h2 id="kpi-heading" className="section-title">
          {t('overview.kpis')}
        </h2>
        <KpiCards current={current} previous={previous} />
      </section>

      <section className="panel">
        <TrendChart trend={data.trend} />
      </section>

      <div className="panel-grid">
        <RomiPanel title={t('overview.bestRomi')} rows={data.romi.top} />
        <RomiPanel title={t('overview.worstRomi')} rows={data.romi.bottom} />
      </div>

      {data.plan ? <PlanProgressPanel plan={data.plan} /> : null}

      <WorkspaceData page={data} />
    </>
  );
}

function KpiCards({ current, previous }: { current: Metrics; previous: Metrics | null }) {
  const { t } = useI18n();
  const f = useFormat();
  return (
    <ul className="kpi-grid">
      {KPIS.map(({ key, kind, goodWhen }) => (
        <KpiCard
          key={key}
          label={t(`metric.${key}`)}
          value={formatValue(f, kind, current[key])}
          change={previous ? relativeChange(current[key] as number | string | null, previous[key] as number | string | null) : undefined}
          previous={previous ? formatValue(f, kind, previous[key]) : undefined}
          goodWhen={goodWhen}
          help={t(`help.${key}`)}
        />
      ))}
    </ul>
  );
}

function TrendChart({ trend }: { trend: OverviewPage['trend'] }) {
  const { t } = useI18n();
  const f = useFormat();
  const series = useMemo(() => trendSeries(t, f), [t, f]);
  const points = useMemo(
    () => trend.points.map((p) => ({ date: p.date, values: { spend: p.spend, leads: p.leads, cpl: p.cpl } })),
    [trend.points],
  );
  const tick = trend.unit === 'month' ? f.month : f.shortDay;
  const bucket = (d: string) => (trend.unit === 'day' ? f.day(d) : trend.unit === 'week' ? t('chart.weekOf', { date: f.day(d) }) : f.month(d));
  return (
    <TimeSeriesChart
      title={t('overview.trend')}
      description={t(`overview.trend.${trend.unit}`)}
      points={points}
      series={series}
      formatTick={tick}
      formatBucket={bucket}
    />
  );
}

function trendSeries(t: (key: MessageKey) => string, f: Formatter): TimeSeriesDef[] {
  return [
    { key: 'spend', label: t('metric.spend'), color: ROLE_COLORS.spend, kind: 'bar', format: (v) => f.money(v), axisFormat: (v) => f.moneyCompact(v) },
    { key: 'leads', label: t('metric.leads'), color: ROLE_COLORS.leads, kind: 'line', format: (v) => f.number(v), axisFormat: (v) => f.compact(v) },
    { key: 'cpl', label: t('metric.cpl'), color: ROLE_COLORS.cost, kind: 'line', format: (v) => f.money(v), axisFormat: (v) => f.moneyCompact(v) },
  ];
}

function RomiPanel({ title, rows }: { title: string; rows: OverviewPage['romi']['top'] }) {
  const i18n = useI18n();
  const f = useFormat();
  const { t } = i18n;
  const barRows = rows.map((r) => ({ key: r.channel, label: filterValueLabel(i18n, 'channel', r.channel), values: { romi: r.romi } }));
  return (
    <section className="panel">
      <BarChart
        title={title}
        description={t('overview.romiHelp')}
        rows={barRows}
        series={[
          {
            key: 'romi',
            label: t('metric.romi'),
            color: ROLE_COLORS.positive,
            colorOf: (v) => (v < 0 ? ROLE_COLORS.negative : ROLE_COLORS.positive),
            format: (v) => f.percent(v),
          },
        ]}
        axisFormat={(v) => f.percent(v, 0)}
        emptyMessage={t('overview.noRomi')}
      />
      {rows.length > 0 ? (
        <ul className="romi-list">
          {rows.map((r) => (
            <li key={r.channel}>
              <span>{filterValueLabel(i18n, 'channel', r.channel)}</span>
              <span className="num">{f.percent(r.romi)}</span>
              <span className="muted num">
                {f.money(r.spend)} → {f.money(r.revenue)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

// ---------- What the workspace holds ----------

type ImportRow = ImportSummary & { started: string };

const column = createColumnHelper<DataTableFeatures, ImportRow>();
const importColumns = column.columns([
  column.accessor('started', { meta: { label: 'import.started' } }),
  column.accessor('kind', { meta: { label: 'import.kind' } }),
  column.accessor('fileName', { meta: { label: 'import.file' }, cell: (c) => <span className="file-name">{c.getValue()}</span> }),
  column.accessor('status', { meta: { label: 'import.status' }, cell: (c) => <ImportStatus job={c.row.original} /> }),
  column.accessor('rowsRead', { meta: { label: 'import.rowsRead', kind: 'count' } }),
  column.accessor('rowsInserted', { meta: { label: 'import.inserted', kind: 'count' } }),
  column.accessor('rowsUpdated', { meta: { label: 'import.updated', kind: 'count' } }),
  column.accessor('rowsRejected', { meta: { label: 'import.rejected', kind: 'count' } }),
]);

function ImportStatus({ job }: { job: ImportSummary }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-${job.status}`} title={job.error ?? undefined}>
      {t(`import.status.${job.status}`)}
    </span>
  );
}

function WorkspaceData({ page }: { page: OverviewPage }) {
  const { t } = useI18n();
  const f = useFormat();
  const { workspace, overview } = page;
  const { sessions, leads, calls, spend, range, imports } = overview;
  const importRows = useMemo(
    () => imports.map((job) => ({ ...job, started: f.dateTime(job.startedAt, workspace.timeZone) })),
    [imports, f, workspace.timeZone],
  );
  const isEmpty = sessions.rows + leads.rows + calls.rows + spend.rows === 0;
  const span = (r: { first: string | null; last: string | null }) => (r.first === null ? t('overview.noData') : f.dayRange(r.first, r.last));

  return (
    <>
      {isEmpty ? (
        <section className="panel notice" aria-labelledby="no-data">
          <h2 id="no-data">{t('overview.noDataYet')}</h2>
          <p>
            {t('overview.noDataText', { command: '{command}' })
              .split('{command}')
              .flatMap((part, i) => (i === 0 ? [part] : [<code key={i}>npx leadpath demo</code>, part]))}
          </p>
        </section>
      ) : null}

      <section aria-labelledby="data-heading">
        <h2 id="data-heading" className="section-title">
          {t('overview.data')}
        </h2>
        <ul className="stat-grid">
          <Stat label={t('overview.sessions')} value={f.count(sessions.rows)} detail={span(sessions)} />
          <Stat label={t('overview.leads')} value={f.count(leads.rows)} detail={span(leads)} />
          <Stat label={t('overview.calls')} value={f.count(calls.rows)} detail={span(calls)} />
          <Stat label={t('overview.adSpend')} value={f.money(spend.total)} detail={span(spend)} />
        </ul>
      </section>

      <section className="panel" aria-labelledby="workspace-heading">
        <h2 id="workspace-heading">{t('overview.workspace')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('overview.name')}</dt>
            <dd>{workspace.name}</dd>
          </div>
          <div>
            <dt>{t('overview.timeZone')}</dt>
            <dd>{workspace.timeZone}</dd>
          </div>
          <div>
            <dt>{t('overview.currency')}</dt>
            <dd>{workspace.currency}</dd>
          </div>
          <div>
            <dt>{t('overview.covers')}</dt>
            <dd>{span(range)}</dd>
          </div>
        </dl>
      </section>

      <section className="panel" aria-labelledby="imports-heading">
        <h2 id="imports-heading">{t('overview.imports')}</h2>
        {importRows.length > 0 ? (
          <DataTable caption={t('overview.imports')} columns={importColumns} data={importRows} />
        ) : (
          <p className="muted">{t('overview.noImports')}</p>
        )}
      </section>
    </>
  );
}

function Stat({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <li className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      <span className="stat-detail">{detail}</span>
    </li>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
