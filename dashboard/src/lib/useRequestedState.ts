import { useState } from 'react';

/**
 * A switch that shows the requested value from the click (set in the same event, so the box never
 * flickers back) until its write and the refetch after it settle; a refused write then falls back
 * to the stored value. `request(next)` returns the mutate options that end the request.
 */
export function useRequestedState(
  stored: boolean,
): [value: boolean, request: (next: boolean) => { onSettled: () => void }] {
  const [requested, setRequested] = useState<boolean | null>(null);
  const request = (next: boolean) => {
    setRequested(next);
    return { onSettled: () => setRequested(null) };
  };
  return [requested ?? stored, request];
}
