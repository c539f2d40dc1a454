-- The merged person records (few of a million): every trace reads them to map each merged record to its
-- person, and a case traced alone in the server does so within its second.
CREATE INDEX persons_merged ON persons (merged_into) WHERE merged_into IS NOT NULL;
