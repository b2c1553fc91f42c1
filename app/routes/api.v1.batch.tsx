import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { handleApiRequest } from '../api/handler.server';

// Resource route: POST /api/v1/batch (app/api/handler.server.ts does the work).
export async function action({ request, context }: ActionFunctionArgs) {
  return handleApiRequest(request, context, 'batch');
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  return handleApiRequest(request, context, 'batch');
}
