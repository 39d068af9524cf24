'use strict';
/* global module, require */
// Stand-in for @slack/socket-mode in the slim Lambda ingress bundle (cdk/esbuild-options.ts): Bolt's index requires
// it eagerly, but the AwsLambdaReceiver never uses it. Any use throws (see unavailable.cjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS stand-in for a CommonJS package
module.exports = require('./unavailable.cjs').stubModule('@slack/socket-mode');
