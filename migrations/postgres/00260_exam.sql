-- +goose Up
-- Online exams (package exam, a shared engine): the question bank, exams
-- with their topic quotas and candidates, and the attempts with the paper
-- drawn for each (its items hold the candidate's saved answers). Answer
-- keys live only in exam_questions.answer and are never sent to a
-- candidate. purpose says whose exam it is ('enforcement' for officers'
-- legal training, later 'leader' for leaders' law exams). Timestamps are
-- UTC; close_day is the Beijing date the window closes (figures count
-- candidates on it).
CREATE TABLE exam_questions (
    id BIGSERIAL PRIMARY KEY,
    kind        TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    difficulty  TEXT    NOT NULL,
    stem        TEXT    NOT NULL,
    options     TEXT    NOT NULL DEFAULT '[]',
    answer      TEXT    NOT NULL,
    explanation TEXT    NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,
    created_by  INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX exam_questions_topic ON exam_questions (topic, kind, id);
CREATE INDEX exam_questions_kind ON exam_questions (kind, id);

CREATE TABLE exams (
    id BIGSERIAL PRIMARY KEY,
    purpose      TEXT    NOT NULL,
    unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    title        TEXT    NOT NULL,
    quotas       TEXT    NOT NULL,
    pools        TEXT    NOT NULL,
    total_points INTEGER NOT NULL,
    duration_min INTEGER NOT NULL,
    opens_at     TIMESTAMP NOT NULL,
    closes_at    TIMESTAMP NOT NULL,
    close_day    TEXT    NOT NULL,
    pass_mark    INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    created_by   INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX exams_unit ON exams (unit_id, id);
CREATE INDEX exams_purpose ON exams (purpose, id);

-- One row per required candidate: name and unit as they were when the
-- candidate was added (certificates and coverage keep them).
CREATE TABLE exam_candidates (
    id BIGSERIAL PRIMARY KEY,
    exam_id      BIGINT NOT NULL REFERENCES exams(id),
    user_id      BIGINT NOT NULL REFERENCES users(id),
    name         TEXT    NOT NULL,
    unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    attempts     INTEGER NOT NULL DEFAULT 0,
    sat          INTEGER NOT NULL DEFAULT 0,
    passed       INTEGER NOT NULL DEFAULT 0,
    best_score   INTEGER NOT NULL DEFAULT 0,
    passed_at    TIMESTAMP,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX exam_candidates_exam_user ON exam_candidates (exam_id, user_id);
CREATE INDEX exam_candidates_exam ON exam_candidates (exam_id, id);
CREATE INDEX exam_candidates_user ON exam_candidates (user_id, id);
CREATE INDEX exam_candidates_unit ON exam_candidates (unit_id, id);

CREATE TABLE exam_attempts (
    id BIGSERIAL PRIMARY KEY,
    exam_id      BIGINT NOT NULL REFERENCES exams(id),
    candidate_id BIGINT NOT NULL REFERENCES exam_candidates(id),
    user_id      BIGINT  NOT NULL,
    seq          INTEGER NOT NULL,
    seed         BIGINT  NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'open',
    started_at   TIMESTAMP NOT NULL,
    deadline     TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    closed_by    TEXT    NOT NULL DEFAULT '',
    score        INTEGER NOT NULL DEFAULT 0,
    passed       INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX exam_attempts_seq ON exam_attempts (candidate_id, seq);
CREATE INDEX exam_attempts_open ON exam_attempts (status, deadline);

CREATE TABLE exam_attempt_items (
    attempt_id  BIGINT NOT NULL REFERENCES exam_attempts(id),
    pos         INTEGER NOT NULL,
    question_id BIGINT NOT NULL REFERENCES exam_questions(id),
    points      INTEGER NOT NULL,
    answer      TEXT    NOT NULL DEFAULT '',
    correct     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (attempt_id, pos)
);
CREATE INDEX exam_attempt_items_question ON exam_attempt_items (question_id);

-- +goose Down
DROP TABLE exam_attempt_items;
DROP TABLE exam_attempts;
DROP TABLE exam_candidates;
DROP TABLE exams;
DROP TABLE exam_questions;
