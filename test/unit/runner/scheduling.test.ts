import { describe, expect, it } from 'vitest';
import { selectedByTags } from '../../../src/runner/tags.js';
import { mapLimit } from '../../../src/runner/limit.js';
import { parsePending, markPendingCmd } from '../../../src/runner/pending-handlers.js';
import { normalizeArgs } from '../../../src/playbook/args.js';
import { getModule } from '../../../src/modules/registry.js';

describe('tags', () => {
  it.each([
    [['deploy'], [], [], true],
    [['deploy'], ['deploy'], [], true],
    [['config'], ['deploy'], [], false],
    [['always'], ['deploy'], [], true],
    [['never'], [], [], false],
    [['never', 'debug'], ['debug'], [], true],
    [['deploy'], [], ['deploy'], false],
    [['always'], [], ['always'], false],
    [[], ['untagged'], [], true],
    [['x'], ['tagged'], [], true],
  ] as const)('task tags %j with --tags %j --skip-tags %j runs: %s', (task, tags, skip, expected) => {
    expect(selectedByTags(task, tags, skip)).toBe(expected);
  });
});

describe('forks', () => {
  it('never has more than n hosts in flight and keeps result order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (v) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, v));
      inFlight--;
      return v * 10;
    });
    expect(most).toBe(2);
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
  });
});

describe('pending handler marks', () => {
  it('round-trip handler names with spaces, slashes and quotes', () => {
    const names = ['restart app', 'reload nginx/ssl', "it's"];
    const cmd = markPendingCmd('web/1', names);
    const files = names.map((n) => encodeURIComponent(n));
    expect(files.every((f) => !f.includes('/'))).toBe(true);
    // kept per inventory host: two inventory names for one machine do not share marks
    expect(cmd.text).toContain('/var/lib/rosey/pending-handlers/web%2F1/reload%20nginx%2Fssl');
    expect(parsePending(files.join('\n') + '\n')).toEqual(names);
  });
});

describe('free-form module arguments', () => {
  it('keeps a command line whole and lifts creates=/chdir=', () => {
    expect(normalizeArgs(getModule('command')!, 'ls -l /tmp')).toEqual({ cmd: 'ls -l /tmp' });
    expect(normalizeArgs(getModule('shell')!, 'make install creates=/usr/bin/x')).toEqual({ cmd: 'make install', creates: '/usr/bin/x' });
  });
  it('reads key=value words for other modules, with quotes', () => {
    expect(normalizeArgs(getModule('copy')!, `dest=/etc/x content="a b"`)).toEqual({ dest: '/etc/x', content: 'a b' });
    expect(normalizeArgs(getModule('copy')!, 'dest=/etc/x "unbalanced')).toBeUndefined();
  });
});
