import { useId } from 'react';

export interface KeyValueRow {
  key: string;
  value: string;
}

/** Rows of name/value pairs (env_vars, metadata, custom resources), with add and remove. */
export function KeyValueEditor({
  legend,
  rows,
  onChange,
  keyLabel = 'Name',
  valueLabel = 'Value',
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
  const update = (i: number, patch: Partial<KeyValueRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {rows.map((row, i) => (
        <div className="kv-row" key={i}>
          <input
            aria-label={`${legend} ${keyLabel.toLowerCase()} ${i + 1}`}
            placeholder={keyLabel}
            value={row.key}
            onChange={(e) => update(i, { key: e.target.value })}
          />
          <input
            aria-label={`${legend} ${valueLabel.toLowerCase()} ${i + 1}`}
            placeholder={valueLabel}
            type={valueType}
            step="any"
            value={row.value}
            onChange={(e) => update(i, { value: e.target.value })}
          />
          <button
            type="button"
            className="button button-small"
            aria-label={`Remove ${legend} row ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            Remove
          </button>
        </div>
      ))}
      <div>
        <button
          type="button"
          className="button button-small"
          onClick={() => onChange([...rows, { key: '', value: '' }])}
        >
          Add {legend.toLowerCase()}
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
