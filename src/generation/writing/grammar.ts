import { nlp } from './nlp.ts';
import retextEnglish from 'retext-english';
import retextIndefiniteArticle from 'retext-indefinite-article';
import retextRepeatedWords from 'retext-repeated-words';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { splitSentences } from './sentences.ts';

/** Grammar an editor would mark: articles and doubled words (retext), agreement (compromise) and questions without "?". */

const linter = unified().use(retextEnglish).use(retextIndefiniteArticle).use(retextRepeatedWords);

function retextProblems(text: string): string[] {
  const file = new VFile(text);
  linter.runSync(linter.parse(file), file);
  return file.messages.map((m) => m.reason);
}

const SINGULAR_VERB = '(is|was|has|does)';
const PLURAL_VERB = '(are|were|have|do)';

/**
 * Each agreement pattern below needs a singular verb, or "he/she/it" with a plural one; compromise
 * also reads verbs out of contractions ("they're", "isn't", "dont"). A sentence with neither cannot
 * disagree and is not parsed: parsing is most of what the gate costs.
 */
const SINGULAR_WORD = /\b(?:is|was|has|does|isnt|wasnt|hasnt|doesnt)\b|['’]/i;
const PLURAL_WORD = /\b(?:are|were|have|do|arent|werent|havent|dont)\b/i;
const SINGULAR_PRONOUN = /\b(?:he|she|it)\b/i;
const mayDisagree = (sentence: string) =>
  SINGULAR_WORD.test(sentence) || (SINGULAR_PRONOUN.test(sentence) && PLURAL_WORD.test(sentence));

function agreementProblems(sentence: string): string[] {
  if (!mayDisagree(sentence)) return [];
  const doc = nlp(sentence);
  const problems: string[] = [];
  for (const m of doc.match(`#Plural ${SINGULAR_VERB}`).out('array') as string[]) {
    const before = sentence.slice(0, sentence.indexOf(m)).toLowerCase();
    // "one of the tests is" and "sharpening chisels is" are right: the subject is not the plural noun.
    // The noun after a preposition is not the subject: "my mistake with discard recipes was…".
    if (/\b(of|each|every|with|about|on|for|in|from|at|by|to)\s+(\S+\s+){0,3}$/.test(before)) continue;
    if (/\b\w+ing\s+$/.test(before)) continue;
    problems.push(`"${m}": a plural subject needs a plural verb`);
  }
  for (const m of doc.match(`(they|we|you) ${SINGULAR_VERB}`).out('array') as string[]) {
    problems.push(`"${m}": the verb does not agree with its subject`);
  }
  for (const m of doc.match(`(he|she|it) ${PLURAL_VERB}`).out('array') as string[]) {
    if (/\b(do|does|did|why|how|what|where|when|would|could|should|can|will)\s+\S+\s+\S+$/i.test(m)) continue;
    problems.push(`"${m}": the verb does not agree with its subject`);
  }
  return problems;
}

// "Do the poke test" is an order, "Do you feed it daily" a question: only a pronoun after do/does/did asks.
const AUX_START =
  /^(?:(?:do|does|did)\s+(?:you|i|we|they|it|he|she|anyone)|(?:is|are|was|were|can|could|should|would|will|have|has|am)\s+(?:you|i|we|they|it|he|she|your|my|the|this|that|there|anyone))\b/i;
const WH_QUESTION =
  /^(what|why|which|who|where|when|how)\s+(is|are|do|does|did|would|should|can|could|will|was|were|has|have)\b/i;

function questionProblems(sentence: string): string[] {
  const s = sentence.replace(/\s*\p{Extended_Pictographic}+\s*$/u, '').trim();
  const asks = AUX_START.test(s) || WH_QUESTION.test(s);
  if (asks && !/\?$/.test(s)) return [`"${s.slice(0, 40)}…" asks a question but does not end with "?"`];
  return [];
}

export function grammarProblems(text: string): string[] {
  const sentences = splitSentences(text);
  return [
    ...retextProblems(text),
    ...sentences.flatMap((s) => agreementProblems(s.replace(/^\d+[.)]\s*/, ''))),
    ...sentences.flatMap((s) => questionProblems(s.replace(/^\d+[.)]\s*/, ''))),
  ];
}
