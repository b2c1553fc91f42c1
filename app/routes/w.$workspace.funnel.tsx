import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { BarChart, ROLE_COLORS } from '../components/charts';
import { FunnelChart } from '../components/charts/funnel-chart';
import { DataTable, type DataColumn, type DataTableFeatures } from '../components/data-table';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { FilterBar, filterValueLabel } from '../components/filter-bar';
import { BreakdownLinks } from '../components/funnel/breakdown-links';
import { stageLabel, useDurations, useFunnelChartText } from '../components/funnel/format';
import { FunnelPanel, toChartStages } from '../components/funnel/funnel-panel';
import { allLeadsStages } from '../components/funnel/slices';
import funnelStyles from '../components/funnel/funnel.css?url';
import { Hours } from '../components/funnel/stage-table';
import { KpiCard } from '../components/kpi-card';
import { PageHeader } from '../components/page-header';
import { useFormat, useI18n, type I18n } from '../i18n/i18n';
import { relativeChange, type GoodDirection } from '../lib/change';
import type { Formatter } from '../lib/format';
import { sectionMeta } from '../lib/meta';
import { getFunnelPage, type FunnelSummary } from '../models/funnel.server';
import { FUNNEL_BREAKDOWNS, type FunnelBreakdown, type FunnelOutcomeRow, type FunnelReasonRow, type FunnelStageRow, type SpeedRow } from '../reports/funnel';

export const meta = sectionMeta('funnel');
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: funnelStyles }];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getFunnelPage(context, params.workspace, request);
}

/** Funnels drawn side by side; every group stays in the table. */
const MAX_MULTIPLES = 12;

// ---------- Group labels ----------

/** A group value as the page prints it: months as months, channel and temperature names translated. */
function groupName(i18n: I18n, f: Formatter, by: FunnelBreakdown | null, group: string): string {
  if (group === '(none)') return i18n.t('dim.none');
  if (group === '(unassigned)') return i18n.t('funnel.unassigned');
  switch (by) {
    case 'month':
      return /^\d{4}-\d{2}-\d{2}$/.test(group) ? f.month(group) : group;
    case 'channel':
    case 'temperature':
      return filterValueLabel(i18n, by, group);
    default:
      return group;
  }
}

// ---------- Key figures ----------

interface Kpi {
  key: string;
  label: string;
  help: string;
  value: (s: FunnelSummary) => number | null;
  format: (v: number | null) => string;
  goodWhen: GoodDirection;
}

function kpisOf(i18n: I18n, f: Formatter, d: ReturnType<typeof useDurations>): Kpi[] {
  const { t } = i18n;
  return [
    { key: 'leads', label: t('metric.leads'), help: t('funnel.help.leads'), value: (s) => s.outcome?.leads ?? 0, format: (v) => f.count(v), goodWhen: 'up' },
    {
      key: 'qualified',
      label: t('funnel.qualifiedRate'),
      help: t('funnel.help.qualifiedRate'),
      value: (s) => s.qualifiedRate,
      format: (v) => f.percent(v),
      goodWhen: 'up',
    },
    { key: 'won', label: t('funnel.won'), help: t('funnel.help.won'), value: (s) => s.outcome?.won ?? 0, format: (v) => f.count(v), goodWhen: 'up' },
    { key: 'win_rate', label: t('funnel.winRate'), help: t('funnel.help.winRate'), value: (s) => s.outcome?.win_rate ?? null, format: (v) => f.percent(v), goodWhen: 'up' },
    { key: 'junk_rate', label: t('funnel.junkRate'), help: t('funnel.help.junkRate'), value: (s) => s.outcome?.junk_rate ?? null, format: (v) => f.percent(v), goodWhen: 'down' },
    {
      key: 'cycle',
      label: t('funnel.salesCycle'),
      help: t('funnel.help.salesCycle'),
      value: (s) => s.outcome?.median_sales_cycle_days ?? null,
      format: d.days,
      goodWhen: 'down',
    },
    {
      key: 'contact',
      label: t('funnel.timeToContact'),
      help: t('funnel.help.timeToContact'),
      value: (s) => s.speed?.median_hours_to_contact ?? null,
      format: d.hours,
      goodWhen: 'down',
    },
    {
      key: 'within15',
      label: t('funnel.within15'),
      help: t('funnel.help.within15'),
      value: (s) => s.speed?.contacted_within_15m_share ?? null,
      format: (v) => f.percent(v),
      goodWhen: 'up',
    },
  ];
}

