-- Answers already paid for: the same item text, taxonomy and model get the stored answer at no cost.
-- key is the SHA-256 of exactly what the model was asked (model, taxonomy, item as prompted).
CREATE TABLE classification_cache (
    key        char(64)         PRIMARY KEY,
    category   text             NOT NULL,
    confidence double precision NOT NULL,
    model      varchar(128)     NOT NULL,
    created_at timestamptz      NOT NULL
);
ALTER TABLE job ADD COLUMN use_cache boolean NOT NULL DEFAULT true;
