/**
 * Questions the offline engine can answer, offered when it cannot answer the one asked: the question with a near
 * miss corrected (from the reader) first, then the closest of these examples by shared words. Every example here
 * is translated by the unit tests, so a suggestion is always answerable.
 */
export const exampleQuestions: readonly string[] = [
  'Show me all failed logins from outside the US this week',
  'How many failed logins in the last 24 hours?',
  'Which users had the most failed logins this week?',
  'Top 10 source IPs by failed logins in the last 7 days',
  'Failed logins by country since Monday',
  'When did the root user last log in?',
  'Show denied MFA pushes in the last 7 days',
  'Who granted admin privileges this week?',
  'Which countries did users log in from yesterday?',
  'Logins per day this week',
  'Show AccessDenied errors in cloudtrail today',
  'How many distinct users logged in today?',
  'List AWS console sign-ins without MFA this month',
  'Most common actions in okta in the last 24 hours',
  'How many open alerts by severity?',
];

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);
}

export function suggestFor(question: string, alternatives: readonly string[], limit = 3): string[] {
  const asked = words(question);
  const scored = exampleQuestions
    .map((q, i) => {
      const w = words(q);
      let shared = 0;
      for (const x of w) if (asked.has(x)) shared++;
      return { q, score: shared / Math.sqrt(w.size), i };
    })
    .sort((a, b) => b.score - a.score || a.i - b.i);
  return [...new Set([...alternatives, ...scored.map((s) => s.q)])].slice(0, Math.max(limit, alternatives.length));
}
