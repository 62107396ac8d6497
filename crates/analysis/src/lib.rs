//! The factsheet's measures, computed from canonical posts, a registry and a case.
//!
//! [`build_factsheet`] filters the posts to the case period, indexes the reply trees once
//! ([`threads::Threads`]) and lets one module per factsheet section fill its part:
//! `summary` (the case in numbers and the headline sentences), `activity` (series by role in the
//! case time zone), `voice` (participation modes and referrals of the focus accounts, via
//! `dialoog_text::classify`), `dialogue` (addressed, answered, response times), `network` and
//! `coengagement`, `headline` (the headline box per focus account), `spread` (reshare and quote
//! cascades, linked domains), `breakdown` (voice and dialogue by sender role and by period) and
//! `method` (provenance and the exact definitions). Every pass is linear in the number of posts.

mod activity;
mod breakdown;
pub mod bursts;
pub mod coengagement;
mod dialogue;
pub mod factsheet;
mod headline;
pub mod louvain;
pub mod method;
pub mod network;
pub mod privacy;
mod reaction;
pub mod spread;
mod summary;
pub mod threads;
pub mod topics;
mod topposts;
mod voice;
mod wording;
mod words;

pub use factsheet::*;

use chrono::{DateTime, Utc};
use dialoog_model::{
    Case, FileStats, Platform, Post, PostKind, PostRef, PostTable, Registry, Replacement, Role,
    Skipped,
};
use rayon::prelude::*;
use threads::Threads;
use words::Words;

/// What the analyses need besides the posts: the case, the registry and provenance to report.
pub struct Context<'a> {
    pub case: &'a Case,
    pub registry: &'a Registry,
    /// Per-file counts of every ingest into the store.
    pub inputs: Vec<FileStats>,
    /// Files in the given folders that the ingests left out, with why.
    pub skipped: Vec<Skipped>,
    /// The store's path, as the user gave it.
    pub store: String,
    pub registry_path: Option<String>,
    pub case_path: Option<String>,
    pub dialoog_version: String,
    pub generated_at: DateTime<Utc>,
}

impl<'a> Context<'a> {
    /// A context with nothing but a case and a registry: no inputs, paths or version, made at
    /// the Unix epoch.
    pub fn bare(case: &'a Case, registry: &'a Registry) -> Context<'a> {
        Context {
            case,
            registry,
            inputs: Vec::new(),
            skipped: Vec::new(),
            store: String::new(),
            registry_path: None,
            case_path: None,
            dialoog_version: String::new(),
            generated_at: DateTime::UNIX_EPOCH,
        }
    }
}

/// Errors from computing a factsheet.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(
        "unknown time zone '{0}' in the case (give an IANA name such as \"Europe/Amsterdam\" or \"UTC\")"
    )]
    TimeZone(String),
    #[error("the topic keyword sets (crates/analysis/data/topics.toml) do not parse: {0}")]
    Topics(String),
    #[error(transparent)]
    Posts(#[from] dialoog_model::ModelError),
}

/// A row's text, author name and links with personal data redacted ([`dialoog_text::pii`]),
/// given its text's findings; `None` when there is nothing to redact.
fn redaction(post: PostRef, text_findings: &[dialoog_text::pii::Finding]) -> Option<Replacement> {
    let (text, author_name, urls) = dialoog_text::pii::redact_fields(
        post.text(),
        post.author_name(),
        post.urls(),
        text_findings,
    )?;
    Some(Replacement {
        text,
        author_name,
        urls,
    })
}

/// The columns of [`dialoog_model::schema`] the factsheet reads: a store can leave the others
/// (display names, thread roots, views, provenance) unread.
pub const POST_COLUMNS: &[&str] = &[
    "platform",
    "id",
    "url",
    "created_at",
    "author_id",
    "author_handle",
    "author_followers",
    "kind",
    "text",
    "lang",
    "in_reply_to_id",
    "in_reply_to_author_id",
    "reshare_of_id",
    "quote_of_id",
    "mentions",
    "hashtags",
    "urls",
    "likes",
    "reshares",
    "replies",
    "quotes",
];

