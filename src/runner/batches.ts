/**
 * Split a play's hosts into `serial` batches, as Ansible does: each entry a
 * number or a percentage of all the play's hosts (rounded down, at least 1);
 * a list gives successive batch sizes, its last repeating. Unset: one batch.
 */
export function batches<T>(hosts: T[], serial: (number | string)[] | undefined): T[][] {
  if (serial === undefined || serial.length === 0 || hosts.length === 0) return [hosts];
  const sizes = serial.map((s) => (typeof s === 'number' ? s : Math.max(1, Math.floor((hosts.length * parseInt(s, 10)) / 100))));
  const out: T[][] = [];
  for (let i = 0, n = 0; i < hosts.length; n++) {
    const size = Math.max(1, sizes[Math.min(n, sizes.length - 1)]!);
    out.push(hosts.slice(i, i + size));
    i += size;
  }
  return out;
}
