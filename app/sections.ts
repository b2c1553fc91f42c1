// The dashboard's pages, in navigation order. `path` is the URL segment
// after /w/:workspace ('' is the overview). The workspace switcher keeps the
// reader on the same section, and only these paths are accepted there.
export const SECTIONS = [
  {
    path: '',
    label: 'Overview',
    summary: 'Key numbers for the chosen period at a glance.',
  },
  {
    path: 'channels',
    label: 'Channels',
    summary: 'Spend, sessions, leads, cost per lead and return on ad spend for every channel and campaign.',
  },
  {
    path: 'funnel',
    label: 'Funnel',
    summary: 'How sessions become leads and leads become sales, stage by stage, with drop-off between stages.',
  },
  {
    path: 'attribution',
    label: 'Paths & attribution',
    summary: 'The touchpoints before each lead and the credit every channel earns under different attribution models.',
  },
  {
    path: 'calls',
    label: 'Calls',
    summary: 'Tracked calls: answered and missed, first-time and repeat callers, and where the callers came from.',
  },
  {
    path: 'managers',
    label: 'Managers',
    summary: 'Leads, calls, response and conversion for each sales manager.',
  },
  {
    path: 'leads',
    label: 'Leads',
    summary: 'Every lead with its source, stage, outcome and amount, filterable and sortable.',
  },
  {
    path: 'forecast',
    label: 'Forecast',
    summary: 'A month-end projection of leads, sales and revenue from the pace so far.',
  },
  {
    path: 'plans',
    label: 'Plans',
    summary: 'Plan against actual for leads, budget, cost per lead, sales and revenue.',
  },
  {
    path: 'data',
    label: 'Data',
    summary: 'Imports, rejected rows and the health of the data behind every report.',
  },
] as const;

export type Section = (typeof SECTIONS)[number];
export type SectionPath = Section['path'];

export const SECTION_PATHS = SECTIONS.map((s) => s.path) as [SectionPath, ...SectionPath[]];

export function sectionHref(workspace: string, path: SectionPath): string {
  return path ? `/w/${workspace}/${path}` : `/w/${workspace}`;
}

export function getSection(path: SectionPath): Section {
  return SECTIONS.find((s) => s.path === path)!;
}
