/** Problems in a pgTAP run's output: failed tests, a plan that was not met, or no plan at all. */
export function tapProblems(output: string): string[] {
  const lines = output.split('\n');
  const problems = lines.filter((l) => l.startsWith('not ok'));
  const plan = lines.map((l) => /^1\.\.(\d+)$/.exec(l)).find((m) => m);
  const ran = lines.filter((l) => /^(not )?ok \d+/.test(l)).length;
  if (!plan) problems.push('no plan line (1..N): the file did not run');
  else if (Number(plan[1]) !== ran) problems.push(`planned ${plan[1]} tests, ran ${ran}`);
  return problems;
}
