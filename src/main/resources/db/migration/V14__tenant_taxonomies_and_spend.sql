-- Named taxonomies belong to a tenant: two tenants may each have a "furniture" of their own, and neither sees,
-- replaces or deletes the other's. '' is the shared scope: taxonomies loaded from files by the operator, and every
-- taxonomy of an open service (no tenants). A tenant reads its own and the shared ones; its own go first.
ALTER TABLE taxonomy_example DROP CONSTRAINT taxonomy_example_taxonomy_fkey;
ALTER TABLE taxonomy_label DROP CONSTRAINT taxonomy_label_taxonomy_fkey;
ALTER TABLE taxonomy ADD COLUMN tenant text NOT NULL DEFAULT '';
ALTER TABLE taxonomy_example ADD COLUMN tenant text NOT NULL DEFAULT '';
ALTER TABLE taxonomy_label ADD COLUMN tenant text NOT NULL DEFAULT '';
ALTER TABLE taxonomy DROP CONSTRAINT taxonomy_pkey, ADD PRIMARY KEY (tenant, name);
ALTER TABLE taxonomy_example DROP CONSTRAINT taxonomy_example_pkey, ADD PRIMARY KEY (tenant, taxonomy, idx),
    ADD FOREIGN KEY (tenant, taxonomy) REFERENCES taxonomy (tenant, name) ON DELETE CASCADE;
ALTER TABLE taxonomy_label DROP CONSTRAINT taxonomy_label_pkey, ADD PRIMARY KEY (tenant, taxonomy, idx),
    ADD FOREIGN KEY (tenant, taxonomy) REFERENCES taxonomy (tenant, name) ON DELETE CASCADE;
COMMENT ON COLUMN taxonomy.tenant IS 'owner tenant; empty for shared (file-loaded, or an open service)';

-- What each tenant spent on the model, per UTC day and per UTC month, across all pods: what its budgets
-- (classifier.tenants.<t>.daily-budget-usd, monthly-budget-usd) are checked against. Each pod adds what its items
-- cost about once a second, and reads back the totals, which include the other pods' spending.
CREATE TABLE tenant_spend (
    tenant       text             NOT NULL,
    period       varchar(8)       NOT NULL, -- day or month
    period_start date             NOT NULL, -- the UTC day, or the first day of the UTC month
    usd          double precision NOT NULL,
    PRIMARY KEY (tenant, period, period_start)
);
