// Preloaded (NODE_OPTIONS=--require) into rosey-apply by ssh-crypto.test.ts,
// before the SSH bundle takes its crypto functions: counts the key
// conversions through DER or PEM and the calls into OpenSSL's random
// generator, and writes the counts to ROSEY_CRYPTO_SPY_OUT at exit.
'use strict';
const crypto = require('node:crypto');
const { writeFileSync } = require('node:fs');

const counts = { derOrPemExports: 0, derOrPemImports: 0, verifyWithText: 0, randomFills: 0 };
const textual = (o) => o && typeof o === 'object' && (o.format === 'der' || o.format === 'pem' || Buffer.isBuffer(o.key) || typeof o.key === 'string');
const exportKey = crypto.KeyObject.prototype.export;
crypto.KeyObject.prototype.export = function (o) {
  if (!o || o.format !== 'jwk') counts.derOrPemExports++;
  return exportKey.call(this, o);
};
const createPublicKey = crypto.createPublicKey;
crypto.createPublicKey = function (k) {
  if (typeof k === 'string' || Buffer.isBuffer(k) || textual(k)) counts.derOrPemImports++;
  return createPublicKey.call(this, k);
};
const verify = crypto.verify;
crypto.verify = function (algo, data, key, sig, cb) {
  // a host's signature, checked with its public key as text (ssh2's own check at load, whether Ed25519 works, uses a private key)
  if ((typeof key === 'string' && !key.includes('PRIVATE KEY')) || Buffer.isBuffer(key) || textual(key)) counts.verifyWithText++;
  return verify.call(this, algo, data, key, sig, cb);
};
const randomFillSync = crypto.randomFillSync;
crypto.randomFillSync = function (...a) {
  counts.randomFills++;
  return randomFillSync.apply(this, a);
};
process.on('exit', () => writeFileSync(process.env.ROSEY_CRYPTO_SPY_OUT, JSON.stringify(counts)));
