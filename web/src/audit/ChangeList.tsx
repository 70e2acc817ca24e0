import type { FieldChange } from '../api/types';
import { joinList } from '../lib/format';
import { changeWords, type AuditNames, type ChangeWords } from './auditWords';

function ValueChange({ from, to }: { from: string; to: string }) {
  if (!from) return <span className="change-new">{to}</span>;
  return (
    <>
      <span className="change-old">{from}</span>{' '}
      <span className="change-arrow" role="img" aria-label="changed to">
        →
      </span>{' '}
      {to ? <span className="change-new">{to}</span> : <span className="muted">none</span>}
    </>
  );
}

function MembershipChange({ words }: { words: Extract<ChangeWords, { kind: 'groups' | 'courses' }> }) {
  const [joined, left] = words.kind === 'groups' ? ['added to', 'removed from'] : ['assigned', 'unassigned'];
  const parts = [
    words.added.length > 0 && `${joined} ${joinList(words.added)}`,
    words.removed.length > 0 && `${left} ${joinList(words.removed)}`,
  ].filter(Boolean);
  const text = parts.join('; ');
  return <span className="change-new">{text.charAt(0).toUpperCase() + text.slice(1)}</span>;
}

function ChangeValue({ words }: { words: ChangeWords }) {
  return words.kind === 'value' ? (
    <ValueChange from={words.from} to={words.to} />
  ) : (
    <MembershipChange words={words} />
  );
}

/** The fields an entry changed, in words: "Last name  Johnson → Hopper-Murray". */
export function ChangeList({ changes, names }: { changes: readonly FieldChange[]; names: AuditNames }) {
  if (changes.length === 0) return null;
  return (
    <dl className="change-list">
      {changes.map((change) => {
        const words = changeWords(change, names);
        return (
          <div key={change.field} className="change">
            <dt>{words.label}</dt>
            <dd>
              <ChangeValue words={words} />
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
