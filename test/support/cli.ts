import { vi } from 'vitest';
import { main } from '../../scripts/cli.ts';

/** Runs the CLI in-process and captures what it prints (console.log and console.error, in order). */
export async function stratos(...argv: string[]): Promise<{ code: number; output: string }> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const err = vi.spyOn(console, 'error').mockImplementation((...a) => void out.push(a.join(' ')));
  try {
    const code = await main(argv);
    return { code, output: out.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}
