//! The factsheet as data: what the analyses compute and every renderer (HTML, JSON, Markdown) shows.
//! Serialised as factsheet.json; the keys named in DESIGN.md ("summary.posts", "dialogue.reply_rate",
//! "voice.referral_share", …) are stable. Every number the HTML shows lives here.

use chrono::{DateTime, Utc};
use dialoog_model::{FileStats, Mode, PostKind, PostRef, Role, Skipped};
pub use dialoog_text::pii::PersonalData;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factsheet {
    pub title: String,
    pub description: String,
    pub generated_at: DateTime<Utc>,
    /// What the factsheet calls the focus accounts ("government", "support accounts", …).
    pub focus_label: String,
    pub summary: Summary,
    pub activity: Activity,
    pub voice: Voice,
    pub dialogue: Dialogue,
    /// Section 6: the interaction network.
    #[serde(default)]
    pub network: Network,
    /// Section 6: the co-engagement network (the study's method).
    #[serde(default)]
    pub co_engagement: CoEngagement,
    /// Section 5: the public's reaction — sentiment, questions, terms and hashtags.
    #[serde(default)]
    pub reaction: Reaction,
    /// The posts that drew the most reactions, with their replies' sentiment and words.
    #[serde(default)]
    pub top_posts: TopPosts,
    /// The service / policy / crisis mix, key terms per topic and term co-occurrence.
    #[serde(default)]
    pub topics: Topics,
    /// The headline box: one row per focus account that posted.
    #[serde(default)]
    pub headline: Vec<HeadlineAccount>,
    /// Section 7: how the focus accounts' posts spread (reshare and quote cascades, domains).
    #[serde(default)]
    pub spread: Spread,
    /// Voice and dialogue broken down by sender role and by period.
    #[serde(default)]
    pub breakdown: Breakdown,
    /// Section 8: personal data found, by role and type.
    #[serde(default)]
    pub privacy: Privacy,
    pub method: Method,
}

impl Factsheet {
    /// Every post the factsheet shows: voice examples, top posts, cascades, personal-data
    /// examples.
    pub fn example_posts_mut(&mut self) -> impl Iterator<Item = &mut ExamplePost> {
        let voice = self.voice.examples.iter_mut().map(|e| &mut e.post);
        let top = (self.top_posts.focus.iter_mut())
            .chain(self.top_posts.overall.iter_mut())
            .map(|t| &mut t.post);
        let cascades = self.spread.top.iter_mut().map(|c| &mut c.post);
        let privacy = self.privacy.focus_examples.iter_mut().map(|e| &mut e.post);
        voice.chain(top).chain(cascades).chain(privacy)
    }
}

/// Section 1: the case in numbers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Canonical posts in the case after deduplication (and the period filter).
    pub posts: u64,
    /// Distinct authors.
    pub authors: u64,
    pub period_start: Option<DateTime<Utc>>,
    pub period_end: Option<DateTime<Utc>>,
    pub platforms: BTreeMap<String, u64>,
    pub posts_by_role: BTreeMap<Role, u64>,
    pub posts_by_kind: BTreeMap<PostKind, u64>,
    /// Focus accounts that posted in the case.
    pub focus_accounts_active: u64,
    /// Focus accounts named by the case or registry.
    pub focus_accounts_registered: u64,
    pub focus_posts: u64,
    /// The most active authors (most posts of any kind first; ties by handle, then platform).
    pub top_authors: Vec<TopAuthor>,
    /// Read / stored / duplicates / quarantined over all ingests of the store.
    pub data_quality: FileStats,
    /// Short sentences for the headline box, each carrying its number (rendered as given).
    pub headlines: Vec<String>,
}

/// An author and their number of posts in the case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopAuthor {
    pub platform: String,
    /// The handle as written (the id when the post has no handle).
    pub handle: String,
    pub posts: u64,
}

/// Section 2: activity over time, by role.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// IANA time zone the buckets are in, e.g. "Europe/Amsterdam".
    pub time_zone: String,
    /// "hour" or "day": day when the posts span more than 3 days.
    pub bucket: String,
    /// Zero-filled buckets from the first to the last post.
    pub series: Vec<Bucket>,
    /// Posts per hour of the day (0–23, local time), by role: the daily rhythm.
    pub hour_of_day: Vec<BTreeMap<Role, u64>>,
    pub events: Vec<Event>,
    pub peak: Option<Bucket>,
    /// Bursts on the per-hour series (Kleinberg's two-state automaton), in time order.
    #[serde(default)]
    pub bursts: Vec<Burst>,
}

