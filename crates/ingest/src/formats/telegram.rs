//! A Telegram Desktop chat export (`result.json` of "Export chat history" as JSON): one chat — a
//! channel, a group or a personal chat — with its `messages` streamed one at a time. The chat's
//! `name`, `type` and `id` come before the messages (as Telegram Desktop writes them) and are read
//! from the start of the file.
//!
//! Message ids count per chat, so a post's id is `CHAT/MESSAGE` (the chat id as exported, the
//! message id); replies (`reply_to_message_id`) point into the same chat. A forward
//! (`forwarded_from`) is a reshare; the export does not name the forwarded message, so
//! `reshare_of_id` stays unknown and the forward keeps its text (the only copy in the export). The
//! author is `from_id` (`user123…`, `channel123…`) with `from` as the name; a channel post without
//! them is the channel's. `text` is a string or a list of strings and entity parts: mentions,
//! hashtags and links come from the entities (`mention`, `hashtag`, `link`, `text_link`). The time
//! is `date_unixtime`; older exports only have `date`, the exporting computer's local time without
//! an offset, read as UTC. Reactions add up to the likes. Service messages (joins, pins, calls) are
//! no posts and are skipped. The record number is the message's 1-based position in `messages`.
//!
//! A whole-account export (`chats.list`) is refused with a message: export the chats one by one.

use super::fields::unix_time;
use super::{Handler, contains, excerpt_of, id_of, parse_with_format, text_of};
use crate::context::{Ctx, Reject};
use crate::entities::{self, push_unique};
use crate::json_stream::for_each_item_raw;
use crate::{Format, IngestError, InputFile, Options, Post, input};
use chrono::{DateTime, Utc};
use dialoog_model::{Platform, PostKind};
use serde_json::Value;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Telegram,
    name: "telegram",
    description: "a Telegram Desktop chat export (result.json): channels, groups and chats, with replies and forwards",
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

fn sniff(head: &[u8]) -> bool {
    let head = input::trim_start(head);
    head.first() == Some(&b'{')
        && contains(head, b"\"messages\"")
        && CHAT_TYPES.iter().any(|t| contains(head, t))
        && (contains(head, b"\"from_id\"")
            || contains(head, b"\"date_unixtime\"")
            || contains(head, b"\"text_entities\"")
            || contains(head, b"\"actor_id\""))
}

/// The chat a file holds, from the fields before its messages.
#[derive(Default)]
struct Chat {
    /// `id` as exported; empty when the start of the file does not say.
    id: String,
    name: String,
    kind: String,
}

impl Chat {
    fn is_channel(&self) -> bool {
        self.kind.ends_with("_channel")
    }
}

/// The chat's fields: the start of the file up to `"messages"`, closed and parsed.
fn chat_of(head: &[u8]) -> Result<Chat, &'static str> {
    let head = input::trim_start(head);
    if contains(head, b"\"personal_information\"") || contains(head, b"\"chats\"") {
        return Err(
            "a whole-account Telegram export (chats.list): Dialoog reads one chat per file; export each chat with 'Export chat history' (JSON)",
        );
    }
    let Some(at) = head.windows(10).position(|w| w == b"\"messages\"") else {
        return Ok(Chat::default());
    };
    let mut start = head.get(..at).unwrap_or_default().to_vec();
    while start
        .last()
        .is_some_and(|b| b.is_ascii_whitespace() || *b == b',')
    {
        start.pop();
    }
    start.push(b'}');
    let fields: Value = serde_json::from_slice(&start).unwrap_or(Value::Null);
    Ok(Chat {
        id: id_of(&fields, "id").unwrap_or_default(),
        name: text_of(&fields, "name").unwrap_or_default().to_owned(),
        kind: text_of(&fields, "type").unwrap_or_default().to_owned(),
    })
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    let head = input::head(&file.path, input::SNIFF_BYTES)?;
    let chat = chat_of(&head).map_err(|message| IngestError::Archive {
        path: file.path.clone(),
        message: message.to_owned(),
    })?;
    let reader = ctx.open(&file.path)?;
    let max_record = ctx.limits.max_record_bytes;
    let streamed = for_each_item_raw(
        reader,
        Some("messages"),
        max_record,
        &mut |record, message, raw| {
            ctx.raw(record, raw);
            read_message(&message, record, &chat, ctx)
        },
    );
    super::finish_stream(streamed, ctx)
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
    fn the_chat_comes_from_the_start_of_the_file() {
        let chat = chat_of(
            br#"{ "name": "Kanaal", "type": "public_channel", "id": 1234, "messages": [ {"id": 1"#,
        )
        .unwrap();
        assert_eq!((chat.id.as_str(), chat.name.as_str()), ("1234", "Kanaal"));
        assert!(chat.is_channel());
        assert!(
            chat_of(br#"{"about": "", "personal_information": {}, "chats": {"list": ["#).is_err()
        );
        assert_eq!(chat_of(b"{ \"messages\": [").unwrap().id, "");
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
