-- The tenant that submitted the job (its API key's or bearer token's); null on an open service. A caller sees only
-- its own tenant's jobs, an admin every one.
ALTER TABLE job ADD COLUMN tenant text;
CREATE INDEX job_tenant_created ON job (tenant, created_at DESC);
COMMENT ON COLUMN job.tenant IS 'tenant that submitted the job; null on an open service';
