import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { AppShell } from './components/app-shell';
import { GeneralErrorBoundary } from './components/error-boundary';
import { useNonce } from './components/nonce';
import { I18nProvider, requestLanguage } from './i18n/i18n';
import { getShellData } from './models/workspace.server';
import appStyles from './styles/app.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: appStyles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export const meta: MetaFunction = () => [{ title: 'Leadpath' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  // The language (cookie lp_lang, else Accept-Language) and the locale numbers
  // are formatted in: decided here, so server and browser render the same text.
  // The shell shows only the signed-in user's workspaces (none when signed out).
  return { ...(await getShellData(request, context)), ...requestLanguage(request.headers) };
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>('root');
  return (
    <html lang={data?.lang ?? 'en'}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { user, workspaces, lang, locale } = useLoaderData<typeof loader>();
  return (
    <I18nProvider lang={lang} locale={locale}>
      <AppShell user={user} workspaces={workspaces}>
        <Outlet />
      </AppShell>
    </I18nProvider>
  );
}

export function ErrorBoundary() {
  // Absent when the root loader itself failed (e.g. the database is down).
  const data = useRouteLoaderData<typeof loader>('root');
  return (
    <I18nProvider lang={data?.lang ?? 'en'} locale={data?.locale ?? 'en-US'}>
      <AppShell user={data?.user ?? null} workspaces={data?.workspaces ?? []}>
        <GeneralErrorBoundary />
      </AppShell>
    </I18nProvider>
  );
}
