import type { AuditEntry } from '@dxoc/contracts';
import { useState } from 'react';
import { auditDiff } from '../../lib/audit-diff';
import { formatDateTime } from '../../lib/format';
import { useConsole, useCT } from '../context';
import { Field, LoadedList, useLoad } from '../ui';

const PAGE = 50;
/** A date typed in the console (Vietnam's calendar day) → the API's instant with its offset. */
const dayStart = (day: string) => (day ? `${day}T00:00:00+07:00` : undefined);
const dayEnd = (day: string) => (day ? `${day}T23:59:59+07:00` : undefined);

/**
 * Who changed what and when (GET /api/v1/audit, staff and admins): filtered by action and day range on the server
 * and by who, each entry's before/after as the fields that changed, secrets redacted; newest first, a page at a time.
 */
export function AuditPage() {
  const { api } = useConsole();
  const t = useCT();
  const [filter, setFilter] = useState({ actor: '', action: '', from: '', to: '' });
  const [applied, setApplied] = useState(filter);
  const [pages, setPages] = useState(1);
  const [entries] = useLoad(
    async (signal) =>
      (
        await api.audit(
          { limit: PAGE * pages, action: applied.action.trim() || undefined, from: dayStart(applied.from), to: dayEnd(applied.to) },
          signal,
        )
      ).entries.filter((e) => !applied.actor.trim() || e.actor.toLowerCase().includes(applied.actor.trim().toLowerCase())),
    [api, applied, pages],
  );
  const set = (key: keyof typeof filter, value: string) => setFilter((f) => ({ ...f, [key]: value }));

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.audit')}</h1>
      </div>
      <form
        className="filters"
        data-testid="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setPages(1);
          setApplied(filter);
        }}
      >
        <Field label={t('console.audit.actor')}>
          <input name="actor" value={filter.actor} onChange={(e) => set('actor', e.target.value)} />
        </Field>
        <Field label={t('console.audit.action')}>
          <input name="action" value={filter.action} onChange={(e) => set('action', e.target.value)} placeholder="target.create" />
        </Field>
        <Field label={t('console.from')}>
          <input name="from" type="date" value={filter.from} onChange={(e) => set('from', e.target.value)} />
        </Field>
        <Field label={t('console.to')}>
          <input name="to" type="date" value={filter.to} onChange={(e) => set('to', e.target.value)} />
        </Field>
        <button className="button primary" type="submit" data-testid="audit-apply">
          {t('console.load')}
        </button>
      </form>
      <LoadedList value={entries}>
        {(list) => (
          <>
            <AuditTable list={list} />
            {list.length >= PAGE * pages ? (
              <button className="button small ghost" type="button" onClick={() => setPages((p) => p + 1)} data-testid="audit-more">
                {t('console.audit.more')}
              </button>
            ) : null}
          </>
        )}
      </LoadedList>
    </section>
  );
}

function AuditTable({ list }: { list: AuditEntry[] }) {
  const { lang } = useConsole();
  const t = useCT();
  return (
    <table className="table" data-testid="audit-table">
      <thead>
        <tr>
          <th>{t('console.audit.at')}</th>
          <th>{t('console.audit.actor')}</th>
          <th>{t('console.audit.action')}</th>
          <th>{t('console.audit.target')}</th>
          <th>{t('console.audit.changes')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((entry) => (
          <tr key={entry.id} data-action={entry.action}>
            <td className="small">{formatDateTime(entry.at, lang)}</td>
            <td>{entry.actor}</td>
            <td className="strong">{entry.action}</td>
            <td className="small">{entry.target ?? '—'}</td>
            <td>
              <table className="diff small" data-testid="audit-diff">
                <tbody>
                  {auditDiff(entry.before, entry.after).map((c) => (
                    <tr key={c.field}>
                      <th scope="row">{c.field}</th>
                      <td className="muted">{c.before ?? '∅'}</td>
                      <td>→ {c.after ?? '∅'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
