import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useFetcher, useLoaderData, useNavigation, useSubmit } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useId, useMemo } from 'react';
import { ROLE_COLORS } from '../components/charts';
import { DataTable, type DataTableFeatures } from '../components/data-table';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { filterValueLabel } from '../components/filter-bar';
import { ForecastChart, type ForecastChartLabels } from '../components/forecast-chart';
import { KpiCard } from '../components/kpi-card';
import { PageHeader } from '../components/page-header';
import { useIsHydrated } from '../components/use-is-hydrated';
import { useFormat, useI18n, type I18n, type MessageKey } from '../i18n/i18n';
import type { Formatter } from '../lib/format';
import { sectionMeta } from '../lib/meta';
import { getForecastPage, saveScenarioAsPlan, type ForecastPage, type ForecastState } from '../models/forecast.server';
import type { ForecastRow } from '../reports/forecast/forecast';
import type { FunnelStep, ReverseChannelRow, WhatIfRow } from '../reports/planner';
import editorStyles from '../styles/editors.css?url';

export const meta = sectionMeta('forecast');
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getForecastPage(context, params.workspace, request);
}

export async function action({ params, context, request }: ActionFunctionArgs) {
  return saveScenarioAsPlan(context, params.workspace, request);
}

const HORIZONS = [30, 60, 90, 120, 184];

// ---------- URL state ----------

/** The query of a forecast state (defaults left out where the server would pick them). */
function stateQuery(s: ForecastState, patch: Partial<ForecastState> = {}, planner = true): URLSearchParams {
  const v = { ...s, ...patch };
  const q = new URLSearchParams();
  if (v.slice !== 'total') q.set('slice', v.slice);
  q.set('from', v.from);
  q.set('to', v.to);
  if (v.horizon !== 90) q.set('horizon', String(v.horizon));
  if (v.by !== 'week') q.set('by', v.by);
  if (!planner) return q;
  q.set('month', v.month);
  for (const [c, b] of Object.entries(v.budgets)) q.set(`budget.${c}`, b);
  for (const [c, n] of Object.entries(v.sessions)) q.set(`sessions.${c}`, n);
  if (v.value !== null) {
    q.set('target', v.target);
    q.set('value', String(v.value));
    if (v.targetChannel) q.set('targetChannel', v.targetChannel);
  }
  return q;
}

