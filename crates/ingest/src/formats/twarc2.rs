//! X/Twitter API v2 as twarc2 writes it, one JSON value per line: response pages
//! (`{"data": [...], "includes": {"users", "tweets", ...}, "__twarc": ...}`, or with `data` one
//! tweet as the filtered stream gives it) and flattened tweets (one tweet per line with `author`
//! and `referenced_tweets` expanded). Raw API v2 responses saved pretty-printed, or as a JSON
//! array, are read too (see [`super::read_json_records`]).
//!
//! Every tweet the line holds becomes a post: those in `data`, the referenced tweets in
//! `includes.tweets`, and in flattened lines the expanded referenced tweets (deduplication is the
//! store's job). A line with only `errors` (e.g. "resource not found" notices) holds no tweet and
//! is skipped: it counts neither as read nor as quarantined.

use super::{
    Handler, Light, contains, count_of, excerpt_of, id_of, parse_rfc3339, read_json_records_light,
    required_time, text_of,
};
use crate::context::{Ctx, Reject};
use crate::entities::{language, push_unique, unescape_twitter};
use crate::json_value::Json;
use crate::{Format, IngestError, InputFile, Options, Post, input};
use dialoog_model::{Platform, PostKind};
use std::collections::HashMap;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Twarc2,
    name: "twarc2",
    description: "X/Twitter API v2 JSON lines as written by twarc2: response pages or flattened tweets",
    example: "dialoog ingest tweets.jsonl.gz --store case.store",
    sniff,
    read,
};

/// Nesting depth up to which expanded referenced tweets of flattened lines are followed.
const MAX_DEPTH: usize = 4;

fn sniff(head: &[u8]) -> bool {
    let head = input::trim_start(head);
    matches!(head.first(), Some(b'{' | b'['))
        && (contains(head, b"\"__twarc\"")
            || contains(head, b"\"author_id\"")
            || contains(head, b"\"edit_history_tweet_ids\""))
        && !contains(head, b"\"id_str\"")
}

/// JSON lines are parsed into light nodes holding only the members the mapping below reads, at
/// any depth (a key missing here is caught by the test that maps sample lines both ways).
pub(crate) const LIGHT: Light = Light {
    keys: READ_KEYS,
    each: |node, record, ctx| read_value(node, record, ctx),
};

const READ_KEYS: &[&str] = &[
    "author",
    "author_id",
    "conversation_id",
    "created_at",
    "data",
    "entities",
    "errors",
    "expanded_url",
    "followers_count",
    "hashtags",
    "id",
    "impression_count",
    "in_reply_to_user_id",
    "includes",
    "lang",
    "like_count",
    "mentions",
    "name",
    "note_tweet",
    "public_metrics",
    "quote_count",
    "referenced_tweets",
    "reply_count",
    "retweet_count",
    "tag",
    "text",
    "tweets",
    "type",
    "unwound_url",
    "url",
    "urls",
    "username",
    "users",
];

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    read_json_records_light(file, ctx, read_value, &LIGHT)
}

/// Sends every tweet of one line's value to the context.
pub(crate) fn read_value<V: Json>(
    value: &V,
    record: u64,
    ctx: &mut Ctx<'_>,
) -> Result<(), IngestError> {
    if !value.is_object() {
        return ctx.quarantine(record, Reject::new("not a JSON object"), &excerpt_of(value));
    }
    if let Some(data) = value.get("data") {
        let includes = value.get("includes");
        let users = users_by_id(includes);
        let tweets = includes
            .and_then(|i| i.get("tweets"))
            .and_then(Json::as_array);
        for tweet in as_list(Some(data)).chain(tweets.into_iter().flatten()) {
            ctx.emit(tweet_to_post(tweet, &users), record, &|| excerpt_of(tweet))?;
        }
        Ok(())
    } else if ["id", "author_id", "text"]
        .iter()
        .any(|k| value.get(k).is_some())
    {
        flattened(value, record, ctx, 0)
    } else if value.get("errors").is_some() {
        Ok(())
    } else {
        ctx.quarantine(
            record,
            Reject::new("neither a response page (no 'data') nor a tweet (no 'id')"),
            &excerpt_of(value),
        )
    }
}

fn flattened<V: Json>(
    tweet: &V,
    record: u64,
    ctx: &mut Ctx<'_>,
    depth: usize,
) -> Result<(), IngestError> {
    ctx.emit(tweet_to_post(tweet, &HashMap::new()), record, &|| {
        excerpt_of(tweet)
    })?;
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    for reference in as_list(tweet.get("referenced_tweets")) {
        let expanded = ["author_id", "created_at", "text"]
            .iter()
            .any(|k| reference.get(k).is_some());
        if expanded {
            flattened(reference, record, ctx, depth + 1)?;
        }
    }
    Ok(())
}

