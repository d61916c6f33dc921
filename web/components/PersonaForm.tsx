'use client';
import { type FormEvent, useState } from 'react';
import { HOOK_PATTERNS } from '../../src/personas/hook-patterns.ts';
import { personaFieldsSchema } from '../../src/personas/persona.schema.ts';
import { ApiError, errorsByPath } from '../lib/api.ts';
import type { Persona } from '../lib/types.ts';
import { Field } from './Field.tsx';

const TEXT = ['slug', 'name', 'niche', 'tone'] as const;
const LONG = ['audience', 'voice'] as const;
const LISTS = ['topics', 'vocabulary', 'banned_words', 'banned_topics'] as const;
const OPTIONAL_TEXT = ['hook_model', 'body_model'] as const;
const OPTIONAL_NUMBERS = ['daily_budget_usd', 'auto_approve_min_score'] as const;
const LABELS: Record<string, string> = {
  slug: 'Slug',
  name: 'Name',
  niche: 'Niche',
  tone: 'Tone',
  audience: 'Audience',
  voice: 'Voice',
  topics: 'Topics',
  vocabulary: 'Vocabulary',
  banned_words: 'Banned words',
  banned_topics: 'Banned topics',
  hook_model: 'Hook model',
  body_model: 'Body model',
  daily_budget_usd: 'Daily budget (USD)',
  auto_approve_min_score: 'Auto-approve minimum score',
};

type Draft = Record<string, string> & {
  approval_mode: string;
  hook_patterns: string;
  learning_mode: string;
  /** "on" or "off": autopilot is null when off, whatever its other fields hold. */
  autopilot: string;
  posts_per_day: string;
  autopilot_topics: string;
};

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

function toDraft(p?: Persona): Draft {
  const d: Record<string, string> = {};
  for (const k of [...TEXT, ...LONG]) d[k] = p?.[k] ?? '';
  for (const k of LISTS) d[k] = (p?.[k] ?? []).join('\n');
  for (const k of OPTIONAL_TEXT) d[k] = p?.[k] ?? '';
  for (const k of OPTIONAL_NUMBERS) d[k] = p?.[k] === null || p?.[k] === undefined ? '' : String(p[k]);
  return {
    ...d,
    approval_mode: p?.approval_mode ?? 'manual',
    hook_patterns: (p?.hook_patterns ?? [...HOOK_PATTERNS]).join(','),
    learning_mode: p?.learning_mode ?? 'on',
    autopilot: p?.autopilot ? 'on' : 'off',
    posts_per_day: String(p?.autopilot?.posts_per_day ?? 1),
    autopilot_topics: (p?.autopilot?.topics ?? []).join('\n'),
  } as Draft;
}

function fromDraft(d: Draft): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const k of [...TEXT, ...LONG]) body[k] = d[k];
  for (const k of LISTS) body[k] = lines(d[k]!);
  for (const k of OPTIONAL_TEXT) body[k] = d[k]!.trim() || null;
  for (const k of OPTIONAL_NUMBERS) body[k] = d[k]!.trim() === '' ? null : Number(d[k]);
  body.approval_mode = d.approval_mode;
  body.hook_patterns = d.hook_patterns.split(',').filter(Boolean);
  body.learning_mode = d.learning_mode;
  const topics = lines(d.autopilot_topics);
  // A blank count is sent as NaN so the schema's number check names the field rather than passing it.
  const postsPerDay = d.posts_per_day.trim() === '' ? Number.NaN : Number(d.posts_per_day);
  body.autopilot = d.autopilot === 'on' ? { posts_per_day: postsPerDay, ...(topics.length ? { topics } : {}) } : null;
  return body;
}

