-- The newest update operation of each updater is computed when queried
-- (update_operation_updater_idx makes that a short index scan) instead of
-- kept in a materialized view: refreshing the view inside concurrent update
-- transactions could leave out an operation another transaction was just
-- committing, hiding that updater's data until its next run.
DROP MATERIALIZED VIEW latest_update_operations;
