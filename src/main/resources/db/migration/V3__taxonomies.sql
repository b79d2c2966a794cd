-- Named taxonomies (PUT /api/v1/taxonomies/{name}): categories, label descriptions and labelled examples.
-- Examples keep their embedding, so a restart or another pod classifies with them without embedding
-- 50,000 texts again; "model" says which embedding model made the vectors.
CREATE TABLE taxonomy (
    name           varchar(100) PRIMARY KEY,
    categories     text         NOT NULL, -- JSON array, in the caller's order
    descriptions   text         NOT NULL, -- JSON object, category -> description
    example_count  integer      NOT NULL,
    content_sha256 char(64)     NOT NULL, -- of the definition as given: a file loaded again unchanged is skipped
    model          varchar(128) NOT NULL,
    item_text      varchar(32)  NOT NULL, -- which text of an item the local classifier reads (ItemText)
    source         varchar(16)  NOT NULL, -- api or file
    updated_at     timestamptz  NOT NULL
);
CREATE TABLE taxonomy_example (
    taxonomy varchar(100) NOT NULL REFERENCES taxonomy (name) ON DELETE CASCADE,
    idx      integer      NOT NULL,
    text     text         NOT NULL,
    category text         NOT NULL,
    vector   bytea        NOT NULL, -- float32 little-endian
    PRIMARY KEY (taxonomy, idx)
);
-- Jobs remember how to classify: llm, local or cascade, and which named taxonomy (if any) they use.
ALTER TABLE job ADD COLUMN strategy varchar(16) NOT NULL DEFAULT 'llm';
ALTER TABLE job ADD COLUMN taxonomy_name varchar(100);
ALTER TABLE job ADD COLUMN settled_locally integer NOT NULL DEFAULT 0;
