import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../../src/vars/did-you-mean.js';

describe('did you mean', () => {
  it('measures edits, counting a swapped pair as one', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the closest plausible candidate', () => {
    expect(suggest('webserver', ['dbservers', 'webservers', 'all'])).toBe('webservers');
    expect(suggest('app_prot', ['app_port', 'app_dir'])).toBe('app_port');
    expect(suggest('WEB', ['web', 'db'])).toBe('web');
  });

  it('stays quiet when nothing is close', () => {
    expect(suggest('zzz', ['web', 'db'])).toBeUndefined();
    expect(suggest('x', [])).toBeUndefined();
    expect(suggest('web', ['web'])).toBeUndefined();
  });
});

describe('did you mean: ties', () => {
  it('prefers the candidate sharing more letters, then the first', () => {
    expect(suggest('taks', ['tags', 'tasks'])).toBe('tasks');
    expect(suggest('wbe', ['web', 'wbx'])).toBe('web');
    expect(suggest('ab', ['ac', 'ad'])).toBe('ac');
  });
});
