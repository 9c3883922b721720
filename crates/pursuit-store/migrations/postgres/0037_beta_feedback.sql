-- Beta feedback (seed 000 §12, issue 25): a user's survey answers kept whole (`answers`,
-- a JSON object), the pricing question as its own columns so the operator's summary can
-- count it: would they pay $499, and what they would pay instead. A response outlives its
-- user's account (`user_id` is then cleared).
CREATE TABLE beta_feedback (
    id                UUID NOT NULL PRIMARY KEY,
    user_id           UUID REFERENCES users (id) ON DELETE SET NULL,
    answers           TEXT NOT NULL,
    would_pay_at_499  BOOLEAN NOT NULL,
    suggested_price   DOUBLE PRECISION,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX beta_feedback_by_user ON beta_feedback (user_id, created_at);
