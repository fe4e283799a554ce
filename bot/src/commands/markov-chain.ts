// A word-pair (order 2) markov chain trained on channel chat. Bounded: at
// most `maxStates` word pairs (the least recently trained are forgotten
// first) and `maxChoices` next words per pair (the rarest is replaced), so
// its memory and its file on disk stop growing however long the bot runs.

const SEP = '\u0001';
const EDGE = '\u0002'; // before the first word and after the last

export interface MarkovLimits {
  maxStates: number;
  maxChoices: number;
  maxWords: number;
}

export interface MarkovSnapshot {
  version: 1;
  states: [string, [string, number][]][];
}

export class MarkovChain {
  readonly #states = new Map<string, Map<string, number>>();

  constructor(
    private readonly limits: MarkovLimits,
    private readonly random: () => number = Math.random,
  ) {}

  get size(): number {
    return this.#states.size;
  }

  train(line: string): void {
    const words = line.split(/\s+/).filter((w) => w.length > 0 && w.length <= 64);
    if (words.length < 2) return;
    const seq = [EDGE, EDGE, ...words.slice(0, 64), EDGE];
    for (let i = 2; i < seq.length; i++) this.#add(seq[i - 2] + SEP + seq[i - 1], seq[i] as string);
  }

  generate(seed?: string): string {
    let [a, b] = [EDGE, EDGE];
    const out: string[] = [];
    if (seed) {
      const start = this.#findStart(seed);
      if (!start) return '';
      [a, b] = start;
      if (a !== EDGE) out.push(a);
      out.push(b);
    }
    while (out.length < this.limits.maxWords) {
      const next = this.#pick(a + SEP + b);
      if (next === undefined || next === EDGE) break;
      out.push(next);
      [a, b] = [b, next];
    }
    return out.join(' ');
  }

  snapshot(): MarkovSnapshot {
    return { version: 1, states: [...this.#states].map(([k, m]) => [k, [...m]]) };
  }

  /** Replace the chain with a saved one, applying the current limits. Throws on a malformed snapshot. */
  restore(snap: unknown): void {
    const s = snap as Partial<MarkovSnapshot>;
    if (s?.version !== 1 || !Array.isArray(s.states)) throw new Error('not a markov snapshot (version 1)');
    this.#states.clear();
    for (const entry of s.states.slice(-this.limits.maxStates)) {
      const [key, choices] = entry;
      if (typeof key !== 'string' || !Array.isArray(choices)) throw new Error('malformed markov state');
      const m = new Map<string, number>();
      for (const [w, n] of choices.slice(0, this.limits.maxChoices)) {
        if (typeof w === 'string' && typeof n === 'number' && n > 0) m.set(w, n);
      }
      if (m.size > 0) this.#states.set(key, m);
    }
  }

  #add(key: string, word: string): void {
    let choices = this.#states.get(key);
    if (choices) {
      this.#states.delete(key); // re-insert: most recently trained last
    } else {
      choices = new Map();
      if (this.#states.size >= this.limits.maxStates) this.#states.delete(this.#states.keys().next().value as string);
    }
    this.#states.set(key, choices);
    const count = choices.get(word);
    if (count !== undefined) {
      choices.set(word, count + 1);
      return;
    }
    if (choices.size >= this.limits.maxChoices) {
      let rarest: string | undefined;
      let min = Infinity;
      for (const [w, n] of choices) if (n < min) [rarest, min] = [w, n];
      if (rarest !== undefined) choices.delete(rarest);
    }
    choices.set(word, 1);
  }

  #pick(key: string): string | undefined {
    const choices = this.#states.get(key);
    if (!choices) return undefined;
    let total = 0;
    for (const n of choices.values()) total += n;
    let r = this.random() * total;
    for (const [w, n] of choices) {
      r -= n;
      if (r < 0) return w;
    }
    return undefined;
  }

  #findStart(seed: string): [string, string] | undefined {
    const want = seed.toLowerCase();
    if (this.#states.has(EDGE + SEP + EDGE)) {
      for (const w of this.#states.get(EDGE + SEP + EDGE)!.keys()) if (w.toLowerCase() === want) return [EDGE, w];
    }
    for (const key of this.#states.keys()) {
      const [a, b] = key.split(SEP) as [string, string];
      if (a !== EDGE && a.toLowerCase() === want && b !== EDGE) return [a, b];
    }
    return undefined;
  }
}
