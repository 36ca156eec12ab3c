CREATE TABLE IF NOT EXISTS orders (
    id         bigserial   PRIMARY KEY,
    item       text        NOT NULL,
    quantity   integer     NOT NULL,
    reserved   boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS receipts (
    id       bigserial   PRIMARY KEY,
    order_id bigint      NOT NULL,
    job_id   bigint      NOT NULL,
    sent_at  timestamptz NOT NULL DEFAULT now()
);
