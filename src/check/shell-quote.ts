/**
 * Quoting for a POSIX shell, so every printed command line (a sim's rerun line, a property
 * failure's replay line) can be pasted back as is.
 *
 * A word made only of characters no shell treats specially is left bare (`--seed`, `0.9`, `-1`);
 * anything else is wrapped in single quotes, with each `'` written as `'\''`.
 *
 * Left out: other shells' rules (cmd.exe, PowerShell).
 */

/** `text` quoted for a POSIX shell when it needs quoting (spaces, quotes, `$`, JSON, ...). */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_./:=,+@%^-]+$/.test(text)) return text
  return `'${text.replace(/'/g, `'\\''`)}'`
}
