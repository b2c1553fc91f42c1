import type { LoaderFunctionArgs } from '@remix-run/node';
import { uploadProgress } from '../models/data-upload.server';

// Resource route: the progress of an upload's import (rows read so far), polled by the upload form.
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return uploadProgress(context, params.workspace, request, params.token);
}
