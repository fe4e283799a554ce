/**
 * Secret values this process knows, so that printers can mask them even
 * where they no longer are Secret objects: a template line that contains a
 * vault password (--diff), an error message quoting a rendered command, a
 * run record. Every `new Secret(v)` registers `v` here.
 *
 * Values shorter than MIN_MASKED characters are not searched for in text
 * (masking every "ab" would make the output unreadable); they are still
 * masked wherever they are a Secret object.
 */
export const MIN_MASKED = 4;

const known = new Set<string>();
let ordered: string[] | undefined;

function add(form: string): void {
  if (form.length < MIN_MASKED || known.has(form)) return;
  known.add(form);
  ordered = undefined;
}

/** Remember a secret value: itself, each line of it, and its JSON-escaped form. */
export function rememberSecret(value: string): void {
  add(value);
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) add(escaped);
  if (value.includes('\n')) for (const line of value.split(/\r?\n/)) add(line.trim());
}

function forms(): string[] {
  // longest first, so a secret that contains another is masked whole
  ordered ??= [...known].sort((a, b) => b.length - a.length);
  return ordered;
}

/** `text` with every known secret value replaced by `mask`. */
export function maskSecrets(text: string, mask: string): string {
  if (known.size === 0) return text;
  let out = text;
  for (const f of forms()) if (out.includes(f)) out = out.split(f).join(mask);
  return out;
}

/** Has any secret been seen (nothing to mask otherwise: printers skip the work)? */
export function anySecrets(): boolean {
  return known.size > 0;
}
