import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { featuresQuery } from '../../api/queries/features.ts';
import { templateDetailQuery, useSaveTemplate, validateTemplate } from '../../api/queries/templates.ts';
import { EditorStatusLine, JsonTextArea, SavedNote, useValidatedEditor } from '../DefinitionEditor.tsx';
import { ErrorBox, Loading } from '../QueryState.tsx';
import { WriteError } from '../WriteError.tsx';
import type { FieldContext } from './ConditionEditor.tsx';
import { definitionToSave, newTemplateDraft } from './editorState.ts';
import { TemplateForm } from './TemplateForm.tsx';
import { TemplatePreviewPanel } from './TemplatePreviewPanel.tsx';

const BAR_INPUTS = ['open', 'high', 'low', 'close', 'volume'];

interface Props {
  /** The template to edit, or null for a new one. */
  templateId: string | null;
  onClose: () => void;
}

/** Create or edit a template: JSON or a structured form, validated as you type, previewed live. */
export function TemplateEditor({ templateId, onClose }: Props) {
  const detail = useQuery({ ...templateDetailQuery(templateId ?? ''), enabled: templateId !== null });
  if (templateId === null)
    return (
      <EditorBody
        key="new"
        initial={newTemplateDraft()}
        existingId={null}
        builtin={false}
        onClose={onClose}
      />
    );
  if (detail.isPending) return <Loading what={`template ${templateId}`} />;
  if (detail.isError)
    return (
      <ErrorBox what={`template ${templateId}`} error={detail.error} onRetry={() => void detail.refetch()} />
    );
  const latest = detail.data.versions[0];
  return (
    <EditorBody
      key={`${templateId}@${detail.data.version}`}
      initial={latest?.definition ?? newTemplateDraft()}
      existingId={detail.data.builtin ? null : templateId}
      builtin={detail.data.builtin}
      onClose={onClose}
    />
  );
}

function EditorBody({
  initial,
  existingId: initialId,
  builtin,
  onClose,
}: {
  initial: unknown;
  existingId: string | null;
  builtin: boolean;
  onClose: () => void;
}) {
  const id = useId();
  const { state, dispatch, status, issues } = useValidatedEditor(initial, validateTemplate);
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const features = useQuery(featuresQuery());
  const save = useSaveTemplate();
  // Once created, the template exists: the next save is a new version of it, not a second create.
  const [createdId, setCreatedId] = useState<string | null>(null);
  const existingId = initialId ?? createdId;
  const isObject =
    state.parsed.ok &&
    typeof state.parsed.value === 'object' &&
    state.parsed.value !== null &&
    !Array.isArray(state.parsed.value);

  const ctx: FieldContext = {
    root: state.parsed.ok ? state.parsed.value : null,
    set: (path, value) => dispatch({ type: 'setField', path, value }),
    issues,
    inputsList: `${id}-inputs`,
  };
  const valid = status.kind === 'valid' && state.parsed.ok;

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <h2 id={`${id}-title`}>
          {existingId ? `Edit ${existingId}` : builtin ? 'Copy a built-in template' : 'New template'}
        </h2>
        <fieldset className="tabs">
          <legend className="sr-only">editor mode</legend>
          <button
            type="button"
            className="btn small"
            aria-pressed={mode === 'form'}
            disabled={!isObject}
            title={isObject ? undefined : 'Fix the JSON first: the form edits a parsed object'}
            onClick={() => setMode('form')}
          >
            Form
          </button>
          <button
            type="button"
            className="btn small"
            aria-pressed={mode === 'json'}
            onClick={() => setMode('json')}
          >
            JSON
          </button>
        </fieldset>
        <span className="spacer" />
        <button
          type="button"
          className="btn primary"
          disabled={!valid || save.isPending}
          onClick={() =>
            state.parsed.ok &&
            save.mutate(
              { existingId, definition: definitionToSave(state.parsed.value) },
              { onSuccess: (saved) => setCreatedId(saved.id) },
            )
          }
        >
          {save.isPending ? 'Saving…' : existingId ? 'Save new version' : 'Create'}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
      {builtin && !existingId && (
        <p className="hint">
          Built-in templates change in code. Saving creates a new template: give it a new id.
        </p>
      )}
      {save.isError && <WriteError what="save the template" error={save.error} />}
      {save.isSuccess && <SavedNote saved={save.data} />}
      <div className="editor">
        <div>
          <EditorStatusLine
            id={id}
            status={status}
            issues={issues}
            validText="Valid template."
            root="(template)"
          />
          {mode === 'form' && isObject ? (
            <TemplateForm ctx={ctx} idLocked={existingId !== null} />
          ) : (
            <JsonTextArea
              id={id}
              label="Template JSON"
              text={state.text}
              status={status}
              dispatch={dispatch}
            />
          )}
          <datalist id={`${id}-inputs`}>
            {(features.data?.items.map((f) => f.name) ?? []).concat(BAR_INPUTS).map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </div>
        <TemplatePreviewPanel
          definition={valid && state.parsed.ok ? definitionToSave(state.parsed.value) : null}
          text={state.text}
        />
      </div>
    </section>
  );
}
