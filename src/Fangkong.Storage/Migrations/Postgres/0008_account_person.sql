-- A member of the public (群众) signs in as themselves: their account names their person record.
ALTER TABLE accounts ADD COLUMN person_id bigint NULL;
