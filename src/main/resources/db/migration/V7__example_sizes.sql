-- Examples keep the sizes their text gave (local.Dimensions), in centimetres: the stored text is what the model
-- reads, without sizes, and the local classifier compares the sizes as numbers. NULL when the text gave none.
ALTER TABLE taxonomy_example ADD COLUMN size_cm real[];
-- Examples stored before this have no sizes. A taxonomy loaded from a file is loaded again at the next start-up
-- (its file is skipped only while this hash matches); one stored through the API gains them when it is PUT again.
UPDATE taxonomy SET content_sha256 = repeat('0', 64) WHERE source = 'file';
