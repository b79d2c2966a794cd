-- Work is owned by pods, not by processes that happen to start: each pod has a row here and renews its heartbeat;
-- a queued item belongs to the pod whose queue holds it (job_item.owner). When a pod's heartbeat is older than the
-- lease time (classifier.jobs.lease-ttl), it has lost its items and another pod takes them over. A pod that stops
-- cleanly deletes its row, so its items are taken over at once.
CREATE TABLE pod (
    id           varchar(100) PRIMARY KEY,
    started_at   timestamptz  NOT NULL,
    heartbeat_at timestamptz  NOT NULL
);
ALTER TABLE job_item ADD COLUMN owner varchar(100);
CREATE INDEX job_item_queued_owner ON job_item (owner) WHERE status = 'queued';
