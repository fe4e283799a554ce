import { joinCmds, raw, sh, type Cmd } from '../transport/quote.js';
import type { Fact } from './types.js';
import { keyValues } from './parse.js';

export interface WaitOutcome {
  reached: boolean;
  elapsed: number;
}

/** What to wait for, as a shell test that succeeds when it holds. */
export type WaitCondition =
  | { kind: 'port'; host: string; port: number; open: boolean; connectTimeout: number }
  | { kind: 'path'; path: string; present: boolean; regex?: string };

function test(c: WaitCondition): Cmd {
  if (c.kind === 'port') {
    // bash's /dev/tcp: the host has no python and maybe no nc; bash is essential on Debian
    const probe = sh`timeout ${c.connectTimeout} bash -c ${`: > /dev/tcp/${c.host}/${c.port}`} 2>/dev/null`;
    return c.open ? probe : sh`! ${probe}`;
  }
  if (!c.present) return sh`[ ! -e ${c.path} ]`;
  return c.regex === undefined ? sh`[ -e ${c.path} ]` : sh`grep -Eq -- ${c.regex} ${c.path} 2>/dev/null`;
}

/**
 * Polls on the host, in one command, until the condition holds or `timeout`
 * seconds pass: one round trip however long the wait.
 */
export function waitFact(c: WaitCondition, opts: { timeout: number; delay: number; sleep: number }): Fact<WaitOutcome> {
  return {
    command: joinCmds(
      [
        sh`start=$(date +%s); sleep ${opts.delay}; end=$((start + ${opts.timeout}))`,
        sh`while :; do if ${test(c)}; then r=1; break; fi; [ "$(date +%s)" -lt "$end" ] || { r=0; break; }; sleep ${opts.sleep}; done`,
        raw('echo "reached=$r"; echo "elapsed=$(( $(date +%s) - start ))"'),
      ],
      '\n',
    ),
    parse(stdout) {
      const kv = keyValues(stdout);
      return { reached: kv.get('reached') === '1', elapsed: Number(kv.get('elapsed') ?? '0') };
    },
  };
}
