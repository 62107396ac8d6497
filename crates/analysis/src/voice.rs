//! Section 3, the government's voice: every post of a focus account (plain reshares aside) is
//! classified by `dialoog_text::classify` into a participation mode; replies that send the person
//! to another channel are referrals, and referral share = referrals ÷ replies — the study's
//! headline measure. Also the earliest examples per mode, the rules in force, and per account.

use crate::factsheet::{AccountVoice, Example, ExamplePost, RuleDoc, Voice};
use crate::{Prepared, account_key, dialogue::ratio, is_reply};
use dialoog_model::{Mode, PostKind, PostTable};
use dialoog_text::Classification;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Examples kept per mode: the earliest ones.
pub(crate) const EXAMPLES_PER_MODE: usize = 3;

/// The rule id shown for a post no rule matched.
pub(crate) const NO_RULE: &str = "none";

pub(crate) fn all_modes() -> BTreeMap<Mode, u64> {
    Mode::ALL.iter().map(|&m| (m, 0)).collect()
}

/// One classified focus post: its index, whether it is a reply, whether a referral, its mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Classified {
    pub index: usize,
    pub reply: bool,
    pub referral: bool,
    pub mode: Mode,
}

/// Every focus post's classification (plain reshares aside), by post index in index order.
/// `originals` is the table of `prepared`'s posts before redaction: modes and referrals are
/// classified on them, since a phone number or e-mail address is what makes a referral. Apart
/// from [`compute`] so it runs while the texts are held.
pub(crate) fn classify(prepared: &Prepared, originals: &PostTable) -> Vec<(usize, Classification)> {
    prepared
        .posts
        .par_iter()
        .enumerate()
        .filter(|&(i, post)| prepared.focus[i] && post.kind() != PostKind::Reshare)
        .map(|(i, post)| {
            let text = originals.same_row(*post).text();
            (
                i,
                dialoog_text::classify(text, post.lang(), is_reply(*post)),
            )
        })
        .collect()
}

/// The section, and every classified post (for the breakdowns), from [`classify`]'s classes.
pub(crate) fn compute(
    prepared: &Prepared,
    classes: &[(usize, Classification)],
) -> (Voice, Vec<Classified>) {
    let mut classified = Vec::new();
    let mut voice = Voice {
        modes: all_modes(),
        rules: dialoog_text::rules()
            .iter()
            .map(|r| RuleDoc {
                id: r.id.to_owned(),
                mode: r.mode,
                language: r.language.to_owned(),
                pattern: r.pattern.to_owned(),
                description: r.description.to_owned(),
            })
            .collect(),
        ..Voice::default()
    };
    // Per mode, the earliest posts (time, id, index, rule), kept sorted.
    let mut earliest: BTreeMap<Mode, Vec<(i64, &str, usize, &'static str)>> = BTreeMap::new();
    let mut accounts: HashMap<String, AccountVoice> = HashMap::new();
    for &(i, class) in classes {
        let post = &prepared.posts[i];
        let reply = is_reply(*post);
        let referral = reply && class.referral;
        classified.push(Classified {
            index: i,
            reply,
            referral,
            mode: class.mode,
        });
        voice.government_posts += 1;
        voice.government_replies += u64::from(reply);
        voice.referrals += u64::from(referral);
        *voice.modes.entry(class.mode).or_default() += 1;

        let examples = earliest.entry(class.mode).or_default();
        let key = (
            post.created_at().timestamp_millis(),
            post.id(),
            i,
            class.rule.unwrap_or(NO_RULE),
        );
        if examples.len() < EXAMPLES_PER_MODE || key < examples[examples.len() - 1] {
            let at = examples.partition_point(|e| *e < key);
            examples.insert(at, key);
            examples.truncate(EXAMPLES_PER_MODE);
        }

        let account = accounts
            .entry(account_key(post.author_handle(), post.author_id()))
            .or_insert_with(|| AccountVoice {
                handle: post.author_shown().to_owned(),
                modes: all_modes(),
                ..AccountVoice::default()
            });
        account.posts += 1;
        account.replies += u64::from(reply);
        account.referrals += u64::from(referral);
        *account.modes.entry(class.mode).or_default() += 1;
    }
    voice.referral_share = ratio(voice.referrals, voice.government_replies);
    voice.examples = earliest
        .into_iter()
        .flat_map(|(mode, list)| list.into_iter().map(move |(_, _, i, rule)| (mode, i, rule)))
        .map(|(mode, i, rule)| Example {
            mode,
            rule: rule.to_owned(),
            post: ExamplePost::of(prepared.posts[i]),
        })
        .collect();
    let mut by_account: Vec<(String, AccountVoice)> = accounts
        .into_iter()
        .map(|(account, mut a)| {
            a.referral_share = ratio(a.referrals, a.replies);
            (account, a)
        })
        .collect();
    // Ended by the account key: two accounts may show the same handle.
    by_account.sort_by(|(account_a, a), (account_b, b)| {
        b.posts
            .cmp(&a.posts)
            .then_with(|| a.handle.to_lowercase().cmp(&b.handle.to_lowercase()))
            .then_with(|| account_a.cmp(account_b))
    });
    voice.by_account = by_account.into_iter().map(|(_, a)| a).collect();
    (voice, classified)
}

/// The mode with most posts (the first in ladder order on ties), when there are posts.
pub(crate) fn top_mode(modes: &BTreeMap<Mode, u64>) -> Option<(Mode, u64)> {
    modes.iter().filter(|(_, count)| **count > 0).fold(
        None,
        |best: Option<(Mode, u64)>, (&mode, &count)| match best {
            Some((_, top)) if top >= count => best,
            _ => Some((mode, count)),
        },
    )
}
