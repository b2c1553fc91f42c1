import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useId, useMemo, useState } from 'react';
import { BarChart, ROLE_COLORS, seriesColor } from '../components/charts';
import { Histogram } from '../components/charts/histogram';
import { SankeyChart, type SankeyNodeInput } from '../components/charts/sankey';
import { DataTable, type DataColumn, type DataTableFeatures } from '../components/data-table';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { FilterBar, filterValueLabel } from '../components/filter-bar';
import { PageHeader } from '../components/page-header';
import { useFormat, useI18n, type I18n, type MessageKey } from '../i18n/i18n';
import { sectionMeta } from '../lib/meta';
import { getAttributionPage, type AttributionPage, type JourneyFlows } from '../models/attribution.server';
import type { AttributionRevenueRow, AttributionRow } from '../reports/attribution-report';
import type { AssistedRow, TopPathRow } from '../reports/paths-report';
import attributionStyles from '../styles/attribution.css?url';

export const meta = sectionMeta('attribution');
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: attributionStyles }];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getAttributionPage(context, params.workspace, request);
}

// The engine's models, in the report's column order.
const MODELS = ['first', 'last', 'last_non_direct', 'linear', 'time_decay', 'position', 'markov', 'shapley'] as const;
type EngineModel = (typeof MODELS)[number];
const modelLabel = (model: EngineModel): MessageKey => (model === 'shapley' ? 'attribution.shapley' : `model.${model}`);

// ---------- Columns ----------

const credit = createColumnHelper<DataTableFeatures, AttributionRow>();

function ChannelCell({ channel }: { channel: string }) {
  const i18n = useI18n();
  return <>{channel === '' ? i18n.t('dim.none') : filterValueLabel(i18n, 'channel', channel)}</>;
}

/** A model's credit, or (shift view) its difference from last non-direct, signed. */
function CreditCell({ row, model, isShift }: { row: AttributionRow; model: EngineModel; isShift: boolean }) {
  const f = useFormat();
  if (!isShift) return <>{f.number(row[model])}</>;
  if (model === 'last_non_direct') return <span className="muted">—</span>;
  const shift = model === 'markov' ? row.shift_vs_last_non_direct : round4(row[model] - row.last_non_direct);
  return <span className={shift > 0 ? 'kpi-good' : shift < 0 ? 'kpi-bad' : 'muted'}>{signed(f.number(shift), shift)}</span>;
}

function IntervalCell({ low, high }: { low: number; high: number }) {
  const f = useFormat();
  return (
    <span className="muted">
      {f.number(low)}–{f.number(high)}
    </span>
  );
}

function DisagreesCell({ row }: { row: AttributionRow }) {
  const { t } = useI18n();
  if (!row.disagrees) return null;
  return (
    <span className="flag" title={t('attribution.disagreesHelp')}>
      <span aria-hidden="true">⚠ </span>
      {t('attribution.disagreesShort')}
    </span>
  );
}

const round4 = (n: number) => Math.round(n * 1e4) / 1e4 + 0;
const signed = (text: string, n: number) => (n > 0 ? `+${text}` : text);

function creditColumns(isShift: boolean): DataColumn<AttributionRow>[] {
  return [
    credit.accessor('channel', { meta: { label: 'dim.channel' }, cell: (c) => <ChannelCell channel={c.getValue()} /> }),
    ...MODELS.map((model) =>
      credit.accessor((r) => (isShift && model !== 'markov' ? round4(r[model] - r.last_non_direct) : isShift ? r.shift_vs_last_non_direct : r[model]), {
        id: model,
        meta: { label: modelLabel(model), kind: 'number' },
        cell: (c) => <CreditCell row={c.row.original} model={model} isShift={isShift} />,
      }),
    ),
    credit.accessor('markov_low', {
      meta: { label: 'attribution.markovInterval', numeric: true },
      cell: (c) => <IntervalCell low={c.row.original.markov_low} high={c.row.original.markov_high} />,
    }),
    credit.accessor('markov_high', { meta: { label: 'attribution.markovHigh', kind: 'number' } }),
    credit.accessor('shapley_low', { meta: { label: 'attribution.shapleyLow', kind: 'number' } }),
    credit.accessor('shapley_high', { meta: { label: 'attribution.shapleyHigh', kind: 'number' } }),
    credit.accessor('disagrees', { meta: { label: 'attribution.disagrees' }, cell: (c) => <DisagreesCell row={c.row.original} /> }),
    credit.accessor('shift_vs_last_non_direct', {
      meta: { label: 'attribution.shift', kind: 'number' },
      cell: (c) => <CreditCell row={c.row.original} model="markov" isShift />,
    }),
  ];
}
const CREDIT_COLUMNS = creditColumns(false);
const SHIFT_COLUMNS = creditColumns(true);
const HIDDEN_CREDIT_COLUMNS = ['markov_high', 'shapley_low', 'shapley_high'];

