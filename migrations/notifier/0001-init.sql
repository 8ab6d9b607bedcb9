-- Notifier schema: notifications computed from update operations, their
-- bodies (one row per affected manifest) and delivery receipts.

CREATE TYPE receipt_status AS ENUM ('created', 'delivered', 'delivery_failed', 'deleted');

CREATE TABLE notification (
  id uuid PRIMARY KEY
);

CREATE TABLE notification_body (
  id              uuid  PRIMARY KEY,
  notification_id uuid  NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
  body            jsonb NOT NULL
);
CREATE INDEX notification_body_notification_idx ON notification_body (notification_id, id);

CREATE TABLE notifier_update_operation (
  uo_id   uuid        PRIMARY KEY,
  updater text        NOT NULL,
  ts      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE receipt (
  -- No foreign key: an update operation that affects nothing still gets a
  -- receipt (so it is not processed again) but no notification row.
  notification_id uuid           PRIMARY KEY,
  uo_id           uuid           NOT NULL UNIQUE,
  status          receipt_status NOT NULL,
  ts              timestamptz    NOT NULL DEFAULT now(),
  details         jsonb
);
CREATE INDEX receipt_status_idx ON receipt (status);
