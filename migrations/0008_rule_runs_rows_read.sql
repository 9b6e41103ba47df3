-- Rows the engine read to answer a rule run (D1's meta.rows_read), next to the rows it returned: what a run
-- costs, kept in the rule's execution history (GET /api/rules/:id/runs).
ALTER TABLE rule_runs ADD COLUMN rows_read INTEGER NOT NULL DEFAULT 0;
