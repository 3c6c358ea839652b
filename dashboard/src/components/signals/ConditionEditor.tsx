import type { ReactNode } from 'react';
import {
  CONDITION_KINDS,
  type ConditionKind,
  conditionKind,
  defaultCondition,
  getIn,
  type Issue,
  issuesAt,
  numberInputText,
  type PathKey,
  parseNumberInput,
} from './editorState.ts';

const KIND_LABELS: Record<ConditionKind, string> = {
  op: 'compare',
  cross: 'cross',
  between: 'between',
  change: 'change over days',
  rank: 'universe rank',
  held: 'held for days',
  all: 'all of',
  any: 'any of',
  not: 'not',
};
const OPS = ['<', '<=', '>', '>=', '==', '!='] as const;

/** What every field of the condition form needs: the draft, how to change it, the issues and the feature list. */
export interface FieldContext {
  root: unknown;
  set: (path: PathKey[], value: unknown) => void;
  issues: readonly Issue[];
  /** id of the <datalist> of input names. */
  inputsList: string;
}

function FieldIssues({ ctx, path }: { ctx: FieldContext; path: PathKey[] }) {
  const found = issuesAt(ctx.issues, path);
  if (found.length === 0) return null;
  return (
    <span className="field-issue" role="alert">
      {found.map((i) => i.message).join('; ')}
    </span>
  );
}

/** A numeric field; see parseNumberInput for why half-typed text is kept. */
export function NumberInput({ ctx, path, label }: { ctx: FieldContext; path: PathKey[]; label: string }) {
  return (
    <>
      <input
        className="numeric"
        type="text"
        inputMode="decimal"
        aria-label={label}
        aria-invalid={issuesAt(ctx.issues, path).length > 0}
        value={numberInputText(getIn(ctx.root, path))}
        onChange={(e) => ctx.set(path, parseNumberInput(e.target.value))}
      />
      <FieldIssues ctx={ctx} path={path} />
    </>
  );
}

/** An input name (feature column or bar field), suggested from the dictionary. */
export function InputName({ ctx, path, label }: { ctx: FieldContext; path: PathKey[]; label: string }) {
  const value = getIn(ctx.root, path);
  return (
    <>
      <input
        className="feature mono"
        type="text"
        list={ctx.inputsList}
        aria-label={label}
        aria-invalid={issuesAt(ctx.issues, path).length > 0}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => ctx.set(path, e.target.value)}
        spellCheck={false}
      />
      <FieldIssues ctx={ctx} path={path} />
    </>
  );
}

function Select<T extends string>({
  ctx,
  path,
  label,
  options,
}: {
  ctx: FieldContext;
  path: PathKey[];
  label: string;
  options: readonly T[];
}) {
  const value = getIn(ctx.root, path);
  return (
    <>
      <select
        aria-label={label}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => ctx.set(path, e.target.value)}
      >
        {typeof value !== 'string' || !options.includes(value as T) ? (
          <option value="">choose…</option>
        ) : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      <FieldIssues ctx={ctx} path={path} />
    </>
  );
}

/** `{feature, times?}` or `{value}`: a switch between the two and the matching input. */
function Operand({ ctx, path, label }: { ctx: FieldContext; path: PathKey[]; label: string }) {
  const operand = getIn(ctx.root, path);
  const isValue = typeof operand === 'object' && operand !== null && 'value' in operand;
  return (
    <span className="cond-line">
      <select
        aria-label={`${label}: feature or number`}
        value={isValue ? 'value' : 'feature'}
        onChange={(e) => ctx.set(path, e.target.value === 'value' ? { value: 0 } : { feature: 'close' })}
      >
        <option value="feature">feature</option>
        <option value="value">number</option>
      </select>
      {isValue ? (
        <NumberInput ctx={ctx} path={[...path, 'value']} label={`${label} number`} />
      ) : (
        <InputName ctx={ctx} path={[...path, 'feature']} label={`${label} feature`} />
      )}
      <FieldIssues ctx={ctx} path={path} />
    </span>
  );
}

function Line({ children }: { children: ReactNode }) {
  return <div className="cond-line">{children}</div>;
}

