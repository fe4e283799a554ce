import { sh } from '../transport/quote.js';
import type { Fact } from './types.js';

export interface ReleaseFacts {
  /** the release `<base>/current` points to (its folder name), when it is a link into releases/ */
  current?: string;
  /** release folder names, newest first (by the time they were deployed) */
  releases: string[];
}

/** `<base>/current` and `<base>/releases/*` in one command; release names are plain words (checked by the module). */
export function releaseFact(base: string): Fact<ReleaseFacts> {
  return {
    command: sh`b=${base}; if [ -L "$b/current" ]; then printf 'current=%s\n' "$(readlink -- "$b/current")"; fi; echo releases:; ls -1t -- "$b/releases" 2>/dev/null || true`,
    parse(stdout) {
      const [head = '', list = ''] = stdout.split('releases:\n');
      const target = /^current=(.*)$/m.exec(head)?.[1];
      const current = target?.replace(/\/+$/, '').split('/').pop();
      return { ...(current ? { current } : {}), releases: list.split('\n').filter(Boolean) };
    },
  };
}
