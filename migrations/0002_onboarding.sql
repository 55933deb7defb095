-- Customers and onboarding: searchable companies, wizard drafts, relationship requests.
-- (Same rules as 0001: never edit once applied; `__PK__` is the backend's identity key.)

-- Lower-cased name, tax id, e-mail, phone and contact, filled by the application, for the
-- clients list's search (SQLite's lower() folds ASCII only).
ALTER TABLE companies ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
-- The list shows live companies in name or creation order: these partial indexes give
-- both orders without sorting, for any page of a long list, on SQLite and PostgreSQL.
CREATE INDEX companies_live_by_name ON companies (name_search, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_live_by_created ON companies (created_at, id) WHERE deleted_at IS NULL;

-- The add-customer wizard's draft, saved at every step so that nothing is lost.
CREATE TABLE customer_drafts (
    id __PK__,
    owner_user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- the furthest step reached (1..5)
    step INTEGER NOT NULL DEFAULT 1,
    -- the wizard's fields as JSON (see domain::company::CustomerDraft)
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX customer_drafts_by_owner ON customer_drafts (owner_user_id, id);

-- A reseller asks an existing customer company to be linked to it; the company's
-- administrator accepts or declines through the e-mailed link (token stored hashed).
CREATE TABLE relationship_requests (
    id __PK__,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    reseller_id BIGINT NOT NULL REFERENCES resellers (id),
    requested_by BIGINT REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by_email TEXT
);
CREATE INDEX relationship_requests_by_company ON relationship_requests (company_id, id);

-- "Log in as": a staff or reseller session acting as a customer user, for a reason, until
-- a time, read-only unless switched to act.
ALTER TABLE sessions ADD COLUMN acting_as_user_id BIGINT REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE sessions ADD COLUMN acting_reason TEXT;
ALTER TABLE sessions ADD COLUMN acting_can_write INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN acting_until BIGINT;

-- One rating per rater, engineer and criterion, also for the overall rating (criterion
-- NULL, which a plain unique index would let through any number of times).
DROP INDEX ratings_one_per_rater;
CREATE UNIQUE INDEX ratings_one_per_rater ON ratings (ticket_id, rater_user_id, engineer_user_id, COALESCE(criterion_id, 0));
