import { type SpawnOptions, spawn } from 'node:child_process';

/** Runs a command to its end and resolves with its combined output; a non-zero exit rejects with it. */
export function runCommand(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${cmd} ${args[0] ?? ''} failed (exit ${code}): ${out.trim()}`)),
    );
  });
}
