import type { RunView } from '../../../../shared/api/contracts/runs.ts';

/** A run's errors, each with the scope (stage, job or asset) it happened in. */
export function RunErrorList({ errors }: { errors: RunView['errors'] }) {
  return (
    <ul className="errors">
      {errors.map((e, i) => (
        // errors have no id; scope + position is stable for one run's list
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={`${e.scope}-${i}`}>
          <span className="mono">{e.scope}</span>: {e.error}
        </li>
      ))}
    </ul>
  );
}
