-- Durable batch jobs. Each item's result is stored on its own row, keyed by (job, index), so a redelivered
-- item can never be stored twice. seq is the job-local event id given to a result when it is stored: SSE
-- clients resume after it with Last-Event-ID.
CREATE TABLE job (
    id                uuid PRIMARY KEY,
    status            varchar(16)      NOT NULL,
    execution         varchar(16)      NOT NULL,
    mode              varchar(8)       NOT NULL,
    model             varchar(128)     NOT NULL,
    taxonomy          text             NOT NULL, -- JSON array of category names
    budget_usd        double precision,
    total             integer          NOT NULL,
    succeeded         integer          NOT NULL DEFAULT 0,
    failed            integer          NOT NULL DEFAULT 0,
    rejected          integer          NOT NULL DEFAULT 0,
    cancelled         integer          NOT NULL DEFAULT 0,
    cached            integer          NOT NULL DEFAULT 0,
    prompt_tokens     bigint           NOT NULL DEFAULT 0,
    cached_tokens     bigint           NOT NULL DEFAULT 0,
    completion_tokens bigint           NOT NULL DEFAULT 0,
    cost_usd          double precision NOT NULL DEFAULT 0,
    attempts          bigint           NOT NULL DEFAULT 0,
    retries           integer          NOT NULL DEFAULT 0,
    event_seq         bigint           NOT NULL DEFAULT 0,
    created_at        timestamptz      NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz
);
CREATE INDEX job_created_at ON job (created_at DESC);
CREATE INDEX job_finished_at ON job (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE job_item (
    job_id            uuid             NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    idx               integer          NOT NULL,
    item_id           varchar(128)     NOT NULL,
    name              text,
    description       text,
    image_url         text,
    attributes        text, -- JSON object, as sent
    status            varchar(16)      NOT NULL,
    category          text,
    confidence        double precision,
    error_code        varchar(64),
    error_message     text,
    attempts          integer          NOT NULL DEFAULT 0,
    latency_ms        bigint           NOT NULL DEFAULT 0,
    cached            boolean          NOT NULL DEFAULT false,
    model             varchar(128),
    prompt_tokens     integer          NOT NULL DEFAULT 0,
    cached_tokens     integer          NOT NULL DEFAULT 0,
    completion_tokens integer          NOT NULL DEFAULT 0,
    cost_usd          double precision NOT NULL DEFAULT 0,
    seq               bigint,
    PRIMARY KEY (job_id, idx),
    CONSTRAINT job_item_unique_id UNIQUE (job_id, item_id)
);
CREATE INDEX job_item_events ON job_item (job_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX job_item_status ON job_item (job_id, status, idx);
