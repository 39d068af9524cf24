'use strict';
/* global module */
/**
 * What every stub module of the slim Lambda bundles is made of (see cdk/esbuild-options.ts): a stand-in
 * for a package the bundle leaves out on purpose. Loading it is free and reading its members is free (so
 * Bolt's index, which requires these packages eagerly, still loads), but *using* any member (calling it,
 * or constructing it) throws a clear error and records the hit, so a Bolt upgrade that starts to need one
 * of them fails test/unit/handlers/ingress-bundle.test.ts instead of failing in production.
 */

const HITS = Symbol.for('tokenops.stubHits');

/** Records the hit and throws: this code path is not in the bundle. */
function unavailable(pkg, member) {
  const what = member ? `${pkg} (${member})` : pkg;
  const hits = (globalThis[HITS] ??= []);
  hits.push(what);
  const err = new Error(
    `${what} is not in this tokenops Lambda bundle: it was replaced by a stub to keep the bundle small ` +
      '(cdk/esbuild-options.ts). Remove the alias if the handler now needs it.',
  );
  err.code = 'TOKENOPS_STUBBED_MODULE';
  throw err;
}

/** A callable, constructible stand-in whose members are stand-ins too, e.g. `oauth.InstallProvider`. */
function stubOf(pkg, member) {
  const target = function stubbed() {};
  return new Proxy(target, {
    get(t, key) {
      // Module interop probes and class machinery must not count as use.
      if (typeof key === 'symbol' || key === '__esModule' || key === 'then') return undefined;
      if (key === 'prototype' || key === 'name' || key === 'length') return t[key];
      return stubOf(pkg, member ? `${member}.${key}` : key);
    },
    apply: () => unavailable(pkg, member),
    construct: () => unavailable(pkg, member),
  });
}

/** Builds the module.exports of a stub for `pkg`. */
function stubModule(pkg) {
  return stubOf(pkg, undefined);
}

module.exports = { stubModule, HITS };
