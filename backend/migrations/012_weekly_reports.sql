-- Weekly committee reports (issue 13 part 3): one stored PDF per week (named by its Viet Nam Monday) and language.
-- Regenerating replaces the row; generated_by is 'schedule' for the Monday 07:00 run, else the staff user's login.
CREATE TABLE weekly_report (
  week_start    date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
  lang          text NOT NULL CHECK (lang IN ('vi', 'en')),
  pdf           bytea NOT NULL,
  generated_at  timestamptz NOT NULL,
  generated_by  text NOT NULL,
  PRIMARY KEY (week_start, lang)
);
