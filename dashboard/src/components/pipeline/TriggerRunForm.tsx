import { type FormEvent, useId, useState } from 'react';
import type { RunTrigger } from '../../../../shared/api/contracts/runs.ts';
import type { AssetType } from '../../../../shared/domain/market.ts';
import { useTriggerRun } from '../../api/queries/runs.ts';
import { MarketSelect } from '../MarketSelect.tsx';
import { WriteError } from '../WriteError.tsx';

const STAGE_CHOICES: { value: RunTrigger['stage']; label: string }[] = [
  { value: 'pipeline', label: 'whole pipeline' },
  { value: 'ingest', label: 'ingest' },
  { value: 'features', label: 'features' },
  { value: 'signals', label: 'signals' },
  { value: 'review', label: 'review' },
];

/** Starts a stage or the whole pipeline for one market or both, on a date or each market's latest day. */
export function TriggerRunForm() {
  const id = useId();
  const trigger = useTriggerRun();
  const [stage, setStage] = useState<RunTrigger['stage']>('pipeline');
  const [assetType, setAssetType] = useState<AssetType | ''>('');
  const [date, setDate] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    trigger.mutate({
      stage,
      ...(assetType ? { asset_type: assetType } : {}),
      ...(date ? { date } : {}),
    });
  };

  return (
    <section className="card">
      <div className="card-head">
        <h2>Start a run</h2>
        <span className="muted small">admin</span>
      </div>
      <form className="form-row" onSubmit={submit}>
        <label htmlFor={`${id}-stage`}>stage</label>
        <select
          id={`${id}-stage`}
          value={stage}
          onChange={(e) => setStage(e.target.value as RunTrigger['stage'])}
        >
          {STAGE_CHOICES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <MarketSelect id={`${id}-type`} value={assetType} onChange={setAssetType} />
        <label htmlFor={`${id}-date`}>date</label>
        <input
          id={`${id}-date`}
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          aria-describedby={`${id}-date-hint`}
        />
        <span id={`${id}-date-hint`} className="muted small">
          empty: each market's latest complete day
        </span>
        <button type="submit" className="btn primary" disabled={trigger.isPending}>
          {trigger.isPending ? 'Starting…' : 'Start'}
        </button>
      </form>
      {trigger.isError && <WriteError what="start the run" error={trigger.error} />}
      {trigger.isSuccess && (
        <div className="state ok" role="status">
          Started {trigger.data.map((r) => `${r.stage} ${r.universe} ${r.run_date} (#${r.id})`).join(', ')}.
        </div>
      )}
    </section>
  );
}
