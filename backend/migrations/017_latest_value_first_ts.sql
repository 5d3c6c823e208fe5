-- The earliest stored time of each series beside its latest value (issue 14 goal 2). The counter check looks for a
-- backfilled point's stored neighbours within a week of the batch (ObservationsRepository.boundedCounterNeighbours);
-- finding no earlier value there, it could not tell "none at all" from "one further back" and redid the batch with
-- a lookup through every chunk of the series' history. Agents catching up on their history send it newest first, so
-- every such batch was written twice. With first_ts, a window reaching back to it has seen every stored value.
--
-- The invariant: first_ts is at or before the series' earliest stored value (NULL: not known, and then never
-- trusted). Ingest lowers it to a batch's earliest new point; retention dropping old chunks leaves it earlier than
-- what remains, which only sends more batches to the exhaustive lookup.
ALTER TABLE latest_value ADD COLUMN first_ts timestamptz;

-- the series stored so far: each one's earliest time, by its series index (the chunks in time order, first row found)
UPDATE latest_value l
SET first_ts = (SELECT o.ts FROM observation o WHERE o.metric = l.metric AND o.unit = l.unit ORDER BY o.ts ASC LIMIT 1);