/** Create or edit a persona: checked with the API's own schema first, then the API's field errors shown in place. */
export function PersonaForm({
  persona,
  onSave,
  onCancel,
}: {
  persona?: Persona;
  onSave: (body: Record<string, unknown>) => Promise<void>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(persona));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (key: string, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const prefix = persona ? `edit-${persona.id.slice(0, 8)}` : 'new';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = fromDraft(draft);
    const checked = personaFieldsSchema.safeParse(body);
    if (!checked.success) {
      return setErrors(errorsByPath(checked.error.issues));
    }
    setBusy(true);
    try {
      await onSave(body);
      setErrors({});
    } catch (error) {
      setErrors(
        error instanceof ApiError ? { ...error.fieldErrors(), _: error.message } : { _: (error as Error).message },
      );
    } finally {
      setBusy(false);
    }
  }

  const selected = new Set(draft.hook_patterns.split(',').filter(Boolean));
  const togglePattern = (p: string) => {
    selected.has(p) ? selected.delete(p) : selected.add(p);
    set('hook_patterns', [...selected].join(','));
  };

  return (
    <form onSubmit={submit} noValidate aria-label={persona ? `Edit ${persona.slug}` : 'New persona'}>
      {errors._ && (
        <p className="error" role="alert">
          {errors._}
        </p>
      )}
      <div className="two">
        <div>
          {TEXT.map((k) => (
            <Field key={k} id={`${prefix}-${k}`} label={LABELS[k]!} error={errors[k]}>
              {(a) => <input {...a} name={k} value={draft[k]} onChange={(e) => set(k, e.target.value)} />}
            </Field>
          ))}
          {LONG.map((k) => (
            <Field key={k} id={`${prefix}-${k}`} label={LABELS[k]!} error={errors[k]}>
              {(a) => <textarea {...a} name={k} value={draft[k]} onChange={(e) => set(k, e.target.value)} />}
            </Field>
          ))}
          <fieldset>
            <legend>Hook patterns</legend>
            {HOOK_PATTERNS.map((p) => (
              <label key={p} className="inline">
                <input type="checkbox" checked={selected.has(p)} onChange={() => togglePattern(p)} />{' '}
                {p.replace('_', ' ')}
              </label>
            ))}
            {errors.hook_patterns && (
              <div className="error" role="alert">
                {errors.hook_patterns}
              </div>
            )}
          </fieldset>
        </div>
        <div>
          {LISTS.map((k) => (
            <Field key={k} id={`${prefix}-${k}`} label={LABELS[k]!} error={errors[k]} hint="one per line">
              {(a) => <textarea {...a} name={k} value={draft[k]} onChange={(e) => set(k, e.target.value)} />}
            </Field>
          ))}
          {OPTIONAL_TEXT.map((k) => (
            <Field
              key={k}
              id={`${prefix}-${k}`}
              label={LABELS[k]!}
              error={errors[k]}
              hint="empty: the configured default"
            >
              {(a) => <input {...a} name={k} value={draft[k]} onChange={(e) => set(k, e.target.value)} />}
            </Field>
          ))}
          {OPTIONAL_NUMBERS.map((k) => (
            <Field
              key={k}
              id={`${prefix}-${k}`}
              label={LABELS[k]!}
              error={errors[k]}
              hint="empty: the configured default"
            >
              {(a) => (
                <input {...a} name={k} inputMode="decimal" value={draft[k]} onChange={(e) => set(k, e.target.value)} />
              )}
            </Field>
          ))}
          <Field id={`${prefix}-approval_mode`} label="Approval mode" error={errors.approval_mode}>
            {(a) => (
              <select
                {...a}
                name="approval_mode"
                value={draft.approval_mode}
                onChange={(e) => set('approval_mode', e.target.value)}
              >
                <option value="manual">manual: drafts wait in the review queue</option>
                <option value="auto">auto: good drafts are approved at once</option>
              </select>
            )}
          </Field>
          <Field id={`${prefix}-learning_mode`} label="Learning mode" error={errors.learning_mode}>
            {(a) => (
              <select
                {...a}
                name="learning_mode"
                value={draft.learning_mode}
                onChange={(e) => set('learning_mode', e.target.value)}
              >
                <option value="on">on: choices follow what has worked</option>
                <option value="off">off: choices uniform at random</option>
              </select>
            )}
          </Field>
          <fieldset>
            <legend>Autopilot</legend>
            <label className="inline">
              <input
                type="checkbox"
                name="autopilot"
                checked={draft.autopilot === 'on'}
                onChange={(e) => set('autopilot', e.target.checked ? 'on' : 'off')}
              />{' '}
              On: writes, approves and publishes on its own
            </label>
            {draft.autopilot === 'on' && (
              <>
                <Field
                  id={`${prefix}-posts_per_day`}
                  label="Posts per day"
                  error={errors['autopilot.posts_per_day']}
                  hint="1 to 48"
                >
                  {(a) => (
                    <input
                      {...a}
                      name="posts_per_day"
                      inputMode="numeric"
                      value={draft.posts_per_day}
                      onChange={(e) => set('posts_per_day', e.target.value)}
                    />
                  )}
                </Field>
                <Field
                  id={`${prefix}-autopilot_topics`}
                  label="Autopilot topics"
                  error={errors['autopilot.topics']}
                  hint="one per line; empty: the persona's topics"
                >
                  {(a) => (
                    <textarea
                      {...a}
                      name="autopilot_topics"
                      value={draft.autopilot_topics}
                      onChange={(e) => set('autopilot_topics', e.target.value)}
                    />
                  )}
                </Field>
              </>
            )}
            {errors.autopilot && !errors['autopilot.posts_per_day'] && !errors['autopilot.topics'] && (
              <div className="error" role="alert">
                {errors.autopilot}
              </div>
            )}
          </fieldset>
        </div>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : persona ? 'Save changes' : 'Create persona'}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
