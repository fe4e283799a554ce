// Malformed CyTube events for the fuzz test, each one broken by construction
// against the shape the real server sends (so the test knows how many the
// bot must drop), from a seeded generator so a failure can be replayed.

/** mulberry32: a tiny seeded PRNG; Math.random cannot be seeded. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';
type Field = [name: string, kind: Kind];

/** The events the bot reads, a valid payload of each, and the fields that must be there with their types. */
const SHAPES: Record<string, { valid: () => unknown; kind: Kind; required: Field[] }> = {
  chatMsg: { valid: () => ({ username: 'alice', msg: 'hi', meta: {}, time: Date.now() }), kind: 'object', required: [['username', 'string'], ['msg', 'string'], ['time', 'number']] },
  pm: { valid: () => ({ username: 'alice', msg: 'hi', meta: {}, time: Date.now(), to: 'RoseyBot' }), kind: 'object', required: [['username', 'string'], ['msg', 'string'], ['time', 'number'], ['to', 'string']] },
  login: { valid: () => ({ success: true, name: 'RoseyBot' }), kind: 'object', required: [['success', 'boolean'], ['name', 'string']] },
  addUser: { valid: () => ({ name: 'mallory', rank: 1, meta: {} }), kind: 'object', required: [['name', 'string'], ['rank', 'number']] },
  userLeave: { valid: () => ({ name: 'alice' }), kind: 'object', required: [['name', 'string']] },
  changeMedia: { valid: () => ({ id: 'x', title: 't', type: 'yt', seconds: 1 }), kind: 'object', required: [['id', 'string'], ['title', 'string'], ['type', 'string']] },
  errorMsg: { valid: () => ({ msg: 'oops' }), kind: 'object', required: [['msg', 'string']] },
  noflood: { valid: () => ({ action: 'chat', msg: 'You have been muted on this channel.' }), kind: 'object', required: [['action', 'string'], ['msg', 'string']] },
  spamFiltered: { valid: () => ({ reason: 'NEW_USER_CHAT' }), kind: 'object', required: [['reason', 'string']] },
  setUserMeta: { valid: () => ({ name: 'RoseyBot', meta: { muted: true } }), kind: 'object', required: [['name', 'string'], ['meta', 'object']] },
  userlist: { valid: () => [{ name: 'mallory', rank: 1 }], kind: 'array', required: [] },
  usercount: { valid: () => 7, kind: 'number', required: [] },
  rank: { valid: () => 1, kind: 'number', required: [] },
  cooldown: { valid: () => 100, kind: 'number', required: [] },
  setMotd: { valid: () => 'motd', kind: 'string', required: [] },
  needPassword: { valid: () => false, kind: 'boolean', required: [] },
};

export const FUZZED_EVENTS = Object.keys(SHAPES);

export interface FuzzEvent {
  event: string;
  /** Absent: the event is sent with no payload at all. */
  args: unknown[];
  /** True when the bot must drop and count it. */
  bad: boolean;
}

export function fuzzEvents(seed: number, count: number): FuzzEvent[] {
  const rnd = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const out: FuzzEvent[] = [];
  for (let i = 0; i < count; i++) {
    const roll = rnd();
    // Now and then something harmless: an event the bot does not read, or a plain chat line.
    if (roll < 0.05) out.push({ event: `noSuchEvent${i % 7}`, args: [wrongValue(rnd, 'object')], bad: false });
    else if (roll < 0.1) out.push({ event: 'chatMsg', args: [{ username: 'alice', msg: `chatter ${i}`, meta: {}, time: Date.now() }], bad: false });
    else {
      const event = pick(FUZZED_EVENTS);
      out.push({ event, args: broken(rnd, event), bad: true });
    }
  }
  return out;
}

/** A payload for `event` that the real server would never send: truncated, retyped or missing. */
function broken(rnd: () => number, event: string): unknown[] {
  const shape = SHAPES[event]!;
  const valid = shape.valid();
  const how = Math.floor(rnd() * 5);
  if (how === 0) return [];
  if (how === 1 && shape.kind !== 'string') return [JSON.stringify(valid).slice(0, Math.floor(rnd() * 12))]; // a frame cut short
  if (how === 2 || shape.required.length === 0) {
    if (shape.kind === 'array') return rnd() < 0.5 ? [wrongValue(rnd, 'array')] : [[...(valid as unknown[]), wrongValue(rnd, 'object')]];
    return [wrongValue(rnd, shape.kind)];
  }
  const [field, kind] = shape.required[Math.floor(rnd() * shape.required.length)]!;
  const obj = { ...(valid as Record<string, unknown>) };
  if (how === 3) delete obj[field];
  else obj[field] = wrongValue(rnd, kind);
  return [obj];
}

/** Any value that is not of `kind`: NaN-looking strings, nulls, nested junk. */
function wrongValue(rnd: () => number, kind: Kind): unknown {
  const candidates: [Kind | 'null', () => unknown][] = [
    ['string', () => ['NaN', '', '12', 'x'.repeat(Math.floor(rnd() * 400)), '\u0000<script>'][Math.floor(rnd() * 5)]],
    ['number', () => [-1.5, 1e308, -0, 42][Math.floor(rnd() * 4)]],
    ['boolean', () => rnd() < 0.5],
    ['null', () => null],
    ['object', () => ({ nested: { deeper: [1, 'two', null] } })],
    ['array', () => [null, 'a', { b: 1 }]],
  ];
  const others = candidates.filter(([k]) => k !== kind);
  return others[Math.floor(rnd() * others.length)]![1]();
}
