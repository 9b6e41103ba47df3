/**
 * Which JSON object keys a path literal can carry: quotes, backslashes, control characters and the
 * compiler's private parameter marker (U+E000) are refused (the rule then fails with `unsupported_feature`
 * for that dialect); plain identifiers need no quoting at all.
 */
export function isPlainKey(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
}

export function isQuotableKey(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0xe000) return false;
  }
  return true;
}

/** `.key`, or the quoted form `quote(key)` when needed; null when the key cannot be written. */
export function jsonKeyStep(key: string, quote: (key: string) => string): string | null {
  if (isPlainKey(key)) return `.${key}`;
  return isQuotableKey(key) ? quote(key) : null;
}
