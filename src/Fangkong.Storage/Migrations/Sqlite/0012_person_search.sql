-- Finding a person (找人): by the start of the name, by a document number of any type, by a mobile number.
CREATE INDEX persons_name ON persons (name);
CREATE INDEX persons_id_number ON persons (id_number);
CREATE INDEX persons_phone ON persons (phone);
