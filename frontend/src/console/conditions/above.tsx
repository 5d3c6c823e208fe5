/** The latest value is above a threshold. */
import { numberField, type ConditionEditor } from './condition-editor';
import { thresholdParts } from './threshold';

export const above: ConditionEditor<'above'> = {
  type: 'above',
  label: ['Cao hơn ngưỡng', 'Above a threshold'],
  ...thresholdParts('>'),
  toCondition: (fields) => ({ type: 'above', value: numberField(fields.value) }),
};
