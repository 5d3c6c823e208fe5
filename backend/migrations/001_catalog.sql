-- Reference catalog: reporting units (with validity intervals and succession), metrics, targets.

CREATE TABLE unit (
  code          text PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{2,16}$'),
  kind          text NOT NULL CHECK (kind IN ('nation', 'province', 'ministry')),
  name_vi       text NOT NULL,
  name_en       text NOT NULL,
  full_name_vi  text NOT NULL,
  full_name_en  text NOT NULL,
  symbol        text,
  -- half-open validity [valid_from, valid_until): the first day in force, the first day no longer in force
  valid_from    date,
  valid_until   date,
  legal_basis   text,
  CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_from < valid_until)
);

-- A dissolved or merged unit hands over to one or more successors on a date.
CREATE TABLE unit_succession (
  predecessor    text NOT NULL REFERENCES unit (code),
  successor      text NOT NULL REFERENCES unit (code),
  effective_date date NOT NULL,
  PRIMARY KEY (predecessor, successor),
  CHECK (predecessor <> successor)
);
CREATE INDEX unit_succession_successor_idx ON unit_succession (successor);

CREATE TABLE metric (
  code                 text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$'),
  name_vi              text NOT NULL,
  name_en              text NOT NULL,
  description_vi       text NOT NULL,
  description_en       text NOT NULL,
  unit_of_measure      text NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('gauge', 'counter', 'ratio')),
  min_value            double precision,
  max_value            double precision,
  cadence              text NOT NULL CHECK (cadence IN ('daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular')),
  better_when          text NOT NULL CHECK (better_when IN ('higher', 'lower')),
  default_aggregation  text NOT NULL CHECK (default_aggregation IN ('avg', 'sum', 'min', 'max', 'last')),
  unit_kinds           text[] NOT NULL,
  reported_by          text[] NOT NULL,
  source_system_vi     text,
  source_system_en     text,
  CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value),
  CHECK (kind <> 'ratio' OR (min_value >= 0 AND max_value <= 100))
);

CREATE TABLE target (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  metric_code      text NOT NULL REFERENCES metric (code),
  unit_code        text NOT NULL REFERENCES unit (code),
  value            double precision NOT NULL,
  comparator       text NOT NULL CHECK (comparator IN ('>=', '<=')),
  deadline         date NOT NULL,
  legal_source_vi  text NOT NULL,
  legal_source_en  text NOT NULL,
  UNIQUE (metric_code, unit_code, deadline, value)
);
