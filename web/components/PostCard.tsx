import { dollars } from '../lib/format.ts';
import type { Post } from '../lib/types.ts';

function Breakdown({ scores }: { scores: Record<string, unknown> }) {
  const entries = Object.entries(scores).filter(([, v]) => typeof v === 'number') as [string, number][];
  if (entries.length === 0) return null;
  return <p className="target">{entries.map(([k, v]) => `${k.replaceAll('_', ' ')} ${v.toFixed(2)}`).join(' · ')}</p>;
}

/** A draft or post with what produced it: score breakdown, models, tokens and cost. */
export function PostCard({ post, children }: { post: Post; children?: React.ReactNode }) {
  const models = [...new Set(Object.values(post.models).filter((m) => typeof m === 'string'))].join(', ');
  return (
    <article
      className="card"
      data-post={post.id}
      data-status={post.status}
      aria-label={`Post ${post.hook.slice(0, 40)}`}
    >
      <p className="post-text">{post.text}</p>
      <p className="target">
        <strong>{post.status}</strong>
        {post.rejection_reason ? ` (${post.rejection_reason})` : ''} · score{' '}
        {post.quality_score === null ? '—' : post.quality_score.toFixed(2)} · hook {post.hook_pattern.replace('_', ' ')}{' '}
        · {models || 'no model'} · {post.prompt_tokens + post.completion_tokens} tokens · {dollars(post.cost_usd, 5)}
      </p>
      <Breakdown scores={post.score_breakdown} />
      {children}
    </article>
  );
}
