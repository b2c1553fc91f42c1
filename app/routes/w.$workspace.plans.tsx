import { ComingSoon } from '../components/coming-soon';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { sectionMeta } from '../lib/meta';

export const meta = sectionMeta('plans');

export default function PlansPage() {
  return <ComingSoon section="plans" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
