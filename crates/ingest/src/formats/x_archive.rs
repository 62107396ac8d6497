//! An X/Twitter account archive ("Download an archive of your data"): `data/tweets.js`, and
//! `data/tweets-part1.js`, … for big accounts. Each file is JavaScript, one assignment of a JSON
//! array (`window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]`); the wrapper is skipped and the
//! array streamed item by item. Read from the file itself, from the archive folder (or its `data`
//! folder) — every tweets part is one input — or from the archive `.zip` as a whole (its tweets
//! parts are streamed out of the zip, one after the other).
//!
//! The tweets carry no author: the archive's own account is taken from `account.js` beside the
//! tweets file (or in the zip), `accountId` and `username`. Without it the author is
//! [`UNKNOWN_OWNER`] with an empty handle, so all tweets of one archive still share an author.
//!
//! A tweet whose text starts with `RT @name:` is a reshare with empty text; the archive does not
//! say the retweeted tweet's id, so `reshare_of_id` stays unknown and the retweeted account is the
//! first mention. Counts are strings in the archive and are read as numbers. The record number is
//! the tweet's 1-based position in its file.

use super::{Handler, count_of, excerpt_of, id_of, parse_twitter_time, required_time, text_of};
use crate::context::{Ctx, Reject};
use crate::entities::{language, push_unique, unescape_twitter};
use crate::json_stream::{for_each_item, for_each_item_raw};
use crate::{Format, IngestError, InputFile, Options, Post, input};
use dialoog_model::{Platform, PostKind};
use serde_json::Value;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub(crate) const HANDLER: Handler = Handler {
    format: Format::XArchive,
    name: "x-archive",
    description: "an X/Twitter account archive: data/tweets.js (window.YTD.tweets.part0 = [...]), the archive folder, or the archive .zip",
    example: "dialoog ingest twitter-2022-11-01.zip --store case.store",
    sniff,
    read,
};

/// The author id of an archive's tweets when the archive has no `account.js`.
pub const UNKNOWN_OWNER: &str = "archive-owner";

const ACCOUNT: &str = "account.js";
/// Longest `account.js` read, in bytes (it is one small object).
const ACCOUNT_BYTES: u64 = 1 << 20;
/// Longest wrapper before the array (`window.YTD.tweets.part12 = `).
const WRAPPER_BYTES: usize = 256;

/// The start of a tweets file: `window.YTD.tweets.partN =` (or `window.YTD.tweet.partN =` in
/// archives from before 2020). Other archive files (`tweet_headers.js`, `tweetdeck.js`,
/// `account.js`, …) do not match.
fn sniff(head: &[u8]) -> bool {
    tweets_wrapper(input::trim_start(head))
}

fn tweets_wrapper(head: &[u8]) -> bool {
    let rest = head
        .strip_prefix(b"window.YTD.tweets.part")
        .or_else(|| head.strip_prefix(b"window.YTD.tweet.part"));
    let Some(rest) = rest else { return false };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0
        && rest
            .get(digits..)
            .is_some_and(|r| input::trim_start(r).starts_with(b"="))
}

