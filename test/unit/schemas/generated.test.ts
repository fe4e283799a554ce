import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../../scripts/generated-files.js';

const root = resolve(import.meta.dirname, '../../..');

describe('generated files are committed as generated', () => {
  for (const [rel, text] of Object.entries(generatedFiles())) {
    it(`${rel} is what \`npm run schemas\` writes`, () => {
      expect(readFileSync(resolve(root, rel), 'utf8'), `${rel} is stale: run \`npm run schemas\` and commit the result`).toBe(text);
    });
  }
});
