-- The collection server's schema (SQLite). Never edit a migration once it has landed:
-- add the next numbered file. Times are Unix milliseconds (INTEGER); the PostgreSQL
-- schema in ../postgres mirrors this one column for column.

CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES orgs(id),
    -- '/1/4/9/': the ids from the root down, so a subtree is a prefix.
    path TEXT NOT NULL UNIQUE,
    block TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT,
    -- The unit the person works in: a reviewer never reviews it.
    org_id INTEGER REFERENCES orgs(id),
    password_hash TEXT NOT NULL,
    -- Raised at every password change: sessions carry the value they began with.
    password_epoch INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    -- A reviewer limited to some pillars: their node ids, comma-separated; NULL for all.
    pillars TEXT,
    UNIQUE (account_id, role, org_id)
);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    address TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- Indicator files, by the SHA-256 of their bytes: a campaign pins one.
CREATE TABLE frameworks (
    sha256 TEXT PRIMARY KEY,
    set_id TEXT NOT NULL,
    version TEXT NOT NULL,
    file_name TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- The organisation whose managers run it.
    owner_org_id INTEGER NOT NULL REFERENCES orgs(id),
    framework_sha256 TEXT NOT NULL REFERENCES frameworks(sha256),
    period TEXT NOT NULL,
    opens_at INTEGER NOT NULL,
    deadline INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    -- Raised at every change of a submission in it: the live ranking's cache key.
    data_version INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE campaign_orgs (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    extension_until INTEGER,
    PRIMARY KEY (campaign_id, org_id)
);

CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    state TEXT NOT NULL,
    -- The number of the newest revision (0 before the first save).
    head INTEGER NOT NULL DEFAULT 0,
    -- The campaign's data_version when it last changed.
    changed_version INTEGER NOT NULL DEFAULT 0,
    submitted_at INTEGER,
    updated_at INTEGER NOT NULL,
    UNIQUE (campaign_id, org_id)
);
CREATE INDEX submissions_changed ON submissions (campaign_id, changed_version);

-- Values measured by a system (not typed by the unit): shown to the unit with their
-- source, not editable by it, and used in place of what it typed.
CREATE TABLE measured_values (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    indicator_id TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, org_id, indicator_id)
);

-- Every save, immutable: the submission as the page exports it (dti-submission/1).
CREATE TABLE revisions (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    number INTEGER NOT NULL,
    based_on INTEGER NOT NULL,
    body TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (submission_id, number)
);

-- Review decisions, append-only: the newest per indicator is the current one.
CREATE TABLE review_decisions (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    indicator_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    -- The unit's value the decision was made on: it stands while the value does.
    self_value TEXT NOT NULL,
    verified_value TEXT,
    reason TEXT,
    revision INTEGER NOT NULL,
    reviewer_id INTEGER NOT NULL REFERENCES accounts(id),
    at INTEGER NOT NULL
);
CREATE INDEX review_decisions_submission ON review_decisions (submission_id, indicator_id, id);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    indicator_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES accounts(id),
    at INTEGER NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX evidence_submission ON evidence (submission_id, indicator_id);

-- The audit log: append-only, each entry chained to the previous one by its SHA-256.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id INTEGER,
    actor TEXT NOT NULL,
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    note TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- The chain's newest entry, one row: appending updates it in the same transaction, which
-- serialises appends.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER,
    -- 'none' (no address or no SMTP), 'pending', 'sent' or 'failed'.
    email_state TEXT NOT NULL,
    email_attempts INTEGER NOT NULL DEFAULT 0,
    -- Reminders already sent are not sent again: (kind, campaign, days) per account.
    dedup_key TEXT UNIQUE
);
CREATE INDEX notifications_account ON notifications (account_id, id);
CREATE INDEX notifications_email ON notifications (email_state, id);

-- A finalised campaign's frozen inputs.
CREATE TABLE snapshots (
    campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id),
    framework_sha256 TEXT NOT NULL,
    data_csv TEXT NOT NULL,
    data_sha256 TEXT NOT NULL,
    finalised_at INTEGER NOT NULL,
    finalised_by INTEGER NOT NULL REFERENCES accounts(id),
    published_at INTEGER,
    publication_path TEXT
);