/// The part number of a tweets file name: 0 for `tweets.js`, N for `tweets-partN.js`.
fn part_number(name: &str) -> u64 {
    name.rsplit_once("-part")
        .and_then(|(_, n)| n.strip_suffix(".js"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Sorts tweets files by folder, then part number (`tweets.js` before `tweets-part1.js`).
fn sort_parts(parts: &mut [String]) {
    parts.sort_by_cached_key(|p| {
        let (dir, name) = p.rsplit_once('/').unwrap_or(("", p));
        (dir.to_owned(), part_number(name), name.to_owned())
    });
}

/// Whether a file name is a tweets part: `tweets.js`, `tweets-part1.js`, `tweet.js`.
fn is_tweets_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".js") else {
        return false;
    };
    let rest = stem
        .strip_prefix("tweets")
        .or_else(|| stem.strip_prefix("tweet"));
    match rest {
        Some("") => true,
        Some(rest) => rest
            .strip_prefix("-part")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

/// The tweets parts of an archive folder (the folder itself or its `data` folder), sorted; empty
/// when the folder is not an archive.
pub(crate) fn folder_parts(dir: &Path) -> Vec<PathBuf> {
    for data in [dir.join("data"), dir.to_owned()] {
        let Ok(entries) = std::fs::read_dir(&data) else {
            continue;
        };
        let mut parts: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_name().to_str().is_some_and(is_tweets_name))
            .filter(|e| e.path().is_file() && input::head(&e.path(), 64).is_ok_and(|h| sniff(&h)))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        if !parts.is_empty() {
            sort_parts(&mut parts);
            return parts.into_iter().map(|name| data.join(name)).collect();
        }
    }
    Vec::new()
}

/// Whether bytes start like a zip archive.
pub(crate) fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
}

fn is_account_member(name: &str) -> bool {
    name.rsplit('/').next() == Some(ACCOUNT)
}

fn is_tweets_member(name: &str) -> bool {
    name.rsplit('/').next().is_some_and(is_tweets_name)
}

type Zip = zip::ZipArchive<BufReader<input::Counting<File>>>;

fn open_zip(path: &Path) -> Result<(Zip, input::Counter), IngestError> {
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    let (file, counter) = input::counting(file);
    let archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| IngestError::Archive {
        path: path.to_owned(),
        message: format!("not a readable zip archive: {e}"),
    })?;
    Ok((archive, counter))
}

/// The names of a zip archive's members (those with a readable name).
fn member_names(archive: &Zip) -> Vec<String> {
    archive
        .file_names()
        .flatten()
        .map(|n| n.into_owned())
        .collect()
}

/// The tweets members of a zip archive, sorted by name.
pub(crate) fn zip_parts(path: &Path) -> Result<Vec<String>, IngestError> {
    let (archive, _) = open_zip(path)?;
    let mut parts: Vec<String> = member_names(&archive)
        .into_iter()
        .filter(|n| is_tweets_member(n))
        .collect();
    sort_parts(&mut parts);
    Ok(parts)
}

/// The archive's own account: (id, handle, display name).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Owner {
    id: String,
    handle: String,
    name: String,
}

impl Owner {
    fn unknown() -> Owner {
        Owner {
            id: UNKNOWN_OWNER.to_owned(),
            handle: String::new(),
            name: String::new(),
        }
    }
}

