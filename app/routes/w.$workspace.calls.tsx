import { ComingSoon } from '../components/coming-soon';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { sectionMeta } from '../lib/meta';

export const meta = sectionMeta('calls');

export default function CallsPage() {
  return <ComingSoon section="calls" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
