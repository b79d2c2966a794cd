-- Since the relay (JobRelay) publishes every job item, in-process too, an item commits with published = false and
-- its owner's relay sets it once a message carries it: in-process when the item enters the owner's queue, with
-- RabbitMQ once the broker has confirmed the page it was in. A take-over makes items unpublished again.
ALTER TABLE job_item ALTER COLUMN published SET DEFAULT false;
COMMENT ON COLUMN job_item.published IS 'a message carries this item: in its owner''s queue, or confirmed by the broker';
