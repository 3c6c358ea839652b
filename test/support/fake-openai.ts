import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

// Test support: a local OpenAI-compatible server that answers /v1/chat/completions with real-shaped
// responses (as the API returned them for gpt-4o-mini) or injects faults, and records every request.

/** One scripted reply: a completion whose message content is `content`, or an HTTP fault. */
export type FakeReply = { delayMs?: number } & (
  | { content: string | null; finishReason?: string; usage?: { prompt: number; completion: number } }
  | { status: number; headers?: Record<string, string>; error?: string }
);

/** A request as the fake received it. */
export interface FakeRequest {
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the body the SDK sent.
  body: any;
}

/** A running fake; `baseURL` goes to the SDK as is. */
export interface FakeOpenAi {
  baseURL: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** Replies in order, then repeats the last one (a server that keeps failing stays failing). */
export function scripted(...replies: FakeReply[]): (request: FakeRequest, index: number) => FakeReply {
  return (_request, index) => replies[Math.min(index, replies.length - 1)]!;
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeOpenAi(
  reply: (request: FakeRequest, index: number) => FakeReply,
): Promise<FakeOpenAi> {
  const requests: FakeRequest[] = [];
  const app = new Hono();
  app.post('/v1/chat/completions', async (c) => {
    const request: FakeRequest = { headers: c.req.header(), body: await c.req.json() };
    requests.push(request);
    const r = reply(request, requests.length - 1);
    if (r.delayMs) await new Promise((resolve) => setTimeout(resolve, r.delayMs));
    if ('status' in r) {
      const error = { message: r.error ?? 'fault injected', type: 'server_error', param: null, code: null };
      return c.json({ error }, r.status as ContentfulStatusCode, r.headers);
    }
    const usage = r.usage ?? { prompt: 1234, completion: 321 };
    return c.json({
      id: `chatcmpl-fake${requests.length}`,
      object: 'chat.completion',
      created: 1767225600,
      model: request.body.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: r.content, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: r.finishReason ?? 'stop',
        },
      ],
      usage: {
        prompt_tokens: usage.prompt,
        completion_tokens: usage.completion,
        total_tokens: usage.prompt + usage.completion,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    });
  });

  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      resolve({
        baseURL: `http://127.0.0.1:${info.port}/v1`,
        requests,
        close: () =>
          new Promise((done) => {
            // A timed-out test leaves a delayed request open; close must not wait for it.
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
