import { z } from 'zod';

/** Threads' limits for a text post. */
export const MAX_POST_CHARS = 500;

/** Threads counts characters, not UTF-16 units: an emoji is one character. */
export function countChars(text: string): number {
  return [...text].length;
}

/**
 * A post's text as a user sends it, the rule the API and the dashboard's form both apply (the
 * dashboard imports this file, so it depends on nothing but zod).
 */
export const postTextSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((text) => countChars(text) <= MAX_POST_CHARS, {
    message: `must be at most ${MAX_POST_CHARS} characters (Threads' limit for a post)`,
  });
