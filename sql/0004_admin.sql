-- 0004: administrators. System administrators see every agency; agency administrators only
-- their own. Passwords are argon2id strings (libsodium crypto_pwhash_str); sessions and API
-- tokens are stored as HMAC-SHA256 of the random value the client holds.

CREATE TABLE admin_user (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+$'),
    name_th text NOT NULL DEFAULT '',
    role text NOT NULL CHECK (role IN ('system', 'agency')),
    agency_id integer REFERENCES agency (id),
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    failed_logins integer NOT NULL DEFAULT 0,
    locked_until timestamptz,
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'agency') = (agency_id IS NOT NULL))
);

CREATE TABLE admin_session (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id integer NOT NULL REFERENCES admin_user (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked boolean NOT NULL DEFAULT false
);
CREATE INDEX admin_session_user ON admin_session (user_id);

CREATE TABLE api_token (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id integer NOT NULL REFERENCES admin_user (id),
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked boolean NOT NULL DEFAULT false
);
