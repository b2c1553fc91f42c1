import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the Leadpath checkout (the folder holding package.json). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Local state: the embedded database, generated demo CSVs. Git-ignored. */
export const stateDir = process.env.LEADPATH_HOME
  ? path.resolve(process.env.LEADPATH_HOME)
  : path.join(projectRoot, '.leadpath');