/// An array's items, or a single object as one item.
fn as_list<V: Json>(value: Option<&V>) -> Box<dyn Iterator<Item = &V> + '_> {
    match value {
        Some(value) if value.is_object() => Box::new(std::iter::once(value)),
        Some(value) => Box::new(value.as_array().unwrap_or_default().iter()),
        None => Box::new(std::iter::empty()),
    }
}

fn users_by_id<V: Json>(includes: Option<&V>) -> HashMap<&str, &V> {
    includes
        .and_then(|i| i.get("users"))
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|u| Some((u.get("id")?.as_str()?, u)))
        .collect()
}

/// Maps one API v2 tweet object; `users` are the page's `includes.users` (flattened tweets carry
/// their `author` themselves).
pub(crate) fn tweet_to_post<V: Json>(t: &V, users: &HashMap<&str, &V>) -> Result<Post, Reject> {
    if !t.is_object() {
        return Err(Reject::new("a tweet that is not a JSON object"));
    }
    let id = id_of(t, "id").ok_or_else(|| Reject::missing("id"))?;
    let created_at = required_time(t, "created_at", parse_rfc3339)?;
    let author_id = id_of(t, "author_id").ok_or_else(|| Reject::missing("author_id"))?;
    let user = t
        .get("author")
        .filter(|a| a.is_object())
        .or_else(|| users.get(author_id.as_str()).copied());
    let handle = user
        .and_then(|u| text_of(u, "username"))
        .unwrap_or_default()
        .to_owned();
    let mut post = Post::new(Platform::Twitter, id, created_at, author_id, handle);
    if let Some(user) = user {
        post.author_name = text_of(user, "name").unwrap_or_default().to_owned();
        post.author_followers = user
            .get("public_metrics")
            .and_then(|m| count_of(m, "followers_count"));
    }
    post.url = Some(if post.author_handle.is_empty() {
        format!("https://twitter.com/i/web/status/{}", post.id)
    } else {
        format!(
            "https://twitter.com/{}/status/{}",
            post.author_handle, post.id
        )
    });
    for reference in as_list(t.get("referenced_tweets")) {
        let Some(ref_id) = id_of(reference, "id") else {
            continue;
        };
        match text_of(reference, "type") {
            Some("retweeted") => post.reshare_of_id = Some(ref_id),
            Some("replied_to") => post.in_reply_to_id = Some(ref_id),
            Some("quoted") => post.quote_of_id = Some(ref_id),
            _ => {}
        }
    }
    post.kind = kind(&post);
    if post.in_reply_to_id.is_some() {
        post.in_reply_to_author_id = id_of(t, "in_reply_to_user_id");
    }
    post.conversation_id = id_of(t, "conversation_id");
    post.lang = language(text_of(t, "lang"));
    if let Some(m) = t.get("public_metrics") {
        post.likes = count_of(m, "like_count");
        post.reshares = count_of(m, "retweet_count");
        post.replies = count_of(m, "reply_count");
        post.quotes = count_of(m, "quote_count");
        post.views = count_of(m, "impression_count");
    }
    if post.kind != PostKind::Reshare {
        // Long posts carry their full text and entities in `note_tweet`.
        let note = t.get("note_tweet").filter(|n| n.get("text").is_some());
        let source = note.unwrap_or(t);
        let entities = source.get("entities").or_else(|| t.get("entities"));
        fill_text(
            &mut post,
            text_of(source, "text").unwrap_or_default(),
            entities,
        );
    }
    Ok(post)
}

/// Reshare over reply over quote; a post that is none of them is a post.
pub(crate) fn kind(post: &Post) -> PostKind {
    if post.reshare_of_id.is_some() {
        PostKind::Reshare
    } else if post.in_reply_to_id.is_some() {
        PostKind::Reply
    } else if post.quote_of_id.is_some() {
        PostKind::Quote
    } else {
        PostKind::Post
    }
}

/// Text with t.co links expanded, and mentions, hashtags and URLs from the v2 `entities`.
fn fill_text<V: Json>(post: &mut Post, raw: &str, entities: Option<&V>) {
    let mut text = unescape_twitter(raw);
    let list = |key: &str| {
        entities
            .and_then(|e| e.get(key))
            .and_then(Json::as_array)
            .unwrap_or_default()
    };
    for url in list("urls") {
        let expanded = text_of(url, "expanded_url").or_else(|| text_of(url, "unwound_url"));
        if let Some(expanded) = expanded {
            if let Some(short) = text_of(url, "url") {
                text = text.replace(short, expanded);
            }
            push_unique(&mut post.urls, expanded.to_owned());
        }
    }
    for mention in list("mentions") {
        if let Some(name) = text_of(mention, "username") {
            push_unique(&mut post.mentions, name.to_lowercase());
        }
    }
    for tag in list("hashtags") {
        if let Some(tag) = text_of(tag, "tag") {
            push_unique(&mut post.hashtags, tag.to_lowercase());
        }
    }
    post.text = text;
}
