import { createContext } from '../../../shared/config.ts';
import { createApp } from './app.ts';

// Edge Function entry: configuration from the environment, then the shared app. PORT only matters
// when the bundle is run by plain Deno (the deployability smoke test); Supabase ignores it.
const ctx = createContext(Deno.env.toObject(), { log: (line) => console.log(line) });
Deno.serve({ port: Number(Deno.env.get('PORT') ?? 8000) }, createApp(ctx).fetch);
