-- Text items a job sends to the model per call ("pack" on the job); 1 sends each item alone, as before.
ALTER TABLE job ADD COLUMN pack integer NOT NULL DEFAULT 1;
