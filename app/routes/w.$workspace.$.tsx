import type { MetaFunction } from '@remix-run/node';
import { GeneralErrorBoundary, NotFound } from '../components/error-boundary';
import { pageTitle } from '../lib/meta';

// An unknown page inside a known workspace: 404 within the workspace layout.
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
