//! A Mastodon account export: ActivityStreams `outbox.json` (one big object whose `orderedItems`
//! are the activities), read from the file itself, from the export folder holding it, or from the
//! archive `.tar.gz` (the member is read from the tar stream). The items are streamed one at a time.
//!
//! `Create` of a `Note` (or another object) is a post, or a reply when it has `inReplyTo` (whose
//! author is the actor URL when the parent's URL is in Mastodon's `/users/NAME/statuses/ID` form);
//! `Announce` is a reshare of the object it names, with empty text. Counts are not in the export
//! and stay unknown. The record number is the activity's 1-based position in `orderedItems`.
//!
//! The archive's `actor.json` (beside `outbox.json`, or anywhere in the archive) is the account's
//! profile: the posts of that actor get its `preferredUsername` as handle, its `name`, and its
//! followers when the actor gives a count (`followers.totalItems`; Mastodon's export gives only the
//! collection's URL, so followers mostly stay unknown). Without it, or when it cannot be read, the
//! handle is the last segment of the actor URL and the name stays empty.

use super::{Handler, contains, count_of, id_of, parse_rfc3339, text_of};
use crate::context::{Ctx, Reject};
use crate::entities::push_unique;
use crate::json_stream::{Streamed, for_each_item_raw};
use crate::{Format, IngestError, InputFile, Options, Post, html, input};
use dialoog_model::{Platform, PostKind};
use serde_json::Value;
use std::io::Read;
use std::path::Path;

pub(crate) const OUTBOX: &str = "outbox.json";
const ACTOR: &str = "actor.json";
/// Longest `actor.json` read, in bytes (it is one small object).
const ACTOR_BYTES: u64 = 1 << 20;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::MastodonOutbox,
    name: "mastodon-outbox",
    description: "a Mastodon account export: outbox.json, its folder, or the archive .tar.gz",
    example: "dialoog ingest archive-20221204.tar.gz --store case.store",
    sniff,
    read,
};

fn sniff(head: &[u8]) -> bool {
    let head = input::trim_start(head);
    head.first() == Some(&b'{')
        && (contains(head, b"\"orderedItems\"") || contains(head, b"\"OrderedCollection\""))
}

/// Whether decompressed bytes start like a tar archive.
pub(crate) fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
}

fn is_outbox(member: &Path) -> bool {
    member.file_name().is_some_and(|n| n == OUTBOX)
}

fn is_actor(member: &Path) -> bool {
    member.file_name().is_some_and(|n| n == ACTOR)
}

/// The archive owner's profile, from `actor.json`.
#[derive(Debug, Default, PartialEq)]
struct Profile {
    id: String,
    handle: String,
    name: String,
    followers: Option<u64>,
}

impl Profile {
    /// The profile in the (first [`ACTOR_BYTES`] of the) bytes; `None` when they hold no actor.
    fn read(reader: impl Read) -> Option<Profile> {
        let mut bytes = Vec::new();
        reader.take(ACTOR_BYTES).read_to_end(&mut bytes).ok()?;
        let actor: Value = serde_json::from_slice(&bytes).ok()?;
        let id = text_of(&actor, "id")?.to_owned();
        Some(Profile {
            handle: text_of(&actor, "preferredUsername")
                .map_or_else(|| handle_of(&id), str::to_owned),
            name: text_of(&actor, "name").unwrap_or_default().to_owned(),
            followers: actor
                .get("followers")
                .and_then(|f| count_of(f, "totalItems")),
            id,
        })
    }

    /// Gives the owner's posts the profile.
    fn apply(&self, mut post: Post) -> Post {
        if post.author_id == self.id {
            post.author_handle.clone_from(&self.handle);
            post.author_name.clone_from(&self.name);
            post.author_followers = self.followers;
        }
        post
    }
}

/// `actor.json` in a (gzipped) tar archive.
fn archive_profile(path: &Path) -> Result<Option<Profile>, IngestError> {
    Ok(find_member(path, is_actor, |entry, _| Profile::read(entry))?.flatten())
}

/// The path of the `outbox.json` member of a (gzipped) tar archive, if it has one.
pub(crate) fn archive_member(path: &Path) -> Result<Option<String>, IngestError> {
    find_member(path, is_outbox, |_, member| member.display().to_string())
}

