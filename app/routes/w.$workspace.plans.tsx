import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from '@remix-run/react';
import { useId } from 'react';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { errorProps, FieldError } from '../components/field-error';
import { filterValueLabel } from '../components/filter-bar';
import { PageHeader } from '../components/page-header';
import { UploadForm } from '../components/upload-form';
import { useIsHydrated } from '../components/use-is-hydrated';
import { useFormat, useI18n, type I18n, type MessageKey } from '../i18n/i18n';
import type { Formatter } from '../lib/format';
import { sectionMeta } from '../lib/meta';
import { getPlansPage, plansAction, type PlanEntry, type PlanFormValues, type PlansPage, type SliceKind } from '../models/plans.server';
import type { PacingRow } from '../reports/pacing';
import editorStyles from '../styles/editors.css?url';

export const meta = sectionMeta('plans');
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getPlansPage(context, params.workspace, request);
}

export async function action({ params, context, request }: ActionFunctionArgs) {
  return plansAction(context, params.workspace, request);
}

/** The slices a plan can be for (db/queries/plans.ts PLAN_SLICES, after the whole business). */
const SLICE_KINDS: readonly SliceKind[] = ['business', 'channel', 'region', 'manager'];

const shiftMonth = (month: string, by: number) => {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + by, 1));
  return d.toISOString().slice(0, 7);
};

function sliceLabel(i18n: I18n, kind: string, value: string): string {
  if (kind === 'business' || value === '') return i18n.t('plans.business');
  return kind === 'channel' ? filterValueLabel(i18n, 'channel', value) : value;
}

export default function PlansPageView() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('section.plans')} subtitle={data.workspace.name} />
      <PlanControls />
      <Pacing />
      <PlanTargets />
      {data.canEdit ? <PlanEditor /> : null}
      {data.canImport ? (
        <section className="panel" aria-labelledby="plans-import-heading">
          <h2 id="plans-import-heading">{t('plans.import.title')}</h2>
          <p className="muted">{t('plans.import.help')}</p>
          <UploadForm key={data.upload?.token ?? data.uploadError ?? 'form'} workspace={data.workspace.slug} kind="plans" back="plans" initial={data.upload} initialError={data.uploadError} />
        </section>
      ) : null}
    </>
  );
}

