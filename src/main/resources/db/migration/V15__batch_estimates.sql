-- A Batch API batch is paid for as a whole, so its items' estimated cost is counted against the tenant's budgets
-- when it is planned, and the difference to what its results cost when they arrive (perhaps on another pod, a day
-- later). The estimate is kept here for that correction.
ALTER TABLE provider_batch ADD COLUMN estimated_usd double precision NOT NULL DEFAULT 0;
COMMENT ON COLUMN provider_batch.estimated_usd IS 'its items'' estimated cost at the batch price, booked to the tenant when planned';