/// Passes the first member of a (gzipped) tar archive that `wanted` accepts, with its path, to
/// `take`.
fn find_member<T>(
    path: &Path,
    wanted: fn(&Path) -> bool,
    take: impl FnOnce(tar::Entry<'_, Box<dyn std::io::BufRead>>, &Path) -> T,
) -> Result<Option<T>, IngestError> {
    let (reader, _) = input::open(path)?;
    // Walking the entries decompresses the archive: within the default limits.
    let mut archive = tar::Archive::new(reader);
    let entries = archive.entries().map_err(|e| IngestError::io(path, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| IngestError::io(path, e))?;
        let member = entry
            .path()
            .map_err(|e| IngestError::io(path, e))?
            .into_owned();
        if wanted(&member) {
            return Ok(Some(take(entry, &member)));
        }
    }
    Ok(None)
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    let path = if file.path.is_dir() {
        file.path.join(OUTBOX)
    } else {
        file.path.clone()
    };
    ctx.source = path.display().to_string().into();
    let mut reader = ctx.open(&path)?;
    let head = match reader.fill_buf_head() {
        Ok(head) => head,
        Err(e) => return ctx.unreadable(1, &e),
    };
    if !is_tar(&head) {
        let beside = path.with_file_name(ACTOR);
        let profile = std::fs::File::open(&beside).ok().and_then(Profile::read);
        return stream(reader, ctx, profile.as_ref());
    }
    let profile = archive_profile(&path)?;
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(e) => return ctx.unreadable(1, &e),
    };
    for entry in entries {
        let member = entry.and_then(|entry| {
            let member = entry.path()?.into_owned();
            Ok((entry, member))
        });
        let (entry, member) = match member {
            Ok(found) => found,
            Err(e) => return ctx.unreadable(1, &e),
        };
        if is_outbox(&member) {
            ctx.source = format!("{}!{}", path.display(), member.display()).into();
            return stream(entry, ctx, profile.as_ref());
        }
    }
    Err(IngestError::Archive {
        path,
        message: format!("the archive holds no {OUTBOX}"),
    })
}

/// Peeks at the first bytes of a buffered reader without consuming them.
trait PeekHead {
    fn fill_buf_head(&mut self) -> std::io::Result<Vec<u8>>;
}

impl PeekHead for Box<dyn std::io::BufRead> {
    fn fill_buf_head(&mut self) -> std::io::Result<Vec<u8>> {
        let buf = self.fill_buf()?;
        Ok(buf.get(..buf.len().min(512)).unwrap_or(buf).to_vec())
    }
}

fn stream(
    reader: impl Read,
    ctx: &mut Ctx<'_>,
    profile: Option<&Profile>,
) -> Result<(), IngestError> {
    let streamed = for_each_item_raw(
        std::io::BufReader::new(reader),
        Some("orderedItems"),
        ctx.limits.max_record_bytes,
        &mut |record, item, raw| {
            ctx.raw(record, raw);
            let post = activity_to_post(&item).map(|post| match profile {
                Some(profile) => profile.apply(post),
                None => post,
            });
            ctx.emit(post, record, &|| super::excerpt_of(&item))
        },
    );
    match streamed {
        Streamed::Done(_) => Ok(()),
        Streamed::Failed(_, e) => Err(e),
        Streamed::Broken(count, e) if e.is_io() => {
            ctx.unreadable(count + 1, &std::io::Error::from(e))
        }
        Streamed::Broken(count, e) => ctx.quarantine(
            count + 1,
            Reject::new(format!(
                "{}: the rest of the file cannot be read ({e})",
                if e.is_eof() {
                    "truncated JSON"
                } else {
                    "invalid JSON"
                }
            )),
            b"",
        ),
    }
}

/// The handle in an actor URL: its last path segment without `@`
/// (`https://indieweb.social/users/dealingwith` → `dealingwith`).
fn handle_of(actor: &str) -> String {
    actor
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(actor)
        .trim_start_matches('@')
        .to_owned()
}

/// The actor of a status in Mastodon's URL scheme
/// (`https://social.lol/users/mcg/statuses/109308078398027392` → `https://social.lol/users/mcg`);
/// `None` for other schemes, whose author cannot be told from the URL.
fn actor_of_status(status: &str) -> Option<String> {
    let (actor, id) = status.rsplit_once("/statuses/")?;
    let valid = !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && actor.starts_with("http")
        && actor.contains("/users/");
    valid.then(|| actor.to_owned())
}

/// An id given as a string or as an object with an `id`.
fn ref_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::Object(_) => v.get(key).and_then(|o| id_of(o, "id")),
        _ => id_of(v, key),
    }
}

/// Maps one outbox activity.
pub(crate) fn activity_to_post(a: &Value) -> Result<Post, Reject> {
    if !a.is_object() {
        return Err(Reject::new("an activity that is not a JSON object"));
    }
    match text_of(a, "type") {
        Some("Create") => create(a),
        Some("Announce") => announce(a),
        Some(other) => Err(Reject::field(
            "type",
            format!("activity type '{other}' is not a post"),
        )),
        None => Err(Reject::missing("type")),
    }
}

fn announce(a: &Value) -> Result<Post, Reject> {
    let id = id_of(a, "id").ok_or_else(|| Reject::missing("id"))?;
    let created_at = time(a, a)?;
    let actor = ref_of(a, "actor").ok_or_else(|| Reject::missing("actor"))?;
    let handle = handle_of(&actor);
    let mut post = Post::new(Platform::Mastodon, id, created_at, actor, handle);
    post.kind = PostKind::Reshare;
    post.reshare_of_id = Some(ref_of(a, "object").ok_or_else(|| Reject::missing("object"))?);
    Ok(post)
}

