-- +goose Up
-- Reminders in the to-do centre (issue 12). A notification a reminder job
-- created names its reminder (reminder_key, e.g. normdoc:12:filing) and the
-- deadline's day (reminder_due, YYYY-MM-DD Beijing); closed_at is set when
-- the matter is done (reminders.Cancel, or the deadline moved) or the user
-- dismisses it. An open one is a to-do item of its user. Notifications
-- created before this migration carry no key: whether their record is
-- still open is not known, so they stay out of the to-do list.
ALTER TABLE notifications ADD COLUMN reminder_key TEXT;
ALTER TABLE notifications ADD COLUMN reminder_due TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN closed_at TIMESTAMP;
CREATE INDEX notifications_reminder ON notifications (reminder_key);

-- +goose Down
DROP INDEX notifications_reminder;
ALTER TABLE notifications DROP COLUMN closed_at;
ALTER TABLE notifications DROP COLUMN reminder_due;
ALTER TABLE notifications DROP COLUMN reminder_key;
