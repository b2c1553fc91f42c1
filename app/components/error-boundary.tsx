import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react';
import type { ReactNode } from 'react';

// One error boundary for every route: a thrown Response shows its status and
// message; anything else is a bug, shown as a 500 without internals (the
// message and stack appear in development only).
export function GeneralErrorBoundary() {
  const error = useRouteError();

  if (isRouteErrorResponse(error)) {
    const message = typeof error.data === 'string' && error.data ? error.data : undefined;
    if (error.status === 404) return <NotFound message={message} />;
    return (
      <ErrorPanel
        status={error.status}
        title={error.statusText || titleForStatus(error.status)}
        message={message ?? 'The request could not be completed.'}
      />
    );
  }

  const detail = import.meta.env.DEV && error instanceof Error ? error : undefined;
  return (
    <ErrorPanel
      status={500}
      title="Something went wrong"
      message="Leadpath hit an unexpected error while building this page. Reloading may help; if it keeps happening, the server log says why."
    >
      {detail ? (
        <pre className="error-detail">{detail.stack ?? detail.message}</pre>
      ) : null}
    </ErrorPanel>
  );
}

export function NotFound({ message }: { message?: string }) {
  return (
    <ErrorPanel status={404} title="Page not found" message={message ?? 'There is nothing at this address.'}>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </ErrorPanel>
  );
}

function ErrorPanel(props: { status: number; title: string; message: string; children?: ReactNode }) {
  return (
    <section className="error-panel" aria-labelledby="error-title">
      <p className="error-status">Error {props.status}</p>
      <h1 id="error-title">{props.title}</h1>
      <p>{props.message}</p>
      {props.children}
    </section>
  );
}

function titleForStatus(status: number): string {
  if (status === 400) return 'Bad request';
  if (status === 401) return 'Sign-in required';
  if (status === 403) return 'Not allowed';
  if (status >= 500) return 'Server error';
  return 'Request failed';
}
