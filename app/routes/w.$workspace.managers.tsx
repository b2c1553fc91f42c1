import { ComingSoon } from '../components/coming-soon';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { sectionMeta } from '../lib/meta';

export const meta = sectionMeta('managers');

export default function ManagersPage() {
  return <ComingSoon section="managers" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
