//! Telegram Desktop's JSON exports (`result.json`): a chat export ("Export chat history": one
//! channel, group or personal chat with its `messages`) or a whole-account export ("Export
//! Telegram data": every chat under `chats.list`, channels the account left under
//! `left_chats.list`, beside contacts and sessions, which are skipped). Both are streamed: one
//! message at a time, whatever the size of a chat or of the file. The layout follows Telegram
//! Desktop's writer (`Telegram/SourceFiles/export/output/export_output_json.cpp`): a chat's
//! `name`, `type` and `id` come before its `messages`.
//!
//! Message ids count per chat, so a post's id is `CHAT/MESSAGE` (the chat id as exported, the
//! message id): the chat scopes its messages. `conversation_id` (the thread root's id) stays
//! unknown, as a chat is no post and the export names no thread roots. Replies (`reply_to_message_id`) point into the
//! same chat. A forward (`forwarded_from`) is a reshare; the export does not name the forwarded
//! message, so `reshare_of_id` stays unknown and the forward keeps its text (the only copy in the
//! export). The author is `from_id` (`user123…`, `channel123…`) with `from` as the name; a channel
//! post without them is the channel's. `text` is a string or a list of strings and entity parts:
//! mentions, hashtags and links come from the entities (`mention`, `hashtag`, `link`,
//! `text_link`). The time is `date_unixtime`; older exports only have `date`, the exporting
//! computer's local time without an offset, read as UTC. Reactions add up to the likes. Service
//! messages (joins, pins, calls) are no posts and are skipped. The record number is the message's
//! 1-based position in the file, counted over all its chats.

use super::fields::unix_time;
use super::{Handler, contains, excerpt_of, id_of, parse_with_format, text_of};
use crate::context::{Ctx, Reject};
use crate::entities::{self, push_unique};
use crate::json_stream::{Recent, RecordGuard, Streamed};
use crate::{Format, IngestError, InputFile, Options, Post, input};
use chrono::{DateTime, Utc};
use dialoog_model::{Platform, PostKind};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Telegram,
    name: "telegram",
    description: "a Telegram Desktop export (result.json) of one chat or of the whole account: channels, groups and chats, with replies and forwards",
    example: "dialoog ingest ChatExport_2024-05-01/result.json --store case.store",
    sniff,
    read,
};

/// Chat types of Telegram Desktop's export.
const CHAT_TYPES: &[&[u8]] = &[
    b"_channel\"",
    b"_supergroup\"",
    b"_group\"",
    b"personal_chat\"",
    b"bot_chat\"",
    b"saved_messages\"",
];

/// Sections of a whole-account export (Telegram Desktop's `export_output_json.cpp`).
const ACCOUNT_SECTIONS: &[&[u8]] = &[
    b"\"personal_information\"",
    b"\"profile_pictures\"",
    b"\"contacts\"",
    b"\"frequent_contacts\"",
    b"\"chats\"",
    b"\"left_chats\"",
];

/// The sections whose `list` holds chats: chats the account is in, and channels it left.
const CHAT_SECTIONS: [&str; 2] = ["chats", "left_chats"];

fn sniff(head: &[u8]) -> bool {
    let head = input::trim_start(head);
    head.first() == Some(&b'{') && (is_single_chat(head) || is_account(head))
}

fn is_single_chat(head: &[u8]) -> bool {
    contains(head, b"\"messages\"")
        && CHAT_TYPES.iter().any(|t| contains(head, t))
        && (contains(head, b"\"from_id\"")
            || contains(head, b"\"date_unixtime\"")
            || contains(head, b"\"text_entities\"")
            || contains(head, b"\"actor_id\""))
}

/// A whole-account export starts with its `about` text, then the sections it holds; the contacts
/// may fill the first 64 KiB before any chat, so the sections' names are enough.
fn is_account(head: &[u8]) -> bool {
    let after_brace = input::trim_start(head.get(1..).unwrap_or_default());
    after_brace.starts_with(b"\"about\"") && ACCOUNT_SECTIONS.iter().any(|s| contains(head, s))
}

/// A chat, from the fields Telegram Desktop writes before its messages.
#[derive(Default)]
struct Chat {
    /// `id` as exported; empty when the export does not say (before the messages).
    id: String,
    name: String,
    kind: String,
}

