import type { Condition, SignalTemplate } from '../../../../shared/signals/schema.ts';

// The template editor's state: the JSON text is the single source of truth; the structured form edits
// the parsed object and writes it back as text. Server validation answers are matched to the text
// they checked, so a slow answer for an older text never overwrites a newer one.

/** One validation problem, `path` dot-separated from the template root (as POST /templates/validate says). */
export interface Issue {
  path: string;
  message: string;
}

/** The editor text parsed, or where and why it is not JSON. */
export type ParseResult =
  | { ok: true; value: unknown }
  | { ok: false; message: string; line: number | null; column: number | null };

/** The server's validation of one text (`text`), or that none has been asked for yet. */
export type Validation =
  | { status: 'idle' }
  | { status: 'checking'; text: string }
  | { status: 'done'; text: string; valid: boolean; issues: Issue[] }
  | { status: 'failed'; text: string; message: string };

/** The editor's whole state: the text, its parse and the latest validation. */
export interface EditorState {
  text: string;
  parsed: ParseResult;
  validation: Validation;
}

/** One step of a path into the definition: an object key or an array index. */
export type PathKey = string | number;

/** What changes the editor: typing, a form edit, and the validation request's progress. */
export type EditorAction =
  | { type: 'edit'; text: string }
  | { type: 'setField'; path: PathKey[]; value: unknown }
  | { type: 'checking'; text: string }
  | { type: 'checked'; text: string; valid: boolean; issues: Issue[] }
  | { type: 'checkFailed'; text: string; message: string };

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

/** Characters V8 quotes on each side of an unexpected token (json-parser.cc, kMaxContextCharacters). */
const V8_CONTEXT = 10;

/**
 * Where V8's "Unexpected token 'x', ...\"<context>\"... is not valid JSON" points: that message has no
 * position, only up to 10 characters of source each side of the token, with "..." where it cut.
 */
function contextPosition(text: string, message: string): number | null {
  const m = /^Unexpected token '(.)', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
  if (!m) return null;
  const [, token = '', cutStart, context = '', cutEnd] = m;
  const at = text.indexOf(context);
  if (at === -1) return null;
  // Cut at the start: the token follows exactly V8_CONTEXT characters of context.
  if (cutStart) return at + V8_CONTEXT;
  // Cut only at the end: the token is within the first V8_CONTEXT characters. Not cut: the whole
  // (short) source is quoted; the last occurrence is the best guess.
  const index = cutEnd ? context.lastIndexOf(token, V8_CONTEXT) : context.lastIndexOf(token);
  return index === -1 ? null : at + index;
}

/** Parses the editor text; a syntax error carries its line and column when the engine reports them. */
export function parseText(text: string): ParseResult {
  if (text.trim() === '')
    return { ok: false, message: 'empty: write a JSON object', line: null, column: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // Firefox and newer V8 say "line L column C"; older V8 only "at position P".
    const lc = /line (\d+) column (\d+)/.exec(message);
    if (lc) return { ok: false, message, line: Number(lc[1]), column: Number(lc[2]) };
    const pos = /position (\d+)/.exec(message);
    if (pos) return { ok: false, message, ...lineColumn(text, Number(pos[1])) };
    const fromContext = contextPosition(text, message);
    if (fromContext !== null) return { ok: false, message, ...lineColumn(text, fromContext) };
    if (/end of (JSON )?(input|data)/i.test(message))
      return { ok: false, message, ...lineColumn(text, text.length) };
    return { ok: false, message, line: null, column: null };
  }
}

/** The JSON text of a definition, as the editor shows it. */
export function toText(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Starting state for a definition (an existing template's, or a new draft). */
export function initialEditorState(definition: unknown): EditorState {
  const text = toText(definition);
  return { text, parsed: parseText(text), validation: { status: 'idle' } };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `root` with `value` at `path`, copying only the containers on the way; `undefined` deletes a key. */
export function setIn(root: unknown, path: readonly PathKey[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [PathKey, ...PathKey[]];
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...root] : [];
    if (rest.length === 0 && value === undefined) {
      arr.splice(head, 1);
      return arr;
    }
    arr[head] = setIn(arr[head], rest, value);
    return arr;
  }
  const obj: Record<string, unknown> = isRecord(root) ? { ...root } : {};
  if (rest.length === 0 && value === undefined) delete obj[head];
  else obj[head] = setIn(obj[head], rest, value);
  return obj;
}

/** The value at `path`, or undefined when any step is missing. */
export function getIn(root: unknown, path: readonly PathKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = isRecord(cur) ? cur[key] : undefined;
  }
  return cur;
}

/** The editor's reducer: text edits, form edits and validation answers. */
export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'edit':
      return action.text === state.text
        ? state
        : { ...state, text: action.text, parsed: parseText(action.text) };
    case 'setField': {
      // The form is only shown over a parsed object; an edit arriving otherwise has nothing to edit.
      if (!state.parsed.ok || !isRecord(state.parsed.value)) return state;
      const value = setIn(state.parsed.value, action.path, action.value);
      return { ...state, text: toText(value), parsed: { ok: true, value } };
    }
    case 'checking':
      return action.text === state.text
        ? { ...state, validation: { status: 'checking', text: action.text } }
        : state;
    case 'checked':
      return action.text === state.text
        ? {
            ...state,
            validation: { status: 'done', text: action.text, valid: action.valid, issues: action.issues },
          }
        : state;
    case 'checkFailed':
      return action.text === state.text
        ? { ...state, validation: { status: 'failed', text: action.text, message: action.message } }
        : state;
  }
}

