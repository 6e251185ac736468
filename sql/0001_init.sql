-- 0001: the database's own bookkeeping. Domain tables arrive with their features.
CREATE TABLE IF NOT EXISTS server_info (
    key text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO server_info (key, value) VALUES ('schema_family', 'ita') ON CONFLICT (key) DO NOTHING;
