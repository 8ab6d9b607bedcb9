-- What the notifier needs to create notifications in bounded memory and to
-- deliver them dependably.

-- Summary mode keeps one body per manifest, the most severe: bodies are
-- upserted on (notification, manifest) as they stream in. Without summary the
-- key is NULL, and NULLs never conflict.
ALTER TABLE notification_body ADD COLUMN summary_key text;
ALTER TABLE notification_body ADD COLUMN severity smallint NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX notification_body_summary_idx ON notification_body (notification_id, summary_key);

-- A receipt's ts changes with its status; expiry counts from its creation.
ALTER TABLE receipt ADD COLUMN created timestamptz NOT NULL DEFAULT now();
ALTER TABLE receipt ADD COLUMN attempts integer NOT NULL DEFAULT 0;
CREATE INDEX receipt_pending_idx ON receipt (created) WHERE status IN ('created', 'delivery_failed');

-- The newest processed operation of each updater is kept by the GC, so an
-- updater whose feed has not changed for longer than the retention is not
-- processed (and notified) again.
CREATE INDEX notifier_update_operation_updater_idx ON notifier_update_operation (updater, ts DESC);
