-- A taxonomy's cascade is calibrated when it is stored (grouped cross-validation over its examples): the outcomes
-- (each held-out example's confidence, and whether it was right) are kept, so a request naming any precision gets
-- its threshold without calibrating again. NULL: no examples, or too few groups to hold any out.
ALTER TABLE taxonomy ADD COLUMN cascade_precision double precision;
ALTER TABLE taxonomy ADD COLUMN calibration bytea;
COMMENT ON COLUMN taxonomy.cascade_precision IS 'the precision its cascade aims at unless a request names one';
COMMENT ON COLUMN taxonomy.calibration IS 'Calibration outcomes, as CalibrationCodec writes them';

ALTER TABLE job ADD COLUMN cascade_precision double precision;
COMMENT ON COLUMN job.cascade_precision IS 'the precision the job''s cascade aims at, as submitted (NULL: the taxonomy''s or the default)';
