-- The equipment registry, its QR labels and the public QR page.

-- Objects form a tree by level: a site holds rooms and units, a room holds units. A parent
-- is always of a higher level than its child, so the tree can have no cycle.
ALTER TABLE equipment ADD COLUMN kind TEXT NOT NULL DEFAULT 'unit' CHECK (kind IN ('site', 'room', 'unit'));
-- Lower-cased name, serial, model and manufacturer, filled by the application (portable
-- case-insensitive search in any script).
ALTER TABLE equipment ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE equipment ADD COLUMN photo_id BIGINT;
ALTER TABLE equipment ADD COLUMN qr_rotated_at BIGINT;
UPDATE equipment SET search_text = name_search;
CREATE INDEX equipment_by_kind ON equipment (company_id, kind, name_search, id);
CREATE INDEX equipment_by_name ON equipment (name_search, id);

-- A photo of an object is an upload claimed by the object.
ALTER TABLE attachments ADD COLUMN equipment_id BIGINT REFERENCES equipment (id);
CREATE INDEX attachments_by_equipment ON attachments (equipment_id);

-- Time a ticket has waited on the customer, in seconds, summed over its finished pauses:
-- "use the SLA rule" after a deadline set by hand moves the rule's deadline on by it.
ALTER TABLE tickets ADD COLUMN paused_seconds BIGINT NOT NULL DEFAULT 0;

-- A registration started on the QR page, waiting for its confirmation link. The account
-- is created only when the link is opened; the token is stored hashed.
CREATE TABLE qr_registrations (
    id __PK__,
    token_hash TEXT NOT NULL UNIQUE,
    equipment_id BIGINT NOT NULL REFERENCES equipment (id),
    full_name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    password_hash TEXT NOT NULL,
    language TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- Events counted for rate limits of the public pages (per address, per label), shared by
-- every app instance.
CREATE TABLE rate_events (
    id __PK__,
    bucket TEXT NOT NULL,
    scope_key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX rate_events_by_key ON rate_events (bucket, scope_key, at);
CREATE INDEX rate_events_by_at ON rate_events (at);
