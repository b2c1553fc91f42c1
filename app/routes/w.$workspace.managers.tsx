import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { BarChart, ROLE_COLORS } from '../components/charts';
import { DataTable, type DataColumn, type DataTableFeatures } from '../components/data-table';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { FilterBar } from '../components/filter-bar';
import { useDurations } from '../components/funnel/format';
import { FunnelPanel } from '../components/funnel/funnel-panel';
import funnelStyles from '../components/funnel/funnel.css?url';
import { Hours } from '../components/funnel/stage-table';
import { KpiCard } from '../components/kpi-card';
import { PageHeader } from '../components/page-header';
import { useFormat, useI18n, type MessageKey } from '../i18n/i18n';
import { relativeChange, type GoodDirection } from '../lib/change';
import { dashboardSearch, type DashboardState } from '../lib/dashboard-params';
import { sectionMeta } from '../lib/meta';
import { getManagersPage } from '../models/managers.server';
import type { ManagerRow } from '../reports/managers';

export const meta = sectionMeta('managers');
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: funnelStyles }];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getManagersPage(context, params.workspace, request);
}

const UNASSIGNED = '(unassigned)';

/** The view of one manager: the manager filter set to them, everything else kept. */
function managerSearch(state: DashboardState, manager: string | null): string {
  const filters = { ...state.filters };
  if (manager === null) delete filters.manager;
  else filters.manager = [manager];
  return dashboardSearch(state, { filters });
}

// ---------- Key figures ----------

type KpiKey = 'leads' | 'median_hours_to_contact' | 'contacted_within_15m_share' | 'qualified_rate' | 'win_rate' | 'won' | 'revenue' | 'missed_calls';

const KPIS: { key: KpiKey; label: MessageKey; goodWhen: GoodDirection }[] = [
  { key: 'leads', label: 'metric.leads', goodWhen: 'up' },
  { key: 'median_hours_to_contact', label: 'funnel.timeToContact', goodWhen: 'down' },
  { key: 'contacted_within_15m_share', label: 'funnel.within15', goodWhen: 'up' },
  { key: 'qualified_rate', label: 'funnel.qualifiedRate', goodWhen: 'up' },
  { key: 'won', label: 'funnel.won', goodWhen: 'up' },
  { key: 'win_rate', label: 'funnel.winRate', goodWhen: 'up' },
  { key: 'revenue', label: 'metric.revenue', goodWhen: 'up' },
  { key: 'missed_calls', label: 'managers.missedCalls', goodWhen: 'down' },
];

function KpiCards({ current, previous, hasCalls }: { current: ManagerRow; previous: ManagerRow | null; hasCalls: boolean }) {
  const { t } = useI18n();
  const f = useFormat();
  const d = useDurations();
  const format = (key: KpiKey, v: number | string | null): string => {
    if (key === 'median_hours_to_contact') return d.hours(v as number | null);
    if (key === 'revenue') return f.money(v);
    if (key === 'contacted_within_15m_share' || key === 'qualified_rate' || key === 'win_rate') return f.percent(v as number | null);
    return f.count(v as number | null);
  };
  return (
    <ul className="kpi-grid">
      {KPIS.filter((k) => hasCalls || k.key !== 'missed_calls').map(({ key, label, goodWhen }) => (
        <KpiCard
          key={key}
          label={t(label)}
          value={format(key, current[key])}
          change={previous ? relativeChange(current[key], previous[key]) : undefined}
          previous={previous ? format(key, previous[key]) : undefined}
          goodWhen={goodWhen}
          help={t(`managers.help.${key}`)}
        />
      ))}
    </ul>
  );
}

// ---------- Leaderboard ----------

const column = createColumnHelper<DataTableFeatures, ManagerRow>();
const COLUMNS: DataColumn<ManagerRow>[] = [
  column.accessor('manager', { meta: { label: 'dim.manager' }, cell: (c) => <ManagerCell name={c.getValue()} /> }),
  column.accessor('leads', { meta: { label: 'metric.leads', kind: 'count' } }),
  column.accessor('contacted', { meta: { label: 'funnel.contacted', kind: 'count' } }),
  column.accessor('median_hours_to_contact', { meta: { label: 'funnel.timeToContact', numeric: true }, cell: (c) => <Hours value={c.getValue()} /> }),
  column.accessor('contacted_within_15m_share', { meta: { label: 'funnel.within15', kind: 'percent' } }),
  column.accessor('qualified', { meta: { label: 'metric.qualified', kind: 'count' } }),
  column.accessor('qualified_rate', { meta: { label: 'funnel.qualifiedRate', kind: 'percent' } }),
  column.accessor('won', { meta: { label: 'funnel.won', kind: 'count' } }),
  column.accessor('lost', { meta: { label: 'funnel.lost', kind: 'count' } }),
  column.accessor('junk', { meta: { label: 'metric.junk', kind: 'count' } }),
  column.accessor('win_rate', { meta: { label: 'funnel.winRate', kind: 'percent' } }),
  column.accessor('revenue', { meta: { label: 'metric.revenue', kind: 'money' } }),
  column.accessor('avg_deal', { meta: { label: 'metric.avg_deal', kind: 'money' } }),
  column.accessor('calls', { meta: { label: 'managers.calls', kind: 'count' } }),
  column.accessor('missed_calls', { meta: { label: 'managers.missedCalls', kind: 'count' } }),
  column.accessor('missed_share', { meta: { label: 'managers.missedShare', kind: 'percent' } }),
];
const HIDDEN = ['contacted', 'qualified', 'lost', 'junk', 'avg_deal', 'calls', 'missed_share'];

