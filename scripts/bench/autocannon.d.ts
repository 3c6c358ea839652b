// The part of autocannon's API the API bench uses (the package ships no types).
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    timeout?: number;
    /** Requests in turn; `setupRequest` may rewrite each one's path before it is sent. */
    requests?: { setupRequest: (req: { path: string }) => { path: string } }[];
  }
  interface Result {
    requests: { total: number; average: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    duration: number;
  }
  interface Instance extends PromiseLike<Result> {
    /** Every response, with its latency in ms. */
    on(
      event: 'response',
      listener: (client: unknown, status: number, bytes: number, ms: number) => void,
    ): this;
    stop(): void;
  }
  /** Starts a load run; the instance resolves to the summary when it ends. */
  function autocannon(opts: Options): Instance;
  export default autocannon;
}
