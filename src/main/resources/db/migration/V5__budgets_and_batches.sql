-- Why a job stopped short of running every item (budget_exceeded), and the OpenAI Batch API batches a
-- batch-api job was split into: one row per uploaded file, so a restart resumes polling instead of submitting
-- the job again.
ALTER TABLE job ADD COLUMN stop_reason varchar(32);

CREATE TABLE provider_batch (
    id uuid PRIMARY KEY,
    job_id uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    -- the key alias the batch was created with: its files and results are visible to that key only
    key_alias varchar(64) NOT NULL,
    first_index integer NOT NULL,
    item_count integer NOT NULL,
    status varchar(16) NOT NULL,
    input_file_id varchar(128),
    batch_id varchar(128),
    output_file_id varchar(128),
    error_file_id varchar(128),
    polls integer NOT NULL DEFAULT 0,
    next_poll_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX provider_batch_open ON provider_batch (status, next_poll_at);
CREATE INDEX provider_batch_job ON provider_batch (job_id);
