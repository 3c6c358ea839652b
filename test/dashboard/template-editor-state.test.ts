import { describe, expect, it } from 'vitest';
import {
  CONDITION_KINDS,
  conditionKind,
  currentIssues,
  defaultCondition,
  definitionToSave,
  editorReducer,
  editorStatus,
  getIn,
  initialEditorState,
  issuesAt,
  newTemplateDraft,
  parseNumberInput,
  parseText,
  setIn,
} from '../../dashboard/src/components/signals/editorState.ts';
import { validateTemplate } from '../../shared/signals/store.ts';

describe('parseText', () => {
  it('locates a syntax error by line and column', () => {
    const r = parseText('{\n  "a": 1,\n}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.line).toBe(3);
    expect(r.column).toBe(1);
  });

  it('places an unexpected end at the end of the text', () => {
    const r = parseText('{\n "a":');
    expect(r).toMatchObject({ ok: false, line: 2 });
  });

  it('turns a character position into a 1-based column', () => {
    expect(parseText('{ "a": 1,, }')).toMatchObject({ ok: false, line: 1, column: 10 });
  });

  it('locates V8 errors that quote the source around the token instead of a position', () => {
    // `Unexpected token '}', ..."name": }" is not valid JSON`: cut at the start.
    expect(parseText('{"id": "x",\n "name": }')).toMatchObject({ ok: false, line: 2, column: 10 });
    // Cut at the end only: the token is within the first ten characters.
    expect(parseText('{"x": x, "aaaaaaaaaaaaaaaaaaaaaaaaaaaa": 1}')).toMatchObject({ ok: false, column: 7 });
    // Short sources are quoted whole.
    expect(parseText('{"a": tru}')).toMatchObject({ ok: false, line: 1, column: 10 });
  });

  it('calls empty text an error, not a value', () => {
    expect(parseText('  ')).toMatchObject({ ok: false, line: null });
  });

  it('parses valid JSON', () => {
    expect(parseText('{"a":[1,2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });
});

describe('setIn / getIn', () => {
  it('copies only the containers on the path', () => {
    const root = { a: { b: [1, 2, 3] }, c: { d: 1 } };
    const next = setIn(root, ['a', 'b', 1], 9) as typeof root;
    expect(next.a.b).toEqual([1, 9, 3]);
    expect(root.a.b).toEqual([1, 2, 3]);
    expect(next.c).toBe(root.c);
  });

  it('creates missing containers by key type', () => {
    expect(setIn({}, ['x', 0, 'y'], 1)).toEqual({ x: [{ y: 1 }] });
  });

  it('deletes a key or splices an array element on undefined', () => {
    expect(setIn({ a: 1, b: 2 }, ['a'], undefined)).toEqual({ b: 2 });
    expect(setIn({ l: ['x', 'y', 'z'] }, ['l', 1], undefined)).toEqual({ l: ['x', 'z'] });
  });

  it('reads undefined through missing steps and wrong container types', () => {
    expect(getIn({ a: [{ b: 1 }] }, ['a', 0, 'b'])).toBe(1);
    expect(getIn({ a: { 0: 1 } }, ['a', 0])).toBeUndefined();
    expect(getIn(null, ['a'])).toBeUndefined();
  });
});

describe('editorReducer and editorStatus', () => {
  const start = initialEditorState({ id: 'x', name: 'X' });

  it('is "checking" until the current text has an answer', () => {
    expect(editorStatus(start).kind).toBe('checking');
    const checking = editorReducer(start, { type: 'checking', text: start.text });
    expect(editorStatus(checking).kind).toBe('checking');
    const done = editorReducer(checking, { type: 'checked', text: start.text, valid: true, issues: [] });
    expect(editorStatus(done).kind).toBe('valid');
  });

  it('drops an answer for an older text: a slow response never overwrites a newer edit', () => {
    const edited = editorReducer(start, { type: 'edit', text: '{"id":"y"}' });
    const late = editorReducer(edited, {
      type: 'checked',
      text: start.text,
      valid: false,
      issues: [{ path: 'id', message: 'old' }],
    });
    expect(late).toBe(edited);
    expect(editorStatus(late).kind).toBe('checking');
  });

  it('reports a syntax error before anything the server said', () => {
    const checked = editorReducer(start, { type: 'checked', text: start.text, valid: true, issues: [] });
    const broken = editorReducer(checked, { type: 'edit', text: '{"id":' });
    expect(editorStatus(broken).kind).toBe('syntax');
    expect(currentIssues(broken)).toEqual([]);
  });

  it('an edit back to the checked text shows its answer again', () => {
    const checked = editorReducer(start, {
      type: 'checked',
      text: start.text,
      valid: false,
      issues: [{ path: 'name', message: 'bad' }],
    });
    const away = editorReducer(checked, { type: 'edit', text: '{}' });
    const back = editorReducer(away, { type: 'edit', text: start.text });
    expect(currentIssues(back)).toEqual([{ path: 'name', message: 'bad' }]);
  });

  it('form edits rewrite the text from the edited object', () => {
    const next = editorReducer(start, { type: 'setField', path: ['name'], value: 'Renamed' });
    expect(JSON.parse(next.text)).toEqual({ id: 'x', name: 'Renamed' });
    expect(next.parsed).toEqual({ ok: true, value: { id: 'x', name: 'Renamed' } });
  });

  it('ignores form edits while the text does not parse to an object', () => {
    const broken = editorReducer(start, { type: 'edit', text: '[1' });
    expect(editorReducer(broken, { type: 'setField', path: ['name'], value: 'n' })).toBe(broken);
  });

  it('keeps a failed validation distinct from an invalid template', () => {
    const failed = editorReducer(start, { type: 'checkFailed', text: start.text, message: 'offline' });
    expect(editorStatus(failed)).toEqual({ kind: 'unchecked', message: 'offline' });
  });
});

describe('issues by path', () => {
  const issues = [
    { path: 'when.all.0.left.feature', message: 'unknown' },
    { path: 'when', message: 'too deep' },
    { path: 'whenever', message: 'not under when' },
    { path: '', message: 'root' },
  ];

  it('issuesAt matches the exact path only', () => {
    expect(issuesAt(issues, ['when']).map((i) => i.message)).toEqual(['too deep']);
    expect(issuesAt(issues, ['when', 'all', 0, 'left', 'feature'])).toHaveLength(1);
  });
});

describe('condition kinds', () => {
  it('tells change and rank from comparisons although both carry op', () => {
    expect(conditionKind({ change: { feature: 'close' }, op: '>', days: 5 })).toBe('change');
    expect(conditionKind({ rank: 'ret_20', op: '>', value: 0.9 })).toBe('rank');
    expect(conditionKind({ left: {}, op: '<', right: {} })).toBe('op');
    expect(conditionKind([])).toBeNull();
  });

  it.each(CONDITION_KINDS)('the default %s condition validates with the server schema', (kind) => {
    const draft = { ...newTemplateDraft(), when: defaultCondition(kind) };
    expect(validateTemplate(draft)).toEqual({ valid: true, issues: [] });
    expect(conditionKind(defaultCondition(kind))).toBe(kind);
  });

  it('the new-template draft validates as it is', () => {
    expect(validateTemplate(newTemplateDraft()).valid).toBe(true);
  });
});

describe('form values', () => {
  it('stores numbers that read back unchanged and keeps half-typed text as typed', () => {
    expect(parseNumberInput('30')).toBe(30);
    expect(parseNumberInput('-0.05')).toBe(-0.05);
    expect(parseNumberInput('0.')).toBe('0.');
    expect(parseNumberInput('0.0')).toBe('0.0');
    expect(parseNumberInput('-')).toBe('-');
    expect(parseNumberInput('')).toBe('');
  });

  it('drops the version before saving: the store assigns it', () => {
    expect(definitionToSave({ id: 'a', version: 3 })).toEqual({ id: 'a' });
    expect(definitionToSave([1])).toEqual([1]);
  });
});
