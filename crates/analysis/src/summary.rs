//! Section 1, the case in numbers: posts, authors, period, platforms, roles, kinds, focus accounts,
//! data quality, and the headline sentences (each carrying its number) drawn from the other
//! sections.

use crate::dialogue::DialogueNotes;
use crate::factsheet::{Dialogue, Summary, TopAuthor, Voice};
use crate::{Context, Prepared, voice::top_mode};
use dialoog_model::format::{duration, int as thousands, pct};
use dialoog_model::{FileStats, Mode, Platform};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

/// Authors listed in `summary.top_authors`.
pub(crate) const TOP_AUTHORS: usize = 20;

pub(crate) fn compute(
    prepared: &Prepared,
    context: &Context,
    voice: &Voice,
    dialogue: &Dialogue,
    notes: &DialogueNotes,
) -> Summary {
    let case = context.case;
    let mut summary = Summary {
        posts: prepared.posts.len() as u64,
        period_start: prepared.posts.iter().map(|p| p.created_at()).min(),
        period_end: prepared.posts.iter().map(|p| p.created_at()).max(),
        ..Summary::default()
    };
    // Posts per author, keyed like `summary.authors` (platform, id), with the handle to show.
    let mut authors: HashMap<(Platform, &str), (u64, &str)> = HashMap::new();
    let mut focus_accounts = HashSet::new();
    for (i, post) in prepared.posts.iter().enumerate() {
        let author = if post.author_id().is_empty() {
            post.author_handle()
        } else {
            post.author_id()
        };
        let handle = if post.author_handle().is_empty() {
            post.author_id()
        } else {
            post.author_handle()
        };
        authors
            .entry((post.platform(), author))
            .or_insert((0, handle))
            .0 += 1;
        *summary
            .platforms
            .entry(post.platform().to_string())
            .or_default() += 1;
        *summary.posts_by_role.entry(prepared.roles[i]).or_default() += 1;
        *summary.posts_by_kind.entry(post.kind()).or_default() += 1;
        if prepared.focus[i] {
            summary.focus_posts += 1;
            focus_accounts.insert((post.platform(), prepared.author_key(i)));
        }
    }
    summary.authors = authors.len() as u64;
    summary.top_authors = top_authors(&authors);
    summary.focus_accounts_active = focus_accounts.len() as u64;
    summary.focus_accounts_registered = if case.focus.is_empty() {
        context
            .registry
            .accounts()
            .iter()
            .filter(|a| case.focus_roles.contains(&a.role))
            .count() as u64
    } else {
        case.focus.len() as u64
    };
    summary.data_quality = FileStats::total(&context.inputs);
    summary.headlines = headlines(&summary, &case.focus_label, voice, dialogue, notes);
    summary
}

fn headlines(
    summary: &Summary,
    label: &str,
    voice: &Voice,
    dialogue: &Dialogue,
    notes: &DialogueNotes,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let (Some(start), Some(end)) = (summary.period_start, summary.period_end) {
        lines.push(format!(
            "{} posts by {} authors, {} to {}.",
            thousands(summary.posts),
            thousands(summary.authors),
            start.format("%-d %b %Y"),
            end.format("%-d %b %Y"),
        ));
    } else {
        lines.push("No posts in the case period.".into());
    }
    lines.push(format!(
        "{} of the {} {} posted: {} posts.",
        thousands(summary.focus_accounts_active),
        thousands(summary.focus_accounts_registered),
        accounts_of(label),
        thousands(summary.focus_posts),
    ));
    if let Some(rate) = dialogue.reply_rate {
        let mut line = format!(
            "{} of the {} posts addressed to {} were answered",
            pct(Some(rate)),
            thousands(dialogue.addressed),
            label,
        );
        let rt = &dialogue.response_time_seconds;
        if let (Some(median), Some(p90)) = (rt.median, rt.p90) {
            line.push_str(&format!(
                "; median response time {}, 90% within {}",
                duration(Some(median)),
                duration(Some(p90))
            ));
        }
        line.push('.');
        lines.push(line);
    }
    if let Some(share) = voice.referral_share {
        lines.push(format!(
            "{} of the {} replies by {} refer the person to another channel.",
            pct(Some(share)),
            thousands(voice.government_replies),
            label,
        ));
    }
    if let Some((mode, count)) = top_mode(&voice.modes) {
        lines.push(if mode == Mode::Other {
            format!(
                "{} of the {} posts by {} match none of the participation-mode rules (other).",
                thousands(count),
                thousands(voice.government_posts),
                label,
            )
        } else {
            format!(
                "The commonest participation mode of {}: {} ({}), {} of {} posts.",
                label,
                mode.as_str().replace('_', "-"),
                mode.dutch(),
                thousands(count),
                thousands(voice.government_posts),
            )
        });
    }
    if notes.negative > 0 {
        lines.push(format!(
            "{} answers are timed before the post they answer (clock skew); their negative response times are included.",
            thousands(notes.negative)
        ));
    }
    lines
}

/// "government" → "government accounts"; "support accounts" stays.
fn accounts_of(label: &str) -> String {
    if label.ends_with("accounts") {
        label.to_owned()
    } else {
        format!("{label} accounts")
    }
}

/// The [`TOP_AUTHORS`] authors with most posts; ties by handle, then platform.
fn top_authors(authors: &HashMap<(Platform, &str), (u64, &str)>) -> Vec<TopAuthor> {
    let mut ranked: Vec<(u64, &str, String)> = authors
        .iter()
        .map(|((platform, _), &(posts, handle))| (posts, handle, platform.to_string()))
        .collect();
    let order = |a: &(u64, &str, String), b: &(u64, &str, String)| {
        b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(&b.2))
    };
    if ranked.len() > TOP_AUTHORS {
        ranked.select_nth_unstable_by(TOP_AUTHORS - 1, order);
        ranked.truncate(TOP_AUTHORS);
    }
    ranked.sort_unstable_by(order);
    ranked
        .into_iter()
        .map(|(posts, handle, platform)| TopAuthor {
            platform,
            handle: handle.to_owned(),
            posts,
        })
        .collect()
}
