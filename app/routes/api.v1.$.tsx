import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { handleApiSplat } from '../api/handler.server';

// Resource route: other /api/v1 paths. Segment's short names (t, p, i, b, which
// analytics.js posts to) are the batch/track/page/identify endpoints; anything
// else gets the API's JSON 404, not the HTML page.
export async function action({ request, context, params }: ActionFunctionArgs) {
  return handleApiSplat(request, context, params['*']);
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return handleApiSplat(request, context, params['*']);
}
