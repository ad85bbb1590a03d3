// Preload for mixpanel-import (node --require bench/redirect-mixpanel.cjs ...): sends its
// requests to the local test server named by MPX_BENCH_TARGET (http://127.0.0.1:<port>).
//
// mixpanel-import 3.1.43 sends /import through undici: `new Pool('https://api.mixpanel.com')`
// created when components/importers.js loads, then `pool.request({ path })`. So we replace
// undici's Pool (in the copy mixpanel-import resolves) by one whose origin is rewritten.
//
// Fail closed: every socket connect and DNS lookup to a non-loopback host throws, so nothing
// (got, https, fetch, a forgotten pool) can reach the internet.
'use strict';
const dns = require('node:dns');
const net = require('node:net');
const path = require('node:path');

const target = process.env.MPX_BENCH_TARGET;
if (!target || !/^http:\/\/127\.0\.0\.1:\d+$/.test(target)) {
  throw new Error(`redirect-mixpanel: MPX_BENCH_TARGET must be http://127.0.0.1:<port>, got ${target}`);
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|::1|::ffff:127(\.\d+){3})$/i;
function assertLoopback(host, what) {
  if (host === undefined || host === null || host === '' || LOOPBACK.test(String(host).replace(/^\[|\]$/g, ''))) return;
  throw new Error(`redirect-mixpanel: refused ${what} to non-loopback host "${host}"`);
}

// 1. Sockets: net.connect(port, host) / net.connect({ host, port }) / unix paths.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]; // internal calls pass [options, cb]
  if (first !== null && typeof first === 'object') {
    if (!first.path) assertLoopback(first.host ?? 'localhost', 'connection');
  } else if (typeof args[1] === 'string') {
    assertLoopback(args[1], 'connection');
  }
  return connect.apply(this, args);
};

// 2. DNS: a lookup of a public name would itself go out to a resolver.
for (const api of [dns, dns.promises]) {
  const lookup = api.lookup;
  api.lookup = function (hostname, ...rest) {
    assertLoopback(hostname, 'DNS lookup');
    return lookup.call(this, hostname, ...rest);
  };
}

// 3. undici Pool: rewrite Mixpanel origins to the local server, refuse anything else.
function rewrite(origin) {
  const url = new URL(String(origin));
  if (/(^|\.)mixpanel\.com$/i.test(url.hostname)) return target;
  assertLoopback(url.hostname, 'undici origin');
  return origin;
}
const mixpanelImportDir = path.dirname(require.resolve('mixpanel-import'));
const undici = require(require.resolve('undici', { paths: [mixpanelImportDir] }));
const { Pool, Client } = undici;
undici.Pool = class RedirectedPool extends Pool {
  constructor(origin, options) {
    super(rewrite(origin), options);
  }
};
undici.Client = class RedirectedClient extends Client {
  constructor(origin, options) {
    super(rewrite(origin), options);
  }
};