const revenue = createColumnHelper<DataTableFeatures, AttributionRevenueRow>();
const REVENUE_COLUMNS: DataColumn<AttributionRevenueRow>[] = [
  revenue.accessor('channel', { meta: { label: 'dim.channel' }, cell: (c) => <ChannelCell channel={c.getValue()} /> }),
  ...MODELS.map((model) => revenue.accessor(model, { meta: { label: modelLabel(model), kind: 'money' } })),
];

function PathCell({ path }: { path: string }) {
  const i18n = useI18n();
  const steps = path.split(' > ');
  return (
    <span className="path" title={path}>
      {steps.map((channel, i) => (
        <span key={i}>
          {i > 0 ? <span className="muted" aria-label={i18n.t('attribution.then')}> → </span> : null}
          {filterValueLabel(i18n, 'channel', channel)}
        </span>
      ))}
    </span>
  );
}

const pathColumn = createColumnHelper<DataTableFeatures, TopPathRow>();
const PATH_COLUMNS: DataColumn<TopPathRow>[] = [
  pathColumn.accessor('path', { meta: { label: 'attribution.path' }, cell: (c) => <PathCell path={c.getValue()} /> }),
  pathColumn.accessor('leads', { meta: { label: 'metric.leads', kind: 'count' } }),
  pathColumn.accessor('share', { meta: { label: 'attribution.share', kind: 'percent' } }),
  pathColumn.accessor('won', { meta: { label: 'metric.sales', kind: 'count' } }),
  pathColumn.accessor('revenue', { meta: { label: 'metric.revenue', kind: 'money' } }),
];

const assisted = createColumnHelper<DataTableFeatures, AssistedRow>();
const ASSISTED_COLUMNS: DataColumn<AssistedRow>[] = [
  assisted.accessor('channel', { meta: { label: 'dim.channel' }, cell: (c) => <ChannelCell channel={c.getValue()} /> }),
  assisted.accessor('last_touch_leads', { meta: { label: 'attribution.lastTouchLeads', kind: 'count' } }),
  assisted.accessor('assisted_leads', { meta: { label: 'attribution.assistedLeads', kind: 'count' } }),
  assisted.accessor('assist_ratio', { meta: { label: 'attribution.assistRatio', kind: 'number' } }),
];

// ---------- Page ----------

