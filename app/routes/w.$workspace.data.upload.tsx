import type { ActionFunctionArgs } from '@remix-run/node';
import { uploadAction } from '../models/data-upload.server';

// Resource route: a CSV upload (multipart, streamed to disk, up to 2 GiB),
// imported in the background; see app/models/data-upload.server.ts.
export async function action({ params, context, request }: ActionFunctionArgs) {
  return uploadAction(context, params.workspace, request);
}
