//! Bluesky posts as JSON (repository CAR exports: [`super::bluesky_car`]): post views as the
//! AppView API returns them (`{uri, cid, author, record, likeCount, …}`), feed items (`{post, reply: {root, parent}, reason}`), and record
//! events from Jetstream (`{did, kind: "commit", commit: {operation, collection, rkey, record}}`)
//! and Tap (`{type: "record", record: {did, collection, rkey, action, record}}`); as a JSON array,
//! JSON lines or one object.
//!
//! The id is the post's `at://` URI, the author id its DID (a handle only where the source gives
//! one: events carry only the DID). `record.reply.parent` is the parent (its author is the DID in
//! its URI), `record.reply.root` the conversation (a post that replies to nothing is its own
//! root). An `app.bsky.embed.record` (or `recordWithMedia`) of a post is a quote. Mentions, links
//! and tags come from the facets (a mention as the handle written in the text, else the DID). In
//! a feed item the reply's root and parent views are posts too, and a `reasonRepost` is a reshare
//! by `reason.by` (id `reason.uri`, or `repost:<did>:<post uri>` when the view has no URI). Event
//! repost records (`app.bsky.feed.repost`) are reshares; likes, follows and deletions are not
//! posts and are skipped. The record number is the line number for JSON lines, the position
//! otherwise. Other Jetstream and Tap events (identity, account) are skipped. Repository
//! exports (CAR) are read by [`super::bluesky_car`], their records mapped as events are.

use super::{Handler, contains, count_of, excerpt_of, parse_rfc3339, read_json_records, text_of};
use crate::context::{Ctx, Reject};
use crate::entities::{language, push_unique};
use crate::{Format, IngestError, InputFile, Options, Post, input};
use chrono::{DateTime, Utc};
use dialoog_model::{Platform, PostKind};
use serde_json::Value;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Bluesky,
    name: "bluesky",
    description: "Bluesky posts: post views and feed items from the API, Jetstream and Tap record events (JSON), repository exports (.car)",
    example: "dialoog ingest repo.car feed.json jetstream.jsonl.zst --store case.store",
    sniff,
    read,
};

pub(crate) const POST: &str = "app.bsky.feed.post";
pub(crate) const REPOST: &str = "app.bsky.feed.repost";

fn sniff(head: &[u8]) -> bool {
    if super::bluesky_car::is_car(head) {
        return true;
    }
    let head = input::trim_start(head);
    matches!(head.first(), Some(b'{' | b'['))
        && (contains(head, b"\"at://did:")
            || contains(head, b"\"did:plc:")
            || contains(head, b"\"did:web:"))
        && (contains(head, b"app.bsky.feed.post") || contains(head, b"app.bsky.feed.repost"))
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    if super::bluesky_car::is_car(&input::head(&file.path, input::SNIFF_BYTES)?) {
        return super::bluesky_car::read(file, ctx);
    }
    read_json_records(file, ctx, read_value)
}

fn read_value(value: &Value, record: u64, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    if !value.is_object() {
        return ctx.quarantine(record, Reject::new("not a JSON object"), &excerpt_of(value));
    }
    // Jetstream: {did, kind: "commit", commit: {...}}.
    if let Some(commit) = value.get("commit").filter(|c| c.is_object()) {
        if text_of(value, "kind").is_some_and(|k| k != "commit") {
            return Ok(());
        }
        return event(value, commit, "operation", record, ctx);
    }
    // Other Jetstream events (identity, account): no post.
    if value.get("time_us").is_some() && value.get("kind").is_some() {
        return Ok(());
    }
    // Tap: {type: "record", record: {did, collection, rkey, action, record}}.
    if text_of(value, "type") == Some("record")
        && let Some(inner) = value
            .get("record")
            .filter(|r| r.get("collection").is_some())
    {
        return event(inner, inner, "action", record, ctx);
    }
    // Other Tap events (identity): no post.
    if value.get("type").is_some() && value.get("uri").is_none() && value.get("record").is_none() {
        return Ok(());
    }
    // A feed item: {post, reply, reason}.
    if let Some(post) = value.get("post").filter(|p| p.get("record").is_some()) {
        ctx.emit(view_to_post(post), record, &|| excerpt_of(post))?;
        if let Some(reply) = value.get("reply") {
            for key in ["root", "parent"] {
                if let Some(view) = reply.get(key).filter(|v| v.get("record").is_some()) {
                    ctx.emit(view_to_post(view), record, &|| excerpt_of(view))?;
                }
            }
        }
        if let Some(reason) = value
            .get("reason")
            .filter(|r| text_of(*r, "$type").is_some_and(|t| t.ends_with("#reasonRepost")))
        {
            ctx.emit(repost_reason(reason, post), record, &|| excerpt_of(value))?;
        }
        return Ok(());
    }
    ctx.emit(view_to_post(value), record, &|| excerpt_of(value))
}