export default function AttributionPage() {
  const data = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const { paths, comparison, filterBar } = data;
  const state = filterBar.state;

  return (
    <>
      <PageHeader title={t('section.attribution')} subtitle={data.workspace.name} />
      <FilterBar data={filterBar} hide={['compare', 'cohort', 'model', 'channel', 'source', 'medium', 'campaign']} />
      {data.ignoredFilters.length > 0 ? (
        <p className="panel notice" role="note">
          {t('attribution.ignoredFilters', { filters: filterNames(i18n, data.ignoredFilters) })}
        </p>
      ) : null}

      <section aria-labelledby="attribution-kpis">
        <h2 id="attribution-kpis" className="section-title">
          {t('attribution.kpis')}
        </h2>
        <ul className="stat-grid">
          <Stat label={t('metric.leads')} value={f.count(paths.leads)} detail={t('attribution.leadsDetail')} />
          <Stat label={t('metric.sales')} value={f.count(paths.won)} detail={f.money(paths.revenue)} />
          <Stat label={t('attribution.distinctPaths')} value={f.count(paths.distinctPaths)} detail={t('attribution.distinctPathsDetail')} />
          {comparison ? (
            <Stat
              label={t('attribution.nonConverting')}
              value={f.count(comparison.nonConvertingJourneys)}
              detail={t('attribution.nonConvertingDetail')}
            />
          ) : null}
        </ul>
      </section>

      {comparison ? <ModelComparisonPanels comparison={comparison} pathOnlyFilters={data.pathOnlyFilters} exportSuffix={`${state.from}-${state.to}`} /> : (
        <section className="panel notice" aria-labelledby="comparison-hidden">
          <h2 id="comparison-hidden">{t('attribution.comparison')}</h2>
          <p>{t('attribution.comparisonHidden')}</p>
        </section>
      )}

      <section className="panel">
        <FlowChart flows={data.flows} />
      </section>

      <section className="panel" aria-labelledby="paths-heading">
        <h2 id="paths-heading">{t('attribution.topPaths')}</h2>
        <p className="muted table-note">{t('attribution.topPathsNote', { shown: paths.rows.length, total: paths.distinctPaths })}</p>
        <DataTable
          caption={t('attribution.topPaths')}
          columns={PATH_COLUMNS}
          data={paths.rows}
          getRowId={(r) => r.path}
          exportName={`paths-${state.from}-${state.to}`}
          emptyMessage={t('attribution.noLeads')}
        />
      </section>

      <div className="panel-grid">
        <section className="panel">
          <Histogram
            title={t('attribution.pathLength')}
            description={t('attribution.pathLengthHelp')}
            bins={paths.length.map((b) => ({
              key: b.touches,
              label: b.touches,
              title: t('attribution.touchesBucket', { touches: b.touches }),
              value: b.leads,
              details: [{ label: t('attribution.share'), value: f.percent(b.share) }],
            }))}
            color={ROLE_COLORS.leads}
            valueLabel={t('metric.leads')}
            format={(v) => f.count(v)}
            axisFormat={(v) => f.compact(v)}
            axisLabel={t('attribution.pathLengthAxis')}
            emptyMessage={t('attribution.noLeads')}
          />
        </section>
        <section className="panel">
          <Histogram
            title={t('attribution.timeToLead')}
            description={t('attribution.timeToLeadHelp', { left: paths.leadsWithoutKnownTouch })}
            bins={paths.timeToLead.map((b) => ({
              key: b.bucket,
              label: b.bucket.replace('-', '–'),
              title: t('attribution.daysBucket', { days: b.bucket.replace('-', '–') }),
              value: b.leads,
              details: [{ label: t('attribution.share'), value: f.percent(b.share) }],
            }))}
            color={ROLE_COLORS.cost}
            valueLabel={t('metric.leads')}
            format={(v) => f.count(v)}
            axisFormat={(v) => f.compact(v)}
            axisLabel={t('attribution.timeToLeadAxis')}
            emptyMessage={t('attribution.noLeads')}
          />
        </section>
      </div>

      <section className="panel" aria-labelledby="assisted-heading">
        <h2 id="assisted-heading">{t('attribution.assisted')}</h2>
        <p className="muted table-note">{t('attribution.assistedNote')}</p>
        <DataTable
          caption={t('attribution.assisted')}
          columns={ASSISTED_COLUMNS}
          data={paths.assisted}
          getRowId={(r) => r.channel}
          exportName={`assisted-${state.from}-${state.to}`}
          emptyMessage={t('attribution.noLeads')}
        />
      </section>
    </>
  );
}

