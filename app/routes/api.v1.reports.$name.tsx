import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { handleReportRequest } from '../api/handler.server';

// Resource route: GET /api/v1/reports/:name for read tokens (app/api/reports.server.ts).
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return handleReportRequest(request, context, params.name);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  return handleReportRequest(request, context, params.name);
}
