import { useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { Person } from '../api/types';
import { fullName } from '../lib/format';
import { replaceQuery } from '../router/router';
import { useLookups } from '../users/useLookups';
import { AuditFilters } from './AuditFilters';
import { AuditTimeline } from './AuditTimeline';
import {
  NO_AUDIT_FILTERS,
  auditFiltersFromSearch,
  auditFiltersToSearch,
  toAuditQuery,
  type AuditFilterValues,
} from './auditFilters';
import { auditNames } from './auditWords';
import { useAuditLog } from './useAuditLog';

const PAGE_SIZE = 50;

/** Names the people an address named by id alone. */
function useNamedPeople(values: AuditFilterValues, onNamed: (changes: Partial<AuditFilterValues>) => void) {
  const api = useApi();
  const unnamed = (['user', 'actor'] as const).filter((key) => values[key] && values[key].name === null);
  const key = unnamed.map((k) => `${k}:${values[k]!.id}`).join(',');
  useEffect(() => {
    const controller = new AbortController();
    for (const field of unnamed) {
      const person = values[field]!;
      api.getUser(person.id, { signal: controller.signal }).then(
        (user) => onNamed({ [field]: { id: person.id, name: fullName(user) } satisfies Person }),
        () => {
          if (!controller.signal.aborted) onNamed({ [field]: { id: person.id, name: 'Unknown user' } satisfies Person });
        },
      );
    }
    return () => controller.abort();
    // `key` says which people need a name; the rest is read when it changes.
  }, [api, key]);
}

/** The organization's audit log: who changed which user, when, and what changed, filtered and paged. */
export function AuditLogPage() {
  const api = useApi();
  const lookups = useLookups();
  const [values, setValues] = useState<AuditFilterValues>(() => auditFiltersFromSearch(window.location.search));
  const change = (changes: Partial<AuditFilterValues>) => setValues((v) => ({ ...v, ...changes }));
  useNamedPeople(values, change);

  const query = useMemo(() => toAuditQuery(values), [values]);
  const queryKey = JSON.stringify(query);
  const log = useAuditLog((page, signal) => api.listAudit({ ...query, ...page }, { signal }), queryKey, PAGE_SIZE);

  useEffect(() => replaceQuery(auditFiltersToSearch(values)), [values]);

  const names = useMemo(() => auditNames(lookups), [lookups]);
  const filtered = queryKey !== '{}';

  return (
    <section className="page" aria-labelledby="audit-title">
      <div className="page-header">
        <div>
          <h1 id="audit-title">Audit log</h1>
          <p className="total">Every change to the organization's users: who made it, when, and what changed.</p>
        </div>
      </div>

      <AuditFilters values={values} onChange={change} onClear={() => setValues(NO_AUDIT_FILTERS)} />

      <div className="card" aria-busy={log.loading}>
        <AuditTimeline
          log={log}
          perspective="log"
          names={names}
          label="Audit entries"
          emptyText={filtered ? 'No entry matches these filters.' : 'Nothing has been changed yet.'}
        />
      </div>
    </section>
  );
}
