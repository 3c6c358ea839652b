import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useReducer, useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import {
  type StrategyDetail,
  strategyDetailQuery,
  useSaveStrategy,
  validateStrategy,
} from '../../api/queries/strategies.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorBox, Loading } from '../QueryState.tsx';
// The template editor's state machine serves specs as well: text as the source of truth, answers
// matched to the text they checked.
import {
  currentIssues,
  definitionToSave,
  editorReducer,
  editorStatus,
  initialEditorState,
} from '../signals/editorState.ts';
import { WriteError } from '../WriteError.tsx';
import { NEW_STRATEGY } from './backtestData.ts';

/** Wait this long after the last keystroke before asking the server to validate. */
const VALIDATE_DEBOUNCE_MS = 350;

interface Props {
  /** The strategy to show and edit, or null for a new one. */
  strategyId: string | null;
  onClose: () => void;
}

/** A strategy's spec and versions, editable as JSON: validated as you type, saved as a new version. */
export function StrategyEditor({ strategyId, onClose }: Props) {
  const detail = useQuery({ ...strategyDetailQuery(strategyId ?? ''), enabled: strategyId !== null });
  if (strategyId === null)
    return <EditorBody key="new" initial={NEW_STRATEGY} detail={null} onClose={onClose} />;
  if (detail.isPending) return <Loading what={`strategy ${strategyId}`} />;
  if (detail.isError)
    return (
      <ErrorBox what={`strategy ${strategyId}`} error={detail.error} onRetry={() => void detail.refetch()} />
    );
  return (
    <EditorBody
      key={`${strategyId}@${detail.data.version}`}
      initial={detail.data.versions[0]?.spec ?? NEW_STRATEGY}
      detail={detail.data}
      onClose={onClose}
    />
  );
}

function EditorBody({
  initial,
  detail,
  onClose,
}: {
  initial: unknown;
  detail: StrategyDetail | null;
  onClose: () => void;
}) {
  const id = useId();
  const [state, dispatch] = useReducer(editorReducer, initial, initialEditorState);
  const [name, setName] = useState<string | null>(null);
  const save = useSaveStrategy();
  const status = editorStatus(state);
  const issues = currentIssues(state);

  // Debounced server validation of the current text; answers for an older text are dropped by the
  // reducer. Keyed on the text and its parse only: answers change `state` and must not re-trigger it.
  const { text, parsed } = state;
  useEffect(() => {
    if (!parsed.ok) return;
    const spec = definitionToSave(parsed.value);
    const timer = setTimeout(() => {
      dispatch({ type: 'checking', text });
      validateStrategy(spec).then(
        (r) => {
          setName(r.name);
          dispatch({ type: 'checked', text, valid: r.valid, issues: r.issues });
        },
        (err: unknown) => dispatch({ type: 'checkFailed', text, message: errorMessage(err) }),
      );
    }, VALIDATE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, parsed]);

  const valid = status.kind === 'valid' && state.parsed.ok;
  const title = detail ? `${detail.versions[0]?.name ?? detail.id} · ${detail.id}` : 'New strategy';

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {detail?.builtin && <span className="badge">built-in</span>}
        <span className="spacer" />
        <button
          type="button"
          className="btn primary"
          disabled={!valid || save.isPending}
          onClick={() => state.parsed.ok && save.mutate(definitionToSave(state.parsed.value))}
        >
          {save.isPending ? 'Saving…' : 'Save new version'}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
      {detail?.builtin && (
        <p className="hint">
          Built-in strategies change in code (their parameters are the run form's overrides). To change the
          rules, give the spec a new <code>id</code> and save it as your own strategy.
        </p>
      )}
      {save.isError && <WriteError what="save the strategy" error={save.error} />}
      {save.isSuccess && (
        <div className="state ok" role="status">
          {save.data.changed
            ? `Saved ${save.data.id} version ${save.data.version} as ${save.data.name}.`
            : `No change: identical to ${save.data.id} version ${save.data.version}.`}
        </div>
      )}
      <div className="editor">
        <div>
          <p id={`${id}-status`} className="editor-status" role="status">
            {status.kind === 'syntax' && (
              <span className="neg">
                JSON syntax error
                {status.line !== null ? ` at line ${status.line}, column ${status.column}` : ''}:{' '}
                {status.message}
              </span>
            )}
            {status.kind === 'checking' && <span className="muted">Checking…</span>}
            {status.kind === 'valid' && (
              <span className="pos">Valid strategy{name ? `: it would be stored as ${name}` : ''}.</span>
            )}
            {status.kind === 'invalid' && (
              <span className="neg">
                {status.issues.length} problem{status.issues.length === 1 ? '' : 's'}
              </span>
            )}
            {status.kind === 'unchecked' && (
              <span className="warn">Could not validate: {status.message}</span>
            )}
          </p>
          {issues.length > 0 && (
            <ul className="issues">
              {issues.map((i) => (
                <li key={`${i.path}:${i.message}`}>
                  <span className="mono">{i.path || '(strategy)'}</span>: {i.message}
                </li>
              ))}
            </ul>
          )}
          <label htmlFor={`${id}-json`} className="sr-only">
            Strategy JSON
          </label>
          <textarea
            id={`${id}-json`}
            value={state.text}
            spellCheck={false}
            aria-invalid={status.kind === 'syntax' || status.kind === 'invalid'}
            aria-describedby={`${id}-status`}
            onChange={(e) => dispatch({ type: 'edit', text: e.target.value })}
          />
        </div>
        {detail && (
          <div>
            <h3>Versions</h3>
            <p className="muted small">Load a version into the editor to read it or start from it.</p>
            <ul className="versions">
              {detail.versions.map((v) => (
                <li key={v.version}>
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => dispatch({ type: 'edit', text: JSON.stringify(v.spec, null, 2) })}
                  >
                    v{v.version}
                  </button>{' '}
                  <span className="mono">{v.name}</span>{' '}
                  <span className="muted small">{formatDateTime(v.created_at)}</span>
                  <div className="muted small">{v.description}</div>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
