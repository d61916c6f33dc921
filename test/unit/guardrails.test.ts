import { describe, it, expect } from 'vitest';
import { checkGuardrails, findLinks, findPhrase } from '../../src/generation/guardrails.ts';
import { personaFields } from '../support/factories.ts';

const persona = personaFields({
  slug: 'sales-sam',
  name: 'Sam',
  niche: 'B2B sales',
  audience: 'early-stage founders who sell',
  voice: 'practical, concrete',
  tone: 'direct',
  topics: ['cold email'],
  vocabulary: ['pipeline'],
  banned_words: ['guru', 'growth hack'],
  banned_topics: ['crypto', 'politics'],
  hook_patterns: ['question'],
});
const topic = 'cold email outreach';
const clean = 'Cold email works when you keep it short. Send one follow-up after 4 days. What has worked for you?';
const check = (text: string, t = topic) => checkGuardrails({ text, topic: t, persona });

describe('checkGuardrails', () => {
  it('passes a clean post', () => {
    expect(check(clean)).toEqual({ ok: true });
  });

  it('rejects more than 500 characters, counting code points', () => {
    expect(check('a'.repeat(500))).toEqual({ ok: true });
    expect(check('a'.repeat(501))).toEqual({ ok: false, reason: 'too_long', detail: '501 characters (limit 500)' });
    // 250 emoji are 500 UTF-16 units but only 250 characters on Threads.
    expect(check('🚀'.repeat(250))).toEqual({ ok: true });
    expect(check('🚀'.repeat(501))).toMatchObject({ ok: false, reason: 'too_long' });
  });

  it('allows 5 links and rejects 6, counting URLs and bare domains', () => {
    const five = 'Read https://a.example.com/x, http://b.org and www.c.io plus d.com/path and e.co.uk.';
    expect(findLinks(five)).toHaveLength(5);
    expect(check(five)).toEqual({ ok: true });
    const six = `${five} Also f.dev`;
    const result = check(six);
    expect(result).toMatchObject({ ok: false, reason: 'too_many_links' });
    if (!result.ok) expect(result.detail).toContain('6 links');
  });

  it('does not count file names, decimals or e-mail addresses as links', () => {
    expect(findLinks('Built with Node.js, see README.md, v2.5, e.g. this, mail sam@example.com')).toEqual([]);
  });

  it('rejects a banned word case-insensitively, as a whole word or phrase', () => {
    expect(check('Every GURU says the same thing.')).toEqual({
      ok: false,
      reason: 'banned_word',
      detail: 'banned word "guru"',
    });
    expect(check('This growth   hack works.')).toEqual({
      ok: false,
      reason: 'banned_word',
      detail: 'banned word "growth hack"',
    });
    expect(check('The gurus of gurukul')).toEqual({ ok: true });
  });

  it('rejects a banned topic in the text or in the topic', () => {
    expect(check('Why I moved my savings into Crypto last year.')).toEqual({
      ok: false,
      reason: 'banned_topic',
      detail: 'banned topic "crypto" in text',
    });
    expect(check(clean, 'crypto cold outreach')).toEqual({
      ok: false,
      reason: 'banned_topic',
      detail: 'banned topic "crypto" in topic "crypto cold outreach"',
    });
  });

  it('rejects profanity using the obscenity dataset', () => {
    expect(check('This cold email advice is shit.')).toEqual({
      ok: false,
      reason: 'profanity',
      detail: 'profanity "shit"',
    });
    expect(check('That follow-up was total bullsh1t.')).toMatchObject({ ok: false, reason: 'profanity' });
  });

  it('does not flag innocent words that contain a profane substring', () => {
    expect(check('A class assessment in Scunthorpe.')).toEqual({ ok: true });
  });

  it('lets a niche use its trade terms, and still stops the same word used as an insult', () => {
    const baker = personaFields({ ...persona, slug: 'baker', niche: 'sourdough bread', vocabulary: ['levain'] });
    const woodworker = personaFields({ ...persona, slug: 'wood', niche: 'hand-tool woodworking', vocabulary: [] });
    const plumber = personaFields({ ...persona, slug: 'fixer', niche: 'DIY home repair', vocabulary: [] });
    const bake = (text: string, p = baker) => checkGuardrails({ text, topic: 'cold retard timing', persona: p });
    expect(bake('Cold retard timing: I retard the dough overnight in the fridge.')).toEqual({ ok: true });
    expect(bake('A long retard gives the crumb more flavour.')).toEqual({ ok: true });
    expect(bake('You are a retard.')).toMatchObject({ ok: false, reason: 'profanity' });
    expect(bake('Cocking the hammer and stripping screws with a bastard file.', woodworker)).toEqual({ ok: true });
    expect(bake('Replace the ballcock and the stripped screw.', plumber)).toEqual({ ok: true });
    // Outside those niches the word list applies as before.
    expect(check('Cold retard timing for your pipeline.')).toMatchObject({ ok: false, reason: 'profanity' });
  });

  it('passes names and ordinary words a word list misreads', () => {
    for (const text of ['A dickey bow from Scunthorpe.', 'Shiitake risotto for four.', 'She graduated cum laude.']) {
      expect(check(text), text).toEqual({ ok: true });
    }
  });
});

describe('findPhrase', () => {
  it('matches whole words case-insensitively, across any whitespace, and not inside other words', () => {
    expect(findPhrase('Ask the GURU.', ['guru'])).toBe('guru');
    expect(findPhrase('one growth\n  hack later', ['growth hack'])).toBe('growth hack');
    expect(findPhrase('gurus and guruship', ['guru'])).toBeNull();
    expect(findPhrase('no such word', ['guru', ' ', ''])).toBeNull();
  });

  it('matches as case-insensitive Unicode patterns do, where a letter outside ASCII stands for an ASCII one', () => {
    // /iu folds "ſ" (long s) to "s" and the Kelvin sign to "k": a word written with them is still the word.
    expect(findPhrase('a ſcam', ['scam'])).toBe('scam');
    expect(findPhrase('\u212Aill it', ['kill'])).toBe('kill');
    expect(findPhrase('Ärger und Öl', ['öl'])).toBe('öl');
  });
});
