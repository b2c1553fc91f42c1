import { ComingSoon } from '../components/coming-soon';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { sectionMeta } from '../lib/meta';

export const meta = sectionMeta('forecast');

export default function ForecastPage() {
  return <ComingSoon section="forecast" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
