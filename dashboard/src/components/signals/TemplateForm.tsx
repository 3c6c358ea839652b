import { useId, useState } from 'react';
import { ConditionEditor, type FieldContext, InputName, NumberInput } from './ConditionEditor.tsx';
import { getIn, issuesAt, type PathKey } from './editorState.ts';

const DIRECTIONS = ['bullish', 'bearish', 'neutral'] as const;
const ASSET_TYPES = ['crypto', 'equity'] as const;

function Issues({ ctx, path }: { ctx: FieldContext; path: PathKey[] }) {
  const found = issuesAt(ctx.issues, path);
  return found.length ? (
    <span className="field-issue" role="alert">
      {found.map((i) => i.message).join('; ')}
    </span>
  ) : null;
}

function TextField({
  ctx,
  path,
  label,
  disabled,
}: {
  ctx: FieldContext;
  path: PathKey[];
  label: string;
  disabled?: boolean;
}) {
  const id = useId();
  const value = getIn(ctx.root, path);
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div>
        <input
          id={id}
          type="text"
          value={typeof value === 'string' ? value : ''}
          disabled={disabled}
          aria-invalid={issuesAt(ctx.issues, path).length > 0}
          onChange={(e) => ctx.set(path, e.target.value)}
        />
        <Issues ctx={ctx} path={path} />
      </div>
    </>
  );
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The evidence inputs as removable chips plus a suggested-name input. */
function EvidenceField({ ctx }: { ctx: FieldContext }) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const list = strings(getIn(ctx.root, ['evidence']));
  const add = () => {
    const name = draft.trim();
    if (name && !list.includes(name)) ctx.set(['evidence'], [...list, name]);
    setDraft('');
  };
  return (
    <>
      <label htmlFor={id}>evidence</label>
      <div>
        <div className="chips">
          {list.map((name, i) => (
            <span key={name} className="chip mono">
              {name}{' '}
              <button
                type="button"
                className="btn small"
                aria-label={`remove evidence ${name}`}
                onClick={() => ctx.set(['evidence', i], undefined)}
              >
                ✕
              </button>
            </span>
          ))}
        </div>
        <div className="cond-line">
          <input
            id={id}
            className="feature mono"
            type="text"
            list={ctx.inputsList}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <button type="button" className="btn small" onClick={add} disabled={!draft.trim()}>
            Add
          </button>
        </div>
        {Array.from({ length: list.length + 1 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: issue slots are positional, as the paths are
          <Issues key={i} ctx={ctx} path={i === list.length ? ['evidence'] : ['evidence', i]} />
        ))}
      </div>
    </>
  );
}

/** The strength formula: a base and weighted, clamped feature terms. */
function StrengthField({ ctx }: { ctx: FieldContext }) {
  const terms = getIn(ctx.root, ['strength', 'terms']);
  const items = Array.isArray(terms) ? terms : [];
  return (
    <>
      <span className="muted">strength</span>
      <div className="cond">
        <div className="cond-line">
          <span>base</span>
          <NumberInput ctx={ctx} path={['strength', 'base']} label="strength base (0 to 100)" />
        </div>
        {items.map((_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: terms have no identity besides their position
          <div key={i} className="cond-line">
            <span>+</span>
            <NumberInput ctx={ctx} path={['strength', 'terms', i, 'weight']} label={`term ${i + 1} weight`} />
            <span>× scale of</span>
            <InputName ctx={ctx} path={['strength', 'terms', i, 'feature']} label={`term ${i + 1} feature`} />
            <span>from</span>
            <NumberInput ctx={ctx} path={['strength', 'terms', i, 'from']} label={`term ${i + 1} from`} />
            <span>to</span>
            <NumberInput ctx={ctx} path={['strength', 'terms', i, 'to']} label={`term ${i + 1} to`} />
            <button
              type="button"
              className="btn small"
              aria-label={`remove strength term ${i + 1}`}
              onClick={() => ctx.set(['strength', 'terms', i], undefined)}
            >
              ✕
            </button>
          </div>
        ))}
        <div>
          <button
            type="button"
            className="btn small"
            onClick={() =>
              ctx.set(['strength', 'terms', items.length], {
                feature: 'rsi_14',
                from: 30,
                to: 10,
                weight: 25,
              })
            }
          >
            + term
          </button>
        </div>
        <Issues ctx={ctx} path={['strength']} />
      </div>
    </>
  );
}

/** The structured form over a template draft; everything it cannot express stays editable as JSON. */
export function TemplateForm({ ctx, idLocked }: { ctx: FieldContext; idLocked: boolean }) {
  const directionId = useId();
  const direction = getIn(ctx.root, ['direction']);
  const types = strings(getIn(ctx.root, ['asset_types']));
  return (
    <div className="form-grid">
      <TextField ctx={ctx} path={['id']} label="id" disabled={idLocked} />
      <TextField ctx={ctx} path={['name']} label="name" />
      <TextField ctx={ctx} path={['description']} label="description" />
      <label htmlFor={directionId}>direction</label>
      <div>
        <select
          id={directionId}
          value={typeof direction === 'string' ? direction : ''}
          onChange={(e) => ctx.set(['direction'], e.target.value)}
        >
          {DIRECTIONS.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <Issues ctx={ctx} path={['direction']} />
      </div>
      <span className="muted">markets</span>
      <div className="cond-line">
        {ASSET_TYPES.map((t) => (
          <label key={t} className="toggle">
            <input
              type="checkbox"
              checked={types.includes(t)}
              onChange={(e) =>
                ctx.set(['asset_types'], e.target.checked ? [...types, t] : types.filter((x) => x !== t))
              }
            />
            {t}
          </label>
        ))}
        <Issues ctx={ctx} path={['asset_types']} />
      </div>
      <span className="muted">fires when</span>
      <ConditionEditor ctx={ctx} path={['when']} />
      <StrengthField ctx={ctx} />
      <EvidenceField ctx={ctx} />
    </div>
  );
}
