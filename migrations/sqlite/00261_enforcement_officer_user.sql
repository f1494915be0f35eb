-- +goose Up
-- An officer's account (nullable): the officer sits the legal-knowledge
-- exams as that user (package exam).
ALTER TABLE enforcement_officers ADD COLUMN user_id INTEGER REFERENCES users(id);
-- One officer per account.
CREATE UNIQUE INDEX enforcement_officers_user ON enforcement_officers (user_id);

-- +goose Down
DROP INDEX enforcement_officers_user;
ALTER TABLE enforcement_officers DROP COLUMN user_id;
