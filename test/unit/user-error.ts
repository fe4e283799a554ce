import { UserError } from '../../src/errors/diagnostic.js';

/** The UserError `fn` throws; any other outcome (no error, or another kind) fails the test. */
export function userErrorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
}
