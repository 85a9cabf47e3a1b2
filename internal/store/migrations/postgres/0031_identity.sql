-- Sign-in through an OpenID Connect provider. oidc_logins holds the logins
-- under way (state, nonce, PKCE verifier, where to go next), found by the
-- digest of the random handle in the browser's cookie and deleted when the
-- provider's answer is taken, or when expired. user_identities remembers
-- the provider's subject (issuer and sub) on the account it signed in to,
-- with the personal ID number it carried then, so that the same subject
-- with another number is refused rather than merged.
CREATE TABLE oidc_logins (
    handle TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    next_path TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at);

CREATE TABLE user_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    id_number TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE UNIQUE INDEX user_identities_user ON user_identities (user_id, issuer);
CREATE INDEX users_id_number ON users (id_number) WHERE id_number <> '';
