-- Ticket lists that do not slow down as the tables grow.

-- A company's tickets in deadline order (a customer's "by deadline"), walked in order.
CREATE INDEX tickets_by_company_due ON tickets (company_id, (COALESCE(resolution_due_at, 9000000000000)), id);

-- @sqlite
-- Prefix indexes of 2, 3 and 4 letters: a search for "лифт*" reads one list of
-- tickets, newest first, instead of merging the lists of every word it begins.
CREATE VIRTUAL TABLE ticket_search_next USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
INSERT INTO ticket_search_next (rowid, body) SELECT rowid, body FROM ticket_search;
DROP TABLE ticket_search;
ALTER TABLE ticket_search_next RENAME TO ticket_search;
-- @end
