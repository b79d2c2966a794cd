-- A taxonomy small enough for it gets a supervised head (softmax regression on its examples' embeddings) when it is
-- stored, mixed with the neighbour vote in the local score. NULL: no head (no examples, too large, not calibrated).
-- Calibrations written from now on hold one calibration per mix of vote and head (CalibrationCodec version 2).
ALTER TABLE taxonomy ADD COLUMN head bytea;
COMMENT ON COLUMN taxonomy.head IS 'SoftmaxHead weights, as SoftmaxHead.write writes them';
