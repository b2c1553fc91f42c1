import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useFetcher, useLoaderData } from '@remix-run/react';
import { useId } from 'react';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { errorProps, FieldError } from '../components/field-error';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { getPresetsPage, presetsAction, type PresetsActionResult, type StatusMapRow } from '../models/data.server';

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getPresetsPage(context, params.workspace, request);
}

export async function action({ params, context, request }: ActionFunctionArgs) {
  return presetsAction(context, params.workspace, request);
}

const OUTCOMES = ['open', 'won', 'lost', 'junk'] as const;

export default function PresetsTab() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <>
      <section className="panel" aria-labelledby="presets-heading">
        <h2 id="presets-heading">{t('data.presets.title')}</h2>
        <p className="muted">{t('data.presets.intro')}</p>
        <ul className="preset-list">
          {data.presets.map((p) => (
            <li key={p.name} className="preset">
              <h3>
                {p.label} <span className="badge">{t(`data.kind.${p.kind}` as MessageKey)}</span>
              </h3>
              <dl>
                <div>
                  <dt>{t('data.presets.name')}</dt>
                  <dd>
                    <code>{p.name}</code>
                  </dd>
                </div>
                <div>
                  <dt>{t('data.presets.expects')}</dt>
                  <dd className="chips">
                    {p.expects.map((c) => (
                      <code key={c}>{c}</code>
                    ))}
                  </dd>
                </div>
                {p.optional.length > 0 ? (
                  <div>
                    <dt>{t('data.presets.optional')}</dt>
                    <dd className="chips">
                      {p.optional.map((c) => (
                        <code key={c}>{c}</code>
                      ))}
                    </dd>
                  </div>
                ) : null}
                <div>
                  <dt>{t('data.presets.files')}</dt>
                  <dd>{t('data.presets.filesText', { encodings: p.encodings.join(' / '), delimiters: p.delimiters.map((d) => (d === 'tab' ? t('data.presets.tab') : `“${d}”`)).join(' ') })}</dd>
                </div>
                {p.unmapped.length > 0 ? (
                  <div>
                    <dt>{t('data.presets.unmapped')}</dt>
                    <dd>{p.unmapped.join('; ')}</dd>
                  </div>
                ) : null}
                {p.companion ? (
                  <div>
                    <dt>{t('data.presets.then')}</dt>
                    <dd>
                      <code>{p.companion}</code>
                    </dd>
                  </div>
                ) : null}
              </dl>
              <a href={p.docs} target="_blank" rel="noreferrer noopener">
                {t('data.presets.docs')}
              </a>
            </li>
          ))}
        </ul>
      </section>

      <section className="panel" aria-labelledby="status-heading">
        <h2 id="status-heading">{t('data.presets.statusMaps')}</h2>
        <p className="muted">{t('data.presets.statusMapsIntro')}</p>
        {data.statusMaps.map((m) => (
          <StatusMap key={m.preset} preset={m.preset} label={m.label} rows={m.rows} />
        ))}
      </section>

      <ConversionGoals />
    </>
  );
}

function StatusMap({ preset, label, rows }: { preset: string; label: string; rows: StatusMapRow[] }) {
  const { t } = useI18n();
  const headingId = useId();
  return (
    <div className="status-map" role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>{label}</h3>
      <div className="status-head" aria-hidden="true">
        <span>{t('data.presets.status')}</span>
        <span>{t('data.presets.stage')}</span>
        <span>{t('data.presets.outcome')}</span>
        <span />
      </div>
      {rows.map((row) => (
        <StatusRow key={`${row.status}|${row.edited}`} preset={preset} row={row} />
      ))}
      <StatusRow key="new" preset={preset} row={null} />
    </div>
  );
}

function StatusRow({ preset, row }: { preset: string; row: StatusMapRow | null }) {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const fetcher = useFetcher<PresetsActionResult>();
  const id = useId();
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const disabled = !data.canEdit;
  const outcomeLabel = (o: string) => t(`data.presets.outcome.${o}` as MessageKey);
  return (
    <fetcher.Form method="post" className={row?.edited ? 'status-row is-edited' : 'status-row'}>
      <input type="hidden" name="preset" value={preset} />
      <span className="rule-field">
        <label htmlFor={`${id}-status`} className="rule-label">
          {t('data.presets.status')}
        </label>
        {row ? (
          <>
            <input type="hidden" name="status" value={row.status} />
            <span id={`${id}-status`} className="status-name">
              {row.status}
              {row.edited ? <span className="badge">{t('data.presets.edited')}</span> : null}
            </span>
          </>
        ) : (
          <input id={`${id}-status`} name="status" className="input" placeholder={t('data.presets.newStatus')} disabled={disabled} {...errorProps(`${id}-se`, errors.status)} />
        )}
        <FieldError id={`${id}-se`} error={errors.status} />
      </span>
      <span className="rule-field">
        <label htmlFor={`${id}-stage`} className="rule-label">
          {t('data.presets.stage')}
        </label>
        <select id={`${id}-stage`} name="stage" className="input" defaultValue={row?.stage ?? data.stages[0]} disabled={disabled} {...errorProps(`${id}-ge`, errors.stage)}>
          {row && !data.stages.includes(row.stage) ? <option value={row.stage}>{row.stage}</option> : null}
          {data.stages.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <FieldError id={`${id}-ge`} error={errors.stage} />
      </span>
      <span className="rule-field">
        <label htmlFor={`${id}-outcome`} className="rule-label">
          {t('data.presets.outcome')}
        </label>
        <select id={`${id}-outcome`} name="outcome" className="input" defaultValue={row?.outcome ?? 'open'} disabled={disabled}>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {outcomeLabel(o)}
            </option>
          ))}
        </select>
      </span>
      {disabled ? (
        <span />
      ) : (
        <span className="editor-actions">
          <button type="submit" name="intent" value="status" className="button button-secondary" aria-label={row ? t('data.presets.saveStatus', { status: row.status }) : t('data.presets.addStatus')}>
            {row ? t('data.presets.save') : t('data.presets.add')}
          </button>
          {row?.edited ? (
            <button type="submit" name="intent" value="status-reset" className="button button-secondary" aria-label={t('data.presets.resetStatus', { status: row.status })}>
              {t('data.presets.reset')}
            </button>
          ) : null}
        </span>
      )}
    </fetcher.Form>
  );
}

