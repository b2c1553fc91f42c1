import { ComingSoon } from '../components/coming-soon';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { sectionMeta } from '../lib/meta';

export const meta = sectionMeta('leads');

export default function LeadsPage() {
  return <ComingSoon section="leads" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
