/**
 * A connection URL fit for a message or a log line: the password replaced by ***. A string that is no URL is
 * not echoed at all (it may be a secret written in the wrong place): the caller's fallback names it instead.
 */
export function redactUrl(url: string, fallback: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return fallback;
  }
}
