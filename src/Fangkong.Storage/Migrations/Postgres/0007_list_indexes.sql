-- Indexes for the command centre's lists: contacts page in tier order, tasks in priority order,
-- and prefix searches on jurisdiction codes (text_pattern_ops makes LIKE 'prefix%' use the index).
CREATE INDEX contacts_tier ON contacts (tier, person_id);
CREATE INDEX tasks_priority ON tasks (status, priority, due_at, id);
CREATE INDEX tasks_home ON tasks (home_jurisdiction text_pattern_ops, status);
CREATE INDEX persons_community_prefix ON persons (community_code text_pattern_ops);
CREATE INDEX tasks_owner_prefix ON tasks (owner_jurisdiction text_pattern_ops, status);
