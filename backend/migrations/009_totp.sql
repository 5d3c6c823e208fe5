-- Optional second factor (TOTP, RFC 6238) for admin and staff accounts.
-- totp_secret: the base32 secret, shown once at enrolment and never answered again by any API. Set with
--   totp_enabled_at NULL while the enrolment waits for its first code: an unconfirmed enrolment locks nobody out.
-- totp_last_step: the time step of the last code accepted; a code of that step or an earlier one is refused, so a
--   code cannot be used twice (compared and set in one UPDATE, so two instances cannot both accept it).
ALTER TABLE app_user
  ADD COLUMN totp_secret      text,
  ADD COLUMN totp_enabled_at  timestamptz,
  ADD COLUMN totp_last_step   bigint,
  ADD CONSTRAINT app_user_totp_enabled_has_secret CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL);
