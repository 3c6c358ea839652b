import { z } from 'zod';

/** Universe id: lower snake case, e.g. crypto_all. */
export const UniverseId = z
  .string()
  .regex(/^[a-z0-9_]+$/, 'universe ids are lower snake case, e.g. crypto_all');
