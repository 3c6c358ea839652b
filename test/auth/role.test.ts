import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { allows, resolveRole } from '../../shared/auth/role.ts';
import { authFromEnv } from '../../shared/auth/settings.ts';
import { TEST_KEYS } from '../support/auth.ts';

const auth = authFromEnv({
  ...TEST_KEYS,
  SUPABASE_ANON_KEY: 'anon-legacy',
  SUPABASE_SECRET_KEYS: '{"default":"sb_secret_abc","ci":"sb_secret_def"}',
});
const role = (headers: Record<string, string>) => resolveRole(auth, new Headers(headers));
const jwt = (claims: Record<string, unknown>, secret: string = TEST_KEYS.SUPABASE_JWT_SECRET) =>
  sign({ exp: Math.floor(Date.now() / 1000) + 600, ...claims }, secret, 'HS256');

describe('resolveRole', () => {
  it('grants each key its role, the strongest credential winning', async () => {
    expect(await role({ apikey: TEST_KEYS.STRATOS_PUBLISHABLE_KEY })).toBe('reader');
    expect(await role({ apikey: 'anon-legacy' })).toBe('reader');
    expect(await role({ apikey: 'sb_secret_def' })).toBe('service');
    expect(await role({ authorization: `Bearer ${TEST_KEYS.STRATOS_SECRET_KEY}` })).toBe('service');
    expect(
      await role({
        apikey: TEST_KEYS.STRATOS_PUBLISHABLE_KEY,
        authorization: `Bearer ${TEST_KEYS.STRATOS_ADMIN_TOKEN}`,
      }),
    ).toBe('admin');
  });

  it('reads a signed-in user from a verified JWT: admin only by the app_metadata claim', async () => {
    expect(await role({ authorization: `Bearer ${await jwt({ sub: 'u1', role: 'authenticated' })}` })).toBe(
      'reader',
    );
    const admin = await jwt({ sub: 'u2', role: 'authenticated', app_metadata: { role: 'admin' } });
    expect(await role({ authorization: `Bearer ${admin}` })).toBe('admin');
    // user_metadata is editable by the user, so it must not grant anything.
    const selfMade = await jwt({ sub: 'u3', role: 'authenticated', user_metadata: { role: 'admin' } });
    expect(await role({ authorization: `Bearer ${selfMade}` })).toBe('reader');
  });

  it('refuses forged, expired and unknown credentials', async () => {
    const forged = await jwt(
      { sub: 'u', app_metadata: { role: 'admin' } },
      'another-secret-of-32-characters!!',
    );
    expect(await role({ authorization: `Bearer ${forged}` })).toBeNull();
    const expired = await jwt({ sub: 'u', exp: Math.floor(Date.now() / 1000) - 10 });
    expect(await role({ authorization: `Bearer ${expired}` })).toBeNull();
    expect(await role({ apikey: 'test-publishable-ke' })).toBeNull();
    expect(await role({ authorization: 'Basic abc' })).toBeNull();
    expect(await role({})).toBeNull();
  });

  it('orders roles reader < admin < service', () => {
    expect(allows('service', 'admin')).toBe(true);
    expect(allows('admin', 'service')).toBe(false);
    expect(allows('reader', 'reader')).toBe(true);
    expect(allows(null, 'reader')).toBe(false);
  });
});

describe('authFromEnv', () => {
  it('refuses a keys variable that is neither a key nor a JSON object', () => {
    expect(() => authFromEnv({ SUPABASE_SECRET_KEYS: '{oops' })).toThrow(/SUPABASE_SECRET_KEYS/);
  });
});

describe('signed-in users with the project signing keys (JWKS)', () => {
  it('fetches the keys once for many requests, and verifies ES256 tokens with them', async () => {
    const { createServer } = await import('node:http');
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const publicJwk = { ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid: 'k1', alg: 'ES256' };
    const privateJwk = {
      ...(await crypto.subtle.exportKey('jwk', pair.privateKey)),
      kid: 'k1',
      alg: 'ES256',
    };
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const jwks = authFromEnv({ SUPABASE_URL: `http://127.0.0.1:${port}` });
      const token = await sign(
        { sub: 'u', app_metadata: { role: 'admin' }, exp: Math.floor(Date.now() / 1000) + 600 },
        privateJwk,
        'ES256',
      );
      for (let i = 0; i < 5; i++) {
        expect(await resolveRole(jwks, new Headers({ authorization: `Bearer ${token}` }))).toBe('admin');
      }
      expect(fetches).toBe(1);
      const other = await sign({ sub: 'u', exp: Math.floor(Date.now() / 1000) + 600 }, privateJwk, 'ES256');
      const forged = `${other.split('.')[0]}.${other.split('.')[1]}.AAAA`;
      expect(await resolveRole(jwks, new Headers({ authorization: `Bearer ${forged}` }))).toBeNull();
    } finally {
      server.close();
    }
  });
});
