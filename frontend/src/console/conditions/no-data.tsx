/** Nothing received for longer than a duration (by default: past the metric's reporting cadence). */
import { useCT } from '../context';
import { Field } from '../ui';
import { textField, textIn, type ConditionEditor, type ConditionInputsProps } from './condition-editor';

function NoDataInputs({ fields, set, errors }: ConditionInputsProps) {
  const t = useCT();
  return (
    <Field label={t('console.rule.after')} error={errors.after}>
      <input name="after" value={fields.after ?? ''} onChange={(e) => set('after', e.target.value)} placeholder="2d" />
    </Field>
  );
}

export const noData: ConditionEditor<'no_data'> = {
  type: 'no_data',
  label: ['Không nhận được số liệu', 'No data received'],
  defaults: { after: '' },
  fromCondition: (condition) => ({ after: condition.after ?? '' }),
  // empty: the metric's own cadence
  toCondition: (fields) => (textField(fields.after) ? { type: 'no_data', after: textField(fields.after) } : { type: 'no_data' }),
  Inputs: NoDataInputs,
  summary: (condition, { lang }) => `${textIn(noData.label, lang)}${condition.after ? ` > ${condition.after}` : ''}`,
};
