/** Credentials of the test fixtures' contexts, one per role. */
export const TEST_KEYS = {
  STRATOS_SECRET_KEY: 'test-secret-key',
  STRATOS_PUBLISHABLE_KEY: 'test-publishable-key',
  STRATOS_ADMIN_TOKEN: 'test-admin-token',
  SUPABASE_JWT_SECRET: 'test-jwt-secret-at-least-32-characters-long',
} as const;

/** Request headers that authenticate as each role. */
export const AS = {
  reader: { apikey: TEST_KEYS.STRATOS_PUBLISHABLE_KEY },
  admin: {
    apikey: TEST_KEYS.STRATOS_PUBLISHABLE_KEY,
    authorization: `Bearer ${TEST_KEYS.STRATOS_ADMIN_TOKEN}`,
  },
  service: { apikey: TEST_KEYS.STRATOS_SECRET_KEY },
} as const;
