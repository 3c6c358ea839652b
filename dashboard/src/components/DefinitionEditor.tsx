import { type Dispatch, useEffect, useReducer, useState } from 'react';
import { errorMessage } from '../api/client.ts';
import {
  currentIssues,
  definitionToSave,
  type EditorAction,
  type EditorStatus,
  editorReducer,
  editorStatus,
  type Issue,
  initialEditorState,
} from './signals/editorState.ts';

// The pieces the template editor and the strategy editor share: the JSON text as the source of truth,
// debounced server validation matched to the text it checked, the state line, the issue list and the
// textarea.

/** Wait this long after the last keystroke before asking the server to validate. */
const VALIDATE_DEBOUNCE_MS = 350;

/** What a validation endpoint answers (strategies add the name the spec would be stored as). */
interface ValidationAnswer {
  valid: boolean;
  issues: Issue[];
}

/**
 * The editor state of `initial` with the server's validation of each text, debounced; `validate` must
 * be stable (a module function). `answer` is the latest answer received, whatever text it checked.
 */
export function useValidatedEditor<A extends ValidationAnswer>(
  initial: unknown,
  validate: (definition: unknown) => Promise<A>,
) {
  const [state, dispatch] = useReducer(editorReducer, initial, initialEditorState);
  const [answer, setAnswer] = useState<A | null>(null);

  // Answers for an older text are dropped by the reducer. Keyed on the text and its parse only:
  // answers change `state` too and must not re-trigger it.
  const { text, parsed } = state;
  useEffect(() => {
    if (!parsed.ok) return;
    const definition = definitionToSave(parsed.value);
    const timer = setTimeout(() => {
      dispatch({ type: 'checking', text });
      validate(definition).then(
        (r) => {
          setAnswer(r);
          dispatch({ type: 'checked', text, valid: r.valid, issues: r.issues });
        },
        (err: unknown) => dispatch({ type: 'checkFailed', text, message: errorMessage(err) }),
      );
    }, VALIDATE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, parsed, validate]);

  const status = editorStatus(state);
  return { state, dispatch, status, issues: currentIssues(state), answer };
}

/** The editor's state line (`${id}-status`, which the textarea points to) and the current issues. */
export function EditorStatusLine({
  id,
  status,
  issues,
  validText,
  root,
}: {
  id: string;
  status: EditorStatus;
  issues: readonly Issue[];
  /** What a valid draft says, e.g. "Valid template." */
  validText: string;
  /** How an issue at the root path is named, e.g. "(template)". */
  root: string;
}) {
  return (
    <>
      <p id={`${id}-status`} className="editor-status" role="status">
        {status.kind === 'syntax' && (
          <span className="neg">
            JSON syntax error
            {status.line !== null ? ` at line ${status.line}, column ${status.column}` : ''}: {status.message}
          </span>
        )}
        {status.kind === 'checking' && <span className="muted">Checking…</span>}
        {status.kind === 'valid' && <span className="pos">{validText}</span>}
        {status.kind === 'invalid' && (
          <span className="neg">
            {status.issues.length} problem{status.issues.length === 1 ? '' : 's'}
          </span>
        )}
        {status.kind === 'unchecked' && <span className="warn">Could not validate: {status.message}</span>}
      </p>
      {issues.length > 0 && (
        <ul className="issues">
          {issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <span className="mono">{i.path || root}</span>: {i.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The JSON textarea (`${id}-json`), described by the state line. */
export function JsonTextArea({
  id,
  label,
  text,
  status,
  dispatch,
}: {
  id: string;
  label: string;
  text: string;
  status: EditorStatus;
  dispatch: Dispatch<EditorAction>;
}) {
  return (
    <>
      <label htmlFor={`${id}-json`} className="sr-only">
        {label}
      </label>
      <textarea
        id={`${id}-json`}
        value={text}
        spellCheck={false}
        aria-invalid={status.kind === 'syntax' || status.kind === 'invalid'}
        aria-describedby={`${id}-status`}
        onChange={(e) => dispatch({ type: 'edit', text: e.target.value })}
      />
    </>
  );
}

/** What a save answered: the new version, or that the draft was identical to the stored one. */
export function SavedNote({
  saved,
  as,
}: {
  saved: { changed: boolean; id: string; version: number };
  /** The stored name, where the resource has one. */
  as?: string;
}) {
  return (
    <div className="state ok" role="status">
      {saved.changed
        ? `Saved ${saved.id} version ${saved.version}${as ? ` as ${as}` : ''}.`
        : `No change: identical to ${saved.id} version ${saved.version}.`}
    </div>
  );
}
