import { createContext } from '../../../shared/config.ts';
import { createApp } from './app.ts';

// Edge Function entry: configuration from the environment, then the shared app.
const ctx = createContext(Deno.env.toObject(), { log: (line) => console.log(line) });
Deno.serve(createApp(ctx).fetch);
