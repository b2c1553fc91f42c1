import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useFetcher, useLoaderData } from '@remix-run/react';
import { useId } from 'react';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { errorProps, FieldError } from '../components/field-error';
import { StageEditor } from '../components/stage-editor';
import { useI18n } from '../i18n/i18n';
import { getSettingsPage, settingsAction, type SettingsActionResult } from '../models/data.server';

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getSettingsPage(context, params.workspace, request);
}

export async function action({ params, context, request }: ActionFunctionArgs) {
  return settingsAction(context, params.workspace, request);
}

export default function SettingsTab() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <>
      <section className="panel" aria-labelledby="stages-heading">
        <h2 id="stages-heading">{t('data.settings.pipeline')}</h2>
        <p className="muted">{t('data.settings.pipelineHelp')}</p>
        <StageEditor stages={data.stages} fixed={data.fixedStages} canEdit={data.canEditPipeline} />
      </section>
      <WorkspaceSettings />
    </>
  );
}

function WorkspaceSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useI18n();
  const fetcher = useFetcher<SettingsActionResult>({ key: 'workspace-settings' });
  const ids = { zone: useId(), currency: useId() };
  const fromAction = actionData?.intent === 'workspace' ? actionData : undefined;
  const result = fetcher.data?.intent === 'workspace' ? fetcher.data : fromAction;
  const errors = result && !result.ok ? result.errors : {};
  const values = result && !result.ok ? result.values : { timeZone: data.workspace.timeZone, currency: data.workspace.currency };
  const busy = fetcher.state !== 'idle';
  const disabled = !data.canEditWorkspace;

  return (
    <section className="panel" aria-labelledby="workspace-heading">
      <h2 id="workspace-heading">{t('data.settings.workspace')}</h2>
      <p className="muted">{t('data.settings.workspaceHelp')}</p>
      <fetcher.Form method="post" className="form-grid" key={`${values.timeZone}|${values.currency}`}>
        <input type="hidden" name="intent" value="workspace" />
        <div className="field">
          <label htmlFor={ids.zone}>{t('data.settings.timeZone')}</label>
          <select id={ids.zone} name="timeZone" defaultValue={values.timeZone} className="input" disabled={disabled} {...errorProps(`${ids.zone}-e`, errors.timeZone)}>
            {data.timeZones.includes(values.timeZone) ? null : <option value={values.timeZone}>{values.timeZone}</option>}
            {data.timeZones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          <FieldError id={`${ids.zone}-e`} error={errors.timeZone} />
        </div>
        <div className="field">
          <label htmlFor={ids.currency}>{t('data.settings.currency')}</label>
          <select id={ids.currency} name="currency" defaultValue={values.currency} className="input" disabled={disabled} {...errorProps(`${ids.currency}-e`, errors.currency)}>
            {data.currencies.includes(values.currency) ? null : <option value={values.currency}>{values.currency}</option>}
            {data.currencies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <FieldError id={`${ids.currency}-e`} error={errors.currency} />
        </div>
        {disabled ? (
          <p className="muted">{t('data.settings.ownerOnly')}</p>
        ) : (
          <div className="editor-buttons">
            <button type="submit" className="button" disabled={busy}>
              {busy ? t('data.settings.saving') : t('data.settings.saveWorkspace')}
            </button>
            {result?.ok ? (
              <span className="form-success" role="status">
                {result.rebuilt ? t('data.settings.savedRebuilt') : t('data.settings.saved')}
              </span>
            ) : null}
          </div>
        )}
      </fetcher.Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
