-- Ticket chat: who takes part in each conversation, the order of its messages, where
-- each conversation stands for the Messages page, and the batched notices.

-- Who takes part in a ticket's conversation: the filer, the performers, staff who were
-- added, and anyone who has written in it. Access still comes from the ticket's scope;
-- a row here puts the conversation on the user's Messages page, counts its unread and
-- makes the user hear about new messages.
CREATE TABLE chat_members (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX chat_members_by_user ON chat_members (user_id, ticket_id);

INSERT INTO chat_members (ticket_id, user_id, added_at)
SELECT id, created_by, created_at FROM tickets WHERE created_by IS NOT NULL;
INSERT INTO chat_members (ticket_id, user_id, added_at)
SELECT p.ticket_id, p.user_id, t.created_at FROM ticket_performers p JOIN tickets t ON t.id = p.ticket_id
WHERE NOT EXISTS (SELECT 1 FROM chat_members m WHERE m.ticket_id = p.ticket_id AND m.user_id = p.user_id);

-- A message's place in its ticket's conversation (1, 2, 3…), taken from the ticket's
-- counter inside the posting transaction: streams resume from it and notice gaps.
ALTER TABLE messages ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX messages_by_seq ON messages (ticket_id, seq);

ALTER TABLE tickets ADD COLUMN message_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN last_message_id BIGINT;
-- Set by each new message; the indexer rewrites the ticket's search document soon after,
-- so posting never pays for it.
ALTER TABLE tickets ADD COLUMN search_stale INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tickets_search_stale ON tickets (id) WHERE search_stale = 1;

-- Members who have not read a message yet, one row per member and ticket, due a while
-- after the first unread message: the notifier takes due rows, skips those read
-- meanwhile, and sends the rest as one in-app notice per ticket and one e-mail per user.
CREATE TABLE chat_pending (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    first_message_id BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, ticket_id)
);
CREATE INDEX chat_pending_due ON chat_pending (due_at);

-- E-mail about new messages is a preference of its own: chats are chattier than stages.
ALTER TABLE users ADD COLUMN notify_chat_email INTEGER NOT NULL DEFAULT 1;

-- Read markers count in message places (seq), like the streams.
ALTER TABLE message_reads ADD COLUMN last_read_seq BIGINT NOT NULL DEFAULT 0;
