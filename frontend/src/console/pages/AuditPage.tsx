import type { AuditEntry } from '@dxoc/contracts';
import { useState } from 'react';
import { auditDiff } from '../../lib/audit-diff';
import { dayRange } from '../../lib/day-range';
import { formatDateTime } from '../../lib/format';
import { useConsole, useCT } from '../context';
import { Field, LoadedList, useLoad } from '../ui';

const PAGE = 50;

interface AuditFilter {
  actor: string;
  action: string;
  from: string;
  to: string;
}

/** The typed filter → the API's query; `before` is the id of the last entry already shown. */
function auditQuery(filter: AuditFilter, before?: number) {
  return {
    limit: PAGE,
    actor: filter.actor.trim() || undefined,
    action: filter.action.trim() || undefined,
    ...dayRange(filter.from, filter.to),
    before,
  };
}

/**
 * Who changed what and when (GET /api/v1/audit, staff and admins): filtered on the server by who (a part of the
 * name), action and day range (Viet Nam days), each entry's before/after as the fields that changed, secrets
 * redacted; newest first, a page at a time ("show more" asks for the entries below the last id shown).
 */
export function AuditPage() {
  const { api } = useConsole();
  const t = useCT();
  const [filter, setFilter] = useState<AuditFilter>({ actor: '', action: '', from: '', to: '' });
  const [applied, setApplied] = useState(filter);
  // the pages after the first, and whether the last one came back short (nothing more below it)
  const [more, setMore] = useState<{ entries: AuditEntry[]; done: boolean }>({ entries: [], done: false });
  const [busy, setBusy] = useState(false);
  const [firstPage] = useLoad(async (signal) => (await api.audit(auditQuery(applied), signal)).entries, [api, applied]);
  const showMore = async (list: AuditEntry[]) => {
    setBusy(true);
    try {
      const next = (await api.audit(auditQuery(applied, list[list.length - 1]?.id))).entries;
      setMore((m) => ({ entries: [...m.entries, ...next], done: next.length < PAGE }));
    } finally {
      setBusy(false);
    }
  };
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
          setMore({ entries: [], done: false });
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
      <LoadedList value={firstPage}>
        {(first) => {
          const list = [...first, ...more.entries];
          const exhausted = first.length < PAGE || more.done;
          return (
            <>
              <AuditTable list={list} />
              {exhausted ? null : (
                <button
                  className="button small ghost"
                  type="button"
                  disabled={busy}
                  onClick={() => void showMore(list)}
                  data-testid="audit-more"
                >
                  {t('console.audit.more')}
                </button>
              )}
            </>
          );
        }}
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
