import { useId } from 'react';
import { useT } from '../i18n/use-t';

export interface KeyValueRow {
  key: string;
  value: string;
}

/** Rows of name/value pairs (env_vars, metadata, custom resources), with add and remove. */
export function KeyValueEditor({
  legend,
  rows,
  onChange,
  keyLabel,
  valueLabel,
  valueType = 'text',
  error,
}: {
  legend: string;
  rows: KeyValueRow[];
  onChange: (rows: KeyValueRow[]) => void;
  keyLabel?: string;
  valueLabel?: string;
  valueType?: 'text' | 'number';
  error?: string | undefined;
}) {
  const id = useId();
  const { t } = useT('common');
  const keyWord = keyLabel ?? t('kv.name');
  const valueWord = valueLabel ?? t('kv.value');
  const update = (i: number, patch: Partial<KeyValueRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {rows.map((row, i) => (
        <div className="kv-row" key={i}>
          <input
            aria-label={t('kv.field', { legend, label: keyWord.toLocaleLowerCase(), row: i + 1 })}
            placeholder={keyWord}
            value={row.key}
            onChange={(e) => update(i, { key: e.target.value })}
          />
          <input
            aria-label={t('kv.field', { legend, label: valueWord.toLocaleLowerCase(), row: i + 1 })}
            placeholder={valueWord}
            type={valueType}
            step="any"
            value={row.value}
            onChange={(e) => update(i, { value: e.target.value })}
          />
          <button
            type="button"
            className="button button-small"
            aria-label={t('kv.removeRow', { legend, row: i + 1 })}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            {t('kv.remove')}
          </button>
        </div>
      ))}
      <div>
        <button
          type="button"
          className="button button-small"
          onClick={() => onChange([...rows, { key: '', value: '' }])}
        >
          {t('kv.add', { legend: legend.toLocaleLowerCase() })}
        </button>
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export const rowsFrom = (record: Record<string, string | number> | undefined): KeyValueRow[] =>
  Object.entries(record ?? {}).map(([key, value]) => ({ key, value: String(value) }));
