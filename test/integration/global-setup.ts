import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { down, up, type TestbedHost } from '../../scripts/testbed/api.js';
import { REPO_ROOT } from '../../scripts/testbed/config.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testbedHosts: TestbedHost[];
  }
}

const keep = process.env.ROSEY_TESTBED_KEEP === '1';
const log = (line: string) => console.error(line);
let tornDown = false;

async function teardown(): Promise<void> {
  if (tornDown) return;
  tornDown = true;
  if (keep) {
    log('testbed: left up (ROSEY_TESTBED_KEEP=1); `npm run testbed -- down` removes it');
    return;
  }
  await down(log);
}

/**
 * On Ctrl-C vitest exits the process itself, before an async teardown could
 * finish; an exit hook can still run `testbed down` synchronously.
 */
function downOnExit(): void {
  if (tornDown || keep) return;
  tornDown = true;
  spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/testbed/main.ts'), 'down'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
}

/**
 * Boots the testbed once for the integration project and always takes it
 * down again: after the run, when booting fails half-way, and on Ctrl-C.
 * The dist is built by `npm test` before vitest starts, not here.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.once('exit', downOnExit);
  try {
    project.provide('testbedHosts', await up(3, log));
  } catch (e) {
    await teardown();
    throw e;
  }
  return async () => {
    await teardown();
    process.off('exit', downOnExit);
  };
}
