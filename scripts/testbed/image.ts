import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, renameSync, mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMAGE_CACHE, IMAGE_PACKAGES, REPO_DEBS, VARIANTS, isVariant, type Variant } from './config.js';
import { run, runLoud } from './run.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const BUILD_SCRIPT = join(HERE, 'build-image.sh');
const VARIANT_SCRIPT = join(HERE, 'build-variant.sh');

/**
 * The cache key: a change to the package lists or the build script gives a
 * new image. A variant is keyed by the base's key, its packages and the
 * variant script, so the base image's key is the same as before variants.
 */
export function imageHash(variant: Variant = 'base'): string {
  const h = createHash('sha256');
  h.update(IMAGE_PACKAGES.join(',') + '\n' + REPO_DEBS.join(',') + '\n');
  h.update(readFileSync(BUILD_SCRIPT));
  if (variant === 'base') return h.digest('hex').slice(0, 16);
  h.update(`variant ${variant}: ${VARIANTS[variant].join(',')}\n`);
  h.update(readFileSync(VARIANT_SCRIPT));
  return `${h.digest('hex').slice(0, 16)}-${variant}`;
}

export function imagePath(variant: Variant = 'base'): string {
  return join(IMAGE_CACHE, imageHash(variant));
}

/** The mirror the controller's apt already uses (deb822 or one-line sources). */
export function aptMirror(): string {
  for (const f of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8');
    const m = /^URIs:\s*(\S+)/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (m?.[1]) return m[1];
  }
  return 'http://deb.debian.org/debian';
}

/**
 * Returns the image (base or a variant), building it first when it is not
 * cached. The build goes to a temp dir renamed into place when complete, so a
 * crash mid-build never leaves a half image that looks cached; a lock
 * serialises builders.
 */
export async function ensureImage(log: (s: string) => void = console.error, variant: Variant = 'base'): Promise<string> {
  const dest = imagePath(variant);
  if (existsSync(join(dest, 'etc/os-release'))) return dest;
  mkdirSync(IMAGE_CACHE, { recursive: true });
  // Re-run under flock so two concurrent `up`s build once.
  await runLoud('flock', [join(IMAGE_CACHE, '.lock'), process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), '--build', variant]);
  if (!existsSync(dest)) throw new Error(`image build did not produce ${dest}`);
  log(`testbed: ${variant} image ready at ${dest}`);
  return dest;
}

async function buildLocked(variant: Variant): Promise<void> {
  const dest = imagePath(variant);
  if (existsSync(dest)) return;
  // A variant starts from the base image (built first when missing).
  const base = variant === 'base' ? undefined : imagePath('base');
  if (base !== undefined) await buildLocked('base');
  const tmp = mkdtempSync(join(IMAGE_CACHE, 'build-'));
  const root = join(tmp, 'rootfs');
  const started = Date.now();
  console.error(`testbed: building ${variant} image ${dest} (a few minutes, once)`);
  try {
    if (base === undefined) {
      await runLoud('bash', [BUILD_SCRIPT, root, aptMirror(), IMAGE_PACKAGES.join(','), REPO_DEBS.join(',')]);
    } else {
      await runLoud('bash', [VARIANT_SCRIPT, base, root, aptMirror(), VARIANTS[variant].join(',')]);
    }
    renameSync(root, dest);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.error(`testbed: image built in ${Math.round((Date.now() - started) / 1000)} s`);
  // Old images (other hashes) are left for `down --purge`-style cleanup by hand.
  await run('sync', []);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--build') {
  const variant = process.argv[3] ?? 'base';
  if (!isVariant(variant)) throw new Error(`unknown image variant ${variant}`);
  buildLocked(variant).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
