-- Webhook bodies move out of the delivery row: the inbox updates a delivery's status twice, and SQLite rewrites a
-- whole record (with its overflow pages) on every update, so a 28 KB body was written three times per delivery.
CREATE TABLE webhook_delivery_bodies (
    delivery_row_id INTEGER PRIMARY KEY REFERENCES webhook_deliveries (id),
    body            BLOB NOT NULL
);
INSERT INTO webhook_delivery_bodies (delivery_row_id, body) SELECT id, body FROM webhook_deliveries;
ALTER TABLE webhook_deliveries DROP COLUMN body;
