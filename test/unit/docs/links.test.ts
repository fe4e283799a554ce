import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docFiles, ROOT } from './doc-blocks.js';

/** Every relative link of README.md and docs/*.md names a file that exists, and a #section it has. */

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[`*]/g, '').replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

function links(text: string): string[] {
  const prose = text.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
}

describe('links in the docs', () => {
  it('slugs as GitHub makes them', () => {
    expect(slug('6. CI/CD: the GitHub workflows')).toBe('6-cicd-the-github-workflows');
    expect(slug('Host key unknown or changed')).toBe('host-key-unknown-or-changed');
    expect(slug('set_fact')).toBe('set_fact');
  });

  it.each(docFiles().map((f) => [f]))('%s links to files and sections that exist', (file) => {
    const broken: string[] = [];
    for (const link of links(readFileSync(join(ROOT, file), 'utf8'))) {
      const [path, anchor] = link.split('#');
      const target = path ? join(ROOT, dirname(file), path) : join(ROOT, file);
      if (!existsSync(target)) broken.push(`${link}: no such file`);
      else if (anchor && target.endsWith('.md') && !anchors(target).has(anchor)) broken.push(`${link}: no such section`);
    }
    expect(broken).toEqual([]);
  });
});
