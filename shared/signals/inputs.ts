import type { Condition, Operand, SignalInput, SignalTemplate } from './schema.ts';

function operandInputs(o: Operand, out: Set<SignalInput>): void {
  if ('feature' in o) out.add(o.feature);
}

function conditionInputs(c: Condition, out: Set<SignalInput>): void {
  if ('all' in c) for (const x of c.all) conditionInputs(x, out);
  else if ('any' in c) for (const x of c.any) conditionInputs(x, out);
  else if ('not' in c) conditionInputs(c.not, out);
  else if ('between' in c) operandInputs(c.between, out);
  else {
    operandInputs(c.left, out);
    operandInputs(c.right, out);
  }
}

/** Every input (feature or bar field) the templates read: conditions, strength terms and evidence. */
export function templateInputs(templates: readonly SignalTemplate[]): Set<SignalInput> {
  const out = new Set<SignalInput>();
  for (const t of templates) {
    conditionInputs(t.when, out);
    for (const term of t.strength.terms) out.add(term.feature);
    for (const e of t.evidence) out.add(e);
  }
  return out;
}
