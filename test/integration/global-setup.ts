import type { TestProject } from 'vitest/node';
import { down, downAtExit, up, type TestbedHost } from '../../scripts/testbed/api.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testbedHosts: TestbedHost[];
  }
}

const keep = process.env.ROSEY_TESTBED_KEEP === '1';
const log = (line: string) => console.error(line);
let tornDown = false;
/** On Ctrl-C vitest exits the process itself, before an async teardown could finish: the exit hook takes the testbed down then. */
let cancelExitHook = (): void => undefined;

async function teardown(): Promise<void> {
  if (tornDown) return;
  tornDown = true;
  if (keep) {
    log('testbed: left up (ROSEY_TESTBED_KEEP=1); `npm run testbed -- down` removes it');
    return;
  }
  await down(log);
  cancelExitHook();
}

/**
 * Boots the testbed once for the integration project and always takes it
 * down again: after the run, when booting fails half-way, and on Ctrl-C.
 * The dist is built by `npm test` before vitest starts, not here.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!keep) cancelExitHook = downAtExit();
  try {
    project.provide('testbedHosts', await up(3, log));
  } catch (e) {
    await teardown();
    throw e;
  }
  return teardown;
}
