import { useMemo, useState } from 'react';
import { CONDITION_TYPES, type AlertRule, type ConditionType, type PreviewResponse } from '@dxoc/contracts';
import { metricName } from '../../app/catalog';
import { EChart } from '../../charts/EChart';
import { timeseriesOption } from '../../charts/options/timeseries';
import { ApiError } from '../../lib/api';
import { formatDateTime, formatNumber, formatValue } from '../../lib/format';
import { permissions, useConsole, useCT } from '../context';
import { textIn } from '../conditions/condition-editor';
import { CONDITION_EDITORS, conditionSummary, conditionThresholdLines } from '../conditions/registry';
import { emptyDraft, ruleToDraft, serverErrors, validateDraft, withConditionType, type FieldErrors, type RuleDraft } from '../rule-draft';
import { Field, LoadState, LoadedList, MetricSelect, Severity, useLoad } from '../ui';

/** Threshold rules: list, create, edit, disable; a draft is backtested on stored data before it is saved. */
export function RulesPage() {
  const { api, catalog, lang, principal } = useConsole();
  const t = useCT();
  const perms = permissions(principal);
  const [rules, reload] = useLoad((signal) => api.rules(signal), [api]);
  const [editing, setEditing] = useState<{ rule: AlertRule | null; draft: RuleDraft } | null>(null);

  const toggle = async (rule: AlertRule) => {
    const { id, createdAt, createdBy, updatedAt, ...input } = rule;
    void createdAt;
    void createdBy;
    void updatedAt;
    await api.updateRule(id, { ...input, enabled: !rule.enabled }).catch(() => undefined);
    reload();
  };

  if (editing) {
    return (
      <RuleEditor
        rule={editing.rule}
        initial={editing.draft}
        onDone={() => {
          setEditing(null);
          reload();
        }}
      />
    );
  }
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.rules.list')}</h1>
        {perms.canEditRules ? (
          <button
            className="button primary"
            data-testid="new-rule"
            onClick={() => setEditing({ rule: null, draft: emptyDraft(catalog.metrics[0]?.code ?? '', perms.onlyUnit) })}
          >
            + {t('console.rules.new')}
          </button>
        ) : null}
      </div>
      <LoadedList value={rules}>
        {(list) => (
          <table className="table" data-testid="rules-table">
            <thead>
              <tr>
                <th>{t('console.rule.name')}</th>
                <th>{t('console.filter.metric')}</th>
                <th>{t('console.rule.scope')}</th>
                <th>{t('console.rule.condition')}</th>
                <th>{t('console.filter.severity')}</th>
                <th>{t('console.status')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((rule) => (
                <tr key={rule.id} className={rule.enabled ? '' : 'disabled'}>
                  <td className="strong">{rule.name}</td>
                  <td>{metricName(catalog.metric(rule.metric), lang)}</td>
                  <td>
                    {rule.scope.kind === 'units'
                      ? rule.scope.units.map((u) => catalog.unitName(u, lang)).join(', ')
                      : t(`scope.${rule.scope.kind}`)}
                  </td>
                  <td>
                    {conditionSummary(rule.condition, { metric: catalog.metric(rule.metric), lang })}
                    {rule.for !== '0s' ? <span className="muted"> · {rule.for}</span> : null}
                  </td>
                  <td>
                    <Severity severity={rule.severity} />
                  </td>
                  <td>{rule.enabled ? t('console.rule.enabled') : t('console.disable')}</td>
                  <td className="actions">
                    {perms.canEditRules ? (
                      <>
                        <button className="button small" onClick={() => setEditing({ rule, draft: ruleToDraft(rule) })}>
                          {t('console.edit')}
                        </button>
                        <button className="button small ghost" onClick={() => toggle(rule)}>
                          {rule.enabled ? t('console.disable') : t('console.enable')}
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LoadedList>
    </section>
  );
}

function RuleEditor({ rule, initial, onDone }: { rule: AlertRule | null; initial: RuleDraft; onDone: () => void }) {
  const { api, catalog, lang } = useConsole();
  const t = useCT();
  const [draft, setDraft] = useState<RuleDraft>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [days, setDays] = useState(30);
  const [preview, setPreview] = useState<PreviewResponse | null>(null);
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setCondition = (field: string, value: string) => setDraft((d) => ({ ...d, condition: { ...d.condition, [field]: value } }));
  const metric = catalog.metric(draft.metric);
  const ConditionInputs = CONDITION_EDITORS[draft.conditionType].Inputs;

  /** Validate with the contract's schema; the API's own 400 details land on the same fields. */
  const checked = () => {
    const { input, errors: found } = validateDraft(draft, lang);
    setErrors(found);
    setFormError(null);
    return input;
  };
  const handleError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 400) {
      const fromServer = serverErrors(error.details, lang);
      setErrors(fromServer);
      if (Object.keys(fromServer).length === 0) setFormError(error.message);
    } else setFormError(error instanceof Error ? error.message : String(error));
  };
  const save = async () => {
    const input = checked();
    if (!input) return;
    setBusy(true);
    try {
      if (rule) await api.updateRule(rule.id, input);
      else await api.createRule(input);
      onDone();
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };
  const runPreview = async () => {
    const input = checked();
    if (!input) return;
    setBusy(true);
    try {
      setPreview(await api.previewRule(input, days));
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1>{rule ? `${t('console.edit')}: ${rule.name}` : t('console.rules.new')}</h1>
      </div>
      <div className="editor">
        <form
          className="form-grid"
          data-testid="rule-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Field label={t('console.rule.name')} error={errors.name} wide>
            <input name="name" value={draft.name} onChange={(e) => set('name', e.target.value)} />
          </Field>
          <Field label={t('console.filter.metric')} error={errors.metric} wide>
            <MetricSelect value={draft.metric} onChange={(v) => set('metric', v)} />
          </Field>
          <Field label={t('console.rule.scope')} error={errors.scopeKind}>
            <select name="scopeKind" value={draft.scopeKind} onChange={(e) => set('scopeKind', e.target.value as RuleDraft['scopeKind'])}>
              {(['units', 'provinces', 'ministries', 'nation'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`scope.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          {draft.scopeKind === 'units' ? (
            <Field label={t('console.rules.unitsHint')} error={errors.units}>
              <input name="units" value={draft.units} onChange={(e) => set('units', e.target.value)} placeholder="01, 79" />
            </Field>
          ) : (
            <div />
          )}
          <Field label={t('console.rule.condition')} error={errors.conditionType}>
            <select
              name="conditionType"
              value={draft.conditionType}
              onChange={(e) => setDraft((d) => withConditionType(d, e.target.value as ConditionType))}
            >
              {CONDITION_TYPES.map((type) => (
                <option key={type} value={type}>
                  {textIn(CONDITION_EDITORS[type].label, lang)}
                </option>
              ))}
            </select>
          </Field>
          <ConditionInputs fields={draft.condition} set={setCondition} errors={errors} metric={metric} />
          <Field label={t('console.rule.for')} error={errors.for}>
            <input name="for" value={draft.for} onChange={(e) => set('for', e.target.value)} placeholder="0s" />
          </Field>
          <Field label={t('console.rule.keepFiringFor')} error={errors.keepFiringFor}>
            <input
              name="keepFiringFor"
              value={draft.keepFiringFor}
              onChange={(e) => set('keepFiringFor', e.target.value)}
              placeholder="0s"
            />
          </Field>
          <Field label={t('console.filter.severity')} error={errors.severity}>
            <select name="severity" value={draft.severity} onChange={(e) => set('severity', e.target.value as RuleDraft['severity'])}>
              <option value="info">{t('sev.info')}</option>
              <option value="warning">{t('sev.warning')}</option>
              <option value="critical">{t('sev.critical')}</option>
            </select>
          </Field>
          <Field label={t('console.rule.enabled')}>
            <input name="enabled" type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          </Field>
          <Field label={t('console.rule.messageVi')} error={errors.messageVi} wide>
            <input name="messageVi" value={draft.messageVi} onChange={(e) => set('messageVi', e.target.value)} />
          </Field>
          <Field label={t('console.rule.messageEn')} error={errors.messageEn} wide>
            <input name="messageEn" value={draft.messageEn} onChange={(e) => set('messageEn', e.target.value)} />
          </Field>
          <p className="hint wide">{'{unit} {unitName} {metric} {metricName} {value} {threshold} {since}'}</p>
          {formError ? (
            <div className="form-error wide" role="alert">
              {formError}
            </div>
          ) : null}
          <div className="form-actions wide">
            <button className="button primary" type="submit" disabled={busy} data-testid="save-rule">
              {t('console.save')}
            </button>
            <button className="button" type="button" disabled={busy} onClick={runPreview} data-testid="preview-rule">
              {t('console.preview')}
            </button>
            <label className="inline">
              {t('console.previewDays')}{' '}
              <input
                className="short"
                type="number"
                min={1}
                max={365}
                value={days}
                onChange={(e) => setDays(Number(e.target.value) || 30)}
              />
            </label>
            <button className="button ghost" type="button" onClick={onDone}>
              {t('console.cancel')}
            </button>
          </div>
        </form>
        {preview ? <PreviewChart preview={preview} draft={draft} /> : null}
      </div>
    </section>
  );
}

/** The draft rule's backtest drawn on the series: its threshold line and the intervals it would have fired. */
function PreviewChart({ preview, draft }: { preview: PreviewResponse; draft: RuleDraft }) {
  const { api, catalog, lang } = useConsole();
  const t = useCT();
  const metric = catalog.metric(draft.metric);
  const units = [...new Set(preview.firings.map((f) => f.unit))];
  const fallbackUnit =
    draft.scopeKind === 'units'
      ? (draft.units.split(/[\s,;]+/).filter(Boolean)[0] ?? 'VN').toUpperCase()
      : draft.scopeKind === 'nation'
        ? 'VN'
        : (units[0] ?? catalog.current(draft.scopeKind === 'ministries' ? 'ministry' : 'province')[0]?.code ?? 'VN');
  const [unit, setUnit] = useState(units[0] ?? fallbackUnit);
  const [series] = useLoad(
    (signal) => api.series({ metric: draft.metric, unit, from: preview.from, to: preview.to }, signal),
    [api, draft.metric, unit, preview],
  );
  const option = useMemo(() => {
    if (series.state !== 'ready') return null;
    const lines = conditionThresholdLines(draft.conditionType, draft.condition, { metric, lang });
    const now = Date.now();
    return timeseriesOption({
      lang,
      scale: 1,
      compact: true,
      series: [
        { name: catalog.unitName(unit, lang), points: series.data.points.map((p) => ({ t: new Date(p.ts).getTime(), v: p.value })) },
      ],
      targets: [],
      thresholds: lines.map((line) => ({ ...line, color: '#ff4d5e' })),
      metricKind: metric?.kind ?? 'gauge',
      decimals: 2,
      xWindow: { min: new Date(preview.from).getTime(), max: new Date(preview.to).getTime() },
      bands: preview.firings
        .filter((f) => f.unit === unit)
        .map((f) => ({
          from: new Date(f.firingSince ?? f.pendingSince).getTime(),
          to: f.resolvedAt ? new Date(f.resolvedAt).getTime() : now,
        })),
    });
  }, [series, draft, unit, preview, catalog, lang, metric]);
  return (
    <div className="preview" data-testid="rule-preview" data-firings={preview.firings.length}>
      <div className="preview-head">
        <strong>
          {preview.firings.length
            ? `${t('console.previewResult')} ${formatNumber(preview.firings.length, lang)} ${t('console.times')}`
            : t('console.rules.noFiring')}
        </strong>
        <span className="muted">
          {' '}
          · {formatNumber(preview.evaluatedPoints, lang)} {t('console.rules.evaluated')} · {formatDateTime(preview.from, lang)} –{' '}
          {formatDateTime(preview.to, lang)}
        </span>
        <label className="inline">
          {t('console.rules.draw')}{' '}
          <select value={unit} onChange={(e) => setUnit(e.target.value)}>
            {[...new Set([...units, fallbackUnit])].map((u) => (
              <option key={u} value={u}>
                {catalog.unitName(u, lang)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="preview-chart">
        {option ? <EChart option={option} label="preview" /> : <LoadState value={series}>{() => null}</LoadState>}
      </div>
      {preview.firings.length ? (
        <table className="table compact">
          <tbody>
            {preview.firings.slice(0, 50).map((f, i) => (
              <tr key={i}>
                <td>{catalog.unitName(f.unit, lang)}</td>
                <td>{formatDateTime(f.firingSince ?? f.pendingSince, lang)}</td>
                <td>{f.resolvedAt ? formatDateTime(f.resolvedAt, lang) : '…'}</td>
                <td className="num">{f.value === null ? '—' : formatValue(f.value, metric, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
