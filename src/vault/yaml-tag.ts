import type { ScalarTag } from 'yaml';
import { Secret } from '../shared/secret.js';

/**
 * The `!vault |` tag, Ansible's spelling of an inline encrypted value. The
 * YAML library only hands the tagged text over; the loader decrypts it with
 * the value's position (openVaultValue), so a wrong password names file:line.
 */
export class VaultText {
  constructor(readonly text: string) {}
}

export const vaultTag: ScalarTag = {
  tag: '!vault',
  identify: (v: unknown) => v instanceof VaultText,
  resolve: (str: string) => new VaultText(str),
};

/**
 * Every string of a decrypted vault file becomes a Secret, in place (the
 * objects keep their source positions). Numbers and booleans stay as they
 * are: a port or a flag in a vault file still counts and compares.
 */
export function secretStrings(value: unknown): unknown {
  if (typeof value === 'string') return new Secret(value);
  if (Array.isArray(value)) {
    value.forEach((v, i) => (value[i] = secretStrings(v)));
    return value;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Secret)) {
    const map = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(map)) map[k] = secretStrings(v);
  }
  return value;
}
