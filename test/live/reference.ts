import { replayOptionsFrom } from '../../scripts/replay-cli.ts';
import { DEFAULT_LIVE, LiveBrain, type LiveDecision } from '../../shared/live/brain.ts';
import { replayEvents } from '../../shared/live/replay.ts';

/** The decisions the brain makes in-process over the replay `stratos replay` makes with these options. */
export async function referenceDecisions(args: Record<string, string>): Promise<LiveDecision[]> {
  const brain = new LiveBrain(DEFAULT_LIVE);
  const out: LiveDecision[] = [];
  for (const e of replayEvents(replayOptionsFrom(args))) out.push(...(await brain.handle(e)).decisions);
  return out;
}
