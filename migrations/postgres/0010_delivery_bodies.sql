-- Webhook bodies move out of the delivery row, which the inbox updates twice per delivery (each update of a row
-- holding the body wrote the body again).
CREATE TABLE webhook_delivery_bodies (
    delivery_row_id BIGINT PRIMARY KEY REFERENCES webhook_deliveries (id),
    body            BYTEA NOT NULL
);
INSERT INTO webhook_delivery_bodies (delivery_row_id, body) SELECT id, body FROM webhook_deliveries;
ALTER TABLE webhook_deliveries DROP COLUMN body;
