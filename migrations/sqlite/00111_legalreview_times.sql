-- +goose Up
-- When the opinion letter was issued (conclusion recorded) and when the
-- requester last recorded which opinions were adopted; both feed the
-- review's timeline. Rows concluded before this migration keep NULL and
-- the timeline shows the letter on its finish date and the feedback at the
-- latest answer's time (legalreview_opinions.adopted_at).
ALTER TABLE legalreviews ADD COLUMN concluded_at TIMESTAMP;
ALTER TABLE legalreviews ADD COLUMN feedback_at TIMESTAMP;

-- +goose Down
ALTER TABLE legalreviews DROP COLUMN feedback_at;
ALTER TABLE legalreviews DROP COLUMN concluded_at;
