import type { MetaFunction } from '@remix-run/node';
import type { loader as workspaceLoader } from '../routes/w.$workspace';
import { getSection, type SectionPath } from '../sections';

export function pageTitle(...parts: (string | undefined)[]): string {
  return [...parts, 'Leadpath'].filter(Boolean).join(' · ');
}

type WorkspaceMatches = { 'routes/w.$workspace': typeof workspaceLoader };

/** <title> of a workspace page: 'Channels · Acme · Leadpath'. */
export function sectionMeta(path: SectionPath): MetaFunction<unknown, WorkspaceMatches> {
  return ({ matches }) => {
    const layout = matches.find((m) => m.id === 'routes/w.$workspace');
    return [{ title: pageTitle(getSection(path).label, layout?.data?.workspace.name) }];
  };
}