function ConversionGoals() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useI18n();
  const fetcher = useFetcher<PresetsActionResult>({ key: 'conversion-goal' });
  const ids = { platform: useId(), stage: useId(), name: useId(), dl: useId() };
  const result = fetcher.data ?? (actionData?.intent === 'goal' ? actionData : undefined);
  const errors = result && !result.ok ? result.errors : {};
  const platformLabel = (p: string) => t(`data.conversions.platform.${p}` as MessageKey);
  return (
    <section className="panel" aria-labelledby="goals-heading">
      <h2 id="goals-heading">{t('data.conversions.title')}</h2>
      <p className="muted">{t('data.conversions.intro')}</p>
      {data.goals.length > 0 ? (
        <ul className="goal-list">
          {data.goals.map((g) => (
            <li key={`${g.platform}|${g.stage}`}>
              <span>{t('data.conversions.goal', { platform: platformLabel(g.platform), stage: g.stage, name: g.conversionName })}</span>
              {data.canEdit ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="platform" value={g.platform} />
                  <input type="hidden" name="stage" value={g.stage} />
                  <button type="submit" name="intent" value="goal-delete" className="link-button">
                    {t('data.conversions.delete')}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('data.conversions.none')}</p>
      )}
      {data.canEdit ? (
        <fetcher.Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="goal" />
          <div className="field">
            <label htmlFor={ids.platform}>{t('data.conversions.platform')}</label>
            <select id={ids.platform} name="platform" className="input">
              {data.platforms.map((p) => (
                <option key={p} value={p}>
                  {platformLabel(p)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.stage}>{t('data.conversions.stage')}</label>
            <select id={ids.stage} name="stage" className="input" defaultValue="qualified" {...errorProps(`${ids.stage}-e`, errors.stage)}>
              {data.stages.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            <FieldError id={`${ids.stage}-e`} error={errors.stage} />
          </div>
          <div className="field field-grow">
            <label htmlFor={ids.name}>{t('data.conversions.name')}</label>
            <input id={ids.name} name="name" className="input" placeholder={t('data.conversions.namePlaceholder')} {...errorProps(`${ids.name}-e`, errors.name)} />
            <FieldError id={`${ids.name}-e`} error={errors.name} />
          </div>
          <div className="editor-buttons">
            <button type="submit" className="button">
              {t('data.conversions.set')}
            </button>
          </div>
        </fetcher.Form>
      ) : null}

      {data.goals.length > 0 && data.canEdit ? (
        <>
          <h3 className="subheading">{t('data.conversions.download')}</h3>
          <Form method="get" action={`/w/${data.workspace.slug}/data/conversions.csv`} reloadDocument className="form-grid">
            <div className="field">
              <label htmlFor={`${ids.dl}-goal`}>{t('data.conversions.which')}</label>
              <select id={`${ids.dl}-goal`} name="goal" className="input">
                {data.goals.map((g) => (
                  <option key={`${g.platform}|${g.stage}`} value={`${g.platform}|${g.stage}`}>
                    {platformLabel(g.platform)} · {g.stage}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${ids.dl}-from`}>{t('filters.from')}</label>
              <input id={`${ids.dl}-from`} type="date" name="from" defaultValue={data.defaultRange.from} required className="input" />
            </div>
            <div className="field">
              <label htmlFor={`${ids.dl}-to`}>{t('filters.to')}</label>
              <input id={`${ids.dl}-to`} type="date" name="to" defaultValue={data.defaultRange.to} required className="input" />
            </div>
            <div className="field">
              <label htmlFor={`${ids.dl}-id`}>{t('data.conversions.metricaId')}</label>
              <select id={`${ids.dl}-id`} name="id" className="input">
                {data.metricaIds.map((m) => (
                  <option key={m} value={m}>
                    {t(`data.conversions.id.${m}` as MessageKey)}
                  </option>
                ))}
              </select>
            </div>
            <div className="editor-buttons">
              <button type="submit" className="button">
                {t('data.conversions.downloadButton')}
              </button>
            </div>
          </Form>
        </>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
