import { ComingSoon } from '../components/coming-soon';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { sectionMeta } from '../lib/meta';

export const meta = sectionMeta('funnel');

export default function FunnelPage() {
  return <ComingSoon section="funnel" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
