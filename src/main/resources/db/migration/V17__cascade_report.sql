-- What a job's cascade settled locally, summed as its items finish: the calibrated chance of being right of those
-- that had one, and the tokens and dollars of the LLM calls they did not need (JobView.cascade_report).
ALTER TABLE job ADD COLUMN cascade_calibrated integer NOT NULL DEFAULT 0;
ALTER TABLE job ADD COLUMN cascade_chance_sum double precision NOT NULL DEFAULT 0;
ALTER TABLE job ADD COLUMN tokens_saved bigint NOT NULL DEFAULT 0;
ALTER TABLE job ADD COLUMN cost_saved_usd double precision NOT NULL DEFAULT 0;
