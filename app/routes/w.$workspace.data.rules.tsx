import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { ChannelRulesEditor } from '../components/channel-rules-editor';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { useI18n } from '../i18n/i18n';
import { getRulesPage, rulesAction } from '../models/data.server';

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getRulesPage(context, params.workspace, request);
}

export async function action({ params, context, request }: ActionFunctionArgs) {
  return rulesAction(context, params.workspace, request);
}

export default function RulesTab() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby="rules-heading">
      <h2 id="rules-heading">{t('data.rules.title')}</h2>
      <p className="muted">{t('data.rules.intro')}</p>
      <ChannelRulesEditor rules={data.rules} defaults={data.defaults} channels={data.channels} canEdit={data.canEdit} />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
