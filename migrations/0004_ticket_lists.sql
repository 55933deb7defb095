-- Ticket lists at 100k rows (measured by bench/tickets_list.rs): the deadline order walks
-- an index instead of sorting every ticket.
CREATE INDEX tickets_by_due_key ON tickets ((COALESCE(resolution_due_at, 9000000000000)), id);
