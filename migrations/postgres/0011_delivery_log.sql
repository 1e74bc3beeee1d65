-- The inbox looks only for pending deliveries, and nearly every delivery is stored already processed: an index of
-- the pending rows alone replaces the index of every row by status, which each delivery paid an insert into.
DROP INDEX ix_webhook_deliveries_status;
CREATE INDEX ix_webhook_deliveries_pending ON webhook_deliveries (id) WHERE status = 'pending';

-- body_sha256 is recorded with a stored body, and when the hash is the delivery id; a delivery applied on receipt
-- keeps neither.
ALTER TABLE webhook_deliveries ALTER COLUMN body_sha256 DROP NOT NULL;
