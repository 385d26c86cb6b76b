// Preloaded into the spawned action (`node --import`): the first FAKE_DNS_FAILURES look-ups of
// `localhost` fail as a resolver outage would (ENOTFOUND), then names resolve as usual. A DNS
// failure without asking any resolver off this machine.
import { createRequire } from 'node:module';

const dns = createRequire(import.meta.url)('node:dns');
const real = dns.lookup;
let failuresLeft = Number(process.env.FAKE_DNS_FAILURES ?? '0');
dns.lookup = function lookup(hostname, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  if (hostname === 'localhost' && failuresLeft > 0) {
    failuresLeft--;
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND',
      hostname,
    });
    process.nextTick(() => cb(error));
    return {};
  }
  return real.call(this, hostname, options, callback);
};
