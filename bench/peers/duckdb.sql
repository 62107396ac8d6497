-- The benchmark's DuckDB peer: the core measures of a Dialoog factsheet in SQL, from the raw
-- exports. duckdb_peer.py fills in the placeholders in braces (file names, the case period, the referral
-- rules exported by Dialoog in RE2 syntax) and runs it. Definitions: see common.py.
SET TimeZone = 'UTC';

CREATE TEMP TABLE registry AS
SELECT platform, lower(ltrim(handle, '@')) AS handle, id, role
FROM read_csv('{registry}', header = true, all_varchar = true);

CREATE TEMP TABLE raw_posts AS
SELECT 'twitter' AS platform, id,
       epoch_ms(created_at::TIMESTAMPTZ) AS t,
       author_id, author.username AS handle,
       CASE WHEN list_contains(list_transform(referenced_tweets, lambda r: r.type), 'retweeted') THEN 'reshare'
            WHEN list_contains(list_transform(referenced_tweets, lambda r: r.type), 'replied_to') THEN 'reply'
            WHEN list_contains(list_transform(referenced_tweets, lambda r: r.type), 'quoted') THEN 'quote'
            ELSE 'post' END AS kind,
       list_filter(referenced_tweets, lambda r: r.type = 'replied_to')[1].id AS parent_id,
       -- Twitter escapes &, < and > in text.
       replace(replace(replace(text, '&lt;', '<'), '&gt;', '>'), '&amp;', '&') AS text,
       nullif(lang, 'und') AS lang,
       list_transform(entities.mentions, lambda m: lower(m.username)) AS mentions
FROM read_json('{tweets}', format = 'newline_delimited', columns = {{
    id: 'VARCHAR', created_at: 'VARCHAR', author_id: 'VARCHAR', author: 'STRUCT(username VARCHAR)',
    text: 'VARCHAR', lang: 'VARCHAR', referenced_tweets: 'STRUCT(type VARCHAR, id VARCHAR)[]',
    entities: 'STRUCT(mentions STRUCT(username VARCHAR)[])'}})
UNION ALL
SELECT 'mastodon', id,
       epoch_ms(created_at::TIMESTAMPTZ),
       account.id, ltrim(account.acct, '@'),
       CASE WHEN reblog.id IS NOT NULL THEN 'reshare'
            WHEN in_reply_to_id IS NOT NULL THEN 'reply'
            WHEN quote.quoted_status.id IS NOT NULL THEN 'quote'
            ELSE 'post' END,
       CASE WHEN reblog.id IS NULL THEN in_reply_to_id END,
       -- HTML to text: tags out, the character references the generator writes decoded.
       CASE WHEN reblog.id IS NULL THEN rtrim(
           replace(replace(replace(replace(replace(regexp_replace(content, '<[^>]*>', '', 'g'),
               '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&'), E' \n')
            ELSE '' END,
       nullif(language, 'und'),
       list_transform(mentions, lambda m: lower(ltrim(m.acct, '@')))
FROM read_json('{statuses}', format = 'newline_delimited', columns = {{
    id: 'VARCHAR', created_at: 'VARCHAR', account: 'STRUCT(id VARCHAR, acct VARCHAR)',
    in_reply_to_id: 'VARCHAR', reblog: 'STRUCT(id VARCHAR)',
    quote: 'STRUCT(quoted_status STRUCT(id VARCHAR))', content: 'VARCHAR', language: 'VARCHAR',
    mentions: 'STRUCT(acct VARCHAR)[]'}});

CREATE TEMP TABLE posts AS
SELECT p.*, coalesce(by_id.role, by_handle.role, 'citizen') AS role
FROM raw_posts p
LEFT JOIN registry by_id ON by_id.platform = p.platform AND by_id.id = p.author_id
LEFT JOIN registry by_handle ON by_handle.platform = p.platform AND by_handle.handle = lower(p.handle)
WHERE p.t >= {start_ms} AND p.t < {end_ms};

-- Each post with its parent when the parent is in the data.
CREATE TEMP TABLE tree AS
SELECT c.platform, c.id, c.t, c.role, c.kind, c.parent_id, c.text, c.lang, c.mentions,
       par.id AS parent, par.role AS parent_role
FROM posts c
LEFT JOIN posts par ON par.platform = c.platform AND par.id = c.parent_id;

CREATE TEMP TABLE government_handles AS
SELECT DISTINCT platform, handle FROM registry WHERE role = 'government' AND handle IS NOT NULL;

CREATE TEMP TABLE mentioning AS
SELECT DISTINCT m.platform, m.id
FROM (SELECT platform, id, unnest(mentions) AS handle FROM tree WHERE role <> 'government' AND kind <> 'reshare') m
JOIN government_handles g ON g.platform = m.platform AND g.handle = m.handle;

CREATE TEMP TABLE addressed AS
SELECT platform, id, t FROM tree
WHERE role <> 'government' AND kind <> 'reshare' AND parent_role = 'government'
UNION
SELECT tr.platform, tr.id, tr.t FROM tree tr JOIN mentioning USING (platform, id);

-- Every government post passes its time up to all its ancestors; the earliest per ancestor.
CREATE TEMP TABLE earliest AS
WITH RECURSIVE up(platform, node, t) AS (
    SELECT platform, parent, t FROM tree WHERE role = 'government' AND parent IS NOT NULL
    UNION ALL
    SELECT up.platform, tr.parent, up.t
    FROM up JOIN tree tr ON tr.platform = up.platform AND tr.id = up.node
    WHERE tr.parent IS NOT NULL
)
SELECT platform, node AS id, min(t) AS first FROM up GROUP BY ALL;

CREATE TEMP TABLE times AS
SELECT (e.first - a.t) / 1000.0 AS seconds
FROM addressed a JOIN earliest e USING (platform, id);

CREATE TEMP TABLE government_replies AS
SELECT text AS raw, lang,
       regexp_replace(regexp_replace(text, '{url}', ' urlx ', 'g'), '{mention}', '', 'g') AS cleaned
FROM tree
WHERE role = 'government' AND kind <> 'reshare' AND parent_id IS NOT NULL;

-- Results, one query each (read by duckdb_peer.py).
-- posts
SELECT count(*) FROM posts;
-- hourly
SELECT (t // 3600000) * 3600 AS hour, role, count(*) FROM posts GROUP BY ALL ORDER BY ALL;
-- addressed
SELECT count(*) FROM addressed;
-- times
SELECT seconds FROM times ORDER BY seconds;
-- top_authors
SELECT platform, min(handle) AS handle, count(*) AS n FROM posts
GROUP BY platform, author_id ORDER BY n DESC, handle, platform LIMIT 20;
-- referrals
SELECT count(*), count(*) FILTER (WHERE {referral}) FROM government_replies;
