import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AnyHostModule } from '../../../src/modules/types.js';
import { getModule } from '../../../src/modules/registry.js';

/** One scenario every host module must pass (see conformance.test.ts). Paths are made inside a fresh temp dir. */
export interface ModuleCase {
  name: string;
  module: AnyHostModule;
  args(dir: string): Record<string, unknown>;
  setup?(dir: string): Promise<void>;
  vars?: Record<string, unknown>;
  /** files (relative to the temp dir) replaced or removed: their old content must be in the run's backup */
  backsUp?: Record<string, string>;
  /** the paths the host reports backed up, when not the keys of backsUp (a folder removed whole) */
  reportsBackups?: string[];
  /** more paths backed up whose content is not text (links, binaries): only their backup's existence is checked */
  alsoBacksUp?: string[];
  /** paths (relative to the temp dir) the apply must report as created */
  creates?: string[];
  /** a module that only reads (stat, wait_for): its plan is always empty; `result` checks what it registers */
  probe?: { result(dir: string, output: Record<string, unknown>): void };
  /** needs root (chown) */
  root?: boolean;
  /** what the host looks like after apply */
  after?(dir: string): Promise<void>;
}

const mod = (name: string): AnyHostModule => {
  const m = getModule(name);
  if (m?.kind !== 'host') throw new Error(`no host module ${name}`);
  return m;
};

const text = (dir: string, rel: string): Promise<string> => readFile(join(dir, rel), 'utf8');
const modeOf = async (dir: string, rel: string): Promise<string> => ((await lstat(join(dir, rel))).mode & 0o7777).toString(8);

const put = (dir: string, rel: string, text: string): Promise<void> => writeFile(join(dir, rel), text);

// Names with spaces, quotes, `$` and newlines: quoting is part of every case.
const ODD = "we'ird $name\nx.conf";

