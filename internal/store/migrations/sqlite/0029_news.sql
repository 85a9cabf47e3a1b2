-- The unit's portal: news and announcements. Categories per unit; articles
-- with their editorial status, publication and expiry times (visibility is
-- read from them at each request, so scheduling needs no job), their view
-- count, and search_text, the folded words of title, summary and body that
-- the full-text index (FTS5 here, a GIN tsvector on PostgreSQL) is built
-- from, so that a search typed without accents finds accented words. The
-- bodies' pictures are files of the blob store named by news_images.
CREATE TABLE news_categories (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (unit_code, slug)
);

CREATE TABLE news_articles (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    category TEXT NOT NULL,
    cover TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    publish_at INTEGER NOT NULL DEFAULT 0,
    expire_at INTEGER NOT NULL DEFAULT 0,
    author TEXT NOT NULL,
    author_name TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    reviewed_at INTEGER NOT NULL DEFAULT 0,
    views INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    search_text TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_code, slug)
);
-- Public lists (a unit's or the installation's), newest first, and the
-- pages' version stamp (latest change, latest publication and expiry passed).
CREATE INDEX news_articles_unit_status_publish ON news_articles(unit_code, status, publish_at);
CREATE INDEX news_articles_status_publish ON news_articles(status, publish_at);
CREATE INDEX news_articles_unit_status_expire ON news_articles(unit_code, status, expire_at);
CREATE INDEX news_articles_status_expire ON news_articles(status, expire_at);
CREATE INDEX news_articles_unit_updated ON news_articles(unit_code, updated_at);
CREATE INDEX news_articles_updated ON news_articles(updated_at);
CREATE INDEX news_articles_slug ON news_articles(slug);

-- The search index reads search_text from news_articles (external content)
-- and is kept by triggers; a view count does not touch it.
CREATE VIRTUAL TABLE news_fts USING fts5(search_text, content='news_articles', content_rowid='id');
CREATE TRIGGER news_articles_fts_insert AFTER INSERT ON news_articles BEGIN
    INSERT INTO news_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER news_articles_fts_delete AFTER DELETE ON news_articles BEGIN
    INSERT INTO news_fts(news_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER news_articles_fts_update AFTER UPDATE OF search_text ON news_articles BEGIN
    INSERT INTO news_fts(news_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO news_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TABLE news_images (
    unit_code TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL,
    PRIMARY KEY (unit_code, sha256)
);
CREATE INDEX news_images_sha256 ON news_images(sha256);
