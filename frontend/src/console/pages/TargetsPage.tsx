import { TargetInput } from '@dxoc/contracts';
import { useState } from 'react';
import { metricName } from '../../app/catalog';
import { COLORS } from '../../charts/theme';
import { ApiError, type Target } from '../../lib/api';
import { formatDate, formatDateTime, formatNumber, formatValue } from '../../lib/format';
import { projectionText, statusText, statusTone, targetText, type StatusTone, type TargetStatusRow } from '../../lib/targets';
import { AskToExplain } from '../AskToExplain';
import { permissions, useConsole, useCT } from '../context';
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '../form-errors';
import { Field, LoadedList, MetricSelect, UnitSelect, useLoad } from '../ui';

const TONE_COLOUR: Record<StatusTone, string> = {
  bad: COLORS.critical,
  warn: COLORS.warning,
  neutral: COLORS.dim,
  good: COLORS.good,
};

/**
 * Every target with its status as the backend judges it (GET /api/v1/targets): current targets (deadline ahead)
 * first, with the projection at the deadline, its method and band, or why there is none; past targets apart, each
 * met on time, met late (with the date reached) or missed. Worst first in each.
 */
export function TargetsPage() {
  const { api, principal } = useConsole();
  const t = useCT();
  const perms = permissions(principal);
  const [editing, setEditing] = useState<Target | 'new' | null>(null);
  const [rows, reload] = useLoad(
    async (signal) => (await api.targets({ unit: perms.onlyUnit ?? undefined }, signal)).targets,
    [api, perms.onlyUnit],
  );
  const retire = async (target: Target) => {
    if (!window.confirm(t('console.targets.retireConfirm'))) return;
    await api.deleteTarget(target.id);
    reload();
  };
  const actions = perms.canEditTargets
    ? { edit: (target: Target) => setEditing(target), retire: (target: Target) => void retire(target) }
    : null;
  const current = rows.state === 'ready' ? { state: 'ready' as const, data: rows.data.filter((r) => r.current) } : rows;
  const past = rows.state === 'ready' ? { state: 'ready' as const, data: rows.data.filter((r) => !r.current) } : rows;

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.nav.targets')}</h1>
        {perms.canEditTargets && editing === null ? (
          <button type="button" className="button primary" data-testid="target-new" onClick={() => setEditing('new')}>
            {t('console.targets.new')}
          </button>
        ) : null}
      </div>
      {editing !== null ? (
        <TargetEditor
          key={editing === 'new' ? 'new' : editing.id}
          target={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) reload();
          }}
        />
      ) : null}
      <h2>{t('console.targets.current')}</h2>
      <LoadedList value={current}>{(list) => <TargetsTable list={list} current testId="targets-table" actions={actions} />}</LoadedList>
      <h2>{t('console.targets.past')}</h2>
      <LoadedList value={past}>
        {(list) => <TargetsTable list={list} current={false} testId="targets-past-table" actions={actions} />}
      </LoadedList>
    </section>
  );
}

interface TargetActions {
  edit: (target: Target) => void;
  retire: (target: Target) => void;
}