/// A burst: a maximal run of hours in the burst state of Kleinberg's automaton.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Burst {
    /// Start of its first hour, local time, RFC 3339 with offset.
    pub start: String,
    /// End of its last hour (exclusive), local time.
    pub end: String,
    pub hours: u64,
    /// Posts in its hours.
    pub posts: u64,
    /// Start of its busiest hour, local time.
    pub peak_hour: String,
    pub peak_posts: u64,
    /// Kleinberg's weight: the cost saved by the burst state over its hours.
    pub weight: f64,
    /// Characteristic terms of its posts against all other posts, most characteristic first.
    pub terms: Vec<Term>,
}

/// A characteristic term: its count inside and its log-odds z-score against the rest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub term: String,
    pub count: u64,
    pub z: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Start of the bucket, local time, as RFC 3339 with offset.
    pub start: String,
    pub counts: BTreeMap<Role, u64>,
    pub total: u64,
    /// Of the posts, those by focus accounts (drawn as a line over the activity chart).
    #[serde(default)]
    pub focus: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub label: String,
}

/// Section 3: the government's voice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Voice {
    /// Posts by focus accounts (all kinds but plain reshares).
    pub government_posts: u64,
    /// Of those, replies (kind reply or comment).
    pub government_replies: u64,
    /// Replies classified as referral to another channel.
    pub referrals: u64,
    /// referrals ÷ government_replies (0–1); null when there are no replies.
    pub referral_share: Option<f64>,
    /// Participation mode → number of government posts (every mode present, zeros included).
    pub modes: BTreeMap<Mode, u64>,
    /// Up to three example posts per mode, with the rule that fired.
    pub examples: Vec<Example>,
    /// The rules in force, so the output documents itself.
    pub rules: Vec<RuleDoc>,
    /// Per focus account: posts, replies, referrals, referral share, modes.
    pub by_account: Vec<AccountVoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    pub mode: Mode,
    /// Id of the rule that decided the mode.
    pub rule: String,
    pub post: ExamplePost,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExamplePost {
    pub platform: String,
    pub id: String,
    pub url: Option<String>,
    pub author_handle: String,
    pub created_at: DateTime<Utc>,
    pub text: String,
    /// The post's place among the rows of the table the factsheet was made from, so that what
    /// the table let go of (its text) can be read again from where the table came from. Not
    /// part of the factsheet's data: `None` once read back from JSON.
    #[serde(skip)]
    pub row: Option<u64>,
}

