import type { LoaderFunctionArgs } from '@remix-run/node';
import { getRejectsCsv } from '../models/data.server';

// Resource route: every rejected row of an import as CSV (line, column, value, reason).
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getRejectsCsv(context, params.workspace, request, params.importId);
}
