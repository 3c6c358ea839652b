import { createContext } from '../../../shared/config.ts';
import type { SelfInvoke, StageAppOptions } from '../../../shared/http/stage-app.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';

/** The part of Supabase's `EdgeRuntime` global a user function sees (edge-runtime ext/runtime/js/namespaces.js). */
interface EdgeRuntimeGlobal {
  waitUntil(task: Promise<unknown>): void;
}

/**
 * Serves one stage function under Deno. Configuration comes from the environment. On Supabase, an
 * invocation that returns with work left POSTs to its own `/drain` (SUPABASE_URL is set there) and
 * `EdgeRuntime.waitUntil` keeps that request alive after the response. No CPU clock is passed: Deno's
 * `process.cpuUsage` is getrusage(RUSAGE_SELF), the whole Edge Runtime process with every worker in
 * it, so wall time bounds each invocation's CPU instead. PORT only matters when the bundle runs under
 * plain Deno (the deployability smoke test); Supabase ignores it.
 */
export function serveStage(
  name: string,
  createApp: (
    ctx: PipelineContext,
    opts: StageAppOptions,
  ) => { fetch: (req: Request) => Response | Promise<Response> },
): void {
  const env = Deno.env.toObject();
  const ctx = createContext(env, { log: (line) => console.log(line) });
  const edge = (globalThis as { EdgeRuntime?: EdgeRuntimeGlobal }).EdgeRuntime;
  const base = env.SUPABASE_URL?.replace(/\/+$/, '');
  const selfInvoke: SelfInvoke | undefined =
    edge && base
      ? { url: `${base}/functions/v1/${name}`, waitUntil: (task) => edge.waitUntil(task) }
      : undefined;
  Deno.serve({ port: Number(env.PORT ?? 8000) }, createApp(ctx, selfInvoke ? { selfInvoke } : {}).fetch);
}
