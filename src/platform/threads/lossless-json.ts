/**
 * Meta answers POST /oauth/access_token with `"user_id": 17841405793187218`, a bare JSON number
 * beyond Number.MAX_SAFE_INTEGER that JSON.parse would round. Node 20 has no reviver `context.source`,
 * so integer literals that are not safe integers are quoted in the raw text (outside strings) before
 * parsing: ids arrive as exact strings, and everything else parses as usual.
 */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      i++;
      continue;
    }
    if (ch === 0x2d /* - */ || isDigit(ch)) {
      let end = i + 1;
      while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
      const literal = text.slice(i, end);
      if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(copiedUpTo, i)}"${literal}"`;
        copiedUpTo = end;
      }
      i = end;
      continue;
    }
    i++;
  }
  return out + text.slice(copiedUpTo);
}

/** JSON.parse that keeps every integer's digits (unsafe ones become strings). */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

function isDigit(ch: number): boolean {
  return ch >= 0x30 && ch <= 0x39;
}

function isNumberChar(ch: number): boolean {
  return isDigit(ch) || ch === 0x2e || ch === 0x65 || ch === 0x45 || ch === 0x2b || ch === 0x2d;
}