/// How the factsheet treats personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrivacyOptions {
    /// Redact personal data ([`dialoog_text::pii`]) in everything derived from post texts.
    pub redact: bool,
    /// The posts' authors were pseudonymised before (recorded in the factsheet).
    pub pseudonymised: bool,
}

impl Default for PrivacyOptions {
    fn default() -> Self {
        PrivacyOptions {
            redact: true,
            pseudonymised: false,
        }
    }
}

/// Computes every section of the factsheet, personal data redacted. Posts outside the case
/// period are left out first; a (platform, id) that occurs twice counts once (the first copy).
pub fn build_factsheet(posts: &[Post], context: &Context) -> Result<Factsheet, AnalysisError> {
    build_factsheet_with(posts, context, PrivacyOptions::default())
}

/// [`build_factsheet`] with a choice about personal data. Every section sees the posts redacted
/// (so examples, terms and community words carry `[BSN]`, `[PHONE]`, … instead), except the
/// measures that need the original text: participation modes and referrals (an organisation's
/// phone number is a referral) and the personal-data count itself.
pub fn build_factsheet_with(
    posts: &[Post],
    context: &Context,
    options: PrivacyOptions,
) -> Result<Factsheet, AnalysisError> {
    factsheet_of_table(PostTable::from_posts(posts)?, context, options, Texts::Keep)
}

/// What becomes of the posts' texts once the measures that read them are done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// Kept to the end: the example posts carry their texts.
    Keep,
    /// Let go of before the other sections run: the text is a third of a store's columns in
    /// memory (1.1 GB at 10M posts), and the network and the other sections need none. The
    /// example posts ([`Factsheet::example_posts_mut`]) come out without their texts, except
    /// redacted ones; the caller reads them again from where the table came from and shows each
    /// as [`shown_text`] makes it.
    Release,
}

/// A post's text as the factsheet shows it: with personal data redacted unless the options say
/// not to ([`dialoog_text::pii::redact`], as the sections saw it).
pub fn shown_text(text: &str, options: PrivacyOptions) -> String {
    if options.redact {
        dialoog_text::pii::redact(text).into_owned()
    } else {
        text.to_owned()
    }
}

/// The two networks of a factsheet, as [`factsheet_of_table_with`] hands them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkKind {
    /// [`Factsheet::network`]'s graph.
    Interaction,
    /// [`Factsheet::co_engagement`]'s graph.
    CoEngagement,
}

/// [`build_factsheet_with`] over posts read in place from record batches (a store's columns).
pub fn factsheet_of_table(
    table: PostTable,
    context: &Context,
    options: PrivacyOptions,
    texts: Texts,
) -> Result<Factsheet, AnalysisError> {
    factsheet_of_table_with(table, context, options, texts, &|_, _| {})
}

