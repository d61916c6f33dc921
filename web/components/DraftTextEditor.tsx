'use client';
import { type FormEvent, useState } from 'react';
import { countChars, MAX_POST_CHARS, postTextSchema } from '../../src/posts/post-text.ts';
import { ApiError } from '../lib/api.ts';
import { useSession } from '../lib/session.tsx';
import type { Post } from '../lib/types.ts';
import { Field } from './Field.tsx';

interface Refusal {
  path: string;
  message: string;
  score?: number;
  nearest?: { text?: string };
}

/** What the API said about the text: its message, with the score it got or the words of the post it repeats. */
function textError(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const issue = (error.details as Refusal[]).find((d) => d.path === 'text');
  if (!issue) return null;
  if (issue.nearest?.text) return `${issue.message}. Nearest post: “${issue.nearest.text}”`;
  return typeof issue.score === 'number' ? `${issue.message} (score ${issue.score.toFixed(2)})` : issue.message;
}

/**
 * A draft's text in a labelled textarea with Threads' character count; the API checks it again
 * (guardrails, quality gate, duplicates) and answers the new score, or why it refused the text.
 */
export function DraftTextEditor({
  post,
  onSaved,
  onClose,
}: {
  post: Post;
  onSaved: (post: Post) => void;
  onClose: () => void;
}) {
  const { api } = useSession();
  const [text, setText] = useState(post.text);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const id = `edit-${post.id.slice(0, 8)}`;
  const count = countChars(text.trim());

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const checked = postTextSchema.safeParse(text);
    if (!checked.success) {
      setFieldError(checked.error.issues[0]?.message);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const saved = await api<Post>(`/v1/posts/${post.id}`, { method: 'PATCH', body: { text: checked.data } });
      setFieldError(undefined);
      onSaved(saved);
    } catch (err) {
      const about = textError(err);
      setFieldError(about ?? undefined);
      if (!about) setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      aria-label={`Edit the text of draft ${post.id.slice(0, 8)}`}
      onSubmit={save}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <Field
        id={id}
        label="Post text"
        error={fieldError}
        hint={`${count} / ${MAX_POST_CHARS} characters${count > MAX_POST_CHARS ? ': too long for Threads' : ''}`}
      >
        {(a11y) => (
          <textarea
            {...a11y}
            // biome-ignore lint/a11y/noAutofocus: the editor opens on the user's own click, at the text they asked to edit
            autoFocus
            rows={6}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" disabled={saving}>
        {saving ? 'Checking…' : 'Save text'}
      </button>
      <button type="button" className="secondary" onClick={onClose}>
        Cancel
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