function ModelComparisonPanels({
  comparison,
  pathOnlyFilters,
  exportSuffix,
}: {
  comparison: NonNullable<AttributionPage['comparison']>;
  pathOnlyFilters: readonly string[];
  exportSuffix: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const [isShift, setShift] = useState(false);
  const viewName = useId();
  const totals = useMemo(
    () =>
      ({
        channel: '',
        ...comparison.totals,
        markov_low: null,
        markov_high: null,
        shapley_low: null,
        shapley_high: null,
        disagrees: false,
        shift_vs_last_non_direct: null,
      }) as unknown as AttributionRow,
    [comparison.totals],
  );
  const revenueTotals = useMemo(
    () => ({ channel: '', ...Object.fromEntries(MODELS.map((m) => [m, comparison.totalRevenue])) }) as AttributionRevenueRow,
    [comparison.totalRevenue],
  );
  const hasDisagreement = comparison.rows.some((r) => r.disagrees);

  return (
    <>
      <section className="panel" aria-labelledby="comparison-heading">
        <h2 id="comparison-heading">{t('attribution.comparison')}</h2>
        <p className="muted table-note">
          {t('attribution.comparisonNote', {
            leads: f.count(comparison.leads),
            journeys: f.count(comparison.nonConvertingJourneys),
            iterations: comparison.bootstrapIterations,
          })}
          {pathOnlyFilters.length > 0 ? ` ${t('attribution.comparisonUnfiltered', { filters: filterNames(i18n, pathOnlyFilters) })}` : null}
        </p>
        <DataTable
          key={isShift ? 'shift' : 'credits'}
          caption={t('attribution.comparison')}
          columns={isShift ? SHIFT_COLUMNS : CREDIT_COLUMNS}
          data={comparison.rows}
          totals={isShift ? undefined : totals}
          getRowId={(r) => r.channel}
          initialHidden={HIDDEN_CREDIT_COLUMNS}
          columnMenu
          exportName={`attribution-${isShift ? 'shift-' : ''}${exportSuffix}`}
          emptyMessage={t('attribution.noLeads')}
          toolbar={
            <fieldset className="view-toggle">
              <legend className="visually-hidden">{t('attribution.view')}</legend>
              <label className="check">
                <input type="radio" name={viewName} checked={!isShift} onChange={() => setShift(false)} />
                {t('attribution.viewCredits')}
              </label>
              <label className="check">
                <input type="radio" name={viewName} checked={isShift} onChange={() => setShift(true)} />
                {t('attribution.viewShift')}
              </label>
            </fieldset>
          }
        />
        <p className="muted table-note">
          {isShift ? t('attribution.shiftNote') : t('attribution.creditsNote')}
          {hasDisagreement ? (
            <>
              {' '}
              <span aria-hidden="true">⚠ </span>
              {t('attribution.disagreesHelp')}
            </>
          ) : null}
        </p>
      </section>

      <section className="panel">
        <BarChart
          title={t('attribution.shiftChart')}
          description={t('attribution.shiftChartHelp')}
          rows={comparison.rows.map((r) => ({
            key: r.channel,
            label: filterValueLabel(i18n, 'channel', r.channel),
            values: { shift: r.shift_vs_last_non_direct },
          }))}
          series={[
            {
              key: 'shift',
              label: t('attribution.shift'),
              color: ROLE_COLORS.positive,
              colorOf: (v) => (v < 0 ? ROLE_COLORS.negative : ROLE_COLORS.positive),
              format: (v) => (v === null ? '—' : signed(f.number(v, 2), v)),
            },
          ]}
          axisFormat={(v) => f.number(v, 0)}
          emptyMessage={t('attribution.noLeads')}
        />
      </section>

      <section className="panel" aria-labelledby="revenue-heading">
        <h2 id="revenue-heading">{t('attribution.revenue')}</h2>
        <p className="muted table-note">{t('attribution.revenueNote', { won: f.count(comparison.wonLeads) })}</p>
        <DataTable
          caption={t('attribution.revenue')}
          columns={REVENUE_COLUMNS}
          data={comparison.revenue}
          totals={revenueTotals}
          getRowId={(r) => r.channel}
          exportName={`attribution-revenue-${exportSuffix}`}
          emptyMessage={t('attribution.noLeads')}
        />
      </section>
    </>
  );
}

/** Channels keep one colour each across the diagram (the palette repeats after seven). */
function channelColors(flows: JourneyFlows): Map<string, string> {
  const totals = new Map<string, number>();
  for (const n of flows.nodes) totals.set(n.channel, (totals.get(n.channel) ?? 0) + n.leads);
  const order = [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
  return new Map(order.map((c, i) => [c, seriesColor(i)]));
}

function FlowChart({ flows }: { flows: JourneyFlows }) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const colors = channelColors(flows);
  const share = (n: number) => f.percent(flows.leads > 0 ? n / flows.leads : null);
  const nodes: SankeyNodeInput[] = flows.nodes.map((n) => ({
    id: n.id,
    column: n.step,
    value: n.leads,
    label: filterValueLabel(i18n, 'channel', n.channel),
    title: `${t('attribution.flowStep', { step: n.step + 1 })} · ${filterValueLabel(i18n, 'channel', n.channel)}`,
    color: colors.get(n.channel)!,
    details: [
      { label: t('metric.leads'), value: `${f.count(n.leads)} (${share(n.leads)})`, color: colors.get(n.channel) },
      { label: t('attribution.flowEnds'), value: f.count(n.ends) },
    ],
  }));
  const byId = new Map(flows.nodes.map((n) => [n.id, n]));
  const columns = Array.from({ length: Math.min(flows.steps, (flows.nodes.at(-1)?.step ?? 0) + 1) }, (_, i) => t('attribution.flowStep', { step: i + 1 }));
  return (
    <SankeyChart
      title={t('attribution.flow')}
      description={t('attribution.flowHelp', { steps: flows.steps, longer: f.count(flows.longer) })}
      nodes={nodes}
      links={flows.links.map((l) => ({ source: l.source, target: l.target, value: l.leads }))}
      columnLabels={columns}
      format={(v) => f.count(v)}
      linkLabel={(s, tgt) => `${s.label} → ${tgt.label}`}
      linkDetails={(l) => [
        { label: t('metric.leads'), value: `${f.count(l.value)} (${share(l.value)})` },
        { label: t('attribution.flowOfSource'), value: f.percent(l.value / (byId.get(l.source)?.leads || 1)) },
      ]}
      emptyMessage={t('attribution.noLeads')}
    />
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

function filterNames(i18n: I18n, keys: readonly string[]): string {
  return keys.map((k) => i18n.tMaybe(`filter.${k}`, k)).join(', ');
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
