// IBKR client ids, as the original system allocated them for its TWS/Gateway connections: every new
// connection takes the next id from 99 upward, skipping ids still held, so a data connection and an
// execution connection, or a reconnect while the old one lingers, never share an id (TWS error 326,
// "client id already in use"). Ids below 99 stay free for hand-started sessions.

/** What a connection is for; kept with its id so a collision names the connection. */
export type ConnectionRole = 'data' | 'execution';

/** The first id handed out. */
export const FIRST_CLIENT_ID = 99;

/** Hands out client ids from 99 upward, rotating through a fixed range. */
export interface ClientIdAllocator {
  /** The next free id for a connection of `role`; it stays held until released. */
  acquire(role: ConnectionRole): number;
  /** The connection closed; its id may be reused when the rotation comes round again. */
  release(id: number): void;
}

/** An allocator over ids 99 ... 99 + size - 1 (more connections at once than that is an error). */
export function createClientIdAllocator(size = 900): ClientIdAllocator {
  let next = FIRST_CLIENT_ID;
  const held = new Map<number, ConnectionRole>();

  function acquire(role: ConnectionRole): number {
    for (let tried = 0; tried < size; tried++) {
      const id = next;
      next = id + 1 >= FIRST_CLIENT_ID + size ? FIRST_CLIENT_ID : id + 1;
      if (!held.has(id)) {
        held.set(id, role);
        return id;
      }
    }
    throw new Error(`no free IBKR client id among ${FIRST_CLIENT_ID}..${FIRST_CLIENT_ID + size - 1}`);
  }

  return {
    acquire,
    release(id) {
      held.delete(id);
    },
  };
}
