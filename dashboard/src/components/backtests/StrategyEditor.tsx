import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import {
  type StrategyDetail,
  strategyDetailQuery,
  useSaveStrategy,
  validateStrategy,
} from '../../api/queries/strategies.ts';
import { formatDateTime } from '../../lib/format.ts';
import { EditorStatusLine, JsonTextArea, SavedNote, useValidatedEditor } from '../DefinitionEditor.tsx';
import { ErrorBox, Loading } from '../QueryState.tsx';
import { definitionToSave } from '../signals/editorState.ts';
import { WriteError } from '../WriteError.tsx';
import { NEW_STRATEGY } from './backtestData.ts';

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
  // The template editor's state machine serves specs as well; the answer names the stored spec.
  const { state, dispatch, status, issues, answer } = useValidatedEditor(initial, validateStrategy);
  const save = useSaveStrategy();
  const name = answer?.name;

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
      {save.isSuccess && <SavedNote saved={save.data} as={save.data.name} />}
      <div className="editor">
        <div>
          <EditorStatusLine
            id={id}
            status={status}
            issues={issues}
            validText={`Valid strategy${name ? `: it would be stored as ${name}` : ''}.`}
            root="(strategy)"
          />
          <JsonTextArea id={id} label="Strategy JSON" text={state.text} status={status} dispatch={dispatch} />
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