/// A record event: a post or a repost is sent on; other collections and operations are not posts.
fn event(
    holder: &Value,
    commit: &Value,
    operation_key: &str,
    record: u64,
    ctx: &mut Ctx<'_>,
) -> Result<(), IngestError> {
    let collection = text_of(commit, "collection").unwrap_or_default();
    let operation = text_of(commit, operation_key).unwrap_or_default();
    if !(collection == POST || collection == REPOST) || !matches!(operation, "create" | "update") {
        return Ok(());
    }
    ctx.emit(event_to_post(holder, commit, collection), record, &|| {
        excerpt_of(holder)
    })
}

pub(crate) fn event_to_post(
    holder: &Value,
    commit: &Value,
    collection: &str,
) -> Result<Post, Reject> {
    let did = text_of(holder, "did").ok_or_else(|| Reject::missing("did"))?;
    let rkey = text_of(commit, "rkey").ok_or_else(|| Reject::missing("rkey"))?;
    let rec = commit
        .get("record")
        .filter(|r| r.is_object())
        .ok_or_else(|| Reject::missing("record"))?;
    let uri = format!("at://{did}/{collection}/{rkey}");
    let created_at = time(rec, "createdAt")?;
    let mut post = Post::new(Platform::Bluesky, uri, created_at, did, "");
    if collection == REPOST {
        post.kind = PostKind::Reshare;
        post.reshare_of_id = Some(
            rec.get("subject")
                .and_then(|s| text_of(s, "uri"))
                .ok_or_else(|| Reject::missing("record.subject.uri"))?
                .to_owned(),
        );
        return Ok(post);
    }
    post.url = Some(web_url(did, rkey));
    fill_record(&mut post, rec);
    Ok(post)
}

/// A post view: `{uri, author, record, likeCount, …}`.
fn view_to_post(v: &Value) -> Result<Post, Reject> {
    let uri = text_of(v, "uri").ok_or_else(|| Reject::missing("uri"))?;
    let author = v
        .get("author")
        .filter(|a| a.is_object())
        .ok_or_else(|| Reject::missing("author"))?;
    let did = text_of(author, "did")
        .or_else(|| did_of(uri))
        .ok_or_else(|| Reject::missing("author.did"))?;
    let rec = v
        .get("record")
        .filter(|r| r.is_object())
        .ok_or_else(|| Reject::missing("record"))?;
    let created_at = time(rec, "createdAt").or_else(|e| time(v, "indexedAt").map_err(|_| e))?;
    let handle = text_of(author, "handle").unwrap_or_default();
    let mut post = Post::new(Platform::Bluesky, uri, created_at, did, handle);
    post.author_name = text_of(author, "displayName")
        .unwrap_or_default()
        .to_owned();
    let profile = if handle.is_empty() { did } else { handle };
    post.url = rkey_of(uri).map(|rkey| web_url(profile, rkey));
    post.likes = count_of(v, "likeCount");
    post.reshares = count_of(v, "repostCount");
    post.replies = count_of(v, "replyCount");
    post.quotes = count_of(v, "quoteCount");
    fill_record(&mut post, rec);
    Ok(post)
}

/// A feed item's `reasonRepost`: a reshare of the item's post by `reason.by`.
fn repost_reason(reason: &Value, post: &Value) -> Result<Post, Reject> {
    let subject = text_of(post, "uri").ok_or_else(|| Reject::missing("post.uri"))?;
    let by = reason
        .get("by")
        .ok_or_else(|| Reject::missing("reason.by"))?;
    let did = text_of(by, "did").ok_or_else(|| Reject::missing("reason.by.did"))?;
    let created_at = time(reason, "indexedAt")?;
    let id = text_of(reason, "uri")
        .map(str::to_owned)
        .unwrap_or_else(|| format!("repost:{did}:{subject}"));
    let mut repost = Post::new(
        Platform::Bluesky,
        id,
        created_at,
        did,
        text_of(by, "handle").unwrap_or_default(),
    );
    repost.author_name = text_of(by, "displayName").unwrap_or_default().to_owned();
    repost.kind = PostKind::Reshare;
    repost.reshare_of_id = Some(subject.to_owned());
    Ok(repost)
}

fn time(v: &Value, key: &str) -> Result<DateTime<Utc>, Reject> {
    let text = text_of(v, key).ok_or_else(|| Reject::missing(key))?;
    parse_rfc3339(text).ok_or_else(|| Reject::field(key, format!("unparseable time '{text}'")))
}

/// The DID of an `at://did/collection/rkey` URI.
fn did_of(uri: &str) -> Option<&str> {
    uri.strip_prefix("at://")?
        .split('/')
        .next()
        .filter(|d| d.starts_with("did:"))
}

fn rkey_of(uri: &str) -> Option<&str> {
    uri.rsplit('/')
        .next()
        .filter(|r| !r.is_empty() && !r.contains(':'))
}