/// [`factsheet_of_table`], handing each network's graph to `on_network` as soon as it is what
/// the factsheet will hold, on the thread that made it, while other sections still run: a report
/// can stream it to disk then instead of after every section (the interaction network's GEXF
/// at 10M posts is 1.9 GB, two seconds on one core).
pub fn factsheet_of_table_with(
    table: PostTable,
    context: &Context,
    options: PrivacyOptions,
    texts: Texts,
    on_network: &(dyn Fn(NetworkKind, &Graph) + Sync),
) -> Result<Factsheet, AnalysisError> {
    let time_zone: chrono_tz::Tz = context
        .case
        .time_zone
        .parse()
        .map_err(|_| AnalysisError::TimeZone(context.case.time_zone.clone()))?;
    let keyword_sets = topics::keyword_sets()?;
    let (originals, ids) = Prepared::select(&table, context);
    // Only the few posts with findings are listed (by index, in order).
    let findings: Vec<(usize, Vec<dialoog_text::pii::Finding>)> = originals
        .par_iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let found = dialoog_text::pii::find(p.text());
            (!found.is_empty()).then_some((i, found))
        })
        .collect();
    // Only the few rows with something to redact get a replacement; the others are read from
    // the columns as they are.
    let redacted: std::collections::HashMap<usize, Replacement> = if options.redact {
        originals
            .par_iter()
            .enumerate()
            .filter_map(|(i, post)| {
                redaction(*post, privacy::found_in(&findings, i)).map(|r| (post.index(), r))
            })
            .collect()
    } else {
        std::collections::HashMap::new()
    };
    let shown_table = table.with_replaced(redacted);
    let shown = originals
        .into_iter()
        .map(|p| shown_table.same_row(p))
        .collect();
    let prepared = Prepared::from_posts(shown, ids, context);
    // Who addresses which focus account reads no text: worked out beside the text measures, once
    // for both the dialogue and the reaction.
    let (read, addressing) = rayon::join(
        || TextMeasures::of(&prepared, &table, &keyword_sets),
        || dialogue::Addressing::of(&prepared, context),
    );
    let inputs = Inputs {
        context,
        time_zone,
        findings,
        options,
        addressing,
        on_network,
    };
    match texts {
        Texts::Keep => Ok(inputs.compute(&prepared, read, keyword_sets)),
        Texts::Release => {
            let lean = shown_table.without_text();
            let prepared = prepared.on(&lean);
            // The last tables holding the texts: their columns go with them.
            drop((shown_table, table));
            Ok(inputs.compute(&prepared, read, keyword_sets))
        }
    }
}

/// What the sections need of the posts' texts, measured while the texts are held: each post's
/// words ([`bursts::words`]: bursts and communities count them), the wording, the focus posts'
/// classes and the retweeted handles. The measures run side by side, each parallel inside.
struct TextMeasures {
    words: Words,
    wording: wording::Wording,
    classes: Vec<(usize, dialoog_text::Classification)>,
    retweeted: network::Retweeted,
}

impl TextMeasures {
    /// `originals` holds the posts before redaction, which the classes are read from.
    fn of(prepared: &Prepared, originals: &PostTable, keyword_sets: &[KeywordSet]) -> TextMeasures {
        let ((words, wording), (classes, retweeted)) = rayon::join(
            || {
                rayon::join(
                    || Words::new(&prepared.posts),
                    || wording::Wording::new(prepared, &topics::Matchers::new(keyword_sets)),
                )
            },
            || {
                rayon::join(
                    || voice::classify(prepared, originals),
                    || network::Retweeted::of(prepared),
                )
            },
        );
        TextMeasures {
            words,
            wording,
            classes,
            retweeted,
        }
    }
}

/// What every section needs besides the posts and their text measures.
struct Inputs<'c> {
    context: &'c Context<'c>,
    time_zone: chrono_tz::Tz,
    findings: Vec<(usize, Vec<dialoog_text::pii::Finding>)>,
    options: PrivacyOptions,
    addressing: dialogue::Addressing,
    on_network: &'c (dyn Fn(NetworkKind, &Graph) + Sync),
}

