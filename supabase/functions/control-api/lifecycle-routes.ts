import {
  LifecycleActionRequest,
  LifecycleBoard,
  LifecycleCard,
  LifecycleConfigView,
  LifecycleCycleRequest,
  LifecycleCycleStarted,
  LifecycleDetail,
  LifecycleEnrol,
  LifecyclePath,
  LifecycleTransitionList,
  LifecycleTransitionQuery,
} from '../../../shared/api/contracts/lifecycle.ts';
import {
  lifecycleAct,
  lifecycleBoard,
  lifecycleConfig,
  lifecycleConfigure,
  lifecycleDetail,
  lifecycleEnrol,
  lifecycleRunCycle,
  lifecycleTransitions,
} from '../../../shared/api/lifecycle.ts';
import { LifecycleConfigPatch } from '../../../shared/lifecycle/config.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';
import { type Route, route } from './routes.ts';

/** The strategy lifecycle: the board and histories for readers; actions, settings and cycles for admins. */
export function lifecycleRoutes(ctx: PipelineContext): Route[] {
  return [
    route({
      method: 'get',
      path: '/lifecycle/board',
      summary: 'The Strategies board: header numbers, backtest / paper / live columns, configuration',
      access: 'reader',
      response: LifecycleBoard,
      handler: () => lifecycleBoard(ctx),
    }),
    route({
      method: 'get',
      path: '/lifecycle/transitions',
      summary: 'The latest lifecycle transitions with their reasons and metrics, newest first',
      access: 'reader',
      query: LifecycleTransitionQuery,
      response: LifecycleTransitionList,
      handler: ({ query }) => lifecycleTransitions(ctx, query),
    }),
    route({
      method: 'get',
      path: '/lifecycle/strategies/:id',
      summary: "One strategy's card and every transition it went through",
      access: 'reader',
      params: LifecyclePath,
      response: LifecycleDetail,
      errors: [404],
      handler: ({ params }) => lifecycleDetail(ctx, params.id),
    }),
    route({
      method: 'post',
      path: '/lifecycle/strategies',
      summary: 'Put a stored strategy into the lifecycle at the backtest phase (the next cycle gates it)',
      access: 'admin',
      body: LifecycleEnrol,
      status: 201,
      response: LifecycleCard,
      errors: [404, 409],
      handler: ({ body }) => lifecycleEnrol(ctx, body.strategy, body.reason, 'admin'),
    }),
    route({
      method: 'post',
      path: '/lifecycle/strategies/:id/actions',
      summary: 'Promote, reject, pause or resume a strategy, with a reason (stored as a transition)',
      access: 'admin',
      params: LifecyclePath,
      body: LifecycleActionRequest,
      response: LifecycleCard,
      errors: [404, 409],
      handler: ({ params, body }) => lifecycleAct(ctx, params.id, body.action, body.reason, 'admin'),
    }),
    route({
      method: 'get',
      path: '/lifecycle/config',
      summary: "The discovery loop's settings and every gate's value",
      access: 'reader',
      response: LifecycleConfigView,
      handler: () => lifecycleConfig(ctx),
    }),
    route({
      method: 'patch',
      path: '/lifecycle/config',
      summary: 'Start or stop discovery, set its rate, universe, look-back, seed and the gates',
      access: 'admin',
      body: LifecycleConfigPatch,
      response: LifecycleConfigView,
      handler: ({ body }) => lifecycleConfigure(ctx, body, 'admin'),
    }),
    route({
      method: 'post',
      path: '/lifecycle/cycles',
      summary: "Queue this hour's discovery cycle now (the hourly schedule does it on its own)",
      access: 'admin',
      body: LifecycleCycleRequest,
      status: 202,
      response: LifecycleCycleStarted,
      handler: ({ body }) => lifecycleRunCycle(ctx, body.date),
    }),
  ];
}
