//! Facebook Graph API page, group and post JSON as the API returns it: list responses
//! (`{"data": [...], "paging": ...}` of a feed, posts or comments edge), single post or comment
//! objects, one response per line (JSON lines) or an array of them. Comments nested in a post
//! (`comments.data`, from `fields=comments{...}`) and replies nested in a comment (again
//! `comments.data`) are followed.
//!
//! A post is a post; one with a `parent_id` (a share of another post) is a reshare, or a quote when
//! it has its own message. A comment is a comment answering the post, or its parent comment
//! (`parent.id`, the nesting, or `reply_comment_id` in its `permalink_url`). Items are told apart
//! by their fields: comments have `comment_count`, `like_count`, `can_like`, `parent` or a
//! `permalink_url` with `comment_id=`; anything else with `created_time` is a post. Without an `id`
//! a comment's id comes from its `permalink_url`. The author is `from` (id and name); the Graph API
//! leaves it out unless asked for and for users who did not grant it, and then the author is
//! [`UNKNOWN_AUTHOR`]. The text is `message`. Counts: `like_count` or `reactions`/`likes` summary
//! totals, `comment_count` or the `comments` summary, `shares.count`. The record number is the line
//! for JSON lines, the position otherwise; all posts and comments out of one record share it.

use super::{
    Handler, contains, count_of, excerpt_of, id_of, parse_with_format, read_json_records, text_of,
};
use crate::context::{Ctx, Reject};
use crate::entities;
use crate::{Format, IngestError, InputFile, Options, Post, input};
use chrono::{DateTime, Utc};
use dialoog_model::{Platform, PostKind};
use serde_json::Value;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Facebook,
    name: "facebook",
    description: "Facebook Graph API posts and comments (feed, posts and comments edges, nested comments)",
    example: "dialoog ingest page_feed.json --store case.store",
    sniff,
    read,
};

/// The author of posts and comments whose author the API did not give.
pub const UNKNOWN_AUTHOR: &str = "[unknown]";

/// Depth up to which nested comments are followed (Facebook nests replies one level deep).
const MAX_DEPTH: usize = 8;

fn sniff(head: &[u8]) -> bool {
    let head = input::trim_start(head);
    matches!(head.first(), Some(b'{' | b'['))
        && contains(head, b"\"created_time\"")
        && (contains(head, b"graph.facebook.com")
            || contains(head, b"www.facebook.com/")
            || contains(head, b"\"comment_count\"")
            || contains(head, b"\"status_type\""))
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    read_json_records(file, ctx, read_value)
}

/// What an item answers, known from where it is nested.
#[derive(Clone, Default)]
struct Around {
    /// The post a comment is under.
    post: Option<(String, String)>,
    /// The comment a reply is nested in.
    comment: Option<(String, String)>,
}

fn read_value(value: &Value, record: u64, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    if !value.is_object() {
        return ctx.quarantine(record, Reject::new("not a JSON object"), &excerpt_of(value));
    }
    match value.get("data").and_then(Value::as_array) {
        Some(items) => {
            for item in items {
                read_item(item, record, ctx, &Around::default(), 0)?;
            }
            Ok(())
        }
        None => read_item(value, record, ctx, &Around::default(), 0),
    }
}

fn is_comment(item: &Value) -> bool {
    ["comment_count", "like_count", "can_like", "parent"]
        .iter()
        .any(|k| item.get(k).is_some())
        || text_of(item, "permalink_url").is_some_and(|u| u.contains("comment_id="))
}

fn read_item(
    item: &Value,
    record: u64,
    ctx: &mut Ctx<'_>,
    around: &Around,
    depth: usize,
) -> Result<(), IngestError> {
    let comment = around.post.is_some() || is_comment(item);
    let mapped = if comment {
        comment_to_post(item, around)
    } else {
        post_to_post(item)
    };
    let me = mapped
        .as_ref()
        .ok()
        .map(|p| (p.id.clone(), p.author_id.clone()));
    ctx.emit(mapped, record, &|| excerpt_of(item))?;
    let nested = item
        .get("comments")
        .and_then(|c| c.get("data"))
        .and_then(Value::as_array);
    let (Some(nested), Some(me)) = (nested, me) else {
        return Ok(());
    };
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    let inner = if comment {
        Around {
            post: around.post.clone(),
            comment: Some(me),
        }
    } else {
        Around {
            post: Some(me),
            comment: None,
        }
    };
    for child in nested {
        read_item(child, record, ctx, &inner, depth + 1)?;
    }
    Ok(())
}

/// `2021-07-04T19:50:58+0000`, the Graph API's time format (RFC 3339 is read too).
fn time(v: &Value) -> Result<DateTime<Utc>, Reject> {
    let text = text_of(v, "created_time").ok_or_else(|| Reject::missing("created_time"))?;
    parse_with_format(text, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|| super::parse_rfc3339(text))
        .ok_or_else(|| Reject::field("created_time", format!("unparseable time '{text}'")))
}

/// The author from `from`, else unknown.
fn author(v: &Value) -> (String, String) {
    let from = v.get("from").filter(|f| f.is_object());
    let id = from.and_then(|f| id_of(f, "id"));
    let name = from
        .and_then(|f| text_of(f, "name"))
        .unwrap_or_default()
        .to_owned();
    (id.unwrap_or_else(|| UNKNOWN_AUTHOR.to_owned()), name)
}

/// A summary total: `{"summary": {"total_count": n}}` under `key`.
fn total(v: &Value, key: &str) -> Option<u64> {
    v.get(key)
        .and_then(|c| c.get("summary"))
        .and_then(|s| count_of(s, "total_count"))
}

