/** What above and below share: one threshold value, drawn on the backtest chart. */
import { formatValue } from '../../lib/format';
import { translateConsole as translate } from '../messages';
import { useCT } from '../context';
import { Field } from '../ui';
import {
  numberField,
  type ConditionContext,
  type ConditionFields,
  type ConditionInputsProps,
  type ThresholdLine,
} from './condition-editor';

function ThresholdInputs({ fields, set, errors, metric }: ConditionInputsProps) {
  const t = useCT();
  return (
    <Field label={`${t('console.rule.threshold')}${metric?.kind === 'ratio' ? ' (%)' : ''}`} error={errors.value}>
      <input name="value" inputMode="decimal" value={fields.value ?? ''} onChange={(e) => set('value', e.target.value)} />
    </Field>
  );
}

/** Every part of a threshold condition's editor but its type, label and request. */
export function thresholdParts(sign: '>' | '<') {
  return {
    defaults: { value: '' },
    fromCondition: (condition: { value: number }): ConditionFields => ({ value: String(condition.value) }),
    Inputs: ThresholdInputs,
    summary: (condition: { value: number }, { metric, lang }: ConditionContext) => `${sign} ${formatValue(condition.value, metric, lang)}`,
    thresholdLines: (fields: ConditionFields, { metric, lang }: ConditionContext): ThresholdLine[] => {
      const value = numberField(fields.value);
      return value !== undefined && Number.isFinite(value)
        ? [{ value, label: `${translate('console.rule.threshold', lang)} ${formatValue(value, metric, lang)}` }]
        : [];
    },
  };
}
