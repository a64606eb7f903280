/**
 * Tools for JSON text that must not be decoded: a webhook payload is
 * delivered byte for byte as the tenant sent it, so the dashboard shows it
 * that way too. JSON.parse would turn 12345678901234567890123 into
 * 12345678901234567000000 and 1e400 into Infinity, and drop duplicate keys.
 */

/** skipString returns the index just past the string that opens at i. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === "\\") j++;
    else if (c === '"') return j + 1;
  }

  throw new SyntaxError("unterminated string");
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  return i;
}

/** skipValue returns the index just past the JSON value that starts at i. */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);

  if (c === "{" || c === "[") {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') j = skipString(text, j) - 1;
      else if (d === "{" || d === "[") depth++;
      else if (d === "}" || d === "]") {
        depth--;
        if (depth === 0) return j + 1;
      }
    }

    throw new SyntaxError("unterminated " + (c === "{" ? "object" : "array"));
  }

  let j = i;
  while (j < text.length && !",}] \t\n\r".includes(text[j] as string)) j++;
  if (j === i) throw new SyntaxError("expected a value");

  return j;
}

/**
 * rawField returns the text of the value of key in the top-level object of
 * text, exactly as written, or undefined when the key is not there.
 */
export function rawField(text: string, key: string): string | undefined {
  let i = skipSpace(text, 0);
  if (text[i] !== "{") return undefined;
  i = skipSpace(text, i + 1);

  while (i < text.length && text[i] !== "}") {
    const keyEnd = skipString(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;

    i = skipSpace(text, keyEnd);
    if (text[i] !== ":") throw new SyntaxError("expected ':'");
    i = skipSpace(text, i + 1);

    const end = skipValue(text, i);
    if (name === key) return text.slice(i, end);

    i = skipSpace(text, end);
    if (text[i] === ",") i = skipSpace(text, i + 1);
  }

  return undefined;
}

/**
 * prettyJSON re-indents JSON text without decoding it: strings, numbers and
 * key order stay exactly as written; only whitespace between tokens changes.
 * Text that is not JSON is returned as is.
 */
export function prettyJSON(text: string, indent = "  "): string {
  const out: string[] = [];
  let depth = 0;
  const newline = () => "\n" + indent.repeat(depth);

  try {
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;

      if (c === '"') {
        const end = skipString(text, i);
        out.push(text.slice(i, end));
        i = end - 1;
      } else if (c === "{" || c === "[") {
        const close = c === "{" ? "}" : "]";
        const next = skipSpace(text, i + 1);
        if (text[next] === close) {
          out.push(c + close);
          i = next;
        } else {
          depth++;
          out.push(c + newline());
        }
      } else if (c === "}" || c === "]") {
        depth--;
        out.push(newline() + c);
      } else if (c === ",") {
        out.push("," + newline());
      } else if (c === ":") {
        out.push(": ");
      } else if (!" \t\n\r".includes(c)) {
        out.push(c);
      }
    }
  } catch {
    return text;
  }

  return depth === 0 ? out.join("") : text;
}
