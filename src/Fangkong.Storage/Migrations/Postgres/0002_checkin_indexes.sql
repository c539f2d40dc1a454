-- Check-in days are rebuilt whole (merged and deduplicated by the application) and written sorted
-- by venue and time, so no unique key is needed and a small BRIN index serves access by venue and
-- time; a B-tree serves access by person and time. Both are built in bulk when a day is rebuilt.
ALTER TABLE checkins DROP CONSTRAINT checkins_pkey;
CREATE INDEX checkins_venue ON checkins USING brin (venue_id, check_in) WITH (pages_per_range = 8);
