-- A bulk export of personal data asks for the password again: the session remembers when it was last confirmed.
ALTER TABLE sessions ADD COLUMN confirmed_at bigint NULL;