impl Chat {
    fn is_channel(&self) -> bool {
        self.kind.ends_with("_channel")
    }
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    let reader = ctx.open(&file.path)?;
    let (reader, recent) = RecordGuard::new(reader, ctx.limits.max_record_bytes);
    let mut state = State {
        ctx,
        recent,
        record: 0,
        failed: None,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = (&mut de).deserialize_map(ChatVisitor {
        state: &mut state,
        top: true,
    });
    let streamed = match (state.failed.take(), result) {
        (Some(e), _) => Streamed::Failed(state.record, e),
        (None, Ok(())) => Streamed::Done(state.record),
        (None, Err(e)) => Streamed::Broken(state.record, e),
    };
    super::finish_stream(streamed, state.ctx)
}

/// Streaming through the file: the record number (the message's 1-based position in the file,
/// over all chats) and the first failure of the sink.
struct State<'c, 's> {
    ctx: &'c mut Ctx<'s>,
    recent: Recent,
    record: u64,
    failed: Option<IngestError>,
}

/// A chat object (`top`: the file itself, which is one chat or the whole account): its fields,
/// then its messages one at a time; at the top also the account's chat sections.
struct ChatVisitor<'a, 'c, 's> {
    state: &'a mut State<'c, 's>,
    top: bool,
}

