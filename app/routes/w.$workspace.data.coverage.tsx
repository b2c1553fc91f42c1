import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { BarChart, ROLE_COLORS } from '../components/charts';
import { DataTable, type DataTableFeatures } from '../components/data-table';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { FilterBar } from '../components/filter-bar';
import { useFormat, useI18n, type MessageKey } from '../i18n/i18n';
import { dashboardSearch } from '../lib/dashboard-params';
import { getCoveragePage, type CoveragePage } from '../models/data.server';
import type { CoverageRow } from '../reports/coverage';

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getCoveragePage(context, params.workspace, request);
}

const reasonLabel = (reason: string): MessageKey => `data.coverage.reason.${reason}` as MessageKey;

const column = createColumnHelper<DataTableFeatures, CoverageRow>();
const reasonColumns = column.columns([
  column.accessor('reason', { meta: { label: 'data.coverage.reason' }, cell: (c) => <ReasonCell row={c.row.original} /> }),
  column.accessor('leads', { meta: { label: 'metric.leads', kind: 'count' } }),
  column.accessor('share_of_leads', { meta: { label: 'data.coverage.shareOfLeads', kind: 'percent' } }),
  column.accessor('revenue', { meta: { label: 'metric.revenue', kind: 'money' } }),
  column.accessor('share_of_revenue', { meta: { label: 'data.coverage.shareOfRevenue', kind: 'percent' } }),
]);

function ReasonCell({ row }: { row: CoverageRow }) {
  const { t, tMaybe } = useI18n();
  const { filterBar } = useLoaderData<typeof loader>();
  const label = tMaybe(reasonLabel(row.reason), row.reason);
  if (row.reason === 'total') return <span>{t('data.coverage.total')}</span>;
  if (row.leads === 0) return <span title={tMaybe(`data.coverage.why.${row.reason}`, '')}>{label}</span>;
  return (
    <Link to={{ search: withReason(filterBar.state, row.reason) }} preventScrollReset title={tMaybe(`data.coverage.why.${row.reason}`, '')}>
      {label}
    </Link>
  );
}

function withReason(state: CoveragePage['filterBar']['state'], reason: string | null): string {
  const base = dashboardSearch(state, {});
  if (reason === null) return base;
  return base ? `${base}&reason=${reason}` : `?reason=${reason}`;
}

type LeadRow = CoveragePage['leads'][number] & { created: string };
const leadColumn = createColumnHelper<DataTableFeatures, LeadRow>();
const leadColumns = leadColumn.columns([
  leadColumn.accessor('lead_id', { meta: { label: 'data.coverage.leadId' } }),
  leadColumn.accessor('created', { meta: { label: 'data.coverage.created' } }),
  leadColumn.accessor('kind', { meta: { label: 'import.kind' } }),
  leadColumn.accessor('manager', { meta: { label: 'dim.manager' } }),
  leadColumn.accessor('outcome', { meta: { label: 'data.coverage.outcome' } }),
  leadColumn.accessor('amount', { meta: { label: 'data.coverage.amount', kind: 'money' } }),
  leadColumn.accessor((r) => r.visitor_id ?? '', { id: 'visitor_id', meta: { label: 'data.coverage.visitor' } }),
]);

export default function CoverageTab() {
  const data = useLoaderData<typeof loader>();
  const { t, tMaybe } = useI18n();
  const f = useFormat();
  const { report, filterBar } = data;
  const known = report.rows.find((r) => r.reason === 'known');
  const isEmpty = report.totals.leads === 0;
  const chartRows = report.rows.map((r) => ({ key: r.reason, label: tMaybe(reasonLabel(r.reason), r.reason), values: { leads: r.leads } }));
  const leadRows = useMemo(() => data.leads.map((l) => ({ ...l, created: f.dateTime(new Date(l.created_at), data.workspace.timeZone) })), [data.leads, f, data.workspace.timeZone]);

  return (
    <>
      <FilterBar data={filterBar} hide={['compare', 'model', 'cohort', 'channel', 'source', 'medium', 'campaign']} />
      <section className="panel" aria-labelledby="coverage-heading">
        <h2 id="coverage-heading">{t('data.coverage.title')}</h2>
        {isEmpty ? (
          <p className="muted">{t('data.coverage.noLeads')}</p>
        ) : (
          <p className="coverage-headline">
            {t('data.coverage.headline', { leads: f.percent(known?.share_of_leads ?? null), revenue: f.percent(known?.share_of_revenue ?? null) })}
          </p>
        )}
        <BarChart
          title={t('data.coverage.chart')}
          description={t('data.coverage.chartHelp')}
          rows={chartRows}
          series={[{ key: 'leads', label: t('metric.leads'), color: ROLE_COLORS.leads, format: (v) => f.count(v) }]}
          axisFormat={(v) => f.compact(v)}
          emptyMessage={t('data.coverage.noLeads')}
          headingLevel={3}
        />
        <DataTable
          caption={t('data.coverage.table')}
          columns={reasonColumns}
          data={report.rows}
          totals={report.totals}
          getRowId={(r) => r.reason}
          exportName={`coverage-${filterBar.state.from}-${filterBar.state.to}`}
        />
        <dl className="reason-notes">
          {report.rows.map((r) => (
            <div key={r.reason}>
              <dt>{tMaybe(reasonLabel(r.reason), r.reason)}</dt>
              <dd>{tMaybe(`data.coverage.why.${r.reason}`, '')}</dd>
            </div>
          ))}
        </dl>
      </section>

      {data.reason ? (
        <section className="panel" aria-labelledby="coverage-leads-heading">
          <h2 id="coverage-leads-heading">{t('data.coverage.leadsOf', { reason: tMaybe(reasonLabel(data.reason), data.reason) })}</h2>
          <p className="muted">
            {data.leads.length >= data.leadLimit ? t('data.coverage.newest', { count: f.count(data.leadLimit) }) : null}{' '}
            <Link to={{ search: withReason(filterBar.state, null) }} preventScrollReset>
              {t('data.coverage.closeLeads')}
            </Link>
          </p>
          <DataTable
            caption={t('data.coverage.leadsOf', { reason: tMaybe(reasonLabel(data.reason), data.reason) })}
            columns={leadColumns}
            data={leadRows}
            getRowId={(r) => r.lead_id}
            filterable
            stickyHeader
            emptyMessage={t('data.coverage.noLeads')}
            exportName={`coverage-${data.reason}-${filterBar.state.from}-${filterBar.state.to}`}
          />
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
