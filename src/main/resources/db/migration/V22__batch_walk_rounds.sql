-- A Batch API job into a large taxonomy asks each item its shortlist first (round 0, contiguous items as before); an item
-- the model says none of it fits, or puts in a category with narrower ones, is asked the next level of the taxonomy's
-- tree in a batch of the next round. Such a batch lists its items and where each stands ("steps", JSON: index, the node
-- it is asked below, and the attempts, time and usage of its earlier rounds), instead of a range.
ALTER TABLE provider_batch ADD COLUMN round integer NOT NULL DEFAULT 0;
ALTER TABLE provider_batch ADD COLUMN steps text;
