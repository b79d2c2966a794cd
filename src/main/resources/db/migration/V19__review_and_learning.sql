-- Every result says how likely it is right (chance, NULL where the taxonomy has no calibration to say it) and whether
-- someone should look at it (review: below the precision asked). A job counts its results marked for review.
ALTER TABLE job_item ADD COLUMN chance double precision;
ALTER TABLE job_item ADD COLUMN review boolean NOT NULL DEFAULT false;
ALTER TABLE job_item ADD COLUMN corrected boolean NOT NULL DEFAULT false;
ALTER TABLE job ADD COLUMN review integer NOT NULL DEFAULT 0;
CREATE INDEX job_item_review ON job_item (job_id, idx) WHERE review;
-- A stored answer of the model keeps its chance of being right, so a cache hit is judged as its first answer was.
ALTER TABLE classification_cache ADD COLUMN chance double precision;

-- A taxonomy learns: examples arrive after its PUT (POST .../examples, a job's corrections and confirmations, answers
-- of the model it trusts). source says whose an example is: 'put' (the definition), 'caller' (added by the caller or
-- a correction: the caller's word), 'confirmed' (a model answer the caller confirmed) or 'model' (learnt from the
-- model; droppable). id orders examples and lets a pod load only the ones it has not seen; grp is the group the
-- cascade's calibration keeps together (NULL: the example's text).
ALTER TABLE taxonomy_example ADD COLUMN id bigserial;
ALTER TABLE taxonomy_example ADD COLUMN source varchar(16) NOT NULL DEFAULT 'put';
ALTER TABLE taxonomy_example ADD COLUMN grp text;
ALTER TABLE taxonomy_example ADD COLUMN origin text;
ALTER TABLE taxonomy_example ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE taxonomy_example DROP CONSTRAINT taxonomy_example_pkey, ADD PRIMARY KEY (id);
CREATE INDEX taxonomy_example_of ON taxonomy_example (tenant, taxonomy, id);
-- A PUT replaces the definition, not what was learnt since: examples stay when the taxonomy row is replaced.
ALTER TABLE taxonomy_example DROP CONSTRAINT taxonomy_example_tenant_taxonomy_fkey;
-- revision changes whenever the examples or the calibration change, so each pod knows its prepared copy is stale;
-- calibrated_examples is how many examples the stored calibration and head were made from.
ALTER TABLE taxonomy ADD COLUMN revision bigint NOT NULL DEFAULT 0;
ALTER TABLE taxonomy ADD COLUMN calibrated_examples integer NOT NULL DEFAULT 0;
ALTER TABLE taxonomy ADD COLUMN group_by varchar(16);
UPDATE taxonomy SET calibrated_examples = example_count;
COMMENT ON COLUMN taxonomy.example_count IS 'every example it has: its definition''s and those added or learnt since';
