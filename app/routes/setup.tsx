import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useId, useState } from 'react';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { errorProps, FieldError } from '../components/field-error';
import { FormField, useFormErrorText } from '../components/form-field';
import { useIsHydrated } from '../components/use-is-hydrated';
import { useI18n } from '../i18n/i18n';
import { pageTitle } from '../lib/meta';
import { getSetupPage, setupAction } from '../models/account.server';
import accountStyles from '../styles/account.css?url';
import editorStyles from '../styles/editors.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: editorStyles },
  { rel: 'stylesheet', href: accountStyles },
];

export const meta: MetaFunction = () => [{ title: pageTitle('Set up') }];

// First run: only while the database has no users (afterwards a 404).
export async function loader({ context }: LoaderFunctionArgs) {
  return getSetupPage(context);
}

export async function action({ request, context }: ActionFunctionArgs) {
  return setupAction(request, context);
}

export default function Setup() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, tn } = useI18n();
  const formError = useFormErrorText(result);
  const navigation = useNavigation();
  const isHydrated = useIsHydrated();
  const [demo, setDemo] = useState(result?.values.demo ?? page.offerDemo);
  const busy = navigation.state !== 'idle' && navigation.formMethod === 'POST';
  const errors = result?.errors ?? {};
  const values = result?.values;
  const ids = { demo: useId(), zone: useId(), currency: useId() };
  const askWorkspace = page.existingWorkspaces === 0;
  const zone = values?.timeZone || 'Europe/Kyiv';
  // Without JavaScript the workspace fields stay visible (the server ignores them when the demo is chosen).
  const hideWorkspace = isHydrated && page.offerDemo && demo;

  return (
    <section className="panel auth-page auth-wide" aria-labelledby="setup-title">
      <h1 id="setup-title">{t('setup.title')}</h1>
      <p className="muted">{t('setup.subtitle')}</p>
      <Form method="post" className="auth-form">
        <fieldset>
          <legend>{t('setup.owner')}</legend>
          <FormField label={t('auth.email')} name="email" type="email" autoComplete="username" required defaultValue={values?.email ?? ''} error={errors.email} />
          <FormField
            label={t('auth.password')}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            maxLength={200}
            hint={t('auth.passwordHint')}
            error={errors.password}
          />
          <FormField label={t('auth.confirmPassword')} name="confirm" type="password" autoComplete="new-password" required error={errors.confirm} />
        </fieldset>

        {page.existingWorkspaces > 0 ? <p className="auth-summary">{tn('setup.existing', page.existingWorkspaces)}</p> : null}

        {page.offerDemo ? (
          <div className="check-field">
            <input id={ids.demo} type="checkbox" name="demo" checked={demo} onChange={(e) => setDemo(e.currentTarget.checked)} aria-describedby={`${ids.demo}-help`} />
            <div>
              <label htmlFor={ids.demo}>{t('setup.demo')}</label>
              <p id={`${ids.demo}-help`} className="field-hint">
                {t('setup.demoHelp')}
              </p>
            </div>
          </div>
        ) : null}

        {askWorkspace ? (
          <fieldset hidden={hideWorkspace}>
            <legend>{t('setup.workspace')}</legend>
            <p className="field-hint">
              {t('setup.workspaceHelp')} {page.offerDemo ? t('setup.workspaceWithDemo') : null}
            </p>
            <FormField label={t('setup.name')} name="name" defaultValue={values?.name ?? ''} maxLength={200} error={errors.name} />
            <FormField label={t('setup.slug')} name="slug" defaultValue={values?.slug ?? ''} maxLength={63} hint={t('setup.slugHelp')} error={errors.slug} />
            <div className="field">
              <label htmlFor={ids.zone}>{t('setup.timeZone')}</label>
              <select id={ids.zone} name="timeZone" className="input" defaultValue={zone} {...errorProps(`${ids.zone}-e`, errors.timeZone)}>
                {/* ICU may list a zone under its old name (Europe/Kiev): the chosen one is offered as typed. */}
                {page.timeZones.includes(zone) ? null : <option value={zone}>{zone}</option>}
                {page.timeZones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
              <FieldError id={`${ids.zone}-e`} error={errors.timeZone} />
            </div>
            <div className="field">
              <label htmlFor={ids.currency}>{t('setup.currency')}</label>
              <select id={ids.currency} name="currency" className="input" defaultValue={values?.currency || 'UAH'} {...errorProps(`${ids.currency}-e`, errors.currency)}>
                {page.currencies.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
              <FieldError id={`${ids.currency}-e`} error={errors.currency} />
            </div>
          </fieldset>
        ) : null}

        {formError ? (
          <p className="form-error" role="alert">
            {formError}
          </p>
        ) : null}
        <button type="submit" className="button" disabled={busy}>
          {busy ? (page.offerDemo && demo ? t('setup.submittingDemo') : t('setup.submitting')) : t('setup.submit')}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