/** One node of the condition tree, recursively: its kind picker and the fields of that kind. */
export function ConditionEditor({
  ctx,
  path,
  onRemove,
}: {
  ctx: FieldContext;
  path: PathKey[];
  onRemove?: () => void;
}) {
  const value = getIn(ctx.root, path);
  const kind = conditionKind(value);
  const where = path.join('.');
  let body: ReactNode = null;
  switch (kind) {
    case 'op':
      body = (
        <Line>
          <Operand ctx={ctx} path={[...path, 'left']} label="left" />
          <Select ctx={ctx} path={[...path, 'op']} label="operator" options={OPS} />
          <Operand ctx={ctx} path={[...path, 'right']} label="right" />
        </Line>
      );
      break;
    case 'cross':
      body = (
        <Line>
          <Operand ctx={ctx} path={[...path, 'left']} label="left" />
          <span>crosses</span>
          <Select
            ctx={ctx}
            path={[...path, 'cross']}
            label="direction"
            options={['above', 'below'] as const}
          />
          <Operand ctx={ctx} path={[...path, 'right']} label="right" />
        </Line>
      );
      break;
    case 'between':
      body = (
        <Line>
          <Operand ctx={ctx} path={[...path, 'between']} label="value" />
          <span>between</span>
          <NumberInput ctx={ctx} path={[...path, 'min']} label="min" />
          <span>and</span>
          <NumberInput ctx={ctx} path={[...path, 'max']} label="max" />
        </Line>
      );
      break;
    case 'change':
      body = (
        <Line>
          <Operand ctx={ctx} path={[...path, 'change']} label="changing input" />
          <span>over</span>
          <NumberInput ctx={ctx} path={[...path, 'days']} label="days" />
          <span>days as</span>
          <Select ctx={ctx} path={[...path, 'mode']} label="mode" options={['pct', 'abs'] as const} />
          <Select ctx={ctx} path={[...path, 'op']} label="operator" options={OPS} />
          <NumberInput ctx={ctx} path={[...path, 'value']} label="threshold" />
        </Line>
      );
      break;
    case 'rank':
      body = (
        <Line>
          <span>percentile rank of</span>
          <InputName ctx={ctx} path={[...path, 'rank']} label="ranked feature" />
          <Select ctx={ctx} path={[...path, 'op']} label="operator" options={OPS} />
          <NumberInput ctx={ctx} path={[...path, 'value']} label="rank (0 to 1)" />
        </Line>
      );
      break;
    case 'held':
      body = (
        <>
          <Line>
            <span>for each of the last</span>
            <NumberInput ctx={ctx} path={[...path, 'days']} label="days held" />
            <span>days:</span>
          </Line>
          <ConditionEditor ctx={ctx} path={[...path, 'held']} />
        </>
      );
      break;
    case 'not':
      body = <ConditionEditor ctx={ctx} path={[...path, 'not']} />;
      break;
    case 'all':
    case 'any': {
      const list = getIn(ctx.root, [...path, kind]);
      const items = Array.isArray(list) ? list : [];
      body = (
        <>
          {items.map((_, i) => (
            <ConditionEditor
              // Conditions have no identity besides their position; removing one re-renders those after it.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={i}
              ctx={ctx}
              path={[...path, kind, i]}
              onRemove={() => ctx.set([...path, kind, i], undefined)}
            />
          ))}
          <div>
            <button
              type="button"
              className="btn small"
              onClick={() => ctx.set([...path, kind, items.length], defaultCondition('op'))}
            >
              + condition
            </button>
          </div>
        </>
      );
      break;
    }
    case null:
      body = (
        <span className="muted small">Not a condition the form knows: pick a type or fix it in JSON.</span>
      );
  }
  return (
    <fieldset className="cond" aria-label={`condition ${where}`}>
      <div className="cond-line">
        <select
          aria-label={`type of condition ${where}`}
          value={kind ?? ''}
          onChange={(e) => ctx.set(path, defaultCondition(e.target.value as ConditionKind))}
        >
          {kind === null && <option value="">choose…</option>}
          {CONDITION_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        {onRemove && (
          <button
            type="button"
            className="btn small"
            onClick={onRemove}
            aria-label={`remove condition ${where}`}
          >
            ✕
          </button>
        )}
        <FieldIssues ctx={ctx} path={path} />
      </div>
      {body}
    </fieldset>
  );
}
