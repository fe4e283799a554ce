import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { template } from '../../../src/modules/files/template.js';
import type { WantedFile } from '../../../src/modules/files/content.js';
import type { Task } from '../../../src/playbook/types.js';
import { prepareContext } from '../../../src/runner/prepare-context.js';
import { buildScope, extendScope, type Vars } from '../../../src/runner/scope.js';
import { userErrorOf } from '../user-error.js';

const dir = mkdtempSync(join(tmpdir(), 'rosey-template-file-'));
const task = { loc: { file: join(dir, 'play.yml'), line: 3, column: 7 } } as unknown as Task;
const scope = buildScope([{ name: 'play vars', vars: { app_root: '/srv/app', changed: 'c02', revision: 7 } }]);

/** What the template module would install for this scope: the rendered text. */
async function rendered(src: string, s: Vars): Promise<string> {
  const want = (await template.prepare!({ src, dest: '/etc/x.conf' }, prepareContext(task, s, dir))) as WantedFile;
  return Buffer.from(want.bytes).toString('utf8');
}

describe('the template module renders its source for each item and host', () => {
  it('one source, many items: each gets its own values (plain text and Handlebars blocks alike)', async () => {
    const src = join(dir, 'app.conf.hbs');
    writeFileSync(src, 'name = {{ item }}\nroot = {{ app_root }}\nrevision = {{#if (eq item changed)}}{{ revision }}{{else}}0{{/if}}\n');
    const out = await Promise.all(['c01', 'c02'].map((item) => rendered(src, extendScope(scope, { item }, 'loop'))));
    expect(out).toEqual(['name = c01\nroot = /srv/app\nrevision = 0\n', 'name = c02\nroot = /srv/app\nrevision = 7\n']);
  });

  it('a source rewritten during the run (same size, same moment) is rendered as it is now', async () => {
    const src = join(dir, 'motd.hbs');
    writeFileSync(src, 'a {{ app_root }}\n');
    expect(await rendered(src, scope)).toBe('a /srv/app\n');
    writeFileSync(src, 'b {{ app_root }}\n');
    expect(await rendered(src, scope)).toBe('b /srv/app\n');
    writeFileSync(src, 'b {{ revision }}\n');
    expect(await rendered(src, scope)).toBe('b 7\n');
  });

  it('an undefined variable in the source is an error naming the template file', async () => {
    const src = join(dir, 'broken.hbs');
    writeFileSync(src, 'ok\nport = {{ app_port }}\n');
    const err: unknown = await rendered(src, scope).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(userErrorOf(() => { throw err; }).message).toMatch(/broken\.hbs:\d+:\d+: undefined variable "app_port"/);
  });
});
