import { ComingSoon } from '../components/coming-soon';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { sectionMeta } from '../lib/meta';

export const meta = sectionMeta('attribution');

export default function AttributionPage() {
  return <ComingSoon section="attribution" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