impl Inputs<'_> {
    /// Every section: the ones reading the wording beside the others, which run as a tree of
    /// joins: on two cores the long single-threaded sections (the network above all) run while
    /// the other core works, and no section waits for an unrelated one.
    fn compute(
        self,
        prepared: &Prepared,
        read: TextMeasures,
        keyword_sets: Vec<KeywordSet>,
    ) -> Factsheet {
        let context = self.context;
        let min_weight = context
            .case
            .co_engagement_min_weight
            .unwrap_or(coengagement::MIN_WEIGHT)
            .max(1);
        let TextMeasures {
            words,
            wording,
            classes,
            retweeted,
        } = read;
        // The wording (the largest of the text measures) goes as soon as its sections are done.
        let ((mut activity, reaction, top_posts, topics), rest) = rayon::join(
            || text_sections(prepared, &self, wording, keyword_sets),
            || other_sections(prepared, &self, &words, &classes, &retweeted, min_weight),
        );
        activity.bursts = rest.bursts;
        let method = method::compute(context, min_weight);
        Factsheet {
            title: context.case.title.clone(),
            description: context.case.description.clone(),
            generated_at: context.generated_at,
            focus_label: context.case.focus_label.clone(),
            summary: rest.summary,
            activity,
            voice: rest.voice,
            dialogue: rest.dialogue,
            network: rest.network,
            co_engagement: rest.co_engagement,
            reaction,
            top_posts,
            topics,
            headline: rest.headline,
            spread: rest.spread,
            breakdown: rest.breakdown,
            privacy: rest.privacy,
            method,
        }
    }
}

/// The sections that read the posts' wording: reaction (after the activity it reads), top
/// posts and topics. The activity is made here rather than before both branches, so that the
/// other core starts on the other sections meanwhile.
fn text_sections(
    prepared: &Prepared,
    inputs: &Inputs,
    wording: wording::Wording,
    keyword_sets: Vec<KeywordSet>,
) -> (Activity, Reaction, TopPosts, Topics) {
    let wording = &wording;
    let ((activity, reaction), (top_posts, topics)) = rayon::join(
        || {
            let activity = activity::compute(prepared, inputs.context, inputs.time_zone);
            let reaction = reaction::compute(prepared, &inputs.addressing, wording, &activity);
            (activity, reaction)
        },
        || {
            rayon::join(
                || topposts::compute(prepared, wording),
                || topics::compute(prepared, wording, keyword_sets),
            )
        },
    );
    (activity, reaction, top_posts, topics)
}

/// The sections beside the wording's, each started as soon as what it reads is there: the
/// network described right after its graph is built, breakdown and summary after voice and
/// dialogue; the sections that need nothing of the others (co-engagement, headline, personal
/// data, spread, bursts) fill the gaps. (As two stages, the second waiting for all of the
/// first, one core idled for about a second at 10M posts while the last section of the first
/// stage ran; personal data after all the others ran alone for 0.45 s.)
fn other_sections(
    prepared: &Prepared,
    inputs: &Inputs,
    words: &Words,
    classes: &[(usize, dialoog_text::Classification)],
    retweeted: &network::Retweeted,
    min_weight: u64,
) -> Sections {
    let (context, time_zone) = (inputs.context, inputs.time_zone);
    let (
        network,
        (
            (voice, dialogue, breakdown, summary),
            (co_engagement, ((headline, privacy), (spread, bursts))),
        ),
    ) = rayon::join(
        || {
            let built = network::build(prepared, context, retweeted);
            let network = network::describe(prepared, built, words);
            (inputs.on_network)(NetworkKind::Interaction, &network.graph);
            network
        },
        || {
            rayon::join(
                || {
                    let ((voice, classified), (dialogue, notes)) = rayon::join(
                        || voice::compute(prepared, classes),
                        || dialogue::compute(prepared, &inputs.addressing),
                    );
                    let (breakdown, summary) = rayon::join(
                        || breakdown::compute(prepared, &classified, &notes, time_zone),
                        || summary::compute(prepared, context, &voice, &dialogue, &notes),
                    );
                    (voice, dialogue, breakdown, summary)
                },
                || {
                    rayon::join(
                        || {
                            let co_engagement = coengagement::compute(prepared, min_weight);
                            (inputs.on_network)(NetworkKind::CoEngagement, &co_engagement.graph);
                            co_engagement
                        },
                        || {
                            rayon::join(
                                || {
                                    rayon::join(
                                        || headline::compute(prepared),
                                        || {
                                            privacy::compute(
                                                prepared,
                                                &inputs.findings,
                                                inputs.options,
                                            )
                                        },
                                    )
                                },
                                || {
                                    rayon::join(
                                        || spread::compute(prepared),
                                        || bursts::compute(prepared, words, time_zone),
                                    )
                                },
                            )
                        },
                    )
                },
            )
        },
    );
    Sections {
        bursts,
        voice,
        dialogue,
        network,
        co_engagement,
        headline,
        spread,
        breakdown,
        summary,
        privacy,
    }
}

