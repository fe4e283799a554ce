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
  /** more paths backed up whose content is not text (links, binaries): only their backup's existence is checked */
  alsoBacksUp?: string[];
  /** paths (relative to the temp dir) the apply must report as created */
  creates?: string[];
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
];