function KpiCards({ current, previous }: { current: FunnelSummary; previous: FunnelSummary | null }) {
  const i18n = useI18n();
  const f = useFormat();
  const d = useDurations();
  return (
    <ul className="kpi-grid">
      {kpisOf(i18n, f, d).map((k) => (
        <KpiCard
          key={k.key}
          label={k.label}
          value={k.format(k.value(current))}
          change={previous ? relativeChange(k.value(current), k.value(previous)) : undefined}
          previous={previous ? k.format(k.value(previous)) : undefined}
          goodWhen={k.goodWhen}
          help={k.help}
        />
      ))}
    </ul>
  );
}

// ---------- Breakdown table ----------

interface GroupRow extends FunnelOutcomeRow {
  label: string;
  reached: Record<string, number>;
  share: Record<string, number | null>;
}

const groupColumn = createColumnHelper<DataTableFeatures, GroupRow>();
const GROUP_KEY_COLUMN = groupColumn.accessor('label', { id: 'group', meta: { label: 'funnel.group' } });
const OUTCOME_COLUMNS: DataColumn<GroupRow>[] = [
  groupColumn.accessor('won', { meta: { label: 'funnel.won', kind: 'count' } }),
  groupColumn.accessor('lost', { meta: { label: 'funnel.lost', kind: 'count' } }),
  groupColumn.accessor('junk', { meta: { label: 'metric.junk', kind: 'count' } }),
  groupColumn.accessor('open', { meta: { label: 'funnel.open', kind: 'count' } }),
  groupColumn.accessor('win_rate', { meta: { label: 'funnel.winRate', kind: 'percent' } }),
  groupColumn.accessor('junk_rate', { meta: { label: 'funnel.junkRate', kind: 'percent' } }),
  // Days as a number (not '13.3 d'), so the totals row can show it too.
  groupColumn.accessor('median_sales_cycle_days', { meta: { label: 'funnel.salesCycleDays', kind: 'number' } }),
];

function ReachedCell({ count, share }: { count: number; share: number | null }) {
  const f = useFormat();
  return (
    <>
      {f.count(count)} <span className="muted">({f.percent(share, 0)})</span>
    </>
  );
}

/** Group rows (outcomes plus reach per stage); the all-leads group is the totals row. */
function groupRows(i18n: I18n, f: Formatter, by: FunnelBreakdown, stages: FunnelStageRow[], outcomes: FunnelOutcomeRow[]) {
  const rows = outcomes.map((o): GroupRow => {
    const own = stages.filter((s) => s.group === o.group);
    return {
      ...o,
      label: groupName(i18n, f, by, o.group),
      reached: Object.fromEntries(own.map((s) => [s.stage, s.reached])),
      share: Object.fromEntries(own.map((s) => [s.stage, s.conversion_from_first])),
    };
  });
  const totals = rows.pop();
  return { rows, totals };
}

