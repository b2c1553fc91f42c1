import type { z } from 'zod';

/** One line per problem: "--flag: reason". */
export function formatZodError(error: z.ZodError, flagNames: Record<string, string> = {}): string {
  return error.issues
    .map((i) => {
      const key = String(i.path[0] ?? '');
      const flag = flagNames[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      return `${flag}: ${i.message}`;
    })
    .join('\n');
}
