import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { requireWorkspaceAccess } from '../auth/guard.server';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { pageTitle } from '../lib/meta';
import { toWorkspaceInfo } from '../models/workspace.server';

// Layout of every /w/:workspace page: signed out → the login page; an unknown
// workspace, or one the user is no member of, is the same 404 here, so the
// pages below can rely on it (and still check their own permission).
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const access = await requireWorkspaceAccess(request, context, params.workspace, 'reports:view');
  return { workspace: toWorkspaceInfo(access.workspace), role: access.role };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(data.workspace.name) : pageTitle('Workspace not found') },
];

export default function WorkspaceLayout() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
