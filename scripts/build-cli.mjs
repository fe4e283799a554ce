// Bundles the rosey-apply CLI into dist/cli/ with esbuild: one ESM file to
// load instead of ~300 modules (Node spends most of a bare start resolving
// and compiling modules), plus chunks for what only some runs need (the TTY
// view, the dashboard client...), loaded on first use. Run by `npm run build`.
// Usage: node scripts/build-cli.mjs
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: { 'rosey-apply': join(root, 'src', 'cli', 'main.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __roseyCreateRequire } from 'node:module'; const require = __roseyCreateRequire(import.meta.url);" },
  // Left in node_modules: ssh2 finds its optional native crypto binding by
  // __dirname, better-sqlite3 is a native addon, and ajv is required only
  // when a value fails validation (src/playbook/schema-check.ts).
  external: ['ssh2', 'better-sqlite3', 'ajv'],
});
process.stdout.write(`built ${join(outdir, 'rosey-apply.mjs')}\n`);
