import { Type, type Static } from '@sinclair/typebox';
import { waitFact, type WaitCondition, type WaitOutcome } from '../../facts/wait.js';
import { defineModule, ModuleFailure } from '../types.js';
import { STRICT } from '../args.js';

const Seconds = (description: string, dflt: number) => Type.Optional(Type.Integer({ minimum: 0, default: dflt, description }));

export const WaitForArgs = Type.Object(
  {
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'A TCP port to wait for (open with state started, closed with stopped).' })),
    host: Type.Optional(Type.String({ minLength: 1, default: '127.0.0.1', description: 'Where the port is, as seen from the host.' })),
    path: Type.Optional(Type.String({ minLength: 1, description: 'A file to wait for (present), or for its absence (absent).' })),
    search_regex: Type.Optional(Type.String({ minLength: 1, description: 'With path: wait until a line of the file matches this extended regex.' })),
    state: Type.Optional(
      Type.Union([Type.Literal('started'), Type.Literal('stopped'), Type.Literal('present'), Type.Literal('absent')], {
        default: 'started',
        description: 'started/present: until it is there; stopped/absent: until it is gone.',
      }),
    ),
    timeout: Seconds('Give up (the task fails) after this many seconds.', 300),
    delay: Seconds('Wait this long before the first check.', 0),
    sleep: Seconds('Seconds between checks.', 1),
    connect_timeout: Seconds('Seconds one connection attempt may take.', 5),
    msg: Type.Optional(Type.String({ description: 'The failure message on timeout.' })),
  },
  { ...STRICT, description: 'Wait for a port or a file.' },
);

type Args = Static<typeof WaitForArgs>;

interface WaitSpec {
  condition: WaitCondition;
  what: string;
  timeout: number;
  delay: number;
  sleep: number;
  msg?: string;
}

function prepare(a: Args): WaitSpec {
  if ((a.port === undefined) === (a.path === undefined)) throw new ModuleFailure('wait_for needs exactly one of "port" and "path"');
  const state = a.state ?? 'started';
  const gone = state === 'stopped' || state === 'absent';
  const base = { timeout: a.timeout ?? 300, delay: a.delay ?? 0, sleep: Math.max(1, a.sleep ?? 1), msg: a.msg };
  if (a.port !== undefined) {
    const host = a.host ?? '127.0.0.1';
    const condition: WaitCondition = { kind: 'port', host, port: a.port, open: !gone, connectTimeout: Math.max(1, a.connect_timeout ?? 5) };
    return { ...base, condition, what: `port ${host}:${a.port} to be ${gone ? 'closed' : 'open'}` };
  }
  if (gone && a.search_regex !== undefined) throw new ModuleFailure('wait_for: search_regex waits for a match, not for absence');
  const condition: WaitCondition = { kind: 'path', path: a.path!, present: !gone, regex: a.search_regex };
  return { ...base, condition, what: a.search_regex !== undefined ? `/${a.search_regex}/ in ${a.path}` : `${a.path} to be ${gone ? 'absent' : 'present'}` };
}

export const waitFor = defineModule({
  name: 'wait_for',
  description: 'Wait, on the host, until a TCP port is open or closed, a file exists or not, or a file contains a match; fail after `timeout`.',
  args: WaitForArgs,
  // nothing to plan: the wait is the point, and a dry run has nothing to wait for
  check: 'skip',
  prepare,
  facts: (s: WaitSpec) => waitFact(s.condition, s),
  plan(f: WaitOutcome, s: WaitSpec) {
    if (!f.reached) throw new ModuleFailure(s.msg ?? `timeout after ${s.timeout} s waiting for ${s.what}`, { data: { elapsed: f.elapsed } });
    return [];
  },
  result: (f: WaitOutcome) => ({ elapsed: f.elapsed }),
  apply: async () => undefined,
});
