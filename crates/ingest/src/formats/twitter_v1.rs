//! X/Twitter API v1.1 statuses: JSON lines (one status per line), one JSON object (also
//! pretty-printed, or several after one another), or a JSON array of statuses.
//!
//! A search response (`{"statuses": [...]}`) gives each status; streaming notices (`delete`,
//! `limit`, …) are skipped. A retweet is a reshare with empty text, and the retweeted status is a post of its own; a quote
//! tweet is a quote, and the quoted status is emitted too. Record numbers are line numbers for
//! JSON lines and 1-based positions otherwise; all posts out of one status share its number.

use super::twarc2::kind;
use super::{
    Handler, Light, contains, count_of, excerpt_of, id_of, parse_twitter_time,
    read_json_records_light, required_time, text_of,
};
use crate::context::{Ctx, Reject};
use crate::entities::{language, push_unique, unescape_twitter};
use crate::json_value::Json;
use crate::{Format, IngestError, InputFile, Options, Post, input};
use dialoog_model::{Platform, PostKind};

pub(crate) const HANDLER: Handler = Handler {
    format: Format::TwitterV1,
    name: "twitter-v1",
    description: "X/Twitter API v1.1 statuses: JSON lines, one object or an array",
    example: "dialoog ingest statuses.json --store case.store",
    sniff,
    read,
};

/// Nesting depth up to which retweeted and quoted statuses are followed.
const MAX_DEPTH: usize = 4;

fn sniff(head: &[u8]) -> bool {
    let head = input::trim_start(head);
    matches!(head.first(), Some(b'{' | b'['))
        && contains(head, b"\"id_str\"")
        && (contains(head, b"\"screen_name\"") || contains(head, b"\"user\""))
}

/// JSON lines are parsed into light nodes holding only the members the mapping below reads, at
/// any depth (a key missing here is caught by the test that maps sample lines both ways).
pub(crate) const LIGHT: Light = Light {
    keys: READ_KEYS,
    each: |node, record, ctx| read_status(node, record, ctx),
};

const READ_KEYS: &[&str] = &[
    "created_at",
    "delete",
    "disconnect",
    "entities",
    "event",
    "expanded_url",
    "extended_tweet",
    "favorite_count",
    "followers_count",
    "friends",
    "friends_str",
    "full_text",
    "hashtags",
    "id",
    "id_str",
    "in_reply_to_status_id_str",
    "in_reply_to_user_id_str",
    "lang",
    "limit",
    "media",
    "name",
    "quote_count",
    "quoted_status",
    "quoted_status_id_str",
    "reply_count",
    "retweet_count",
    "retweeted_status",
    "screen_name",
    "scrub_geo",
    "status_withheld",
    "statuses",
    "text",
    "url",
    "urls",
    "user",
    "user_mentions",
    "user_withheld",
    "warning",
];

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    read_json_records_light(file, ctx, read_status, &LIGHT)
}

/// Sends a status, and the statuses it retweets or quotes, to the context.
pub(crate) fn read_status<V: Json>(
    status: &V,
    record: u64,
    ctx: &mut Ctx<'_>,
) -> Result<(), IngestError> {
    // A search response: {"statuses": [...], "search_metadata": {...}}.
    if let Some(statuses) = status.get("statuses").and_then(Json::as_array) {
        for status in statuses {
            emit_status(status, record, ctx, 0)?;
        }
        return Ok(());
    }
    if is_stream_notice(status) {
        return Ok(());
    }
    emit_status(status, record, ctx, 0)
}

/// Streaming API notices (deletions, rate-limit notes, withholdings, …) hold no status: they are
/// skipped, counted neither as read nor as quarantined.
fn is_stream_notice<V: Json>(value: &V) -> bool {
    const NOTICES: &[&str] = &[
        "delete",
        "limit",
        "scrub_geo",
        "status_withheld",
        "user_withheld",
        "warning",
        "disconnect",
        "event",
        "friends",
        "friends_str",
    ];
    value.is_object()
        && value.get("id_str").is_none()
        && value.get("id").is_none()
        && NOTICES.iter().any(|k| value.get(k).is_some())
}

