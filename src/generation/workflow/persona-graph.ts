import { errorMessage } from '../../platform/errors.ts';
import { END, START, StateGraph } from '@langchain/langgraph';
import { inNodeSpan } from '../../platform/observability/index.ts';
import { DraftState, type Draft, type DraftUpdate } from './draft-state.ts';
import type { GraphDeps } from './graph-deps.ts';
import { createCheckDuplicateNode } from './nodes/check-duplicate.node.ts';
import { createChooseHookPatternNode } from './nodes/choose-hook-pattern.node.ts';
import { createGuardrailsNode } from './nodes/guardrails.node.ts';
import { createPersistNode } from './nodes/persist.node.ts';
import { createScoreQualityNode } from './nodes/score-quality.node.ts';
import { createWriteBodyNode } from './nodes/write-body.node.ts';
import { createWriteHookNode } from './nodes/write-hook.node.ts';

export const GRAPH_NODES = [
  'choose_hook_pattern',
  'write_hook',
  'write_body',
  'score_quality',
  'check_duplicate',
  'guardrails',
  'persist',
] as const;
export type GraphNodeName = (typeof GRAPH_NODES)[number];

type NodeFn = (draft: Draft) => Promise<DraftUpdate>;

/** Wraps a node in a span, and sends its start and end to the task's event stream and its duration to the histogram. */
function timed(deps: GraphDeps, node: GraphNodeName, fn: NodeFn): NodeFn {
  return (draft) =>
    inNodeSpan(node, draft, async () => {
      const where = { task_id: draft.taskId, node, variant: draft.variant, attempt: draft.attempt };
      await deps.recordEvent({ ...where, type: 'node_started' });
      const started = performance.now();
      try {
        const update = await fn(draft);
        const ms = performance.now() - started;
        deps.metrics.contentGenerationLatency.observe({ node }, ms / 1000);
        await deps.recordEvent({
          ...where,
          type: 'node_finished',
          data: { duration_ms: round(ms), ...summarise(update) },
        });
        return update;
      } catch (error) {
        const ms = performance.now() - started;
        await deps.recordEvent({
          ...where,
          type: 'node_finished',
          data: { duration_ms: round(ms), error: errorMessage(error) },
        });
        throw error;
      }
    });
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** What a progress stream shows of a node's result: small, no secrets, no full texts. */
function summarise(update: DraftUpdate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (update.hookPattern) out.hook_pattern = update.hookPattern;
  if (update.hook) out.hook = update.hook;
  if (update.quality) out.quality_score = update.quality.score;
  if (update.rejection) out.rejection = { reason: update.rejection.reason, detail: update.rejection.detail };
  if (update.postId) out.post_id = update.postId;
  return out;
}

/** After a check: go on, write a new draft, or record the rejected one. */
function routeAfterCheck(next: GraphNodeName) {
  return (draft: Draft): GraphNodeName => {
    if (!draft.rejection) return next;
    return draft.retry ? 'choose_hook_pattern' : 'persist';
  };
}

/**
 * The persona workflow: choose hook pattern → hook → body → score → dedup → guardrails → persist.
 * It keeps no checkpoints (a retried job runs the variants not stored yet, never resumes a run), so
 * LangGraph builds none after each step.
 */
export function createPersonaGraph(deps: GraphDeps) {
  return new StateGraph(DraftState)
    .addNode('choose_hook_pattern', timed(deps, 'choose_hook_pattern', createChooseHookPatternNode(deps)))
    .addNode('write_hook', timed(deps, 'write_hook', createWriteHookNode(deps)))
    .addNode('write_body', timed(deps, 'write_body', createWriteBodyNode(deps)))
    .addNode('score_quality', timed(deps, 'score_quality', createScoreQualityNode(deps)))
    .addNode('check_duplicate', timed(deps, 'check_duplicate', createCheckDuplicateNode(deps)))
    .addNode('guardrails', timed(deps, 'guardrails', createGuardrailsNode(deps)))
    .addNode('persist', timed(deps, 'persist', createPersistNode(deps)))
    .addEdge(START, 'choose_hook_pattern')
    .addEdge('choose_hook_pattern', 'write_hook')
    .addEdge('write_hook', 'write_body')
    .addEdge('write_body', 'score_quality')
    .addConditionalEdges('score_quality', routeAfterCheck('check_duplicate'), [
      'check_duplicate',
      'choose_hook_pattern',
      'persist',
    ])
    .addConditionalEdges('check_duplicate', routeAfterCheck('guardrails'), [
      'guardrails',
      'choose_hook_pattern',
      'persist',
    ])
    .addConditionalEdges('guardrails', routeAfterCheck('persist'), ['persist', 'choose_hook_pattern'])
    .addEdge('persist', END)
    .compile({ checkpointer: false });
}

export type PersonaGraph = ReturnType<typeof createPersonaGraph>;

/** Enough steps for every attempt to pass through all nodes. */
export function recursionLimitFor(maxAttempts: number): number {
  return maxAttempts * GRAPH_NODES.length + 10;
}
