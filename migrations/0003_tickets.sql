-- Tickets as a capability: admin-managed types, work types and additional fields, the
-- SLA clock, human numbers, favourites, notifications, planned tickets and full-text
-- search. Lines between `-- @sqlite` / `-- @postgres` and `-- @end` run on that backend only.

-- Admin-managed list of ticket types (repair, warranty repair, task, …).
CREATE TABLE ticket_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0
);
INSERT INTO ticket_types (code, name, position) VALUES
    ('repair', 'Repair', 1),
    ('warranty', 'Warranty repair', 2),
    ('maintenance', 'Maintenance', 3),
    ('task', 'Task', 4);

-- Kinds of work; `equipment_classes` (comma separated, empty = any) narrows them by the
-- class of the object chosen on the form.
CREATE TABLE work_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    equipment_classes TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0
);
INSERT INTO work_types (code, name, equipment_classes, position) VALUES
    ('repair', 'Repair', '', 1),
    ('diagnostics', 'Diagnostics', '', 2),
    ('installation', 'Installation', '', 3),
    ('maintenance', 'Scheduled maintenance', '', 4),
    ('refrigerant', 'Refrigerant top-up', 'HVAC', 5);

-- Admin-defined additional fields of the ticket form.
CREATE TABLE ticket_fields (
    id __PK__,
    label TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'choice')),
    unit TEXT NOT NULL DEFAULT '',
    -- one choice per line, for kind = 'choice'
    choices TEXT NOT NULL DEFAULT '',
    required INTEGER NOT NULL DEFAULT 0,
    -- 1: only staff see and fill the field
    staff_only INTEGER NOT NULL DEFAULT 0,
    position BIGINT NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE ticket_field_values (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    field_id BIGINT NOT NULL REFERENCES ticket_fields (id),
    value TEXT NOT NULL,
    PRIMARY KEY (ticket_id, field_id)
);

ALTER TABLE tickets ADD COLUMN contact TEXT;
-- the SLA rule the deadlines came from ('' when set by hand or when no rule matched)
ALTER TABLE tickets ADD COLUMN sla_rule_name TEXT;
ALTER TABLE tickets ADD COLUMN deadline_manual INTEGER NOT NULL DEFAULT 0;
-- first move out of New: the reaction
ALTER TABLE tickets ADD COLUMN reacted_at BIGINT;
-- set while the ticket waits on the customer; the deadlines move on by the pause
ALTER TABLE tickets ADD COLUMN paused_at BIGINT;
ALTER TABLE tickets ADD COLUMN plan_id BIGINT;
CREATE INDEX tickets_by_created ON tickets (created_at, id);
CREATE INDEX tickets_by_company_id ON tickets (company_id, id);

-- Human ticket numbers come from a counter incremented inside the creating transaction.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) SELECT 'ticket', 1000 + COUNT(*) FROM tickets;

CREATE INDEX favourites_by_ticket ON favourites (ticket_id);

-- In-app notifications (the bell); e-mail copies go through the outbox.
CREATE TABLE notifications (
    id __PK__,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ticket_id BIGINT REFERENCES tickets (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- the stage reached, the performer assigned, …
    detail TEXT NOT NULL DEFAULT '',
    actor_user_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
ALTER TABLE users ADD COLUMN notify_email INTEGER NOT NULL DEFAULT 1;

-- Planned tickets: a schedule that files tickets by itself.
CREATE TABLE ticket_plans (
    id __PK__,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    -- one object, or every object of the company (or of the contract) when NULL
    equipment_id BIGINT REFERENCES equipment (id),
    contract_id BIGINT REFERENCES contracts (id),
    all_objects INTEGER NOT NULL DEFAULT 0,
    ticket_type TEXT NOT NULL,
    criticality TEXT NOT NULL,
    work_type TEXT,
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    performer_user_id BIGINT REFERENCES users (id),
    -- 'daily' or 'weekly'; weekly plans run every `every_n` weeks on `weekday` (1 = Monday)
    frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    every_n BIGINT NOT NULL DEFAULT 1,
    weekday BIGINT NOT NULL DEFAULT 1,
    -- minutes after midnight UTC
    time_of_day BIGINT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    max_count BIGINT,
    created_count BIGINT NOT NULL DEFAULT 0,
    paused INTEGER NOT NULL DEFAULT 0,
    -- the next slot to create, UTC seconds; NULL when the plan has finished
    next_run_at BIGINT,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ticket_plans_due ON ticket_plans (next_run_at);

-- One row per slot a plan has filled: the unique key makes "never twice" hold across
-- restarts and across app instances sharing the database.
CREATE TABLE ticket_plan_runs (
    plan_id BIGINT NOT NULL REFERENCES ticket_plans (id) ON DELETE CASCADE,
    slot_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (plan_id, slot_at)
);

-- Full-text search over number, subject, description and messages: one document per
-- ticket, rewritten by the application when any of them changes.
-- @sqlite
CREATE VIRTUAL TABLE ticket_search USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO ticket_search (rowid, body)
    SELECT id, number || ' ' || subject || ' ' || description FROM tickets;
-- @end
-- @postgres
CREATE TABLE ticket_search (
    ticket_id BIGINT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    doc tsvector NOT NULL
);
CREATE INDEX ticket_search_doc ON ticket_search USING GIN (doc);
INSERT INTO ticket_search (ticket_id, doc)
    SELECT id, to_tsvector('simple', number || ' ' || subject || ' ' || description) FROM tickets;
-- @end
