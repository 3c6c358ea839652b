import {
  SearchGroupList,
  SearchPrunedList,
  SearchRunList,
  SearchRunPath,
  SearchRunsQuery,
  SearchRunView,
  SearchSelection,
  SearchSelectionQuery,
  SearchTrialPage,
  SearchTrialsQuery,
  WeekdayQuery,
  WeekdayView,
} from '../../../shared/api/contracts/search.ts';
import {
  searchGroups,
  searchPruned,
  searchRun,
  searchRuns,
  searchSelection,
  searchTrials,
  weekdayView,
} from '../../../shared/api/search.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';
import { type Route, route } from './routes.ts';

/** The weekly search's reads: runs and progress, trials, pruned variations, groups, selection, weekday run. */
export function searchRoutes(ctx: PipelineContext): Route[] {
  const { sql } = ctx;
  return [
    route({
      method: 'get',
      path: '/search/runs',
      summary: 'Search runs, newest first, with progress (cycles, trials, best score, budget left)',
      access: 'reader',
      query: SearchRunsQuery,
      response: SearchRunList,
      handler: ({ query }) => searchRuns(sql, query),
    }),
    route({
      method: 'get',
      path: '/search/runs/:id',
      summary: 'One search run and its progress',
      access: 'reader',
      params: SearchRunPath,
      response: SearchRunView,
      errors: [404],
      handler: ({ params }) => searchRun(sql, params.id),
    }),
    route({
      method: 'get',
      path: '/search/runs/:id/trials',
      summary: 'A page of the run’s trial ledger, by score or order of evaluation',
      access: 'reader',
      params: SearchRunPath,
      query: SearchTrialsQuery,
      response: SearchTrialPage,
      errors: [404],
      handler: ({ params, query }) => searchTrials(sql, params.id, query),
    }),
    route({
      method: 'get',
      path: '/search/runs/:id/pruned',
      summary: 'The variations the pruner kept, per algorithm by rank',
      access: 'reader',
      params: SearchRunPath,
      response: SearchPrunedList,
      errors: [404],
      handler: ({ params }) => searchPruned(sql, params.id),
    }),
    route({
      method: 'get',
      path: '/search/runs/:id/groups',
      summary: 'The groups found over the pruned variations, with their intersection statistics',
      access: 'reader',
      params: SearchRunPath,
      response: SearchGroupList,
      errors: [404],
      handler: ({ params }) => searchGroups(sql, params.id),
    }),
    route({
      method: 'get',
      path: '/search/selection',
      summary: 'The week’s selected group (default: the latest week with one)',
      access: 'reader',
      query: SearchSelectionQuery,
      response: SearchSelection,
      handler: ({ query }) => searchSelection(sql, query),
    }),
    route({
      method: 'get',
      path: '/search/weekday',
      summary:
        'A close’s weekday run: candidates by sanity rank, the shortlist’s news, the picks (default: latest)',
      access: 'reader',
      query: WeekdayQuery,
      response: WeekdayView,
      handler: ({ query }) => weekdayView(sql, query),
    }),
  ];
}
