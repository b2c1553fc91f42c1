import { ComingSoon } from '../components/coming-soon';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { sectionMeta } from '../lib/meta';

export const meta = sectionMeta('channels');

export default function ChannelsPage() {
  return <ComingSoon section="channels" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