function ManagerCell({ name }: { name: string }) {
  const { t } = useI18n();
  const { filterBar, selected, canSeeAll } = useLoaderData<typeof loader>();
  if (name === UNASSIGNED) return <span className="muted">{t('funnel.unassigned')}</span>;
  if (!canSeeAll || name === selected) return <>{name}</>;
  return (
    <Link to={{ search: managerSearch(filterBar.state, name) }} preventScrollReset aria-label={t('managers.open', { name })}>
      {name}
    </Link>
  );
}

function Charts({ rows }: { rows: ManagerRow[] }) {
  const { t } = useI18n();
  const f = useFormat();
  const d = useDurations();
  const named = rows.filter((r) => r.manager !== UNASSIGNED || r.leads > 0);
  return (
    <div className="panel-grid">
      <section className="panel">
        <BarChart
          title={t('managers.revenueChart')}
          description={t('managers.revenueChartHelp')}
          rows={named.map((r) => ({ key: r.manager, label: r.manager === UNASSIGNED ? t('funnel.unassigned') : r.manager, values: { revenue: Number(r.revenue) } }))}
          series={[{ key: 'revenue', label: t('metric.revenue'), color: ROLE_COLORS.revenue, format: (v) => f.money(v) }]}
          axisFormat={(v) => f.moneyCompact(v)}
          emptyMessage={t('managers.noRevenue')}
        />
      </section>
      <section className="panel">
        <BarChart
          title={t('funnel.timeToContact')}
          description={t('managers.speedChartHelp')}
          rows={named.map((r) => ({
            key: r.manager,
            label: r.manager === UNASSIGNED ? t('funnel.unassigned') : r.manager,
            values: { hours: r.median_hours_to_contact },
          }))}
          series={[{ key: 'hours', label: t('funnel.timeToContact'), color: ROLE_COLORS.leads, format: d.hours }]}
          axisFormat={(v) => (v === 0 ? f.count(0) : d.hours(v))}
          emptyMessage={t('funnel.noLeads')}
        />
      </section>
    </div>
  );
}

// ---------- Page ----------

export default function ManagersPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const d = useDurations();
  const f = useFormat();
  const { rows, totals, selected, funnel, filterBar, canSeeAll } = data;
  const state = filterBar.state;

  return (
    <>
      <PageHeader title={t('section.managers')} subtitle={data.workspace.name} />
      <FilterBar data={filterBar} hide={canSeeAll ? [] : ['manager']} />

      {selected !== null && canSeeAll ? (
        <nav aria-label={t('managers.breadcrumbs')} className="breadcrumbs">
          <ol>
            <li>
              <Link to={{ search: managerSearch(state, null) }} preventScrollReset>
                {t('managers.all')}
              </Link>
            </li>
            <li>
              <span aria-current="page">{selected}</span>
            </li>
          </ol>
        </nav>
      ) : null}

      <section aria-labelledby="kpi-heading">
        <h2 id="kpi-heading" className="section-title">
          {selected !== null ? t('managers.kpisOf', { name: selected }) : t('managers.kpis')}
        </h2>
        <KpiCards current={totals} previous={data.previous} hasCalls={data.hasCalls} />
      </section>

      {funnel && selected !== null ? (
        <section className="panel">
          <FunnelPanel
            title={t('managers.funnelOf', { name: selected })}
            stages={funnel.stages}
            exportName={`managers-funnel-${state.from}-${state.to}`}
          />
        </section>
      ) : rows.length > 1 ? (
        <Charts rows={rows} />
      ) : null}

      <section className="panel" aria-labelledby="leaderboard-heading">
        <h2 id="leaderboard-heading">{t('managers.leaderboard')}</h2>
        {canSeeAll && selected === null && rows.length > 0 ? <p className="muted drill-note">{t('managers.clickHint')}</p> : null}
        <DataTable
          caption={t('managers.leaderboard')}
          columns={COLUMNS}
          data={rows}
          totals={totals}
          getRowId={(r) => r.manager}
          initialHidden={data.hasCalls ? HIDDEN : [...HIDDEN, 'missed_calls']}
          filterable={rows.length > 8}
          columnMenu
          stickyHeader
          exportName={`managers-${state.from}-${state.to}`}
          emptyMessage={t('funnel.noLeads')}
        />
        {rows.length > 0 ? (
          <p className="muted panel-note">
            {t('managers.totalNote', { median: d.hours(totals.median_hours_to_contact), share: f.percent(totals.contacted_within_15m_share) })}
          </p>
        ) : null}
        <p className="muted panel-note">
          {t(state.cohort === 'event' ? 'managers.note.event' : 'managers.note.lead')} {data.hasCalls ? t('managers.callsNote') : t('managers.noCalls')}
        </p>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
