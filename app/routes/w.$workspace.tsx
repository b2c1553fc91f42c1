import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { GeneralErrorBoundary } from '../components/error-boundary';
import { pageTitle } from '../lib/meta';
import { requireWorkspace, toWorkspaceInfo } from '../models/workspace.server';

// Layout of every /w/:workspace page: an unknown workspace is a 404 here, so
// the pages below can rely on it.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const workspace = await requireWorkspace(context.db, params.workspace);
  return { workspace: toWorkspaceInfo(workspace) };
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
