// Bundle the bot into one file that runs with plain `node` (18 or later) and
// no node_modules: the deploy targets run Debian's Node 18 without internet.
// Usage: node bot/scripts/build.mjs [--outfile path]
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const botDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outfile: { type: 'string', default: join(botDir, 'dist', 'rosey-bot.mjs') } } });
const outfile = resolve(values.outfile);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'esm',
  // Whitespace only: drops comments (some hold lint directives for their own repos), keeps names readable in stack traces.
  minifyWhitespace: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (express, ajv...) call require(); give the ESM bundle one.
  // eslint-disable: the repo's lint runs over bot/, and a generated bundle is not ours to lint.
  banner: { js: "/* eslint-disable */\nimport { createRequire as __roseyCreateRequire } from 'node:module'; const require = __roseyCreateRequire(import.meta.url);" },
  // Optional native speed-ups of ws/engine.io; the pure JS fallback is used when absent.
  external: ['bufferutil', 'utf-8-validate'],
};
await build({ ...common, entryPoints: [join(botDir, 'src', 'main.ts')], outfile });
// The chat smoke test of playbooks/verify.yml ships with the release, so it
// runs on the bot's host, over the bot's own network path, with no
// dependencies on the host or the controller.
await build({ ...common, entryPoints: [join(botDir, 'testing', 'chat-smoke.ts')], outfile: join(dirname(outfile), 'chat-smoke.mjs') });
mkdirSync(dirname(outfile), { recursive: true });
copyFileSync(join(botDir, 'VERSION'), join(dirname(outfile), 'VERSION'));
process.stdout.write(`built ${outfile}\n`);