/** What the editor shows as its state line, derived from the text and the validation of that text. */
export type EditorStatus =
  | { kind: 'syntax'; message: string; line: number | null; column: number | null }
  | { kind: 'checking' }
  | { kind: 'valid' }
  | { kind: 'invalid'; issues: Issue[] }
  | { kind: 'unchecked'; message: string };

/** The state line of the editor: a syntax error first, then the server's answer for exactly this text. */
export function editorStatus(state: EditorState): EditorStatus {
  const { parsed, validation } = state;
  if (!parsed.ok)
    return { kind: 'syntax', message: parsed.message, line: parsed.line, column: parsed.column };
  // Anything not answered for exactly this text is pending: the debounce has not fired or the answer is on its way.
  if (validation.status === 'idle' || validation.text !== state.text || validation.status === 'checking')
    return { kind: 'checking' };
  if (validation.status === 'failed') return { kind: 'unchecked', message: validation.message };
  return validation.valid ? { kind: 'valid' } : { kind: 'invalid', issues: validation.issues };
}

/** Issues of the current text, empty while it is unchecked. */
export function currentIssues(state: EditorState): Issue[] {
  const s = editorStatus(state);
  return s.kind === 'invalid' ? s.issues : [];
}

/** Issues exactly at `path`: what a form field shows under itself. */
export function issuesAt(issues: readonly Issue[], path: readonly PathKey[]): Issue[] {
  const key = path.join('.');
  return issues.filter((i) => i.path === key);
}

/** What gets stored: the server assigns versions, so a `version` in the draft is dropped. */
export function definitionToSave(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const { version: _, ...rest } = value;
  return rest;
}

/** The condition kinds of the template language, keyed by the property that tells them apart. */
export const CONDITION_KINDS = [
  'op',
  'cross',
  'between',
  'change',
  'rank',
  'held',
  'all',
  'any',
  'not',
] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/** The kind of a condition object, or null when it is none (the server says why). */
export function conditionKind(value: unknown): ConditionKind | null {
  if (!isRecord(value)) return null;
  // `change` and `rank` also carry `op`: their own key decides first.
  for (const k of ['all', 'any', 'not', 'held', 'cross', 'between', 'change', 'rank', 'op'] as const)
    if (Object.hasOwn(value, k)) return k;
  return null;
}

/** A valid starting condition of each kind, for the form's kind picker. */
export function defaultCondition(kind: ConditionKind): Condition {
  const rsi = { feature: 'rsi_14' } as const;
  switch (kind) {
    case 'op':
      return { left: rsi, op: '<', right: { value: 30 } };
    case 'cross':
      return { cross: 'above', left: { feature: 'close' }, right: { feature: 'sma_50' } };
    case 'between':
      return { between: rsi, min: 40, max: 60 };
    case 'change':
      return { change: { feature: 'close' }, days: 5, mode: 'pct', op: '>', value: 0.05 };
    case 'rank':
      return { rank: 'ret_20', op: '>=', value: 0.9 };
    case 'held':
      return { held: { left: { feature: 'close' }, op: '>', right: { feature: 'sma_200' } }, days: 5 };
    case 'all':
    case 'any':
      return { [kind]: [{ left: rsi, op: '<', right: { value: 30 } }] } as Condition;
    case 'not':
      return { not: { left: rsi, op: '<', right: { value: 30 } } };
  }
}

/** A new template that validates as it is, so the editor opens on a working preview. */
export function newTemplateDraft(): Omit<SignalTemplate, 'version'> {
  return {
    id: 'my_template',
    name: 'My template',
    description: 'RSI(14) below 30 while the trend is up.',
    direction: 'bullish',
    asset_types: ['crypto', 'equity'],
    when: {
      all: [
        { left: { feature: 'rsi_14' }, op: '<', right: { value: 30 } },
        { left: { feature: 'close' }, op: '>', right: { feature: 'sma_200' } },
      ],
    },
    strength: { base: 50, terms: [{ feature: 'rsi_14', from: 30, to: 10, weight: 50 }] },
    evidence: ['rsi_14', 'close', 'sma_200'],
  };
}

/**
 * A form's numeric text as the definition stores it: a number when the text reads back unchanged,
 * otherwise the text itself, so a half-typed "0.", "0.0" or "-" stays in the field as typed (the
 * next keystroke continues it) and the server names the problem at its path meanwhile.
 */
export function parseNumberInput(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && String(n) === text ? n : text;
}

/** The text a form field shows for a stored value. */
export function numberInputText(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
}
