import type { BulkResult } from '../api/types';
import { pluralize } from '../lib/plural';
import type { ActionWords } from './actionWords';
import { namesOf, summarizeOutcomes, type OutcomeLine } from './bulkSummary';

function lineText(words: ActionWords, line: OutcomeLine): string {
  const users = pluralize(line.count, 'user');
  // A done user's reason says what was done: "1 user approved, but not notified: …".
  if (line.outcome === 'done') return line.reason ? `${users} ${line.reason}` : words.done(users);
  return line.reason ? `${users} ${line.outcome}: ${line.reason}` : `${users} ${line.outcome}`;
}

interface ActionResultsProps {
  words: ActionWords;
  result: BulkResult;
  /** Names of the users the page knows, to say who was skipped or failed. */
  names: ReadonlyMap<string, string>;
}

/** What an action did: users done, then skipped and failed ones grouped by reason. */
export function ActionResults({ words, result, names }: ActionResultsProps) {
  const lines = summarizeOutcomes(result);
  return (
    <div role="status">
      {lines.length === 0 ? (
        <p>No users were changed.</p>
      ) : (
        <ul className="outcome-list">
          {lines.map((line) => {
            const who = namesOf(line.ids, names);
            return (
              <li
                key={`${line.outcome}:${line.reason ?? ''}`}
                className={`outcome outcome-${line.outcome === 'done' && line.reason ? 'partial' : line.outcome}`}
              >
                <span className="outcome-text">{lineText(words, line)}</span>
                {who && <span className="outcome-names">{who}</span>}
              </li>
            );
          })}
        </ul>
      )}
      {result.failed > 0 && <p className="field-hint">Users who failed can be tried again.</p>}
    </div>
  );
}
