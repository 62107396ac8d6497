//! Mastodon REST API statuses, as the API returns them and as collection tools save them: a JSON
//! array of Status entities (a timeline, `GET /api/v1/accounts/:id/statuses`), one status per
//! line (JSON lines), or one or more pretty-printed values. Wrappers are opened: a Context
//! (`{"ancestors": [...], "descendants": [...]}`), a search result (`{"statuses": [...]}`) and a
//! notification (`{"type": "mention", "status": {...}}`) give their statuses.
//!
//! Ids are the instance's own (`id`, `account.id`, `in_reply_to_id`, `in_reply_to_account_id`
//! all come from the instance that was asked), so replies link up within one collection; the
//! federation `uri` is not the id. A status with `reblog` is a reshare with empty text (the
//! booster is the author) and the reblogged status is emitted too; a quote (Mastodon 4.5 `quote`
//! with `quoted_status`, or a quoted status object) is a quote and the quoted status is emitted
//! too. In a Context every status gets the thread root as `conversation_id`. `content` is HTML
//! (made plain text; a content warning comes first); mentions are the `acct`s, hashtags the tag
//! names, URLs the links in the content that are neither mentions nor hashtags. The record
//! number is the line number for JSON lines and the 1-based position otherwise; all posts out of
//! one record share its number.

use super::{
    Handler, Light, contains, count_of, excerpt_of, id_of, parse_rfc3339, read_json_records_light,
    required_time, text_of,
};
use crate::context::{Ctx, Reject};
use crate::entities::{language, push_unique};
use crate::json_value::Json;
use crate::{Format, IngestError, InputFile, Options, Post, html, input};
use dialoog_model::{Platform, PostKind};

pub(crate) const HANDLER: Handler = Handler {
    format: Format::MastodonApi,
    name: "mastodon-api",
    description: "Mastodon API statuses (timelines, contexts, search results): a JSON array, JSON lines or one object",
    example: "dialoog ingest statuses.jsonl --store case.store",
    sniff,
    read,
};

/// Nesting depth up to which reblogged and quoted statuses are followed.
const MAX_DEPTH: usize = 4;

fn sniff(head: &[u8]) -> bool {
    let head = input::trim_start(head);
    matches!(head.first(), Some(b'{' | b'['))
        && contains(head, b"\"account\"")
        && (contains(head, b"\"favourites_count\"")
            || contains(head, b"\"reblogs_count\"")
            || contains(head, b"\"in_reply_to_account_id\""))
        && !contains(head, b"\"id_str\"")
}

/// JSON lines are parsed into light nodes holding only the members the mapping below reads, at
/// any depth (a key missing here is caught by the test that maps sample lines both ways).
pub(crate) const LIGHT: Light = Light {
    keys: READ_KEYS,
    each: |node, record, ctx| read_value(node, record, ctx),
};

const READ_KEYS: &[&str] = &[
    "account",
    "acct",
    "ancestors",
    "content",
    "created_at",
    "descendants",
    "display_name",
    "favourites_count",
    "followers_count",
    "id",
    "in_reply_to_account_id",
    "in_reply_to_id",
    "language",
    "mentions",
    "name",
    "quote",
    "quote_id",
    "quoted_status",
    "quotes_count",
    "reblog",
    "reblogs_count",
    "replies_count",
    "spoiler_text",
    "status",
    "statuses",
    "tags",
    "text",
    "type",
    "uri",
    "url",
    "username",
];

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    read_json_records_light(file, ctx, read_value, &LIGHT)
}

/// Sends the statuses of one record to the context.
pub(crate) fn read_value<V: Json>(
    value: &V,
    record: u64,
    ctx: &mut Ctx<'_>,
) -> Result<(), IngestError> {
    if !value.is_object() {
        return ctx.quarantine(record, Reject::new("not a JSON object"), &excerpt_of(value));
    }
    let list = |key: &str| list(value, key);
    if value.get("ancestors").is_some() || value.get("descendants").is_some() {
        let root = context_root(list("ancestors"), list("descendants"));
        for status in list("ancestors").iter().chain(list("descendants")) {
            emit(status, record, ctx, root.as_deref(), 0)?;
        }
        return Ok(());
    }
    if value.get("content").is_none() {
        // A search result.
        if let Some(statuses) = value.get("statuses").and_then(Json::as_array) {
            for status in statuses {
                emit(status, record, ctx, None, 0)?;
            }
            return Ok(());
        }
        // A notification: its status, if it has one (a follow has none: no post).
        if value.get("type").is_some() {
            return match value.get("status").filter(|s| s.is_object()) {
                Some(status) => emit(status, record, ctx, None, 0),
                None => Ok(()),
            };
        }
    }
    emit(value, record, ctx, None, 0)
}

/// The thread root of a Context: the first ancestor when it replies to nothing; without
/// ancestors the status asked about is the root, which is what the first descendant replies to.
fn context_root<V: Json>(ancestors: &[V], descendants: &[V]) -> Option<String> {
    match ancestors.first() {
        Some(first) if id_of(first, "in_reply_to_id").is_none() => id_of(first, "id"),
        Some(_) => None,
        None => descendants.first().and_then(|d| id_of(d, "in_reply_to_id")),
    }
}

fn emit<V: Json>(
    status: &V,
    record: u64,
    ctx: &mut Ctx<'_>,
    root: Option<&str>,
    depth: usize,
) -> Result<(), IngestError> {
    let mapped = status_to_post(status).map(|mut post| {
        if post.conversation_id.is_none() && post.kind != PostKind::Reshare {
            post.conversation_id = root.map(str::to_owned);
        }
        post
    });
    ctx.emit(mapped, record, &|| excerpt_of(status))?;
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    if let Some(inner) = reblog_of(status).or_else(|| quoted_of(status)) {
        emit(inner, record, ctx, None, depth + 1)?;
    }
    Ok(())
}

