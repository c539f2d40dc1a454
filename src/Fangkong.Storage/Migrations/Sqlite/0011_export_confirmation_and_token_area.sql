-- A bulk export of personal data asks for the password again: the session remembers when it was last confirmed.
ALTER TABLE sessions ADD COLUMN confirmed_at INTEGER NULL;

-- An API token may be limited to an area inside its account's jurisdiction (null: all of it).
ALTER TABLE api_tokens ADD COLUMN area TEXT NULL;
