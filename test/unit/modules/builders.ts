import { createHash } from 'node:crypto';
import type { FileState, PresentFile } from '../../../src/facts/file-state.js';

/** Facts as a host would report them, for plan tests (no I/O). */
export const missing: FileState = { exists: false };

const base = { exists: true as const, mode: '0644', owner: 'root', uid: 0, group: 'root', gid: 0 };

export function aFile(content = '', over: Partial<PresentFile> = {}): PresentFile {
  const bytes = Buffer.from(content, 'utf8');
  return { ...base, type: 'file', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), content, ...over };
}

export function aDir(over: Partial<PresentFile> = {}): PresentFile {
  return { ...base, type: 'directory', mode: '0755', size: 4096, ...over };
}

export function aLink(target: string, over: Partial<PresentFile> = {}): PresentFile {
  return { ...base, type: 'link', mode: '0777', size: target.length, linkTarget: target, ...over };
}
