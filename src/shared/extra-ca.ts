import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Tls from 'node:tls';

/** Where bin/rosey-apply.cjs leaves NODE_EXTRA_CA_CERTS's file when its shebang kept it from Node's start. */
export const MOVED_EXTRA_CA = Symbol.for('rosey.extraCaCerts');

let installed = false;

/**
 * Makes this process's TLS connections trust NODE_EXTRA_CA_CERTS's
 * certificates when the launcher kept the variable from Node: Node itself
 * reads and parses that file before any code runs, ~70 ms on the test VM
 * (Debian's ca-certificates.crt, where `node -e 0` takes ~30 ms without it),
 * for every run, TLS or not. Call it before a request that may use TLS.
 *
 * Node's own roots plus the file's, as Node would have trusted, in one
 * secure context built at the first TLS connection that sets no trust of
 * its own. A file that cannot be read is a warning, as in Node.
 */
export function trustExtraCaCerts(): void {
  const file = (globalThis as Record<symbol, unknown>)[MOVED_EXTRA_CA];
  if (installed || typeof file !== 'string' || file === '') return;
  installed = true;
  // the module object itself, whose connect undici and https call; loaded
  // here, not at start, where it would load net and crypto (a built-in
  // module is the same from any require; a dynamic import would not work in
  // the bundle, which runs from a code cache)
  const tls = createRequire('/')('node:tls') as typeof Tls;
  let context: Tls.SecureContext | null | undefined;
  const trusted = (): Tls.SecureContext | null => {
    if (context !== undefined) return context;
    try {
      context = tls.createSecureContext({ ca: [...tls.rootCertificates, readFileSync(file, 'utf8')] });
    } catch (e) {
      process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${(e as Error).message}`);
      context = null;
    }
    return context;
  };
  const connect = tls.connect;
  const withTrust = (...args: unknown[]): Tls.TLSSocket => {
    const [options] = args;
    // undici (fetch) and https pass one options object; any other form, or options with trust of their own, go through as they are
    if (options !== null && typeof options === 'object' && !OWN_TRUST.some((k) => k in options)) {
      const secureContext = trusted();
      if (secureContext) args[0] = { ...options, secureContext };
    }
    return (connect as (...a: unknown[]) => Tls.TLSSocket)(...args);
  };
  tls.connect = withTrust as typeof tls.connect;
}

/** Options that choose a connection's trust or client identity themselves. */
const OWN_TRUST = ['secureContext', 'ca', 'cert', 'key', 'pfx'];
