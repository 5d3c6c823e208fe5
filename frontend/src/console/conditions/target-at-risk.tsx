/** The projection at a target's deadline misses it (one target, or each unit's nearest target ahead). */
import { targetText } from '../../lib/targets';
import { useConsole, useCT } from '../context';
import { Field } from '../ui';
import { numberField, textField, textIn, type ConditionEditor, type ConditionInputsProps } from './condition-editor';

function TargetAtRiskInputs({ fields, set, errors, metric }: ConditionInputsProps) {
  const { catalog, lang } = useConsole();
  const t = useCT();
  // a target is named by what it asks, of whom, by when, and on what authority, never by its id
  return (
    <Field label={t('console.rule.target')} error={errors.targetId}>
      <select name="targetId" value={fields.targetId ?? ''} onChange={(e) => set('targetId', e.target.value)}>
        <option value="">{t('console.rule.targetNearest')}</option>
        {(metric?.targets ?? []).map((target) => (
          <option key={target.id} value={target.id}>
            {catalog.unitName(target.unitCode, lang)}: {targetText(target, metric, lang)} (
            {lang === 'vi' ? target.legalSourceVi : target.legalSourceEn})
          </option>
        ))}
      </select>
    </Field>
  );
}

export const targetAtRisk: ConditionEditor<'target_at_risk'> = {
  type: 'target_at_risk',
  label: ['Có nguy cơ không đạt mục tiêu', 'Target at risk'],
  defaults: { targetId: '' },
  fromCondition: (condition) => ({ targetId: condition.targetId !== undefined ? String(condition.targetId) : '' }),
  // empty: each unit's own nearest target ahead
  toCondition: (fields) =>
    textField(fields.targetId) ? { type: 'target_at_risk', targetId: numberField(fields.targetId) } : { type: 'target_at_risk' },
  Inputs: TargetAtRiskInputs,
  summary: (_condition, { lang }) => textIn(targetAtRisk.label, lang),
};
