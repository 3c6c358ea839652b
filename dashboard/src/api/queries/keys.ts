// Hierarchical query keys, TanStack's recommended shape: [resource] ⊃ [resource, 'list'] ⊃
// [resource, 'list', filter], so invalidating a prefix refetches everything under it.

/** The key factory of one API resource: `all`, its lists by filter and its details by id. */
export function resourceKeys<const R extends string>(resource: R) {
  const all = [resource] as const;
  return {
    all,
    lists: () => [...all, 'list'] as const,
    list: <F>(filter: F) => [...all, 'list', filter] as const,
    details: () => [...all, 'detail'] as const,
    detail: <I>(id: I) => [...all, 'detail', id] as const,
  };
}
