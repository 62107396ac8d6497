//! YouTube Data API v3 comments as the API returns them: `commentThreads` list responses (each
//! thread's `topLevelComment` and the replies under `replies.comments`), `comments` list
//! responses (replies with `parentId`), or single threads and comments; one response per file,
//! pages one per line (JSON lines), or an array of them.
//!
//! Every comment is a comment. A top-level comment answers the video (`in_reply_to_id` is the
//! video id, its author the channel the thread belongs to, when the response names them); a
//! reply answers its top-level comment (YouTube flattens reply chains under it). The video is
//! the conversation. The text is `textOriginal`, else the HTML `textDisplay` made plain; URLs are
//! the links in `textDisplay` (not YouTube's own hashtag-search links) and those in the text. The
//! author id is the channel id; a comment whose author has no channel (deleted or hidden) keeps
//! the display name. `likeCount` is the likes, a thread's `totalReplyCount` the replies. The
//! record number is the line for JSON lines, the position otherwise; all comments out of one
//! record share its number.

use super::{
    Handler, contains, count_of, excerpt_of, id_of, parse_rfc3339, read_json_records,
    required_time, text_of,
};
use crate::context::{Ctx, Reject};
use crate::entities::{self, push_unique};
use crate::{Format, IngestError, InputFile, Options, Post, html, input};
use dialoog_model::{Platform, PostKind};
use serde_json::Value;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Youtube,
    name: "youtube",
    description: "YouTube Data API comments: commentThreads and comments list responses (JSON, JSON lines)",
    example: "dialoog ingest commentThreads.json --store case.store",
    sniff,
    read,
};

fn sniff(head: &[u8]) -> bool {
    let head = input::trim_start(head);
    matches!(head.first(), Some(b'{' | b'['))
        && (contains(head, b"\"youtube#commentThread")
            || contains(head, b"\"youtube#comment")
            || contains(head, b"\"topLevelComment\""))
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    read_json_records(file, ctx, read_value)
}

/// What a comment answers, known from around it.
#[derive(Default, Clone)]
struct Context {
    video: Option<String>,
    /// The channel the video (or the channel discussion) belongs to.
    channel: Option<String>,
    /// For a reply: the top-level comment and its author.
    parent: Option<(String, String)>,
}

fn read_value(value: &Value, record: u64, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    if !value.is_object() {
        return ctx.quarantine(record, Reject::new("not a JSON object"), &excerpt_of(value));
    }
    if let Some(items) = value.get("items").and_then(Value::as_array) {
        for item in items {
            read_item(item, record, ctx)?;
        }
        return Ok(());
    }
    read_item(value, record, ctx)
}

/// A thread (its top-level comment and replies) or a single comment.
fn read_item(item: &Value, record: u64, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    let Some(snippet) = item.get("snippet").filter(|s| s.is_object()) else {
        return ctx.quarantine(record, Reject::missing("snippet"), &excerpt_of(item));
    };
    let Some(top) = snippet.get("topLevelComment").filter(|t| t.is_object()) else {
        return ctx.emit(comment_to_post(item, &Context::default()), record, &|| {
            excerpt_of(item)
        });
    };
    let around = Context {
        video: id_of(snippet, "videoId"),
        channel: id_of(snippet, "channelId"),
        parent: None,
    };
    let mapped = comment_to_post(top, &around).map(|mut post| {
        post.replies = count_of(snippet, "totalReplyCount");
        post
    });
    let parent = mapped
        .as_ref()
        .ok()
        .map(|p| (p.id.clone(), p.author_id.clone()));
    ctx.emit(mapped, record, &|| excerpt_of(top))?;
    let replies = item
        .get("replies")
        .and_then(|r| r.get("comments"))
        .and_then(Value::as_array);
    let around = Context { parent, ..around };
    for reply in replies.into_iter().flatten() {
        ctx.emit(comment_to_post(reply, &around), record, &|| {
            excerpt_of(reply)
        })?;
    }
    Ok(())
}

/// Maps one `youtube#comment` resource.
fn comment_to_post(comment: &Value, around: &Context) -> Result<Post, Reject> {
    let id = id_of(comment, "id").ok_or_else(|| Reject::missing("id"))?;
    let s = comment
        .get("snippet")
        .filter(|s| s.is_object())
        .ok_or_else(|| Reject::missing("snippet"))?;
    let created_at = required_time(s, "publishedAt", parse_rfc3339)?;
    let name = text_of(s, "authorDisplayName").unwrap_or_default();
    let channel = s.get("authorChannelId").and_then(|c| id_of(c, "value"));
    let author_id = channel
        .or_else(|| (!name.is_empty()).then(|| name.to_owned()))
        .ok_or_else(|| Reject::missing("authorChannelId"))?;
    let handle = name.trim_start_matches('@');
    let mut post = Post::new(Platform::Youtube, id, created_at, author_id, handle);
    post.author_name = name.to_owned();
    post.kind = PostKind::Comment;
    let video = id_of(s, "videoId").or_else(|| around.video.clone());
    post.conversation_id.clone_from(&video);
    match (id_of(s, "parentId"), &around.parent) {
        (Some(parent), known) => {
            post.in_reply_to_author_id = known
                .as_ref()
                .filter(|(id, _)| *id == parent)
                .map(|(_, author)| author.clone());
            post.in_reply_to_id = Some(parent);
        }
        (None, Some((parent, author))) => {
            post.in_reply_to_id = Some(parent.clone());
            post.in_reply_to_author_id = Some(author.clone());
        }
        (None, None) => {
            post.in_reply_to_id.clone_from(&video);
            if video.is_some() {
                post.in_reply_to_author_id =
                    id_of(s, "channelId").or_else(|| around.channel.clone());
            }
        }
    }
    post.url = video
        .as_ref()
        .map(|v| format!("https://www.youtube.com/watch?v={v}&lc={}", post.id));
    post.likes = count_of(s, "likeCount");
    let display = text_of(s, "textDisplay").unwrap_or_default();
    post.text = text_of(s, "textOriginal")
        .map(str::to_owned)
        .unwrap_or_else(|| html::to_text(display));
    post.mentions = entities::mentions(&post.text);
    post.hashtags = entities::hashtags(&post.text);
    for link in html::links(display) {
        if !link.href.contains("youtube.com/results?search_query=") {
            push_unique(&mut post.urls, link.href);
        }
    }
    for url in entities::urls(&post.text) {
        push_unique(&mut post.urls, url);
    }
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_comment_resources() {
        assert!(sniff(
            br#"{"kind": "youtube#commentThreadListResponse", "items": ["#
        ));
        assert!(sniff(br#"[{"kind": "youtube#comment", "id": "x""#));
        assert!(!sniff(br#"{"kind": "youtube#videoListResponse"}"#));
    }
}
