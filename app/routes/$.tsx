import type { MetaFunction } from '@remix-run/node';
import { GeneralErrorBoundary, NotFound } from '../components/error-boundary';
import { pageTitle } from '../lib/meta';

// Every URL no other route matches: a real 404 status with the app's own page.
export const meta: MetaFunction = () => [{ title: pageTitle('Page not found') }];

export function loader(): never {
  throw new Response('There is nothing at this address.', { status: 404, statusText: 'Not Found' });
}

export function action(): never {
  throw new Response('There is nothing at this address.', { status: 404, statusText: 'Not Found' });
}

// Not rendered (the loader always throws), but its presence makes this a UI
// route, so the 404 gets the error boundary instead of a bare text response.
export default function NotFoundPage() {
  return <NotFound />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
