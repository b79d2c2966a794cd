-- Photo results: what the photo shows (features as JSON, a one-line summary), and for a photo that failed a
-- check, what was measured and the limit.
ALTER TABLE job_item ADD COLUMN features text;
ALTER TABLE job_item ADD COLUMN summary text;
ALTER TABLE job_item ADD COLUMN error_value double precision;
ALTER TABLE job_item ADD COLUMN error_threshold double precision;
ALTER TABLE job_item ADD COLUMN processing_type varchar(32);
ALTER TABLE job ADD COLUMN image_detail varchar(8) NOT NULL DEFAULT 'high';