/// Reads `account.js`; `None` when it holds no account id.
fn read_owner(reader: impl Read) -> Option<Owner> {
    let mut reader = BufReader::new(reader.take(ACCOUNT_BYTES));
    skip_wrapper(&mut reader).ok()?.ok()?;
    let mut owner = None;
    let _ = for_each_item::<_, ()>(reader, None, &mut |_, item| {
        let account = item.get("account").unwrap_or(&item);
        if owner.is_none()
            && let Some(id) = id_of(account, "accountId")
        {
            owner = Some(Owner {
                id,
                handle: text_of(account, "username")
                    .unwrap_or_default()
                    .trim_start_matches('@')
                    .to_owned(),
                name: text_of(account, "accountDisplayName")
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
        Ok(())
    });
    owner
}

/// Consumes everything before the array's `[` (`window.YTD.tweets.part0 = `); the inner `Err`
/// says why the file does not start so.
fn skip_wrapper(reader: &mut impl BufRead) -> std::io::Result<Result<(), String>> {
    let mut wrapper = Vec::new();
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(Err(
                "no JSON array after 'window.YTD.<name>.part<N> ='".into()
            ));
        }
        if let Some(at) = buf.iter().position(|b| *b == b'[') {
            wrapper.extend_from_slice(buf.get(..at).unwrap_or_default());
            reader.consume(at);
            break;
        }
        let n = buf.len();
        wrapper.extend_from_slice(buf);
        reader.consume(n);
        if wrapper.len() > WRAPPER_BYTES {
            break;
        }
    }
    let wrapper = input::trim_start(&wrapper);
    let valid = wrapper.len() <= WRAPPER_BYTES
        && wrapper.starts_with(b"window.YTD.")
        && wrapper.trim_ascii_end().ends_with(b"=");
    Ok(if valid {
        Ok(())
    } else {
        Err("not an archive file: expected 'window.YTD.<name>.part<N> = [' at the start".into())
    })
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    let head = input::head(&file.path, 8)?;
    if is_zip(&head) {
        return read_zip(&file.path, ctx);
    }
    let owner = file
        .path
        .parent()
        .map(|dir| dir.join(ACCOUNT))
        .filter(|p| p.is_file())
        .and_then(|p| input::open(&p).ok())
        .and_then(|(reader, _)| read_owner(reader))
        .unwrap_or_else(Owner::unknown);
    let reader = ctx.open(&file.path)?;
    stream(reader, &owner, ctx)
}

fn read_zip(path: &Path, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    let (mut archive, counter) = open_zip(path)?;
    ctx.watch(counter);
    let zip_error = |e: zip::result::ZipError| IngestError::Archive {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let mut account = None;
    let mut parts = Vec::new();
    for name in member_names(&archive) {
        if is_account_member(&name) && account.is_none() {
            account = Some(name);
        } else if is_tweets_member(&name) {
            parts.push(name);
        }
    }
    sort_parts(&mut parts);
    if parts.is_empty() {
        return Err(IngestError::Archive {
            path: path.to_owned(),
            message: "the zip archive holds no data/tweets.js".into(),
        });
    }
    let owner = match account {
        Some(name) => {
            let member = archive.by_name(&name).map_err(zip_error)?;
            read_owner(member)
        }
        None => None,
    }
    .unwrap_or_else(Owner::unknown);
    for name in parts {
        ctx.source = format!("{}!{}", path.display(), name).into();
        let member = archive.by_name(&name).map_err(zip_error)?;
        // Deflate expands at most about 1032×: bounded like gzip, against the member's own
        // compressed size (the declared sizes could lie, the bytes that come out cannot).
        let compressed = input::Counter::new(std::cell::Cell::new(member.compressed_size()));
        let bounded = input::Bounded::new(member, compressed, ctx.limits, "zip member");
        let reader = BufReader::with_capacity(64 * 1024, bounded);
        stream(Box::new(reader), &owner, ctx)?;
    }
    Ok(())
}

fn stream(
    mut reader: Box<dyn BufRead + '_>,
    owner: &Owner,
    ctx: &mut Ctx<'_>,
) -> Result<(), IngestError> {
    let start = reader.fill_buf().map(<[u8]>::to_vec).unwrap_or_default();
    match skip_wrapper(&mut reader) {
        Ok(Ok(())) => {}
        Ok(Err(reason)) => {
            let end = start.len().min(200);
            return ctx.quarantine(1, Reject::new(reason), start.get(..end).unwrap_or_default());
        }
        Err(e) => return ctx.unreadable(1, &e),
    }
    let max_record = ctx.limits.max_record_bytes;
    let streamed = for_each_item_raw(reader, None, max_record, &mut |record, item, raw| {
        ctx.raw(record, raw);
        let tweet = item.get("tweet").unwrap_or(&item);
        ctx.emit(tweet_to_post(tweet, owner), record, &|| excerpt_of(&item))
    });
    super::finish_stream(streamed, ctx)
}

/// Maps one archive tweet, written by `owner`.
fn tweet_to_post(t: &Value, owner: &Owner) -> Result<Post, Reject> {
    if !t.is_object() {
        return Err(Reject::new("a tweet that is not a JSON object"));
    }
    let id = id_of(t, "id_str")
        .or_else(|| id_of(t, "id"))
        .ok_or_else(|| Reject::missing("id_str"))?;
    let created_at = required_time(t, "created_at", parse_twitter_time)?;
    let mut post = Post::new(
        Platform::Twitter,
        id,
        created_at,
        owner.id.clone(),
        owner.handle.clone(),
    );
    post.author_name.clone_from(&owner.name);
    post.url = Some(if owner.handle.is_empty() {
        format!("https://twitter.com/i/web/status/{}", post.id)
    } else {
        format!("https://twitter.com/{}/status/{}", owner.handle, post.id)
    });
    let text = text_of(t, "full_text")
        .or_else(|| text_of(t, "text"))
        .unwrap_or_default();
    let entities = t.get("entities");
    let media = t.get("extended_entities").and_then(|e| e.get("media"));
    let retweet = text.starts_with("RT @");
    fill_entities(&mut post, text, entities, media);
    if retweet {
        post.kind = PostKind::Reshare;
        post.text.clear();
        post.urls.clear();
        post.hashtags.clear();
        // The retweeted account is the one after "RT @"; keep only it.
        let retweeted = text
            .get(4..)
            .map(|r| {
                r.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
                    .to_lowercase()
            })
            .unwrap_or_default();
        post.mentions.retain(|m| *m == retweeted);
        push_unique(&mut post.mentions, retweeted);
    } else {
        post.in_reply_to_id =
            id_of(t, "in_reply_to_status_id_str").or_else(|| id_of(t, "in_reply_to_status_id"));
        if post.in_reply_to_id.is_some() {
            post.in_reply_to_author_id =
                id_of(t, "in_reply_to_user_id_str").or_else(|| id_of(t, "in_reply_to_user_id"));
            post.kind = PostKind::Reply;
        }
        if post.in_reply_to_id.is_none() && t.get("quoted_status_id_str").is_some() {
            post.quote_of_id = id_of(t, "quoted_status_id_str");
            post.kind = PostKind::Quote;
        }
    }
    post.lang = language(text_of(t, "lang"));
    post.likes = count_of(t, "favorite_count");
    post.reshares = count_of(t, "retweet_count");
    Ok(post)
}

fn fill_entities(post: &mut Post, raw: &str, entities: Option<&Value>, media: Option<&Value>) {
    let mut text = unescape_twitter(raw);
    let list = |key: &str| {
        entities
            .and_then(|e| e.get(key))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    let media = media
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_else(|| list("media"));
    for url in list("urls").iter().chain(media) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_only_tweets_files() {
        assert!(sniff(b"window.YTD.tweets.part0 = [ {"));
        assert!(sniff(b"\xef\xbb\xbfwindow.YTD.tweets.part12 =["));
        assert!(sniff(b"window.YTD.tweet.part0 = ["));
        assert!(!sniff(b"window.YTD.tweet_headers.part0 = ["));
        assert!(!sniff(b"window.YTD.tweetdeck.part0 = ["));
        assert!(!sniff(b"window.YTD.account.part0 = ["));
        assert!(!sniff(b"window.YTD.tweets.part = ["));
    }

    #[test]
    fn parts_sort_by_number() {
        let mut parts: Vec<String> = [
            "data/tweets-part10.js",
            "data/tweets-part2.js",
            "data/tweets.js",
        ]
        .map(String::from)
        .to_vec();
        sort_parts(&mut parts);
        assert_eq!(
            parts,
            [
                "data/tweets.js",
                "data/tweets-part2.js",
                "data/tweets-part10.js"
            ]
        );
    }

    #[test]
    fn tweets_file_names() {
        for name in [
            "tweets.js",
            "tweets-part1.js",
            "tweet.js",
            "tweets-part12.js",
        ] {
            assert!(is_tweets_name(name), "{name}");
        }
        for name in [
            "tweet-headers.js",
            "tweetdeck.js",
            "tweets-part.js",
            "tweets.json",
        ] {
            assert!(!is_tweets_name(name), "{name}");
        }
        assert!(is_tweets_member("twitter-2022/data/tweets.js"));
        assert!(is_account_member("data/account.js"));
    }

    #[test]
    fn reads_the_owner_from_account_js() {
        let js = br#"window.YTD.account.part0 = [ { "account" : { "email" : "a@b.c", "createdVia" : "web", "username" : "jane_doe", "accountId" : "1234", "createdAt" : "2009-01-01T00:00:00.000Z", "accountDisplayName" : "Jane Doe" } } ]"#;
        let owner = read_owner(&js[..]).unwrap();
        assert_eq!(
            owner,
            Owner {
                id: "1234".into(),
                handle: "jane_doe".into(),
                name: "Jane Doe".into()
            }
        );
        assert!(read_owner(&b"var x = 1;"[..]).is_none());
        assert!(read_owner(&b"window.YTD.account.part0 = [ {} ]"[..]).is_none());
    }
}
