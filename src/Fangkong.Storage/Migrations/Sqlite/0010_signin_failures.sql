-- Failed sign-ins are counted per account and client address: five wrong passwords from one address
-- lock the account for that address only, so that nobody can lock someone else out at will.
CREATE TABLE signin_failures (
    account_id    INTEGER NOT NULL,
    address       TEXT NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER NULL,
    PRIMARY KEY (account_id, address)
);
