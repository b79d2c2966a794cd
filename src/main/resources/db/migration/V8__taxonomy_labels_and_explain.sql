-- A taxonomy's category labels keep their embedding too (path text and description, as the local classifier reads
-- them): a taxonomy of 5,595 categories loads on another pod or after a restart without embedding them again.
-- A taxonomy stored before this has no rows here; its labels are embedded when it is loaded, as before.
CREATE TABLE taxonomy_label (
    taxonomy varchar(100) NOT NULL REFERENCES taxonomy (name) ON DELETE CASCADE,
    idx      integer      NOT NULL, -- the category's place in taxonomy.categories
    vector   bytea        NOT NULL, -- float32 little-endian
    PRIMARY KEY (taxonomy, idx)
);
-- explain: true on a job keeps, with each result, the categories it was chosen from (JSON, best first).
ALTER TABLE job ADD COLUMN explain boolean NOT NULL DEFAULT false;
ALTER TABLE job_item ADD COLUMN candidates text;
