import type { Role } from '../../db/schema';

/**
 * The permission matrix, in one place. Every loader, action, API route and CLI
 * command that touches a workspace asks for one of these permissions.
 *
 * - owner: everything, including users, API tokens and workspace settings.
 * - marketer: all reports, imports, plans, channel rules and pipeline.
 * - manager (a sales manager): reports restricted to their own leads (the
 *   manager filter is forced to their name), no spend or cost metrics, no
 *   other managers' leads, read-only.
 * - viewer: read-only reports, spend included.
 */
export const PERMISSIONS = [
  'reports:view',
  'spend:view',
  'leads:view_all',
  'data:import',
  'plans:edit',
  'rules:edit',
  'workspace:settings',
  'users:manage',
  'tokens:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES: readonly Role[] = ['owner', 'marketer', 'manager', 'viewer'];

const MATRIX: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  marketer: ['reports:view', 'spend:view', 'leads:view_all', 'data:import', 'plans:edit', 'rules:edit'],
  manager: ['reports:view'],
  viewer: ['reports:view', 'spend:view', 'leads:view_all'],
};

export function can(role: Role, permission: Permission): boolean {
  return MATRIX[role].includes(permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return MATRIX[role];
}
