import {
  LearnedRuleView,
  LearningOverview,
  LearningRuleDecision,
  LearningRulePath,
} from '../../../shared/api/contracts/learning.ts';
import { learningDecide, learningOverview } from '../../../shared/api/learning.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';
import { type Route, route } from './routes.ts';

/** The learning loop: buffer, rules and shadows for readers; activating or retiring a rule for admins. */
export function learningRoutes(ctx: PipelineContext): Route[] {
  return [
    route({
      method: 'get',
      path: '/learning',
      summary:
        "The experience buffer's statistics, learned rules with their evidence, shadow exits against live",
      access: 'reader',
      response: LearningOverview,
      handler: () => learningOverview(ctx),
    }),
    route({
      method: 'post',
      path: '/learning/rules/:id',
      summary:
        'Activate a learned rule (it then blocks matching buys, named in the reason) or retire it, with a reason',
      access: 'admin',
      params: LearningRulePath,
      body: LearningRuleDecision,
      response: LearnedRuleView,
      errors: [404],
      handler: ({ params, body }) => learningDecide(ctx, params.id, body.status, body.reason, 'admin'),
    }),
  ];
}