fn web_url(profile: &str, rkey: &str) -> String {
    format!("https://bsky.app/profile/{profile}/post/{rkey}")
}

/// Text, language, reply, quote and facets of an `app.bsky.feed.post` record.
fn fill_record(post: &mut Post, rec: &Value) {
    let text = text_of(rec, "text").unwrap_or_default();
    post.text = text.to_owned();
    post.lang = language(
        rec.get("langs")
            .and_then(Value::as_array)
            .and_then(|l| l.first())
            .and_then(Value::as_str),
    );
    if let Some(reply) = rec.get("reply") {
        post.in_reply_to_id = reply
            .get("parent")
            .and_then(|p| text_of(p, "uri"))
            .map(str::to_owned);
        post.in_reply_to_author_id = post
            .in_reply_to_id
            .as_deref()
            .and_then(did_of)
            .map(str::to_owned);
        post.conversation_id = reply
            .get("root")
            .and_then(|r| text_of(r, "uri"))
            .map(str::to_owned);
    }
    if post.in_reply_to_id.is_none() {
        post.conversation_id = Some(post.id.clone());
    }
    if let Some(embed) = rec.get("embed") {
        // app.bsky.embed.record {record: {uri}}; recordWithMedia {record: {record: {uri}}}.
        let quoted = embed
            .get("record")
            .and_then(|r| {
                text_of(r, "uri").or_else(|| r.get("record").and_then(|r| text_of(r, "uri")))
            })
            .filter(|uri| uri.contains(&format!("/{POST}/")));
        post.quote_of_id = quoted.map(str::to_owned);
        if let Some(external) = embed.get("external").and_then(|e| text_of(e, "uri")) {
            push_unique(&mut post.urls, external.to_owned());
        }
    }
    post.kind = super::twarc2::kind(post);
    // Records from before facets (early 2023) carry `entities`: {index: {start, end}, type, value}.
    for entity in rec
        .get("entities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(value) = text_of(entity, "value") else {
            continue;
        };
        match text_of(entity, "type") {
            Some("mention") => {
                let written = entity
                    .get("index")
                    .and_then(|i| {
                        let start = usize::try_from(i.get("start")?.as_u64()?).ok()?;
                        let end = usize::try_from(i.get("end")?.as_u64()?).ok()?;
                        text.get(start..end)
                    })
                    .map(|s| s.trim().trim_start_matches('@'))
                    .filter(|s| !s.is_empty() && !s.contains(char::is_whitespace));
                push_unique(&mut post.mentions, written.unwrap_or(value).to_lowercase());
            }
            Some("link") => push_unique(&mut post.urls, value.to_owned()),
            _ => {}
        }
    }
    for facet in rec
        .get("facets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let span = facet.get("index").and_then(|i| {
            let start = usize::try_from(i.get("byteStart")?.as_u64()?).ok()?;
            let end = usize::try_from(i.get("byteEnd")?.as_u64()?).ok()?;
            text.get(start..end)
        });
        for feature in facet
            .get("features")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let kind = text_of(feature, "$type").unwrap_or_default();
            if kind.ends_with("#mention") {
                let written = span
                    .map(|s| s.trim().trim_start_matches('@'))
                    .filter(|s| !s.is_empty() && !s.contains(char::is_whitespace));
                if let Some(name) = written.or_else(|| text_of(feature, "did")) {
                    push_unique(&mut post.mentions, name.to_lowercase());
                }
            } else if kind.ends_with("#link") {
                if let Some(uri) = text_of(feature, "uri") {
                    push_unique(&mut post.urls, uri.to_owned());
                }
            } else if kind.ends_with("#tag")
                && let Some(tag) = text_of(feature, "tag")
            {
                push_unique(
                    &mut post.hashtags,
                    tag.trim_start_matches('#').to_lowercase(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        let uri = "at://did:plc:crmrddqmbqzyqd24yjlpibz2/app.bsky.feed.post/3lkizm6uvhc2b";
        assert_eq!(did_of(uri), Some("did:plc:crmrddqmbqzyqd24yjlpibz2"));
        assert_eq!(rkey_of(uri), Some("3lkizm6uvhc2b"));
        assert_eq!(did_of("https://x"), None);
    }

    #[test]
    fn facets_with_bad_offsets_are_skipped() {
        let mut post = Post::new(Platform::Bluesky, "at://x", Utc::now(), "did:plc:x", "");
        let rec = serde_json::json!({"text": "é @a.bsky.social",
            "facets": [{"index": {"byteStart": 1, "byteEnd": 3}, "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:a"}]},
                       {"index": {"byteStart": 3, "byteEnd": 99}, "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "#Tag"}]}]});
        fill_record(&mut post, &rec);
        assert_eq!(
            post.mentions,
            ["did:plc:a"],
            "the span cuts a character: the DID"
        );
        assert_eq!(post.hashtags, ["tag"]);
    }
}
