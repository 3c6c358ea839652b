import { type FormEvent, useState } from 'react';
import { browserStore } from '../../lib/storage.ts';
import type { ScreenerState } from '../../screener/state.ts';
import { deleteView, loadViews, saveView, viewState } from '../../screener/views.ts';

/** Named views in this browser: apply one, save the current state under a name, delete one. */
export function SavedViews({ state, apply }: { state: ScreenerState; apply: (s: ScreenerState) => void }) {
  const [views, setViews] = useState(() => loadViews(browserStore()));
  const [selected, setSelected] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const save = (e: FormEvent) => {
    e.preventDefault();
    try {
      setViews(saveView(browserStore(), name, state));
      setSelected(name.trim());
      setName('');
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div className="views">
      <select
        aria-label="Saved views"
        value={selected}
        onChange={(e) => {
          setSelected(e.target.value);
          const view = views.find((v) => v.name === e.target.value);
          if (view) apply(viewState(view));
        }}
      >
        <option value="">{views.length ? 'saved views…' : 'no saved views'}</option>
        {views.map((v) => (
          <option key={v.name} value={v.name}>
            {v.name}
          </option>
        ))}
      </select>
      {selected && (
        <button
          type="button"
          className="btn small"
          onClick={() => {
            setViews(deleteView(browserStore(), selected));
            setSelected('');
          }}
        >
          Delete view
        </button>
      )}
      <form onSubmit={save} className="row">
        <input
          aria-label="Name for this view"
          placeholder="save view as…"
          maxLength={60}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="btn small" disabled={!name.trim()}>
          Save
        </button>
      </form>
      {error && (
        <span className="neg small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
