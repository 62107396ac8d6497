//! YouTube Data Tools' comment CSV (the Video Info / Video Comments module), recognised by its
//! header: the classic tool's columns (`id, replyCount, likeCount, publishedAt, authorName, text,
//! authorChannelId, authorChannelUrl, isReply, isReplyTo, isReplyToName`) and version 2's
//! (`videoId, id, totalReplyCount, …, isReplyToId, isReplyToName`).
//!
//! Every row is a comment: a reply answers `isReplyTo`/`isReplyToId` (version 2 resolves nested
//! replies from their @mention), a top-level comment answers the video when the file names it
//! (`videoId`; the classic export does not, so its top-level comments answer nothing known). The
//! video is the conversation. `publishedAt` is UTC (`2022-11-11 05:30:01`; ISO 8601 is read too).
//! The author id is the channel id, else the name. The record number is the line (the header is
//! line 1).

use super::csv::{has_columns, read_named, sniff_header};
use super::fields::{Fields, utc_time};
use super::{Handler, parse_rfc3339};
use crate::context::{Ctx, Reject};
use crate::entities;
use crate::{Format, IngestError, InputFile, Options, Post};
use chrono::{DateTime, Utc};
use dialoog_model::{Platform, PostKind};

pub(crate) const HANDLER: Handler = Handler {
    format: Format::YoutubeDataTools,
    name: "ytdt-comments",
    description: "YouTube Data Tools comment CSV (classic and version 2), recognised by the header",
    example: "dialoog ingest videoinfo_comments.csv --store case.store",
    sniff,
    read,
};

fn sniff(head: &[u8]) -> bool {
    sniff_header(head).is_some_and(|h| {
        has_columns(&h, &["id", "publishedAt", "authorName", "text"])
            && (has_columns(&h, &["isReplyTo"]) || has_columns(&h, &["isReplyToId"]))
    })
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    read_named(file, ctx, to_post)
}

fn time(text: &str) -> Option<DateTime<Utc>> {
    utc_time(text).or_else(|| parse_rfc3339(text))
}

fn to_post(row: &dyn Fields) -> Result<Post, Reject> {
    let id = row.required_id("id")?;
    let created_at = row.time("publishedAt", time)?;
    let name = row.text("authorName")?.unwrap_or_default().into_owned();
    let author_id = match row.text("authorChannelId")? {
        Some(channel) => channel.into_owned(),
        None if !name.is_empty() => name.clone(),
        None => return Err(Reject::missing("authorName")),
    };
    let handle = name.trim_start_matches('@').to_owned();
    let mut post = Post::new(Platform::Youtube, id, created_at, author_id, handle);
    post.author_name = name;
    post.kind = PostKind::Comment;
    let video = row.id("videoId")?;
    post.conversation_id.clone_from(&video);
    post.in_reply_to_id = row
        .first(&["isReplyToId", "isReplyTo"])?
        .map(|p| p.into_owned());
    if post.in_reply_to_id.is_none() {
        post.in_reply_to_id.clone_from(&video);
        post.replies = row.count("totalReplyCount")?.or(row.count("replyCount")?);
    }
    post.likes = row.count("likeCount")?;
    post.url = video.map(|v| format!("https://www.youtube.com/watch?v={v}&lc={}", post.id));
    post.text = row.text("text")?.unwrap_or_default().into_owned();
    entities::fill_from_text(&mut post);
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_both_generations_of_the_header() {
        assert!(sniff(
            b"id,replyCount,likeCount,publishedAt,authorName,text,authorChannelId,authorChannelUrl,isReply,isReplyTo,isReplyToName\n"
        ));
        assert!(sniff(
            b"videoId,id,totalReplyCount,inferredReplyCount,inferredLevel,likeCount,publishedAt,authorName,authorChannelId,isChannelOwner,text,isReply,threadId,isReplyToId,isReplyToName\n"
        ));
        assert!(!sniff(b"id,publishedAt,authorName,text\n"));
    }
}
