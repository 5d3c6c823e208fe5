-- Failed logins, kept in the database so that every instance behind a load balancer counts the same failures.
-- The login throttle counts them per (username, address), per address and per username within a sliding window,
-- and deletes rows older than that window as it goes: the table stays small.
CREATE TABLE login_failure (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL,
  username  text NOT NULL,
  ip        text NOT NULL
);
CREATE INDEX login_failure_username_idx ON login_failure (username, at);
CREATE INDEX login_failure_ip_idx ON login_failure (ip, at);
CREATE INDEX login_failure_at_idx ON login_failure (at);

-- "Has this account signed in from this address lately?" (the per-account cap spares such addresses).
CREATE INDEX user_session_user_ip_idx ON user_session (user_id, ip, created_at);
