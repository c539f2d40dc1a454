-- Indexes for the command centre's lists: contacts page in tier order, tasks in priority order.
CREATE INDEX contacts_tier ON contacts (tier, person_id);
CREATE INDEX tasks_priority ON tasks (status, priority, due_at, id);
CREATE INDEX tasks_home ON tasks (home_jurisdiction, status);