fn emit_status<V: Json>(
    status: &V,
    record: u64,
    ctx: &mut Ctx<'_>,
    depth: usize,
) -> Result<(), IngestError> {
    ctx.emit(status_to_post(status), record, &|| excerpt_of(status))?;
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    for key in ["retweeted_status", "quoted_status"] {
        if let Some(inner) = status.get(key).filter(|s| s.is_object()) {
            emit_status(inner, record, ctx, depth + 1)?;
        }
    }
    Ok(())
}

/// Maps one v1.1 status.
pub(crate) fn status_to_post<V: Json>(s: &V) -> Result<Post, Reject> {
    if !s.is_object() {
        return Err(Reject::new("a status that is not a JSON object"));
    }
    let id = id_of(s, "id_str")
        .or_else(|| id_of(s, "id"))
        .ok_or_else(|| Reject::missing("id_str"))?;
    let created_at = required_time(s, "created_at", parse_twitter_time)?;
    let user = s
        .get("user")
        .filter(|u| u.is_object())
        .ok_or_else(|| Reject::missing("user"))?;
    let author_id = id_of(user, "id_str")
        .or_else(|| id_of(user, "id"))
        .ok_or_else(|| Reject::missing("user.id_str"))?;
    let handle = text_of(user, "screen_name").unwrap_or_default().to_owned();
    let mut post = Post::new(Platform::Twitter, id, created_at, author_id, handle);
    post.author_name = text_of(user, "name").unwrap_or_default().to_owned();
    post.author_followers = count_of(user, "followers_count");
    post.url = Some(if post.author_handle.is_empty() {
        format!("https://twitter.com/i/web/status/{}", post.id)
    } else {
        format!(
            "https://twitter.com/{}/status/{}",
            post.author_handle, post.id
        )
    });
    if let Some(retweeted) = s.get("retweeted_status").filter(|r| r.is_object()) {
        post.reshare_of_id = id_of(retweeted, "id_str").or_else(|| id_of(retweeted, "id"));
    }
    post.in_reply_to_id = id_of(s, "in_reply_to_status_id_str");
    if post.in_reply_to_id.is_some() {
        post.in_reply_to_author_id = id_of(s, "in_reply_to_user_id_str");
    }
    if post.reshare_of_id.is_none() {
        post.quote_of_id = id_of(s, "quoted_status_id_str").or_else(|| {
            s.get("quoted_status")
                .and_then(|q| id_of(q, "id_str").or_else(|| id_of(q, "id")))
        });
    }
    post.kind = kind(&post);
    post.lang = language(text_of(s, "lang"));
    post.likes = count_of(s, "favorite_count");
    post.reshares = count_of(s, "retweet_count");
    post.replies = count_of(s, "reply_count");
    post.quotes = count_of(s, "quote_count");
    if post.kind != PostKind::Reshare {
        let extended = s.get("extended_tweet").filter(|e| e.is_object());
        let text = extended
            .and_then(|e| text_of(e, "full_text"))
            .or_else(|| text_of(s, "full_text"))
            .or_else(|| text_of(s, "text"))
            .unwrap_or_default();
        let entities = extended
            .and_then(|e| e.get("entities"))
            .or_else(|| s.get("entities"));
        fill_text(&mut post, text, entities);
    }
    Ok(post)
}

fn fill_text<V: Json>(post: &mut Post, raw: &str, entities: Option<&V>) {
    let mut text = unescape_twitter(raw);
    let list = |key: &str| {
        entities
            .and_then(|e| e.get(key))
            .and_then(Json::as_array)
            .unwrap_or_default()
    };
    for url in list("urls").iter().chain(list("media")) {
        if let Some(expanded) = text_of(url, "expanded_url") {
            if let Some(short) = text_of(url, "url") {
                text = text.replace(short, expanded);
            }
            push_unique(&mut post.urls, expanded.to_owned());
        }
    }
    for mention in list("user_mentions") {
        if let Some(name) = text_of(mention, "screen_name") {
            push_unique(&mut post.mentions, name.to_lowercase());
        }
    }
    for tag in list("hashtags") {
        if let Some(tag) = text_of(tag, "text") {
            push_unique(&mut post.hashtags, tag.to_lowercase());
        }
    }
    post.text = text;
}
