import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The page's files live in `src/dashboard/public` and are not copied by
 * `tsc`, so both `src/dashboard/*.ts` (tsx, tests) and the built
 * `dist/src/dashboard/*.js` find them from the package root.
 */
export function publicDir(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src', 'dashboard', 'public');
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(from)}`);
    dir = parent;
  }
}
