/**
 * The project checkout: the nearest folder above this module that holds a
 * package.json. Found by walking up rather than by a fixed number of `..`,
 * so it is the same from the TypeScript sources (src/…) and from the bundled
 * command line (.cache/cli/…).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findProjectRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return dirname(from);
    dir = up;
  }
}
