import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// VERSION is read at run time so a release can be told apart by its files.
// The file sits beside the bundle (bot/dist/VERSION, copied by the build) or
// a level or two above the module (bot/VERSION from bot/src or dist/bot/src).
export function readVersion(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (let i = 0; i < 4; i++) {
    for (const candidate of [join(dir, 'VERSION'), join(dir, 'bot', 'VERSION')]) {
      if (existsSync(candidate)) return readFileSync(candidate, 'utf8').trim();
    }
    dir = dirname(dir);
  }
  return '0.0.0-unknown';
}
