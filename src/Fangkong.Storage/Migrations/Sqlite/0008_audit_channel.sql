-- The channel an audited action came through: web, api, cli or system ('' for older entries).
ALTER TABLE audit_log ADD COLUMN channel TEXT NOT NULL DEFAULT '';