impl ExamplePost {
    pub fn of(post: PostRef) -> ExamplePost {
        ExamplePost {
            platform: post.platform().to_string(),
            id: post.id().to_owned(),
            url: post.url().map(str::to_owned),
            author_handle: post.author_handle().to_owned(),
            created_at: post.created_at(),
            text: post.text().to_owned(),
            row: Some(post.index() as u64),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleDoc {
    pub id: String,
    pub mode: Mode,
    pub language: String,
    pub pattern: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountVoice {
    pub handle: String,
    pub posts: u64,
    pub replies: u64,
    pub referrals: u64,
    pub referral_share: Option<f64>,
    pub modes: BTreeMap<Mode, u64>,
}

/// Section 4: dialogue between the public and the focus accounts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dialogue {
    /// Non-government posts that reply to a government post or mention a government account.
    pub addressed: u64,
    /// Of those, posts with at least one government post among their descendants.
    pub answered: u64,
    /// answered ÷ addressed (0–1); null when nothing was addressed.
    pub reply_rate: Option<f64>,
    pub response_time_seconds: ResponseTime,
    /// Counts of answered posts per response-time band.
    pub distribution: Vec<Band>,
    /// Share of focus accounts' replies that go to non-government posts (reciprocity), 0–1.
    pub replies_to_public_share: Option<f64>,
    pub by_account: Vec<AccountDialogue>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseTime {
    pub n: u64,
    pub median: Option<f64>,
    /// 90th percentile, nearest rank.
    pub p90: Option<f64>,
    pub mean: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub label: String,
    /// Upper bound in seconds (exclusive); null for the last, open band.
    pub upper_seconds: Option<u64>,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountDialogue {
    pub handle: String,
    /// Posts addressed to this account (reply to its post, or mention of it).
    pub addressed: u64,
    /// Of those, answered by this account.
    pub answered: u64,
    pub reply_rate: Option<f64>,
    pub response_time_seconds: ResponseTime,
}

/// Section 6: the interaction network between accounts (typed, directed, weighted edges).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Network {
    /// Accounts with at least one interaction (self-loops aside).
    pub nodes: u64,
    /// Distinct (source, target, type) edges.
    pub edges: u64,
    /// Distinct edges per type (reply, mention, reshare, quote; zeros included).
    pub edges_by_type: BTreeMap<EdgeKind, u64>,
    /// Posts making the edges, per type (the sum of the edges' weights).
    pub interactions_by_type: BTreeMap<EdgeKind, u64>,
    /// Replies and mentions of an account to itself, left out.
    pub self_loops: u64,
    /// Replies, reshares and quotes whose target account is not known.
    pub unresolved: u64,
    /// Whether betweenness was computed (at most 5,000 accounts).
    pub betweenness_computed: bool,
    /// Focus accounts among the nodes.
    pub focus_accounts: u64,
    /// The accounts of highest PageRank, highest first.
    pub top_accounts: Vec<NetworkAccount>,
    /// Newman's modularity of the Louvain communities; null without edges.
    pub modularity: Option<f64>,
    /// Number of communities (accounts without any community partner count as their own).
    pub community_count: u64,
    /// The largest communities, largest first.
    pub communities: Vec<Community>,
    /// The whole graph, for network.gexf; not in factsheet.json.
    #[serde(skip)]
    pub graph: Graph,
}

/// The type of an edge: the four interaction types, or a co-engagement link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    Reply,
    Mention,
    Reshare,
    Quote,
    /// Undirected: both accounts reacted to the same posts (weight: how many).
    CoEngagement,
}

impl EdgeKind {
    /// The interaction types (co-engagement is not one).
    pub const ALL: [EdgeKind; 4] = [
        EdgeKind::Reply,
        EdgeKind::Mention,
        EdgeKind::Reshare,
        EdgeKind::Quote,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Reply => "reply",
            EdgeKind::Mention => "mention",
            EdgeKind::Reshare => "reshare",
            EdgeKind::Quote => "quote",
            EdgeKind::CoEngagement => "co_engagement",
        }
    }
}

/// An account in the network with its centralities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkAccount {
    pub handle: String,
    pub role: Role,
    /// Whether it is one of the case's focus accounts.
    pub focus: bool,
    /// Weighted in-degree: interactions it receives, all types.
    pub in_degree: u64,
    /// Weighted out-degree: interactions it makes, all types.
    pub out_degree: u64,
    pub pagerank: f64,
    /// Normalised betweenness (0–1) on the undirected projection; null when not computed.
    pub betweenness: Option<f64>,
    /// Louvain community, numbered by size (0 the largest).
    #[serde(default)]
    pub community: u64,
}

/// The co-engagement network: accounts linked when both react (reply, comment, reshare, quote) to
/// the same posts, weighted by how many, links below `min_weight` pruned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CoEngagement {
    pub min_weight: u64,
    /// Posts reacted to that were counted.
    pub posts_considered: u64,
    /// Posts left out for having more than 1,000 reacting accounts.
    pub posts_skipped: u64,
    /// Accounts with at least one link of `min_weight` or more.
    pub nodes: u64,
    pub edges: u64,
    pub modularity: Option<f64>,
    pub community_count: u64,
    /// The accounts with the most shared reactions (`in_degree` = `out_degree` = the sum of the
    /// weights of their links), most first.
    pub top_accounts: Vec<NetworkAccount>,
    /// The whole graph, for co-engagement.gexf; not in factsheet.json.
    #[serde(skip)]
    pub graph: Graph,
}

/// A Louvain community of the interaction network.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Community {
    /// Its number (0 the largest), as in each account's `community` and in network.gexf.
    pub id: u64,
    pub accounts: u64,
    /// Focus accounts in it.
    pub focus_accounts: u64,
    /// Its accounts of highest PageRank (handles, highest first).
    pub top_accounts: Vec<String>,
    /// Posts by its accounts.
    pub posts: u64,
    /// Characteristic words of its accounts' posts against all other posts.
    pub terms: Vec<Term>,
}