function TargetsTable({
  list,
  current,
  testId,
  actions,
}: {
  list: TargetStatusRow[];
  current: boolean;
  testId: string;
  actions: TargetActions | null;
}) {
  const { catalog, lang } = useConsole();
  const t = useCT();
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('console.targets.status')}</th>
          <th>{t('console.filter.metric')}</th>
          <th>{t('wall.unit')}</th>
          <th>{t('wall.target')}</th>
          <th>{t('console.targets.latest')}</th>
          <th>{t('console.progress')}</th>
          {current ? <th>{t('console.projection')}</th> : null}
          <th>{t('console.legal')}</th>
          {actions ? <th>{t('console.actions')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {list.map((row) => {
          const metric = catalog.metric(row.target.metricCode);
          const tone = statusTone(row.status);
          const projection = projectionText(row.projection, metric, lang);
          return (
            <tr key={row.target.id} data-status={row.status} data-target-id={row.target.id}>
              <td>
                <span className="pill" style={{ background: TONE_COLOUR[tone], color: tone === 'neutral' ? '#fff' : '#06101f' }}>
                  {statusText(row, lang)}
                </span>
                {current && row.status === 'at_risk' ? (
                  <AskToExplain
                    from={{
                      kind: 'target',
                      targetId: row.target.id,
                      unit: row.target.unitCode,
                      metric: row.target.metricCode,
                      title: `${catalog.unitName(row.target.unitCode, 'vi')} có nguy cơ không đạt mục tiêu ${metricName(metric, 'vi')}`,
                      titleEn: `${catalog.unitName(row.target.unitCode, 'en')} at risk of missing the ${metricName(metric, 'en')} target`,
                    }}
                  />
                ) : null}
              </td>
              <td className="strong">{metricName(metric, lang)}</td>
              <td>{catalog.unitName(row.target.unitCode, lang)}</td>
              <td>
                {targetText(row.target, metric, lang)}
                {!current && row.atDeadline ? (
                  <div className="muted small">
                    {formatDate(`${row.target.deadline}T00:00:00+07:00`, lang)}: {formatValue(row.atDeadline.value, metric, lang)}
                  </div>
                ) : null}
              </td>
              <td>
                {formatValue(row.latest?.value ?? null, metric, lang)}
                <div className="muted small">{formatDateTime(row.latest?.ts ?? null, lang)}</div>
              </td>
              <td className="progress-cell">
                <div className="bar">
                  <div style={{ width: `${Math.min(100, row.progress ?? 0)}%`, background: TONE_COLOUR[tone] }} />
                </div>
                <span className="small">{row.progress === null ? '—' : `${formatNumber(row.progress, lang, 0)}%`}</span>
              </td>
              {current ? (
                <td className="small" data-testid="projection" data-projection-method={row.projection?.method ?? 'none'}>
                  {projection ?? '—'}
                </td>
              ) : null}
              <td className="small legal">{lang === 'vi' ? row.target.legalSourceVi : row.target.legalSourceEn}</td>
              {actions ? (
                <td className="actions">
                  <button type="button" className="button small ghost" data-testid="target-edit" onClick={() => actions.edit(row.target)}>
                    {t('console.edit')}
                  </button>{' '}
                  <button
                    type="button"
                    className="button small danger"
                    data-testid="target-retire"
                    onClick={() => actions.retire(row.target)}
                  >
                    {t('console.targets.retire')}
                  </button>
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export interface TargetDraft {
  metricCode: string;
  unitCode: string;
  value: string;
  comparator: '>=' | '<=';
  deadline: string;
  legalSourceVi: string;
  legalSourceEn: string;
}

/**
 * The form's text → the API's TargetInput (a decimal comma is accepted; an empty value stays missing). Only the
 * input's fields: an edited target's draft starts from the stored target, whose id the strict input refuses.
 */
export function draftToTargetInput(draft: TargetDraft): unknown {
  const value = draft.value.trim();
  return {
    metricCode: draft.metricCode,
    unitCode: draft.unitCode,
    comparator: draft.comparator,
    value: value === '' ? undefined : Number(value.replace(',', '.')),
    deadline: draft.deadline.trim(),
    legalSourceVi: draft.legalSourceVi.trim(),
    legalSourceEn: draft.legalSourceEn.trim(),
  };
}

/** Create or edit one target: indicator, unit, value, comparator, deadline and its legal source in both languages. */
function TargetEditor({ target, onDone }: { target: Target | null; onDone: (saved: boolean) => void }) {
  const { api, catalog, lang } = useConsole();
  const t = useCT();
  const [draft, setDraft] = useState<TargetDraft>(() =>
    target
      ? { ...target, value: String(target.value) }
      : {
          metricCode: catalog.metrics[0]?.code ?? '',
          unitCode: 'VN',
          value: '',
          comparator: '>=',
          deadline: '',
          legalSourceVi: '',
          legalSourceEn: '',
        },
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof TargetDraft>(key: K, value: TargetDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const save = async () => {
    const parsed = TargetInput.safeParse(draftToTargetInput(draft));
    setFormError(null);
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error, lang));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      if (target) await api.updateTarget(target.id, parsed.data);
      else await api.createTarget(parsed.data);
      onDone(true);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        const fromServer = apiFieldErrors(error.details, lang);
        setErrors(fromServer);
        if (Object.keys(fromServer).length === 0) setFormError(error.message);
      } else setFormError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form-grid"
      data-testid="target-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 className="wide">
        {target ? `${t('console.edit')}: ${metricName(catalog.metric(target.metricCode), lang)}` : t('console.targets.new')}
      </h2>
      <Field label={t('console.filter.metric')} error={errors.metricCode} wide>
        <MetricSelect name="metricCode" value={draft.metricCode} onChange={(v) => set('metricCode', v)} />
      </Field>
      <Field label={t('wall.unit')} error={errors.unitCode}>
        <UnitSelect name="unitCode" value={draft.unitCode} onChange={(v) => set('unitCode', v)} />
      </Field>
      <Field label={t('console.targets.comparator')} error={errors.comparator}>
        <select name="comparator" value={draft.comparator} onChange={(e) => set('comparator', e.target.value as TargetDraft['comparator'])}>
          <option value=">=">{t('console.targets.atLeast')}</option>
          <option value="<=">{t('console.targets.atMost')}</option>
        </select>
      </Field>
      <Field label={t('console.targets.value')} error={errors.value}>
        <input name="value" inputMode="decimal" value={draft.value} onChange={(e) => set('value', e.target.value)} />
      </Field>
      <Field label={t('console.targets.deadline')} error={errors.deadline}>
        <input name="deadline" type="date" value={draft.deadline} onChange={(e) => set('deadline', e.target.value)} />
      </Field>
      <Field label={t('console.targets.legalVi')} error={errors.legalSourceVi} wide>
        <input name="legalSourceVi" value={draft.legalSourceVi} onChange={(e) => set('legalSourceVi', e.target.value)} />
      </Field>
      <Field label={t('console.targets.legalEn')} error={errors.legalSourceEn} wide>
        <input name="legalSourceEn" value={draft.legalSourceEn} onChange={(e) => set('legalSourceEn', e.target.value)} />
      </Field>
      {formError ? (
        <div className="form-error wide" role="alert">
          {formError}
        </div>
      ) : null}
      <div className="wide">
        <button type="submit" className="button primary" disabled={busy} data-testid="target-save">
          {t('console.save')}
        </button>{' '}
        <button type="button" className="button small ghost" onClick={() => onDone(false)}>
          {t('console.cancel')}
        </button>
      </div>
    </form>
  );
}
