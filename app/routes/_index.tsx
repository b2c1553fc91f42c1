import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { PageHeader } from '../components/page-header';
import { pageTitle } from '../lib/meta';
import { getWorkspaceOptions } from '../models/workspace.server';
import { sectionHref } from '../sections';

export const meta: MetaFunction = () => [{ title: pageTitle('Welcome') }];

export async function loader({ context }: LoaderFunctionArgs) {
  const [first] = await getWorkspaceOptions(context.db);
  if (first) throw redirect(sectionHref(first.slug, ''));
  return null;
}

// Only reached when there is no workspace yet.
export default function Welcome() {
  return (
    <>
      <PageHeader title="Welcome to Leadpath" subtitle="See which ads bring leads, calls and sales." />
      <section className="panel empty-state" aria-labelledby="no-workspaces">
        <h2 id="no-workspaces">No workspaces yet</h2>
        <p>
          A workspace holds one business’s ad spend, website sessions, calls and leads. Create one from a terminal in
          the Leadpath folder, then reload this page.
        </p>
        <dl className="steps">
          <div>
            <dt>Explore with demo data</dt>
            <dd>
              <code>npx leadpath demo</code>
              <span className="muted">Creates a demo workspace filled with realistic generated data.</span>
            </dd>
          </div>
          <div>
            <dt>Start with your own data</dt>
            <dd>
              <code>npx leadpath workspace create</code>
              <span className="muted">
                Add <code>--help</code> to see its options, then import your CSV exports.
              </span>
            </dd>
          </div>
        </dl>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
