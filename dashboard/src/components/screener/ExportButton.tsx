import { useState } from 'react';
import type { AssetList } from '../../../../shared/api/contracts/assets.ts';
import { apiGet, errorMessage } from '../../api/client.ts';
import { assetsCsv, collectPages } from '../../screener/csv.ts';
import { type ScreenerState, toAssetQuery } from '../../screener/state.ts';

/** Rows an export fetches at most (20 requests of 500): a guard against exporting a huge universe by accident. */
export const EXPORT_CAP = 10_000;
const EXPORT_PAGE = 500;

function download(text: string, filename: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

/** Exports the whole current result (every page, same filter and sort) as CSV. */
export function ExportButton({ state }: { state: ScreenerState }) {
  const [progress, setProgress] = useState<string | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const run = async () => {
    setMessage(null);
    setProgress('starting…');
    try {
      const { items, total, truncated } = await collectPages(
        (cursor) =>
          apiGet<AssetList>(
            '/assets',
            toAssetQuery(state, { limit: EXPORT_PAGE, cursor: cursor ?? undefined }),
          ),
        { cap: EXPORT_CAP, onProgress: (done, of) => setProgress(`${done} / ${of}`) },
      );
      download(
        assetsCsv(items, state.columns),
        `stratos-screener-${new Date().toISOString().slice(0, 10)}.csv`,
      );
      setMessage({
        error: false,
        text: truncated
          ? `exported the first ${items.length} of ${total} rows (cap)`
          : `exported ${items.length} rows`,
      });
    } catch (err) {
      setMessage({ error: true, text: `export failed: ${errorMessage(err)}` });
    } finally {
      setProgress(null);
    }
  };

  return (
    <span className="export">
      <button type="button" className="btn small" disabled={progress !== null} onClick={() => void run()}>
        {progress ? `Exporting ${progress}` : 'Export CSV'}
      </button>
      {message && (
        <span className={message.error ? 'neg small' : 'muted small'} role="status">
          {message.text}
        </span>
      )}
    </span>
  );
}
