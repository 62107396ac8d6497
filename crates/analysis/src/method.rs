//! Section 9, method and provenance: versions, inputs, registry and case files, the source note,
//! and the exact definitions every measure in the factsheet applies.

use crate::Context;
use crate::activity::DAY_BUCKETS_ABOVE;
use crate::factsheet::Method;
use std::collections::BTreeMap;

/// Measure name → its definition, as [`crate::build_factsheet`] applies it. "Government" is the
/// case's focus accounts.
pub fn definitions() -> BTreeMap<String, String> {
    let days = DAY_BUCKETS_ABOVE.num_days();
    [
        ("government", "The case's focus accounts: the accounts the case names, or else every registry account with one of the case's focus roles (default: government). Other authors take their registry role; unregistered authors are citizens."),
        ("posts", "Canonical posts (posts, replies, comments, reshares, quotes) created within the case period (start inclusive, end exclusive, UTC dates); a (platform, id) counts once."),
        ("authors", "Distinct (platform, author id) among the posts."),
        ("thread", "The reply trees given by in_reply_to_id among the posts in the case; a post whose parent is not in the data starts its own tree. A post's descendants are all posts below it in its tree (on a reply cycle in dirty data: every post the cycle reaches)."),
        ("addressed", "A non-government post, other than a plain reshare, that replies to a government post in the data or mentions a government account."),
        ("answered", "An addressed post with at least one government post among its descendants."),
        ("reply_rate", "answered ÷ addressed."),
        ("response_time", "Time of the earliest government post among an answered post's descendants − the post's own time, in seconds; over all answered posts: n, median and p90 by nearest rank (the value at rank ⌈q·n⌉, 1-based), mean. Negative times (clock skew) are kept and fall in the first band."),
        ("response_time_bands", "< 15 min, 15–60 min, 1–4 h, 4–24 h, ≥ 24 h; each band includes its lower bound and excludes its upper bound."),
        ("by_account", "Per government account: posts addressed to it (replying to its post or mentioning it), of those answered by it (one of its posts among the descendants), its reply rate and its response time (its earliest post among the descendants − the post's time)."),
        ("replies_to_public_share", "Of the government replies whose parent is in the data, the share whose parent is not a government post."),
        ("government_posts", "Posts by government accounts, all kinds but plain reshares; each gets one participation mode."),
        ("government_replies", "Government posts of kind reply or comment, or with a parent id."),
        ("participation_mode", "Rule-based, after the study: the first matching rule in this order decides — referral, internal, co-decide (poll, vote, choice), co-produce (asks to act, report, contribute), consult (asks opinions; also an original post that asks a question), advise, inform (a link or an announcement), other. The rules are listed in voice.rules."),
        ("referral", "A government reply that sends the person to another channel instead of answering: a phone number, 14 0xx, \"bel\", \"mail\", \"DM ons\", \"kijk op\", \"neem contact op\", a form or desk URL; in English \"DM us\", \"call us\", \"contact us at\", \"reach out to\", \"email us\", \"chat with us\", \"fill out the form\" (rules referral.* in voice.rules)."),
        ("referral_share", "Referrals ÷ government replies."),
        ("activity", "Posts per bucket and role in the case time zone, zero-filled from the first to the last bucket; buckets are days when the posts span more than DAYS days, else hours. Hour of day: posts per local hour (0–23)."),
        ("bursts", "Kleinberg's two-state burst automaton (Kleinberg 2002, batched variant) on the per-hour series of all posts in the case time zone, zero-filled from the first to the last hour. Of all N posts, r_t fall in hour t; over n hours the base state has rate p0 = 1/n, the burst state p1 = 2·p0 (s = 2); an hour costs −ln(p^r_t·(1−p)^(N−r_t)) in its state, entering the burst state costs 1·ln n (γ = 1), leaving it is free; the least-cost state sequence (Viterbi) marks the bursty hours and a burst is a maximal run of them. Weight: the cost the burst state saves over the burst's hours. Terms: words of the burst's posts against all other posts by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008; prior = word counts over all posts), z-score, at least 2 uses inside; words are lower-cased, split at non-letters, URLs, @mentions, numbers, words under 3 letters and the stopwords-iso English and Dutch lists (MIT) left out."),
        ("network", "The interaction graph between accounts (accounts keyed by lower-cased handle, else id): a reply links its author to the author of its parent (the parent in the data, else in_reply_to_author_id), a mention its author to the mentioned handle (each handle once per post), a reshare or quote its author to the author of the original (in the data, else the handle of a classic \"RT @handle:\"). Edges are directed and typed — reply, mention, reshare, quote, never merged; an edge's weight is the number of posts making it; self-loops are left out. In- and out-degree: weights received and made, all types. PageRank: power iteration on the weighted graph, all types summed, damping 0.85, rank of accounts without outgoing edges spread evenly, until the L1 change is below 1e-12 (at most 200 rounds). Betweenness: Brandes' algorithm on the undirected, unweighted projection, normalised by (n−1)(n−2)/2; computed only up to 5,000 accounts. Communities: the Louvain method (Blondel et al. 2008) on the undirected projection, weights of all types and both directions added, nodes visited in a fixed order, a move only for a strictly larger modularity gain; numbered by size (0 the largest); Newman's modularity of the result reported; each community's characteristic words are the words of its accounts' posts against all other posts (log-odds with an informative Dirichlet prior, as for bursts). The whole graph is in network.gexf (GEXF 1.3)."),
        ("headline_box", "Per focus account: followers as exported with its latest post that gives them; its posts (all kinds but plain reshares); likes, comments (replies) and shares (reshares) on those posts as the export counts them — summed over the posts whose export gives the count, per post over those posts, unknown (—) when none gives it, never 0; unique engagers: distinct other accounts whose replies, comments, reshares or quotes of its posts are in the data; engagers ÷ followers; likes ÷ comments over the posts that give both; broadcast ratio: its original posts and quotes : its replies and comments : its plain reshares."),
        ("spread", "For each focus-account post (plain reshares aside), its cascade: the reshares and quotes of it in the data, and those of its quotes, recursively (each post once). Size: reshares and quotes in it; depth: the longest chain (1 when all reshare or quote the post itself); time to half of reshares: from the post to the cascade post of rank ⌈size/2⌉ in time order. Share of reach via non-government accounts: cascade posts by accounts that are not focus accounts ÷ all cascade posts; weighted by followers: the followers of the distinct non-focus accounts in each cascade ÷ those of all its accounts, where the export gives followers. Exported reshares are the platform's counts on the same posts, for comparison. Totals add cascades up, so a focus quote of a focus post counts in both."),
        ("domains", "Hosts of the expanded URLs in posts (plain reshares aside), lower-cased, without www. and port; a host of the post's own platform (x.com, twitter.com, t.co, bsky.app, reddit.com, …) or of the post's own URL is not external. Links: each distinct URL of a post once; posts: posts linking to the domain. Listed for the focus accounts' posts and for the citizens' posts (role citizen, not focus)."),
        ("breakdown", "Voice and dialogue by sender and by period. By role: the focus accounts grouped by their registry role (a focus account the registry does not know counts as citizen); their posts, replies, referrals and modes; posts addressed to an account of the role (reply to its post or mention), answered when a post of an account of the role is among the descendants, with response times to the earliest such post. By period: days when the posts span at most 14 days, weeks from Monday up to 183 days, else months, in the case time zone, zero-filled; the focus accounts' posts made in the period, and the posts addressed in the period, answered by any focus account (the answer may fall in a later period)."),
        ("co_engagement", "The study's co-engagement network: two accounts are linked when both react to the same posts — reply or comment to, reshare or quote a post in the data (an account's own posts aside; several reactions of one account to one post count once) — weighted by the number of such posts; links below the minimum weight (MIN_WEIGHT shared posts; default 5, the study's; case.toml co_engagement_min_weight or --co-engagement-min-weight) are pruned. Likes are only counts in the exports, not people, so they link nobody. Posts with more than 1,000 reacting accounts are left out (counted in posts_skipped). Degree: the sum of an account's link weights; communities and modularity as for the interaction network. The whole graph is in co-engagement.gexf."),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.replace("DAYS", &days.to_string())))
    .collect()
}

pub(crate) fn compute(context: &Context, min_weight: u64) -> Method {
    Method {
        dialoog_version: context.dialoog_version.clone(),
        store: context.store.clone(),
        inputs: context.inputs.clone(),
        registry: context.registry_path.clone(),
        registry_accounts: context.registry.accounts().len() as u64,
        case_file: context.case_path.clone(),
        source_note: context.case.source.clone(),
        definitions: definitions()
            .into_iter()
            .map(|(k, v)| (k, v.replace("MIN_WEIGHT", &min_weight.to_string())))
            .collect(),
    }
}
