/** The value rose / dropped by at least a percentage within a window. */
import { formatNumber } from '../../lib/format';
import { useConsole, useCT } from '../context';
import { Field } from '../ui';
import { numberField, textField, textIn, type ConditionEditor, type ConditionInputsProps, type Text } from './condition-editor';

const DIRECTIONS = { rise: ['tăng', 'rise'], drop: ['giảm', 'drop'] } as const satisfies Record<string, Text>;

function ChangeInputs({ fields, set, errors }: ConditionInputsProps) {
  const { lang } = useConsole();
  const t = useCT();
  return (
    <div className="field-row">
      <Field label={t('console.rule.condition')} error={errors.direction}>
        <select name="direction" value={fields.direction ?? ''} onChange={(e) => set('direction', e.target.value)}>
          {(['rise', 'drop'] as const).map((d) => (
            <option key={d} value={d}>
              {textIn(DIRECTIONS[d], lang)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('console.rule.percent')} error={errors.percent}>
        <input name="percent" inputMode="decimal" value={fields.percent ?? ''} onChange={(e) => set('percent', e.target.value)} />
      </Field>
      <Field label={t('console.rule.window')} error={errors.window}>
        <input name="window" value={fields.window ?? ''} onChange={(e) => set('window', e.target.value)} placeholder="1d" />
      </Field>
    </div>
  );
}

export const change: ConditionEditor<'change'> = {
  type: 'change',
  label: ['Tăng/giảm đột biến', 'Sudden rise or drop'],
  defaults: { direction: 'drop', percent: '20', window: '1d' },
  fromCondition: (condition) => ({ direction: condition.direction, percent: String(condition.percent), window: condition.window }),
  toCondition: (fields) => ({
    type: 'change',
    direction: fields.direction,
    percent: numberField(fields.percent),
    window: textField(fields.window),
  }),
  Inputs: ChangeInputs,
  summary: (condition, { lang }) =>
    `${textIn(DIRECTIONS[condition.direction], lang)} ≥ ${formatNumber(condition.percent, lang, 1)}% / ${condition.window}`,
};
