'use strict';
/* global module, require */
// Stand-in for path-to-regexp in the slim Lambda ingress bundle (cdk/esbuild-options.ts), used only by
// Bolt's custom routes (HTTPReceiver, SocketModeReceiver). Any use throws (see unavailable.cjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS stand-in for a CommonJS package
module.exports = require('./unavailable.cjs').stubModule('path-to-regexp');
