import { Link, useParams } from '@remix-run/react';
import { getSection, sectionHref, type SectionPath } from '../sections';
import { PageHeader } from './page-header';

/** Placeholder for a dashboard page that is not built yet: says so, shows no numbers. */
export function ComingSoon({ section }: { section: SectionPath }) {
  const { label, summary } = getSection(section);
  const { workspace = '' } = useParams();
  return (
    <>
      <PageHeader title={label} />
      <section className="panel empty-state" aria-labelledby="coming-soon-title">
        <h2 id="coming-soon-title">Coming soon</h2>
        <p>{summary}</p>
        <p className="muted">
          This page is not built yet. The <Link to={sectionHref(workspace, '')}>Overview</Link> shows what data this
          workspace holds today.
        </p>
      </section>
    </>
  );
}