impl Default for NetworkAccount {
    fn default() -> Self {
        NetworkAccount {
            handle: String::new(),
            role: Role::Citizen,
            focus: false,
            in_degree: 0,
            out_degree: 0,
            pagerank: 0.0,
            betweenness: None,
            community: 0,
        }
    }
}

/// The whole interaction graph: nodes, and edges by node index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<NetworkAccount>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub source: usize,
    pub target: usize,
    pub kind: EdgeKind,
    /// Posts making this edge.
    pub weight: u64,
}

/// Section 8: personal data in the posts ([`dialoog_text::pii`]), by role and type; the focus
/// accounts' posts first (the study: government shares no personal data, so they must show 0).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Privacy {
    /// Whether personal data is redacted in every output derived from post texts.
    pub redacted: bool,
    /// Whether authors other than the focus accounts were pseudonymised.
    pub pseudonymised: bool,
    /// All posts of the case.
    pub all: PersonalDataCount,
    /// The focus accounts' posts.
    pub focus: PersonalDataCount,
    /// By the author's role.
    pub by_role: BTreeMap<Role, PersonalDataCount>,
    /// Service numbers and role mailboxes found (organisational contact data, not counted above).
    pub organisational_contacts: u64,
    /// The focus accounts' posts with personal data, earliest first (at most 20), redacted
    /// unless redaction is off.
    pub focus_examples: Vec<PersonalDataExample>,
    /// The patterns in force, so the output documents itself.
    pub patterns: Vec<PersonalDataPattern>,
}

/// Personal data in a group of posts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonalDataCount {
    pub posts: u64,
    /// Posts with at least one piece of personal data.
    pub posts_with_personal_data: u64,
    /// Pieces found, by type (every type present, zeros included).
    pub found: BTreeMap<PersonalData, u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalDataExample {
    /// The types found in it.
    pub types: Vec<PersonalData>,
    pub post: ExamplePost,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalDataPattern {
    #[serde(rename = "type")]
    pub kind: PersonalData,
    pub label: String,
    pub pattern: String,
    pub check: String,
}

/// Section 9: method and provenance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Method {
    pub dialoog_version: String,
    pub store: String,
    pub inputs: Vec<FileStats>,
    /// Files in the given folders that were not read (no known format, a CSV file without a
    /// column mapping), with why.
    #[serde(default)]
    pub skipped: Vec<Skipped>,
    pub registry: Option<String>,
    pub registry_accounts: u64,
    pub case_file: Option<String>,
    pub source_note: String,
    /// Measure name → its exact definition, as applied.
    pub definitions: BTreeMap<String, String>,
}

/// Section 5: the reaction of everyone but the focus accounts ("the public"): their posts with
/// text (plain reshares and empty texts left out).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reaction {
    /// Public posts with text.
    pub posts: u64,
    /// Their three-way sentiment and mean score.
    pub sentiment: SentimentMix,
    /// A lexicon score below this is negative (for languages without a polarity model).
    pub negative_below: f64,
    /// A lexicon score above this is positive; in between is neutral.
    pub positive_above: f64,
    /// Per bucket of the activity series (same starts, same order, zero-filled).
    pub over_time: Vec<SentimentBucket>,
    /// Per focus account: the public posts addressed to it (reply to its post or mention).
    pub by_target: Vec<TargetReaction>,
    /// Public posts that ask a question.
    pub questions: u64,
    /// questions ÷ posts; null without posts.
    pub question_share: Option<f64>,
    /// The terms used in the most public posts (stemmed, stopwords left out), most first.
    pub top_terms: Vec<TermCount>,
    /// The hashtags used in the most public posts, most first.
    pub top_hashtags: Vec<TermCount>,
    /// The sentiment lexicons, the Dutch polarity model and the stopword lists, with licences.
    pub resources: Vec<Resource>,
}

/// Posts by three-way polarity, and their mean sentiment score.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SentimentMix {
    pub negative: u64,
    pub neutral: u64,
    pub positive: u64,
    /// Mean lexicon score in [−1, 1]; null without posts.
    pub mean_score: Option<f64>,
}

