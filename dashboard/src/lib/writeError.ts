import { ApiRequestError, errorMessage } from '../api/client.ts';

/** What a refused or failed write tells the user: 401 and 403 say how to get the right to write. */
export function writeErrorMessage(err: unknown): { refused: boolean; message: string } {
  if (err instanceof ApiRequestError && err.status === 401) {
    return {
      refused: true,
      message:
        'Refused: this action needs an admin. Paste the admin token printed by `npm start` in Settings, or sign in as an admin.',
    };
  }
  if (err instanceof ApiRequestError && err.status === 403) {
    return {
      refused: true,
      message: 'Refused: your credentials can read but not write. This action needs an admin.',
    };
  }
  return { refused: false, message: errorMessage(err) };
}
