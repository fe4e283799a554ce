import { randomBytes } from 'node:crypto';

/** Sortable and unique: 20261124T223000Z-1a2b3c. Safe as a path component on any host. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function isRunId(value: string): boolean {
  return /^\d{8}T\d{6}Z-[0-9a-f]{6}$/.test(value);
}
