/** The latest value is below a threshold. */
import { numberField, type ConditionEditor } from './condition-editor';
import { thresholdParts } from './threshold';

export const below: ConditionEditor<'below'> = {
  type: 'below',
  label: ['Thấp hơn ngưỡng', 'Below a threshold'],
  ...thresholdParts('<'),
  toCondition: (fields) => ({ type: 'below', value: numberField(fields.value) }),
};