fn reblog_of<V: Json>(status: &V) -> Option<&V> {
    status.get("reblog").filter(|r| r.is_object())
}

/// The quoted status: Mastodon 4.5 `quote.quoted_status`, or a status object under `quote`.
fn quoted_of<V: Json>(status: &V) -> Option<&V> {
    let quote = status.get("quote").filter(|q| q.is_object())?;
    quote
        .get("quoted_status")
        .filter(|q| q.is_object())
        .or_else(|| quote.get("account").is_some().then_some(quote))
}

/// Maps one Status entity.
fn status_to_post<V: Json>(s: &V) -> Result<Post, Reject> {
    if !s.is_object() {
        return Err(Reject::new("a status that is not a JSON object"));
    }
    let id = id_of(s, "id").ok_or_else(|| Reject::missing("id"))?;
    let created_at = required_time(s, "created_at", parse_rfc3339)?;
    let account = s
        .get("account")
        .filter(|a| a.is_object())
        .ok_or_else(|| Reject::missing("account"))?;
    let author_id = id_of(account, "id").ok_or_else(|| Reject::missing("account.id"))?;
    let handle = text_of(account, "acct")
        .or_else(|| text_of(account, "username"))
        .unwrap_or_default()
        .trim_start_matches('@');
    let mut post = Post::new(Platform::Mastodon, id, created_at, author_id, handle);
    post.author_name = text_of(account, "display_name")
        .unwrap_or_default()
        .to_owned();
    post.author_followers = count_of(account, "followers_count");
    post.url = text_of(s, "url")
        .or_else(|| {
            // A boost's uri is its activity, not a page.
            text_of(s, "uri").filter(|u| u.starts_with("http") && !u.ends_with("/activity"))
        })
        .map(str::to_owned);
    post.likes = count_of(s, "favourites_count");
    post.reshares = count_of(s, "reblogs_count");
    post.replies = count_of(s, "replies_count");
    post.quotes = count_of(s, "quotes_count");
    if let Some(reblog) = reblog_of(s) {
        post.kind = PostKind::Reshare;
        post.reshare_of_id = Some(id_of(reblog, "id").ok_or_else(|| Reject::missing("reblog.id"))?);
        return Ok(post);
    }
    post.in_reply_to_id = id_of(s, "in_reply_to_id");
    if post.in_reply_to_id.is_some() {
        post.in_reply_to_author_id = id_of(s, "in_reply_to_account_id");
    }
    post.quote_of_id = quoted_of(s)
        .and_then(|q| id_of(q, "id"))
        .or_else(|| id_of(s, "quote_id"));
    post.kind = super::twarc2::kind(&post);
    post.lang = language(text_of(s, "language"));
    let content = text_of(s, "content").unwrap_or_default();
    let mut text = if content.is_empty() {
        // A deleted status gives its source as `text` instead of `content`.
        text_of(s, "text").unwrap_or_default().to_owned()
    } else {
        html::to_text(content)
    };
    if let Some(warning) = text_of(s, "spoiler_text") {
        text = format!("{warning}\n\n{text}");
    }
    post.text = text;
    for mention in list(s, "mentions") {
        if let Some(acct) = text_of(mention, "acct") {
            push_unique(
                &mut post.mentions,
                acct.trim_start_matches('@').to_lowercase(),
            );
        }
    }
    for tag in list(s, "tags") {
        if let Some(name) = text_of(tag, "name") {
            push_unique(
                &mut post.hashtags,
                name.trim_start_matches('#').to_lowercase(),
            );
        }
    }
    let tag_urls: Vec<&str> = list(s, "mentions")
        .iter()
        .chain(list(s, "tags"))
        .filter_map(|m| text_of(m, "url"))
        .collect();
    for link in html::links(content) {
        let is_tag = link
            .class
            .split_whitespace()
            .any(|c| c == "mention" || c == "hashtag")
            || tag_urls.contains(&link.href.as_str());
        if !is_tag {
            push_unique(&mut post.urls, link.href);
        }
    }
    Ok(post)
}

fn list<'v, V: Json>(v: &'v V, key: &str) -> &'v [V] {
    v.get(key).and_then(Json::as_array).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn sniffs_statuses_but_not_tweets() {
        assert!(sniff(
            br#"[{"id": "1", "account": {"id": "2"}, "reblogs_count": 0"#
        ));
        assert!(sniff(
            br#"{"ancestors": [{"account": {}, "favourites_count": 1"#
        ));
        assert!(!sniff(
            br#"{"id_str": "1", "user": {}, "favorite_count": 0, "account": 1"#
        ));
        assert!(!sniff(br#"{"orderedItems": []}"#));
    }

    #[test]
    fn the_root_of_a_context() {
        let a: Vec<Value> = serde_json::from_str(
            r#"[{"id": "1", "in_reply_to_id": null}, {"id": "2", "in_reply_to_id": "1"}]"#,
        )
        .unwrap();
        let d: Vec<Value> =
            serde_json::from_str(r#"[{"id": "4", "in_reply_to_id": "3"}]"#).unwrap();
        assert_eq!(context_root(&a, &d).as_deref(), Some("1"));
        assert_eq!(context_root(&[], &d).as_deref(), Some("3"));
        assert_eq!(
            context_root(&a[1..], &d),
            None,
            "ancestors cut off: unknown"
        );
    }
}
