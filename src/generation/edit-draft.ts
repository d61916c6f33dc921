import type { Database } from '../platform/db/index.ts';
import type { Embedder } from '../platform/embeddings/index.ts';
import { AppError } from '../platform/errors.ts';
import { findPersonaById } from '../personas/index.ts';
import {
  listPostEdits,
  listRecentTexts,
  type Post,
  type PostsService,
  POST_TRANSITIONS,
  type PostStatus,
  recordPostEdit,
  reviseDraft,
  statusConflict,
  type VectorStore,
} from '../posts/index.ts';
import { checkGuardrails } from './guardrails.ts';
import type { ContentPolicy } from './workflow/content-policy.ts';
import { createDuplicateCheck, gradeQuality } from './workflow/draft-gate.ts';
import type { GenerationSettings } from './workflow/graph-deps.ts';
import { SENTENCE_WINDOW } from './writing/checks.ts';

const EDITABLE: readonly PostStatus[] = POST_TRANSITIONS.edit.from;

export interface DraftEditorDeps {
  db: Database;
  getPost: PostsService['getPost'];
  embedder: Embedder;
  vectors: Pick<VectorStore, 'nearest' | 'upsert'>;
  policy: Pick<ContentPolicy, 'predict'>;
  settings: GenerationSettings;
  now: () => Date;
}

/** The one field a refusal is about, in the shape of a 400's details, so a form shows it beside the text. */
function refuseText(message: string, check: string, extra: Record<string, unknown> = {}): never {
  throw new AppError('unprocessable', `text: ${message}`, [{ in: 'body', path: 'text', message, check, ...extra }]);
}

/** The workflow writes hook, blank line, body; an edited text is read back the same way (else its first line). */
export function splitHook(text: string): { hook: string; body: string } {
  const at = text.includes('\n\n') ? text.indexOf('\n\n') : text.indexOf('\n');
  if (at < 0) return { hook: text, body: '' };
  return { hook: text.slice(0, at).trim(), body: text.slice(at).trim() };
}

/**
 * A user's change to a draft's text, held to the bar a written draft meets: the guardrails, the
 * quality gate (its score and breakdown are recomputed), and the duplicate check by meaning (the
 * post's own old text left out). A refused text changes nothing and answers 422 naming the check;
 * an accepted one replaces the text, the vector and the nearest post, and is kept in post_edits.
 */
export function createDraftEditor(deps: DraftEditorDeps) {
  const { db } = deps;
  const checkDuplicate = createDuplicateCheck(deps);

  async function edit(id: string, text: string, editedBy: string): Promise<Post> {
    const post = await deps.getPost(id);
    if (!EDITABLE.includes(post.status)) throw statusConflict(post, 'edit', 'edited');
    if (text === post.text) return post;
    const persona = await findPersonaById(db, post.persona_id);
    if (!persona) throw new AppError('conflict', `post ${id}: its persona was deleted`);
    const topic = post.topic ?? '';

    const guard = checkGuardrails({ text, topic, persona });
    if (!guard.ok) refuseText(guard.detail, guard.reason);

    const { hook, body } = splitHook(text);
    const recentTexts = await listRecentTexts(db, persona.id, SENTENCE_WINDOW, id);
    const { quality, refusal } = await gradeQuality(deps, { persona, topic, hook, body, text, recentTexts });
    if (refusal) {
      refuseText(refusal.detail, 'quality', { score: refusal.score, failed_checks: refusal.failedChecks });
    }

    const duplicate = await checkDuplicate({ personaId: persona.id, text, excludePostId: id });
    if (duplicate.hit) {
      const { match } = duplicate.hit;
      // Another persona's words are not this caller's to read: only their post's id and the score.
      const nearestText =
        match.persona_id === persona.id ? (await deps.getPost(match.post_id).catch(() => null))?.text : undefined;
      refuseText(duplicate.hit.detail, 'duplicate', {
        nearest: {
          post_id: match.post_id,
          similarity: match.score,
          scope: duplicate.hit.scope,
          threshold: duplicate.hit.threshold,
          ...(nearestText === undefined ? {} : { text: nearestText }),
        },
      });
    }

    const revised = await db.transaction(async (tx) => {
      const stored = await reviseDraft(tx, id, post.text, {
        hook,
        body,
        text,
        quality_score: quality.score,
        score_breakdown: quality.features,
        nearest_post_id: duplicate.nearest?.postId ?? null,
        nearest_similarity: duplicate.nearest?.similarity ?? null,
      });
      if (!stored) return null;
      await recordPostEdit(
        tx,
        {
          post_id: id,
          previous_text: post.text,
          text,
          previous_score: post.quality_score,
          score: quality.score,
          edited_by: editedBy,
        },
        deps.now(),
      );
      await deps.vectors.upsert(tx, {
        postId: id,
        personaId: persona.id,
        model: deps.embedder.model,
        vector: duplicate.embedding,
      });
      return stored;
    });
    if (revised) return revised;
    // Approved, rejected or edited by someone else while the checks ran: this edit is not written.
    const current = await deps.getPost(id);
    if (current.status !== post.status) throw statusConflict(current, 'edit', 'edited');
    throw new AppError('conflict', `post ${id} was edited by someone else meanwhile; reload it and edit again`, {
      status: current.status,
    });
  }

  async function history(id: string) {
    await deps.getPost(id);
    return { data: await listPostEdits(db, id) };
  }

  return { edit, history };
}

export type DraftEditor = ReturnType<typeof createDraftEditor>;
