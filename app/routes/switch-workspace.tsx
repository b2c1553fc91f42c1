import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { z } from 'zod';
import { workspaceSlugSchema } from '../models/workspace.server';
import { SECTION_PATHS, sectionHref } from '../sections';

// Target of the workspace switcher's GET form: /switch-workspace?workspace=acme&section=channels
// → /w/acme/channels. Only known sections are accepted, so this is no open redirect.
// A resource route (no UI), hence no error boundary: a bad request gets a plain 400.
const switchWorkspaceSchema = z.object({
  workspace: workspaceSlugSchema,
  section: z.enum(SECTION_PATHS).catch(''),
});

export function loader({ request }: LoaderFunctionArgs) {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = switchWorkspaceSchema.safeParse(query);
  if (!parsed.success) throw new Response('Choose a workspace.', { status: 400, statusText: 'Bad Request' });
  return redirect(sectionHref(parsed.data.workspace, parsed.data.section));
}
