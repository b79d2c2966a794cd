-- The transactional outbox of the broker: with RabbitMQ a job's items commit with published = false, and are marked
-- published once the broker has confirmed their messages. A pod that dies between the commit and the confirms leaves
-- its items unpublished; once its lease expires, a live pod publishes them (JobLeases), so no item stays queued
-- without a message. With the in-process channel the column stays true: a dead pod's queued items are all taken over.
ALTER TABLE job_item ADD COLUMN published boolean NOT NULL DEFAULT true;
CREATE INDEX job_item_unpublished ON job_item (job_id, idx) WHERE status = 'queued' AND NOT published;
