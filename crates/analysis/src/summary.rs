//! Section 1, the case in numbers: posts, authors, period, platforms, roles, kinds, focus accounts,
//! data quality, and the headline sentences (each carrying its number) drawn from the other
//! sections.

use crate::dialogue::DialogueNotes;
use crate::factsheet::{Dialogue, Summary, TopAuthor, Voice};
use crate::{Context, Prepared, voice::top_mode};
use dialoog_model::format::{duration, int as thousands, pct};
use dialoog_model::{FileStats, Mode, Platform, PostKind, Role};
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
    // One pass with plain counters: per platform, role and kind by the enum's index, and posts
    // per author by the ids of `Prepared::authors` (each id one (handle, id) as written). An id
    // counts on the platform of its first post; the rare same pair on another platform apart.
    let mut by_platform = [0u64; Platform::ALL.len()];
    let mut by_role = [0u64; Role::ALL.len()];
    let mut by_kind = [0u64; PostKind::ALL.len()];
    // Per author id: (platform, posts, first post); posts 0 while unseen.
    let mut per_author: Vec<(Platform, u64, u32)> =
        vec![(Platform::Other, 0, 0); prepared.author_count()];
    let mut elsewhere: HashMap<(Platform, usize), (u64, u32)> = HashMap::new();
    let mut focus_accounts = HashSet::new();
    for (i, post) in prepared.posts.iter().enumerate() {
        let platform = post.platform();
        let author = prepared.author_number(i);
        let slot = &mut per_author[author];
        if slot.1 == 0 {
            *slot = (platform, 1, i as u32);
        } else if slot.0 == platform {
            slot.1 += 1;
        } else {
            elsewhere
                .entry((platform, author))
                .or_insert((0, i as u32))
                .0 += 1;
        }
        by_platform[platform as usize] += 1;
        by_role[prepared.roles[i] as usize] += 1;
        by_kind[post.kind() as usize] += 1;
        if prepared.focus[i] {
            summary.focus_posts += 1;
            focus_accounts.insert((platform, prepared.author_key(i)));
        }
    }
    summary.platforms = counted(Platform::ALL, &by_platform)
        .map(|(p, n)| (p.to_string(), n))
        .collect();
    summary.posts_by_role = counted(Role::ALL, &by_role).collect();
    summary.posts_by_kind = counted(PostKind::ALL, &by_kind).collect();
    // Authors keyed like `summary.authors` (platform, id; the handle without an id): one id
    // with several handles (renamed) is one author, shown with the handle of its first post.
    let mut authors: HashMap<(Platform, &str), (u64, u32)> = HashMap::new();
    let firsts = per_author
        .into_iter()
        .filter(|&(_, posts, _)| posts > 0)
        .chain(
            elsewhere
                .into_iter()
                .map(|((p, _), (n, first))| (p, n, first)),
        );
    for (platform, posts, first) in firsts {
        let post = prepared.posts[first as usize];
        let key = if post.author_id().is_empty() {
            post.author_handle()
        } else {
            post.author_id()
        };
        let entry = authors.entry((platform, key)).or_insert((0, first));
        entry.0 += posts;
        entry.1 = entry.1.min(first);
    }
    summary.authors = authors.len() as u64;
    summary.top_authors = top_authors(prepared, &authors);
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

/// The enum values with a count above zero (counts by the enum's index).
fn counted<T: Copy>(all: &'static [T], counts: &[u64]) -> impl Iterator<Item = (T, u64)> {
    all.iter()
        .zip(counts)
        .filter(|&(_, &n)| n > 0)
        .map(|(&value, &n)| (value, n))
}

/// The [`TOP_AUTHORS`] authors with most posts; ties by handle, then platform. Authors map to
/// their posts and their first post, whose handle is shown (its id when it has none).
fn top_authors(
    prepared: &Prepared,
    authors: &HashMap<(Platform, &str), (u64, u32)>,
) -> Vec<TopAuthor> {
    let ranked: Vec<(u64, &str, &str)> = authors
        .iter()
        .map(|((platform, _), &(posts, first))| {
            let handle = prepared.posts[first as usize].author_shown();
            (posts, handle, platform.as_str())
        })
        .collect();
    crate::first_in_order(&ranked, TOP_AUTHORS, |a, b| {
        b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(b.2))
    })
    .into_iter()
    .map(|&(posts, handle, platform)| TopAuthor {
        platform: platform.to_owned(),
        handle: handle.to_owned(),
        posts,
    })
    .collect()
}
