import type { LoaderFunctionArgs } from '@remix-run/node';
import { getConversionsFile } from '../models/data.server';

// Resource route: the offline conversion upload file for Google Ads or Yandex Metrica.
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return getConversionsFile(context, params.workspace, request);
}