/// The sections computed beside the text measures.
struct Sections {
    bursts: Vec<Burst>,
    voice: Voice,
    dialogue: Dialogue,
    network: Network,
    co_engagement: CoEngagement,
    headline: Vec<HeadlineAccount>,
    spread: Spread,
    breakdown: Breakdown,
    summary: Summary,
    privacy: Privacy,
}

/// The posts of the case with what every section needs about them, computed once.
pub(crate) struct Prepared<'a> {
    /// In the case period, deduplicated, in input order.
    pub posts: Vec<PostRef<'a>>,
    /// Role of each post's author (registry; citizen by default).
    pub roles: Vec<Role>,
    /// Whether each post's author is a focus account.
    pub focus: Vec<bool>,
    pub threads: Threads,
    /// Each post's author key, lower-cased once per distinct author instead of once per post in
    /// every section.
    pub(crate) authors: Authors,
}

impl<'a> Prepared<'a> {
    /// The posts of the case: in the period, deduplicated, in input order; and the index of
    /// their ids that found the duplicates, which [`Threads`] needs too (one index over millions
    /// of ids instead of two).
    fn select(all: &'a PostTable, context: &Context) -> (Vec<PostRef<'a>>, threads::Ids) {
        let period = context.case.period_millis();
        threads::Ids::first_of(all.par_rows(), |p| period.contains(&p.created_at_millis()))
    }

    /// Roles, focus and threads of posts already selected, with the index of their ids.
    fn from_posts(posts: Vec<PostRef<'a>>, ids: threads::Ids, context: &Context) -> Prepared<'a> {
        // Two independent passes over every post; at 10M posts each takes seconds, mostly
        // waiting on hash tables far larger than the caches.
        let ((roles, focus, authors), threads) = rayon::join(
            || roles_focus_and_keys(&posts, context),
            || Threads::build_with(&posts, ids),
        );
        Prepared {
            posts,
            roles,
            focus,
            threads,
            authors,
        }
    }

    /// The same posts, read from another table with the same rows ([`PostTable::same_row`]).
    fn on<'b>(self, table: &'b PostTable) -> Prepared<'b> {
        Prepared {
            posts: self.posts.into_iter().map(|p| table.same_row(p)).collect(),
            roles: self.roles,
            focus: self.focus,
            threads: self.threads,
            authors: self.authors,
        }
    }

    /// The key post i's author is counted under ([`account_key`]).
    pub(crate) fn author_key(&self, i: usize) -> &str {
        &self.authors.table[self.author_number(i)]
    }

    /// Post i's author's number among the distinct authors (below [`Self::author_count`]), for
    /// per-author tables indexed without hashing a key.
    pub(crate) fn author_number(&self, i: usize) -> usize {
        self.authors.ids[i] as usize
    }

    /// How many distinct authors (by [`account_key`]'s handle and id) the posts have.
    pub(crate) fn author_count(&self) -> usize {
        self.authors.table.len()
    }
}

/// Each post's [`account_key`], as an id into a table of distinct keys.
pub(crate) struct Authors {
    ids: Vec<u32>,
    table: Vec<String>,
}

