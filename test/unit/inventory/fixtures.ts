import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { UserError } from '../../../src/errors/diagnostic.js';

/** Path of a fixture under test/fixtures/inventory/. */
export const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/inventory/${name}`, import.meta.url));

export async function userErrorOf(fn: () => unknown): Promise<UserError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}
