/**
 * A question being read: recognizers take (consume) the spans they understand, and whatever is left at the end
 * must be filler words, or the question is refused. That is how the offline engine never guesses silently: a
 * word it has no rule for ("department", "suspicious", a negation it could not attach) stops the translation.
 *
 * `lower` and `original` have the same length and indexes (case is folded character by character), so a
 * recognizer can match on `lower` and read the original casing (ISO codes, quoted values) at the same span.
 */
export class Sentence {
  readonly original: string;
  private text: string;

  constructor(question: string) {
    const normalized = question
      .normalize('NFKC')
      .replace(/[\u2018\u2019\u02bc]/g, "'")
      .replace(/[\u201c\u201d]/g, '"')
      .replace(/[\u2013\u2014]/g, '-')
      .replace(/\s+/g, ' ')
      .trim();
    this.original = normalized;
    this.text = [...normalized].map((c) => (c.toLowerCase().length === c.length ? c.toLowerCase() : c)).join('');
    // Astral characters would desynchronise indexes between the two strings; they carry no meaning here.
    if (this.text.length !== this.original.length) this.text = this.original;
  }

  /** The unconsumed text, lower-cased, with consumed spans blanked out (same indexes as `original`). */
  get lower(): string {
    return this.text;
  }

  /** The first match of `re` (which must not be global) in the unconsumed text; consumes it. */
  take(re: RegExp): RegExpExecArray | null {
    const m = re.exec(this.text);
    if (!m) return null;
    this.consume(m.index, m.index + m[0].length);
    return m;
  }

  /** Every match of `re` (a global regex is made from it); consumes them. */
  takeAll(re: RegExp): RegExpExecArray[] {
    const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    const found = [...this.text.matchAll(global)] as RegExpExecArray[];
    for (const m of found) this.consume(m.index, m.index + m[0].length);
    return found;
  }

  /** Whether `re` matches the unconsumed text (nothing consumed). */
  has(re: RegExp): boolean {
    return re.test(this.text);
  }

  consume(from: number, to: number): void {
    this.text = this.text.slice(0, from) + ' '.repeat(to - from) + this.text.slice(to);
  }

  /** The original characters of a span. */
  originalAt(from: number, to: number): string {
    return this.original.slice(from, to);
  }

  /** Words left unconsumed. */
  remainingWords(): string[] {
    return this.text
      .replace(/[?!.,;:()]+/g, ' ')
      .split(/\s+/)
      .map((w) => w.replace(/^['"]+|['"]+$/g, ''))
      .filter((w) => w !== '');
  }
}