impl Authors {
    /// Each post's author numbered by handle and id (in the order of their first post) with the
    /// account key of each number, from each post's author among the distinct (platform, id,
    /// handle) in order of first appearance: the few authors are told apart again, not the posts.
    fn of_distinct(author_of: &[u32], authors: &[(Platform, &str, &str)]) -> Authors {
        let (number_of, keys) = words::distinct(authors, |&(_, id, handle)| (handle, id));
        Authors {
            ids: author_of.iter().map(|&a| number_of[a as usize]).collect(),
            table: keys
                .into_iter()
                .map(|(handle, id)| account_key(handle, id))
                .collect(),
        }
    }

    #[cfg(test)]
    pub(crate) fn new(posts: &[PostRef]) -> Authors {
        let (author_of, authors) = distinct_authors(posts);
        Authors::of_distinct(&author_of, &authors)
    }
}

/// Each post's author as a number among the distinct (platform, id, handle), in order of first
/// appearance, and those authors.
fn distinct_authors<'a>(posts: &[PostRef<'a>]) -> (Vec<u32>, Vec<(Platform, &'a str, &'a str)>) {
    words::distinct(posts, |p| (p.platform(), p.author_id(), p.author_handle()))
}

/// Each post's author's role, whether the author is a focus account, and the author's number
/// and [`account_key`]. All depend on the author alone, so the authors are told apart in one pass
/// over the posts (instead of one for the roles and one for the keys) and looked up once each.
fn roles_focus_and_keys(posts: &[PostRef], context: &Context) -> (Vec<Role>, Vec<bool>, Authors) {
    let (author_of, authors) = distinct_authors(posts);
    let keys = Authors::of_distinct(&author_of, &authors);
    let of_author: Vec<(Role, bool)> = authors
        .into_iter()
        .map(|(platform, id, handle)| {
            (
                context.registry.role_of_account(platform, id, handle),
                context
                    .case
                    .is_focus_account(context.registry, platform, id, handle),
            )
        })
        .collect();
    let (roles, focus) = author_of.iter().map(|&a| of_author[a as usize]).unzip();
    (roles, focus, keys)
}

/// A reply: kind reply or comment, or any post with a parent id.
pub(crate) fn is_reply(post: PostRef) -> bool {
    matches!(post.kind(), PostKind::Reply | PostKind::Comment) || post.in_reply_to_id().is_some()
}

/// The key an account is counted under in per-account tables: its lower-cased handle, or its id
/// when the source gives no handle.
pub(crate) fn account_key(handle: &str, id: &str) -> String {
    let handle = handle.trim_start_matches('@');
    if handle.is_empty() {
        id.to_owned()
    } else {
        handle.to_lowercase()
    }
}

/// How many items ahead of the one being worked on a graph's loops fetch what the item points
/// to ([`prefetch`]): for PageRank on the 10M bench graph (1.07M accounts, 10.4M edges) 32 beat
/// 16 and 64.
pub(crate) const PREFETCH_AHEAD: usize = 32;

/// Asks the processor to bring `values[index]` into its cache ahead of use: a hint for loops
/// whose next reads land all over a large vector, as over a graph's nodes. A no-op off x86_64.
#[inline]
pub(crate) fn prefetch<T>(values: &[T], index: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch loads nothing into a register and cannot fault, whatever the address;
    // `wrapping_add` makes the address without assuming it lies in `values`.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(values.as_ptr().wrapping_add(index).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (values, index);
}

/// The first `k` items in the order of `order`, equal ones in the order they are given: what a
/// stable sort puts first, without sorting the rest (the top lists show ten or twenty of up to
/// a million accounts at 10M posts).
pub(crate) fn first_in_order<T>(
    items: &[T],
    k: usize,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<&T> {
    let by = |&a: &usize, &b: &usize| order(&items[a], &items[b]).then(a.cmp(&b));
    let mut first: Vec<usize> = (0..items.len()).collect();
    if k < first.len() {
        first.select_nth_unstable_by(k, by);
        first.truncate(k);
    }
    first.sort_unstable_by(by);
    first.into_iter().map(|i| &items[i]).collect()
}

#[cfg(test)]
mod reaction_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_spread;
