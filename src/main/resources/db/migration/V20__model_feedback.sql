-- What the caller's feedback said of the LLM's answers in a taxonomy: confirmed right, or corrected. The precision a
-- model's answer is assumed to have before the local model's view is weighed is estimated from these
-- (cascade.Cascade.Feedback), with classifier.review.model-precision as the prior.
ALTER TABLE taxonomy ADD COLUMN model_confirmed integer NOT NULL DEFAULT 0;
ALTER TABLE taxonomy ADD COLUMN model_corrected integer NOT NULL DEFAULT 0;
