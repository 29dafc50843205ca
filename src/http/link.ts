/**
 * RFC 8288 Link header parsing: the one place that reads `rel="next"`.
 * Okta sends `self` and `next` as separate headers; proxies may join them with commas. Quoted
 * parameter values may contain commas and semicolons, and `rel` may list several relations.
 */

/** One link-value: the target as written and its parameters (names lower-cased). */
export interface LinkValue {
  target: string;
  params: Record<string, string>;
}

/**
 * Parses one or more Link header values.
 */
export function parseLinkHeader(header: string | readonly string[] | undefined): LinkValue[] {
  if (header === undefined) return [];
  const text = typeof header === 'string' ? header : header.join(',');
  const links: LinkValue[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && /[\s]/.test(text[i]!)) i++;
  };
  while (i < text.length) {
    skipSpace();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] !== '<') {
      // Malformed: skip to the next top-level comma.
      i = skipToComma(text, i);
      continue;
    }
    const close = text.indexOf('>', i);
    if (close < 0) break;
    const link: LinkValue = { target: text.slice(i + 1, close).trim(), params: {} };
    i = close + 1;
    for (;;) {
      skipSpace();
      if (text[i] !== ';') break;
      i++;
      skipSpace();
      const nameMatch = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/.exec(text.slice(i));
      if (!nameMatch) break;
      const name = nameMatch[0].toLowerCase();
      i += name.length;
      skipSpace();
      let value = '';
      if (text[i] === '=') {
        i++;
        skipSpace();
        if (text[i] === '"') {
          i++;
          while (i < text.length && text[i] !== '"') {
            if (text[i] === '\\' && i + 1 < text.length) i++;
            value += text[i];
            i++;
          }
          i++;
        } else {
          const token = /^[^\s;,]*/.exec(text.slice(i))![0];
          value = token;
          i += token.length;
        }
      }
      // RFC 8288 §3: only the first occurrence of a parameter counts.
      if (!(name in link.params)) link.params[name] = value;
    }
    links.push(link);
    i = skipToComma(text, i);
  }
  return links;
}

function skipToComma(text: string, from: number): number {
  let i = from;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) return i + 1;
    i++;
  }
  return i;
}

/**
 * The target of the first link whose `rel` includes `next` (relations are space-separated and case-insensitive).
 */
export function nextLink(header: string | readonly string[] | undefined): string | undefined {
  return parseLinkHeader(header).find((l) => (l.params.rel ?? '').toLowerCase().split(/\s+/).includes('next'))?.target;
}
