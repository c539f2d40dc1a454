-- Failed sign-ins are counted per account and client address: five wrong passwords from one address
-- lock the account for that address only, so that nobody can lock someone else out at will.
CREATE TABLE signin_failures (
    account_id    bigint NOT NULL,
    address       TEXT NOT NULL,
    failures      integer NOT NULL DEFAULT 0,
    locked_until  bigint NULL,
    PRIMARY KEY (account_id, address)
);