impl SentimentMix {
    /// negative + neutral + positive.
    pub fn total(&self) -> u64 {
        self.negative + self.neutral + self.positive
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SentimentBucket {
    /// Start of the bucket, as in `activity.series`.
    pub start: String,
    pub sentiment: SentimentMix,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetReaction {
    pub handle: String,
    /// Public posts addressed to this account.
    pub posts: u64,
    pub sentiment: SentimentMix,
    pub questions: u64,
    pub question_share: Option<f64>,
}

/// A term or hashtag and the number of posts using it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermCount {
    pub term: String,
    pub posts: u64,
}

/// A lexicon, model or word list the factsheet's text measures use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// "sentiment lexicon", "polarity model" or "stopwords".
    pub kind: String,
    /// "nl", "en" or "any".
    pub language: String,
    pub name: String,
    pub licence: String,
    /// Where it ships in the repository.
    pub file: String,
}

/// The posts with the most reactions: of the focus accounts, and of everyone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopPosts {
    pub focus: Vec<TopPost>,
    pub overall: Vec<TopPost>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopPost {
    pub post: ExamplePost,
    /// Whether its author is a focus account.
    pub focus: bool,
    /// likes + reshares + replies + quotes as exported (those known), or else its direct replies
    /// in the data by other accounts.
    pub reactions: u64,
    /// "exported counts" or "replies in the data": where `reactions` comes from.
    pub reactions_from: String,
    pub likes: Option<u64>,
    pub reshares: Option<u64>,
    pub replies: Option<u64>,
    pub quotes: Option<u64>,
    /// Posts below it in its reply tree, by other accounts than its author.
    pub replies_in_data: u64,
    /// The sentiment of those replies.
    pub replies_sentiment: SentimentMix,
    /// Words of those replies against all replies in the case (log-odds z-score).
    pub reply_terms: Vec<Term>,
}

/// The topic mix: each post is matched against documented keyword sets; a post can belong to
/// several topics or none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Topics {
    /// Focus posts with text (the denominator of the focus shares).
    pub focus_posts: u64,
    /// Citizen posts with text (authors with role citizen that are not focus accounts).
    pub citizen_posts: u64,
    pub topics: Vec<TopicShare>,
    /// Posts matching no topic.
    pub unmatched_focus_posts: u64,
    pub unmatched_citizen_posts: u64,
    /// The pairs of terms used together in the most posts (all posts with text), most first.
    pub co_occurrence: Vec<TermPair>,
    /// The keyword sets in force, so the output documents itself.
    pub keyword_sets: Vec<KeywordSet>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopicShare {
    /// "service", "policy" or "crisis".
    pub id: String,
    pub name: String,
    /// The study's Dutch name (dienstverlening, beleid, crisis).
    pub dutch: String,
    /// All posts with text matching it.
    pub posts: u64,
    pub focus_posts: u64,
    /// focus_posts ÷ focus posts with text.
    pub focus_share: Option<f64>,
    pub citizen_posts: u64,
    pub citizen_share: Option<f64>,
    /// Words of its posts against all posts (log-odds z-score), most characteristic first.
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermPair {
    pub a: String,
    pub b: String,
    /// Posts using both.
    pub posts: u64,
}

/// One topic's documented keywords per language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeywordSet {
    pub id: String,
    pub name: String,
    pub dutch: String,
    pub description: String,
    /// Dutch keywords: whole words, or word starts when ending in `*`.
    pub nl: Vec<String>,
    /// English keywords, likewise.
    pub en: Vec<String>,
}

/// The headline box of one focus account, as on the study's factsheets. Counts the export does
/// not give stay null (unknown), never 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineAccount {
    pub handle: String,
    /// The platform it posted on: an organisation on two platforms has a row on each.
    #[serde(default)]
    pub platform: String,
    pub role: Role,
    /// Followers as exported with its latest post; null when the export does not say.
    pub followers: Option<u64>,
    /// Its posts, all kinds but plain reshares.
    pub posts: u64,
    /// Likes on those posts (exported counts).
    pub likes: CountOnPosts,
    /// Comments (replies) on those posts (exported counts).
    pub comments: CountOnPosts,
    /// Shares (reshares) of those posts (exported counts).
    pub shares: CountOnPosts,
    /// Distinct other accounts in the data that reply to, comment on, reshare or quote its posts.
    pub unique_engagers: u64,
    /// unique_engagers ÷ followers; null when followers are unknown or 0.
    pub engagers_per_follower: Option<f64>,
    /// likes ÷ comments over the posts where both are known; null when there are none or no comments.
    pub likes_per_comment: Option<f64>,
    /// Broadcast ratio: its own posts (posts and quotes) : replies : plain reshares.
    pub broadcast: Broadcast,
}

