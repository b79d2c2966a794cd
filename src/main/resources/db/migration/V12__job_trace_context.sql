-- The submit's W3C traceparent: job items are published later (by the relay, maybe on another pod), and each
-- item's span joins the submit's trace through it. Null when tracing is off.
ALTER TABLE job ADD COLUMN trace_parent text;
COMMENT ON COLUMN job.trace_parent IS 'W3C traceparent of the submit request; item spans join its trace';
