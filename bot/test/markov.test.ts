import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MarkovChain } from '../src/commands/markov-chain.js';
import { loadMarkov, saveMarkov } from '../src/commands/markov-store.js';
import { silentLogger } from '../src/observe/log.js';

const limits = { maxStates: 100, maxChoices: 4, maxWords: 10 };

describe('markov chain', () => {
  it('answers with a sentence it learned, starting from a given word', () => {
    const m = new MarkovChain(limits, () => 0);
    m.train('the cat sat on the mat');
    expect(m.generate()).toBe('the cat sat on the mat');
    expect(m.generate('cat')).toBe('cat sat on the mat');
    expect(m.generate('dog')).toBe('');
  });

  it('stays within its bounds however much chat it hears', () => {
    const m = new MarkovChain(limits);
    for (let i = 0; i < 5000; i++) m.train(`word${i % 977} follows word${(i * 7) % 131} and then word${i}`);
    expect(m.size).toBeLessThanOrEqual(100);
    for (const [, choices] of m.snapshot().states) expect(choices.length).toBeLessThanOrEqual(4);
    expect(m.generate().split(' ').length).toBeLessThanOrEqual(10);
  });

  it('survives a restart through its file, and sets a corrupt file aside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosey-markov-'));
    const file = join(dir, 'markov.json');
    const m = new MarkovChain(limits, () => 0);
    m.train('hello there friend');
    await saveMarkov(file, m);
    const back = await loadMarkov(file, limits, silentLogger);
    expect(back.generate()).toBe('hello there friend');
    writeFileSync(file, '{"version":1,"states":"nope"');
    const fresh = await loadMarkov(file, limits, silentLogger);
    expect(fresh.size).toBe(0);
    expect(readdirSync(dir).some((f) => f.startsWith('markov.json.corrupt-'))).toBe(true);
    expect(() => JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.includes('corrupt'))!), 'utf8'))).toThrow();
  });
});