function PlanControls() {
  const { month, by } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const f = useFormat();
  const submit = useSubmit();
  const isHydrated = useIsHydrated();
  const ids = { month: useId(), by: useId() };
  const link = (m: string) => `?month=${m}${by !== 'business' ? `&by=${by}` : ''}`;
  return (
    <Form method="get" className="forecast-controls" key={`${month}|${by}`} aria-label={t('plans.controls')}>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.month}>{t('plans.month')}</label>
          <input id={ids.month} type="month" name="month" defaultValue={month} className="input" required onChange={(e) => e.currentTarget.value && submit(e.currentTarget.form, { preventScrollReset: true })} />
        </div>
        <div className="field">
          <label htmlFor={ids.by}>{t('plans.by')}</label>
          <select id={ids.by} name="by" defaultValue={by} className="input" onChange={(e) => submit(e.currentTarget.form, { preventScrollReset: true })}>
            {SLICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`plans.by.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="editor-buttons">
          <Link to={link(shiftMonth(month, -1))} preventScrollReset aria-label={t('plans.previous')}>
            ← {f.month(`${shiftMonth(month, -1)}-01`)}
          </Link>
          <Link to={link(shiftMonth(month, 1))} preventScrollReset aria-label={t('plans.next')}>
            {f.month(`${shiftMonth(month, 1)}-01`)} →
          </Link>
          <button type="submit" className={isHydrated ? 'visually-hidden' : 'button'}>
            {t('filters.apply')}
          </button>
        </div>
      </div>
    </Form>
  );
}

const METRIC_LABEL: Record<PacingRow['metric'], MessageKey> = {
  leads: 'plan.leads',
  sales: 'plan.sales',
  revenue: 'plan.revenue',
  budget: 'plan.budget',
  cpl: 'plans.maxCpl',
};

function formatMetric(f: Formatter, metric: PacingRow['metric'], value: number | string | null): string {
  if (value === null) return '—';
  return metric === 'leads' || metric === 'sales' ? f.number(Number(value)) : f.money(value);
}

function Pacing() {
  const data = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const { pacing } = data;
  const monthName = f.month(`${data.month}-01`);
  const first = pacing.slices[0]?.pacing;
  const phaseText =
    pacing.phase === 'past'
      ? t('plans.phase.past', { month: monthName })
      : pacing.phase === 'future'
        ? t('plans.phase.future', { month: monthName })
        : t('plans.phase.current', { month: monthName, days: first?.daysElapsed ?? 0, total: first?.daysInMonth ?? 0, today: f.day(data.today) });
  const slices = pacing.slices;
  return (
    <section aria-labelledby="pacing-heading" className="plan-slices">
      <h2 id="pacing-heading" className="section-title">
        {t('plans.pacing', { month: monthName })}
      </h2>
      <p className="muted">{phaseText}</p>
      {slices.length === 0 ? (
        <section className="panel empty-state">
          <h2>{t('plans.noPlan', { month: monthName })}</h2>
          <p>{data.by === 'business' ? t('plans.noPlanBusiness') : t('plans.noPlanBy', { by: t(`plans.by.${data.by}`).toLowerCase() })}</p>
        </section>
      ) : (
        slices.map((s) => <SlicePacing key={s.key || 'business'} slice={s} page={data} i18n={i18n} />)
      )}
    </section>
  );
}

function SlicePacing({ slice, page, i18n }: { slice: PlansPage['pacing']['slices'][number]; page: PlansPage; i18n: I18n }) {
  const { t } = i18n;
  const f = useFormat();
  const phase = slice.pacing.phase;
  const label = sliceLabel(i18n, page.by, slice.key);
  const rows = slice.pacing.rows.filter((r) => page.canSeeSpend || (r.metric !== 'budget' && r.metric !== 'cpl'));
  const headingId = useId();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{label}</h2>
      {slice.fallback ? <p className="muted form-help">{t('plans.fallback')}</p> : null}
      {slice.pacing.flatShape ? <p className="muted form-help">{t('plans.flatShape')}</p> : null}
      <div className="table-scroll">
        <table className="data-table row-heads pacing-table" aria-label={t('plans.pacingOf', { slice: label })}>
          <thead>
            <tr>
              <th scope="col">{t('plans.metric')}</th>
              <th scope="col" className="num">
                {t('plans.plan')}
              </th>
              <th scope="col" className="num">
                {phase === 'past' ? t('plans.final') : phase === 'future' ? t('plans.actualSoFar') : t('plans.monthToDate')}
              </th>
              {phase === 'current' ? (
                <>
                  <th scope="col">{t('plans.progress')}</th>
                  <th scope="col" className="num">
                    {t('plans.expected')}
                  </th>
                </>
              ) : null}
              {phase !== 'past' ? (
                <th scope="col" className="num">
                  {t('plans.projected')}
                </th>
              ) : null}
              <th scope="col" className="num">
                {phase === 'past' ? t('plans.finalAttainment') : t('plans.attainment')}
              </th>
              <th scope="col">{t('plans.status')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.metric}>
                <th scope="row">{t(METRIC_LABEL[r.metric])}</th>
                <td className="num">{formatMetric(f, r.metric, r.plan)}</td>
                <td className="num">{formatMetric(f, r.metric, r.actual)}</td>
                {phase === 'current' ? (
                  <>
                    <td>
                      {r.progress !== null ? (
                        <span className="pacing-cell" title={t('plans.progressHelp', { progress: f.percent(r.progress, 0), expected: f.percent(r.metric === 'budget' ? slice.pacing.share.sessions : slice.pacing.share.leads, 0) })}>
                          <span className="pacing-bar" aria-hidden="true">
                            <span className="pacing-fill" style={{ width: `${Math.min(100, r.progress * 100)}%` }} />
                            <span className="pacing-mark" style={{ left: `${Math.min(100, (r.metric === 'budget' ? slice.pacing.share.sessions : slice.pacing.share.leads) * 100)}%` }} />
                          </span>{' '}
                          {f.percent(r.progress, 0)}
                        </span>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="num">{formatMetric(f, r.metric, r.expected)}</td>
                  </>
                ) : null}
                {phase !== 'past' ? <td className="num">{formatMetric(f, r.metric, r.projected)}</td> : null}
                <td className="num">{r.attainment === null ? '—' : f.percent(r.attainment, 1)}</td>
                <td>{r.status ? <span className={`status status-${r.status}`}>{t(`plans.status.${r.status}`)}</span> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.some((r) => r.metric === 'cpl') ? <p className="muted form-help">{t('plans.cplNote')}</p> : null}
      {rows.some((r) => r.metric === 'budget') ? <p className="muted form-help">{t('plans.budgetNote')}</p> : null}
    </section>
  );
}

function PlanTargets() {
  const data = useLoaderData<typeof loader>();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const monthName = f.month(`${data.month}-01`);
  const editLink = (p: PlanEntry) => `?month=${data.month}${data.by !== 'business' ? `&by=${data.by}` : ''}&edit=${encodeURIComponent(p.key)}#plan-editor`;
  return (
    <section className="panel" aria-labelledby="targets-heading">
      <h2 id="targets-heading">{t('plans.targets', { month: monthName })}</h2>
      {data.plans.length === 0 ? (
        <p className="muted">{t('plans.noTargets')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table row-heads" aria-label={t('plans.targets', { month: monthName })}>
            <thead>
              <tr>
                <th scope="col">{t('plans.slice')}</th>
                <th scope="col" className="num">
                  {t('plan.leads')}
                </th>
                {data.canSeeSpend ? (
                  <>
                    <th scope="col" className="num">
                      {t('plans.maxCpl')}
                    </th>
                    <th scope="col" className="num">
                      {t('plan.budget')}
                    </th>
                  </>
                ) : null}
                <th scope="col" className="num">
                  {t('plan.sales')}
                </th>
                <th scope="col" className="num">
                  {t('plan.revenue')}
                </th>
                <th scope="col">{t('plans.source')}</th>
                {data.canEdit ? <th scope="col">{t('plans.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.plans.map((p) => (
                <tr key={p.key}>
                  <th scope="row">
                    {p.kind === 'business' ? t('plans.business') : `${t(`plans.kind.${p.kind}`)}: ${sliceLabel(i18n, p.kind, p.value)}`}
                  </th>
                  <td className="num">{p.leads === null ? '—' : f.count(p.leads)}</td>
                  {data.canSeeSpend ? (
                    <>
                      <td className="num">{p.max_cpl === null ? '—' : f.money(p.max_cpl)}</td>
                      <td className="num">{p.budget === null ? '—' : f.money(p.budget)}</td>
                    </>
                  ) : null}
                  <td className="num">{p.sales === null ? '—' : f.count(p.sales)}</td>
                  <td className="num">{p.revenue === null ? '—' : f.money(p.revenue)}</td>
                  <td>{p.import_id === null ? t('plans.edited') : t('plans.imported')}</td>
                  {data.canEdit ? (
                    <td>
                      <Link to={editLink(p)} preventScrollReset aria-label={t('plans.editRow', { slice: sliceLabel(i18n, p.kind, p.value) })}>
                        {t('plans.edit')}
                      </Link>{' '}
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="delete" />
                        <input type="hidden" name="month" value={data.month} />
                        <input type="hidden" name="key" value={p.key} />
                        <button type="submit" className="link-button" aria-label={t('plans.deleteRow', { slice: sliceLabel(i18n, p.kind, p.value) })}>
                          {t('plans.delete')}
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PlanEditor() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const id = useId();
  const failed = actionData?.intent === 'save' && !actionData.ok ? actionData : null;
  const saved = actionData?.intent === 'save' && actionData.ok ? actionData : null;
  const e = data.editing;
  const values: PlanFormValues = failed?.values ?? {
    month: data.month,
    kind: e?.kind ?? (data.by === 'business' ? 'business' : data.by),
    value: e?.value ?? '',
    leads: e?.leads === null || e?.leads === undefined ? '' : String(e.leads),
    max_cpl: e?.max_cpl ?? '',
    budget: e?.budget ?? '',
    sales: e?.sales === null || e?.sales === undefined ? '' : String(e.sales),
    revenue: e?.revenue ?? '',
  };
  const errors = failed?.errors ?? {};
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save';
  const field = (name: keyof PlanFormValues, label: string, extra: { inputMode?: 'numeric' | 'decimal' } = {}) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input id={`${id}-${name}`} name={name} defaultValue={values[name]} className="input" autoComplete="off" {...extra} {...errorProps(`${id}-${name}-e`, errors[name])} />
      <FieldError id={`${id}-${name}-e`} error={errors[name]} />
    </div>
  );
  const allValues = [...new Set([...data.options.channel, ...data.options.region, ...data.options.manager])];
  return (
    <section className="panel" aria-labelledby="plan-editor" id="plan-editor-section">
      <h2 id="plan-editor">{e ? t('plans.editTitle', { slice: sliceLabel(i18n, e.kind, e.value), month: f.month(`${data.month}-01`) }) : t('plans.addTitle')}</h2>
      <p className="muted">{t('plans.editorHelp')}</p>
      {/* Keyed by what the loader says (the action's answer arrives before the reloaded data): a saved plan refills the form. */}
      <Form method="post" className="form-grid plan-form" key={failed ? 'failed' : JSON.stringify([data.month, e ?? saved?.key ?? 'new'])} preventScrollReset>
        <input type="hidden" name="intent" value="save" />
        {field('month', t('plans.month'))}
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t('plans.slice')}</label>
          <select id={`${id}-kind`} name="kind" defaultValue={values.kind} className="input" {...errorProps(`${id}-kind-e`, errors.kind)}>
            {SLICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {k === 'business' ? t('plans.business') : t(`plans.kind.${k}`)}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-kind-e`} error={errors.kind} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-value`}>{t('plans.sliceValue')}</label>
          <input id={`${id}-value`} name="value" list={`${id}-values`} defaultValue={values.value} className="input" autoComplete="off" {...errorProps(`${id}-value-e`, errors.value)} />
          <datalist id={`${id}-values`}>
            {allValues.map((v) => (
              <option key={v} value={v} />
            ))}
          </datalist>
          <FieldError id={`${id}-value-e`} error={errors.value} />
        </div>
        {field('leads', t('plan.leads'), { inputMode: 'numeric' })}
        {data.canSeeSpend ? field('max_cpl', t('plans.maxCpl'), { inputMode: 'decimal' }) : null}
        {data.canSeeSpend ? field('budget', t('plan.budget'), { inputMode: 'decimal' }) : null}
        {field('sales', t('plan.sales'), { inputMode: 'numeric' })}
        {field('revenue', t('plan.revenue'), { inputMode: 'decimal' })}
        <div className="editor-buttons">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('plans.saving') : t('plans.save')}
          </button>
          {e ? (
            <Link to={`?month=${data.month}${data.by !== 'business' ? `&by=${data.by}` : ''}`} preventScrollReset>
              {t('plans.cancel')}
            </Link>
          ) : null}
          {saved ? (
            <span className="form-success" role="status">
              {t('plans.saved')}
            </span>
          ) : null}
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