function BreakdownPanel() {
  const data = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const text = useFunnelChartText();
  const { by, report, filterBar } = data;
  const stageNames = useMemo(() => [...new Set(report.stages.map((s) => s.stage))], [report.stages]);
  const columns = useMemo(
    (): DataColumn<GroupRow>[] => [
      GROUP_KEY_COLUMN,
      groupColumn.accessor('leads', { meta: { label: 'metric.leads', kind: 'count' } }),
      // The first stage is every lead (the Leads column), the last the won deals (the Won column).
      ...stageNames.slice(1, -1).map((stage) =>
        groupColumn.accessor((r) => r.reached[stage] ?? 0, {
          id: `reached_${stage}`,
          header: stageLabel(i18n, stage),
          meta: { kind: 'count' },
          cell: (c) => <ReachedCell count={c.getValue()} share={c.row.original.share[stage] ?? null} />,
        }),
      ),
      ...OUTCOME_COLUMNS,
    ],
    [stageNames, i18n],
  );

  const options = [
    { value: undefined, label: t('funnel.by.none') },
    ...FUNNEL_BREAKDOWNS.map((b) => ({ value: b, label: t(`funnel.by.${b}`) })),
  ];
  const selector = <BreakdownLinks label={t('funnel.breakdown')} state={filterBar.state} options={options} current={by ?? undefined} />;

  if (by === null) {
    return (
      <section className="panel" aria-labelledby="breakdown-heading">
        <h2 id="breakdown-heading">{t('funnel.compare')}</h2>
        {selector}
        <p className="muted">{t('funnel.compareHint')}</p>
      </section>
    );
  }

  const { rows, totals } = groupRows(i18n, f, by, report.stages, report.outcomes);
  const groups = report.groups.slice(0, -1);
  const shown = groups.slice(0, MAX_MULTIPLES);
  const stagesOf = (group: string) => report.stages.filter((s) => s.group === group);
  const leadsOf = new Map(report.outcomes.map((o) => [o.group, o]));

  return (
    <section className="panel" aria-labelledby="breakdown-heading">
      <h2 id="breakdown-heading">
        {t('funnel.compare')}: {t(`funnel.by.${by}`)}
      </h2>
      {selector}
      {groups.length === 0 ? (
        <p className="muted">{t('funnel.noLeads')}</p>
      ) : (
        <>
          <p className="chart-description">
            {t('funnel.multiplesHelp')}
            {groups.length > shown.length ? ` ${t('funnel.multiplesTop', { count: shown.length, total: groups.length })}` : ''}
          </p>
          <ul className="funnel-multiples">
            {shown.map((group) => {
              const o = leadsOf.get(group);
              return (
                <li key={group}>
                  <FunnelChart
                    title={groupName(i18n, f, by, group)}
                    description={t('funnel.multipleLine', { leads: f.count(o?.leads ?? 0), winRate: f.percent(o?.win_rate ?? null) })}
                    stages={toChartStages(i18n, stagesOf(group))}
                    text={text}
                    compact
                    relative
                    headingLevel={3}
                  />
                </li>
              );
            })}
          </ul>
          <h3 className="table-title">{t('funnel.groupTable')}</h3>
          <DataTable
            key={by}
            caption={`${t('funnel.groupTable')}: ${t(`funnel.by.${by}`)}`}
            columns={columns}
            data={rows}
            totals={totals}
            getRowId={(r) => r.group}
            filterable
            columnMenu
            stickyHeader
            exportName={`funnel-${by}-${filterBar.state.from}-${filterBar.state.to}`}
          />
          <p className="muted panel-note">{t('funnel.groupNote')}</p>
        </>
      )}
    </section>
  );
}

// ---------- Reasons ----------

