import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { z } from 'zod';
import { requireOwnWorkspaceSlug, workspaceSlugSchema } from '../models/workspace.server';
import { SECTION_PATHS, sectionHref } from '../sections';

// Target of the workspace switcher's GET form: /switch-workspace?workspace=acme&section=channels
// → /w/acme/channels. Only known sections are accepted, so this is no open redirect,
// and only the user's own workspaces: another's is a 404, as at /w/<slug>.
// A resource route (no UI), hence no error boundary: a bad request gets a plain 400.
const switchWorkspaceSchema = z.object({
  workspace: workspaceSlugSchema,
  section: z.enum(SECTION_PATHS).catch(''),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = switchWorkspaceSchema.safeParse(query);
  if (!parsed.success) throw new Response('Choose a workspace.', { status: 400, statusText: 'Bad Request' });
  const slug = await requireOwnWorkspaceSlug(request, context, parsed.data.workspace);
  return redirect(sectionHref(slug, parsed.data.section));
}