fn time(object: &Value, activity: &Value) -> Result<chrono::DateTime<chrono::Utc>, Reject> {
    let text = text_of(object, "published")
        .or_else(|| text_of(activity, "published"))
        .ok_or_else(|| Reject::missing("published"))?;
    parse_rfc3339(text)
        .ok_or_else(|| Reject::field("published", format!("unparseable time '{text}'")))
}

fn create(a: &Value) -> Result<Post, Reject> {
    let object = a
        .get("object")
        .filter(|o| o.is_object())
        .ok_or_else(|| Reject::field("object", "a Create without an object"))?;
    let id = id_of(object, "id").ok_or_else(|| Reject::missing("object.id"))?;
    let created_at = time(object, a)?;
    let author = ref_of(object, "attributedTo")
        .or_else(|| ref_of(a, "actor"))
        .ok_or_else(|| Reject::missing("actor"))?;
    let handle = handle_of(&author);
    let mut post = Post::new(Platform::Mastodon, id, created_at, author, handle);
    post.url = text_of(object, "url")
        .map(str::to_owned)
        .or_else(|| Some(post.id.clone()));
    post.in_reply_to_id = ref_of(object, "inReplyTo");
    post.in_reply_to_author_id = post.in_reply_to_id.as_deref().and_then(actor_of_status);
    post.quote_of_id = ref_of(object, "quoteUri").or_else(|| ref_of(object, "quoteUrl"));
    post.kind = super::twarc2::kind(&post);
    post.conversation_id = text_of(object, "conversation").map(str::to_owned);
    if let Some(map) = object.get("contentMap").and_then(Value::as_object)
        && map.len() == 1
    {
        post.lang = map.keys().next().cloned();
    }
    let content = text_of(object, "content").unwrap_or_default();
    post.text = html::to_text(content);
    let mut tag_hrefs = Vec::new();
    for tag in object
        .get("tag")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = text_of(tag, "name").unwrap_or_default();
        if let Some(href) = text_of(tag, "href") {
            tag_hrefs.push(href.to_owned());
        }
        match text_of(tag, "type") {
            Some("Mention") => {
                let handle = name.trim_start_matches('@');
                let handle = if handle.is_empty() {
                    text_of(tag, "href").map(handle_of).unwrap_or_default()
                } else {
                    handle.to_owned()
                };
                push_unique(&mut post.mentions, handle.to_lowercase());
            }
            Some("Hashtag") => {
                push_unique(
                    &mut post.hashtags,
                    name.trim_start_matches('#').to_lowercase(),
                );
            }
            _ => {}
        }
    }
    for link in html::links(content) {
        let is_tag = link
            .class
            .split_whitespace()
            .any(|c| c == "mention" || c == "hashtag")
            || tag_hrefs.contains(&link.href);
        if !is_tag {
            push_unique(&mut post.urls, link.href);
        }
    }
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of dealingwith/masto-archive @9e988f1b `actor.json` that Dialoog reads.
    const ACTOR_JSON: &str = r#"{"id":"https://indieweb.social/users/dealingwith","type":"Person","followers":"https://indieweb.social/users/dealingwith/followers","outbox":"outbox.json","preferredUsername":"dealingwith","name":"dealingwith","url":"https://indieweb.social/@dealingwith","published":"2022-11-07T00:00:00Z"}"#;

    #[test]
    fn the_profile_goes_to_the_owners_posts_only() {
        let profile = Profile::read(ACTOR_JSON.as_bytes()).unwrap();
        assert_eq!(profile.handle, "dealingwith");
        assert_eq!(profile.followers, None, "only the collection's URL");
        let time = chrono::DateTime::<chrono::Utc>::MIN_UTC;
        let own = Post::new(Platform::Mastodon, "a", time, profile.id.clone(), "x");
        let own = profile.apply(own);
        assert_eq!(
            (own.author_handle.as_str(), own.author_name.as_str()),
            ("dealingwith", "dealingwith")
        );
        let other = profile.apply(Post::new(
            Platform::Mastodon,
            "b",
            time,
            "https://x/users/y",
            "y",
        ));
        assert_eq!(other.author_handle, "y");

        let counted = Profile::read(
            &br#"{"id": "https://a/users/b", "name": "Gemeente B", "followers": {"type": "OrderedCollection", "totalItems": 1234}}"#[..],
        )
        .unwrap();
        assert_eq!(
            (counted.handle.as_str(), counted.followers),
            ("b", Some(1234))
        );
        assert_eq!(
            Profile::read(&b"{\"type\": \"Person\"}"[..]),
            None,
            "no id: no actor"
        );
        assert_eq!(Profile::read(&b"not json"[..]), None);
    }
}
