import { ComingSoon } from '../components/coming-soon';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { sectionMeta } from '../lib/meta';

export const meta = sectionMeta('data');

export default function DataPage() {
  return <ComingSoon section="data" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
