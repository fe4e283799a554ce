import type { TestProject } from 'vitest/node';
import { down, up, type TestbedHost } from '../../scripts/testbed/api.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testbedHosts: TestbedHost[];
  }
}

const keep = process.env.ROSEY_TESTBED_KEEP === '1';
const log = (line: string) => console.error(line);

async function teardown(): Promise<void> {
  if (keep) {
    log('testbed: left up (ROSEY_TESTBED_KEEP=1); `npm run testbed -- down` removes it');
    return;
  }
  await down(log);
}

/**
 * Boots the testbed once for the integration project and always takes it
 * down again: after the run, when booting fails half-way, and on Ctrl-C.
 * The dist is built by `npm test` before vitest starts, not here.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const onSignal = (sig: NodeJS.Signals) => {
    void teardown().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    project.provide('testbedHosts', await up(3, log));
  } catch (e) {
    await teardown();
    throw e;
  }
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await teardown();
  };
}
