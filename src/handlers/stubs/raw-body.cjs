'use strict';
/* global module, require */
// Stand-in for raw-body in the slim Lambda ingress bundle (cdk/esbuild-options.ts), used only by
// Bolt's HTTP body reader (HTTPReceiver, ExpressReceiver; it brings iconv-lite). Any use throws (see unavailable.cjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS stand-in for a CommonJS package
module.exports = require('./unavailable.cjs').stubModule('raw-body');