fn fill_text(post: &mut Post, v: &Value) {
    post.text = text_of(v, "message").unwrap_or_default().to_owned();
    post.hashtags = entities::hashtags(&post.text);
    post.urls = entities::urls(&post.text);
    // Facebook tags people by name (`message_tags`), not by @handle.
    for tag in v
        .get("message_tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) = id_of(tag, "id") {
            entities::push_unique(&mut post.mentions, id);
        }
    }
}

fn post_to_post(v: &Value) -> Result<Post, Reject> {
    let id = id_of(v, "id").ok_or_else(|| Reject::missing("id"))?;
    let created_at = time(v)?;
    let (author_id, name) = author(v);
    let mut post = Post::new(Platform::Facebook, id, created_at, author_id, "");
    post.author_name = name;
    post.url = text_of(v, "permalink_url")
        .map(str::to_owned)
        .or_else(|| Some(format!("https://www.facebook.com/{}", post.id)));
    post.conversation_id = Some(post.id.clone());
    fill_text(&mut post, v);
    if let Some(parent) = id_of(v, "parent_id") {
        post.kind = if post.text.is_empty() {
            PostKind::Reshare
        } else {
            PostKind::Quote
        };
        if post.kind == PostKind::Reshare {
            post.reshare_of_id = Some(parent);
        } else {
            post.quote_of_id = Some(parent);
        }
    }
    post.likes = total(v, "reactions").or_else(|| total(v, "likes"));
    post.replies = total(v, "comments");
    post.reshares = v.get("shares").and_then(|s| count_of(s, "count"));
    if let Some(link) = text_of(v, "link") {
        entities::push_unique(&mut post.urls, link.to_owned());
    }
    Ok(post)
}

/// A query parameter of a URL.
fn query_param<'u>(url: &'u str, name: &str) -> Option<&'u str> {
    let (_, query) = url.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// The post id in a permalink: `facebook.com/PAGE/posts/POST/?comment_id=…` gives `PAGE_POST`.
fn post_of_permalink(url: &str) -> Option<String> {
    let path = url.split_once('?').map_or(url, |(path, _)| path);
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let post = segments.next()?;
    (segments.next()? == "posts").then_some(())?;
    let page = segments.next()?;
    Some(format!("{page}_{post}"))
}

fn comment_to_post(v: &Value, around: &Around) -> Result<Post, Reject> {
    let permalink = text_of(v, "permalink_url");
    let from_link = |key: &str| {
        permalink
            .and_then(|u| query_param(u, key))
            .map(str::to_owned)
    };
    let id = id_of(v, "id")
        .or_else(|| from_link("reply_comment_id"))
        .or_else(|| from_link("comment_id"))
        .ok_or_else(|| Reject::missing("id"))?;
    let created_at = time(v)?;
    let (author_id, name) = author(v);
    let mut post = Post::new(Platform::Facebook, id, created_at, author_id, "");
    post.author_name = name;
    post.kind = PostKind::Comment;
    post.url = permalink.map(str::to_owned);
    let post_id = around
        .post
        .as_ref()
        .map(|(id, _)| id.clone())
        .or_else(|| permalink.and_then(post_of_permalink));
    post.conversation_id.clone_from(&post_id);
    let parent_comment = v
        .get("parent")
        .and_then(|p| id_of(p, "id"))
        .or_else(|| from_link("reply_comment_id").and(from_link("comment_id")))
        .or_else(|| around.comment.as_ref().map(|(id, _)| id.clone()));
    match parent_comment {
        Some(parent) => {
            post.in_reply_to_author_id = around
                .comment
                .as_ref()
                .filter(|(id, _)| *id == parent)
                .map(|(_, author)| author.clone());
            post.in_reply_to_id = Some(parent);
        }
        None => {
            post.in_reply_to_id.clone_from(&post_id);
            post.in_reply_to_author_id = around.post.as_ref().map(|(_, author)| author.clone());
        }
    }
    post.in_reply_to_author_id = post
        .in_reply_to_author_id
        .filter(|author| author != UNKNOWN_AUTHOR);
    fill_text(&mut post, v);
    post.likes = count_of(v, "like_count");
    post.replies = count_of(v, "comment_count").or_else(|| total(v, "comments"));
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_graph_responses_only() {
        assert!(sniff(
            br#"{"data":[{"id":"4_1","message":"x","created_time":"2021-07-04T19:50:58+0000"}],"paging":{"next":"https://graph.facebook.com/v10.0/4/posts"}}"#
        ));
        assert!(sniff(
            br#"[{"comment_count":1,"created_time":"2021-08-10T18:45:03+0000""#
        ));
        assert!(!sniff(br#"{"data": [{"id": "1", "created_at": "2021"}]}"#));
    }

    #[test]
    fn permalinks_give_the_post_and_the_comment() {
        let url = "https://www.facebook.com/19292868552/posts/10158407654328553/?comment_id=10158407903973553&reply_comment_id=10158409983033553";
        assert_eq!(
            post_of_permalink(url).as_deref(),
            Some("19292868552_10158407654328553")
        );
        assert_eq!(query_param(url, "comment_id"), Some("10158407903973553"));
        assert_eq!(
            query_param(url, "reply_comment_id"),
            Some("10158409983033553")
        );
        assert_eq!(query_param(url, "x"), None);
        assert_eq!(
            post_of_permalink("https://www.facebook.com/photo.php?fbid=1"),
            None
        );
    }
}
