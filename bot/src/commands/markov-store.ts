import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../observe/log.js';
import { MarkovChain, type MarkovLimits } from './markov-chain.js';

/** Load the chain from `file`; a missing file is a fresh start, a broken one is set aside and logged. */
export async function loadMarkov(file: string, limits: MarkovLimits, log: Logger): Promise<MarkovChain> {
  const chain = new MarkovChain(limits);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('cannot read markov state, starting empty', { file, error: err });
    return chain;
  }
  try {
    chain.restore(JSON.parse(text));
    log.info('markov state loaded', { file, states: chain.size });
  } catch (err) {
    const aside = `${file}.corrupt-${Date.now()}`;
    log.warn('markov state unreadable, set aside, starting empty', { file, aside, error: err });
    await rename(file, aside).catch(() => {});
  }
  return chain;
}

/** Write atomically (temp file, then rename) so a crash mid-save keeps the previous state. */
export async function saveMarkov(file: string, chain: MarkovChain): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(chain.snapshot()));
  await rename(tmp, file);
}
