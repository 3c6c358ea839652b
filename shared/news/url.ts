// Query parameters that track a click rather than name a page: dropped from the URL key.
const TRACKING = new Set([
  'amp',
  'cmpid',
  'fbclid',
  'gclid',
  'guccounter',
  'mc_cid',
  'mc_eid',
  'mod',
  'ncid',
  'ocid',
  'outputtype',
  'ref',
  'soc_src',
  'soc_trk',
  'src',
  'taid',
  'yptr',
]);

// An absolute http(s) URL that needs no parsing: host and path only, nothing to decode or drop.
const PLAIN = /^https?:\/\/([A-Za-z0-9.-]+)(\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?$/;

// Host prefixes of the same site's mobile and AMP editions.
const EDITION = /^(?:www\d*|m|mobile|amp)\./;

/**
 * The key under which copies of one page meet: scheme, fragment, tracking parameters (utm_* and the
 * list above), `www.`/`m.`/`mobile.`/`amp.` host prefixes, an `/amp` path segment or `.amp` suffix and
 * trailing slashes are dropped; the host is lower-cased, percent-encoding normalised and the kept
 * parameters sorted. Paths keep their case (servers may distinguish it). Text that is not a URL is
 * trimmed and lower-cased.
 */
export function urlKey(raw: string): string {
  // The common case (an absolute http(s) URL without query, fragment, escapes, port or credentials)
  // needs no URL parser; the result is the same.
  const plain = PLAIN.exec(raw);
  if (plain) {
    const host = plain[1]!.toLowerCase().replace(EDITION, '');
    const path = plain[2]!
      .replace(/\/amp(?=\/|$)/g, '')
      .replace(/\.amp(?:\.html?)?$/, '')
      .replace(/\/+$/, '');
    return `${host}${path === '' ? '/' : path}`;
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return raw.trim().toLowerCase();
  }
  const host = url.hostname.toLowerCase().replace(EDITION, '');
  let path = decodeSafely(url.pathname)
    .replace(/\/amp(?=\/|$)/g, '')
    .replace(/\.amp(?:\.html?)?$/, '')
    .replace(/\/+$/, '');
  if (path === '') path = '/';
  const params = [...url.searchParams]
    .filter(([name]) => {
      const lower = name.toLowerCase();
      return !lower.startsWith('utm_') && !TRACKING.has(lower);
    })
    .sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)));
  const query = params.map(([k, v]) => `${k}=${v}`).join('&');
  return `${host}${url.port ? `:${url.port}` : ''}${path}${query ? `?${query}` : ''}`;
}

function decodeSafely(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