function HiddenState({ state, omit }: { state: ForecastState; omit: string[] }) {
  const entries = [...stateQuery(state)].filter(([k]) => !omit.some((o) => k === o || k.startsWith(`${o}.`)));
  return (
    <>
      {entries.map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
    </>
  );
}

const sliceLabel = (i18n: I18n, slice: string) => (slice === 'total' ? i18n.t('forecast.total') : filterValueLabel(i18n, 'channel', slice));

// ---------- Page ----------

export default function ForecastPage() {
  const data = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const { forecast, state } = data;
  const hasForecast = forecast.model !== null;

  return (
    <>
      <PageHeader title={t('section.forecast')} subtitle={data.workspace.name} />
      <ForecastControls />

      {!hasForecast ? (
        <section className="panel notice" aria-labelledby="no-forecast">
          <h2 id="no-forecast">{t('forecast.none')}</h2>
          <p>{t('forecast.noneText')}</p>
        </section>
      ) : (
        <>
          {data.fallback ? <FallbackNote page={data} /> : null}
          <section aria-labelledby="forecast-kpis">
            <h2 id="forecast-kpis" className="section-title">
              {t('forecast.kpis', { from: f.day(forecast.range.from), to: f.day(forecast.range.to), slice: sliceLabel(i18n, state.slice) })}
            </h2>
            <ul className="kpi-grid">
              <KpiCard label={t('metric.sessions')} value={f.count(data.totals.sessions)} goodWhen="neutral" help={t('forecast.help.sessions')} />
              <KpiCard label={t('metric.leads')} value={f.number(data.totals.leads, 0)} goodWhen="neutral" help={t('forecast.help.leads')} />
              <KpiCard label={t('metric.sales')} value={data.totals.sales === null ? '—' : f.number(data.totals.sales, 0)} goodWhen="neutral" help={t('forecast.help.sales')} />
              <KpiCard label={t('metric.revenue')} value={data.totals.revenue === null ? '—' : f.moneyCompact(data.totals.revenue)} goodWhen="neutral" help={t('forecast.help.revenue')} />
            </ul>
          </section>
          <ChartsPanel />
          <BacktestPanel />
          <ForecastTable />
        </>
      )}

      {data.canSeeSpend ? (
        <>
          <WhatIfPanel />
          <ReversePanel />
        </>
      ) : (
        <section className="panel">
          <p className="muted">{t('forecast.plannerHidden')}</p>
        </section>
      )}
    </>
  );
}

function ForecastControls() {
  const { state, channels } = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t, tn } = i18n;
  const submit = useSubmit();
  const isHydrated = useIsHydrated();
  const ids = { slice: useId(), horizon: useId(), by: useId(), from: useId(), to: useId() };
  const onChange = (form: HTMLFormElement | null) => form && submit(form, { preventScrollReset: true });
  const horizons = HORIZONS.includes(state.horizon) ? HORIZONS : [...HORIZONS, state.horizon].sort((a, b) => a - b);
  return (
    <Form method="get" className="forecast-controls" aria-label={t('forecast.controls')} key={stateQuery(state).toString()}>
      <HiddenState state={state} omit={['slice', 'horizon', 'by', 'from', 'to']} />
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.slice}>{t('forecast.slice')}</label>
          <select id={ids.slice} name="slice" defaultValue={state.slice} className="input" onChange={(e) => onChange(e.currentTarget.form)}>
            <option value="total">{t('forecast.total')}</option>
            {[...new Set([...channels, ...(state.slice === 'total' ? [] : [state.slice])])].map((c) => (
              <option key={c} value={c}>
                {filterValueLabel(i18n, 'channel', c)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.horizon}>{t('forecast.horizon')}</label>
          <select id={ids.horizon} name="horizon" defaultValue={state.horizon} className="input" onChange={(e) => onChange(e.currentTarget.form)}>
            {horizons.map((h) => (
              <option key={h} value={h}>
                {tn('forecast.days', h)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.by}>{t('forecast.period')}</label>
          <select id={ids.by} name="by" defaultValue={state.by} className="input" onChange={(e) => onChange(e.currentTarget.form)}>
            {(['day', 'week', 'month'] as const).map((u) => (
              <option key={u} value={u}>
                {t(`forecast.by.${u}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.from}>{t('forecast.historyFrom')}</label>
          <input id={ids.from} type="date" name="from" defaultValue={state.from} className="input" required />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>{t('forecast.historyTo')}</label>
          <input id={ids.to} type="date" name="to" defaultValue={state.to} className="input" required />
        </div>
        <div className="editor-buttons">
          <button type="submit" className={isHydrated ? 'button button-secondary' : 'button'}>
            {t('filters.apply')}
          </button>
        </div>
      </div>
    </Form>
  );
}

function FallbackNote({ page }: { page: ForecastPage }) {
  const { t } = useI18n();
  const f = useFormat();
  const reason = page.fallback!;
  const text =
    reason.code === 'short'
      ? t('forecast.fallback.short', { days: f.count(reason.days), min: 56 })
      : reason.code === 'notBetter'
        ? t('forecast.fallback.notBetter', { model: f.number(reason.model, 3), baseline: f.number(reason.baseline, 3) })
        : t('forecast.fallback.noFit');
  return (
    <div className="callout" role="note">
      <strong>{t('forecast.fallback.title')}</strong> {text}
    </div>
  );
}

function chartLabels(t: I18n['t'], tn: I18n['tn'], f: Formatter): ForecastChartLabels {
  return {
    history: t('forecast.chart.history'),
    forecast: t('forecast.chart.forecast'),
    band80: t('forecast.chart.band80'),
    band95: t('forecast.chart.band95'),
    forecastStart: t('forecast.chart.start'),
    actual: t('forecast.chart.actual'),
    soFar: (days) => tn('forecast.chart.soFar', days, { count: f.count(days) }),
    partial: (days) => tn('forecast.chart.partial', days, { count: f.count(days) }),
  };
}

function ChartsPanel() {
  const { points, forecast, state } = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t, tn } = i18n;
  const f = useFormat();
  const labels = useMemo(() => chartLabels(t, tn, f), [t, tn, f]);
  const tick = state.by === 'month' ? f.month : f.shortDay;
  const period = (d: string) => (state.by === 'day' ? f.day(d) : state.by === 'week' ? t('chart.weekOf', { date: f.day(d) }) : f.month(d));
  const periodDays = (d: string) => (state.by === 'day' ? 1 : state.by === 'week' ? 7 : new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0)).getUTCDate());
  // The horizon may end inside a week or month: that period holds only its first days, and the chart says so.
  const last = forecast.rows.at(-1);
  const partial = last && last.days < periodDays(last.period) ? ` ${tn('forecast.chart.lastPartial', last.days, { count: f.count(last.days) })}` : '';
  return (
    <section className="panel">
      <ForecastChart
        title={t('forecast.chart.leads', { slice: sliceLabel(i18n, state.slice) })}
        description={`${t(`forecast.chart.help.${state.by}`)}${partial}`}
        points={points.leads}
        color={ROLE_COLORS.leads}
        labels={labels}
        format={(v) => f.number(v)}
        axisFormat={(v) => f.compact(v)}
        formatTick={tick}
        formatPeriod={period}
        periodDays={periodDays}
      />
      {forecast.basis === 'sessions' ? (
        <ForecastChart
          title={t('forecast.chart.sessions')}
          points={points.sessions}
          color={ROLE_COLORS.comparison}
          height={200}
          labels={labels}
          format={(v) => f.count(v)}
          axisFormat={(v) => f.compact(v)}
          formatTick={tick}
          formatPeriod={period}
          periodDays={periodDays}
          headingLevel={3}
        />
      ) : (
        <p className="muted">{t('forecast.leadsBasis')}</p>
      )}
    </section>
  );
}

function BacktestPanel() {
  const { forecast } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const f = useFormat();
  const rows = [
    { name: 'seasonal_regression' as const, e: forecast.backtest.model },
    { name: 'seasonal_naive' as const, e: forecast.backtest.baseline },
  ];
  const c = forecast.conversion;
  const stages = forecast.stages;
  return (
    <section className="panel" aria-labelledby="backtest-heading">
      <h2 id="backtest-heading">{t('forecast.backtest.title')}</h2>
      <p className="muted">{forecast.backtest.horizon > 0 ? t('forecast.backtest.help', { origins: rows[0]!.e?.origins ?? rows[1]!.e?.origins ?? 0, horizon: forecast.backtest.horizon }) : t('forecast.backtest.none')}</p>
      <div className="table-scroll">
        <table className="data-table row-heads backtest-table" aria-label={t('forecast.backtest.title')}>
          <thead>
            <tr>
              <th scope="col">{t('forecast.backtest.model')}</th>
              <th scope="col" className="num">
                MAPE
              </th>
              <th scope="col" className="num">
                MASE
              </th>
              <th scope="col" className="num">
                {t('forecast.backtest.origins')}
              </th>
              <th scope="col" className="num">
                {t('forecast.backtest.points')}
              </th>
              <th scope="col">{t('forecast.backtest.used')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ name, e }) => (
              <tr key={name} className={forecast.model === name ? 'is-chosen' : undefined}>
                <th scope="row">{t(`forecast.model.${name}`)}</th>
                <td className="num">{e ? f.percent(e.mape) : '—'}</td>
                <td className="num">{e ? f.number(e.mase, 3) : '—'}</td>
                <td className="num">{e ? f.count(e.origins) : '—'}</td>
                <td className="num">{e ? f.count(e.points) : '—'}</td>
                <td>{forecast.model === name ? <span className="badge badge-succeeded">{t('forecast.backtest.chosen')}</span> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="facts facts-spaced">
        {c ? (
          <div>
            <dt>{t('forecast.fact.conversion')}</dt>
            <dd>{t('forecast.fact.conversionText', { rate: f.percent(c.rate, 2), low: f.percent(c.lower95, 2), high: f.percent(c.upper95, 2) })}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('forecast.fact.stages')}</dt>
          <dd>
            {t('forecast.fact.stagesText', {
              qualified: f.percent(stages.qualifiedRate),
              sales: f.percent(stages.winRate),
              deal: stages.avgDeal === null ? '—' : f.money(stages.avgDeal),
              from: f.day(stages.cohort.from),
              to: f.day(stages.cohort.to),
            })}
          </dd>
        </div>
        {forecast.components ? (
          <div>
            <dt>{t('forecast.fact.growth')}</dt>
            <dd>{f.change(forecast.components.growthPerYear)}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('forecast.fact.history')}</dt>
          <dd>{f.dayRange(forecast.history.from, forecast.history.to)}</dd>
        </div>
      </dl>
    </section>
  );
}

const column = createColumnHelper<DataTableFeatures, ForecastRow>();
const forecastColumns = column.columns([
  column.accessor('period', { meta: { label: 'forecast.table.period' }, cell: (c) => <PeriodCell row={c.row.original} /> }),
  column.accessor('days', { meta: { label: 'forecast.table.days', kind: 'count' } }),
  column.accessor('sessions', { meta: { label: 'metric.sessions', kind: 'count' } }),
  column.accessor('leads', { meta: { label: 'metric.leads', kind: 'number' } }),
  column.accessor('leads_lower80', { meta: { label: 'forecast.table.lower80', kind: 'number' } }),
  column.accessor('leads_upper80', { meta: { label: 'forecast.table.upper80', kind: 'number' } }),
  column.accessor('leads_lower95', { meta: { label: 'forecast.table.lower95', kind: 'number' } }),
  column.accessor('leads_upper95', { meta: { label: 'forecast.table.upper95', kind: 'number' } }),
  column.accessor('qualified', { meta: { label: 'metric.qualified', kind: 'number' } }),
  column.accessor('sales', { meta: { label: 'metric.sales', kind: 'number' } }),
  column.accessor('revenue', { meta: { label: 'metric.revenue', kind: 'money' } }),
  column.accessor('model', { meta: { label: 'forecast.backtest.model' }, cell: (c) => <ModelCell model={c.getValue()} /> }),
]);

function PeriodCell({ row }: { row: ForecastRow }) {
  const { state } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const f = useFormat();
  return <>{state.by === 'day' ? f.day(row.period) : state.by === 'week' ? t('chart.weekOf', { date: f.day(row.period) }) : f.month(row.period)}</>;
}

function ModelCell({ model }: { model: ForecastRow['model'] }) {
  const { t } = useI18n();
  return <>{t(`forecast.model.${model}`)}</>;
}

function ForecastTable() {
  const { forecast, state } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby="forecast-table-heading">
      <h2 id="forecast-table-heading">{t('forecast.table.title')}</h2>
      <p className="muted table-note">{t('forecast.table.note')}</p>
      <DataTable
        caption={t('forecast.table.title')}
        columns={forecastColumns}
        data={forecast.rows}
        getRowId={(r) => r.period}
        initialHidden={['days', 'leads_lower95', 'leads_upper95', 'model']}
        columnMenu
        stickyHeader
        exportName={`forecast-${state.slice}-${forecast.range.from}-${forecast.range.to}-${state.by}`}
      />
    </section>
  );
}

// ---------- Planner ----------

const CURVE_KEYS = { saturating: 'forecast.curve.saturating', constant: 'forecast.curve.constant' } as const;

function curveText(t: I18n['t'], curve: ForecastPage['planner']['channels'][number]['curve'] | WhatIfRow['curve']): string {
  if (curve === null) return t('forecast.curve.none');
  const kind = typeof curve === 'string' ? curve : curve.curve;
  return t(CURVE_KEYS[kind]);
}

/** A planner note (English, from app/reports/planner.ts) in the reader's language; unknown notes are shown as they are. */
function plannerNote(t: I18n['t'], f: Formatter, note: string | null): string {
  if (!note) return '';
  const n = (s: string | undefined) => f.count(Number(s));
  const patterns: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^no history for this channel$/, () => t('forecast.note.noHistory')],
    [/^no history for channel (.+)$/, (m) => t('forecast.note.noHistoryFor', { channel: m[1]! })],
    [/^no spend in history: no response curve$/, () => t('forecast.note.noSpend')],
    [/^no sessions in history: no conversion rate$/, () => t('forecast.note.noSessions')],
    [/^no conversion history$/, () => t('forecast.note.noConversion')],
    [/^(?:not reachable: )?the (?:response )?curve saturates at (\d+) (sessions|leads) a month$/, (m) => t(`forecast.note.saturates.${m[2] as 'sessions' | 'leads'}`, { count: n(m[1]) })],
    [/^unpaid: its run rate, no budget$/, () => t('forecast.note.unpaid')],
    [/^no won deals in the cohort: the rates are unknown$/, () => t('forecast.note.noDeals')],
    [/^no paid channel with leads in history: the gap cannot be bought$/, () => t('forecast.note.noPaid')],
    [/^unpaid channels alone are expected to reach the target$/, () => t('forecast.note.unpaidEnough')],
  ];
  for (const [re, text] of patterns) {
    const m = re.exec(note);
    if (m) return text(m);
  }
  return note;
}

function WhatIfPanel() {
  const data = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const navigation = useNavigation();
  const save = useFetcher<typeof action>({ key: 'save-plan' });
  const ids = { month: useId(), base: useId() };
  const { planner, state } = data;
  const inputOf = new Map(planner.inputs.map((i) => [i.channel, i]));
  const whatIf = planner.whatIf;
  const busy = navigation.state !== 'idle' && navigation.location?.pathname === `/w/${data.workspace.slug}/forecast`;
  const saved = save.data;

  return (
    <section className="panel" aria-labelledby="whatif-heading">
      <h2 id="whatif-heading">{t('forecast.whatIf.title')}</h2>
      <p className="muted">{t('forecast.whatIf.intro')}</p>
      <Form method="get" preventScrollReset key={stateQuery(state).toString()} aria-label={t('forecast.whatIf.title')}>
        <HiddenState state={state} omit={['month', 'budget', 'sessions']} />
        <div className="form-grid">
          <div className="field">
            <label htmlFor={ids.month}>{t('forecast.whatIf.month')}</label>
            <input id={ids.month} type="month" name="month" defaultValue={state.month} className="input" required />
          </div>
        </div>
        <div className="planner-grid">
          {planner.channels.map((c) => {
            const input = inputOf.get(c.channel);
            const label = filterValueLabel(i18n, 'channel', c.channel);
            return (
              <fieldset key={c.channel} className="planner-channel">
                <legend className="visually-hidden">{label}</legend>
                <h3>{label}</h3>
                <p className="muted form-help">
                  {curveText(t, c.curve)}
                  {c.conversion !== null ? ` · ${t('forecast.whatIf.conversion', { rate: f.percent(c.conversion, 2) })}` : ''}
                </p>
                {c.curve ? (
                  <div className="field">
                    <label htmlFor={`${ids.base}-b-${c.channel}`}>{t('forecast.whatIf.budget', { currency: data.workspace.currency })}</label>
                    <input
                      id={`${ids.base}-b-${c.channel}`}
                      name={`budget.${c.channel}`}
                      inputMode="decimal"
                      className="input"
                      defaultValue={input?.budget ?? ''}
                      placeholder={c.defaultBudget ?? ''}
                    />
                  </div>
                ) : null}
                <div className="field">
                  <label htmlFor={`${ids.base}-s-${c.channel}`}>{c.curve ? t('forecast.whatIf.orSessions') : t('forecast.whatIf.sessions')}</label>
                  <input id={`${ids.base}-s-${c.channel}`} name={`sessions.${c.channel}`} inputMode="numeric" className="input" defaultValue={input?.sessions ?? ''} />
                </div>
              </fieldset>
            );
          })}
        </div>
        <div className="editor-buttons">
          <button type="submit" className="button" disabled={busy}>
            {t('forecast.whatIf.run')}
          </button>
          <Link to={{ search: `?${stateQuery(state, { budgets: {}, sessions: {} }).toString()}` }} preventScrollReset>
            {t('forecast.whatIf.reset')}
          </Link>
        </div>
      </Form>

      <h3 className="subheading">{t('forecast.whatIf.result', { month: f.month(`${whatIf.month}-01`) })}</h3>
      <WhatIfTable rows={whatIf.rows} total={whatIf.total} />

      {data.canSavePlan ? (
        <save.Form method="post" className="editor-buttons">
          <HiddenState state={state} omit={['slice', 'horizon', 'by', 'target', 'value', 'targetChannel']} />
          {Object.keys(state.budgets).length + Object.keys(state.sessions).length === 0
            ? planner.inputs.map((i) => (i.budget !== undefined ? <input key={i.channel} type="hidden" name={`budget.${i.channel}`} value={i.budget} /> : null))
            : null}
          <button type="submit" className="button button-secondary" disabled={save.state !== 'idle' || whatIf.rows.length === 0}>
            {t('forecast.whatIf.save', { month: f.month(`${whatIf.month}-01`) })}
          </button>
          {saved?.ok ? (
            <span className="form-success" role="status">
              {t('forecast.whatIf.saved', { count: saved.rows })}{' '}
              <Link to={`/w/${data.workspace.slug}/plans?month=${saved.month}`}>{t('forecast.whatIf.openPlans')}</Link>
            </span>
          ) : saved && !saved.ok ? (
            <span className="form-error" role="alert">
              {t('forecast.whatIf.nothingToSave')}
            </span>
          ) : null}
        </save.Form>
      ) : null}
    </section>
  );
}

function WhatIfTable({ rows, total }: { rows: WhatIfRow[]; total: WhatIfRow }) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  if (rows.length === 0) return <p className="muted">{t('forecast.whatIf.empty')}</p>;
  const cells = (r: WhatIfRow) => [
    r.budget === null ? '—' : f.money(r.budget),
    r.sessions === null ? '—' : f.count(r.sessions),
    r.leads === null ? '—' : f.number(r.leads),
    r.qualified === null ? '—' : f.number(r.qualified),
    r.sales === null ? '—' : f.number(r.sales),
    r.revenue === null ? '—' : f.money(r.revenue),
    r.cpl === null ? '—' : f.money(r.cpl),
    f.percent(r.romi),
  ];
  return (
    <div className="table-scroll">
      <table className="data-table row-heads" aria-label={t('forecast.whatIf.table')}>
        <thead>
          <tr>
            <th scope="col">{t('dim.channel')}</th>
            <th scope="col">{t('forecast.whatIf.curve')}</th>
            {(['budget', 'sessions', 'leads', 'qualified', 'sales', 'revenue', 'cpl', 'romi'] as const).map((k) => (
              <th key={k} scope="col" className="num">
                {t(k === 'budget' ? 'forecast.whatIf.budgetShort' : (`metric.${k}` as MessageKey))}
              </th>
            ))}
            <th scope="col">{t('forecast.whatIf.note')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.channel}>
              <th scope="row">{filterValueLabel(i18n, 'channel', r.channel)}</th>
              <td>{curveText(t, r.curve)}</td>
              {cells(r).map((c, i) => (
                <td key={i} className="num">
                  {c}
                </td>
              ))}
              <td className="cell-reason">{plannerNote(t, f, r.note)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('forecast.total')}</th>
            <td />
            {cells(total).map((c, i) => (
              <td key={i} className="num">
                {c}
              </td>
            ))}
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function ReversePanel() {
  const data = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const ids = { target: useId(), value: useId(), channel: useId() };
  const { state, planner } = data;
  const r = planner.reverse;
  return (
    <section className="panel" aria-labelledby="reverse-heading">
      <h2 id="reverse-heading">{t('forecast.reverse.title')}</h2>
      <p className="muted">{t('forecast.reverse.intro', { month: f.month(`${state.month}-01`) })}</p>
      <Form method="get" preventScrollReset className="form-grid" key={stateQuery(state).toString()} aria-label={t('forecast.reverse.title')}>
        <HiddenState state={state} omit={['target', 'value', 'targetChannel']} />
        <div className="field">
          <label htmlFor={ids.target}>{t('forecast.reverse.target')}</label>
          <select id={ids.target} name="target" defaultValue={state.target} className="input">
            {(['leads', 'sales', 'revenue'] as const).map((m) => (
              <option key={m} value={m}>
                {t(`metric.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.value}>{t('forecast.reverse.value')}</label>
          <input id={ids.value} name="value" inputMode="decimal" defaultValue={state.value ?? ''} className="input" required />
        </div>
        <div className="field">
          <label htmlFor={ids.channel}>{t('forecast.reverse.for')}</label>
          <select id={ids.channel} name="targetChannel" defaultValue={state.targetChannel} className="input">
            <option value="">{t('forecast.total')}</option>
            {planner.channels.map((c) => (
              <option key={c.channel} value={c.channel}>
                {filterValueLabel(i18n, 'channel', c.channel)}
              </option>
            ))}
          </select>
        </div>
        <div className="editor-buttons">
          <button type="submit" className="button">
            {t('forecast.reverse.run')}
          </button>
        </div>
      </Form>
      {r ? <ReverseResultView /> : null}
    </section>
  );
}

function stepLabel(t: I18n['t'], step: string): string {
  const known: Record<string, MessageKey> = {
    'revenue → sales': 'forecast.step.revenueToSales',
    'sales → leads': 'forecast.step.salesToLeads',
    'leads → sessions': 'forecast.step.leadsToSessions',
    'sessions → budget': 'forecast.step.sessionsToBudget',
    'leads → budget': 'forecast.step.leadsToBudget',
    'leads from unpaid channels': 'forecast.step.unpaid',
    'paid leads → channel': 'forecast.step.paidShare',
  };
  return known[step] ? t(known[step]!) : step;
}

function usingLabel(t: I18n['t'], f: Formatter, step: FunnelStep, curves: ForecastPage['planner']['channels']): string {
  const using = step.using;
  const curve = curves.find((c) => c.channel === step.channel)?.curve;
  if (using.startsWith('response curve') && curve?.curve === 'saturating') {
    return t('forecast.using.curve', { unit: t(`forecast.unit.${curve.unit}`), a: f.number(curve.a!, 2), b: f.money(curve.b!.toFixed(2)) });
  }
  if (using === 'average deal') return t('forecast.using.avgDeal');
  if (using.startsWith('win rate')) return t('forecast.using.winRate');
  if (using.startsWith('conversion')) return t('forecast.using.conversion');
  if (using.startsWith('their run rate')) return t('forecast.using.runRate');
  if (using.startsWith('share of paid leads')) return t('forecast.using.share');
  if (using.startsWith('constant cost per session')) return t('forecast.using.costPerSession');
  if (using.startsWith('constant cost per lead')) return t('forecast.using.costPerLead');
  return using;
}

function stepValue(f: Formatter, step: FunnelStep, value: number | null, which: 'input' | 'output'): string {
  if (value === null) return '—';
  const s = step.step;
  const isMoney = (which === 'input' && s.startsWith('revenue')) || (which === 'output' && s.endsWith('budget'));
  return isMoney ? f.money(value) : f.number(value);
}

function stepRate(f: Formatter, step: FunnelStep): string {
  if (step.rate === null) return '—';
  if (step.using === 'average deal' || step.using.startsWith('constant cost')) return f.money(step.rate);
  return f.percent(step.rate, 2);
}

function ReverseResultView() {
  const data = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const r = data.planner.reverse!;
  const channelName = (c: string) => (c === 'total' ? t('forecast.total') : filterValueLabel(i18n, 'channel', c));
  return (
    <div className="reverse-result">
      <ul className="kpi-grid">
        <KpiCard label={t('forecast.reverse.requiredLeads')} value={r.requiredLeads === null ? '—' : f.number(r.requiredLeads)} goodWhen="neutral" />
        <KpiCard label={t('forecast.reverse.budget')} value={r.budget === null ? '—' : f.money(r.budget)} goodWhen="neutral" />
      </ul>
      {r.notes.map((n) => (
        <p key={n} className="callout callout-info">
          {plannerNote(t, f, n)}
        </p>
      ))}
      <h3 className="subheading">{t('forecast.reverse.steps')}</h3>
      <div className="table-scroll">
        <table className="data-table steps-table" aria-label={t('forecast.reverse.steps')}>
          <thead>
            <tr>
              <th scope="col">{t('dim.channel')}</th>
              <th scope="col">{t('forecast.reverse.step')}</th>
              <th scope="col">{t('forecast.reverse.using')}</th>
              <th scope="col" className="num">
                {t('forecast.reverse.input')}
              </th>
              <th scope="col" className="num">
                {t('forecast.reverse.rate')}
              </th>
              <th scope="col" className="num">
                {t('forecast.reverse.output')}
              </th>
            </tr>
          </thead>
          <tbody>
            {r.steps.map((s, i) => (
              <tr key={`${s.channel}-${s.step}-${i}`}>
                <td>{channelName(s.channel)}</td>
                <td>{stepLabel(t, s.step)}</td>
                <td>{usingLabel(t, f, s, data.planner.channels)}</td>
                <td className="num">{stepValue(f, s, s.input, 'input')}</td>
                <td className="num">{stepRate(f, s)}</td>
                <td className="num">{stepValue(f, s, s.output, 'output')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.channels.length > 0 ? (
        <>
          <h3 className="subheading">{t('forecast.reverse.channels')}</h3>
          <div className="table-scroll">
            <table className="data-table row-heads" aria-label={t('forecast.reverse.channels')}>
              <thead>
                <tr>
                  <th scope="col">{t('dim.channel')}</th>
                  <th scope="col">{t('forecast.whatIf.curve')}</th>
                  <th scope="col" className="num">
                    {t('metric.leads')}
                  </th>
                  <th scope="col" className="num">
                    {t('metric.sessions')}
                  </th>
                  <th scope="col" className="num">
                    {t('forecast.whatIf.budgetShort')}
                  </th>
                  <th scope="col">{t('forecast.whatIf.note')}</th>
                </tr>
              </thead>
              <tbody>
                {r.channels.map((c: ReverseChannelRow) => (
                  <tr key={c.channel}>
                    <th scope="row">{channelName(c.channel)}</th>
                    <td>{curveText(t, c.curve)}</td>
                    <td className="num">{f.number(c.leads)}</td>
                    <td className="num">{c.sessions === null ? '—' : f.count(c.sessions)}</td>
                    <td className="num">{c.budget === null ? '—' : f.money(c.budget)}</td>
                    <td className="cell-reason">{plannerNote(t, f, c.note)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