export const CASES: ModuleCase[] = [
  { name: 'file: creates a directory with parents and mode', module: mod('file'), args: (d) => ({ path: join(d, 'a/b c/d'), state: 'directory', mode: '0750' }),
    after: async (d) => expect(await modeOf(d, 'a/b c/d')).toBe('750'),
  },
  { name: 'file: touch creates an empty file with an odd name', module: mod('file'), args: (d) => ({ path: join(d, ODD), state: 'touch', mode: 0o600.toString(8) }), creates: [ODD] },
  {
    name: 'file: mode-only change on an existing file',
    module: mod('file'),
    setup: (d) => put(d, 'f', 'x\n'),
    args: (d) => ({ path: join(d, 'f'), mode: 'u=rw,g=,o=' }),
  },
  {
    name: 'file: owner and group change',
    module: mod('file'),
    root: true,
    setup: (d) => put(d, 'f', 'x\n'),
    args: (d) => ({ path: join(d, 'f'), owner: 'nobody', group: 65534 }),
  },
  {
    name: 'file: absent removes a file (backed up)',
    module: mod('file'),
    setup: (d) => put(d, 'gone', 'old content\n'),
    args: (d) => ({ path: join(d, 'gone'), state: 'absent' }),
    backsUp: { gone: 'old content\n' },
  },
  {
    name: 'file: absent removes a directory tree',
    module: mod('file'),
    setup: async (d) => {
      await mkdir(join(d, 't/u'), { recursive: true });
      await put(d, 't/u/f', 'deep\n');
    },
    args: (d) => ({ path: join(d, 't'), state: 'absent' }),
    backsUp: { 't/u/f': 'deep\n' },
    reportsBackups: ['t'],
  },
  { name: 'file: link to a target', module: mod('file'), args: (d) => ({ path: join(d, 'current'), src: 'releases/1 $x' }), creates: ['current'],
    after: async (d) => expect(await readlink(join(d, 'current'))).toBe('releases/1 $x'),
  },
  {
    name: 'file: link retarget',
    module: mod('file'),
    setup: (d) => symlink('releases/1', join(d, 'current')),
    args: (d) => ({ path: join(d, 'current'), state: 'link', src: 'releases/2' }),
    alsoBacksUp: ['current'],
  },
  {
    name: 'file: force replaces a file with a link (backed up)',
    module: mod('file'),
    setup: (d) => put(d, 'l', 'was a file\n'),
    args: (d) => ({ path: join(d, 'l'), state: 'link', src: '/etc/hostname', force: true }),
    backsUp: { l: 'was a file\n' },
  },
  {
    name: 'file: recurse sets attributes below',
    module: mod('file'),
    setup: async (d) => {
      await mkdir(join(d, 'r/s'), { recursive: true });
      await put(d, 'r/s/f', 'x');
    },
    args: (d) => ({ path: join(d, 'r'), state: 'directory', mode: '0700', recurse: true }),
  },
  { name: 'copy: content to a new file', module: mod('copy'), args: (d) => ({ dest: join(d, ODD), content: "it's $HOME `x`\n", mode: '0640' }), creates: [ODD],
    after: async (d) => {
      expect(await text(d, ODD)).toBe("it's $HOME `x`\n");
      expect(await modeOf(d, ODD)).toBe('640');
    },
  },
  {
    name: 'copy: replaces different content (backed up)',
    module: mod('copy'),
    setup: (d) => put(d, 'c.txt', 'old\n'),
    args: (d) => ({ dest: join(d, 'c.txt'), content: 'new\n' }),
    backsUp: { 'c.txt': 'old\n' },
  },
  { name: 'copy: src from files/ into a directory', module: mod('copy'), setup: (d) => mkdir(join(d, 'etc')), args: (d) => ({ src: 'motd.txt', dest: join(d, 'etc') + '/' }),
    after: async (d) => expect(await text(d, 'etc/motd.txt')).toBe('from the files folder\n'),
  },
  {
    name: 'copy: binary content via src replaces a link',
    module: mod('copy'),
    setup: async (d) => {
      await put(d, 'target', 'target\n');
      await symlink('target', join(d, 'bin.dat'));
    },
    args: (d) => ({ content: 'not binary but via link', dest: join(d, 'bin.dat') }),
    alsoBacksUp: ['bin.dat'],
  },
  {
    name: 'copy: replaces a binary file over 1 MiB (backed up, though no diff can show it)',
    module: mod('copy'),
    setup: (d) => writeFile(join(d, 'big.bin'), Buffer.concat([Buffer.from([0, 255, 0]), randomBytes(1_200_000)])),
    args: (d) => ({ content: 'small now\n', dest: join(d, 'big.bin') }),
    alsoBacksUp: ['big.bin'],
  },
  {
    name: 'template: renders with variables and validates',
    module: mod('template'),
    vars: { port: 8080, name: "o'brien $x" },
    args: (d) => ({ src: 'app.conf.hbs', dest: join(d, 'app.conf'), mode: '0600', validate: 'grep -q listen %s' }),
    after: async (d) => expect(await text(d, 'app.conf')).toBe("listen 8080\nname o'brien $x\n"),
  },
  {
    name: 'lineinfile: replaces the line a regexp matches (backed up)',
    module: mod('lineinfile'),
    setup: (d) => put(d, 'sshd_config', 'Port 22\nPermitRootLogin yes\nUsePAM yes\n'),
    args: (d) => ({ path: join(d, 'sshd_config'), regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' }),
    after: async (d) => expect(await text(d, 'sshd_config')).toBe('Port 22\nPermitRootLogin no\nUsePAM yes\n'),
    backsUp: { sshd_config: 'Port 22\nPermitRootLogin yes\nUsePAM yes\n' },
  },
  {
    name: 'lineinfile: creates a file with the line',
    module: mod('lineinfile'),
    args: (d) => ({ path: join(d, ODD), line: 'a=$b', create: true, mode: '0644' }),
  },
  {
    name: 'lineinfile: removes lines',
    module: mod('lineinfile'),
    setup: (d) => put(d, 'hosts', 'a\nbad 1\nb\nbad 2'),
    args: (d) => ({ path: join(d, 'hosts'), regexp: '^bad', state: 'absent' }),
    backsUp: { hosts: 'a\nbad 1\nb\nbad 2' },
    after: async (d) => expect(await text(d, 'hosts')).toBe('a\nb\n'),
  },
  {
    name: 'command: creates skips it the second time',
    module: mod('command'),
    args: (d) => ({ argv: ['touch', join(d, "made it's $x")], creates: join(d, "made it's $x") }),
  },
  {
    name: 'command: removes in chdir',
    module: mod('command'),
    setup: (d) => put(d, 'flag', ''),
    args: (d) => ({ cmd: 'rm flag', chdir: d, removes: 'flag' }),
  },
  {
    name: 'shell: pipes and redirections, with creates',
    module: mod('shell'),
    args: (d) => ({ cmd: `echo "hi  there" | tr a-z A-Z > out.txt`, chdir: d, creates: 'out.txt' }),
    after: async (d) => expect(await text(d, 'out.txt')).toBe('HI  THERE\n'),
  },
  {
    name: 'copy: a folder src (no trailing slash) lands as dest/<name>, files and subfolders',
    module: mod('copy'),
    args: (d) => ({ src: 'app', dest: d, mode: '0640' }),
    creates: ['app', 'app/static', 'app/index.txt', 'app/static/site.css'],
    after: async (d) => {
      expect(await text(d, 'app/static/site.css')).toBe('body{}\n');
      expect(await modeOf(d, 'app/index.txt')).toBe('640');
    },
  },
  {
    name: 'copy: a folder src with a trailing slash copies its content, replacing a changed file (backed up)',
    module: mod('copy'),
    setup: async (d) => {
      await mkdir(join(d, 'www'));
      await put(d, 'www/index.txt', 'old index\n');
    },
    args: (d) => ({ src: 'app/', dest: join(d, 'www') }),
    backsUp: { 'www/index.txt': 'old index\n' },
    after: async (d) => expect(await text(d, 'www/index.txt')).toBe('v1 of the app\n'),
  },
  {
    name: 'release: uploads a folder as releases/<id> and points current at it',
    module: mod('release'),
    args: (d) => ({ src: 'app', base: join(d, 'srv app'), id: 'v1' }),
    creates: ['srv app/releases/v1'],
    after: async (d) => {
      expect(await readlink(join(d, 'srv app/current'))).toBe('releases/v1');
      expect(await text(d, 'srv app/current/static/site.css')).toBe('body{}\n');
    },
  },
  {
    name: 'release: a new release replaces current (the old link backed up) and old ones beyond keep go',
    module: mod('release'),
    setup: async (d) => {
      for (const id of ['r1', 'r2', 'r3']) {
        await mkdir(join(d, 'app/releases', id), { recursive: true });
        await new Promise((r) => setTimeout(r, 20));
      }
      await symlink('releases/r3', join(d, 'app/current'));
    },
    args: (d) => ({ src: 'app', base: join(d, 'app'), keep: 2 }),
    alsoBacksUp: ['app/current'],
    after: async (d) => {
      const { readdir } = await import('node:fs/promises');
      // keep 2: the new one and r3 (the previous, kept anyway); r1 and r2 removed
      expect((await readdir(join(d, 'app/releases'))).filter((n) => !n.startsWith('.')).length).toBe(2);
      expect(await readlink(join(d, 'app/current'))).toMatch(/^releases\/[0-9a-f]{12}$/);
    },
  },
  {
    name: 'release: rollback to a named release flips current back',
    module: mod('release'),
    setup: async (d) => {
      for (const id of ['r1', 'r2']) await mkdir(join(d, 'app/releases', id), { recursive: true });
      await symlink('releases/r2', join(d, 'app/current'));
    },
    args: (d) => ({ base: join(d, 'app'), state: 'rollback', id: 'r1' }),
    alsoBacksUp: ['app/current'],
    after: async (d) => expect(await readlink(join(d, 'app/current'))).toBe('releases/r1'),
  },
  {
    name: 'stat: registers what is at a path, changes nothing',
    module: mod('stat'),
    setup: (d) => put(d, 's.txt', 'abc'),
    args: (d) => ({ path: join(d, 's.txt') }),
    probe: {
      result: (_d, out) => expect(out.stat).toMatchObject({ exists: true, isreg: true, size: 3, checksum: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' }),
    },
  },
  {
    name: 'wait_for: a line in a file (already there), registers the time waited',
    module: mod('wait_for'),
    setup: (d) => put(d, 'log', 'starting\nlistening on 8080\n'),
    args: (d) => ({ path: join(d, 'log'), search_regex: 'listening on [0-9]+', timeout: 5 }),
    probe: { result: (_d, out) => expect(out.elapsed).toBeGreaterThanOrEqual(0) },
  },
];
