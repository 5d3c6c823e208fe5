-- Directives (chỉ đạo / yêu cầu giải trình): staff ask units to explain; each addressed unit answers for itself.
-- due_date is a Viet Nam calendar date; overdue = not closed/withdrawn and today's Viet Nam date > due_date.
CREATE TABLE directive (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title_vi      text NOT NULL,
  title_en      text,
  text_vi       text NOT NULL,
  text_en       text,
  due_date      date NOT NULL,
  source        jsonb NOT NULL,
  issued_by     text NOT NULL,
  issued_at     timestamptz NOT NULL,
  withdrawn_at  timestamptz
);

CREATE TABLE directive_assignment (
  directive_id   bigint NOT NULL REFERENCES directive (id),
  unit_code      text NOT NULL REFERENCES unit (code),
  state          text NOT NULL CHECK (state IN ('open', 'answered', 'returned', 'closed', 'withdrawn')),
  explanation    text,
  cause          text,
  fix_date       date,
  answered_at    timestamptz,
  answered_by    text,
  return_reason  text,
  outcome        text CHECK (outcome IN ('resolved', 'accepted_with_conditions', 'escalated')),
  closed_at      timestamptz,
  closed_by      text,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (directive_id, unit_code)
);
CREATE INDEX directive_assignment_unit_idx ON directive_assignment (unit_code, state);

-- One file per assignment (the latest upload replaces the previous one), kept in the database.
CREATE TABLE directive_attachment (
  directive_id  bigint NOT NULL,
  unit_code     text NOT NULL,
  file_name     text NOT NULL,
  content_type  text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  size          integer NOT NULL,
  content       bytea NOT NULL,
  uploaded_by   text NOT NULL,
  uploaded_at   timestamptz NOT NULL,
  PRIMARY KEY (directive_id, unit_code),
  FOREIGN KEY (directive_id, unit_code) REFERENCES directive_assignment (directive_id, unit_code)
);

-- History and live stream: seq is the stream position the live hub reads (like alert_event).
CREATE TABLE directive_event (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  directive_id  bigint NOT NULL REFERENCES directive (id),
  unit_code     text,
  kind          text NOT NULL CHECK (kind IN ('issued', 'answered', 'attachment', 'returned', 'closed', 'withdrawn')),
  actor         text NOT NULL,
  at            timestamptz NOT NULL,
  text          text
);
CREATE INDEX directive_event_directive_idx ON directive_event (directive_id);