function ReasonsPanel({ outcome, reasons }: { outcome: 'lost' | 'junk'; reasons: FunnelReasonRow[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const own = reasons.filter((r) => r.outcome === outcome);
  const label = (r: FunnelReasonRow) => (r.reason === '(not given)' ? t('funnel.noReason') : r.reason);
  const title = outcome === 'lost' ? t('funnel.lostReasons') : t('funnel.junkReasons');
  return (
    <section className="panel">
      <BarChart
        title={title}
        description={outcome === 'lost' ? t('funnel.lostReasonsHelp') : t('funnel.junkReasonsHelp')}
        rows={own.map((r) => ({ key: r.reason, label: label(r), values: { leads: r.leads } }))}
        series={[
          { key: 'leads', label: t('metric.leads'), color: outcome === 'lost' ? ROLE_COLORS.negative : ROLE_COLORS.cost, format: (v) => f.count(v) },
        ]}
        axisFormat={(v) => f.compact(v)}
        emptyMessage={outcome === 'lost' ? t('funnel.noLost') : t('funnel.noJunk')}
      />
      {own.length > 0 ? (
        <table className="ranked-table">
          <caption className="visually-hidden">{title}</caption>
          <thead className="visually-hidden">
            <tr>
              <th scope="col">{t('funnel.reason')}</th>
              <th scope="col">{t('metric.leads')}</th>
              <th scope="col">{t('funnel.share')}</th>
            </tr>
          </thead>
          <tbody>
            {own.map((r) => (
              <tr key={r.reason}>
                <th scope="row">{label(r)}</th>
                <td className="num">{f.count(r.leads)}</td>
                <td className="num muted">{f.percent(r.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

// ---------- Speed to first contact ----------

const speedColumn = createColumnHelper<DataTableFeatures, SpeedRow>();
const SPEED_COLUMNS: DataColumn<SpeedRow>[] = [
  speedColumn.accessor('manager', { meta: { label: 'dim.manager' }, cell: (c) => <ManagerName name={c.getValue()} /> }),
  speedColumn.accessor('leads', { meta: { label: 'metric.leads', kind: 'count' } }),
  speedColumn.accessor('contacted', { meta: { label: 'funnel.contacted', kind: 'count' } }),
  speedColumn.accessor('median_hours_to_contact', {
    meta: { label: 'funnel.timeToContact', numeric: true },
    cell: (c) => <Hours value={c.getValue()} />,
  }),
  speedColumn.accessor('contacted_within_15m_share', { meta: { label: 'funnel.within15', kind: 'percent' } }),
];

function ManagerName({ name }: { name: string }) {
  const { t } = useI18n();
  return name === '(unassigned)' ? <span className="muted">{t('funnel.unassigned')}</span> : <>{name}</>;
}

function SpeedPanel({ speed, exportName }: { speed: SpeedRow[]; exportName: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const d = useDurations();
  const f = useFormat();
  const rows = speed.slice(0, -1);
  const totals = speed.at(-1);
  const label = (m: string) => (m === '(unassigned)' ? t('funnel.unassigned') : m);
  return (
    <section className="panel">
      <BarChart
        title={t('funnel.speed')}
        description={t('funnel.speedHelp')}
        rows={rows.map((r) => ({ key: r.manager, label: label(r.manager), values: { hours: r.median_hours_to_contact } }))}
        series={[{ key: 'hours', label: t('funnel.timeToContact'), color: ROLE_COLORS.leads, format: d.hours }]}
        axisFormat={(v) => (v === 0 ? f.count(0) : d.hours(v))}
        emptyMessage={t('funnel.noLeads')}
      />
      {rows.length > 0 ? (
        <DataTable
          caption={t('funnel.speed')}
          columns={SPEED_COLUMNS}
          data={rows}
          totals={totals}
          getRowId={(r) => r.manager}
          exportName={exportName}
        />
      ) : null}
      {totals ? (
        <p className="muted panel-note">
          {t('funnel.speedTotal', { median: d.hours(totals.median_hours_to_contact), share: f.percent(totals.contacted_within_15m_share) })}
        </p>
      ) : null}
    </section>
  );
}

// ---------- Page ----------

export default function FunnelPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const { report } = data;
  const allLeads = allLeadsStages(report);
  const state = data.filterBar.state;

  return (
    <>
      <PageHeader title={t('section.funnel')} subtitle={data.workspace.name} />
      <FilterBar data={data.filterBar} hide={data.canSeeAll ? ['cohort'] : ['cohort', 'manager']} />

      <section aria-labelledby="kpi-heading">
        <h2 id="kpi-heading" className="section-title">
          {t('funnel.kpis')}
        </h2>
        <KpiCards current={data.current} previous={data.previous} />
      </section>

      <section className="panel">
        <FunnelPanel title={t('funnel.stages')} stages={allLeads} exportName={`funnel-${state.from}-${state.to}`} />
      </section>

      <BreakdownPanel />

      <div className="panel-grid">
        <ReasonsPanel outcome="lost" reasons={report.reasons} />
        <ReasonsPanel outcome="junk" reasons={report.reasons} />
      </div>

      <SpeedPanel speed={report.speed} exportName={`funnel-speed-${state.from}-${state.to}`} />
      <p className="muted panel-note">{t('funnel.note')}</p>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
