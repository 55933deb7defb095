-- Completed works, the act of completed work and ratings. The placeholder tables of the
-- core schema were never used; they are replaced by the shapes the capability needs.

DROP TABLE ratings;
DROP TABLE rating_criteria;
DROP TABLE acts;
DROP TABLE work_lines;

-- One line of work or material on a ticket. Quantities and hours in thousandths, prices
-- in minor units; the line's amount is computed on the server and stored with it.
CREATE TABLE work_lines (
    id __PK__,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    is_material INTEGER NOT NULL DEFAULT 0,
    work_type TEXT,
    description TEXT NOT NULL,
    quantity_milli BIGINT NOT NULL,
    unit TEXT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    hours_milli BIGINT NOT NULL DEFAULT 0,
    amount_minor BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX work_lines_by_ticket ON work_lines (ticket_id, position, id);

-- Photos of a line are ticket attachments that also name the line.
ALTER TABLE attachments ADD COLUMN work_line_id BIGINT REFERENCES work_lines (id) ON DELETE SET NULL;
CREATE INDEX attachments_by_work_line ON attachments (work_line_id);

-- Bank details for the requisites printed on acts.
ALTER TABLE companies ADD COLUMN bank_name TEXT;
ALTER TABLE companies ADD COLUMN bank_account TEXT;
ALTER TABLE companies ADD COLUMN bank_code TEXT;

-- An act is a snapshot: `content` is the JSON of everything printed (requisites, lines,
-- totals, performers) at issue time, never recomputed. Signing stores the strokes and
-- a SHA-256 over content + signature + signer + time; a signed act never changes, and a
-- change to the works supersedes an unsigned one.
CREATE TABLE acts (
    id __PK__,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    number TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('issued', 'signed', 'declined', 'superseded')),
    issued_at BIGINT NOT NULL,
    issued_by BIGINT REFERENCES users (id),
    currency TEXT NOT NULL,
    net_minor BIGINT NOT NULL,
    vat_minor BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    content TEXT NOT NULL,
    signed_by_name TEXT,
    signed_by_user_id BIGINT REFERENCES users (id),
    -- set when the customer signed on a performer's device
    signed_on_device_of BIGINT REFERENCES users (id),
    signed_at BIGINT,
    signature TEXT,
    content_hash TEXT,
    declined_at BIGINT,
    declined_by BIGINT REFERENCES users (id),
    decline_comment TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX acts_by_ticket ON acts (ticket_id, id);
-- at most one act awaiting a signature or signed per ticket
CREATE UNIQUE INDEX acts_one_current ON acts (ticket_id) WHERE status IN ('issued', 'signed');
INSERT INTO counters (name, value) VALUES ('act', 0);

-- Admin-defined rating criteria.
CREATE TABLE rating_criteria (
    id __PK__,
    name TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
INSERT INTO rating_criteria (name, position, created_at) VALUES
    ('Quality of work', 1, 0),
    ('Punctuality', 2, 0),
    ('Politeness', 3, 0);

-- One rating per customer user, ticket and performer; `score` is the mean of the
-- criteria's scores in hundredths, kept for averages.
CREATE TABLE ratings (
    id __PK__,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    rater_user_id BIGINT NOT NULL REFERENCES users (id),
    engineer_user_id BIGINT NOT NULL REFERENCES users (id),
    score_centi BIGINT NOT NULL,
    comment TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ratings_one_per_rater ON ratings (ticket_id, rater_user_id, engineer_user_id);
CREATE INDEX ratings_by_engineer ON ratings (engineer_user_id, id);

CREATE TABLE rating_scores (
    rating_id BIGINT NOT NULL REFERENCES ratings (id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES rating_criteria (id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (rating_id, criterion_id)
);
