import { spawnSync } from 'node:child_process';
import { down, status, up } from './api.js';
import type { HostKind } from './config.js';
import { writeLocalInventory } from './local-inventory.js';

const usage = 'usage: npm run testbed -- up [N] [--python] [--light] | down [--all] | status | inventory';

async function main(argv: string[]): Promise<number> {
  // --python: the image variant with python3, for Ansible in bench/;
  // --light: sshd without systemd (config.ts HOST_KINDS), for scale
  const python = argv.includes('--python');
  const light = argv.includes('--light');
  const kind: HostKind = light ? (python ? 'light-python' : 'light') : python ? 'python' : 'base';
  const [cmd, arg] = argv.filter((a) => a !== '--python' && a !== '--light');
  switch (cmd) {
    case 'up': {
      const n = arg === undefined ? 3 : Number(arg);
      const list = await up(n, console.error, kind);
      for (const h of list) console.log(`${h.name}\t${h.address}\t${h.user}@ key ${h.keyPath}`);
      return 0;
    }
    case 'down':
      if (arg === '--all') return downEverySlot();
      await down();
      return 0;
    case 'status': {
      const list = await status();
      if (list.length === 0) console.log('testbed: down');
      for (const h of list) console.log(`${h.name}\t${h.address}\t${h.running ? 'running' : 'stopped'}\t${h.answers ? 'ssh answers' : 'no answer'}`);
      return list.every((h) => h.answers) ? 0 : 1;
    }
    case 'inventory':
      // inventory/local for this slot (ROSEY_TESTBED_SLOT): prints its directory
      console.log(writeLocalInventory());
      return 0;
    default:
      console.error(usage);
      return 1;
  }
}

/**
 * Every slot (ROSEY_TESTBED_SLOT, 0..9) taken down one by one, each by
 * `down` in its own process: a slot's names come from the environment when
 * the testbed loads, and `down` of an empty slot only looks and finds nothing.
 */
function downEverySlot(): number {
  let rc = 0;
  for (let slot = 0; slot <= 9; slot++) {
    const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, 'down'], { stdio: 'inherit', env: { ...process.env, ROSEY_TESTBED_SLOT: String(slot) } });
    if (r.status !== 0) rc = 1;
  }
  return rc;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`testbed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