/// An exported count summed over an account's posts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CountOnPosts {
    /// Sum over the posts whose export gives the count; null when none does.
    pub total: Option<u64>,
    /// Posts whose export gives the count.
    pub posts_known: u64,
    /// total ÷ posts_known; null when no post gives the count.
    pub per_post: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Broadcast {
    /// Original posts and quotes.
    pub own_posts: u64,
    /// Replies and comments.
    pub replies: u64,
    /// Plain reshares of others' posts.
    pub reshares: u64,
}

/// Section 7: reshare and quote cascades of the focus accounts' posts, and the domains linked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Focus-account posts whose spread is measured (all kinds but plain reshares).
    pub focus_posts: u64,
    /// Of those, posts reshared or quoted at least once in the data.
    pub spread_posts: u64,
    /// Reshares and quotes in all cascades (the data's, not the exported counts).
    pub reshares: u64,
    pub quotes: u64,
    /// Reshares the exports count for the same posts, where given (often more than the data holds).
    pub reshares_exported: Option<u64>,
    /// Of the cascade posts, the share by accounts that are not focus accounts (0–1).
    pub non_government_share: Option<f64>,
    /// The same weighted by the followers of the resharing accounts, over those whose followers
    /// are known; null when none are.
    pub non_government_follower_share: Option<f64>,
    /// Largest cascade size and depth.
    pub max_size: u64,
    pub max_depth: u64,
    /// Median (nearest rank) of the time to half of reshares over the spread posts, seconds.
    pub median_half_time_seconds: Option<f64>,
    /// The largest cascades, largest first.
    pub top: Vec<Cascade>,
    /// Per focus account: its posts, how many spread, cascade posts, the non-government share.
    pub by_account: Vec<AccountSpread>,
    /// External domains linked in the focus accounts' posts, most linked first.
    pub domains_focus: Vec<DomainCount>,
    /// External domains linked in the citizens' posts (role citizen), most linked first.
    pub domains_citizens: Vec<DomainCount>,
}

/// The reshares and quotes of one post, and the reshares and quotes of those quotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cascade {
    pub post: ExamplePost,
    /// Reshares and quotes in the cascade.
    pub size: u64,
    pub reshares: u64,
    pub quotes: u64,
    /// Longest chain: 1 when every reshare and quote is of the post itself.
    pub depth: u64,
    /// Time from the post to the reshare or quote that brings the cascade to half its size
    /// (rank ⌈size/2⌉ in time order), seconds.
    pub half_time_seconds: Option<f64>,
    /// Distinct accounts in the cascade, and those of them that are not focus accounts.
    pub accounts: u64,
    pub non_government_accounts: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountSpread {
    pub handle: String,
    /// The platform it posted on: an organisation on two platforms has a row on each.
    #[serde(default)]
    pub platform: String,
    pub posts: u64,
    pub spread_posts: u64,
    /// Reshares and quotes in its posts' cascades.
    pub cascade_posts: u64,
    pub non_government_share: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DomainCount {
    pub domain: String,
    /// Links to it (each URL of each post once).
    pub links: u64,
    /// Posts linking to it.
    pub posts: u64,
}

/// Voice and dialogue by who sends (the focus accounts' roles) and by when (periods).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// One row per role among the focus accounts (government, politician, organisation, …).
    pub by_role: Vec<Slice>,
    /// "day", "week" (starting Monday) or "month", in the case time zone, by the length of the case.
    pub period: String,
    /// One row per period from the first to the last post, zero rows included.
    pub by_period: Vec<Slice>,
}

/// Voice and dialogue measures of one slice of the case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Slice {
    /// The role name, or the local start of the period (RFC 3339 date).
    pub label: String,
    /// Focus accounts of this role that posted (by_role only; 0 for periods).
    pub accounts: u64,
    pub government_posts: u64,
    pub government_replies: u64,
    pub referrals: u64,
    pub referral_share: Option<f64>,
    pub modes: BTreeMap<Mode, u64>,
    /// By role: posts addressed to an account of the role, answered by one of them. By period:
    /// posts addressed in the period (answers may come later), answered by any focus account.
    pub addressed: u64,
    pub answered: u64,
    pub reply_rate: Option<f64>,
    pub response_time_seconds: ResponseTime,
}