impl<'de> Visitor<'de> for ChatVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Telegram chat (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut chat = Chat::default();
        while let Some(key) = map.next_key::<String>()? {
            self.state.recent.reset();
            match key.as_str() {
                "id" => chat.id = id_of_value(&map.next_value::<Value>()?).unwrap_or_default(),
                "name" => chat.name = map.next_value::<Option<String>>()?.unwrap_or_default(),
                "type" => chat.kind = map.next_value::<Option<String>>()?.unwrap_or_default(),
                "messages" => map.next_value_seed(Messages {
                    state: &mut *self.state,
                    chat: &chat,
                })?,
                section if self.top && CHAT_SECTIONS.contains(&section) => {
                    map.next_value_seed(Section {
                        state: &mut *self.state,
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for ChatVisitor<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

/// An id given as a string or an integer.
fn id_of_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `chats` or `left_chats`: `about`, and the chats in `list`.
struct Section<'a, 'c, 's> {
    state: &'a mut State<'c, 's>,
}

impl<'de> Visitor<'de> for Section<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a section with a list of chats")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            self.state.recent.reset();
            if key == "list" {
                map.next_value_seed(ChatList {
                    state: &mut *self.state,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Section<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

struct ChatList<'a, 'c, 's> {
    state: &'a mut State<'c, 's>,
}

impl<'de> Visitor<'de> for ChatList<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of chats")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.state.recent.reset();
        while seq
            .next_element_seed(ChatVisitor {
                state: &mut *self.state,
                top: false,
            })?
            .is_some()
        {
            self.state.recent.reset();
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for ChatList<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

/// A chat's messages, each read as it comes and sent on with its own bytes.
struct Messages<'a, 'c, 's, 'h> {
    state: &'a mut State<'c, 's>,
    chat: &'h Chat,
}

impl<'de> Visitor<'de> for Messages<'_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of messages")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let state = self.state;
        state.recent.reset();
        while let Some(message) = seq.next_element::<Value>()? {
            state.record += 1;
            state.ctx.raw(state.record, &state.recent.record());
            state.recent.reset();
            if let Err(e) = read_message(&message, state.record, self.chat, state.ctx) {
                state.failed = Some(e);
                return Err(de::Error::custom("stopped: the sink failed"));
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Messages<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

fn read_message(
    message: &Value,
    record: u64,
    chat: &Chat,
    ctx: &mut Ctx<'_>,
) -> Result<(), IngestError> {
    match text_of(message, "type") {
        // Joins, pins, calls, …: no posts; `unsupported` messages carry nothing.
        Some("service" | "unsupported") => Ok(()),
        _ => ctx.emit(message_to_post(message, chat), record, &|| {
            excerpt_of(message)
        }),
    }
}

fn time(m: &Value) -> Result<DateTime<Utc>, Reject> {
    if let Some(unix) = id_of(m, "date_unixtime") {
        return unix_time(&unix)
            .ok_or_else(|| Reject::field("date_unixtime", format!("unparseable time '{unix}'")));
    }
    let text = text_of(m, "date").ok_or_else(|| Reject::missing("date"))?;
    parse_with_format(text, "%Y-%m-%dT%H:%M:%S")
        .ok_or_else(|| Reject::field("date", format!("unparseable time '{text}'")))
}

fn message_to_post(m: &Value, chat: &Chat) -> Result<Post, Reject> {
    if !m.is_object() {
        return Err(Reject::new("a message that is not a JSON object"));
    }
    let number = id_of(m, "id").ok_or_else(|| Reject::missing("id"))?;
    let created_at = time(m)?;
    let from_id = id_of(m, "from_id").or_else(|| {
        (chat.is_channel() && !chat.id.is_empty()).then(|| format!("channel{}", chat.id))
    });
    let author_id = from_id.ok_or_else(|| Reject::missing("from_id"))?;
    let name = text_of(m, "from")
        .map(str::to_owned)
        .or_else(|| chat.is_channel().then(|| chat.name.clone()))
        .unwrap_or_default();
    let mut post = Post::new(
        Platform::Telegram,
        format!("{}/{number}", chat.id),
        created_at,
        author_id.clone(),
        author_id,
    );
    post.author_name = name;
    if let Some(parent) = id_of(m, "reply_to_message_id") {
        post.kind = PostKind::Reply;
        post.in_reply_to_id = Some(format!("{}/{parent}", chat.id));
    }
    if text_of(m, "forwarded_from").is_some() || m.get("forwarded_from_id").is_some() {
        post.kind = PostKind::Reshare;
    }
    fill_text(&mut post, m.get("text").unwrap_or(&Value::Null));
    let reactions = m.get("reactions").and_then(Value::as_array);
    post.likes = reactions.map(|list| {
        list.iter()
            .filter_map(|r| super::count_of(r, "count"))
            .sum()
    });
    Ok(post)
}

/// The text from a string or a list of strings and entity parts, with the entities' mentions,
/// hashtags and links.
fn fill_text(post: &mut Post, text: &Value) {
    let parts = match text {
        Value::Array(parts) => parts.as_slice(),
        Value::String(s) => {
            post.text.clone_from(s);
            post.mentions = entities::mentions(s);
            post.hashtags = entities::hashtags(s);
            post.urls = entities::urls(s);
            return;
        }
        _ => return,
    };
    for part in parts {
        match part {
            Value::String(s) => post.text.push_str(s),
            Value::Object(_) => {
                let body = text_of(part, "text").unwrap_or_default();
                post.text.push_str(body);
                match text_of(part, "type") {
                    Some("mention") => push_unique(
                        &mut post.mentions,
                        body.trim_start_matches('@').to_lowercase(),
                    ),
                    Some("hashtag") => push_unique(
                        &mut post.hashtags,
                        body.trim_start_matches('#').to_lowercase(),
                    ),
                    Some("link") => push_unique(&mut post.urls, body.to_owned()),
                    Some("text_link") => {
                        if let Some(href) = text_of(part, "href") {
                            push_unique(&mut post.urls, href.to_owned());
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_chat_exports() {
        assert!(sniff(
            br#"{ "name": "Bob", "type": "personal_chat", "id": 7, "messages": [ { "id": 1, "type": "message", "from_id": "user7""#
        ));
        assert!(!sniff(br#"{"messages": [{"id": 1}]}"#));
    }

    #[test]
    fn sniffs_whole_account_exports() {
        assert!(sniff(
            br#"{
 "about": "Here is the data you requested.",
 "personal_information": {"user_id": 1}"#
        ));
        assert!(sniff(
            br#"{"about": "", "chats": {"about": "", "list": []}}"#
        ));
        assert!(!sniff(br#"{"about": "a page", "id": "1"}"#));
        assert!(!sniff(br#"{"data": [], "about": "", "chats": 1}"#));
    }

    #[test]
    fn text_parts_join_and_give_their_entities() {
        let text: Value = serde_json::from_str(
            r##"[{"type": "link", "text": "https://google.com"}, " 👀 ", {"type": "mention", "text": "@Gemeente"}, " ", {"type": "hashtag", "text": "#Zwolle"}, {"type": "text_link", "text": "hier", "href": "https://example.org/a"}]"##,
        )
        .unwrap();
        let mut post = Post::new(
            Platform::Telegram,
            "1/1",
            DateTime::<Utc>::MIN_UTC,
            "u",
            "u",
        );
        fill_text(&mut post, &text);
        assert_eq!(post.text, "https://google.com 👀 @Gemeente #Zwollehier");
        assert_eq!(post.mentions, ["gemeente"]);
        assert_eq!(post.hashtags, ["zwolle"]);
        assert_eq!(post.urls, ["https://google.com", "https://example.org/a"]);
    }
}
