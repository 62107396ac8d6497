//! Section 4, dialogue: which public posts address the focus accounts, which of them are answered
//! (a focus post anywhere below them in the reply tree), and how fast — overall and per account.
//!
//! One bottom-up pass over the reply forest carries, for every post, the earliest post of each
//! focus account among its descendants (a short list: threads rarely hold more than one or two
//! focus accounts), so the whole section is linear in the number of posts. Reply cycles in dirty
//! data are folded as one group: every post of a cycle reaches all the others.

use crate::factsheet::{AccountDialogue, Band, Dialogue, ResponseTime};
use crate::{Context, Prepared, account_key, is_reply};
use dialoog_model::{Platform, PostKind, Role};
use foldhash::HashMap;
use std::collections::BTreeMap;

/// The upper bounds (seconds, exclusive) and labels of the response-time bands.
pub(crate) const BANDS: &[(&str, Option<u64>)] = &[
    ("< 15 min", Some(15 * 60)),
    ("15–60 min", Some(60 * 60)),
    ("1–4 h", Some(4 * 3600)),
    ("4–24 h", Some(24 * 3600)),
    ("≥ 24 h", None),
];

/// What the dialogue pass finds beyond the factsheet's fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct DialogueNotes {
    /// Answered posts whose earliest focus descendant is older than the post itself (clock
    /// skew or dirty data); they stay in the times and fall in the first band.
    pub negative: u64,
    /// Every addressed post (its index) with its response time when answered, for the breakdown
    /// by period.
    pub addressed_posts: Vec<(usize, Option<f64>)>,
    /// By role of the focus accounts: posts addressed to an account of the role, answered by one.
    pub by_role: BTreeMap<Role, RoleTally>,
}

/// Addressed and answered posts of one role, with the response times.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RoleTally {
    pub addressed: u64,
    pub answered: u64,
    pub times: Vec<f64>,
}

/// Focus accounts seen as authors or as mentioned/replied-to targets, numbered densely.
#[derive(Default)]
struct Accounts {
    index: HashMap<String, u32>,
    handles: Vec<String>,
    roles: Vec<Role>,
}

impl Accounts {
    /// The account's number, a new one when its key is new: the key is copied only then.
    fn id(&mut self, key: &str, display: &str, role: Role) -> u32 {
        if let Some(&id) = self.index.get(key) {
            return id;
        }
        let next = self.handles.len() as u32;
        self.index.insert(key.to_owned(), next);
        self.handles.push(display.to_owned());
        self.roles.push(role);
        next
    }
}

/// Earliest time (ms) per focus account, sorted by account.
type Earliest = Vec<(u32, i64)>;

fn insert(list: &mut Earliest, account: u32, at: i64) {
    match list.binary_search_by_key(&account, |&(a, _)| a) {
        Ok(k) => list[k].1 = list[k].1.min(at),
        Err(k) => list.insert(k, (account, at)),
    }
}

fn merge(into: &mut Earliest, from: &Earliest) {
    for &(account, at) in from {
        insert(into, account, at);
    }
}

#[derive(Default)]
struct Tally {
    addressed: u64,
    answered: u64,
    times: Vec<f64>,
}

/// Who addresses which focus account: the focus accounts (numbered densely, handles as their
/// authors write them), each post's author as a focus account, and the focus accounts each
/// addressed post is addressed to (`None` when it addresses none).
pub(crate) struct Addressing {
    pub handles: Vec<String>,
    /// Registry role of each focus account (same numbering as `handles`).
    pub roles: Vec<Role>,
    pub author: Vec<Option<u32>>,
    /// The accounts post i addresses are `target_list[target_start[i]..target_start[i + 1]]`:
    /// one vector for all posts instead of an `Option<Vec>` of 24 bytes a post. Offsets as
    /// `u32`: four billion targets would not fit in memory as mentions either.
    target_start: Vec<u32>,
    target_list: Vec<u32>,
}

impl Addressing {
    pub(crate) fn of(prepared: &Prepared, context: &Context) -> Addressing {
        let posts = &prepared.posts;
        let threads = &prepared.threads;
        let n = posts.len();
        let mut accounts = Accounts::default();
        // Authors first, so an account shows with the capitals of its own handle.
        let author: Vec<Option<u32>> = (0..n)
            .map(|i| {
                prepared.focus[i].then(|| {
                    let p = posts[i];
                    accounts.id(prepared.author_key(i), p.author_shown(), prepared.roles[i])
                })
            })
            .collect();
        // The account of each distinct mention of a focus account (None: not one), numbered
        // when first met, as when it was looked up per mention.
        let mut mentioned: HashMap<(Platform, &str), Option<u32>> = HashMap::default();
        let mut target_start: Vec<u32> = Vec::with_capacity(n + 1);
        target_start.push(0);
        let mut target_list: Vec<u32> = Vec::new();
        let mut to: Vec<u32> = Vec::new();
        for (i, &p) in posts.iter().enumerate() {
            to.clear();
            if !prepared.focus[i] && p.kind() != PostKind::Reshare {
                if let Some(parent) = threads.parent(i)
                    && let Some(a) = author[parent]
                {
                    to.push(a);
                }
                for mention in p.mentions() {
                    let mention = mention.trim_start_matches('@');
                    let focus_account =
                        *mentioned.entry((p.platform(), mention)).or_insert_with(|| {
                            context
                                .case
                                .is_focus_account(context.registry, p.platform(), "", mention)
                                .then(|| {
                                    let role = context
                                        .registry
                                        .lookup(p.platform(), "", mention)
                                        .map_or(Role::Citizen, |a| a.role);
                                    accounts.id(&account_key(mention, ""), mention, role)
                                })
                        });
                    to.extend(focus_account);
                }
                to.sort_unstable();
                to.dedup();
                target_list.extend_from_slice(&to);
            }
            target_start.push(target_list.len() as u32);
        }
        Addressing {
            handles: accounts.handles,
            roles: accounts.roles,
            author,
            target_start,
            target_list,
        }
    }

    /// The focus accounts post i addresses, ascending; `None` when it addresses none.
    pub(crate) fn targets(&self, i: usize) -> Option<&[u32]> {
        let (from, to) = (
            self.target_start[i] as usize,
            self.target_start[i + 1] as usize,
        );
        (from < to).then(|| &self.target_list[from..to])
    }
}

pub(crate) fn compute(prepared: &Prepared, addressing: &Addressing) -> (Dialogue, DialogueNotes) {
    let posts = &prepared.posts;
    let threads = &prepared.threads;
    let n = posts.len();
    let (handles, account_roles, author) =
        (&addressing.handles, &addressing.roles, &addressing.author);

    let mut total = Tally::default();
    let mut per_account: Vec<Tally> = (0..handles.len()).map(|_| Tally::default()).collect();
    let mut notes = DialogueNotes::default();
    let millis = |i: usize| posts[i].created_at().timestamp_millis();
    let mut evaluate = |i: usize, below: &Earliest, to: &[u32]| {
        let own = millis(i);
        total.addressed += 1;
        let first = below.iter().map(|&(_, at)| at).min();
        if let Some(first) = first {
            total.answered += 1;
            if first < own {
                notes.negative += 1;
            }
            total.times.push((first - own) as f64 / 1000.0);
        }
        notes
            .addressed_posts
            .push((i, first.map(|first| (first - own) as f64 / 1000.0)));
        let mut roles: Vec<Role> = to.iter().map(|&a| account_roles[a as usize]).collect();
        roles.sort_unstable();
        roles.dedup();
        for role in roles {
            let tally = notes.by_role.entry(role).or_default();
            tally.addressed += 1;
            let first = below
                .iter()
                .filter(|&&(b, _)| account_roles[b as usize] == role)
                .map(|&(_, at)| at)
                .min();
            if let Some(first) = first {
                tally.answered += 1;
                tally.times.push((first - own) as f64 / 1000.0);
            }
        }
        for &a in to {
            let tally = &mut per_account[a as usize];
            tally.addressed += 1;
            if let Ok(k) = below.binary_search_by_key(&a, |&(b, _)| b) {
                tally.answered += 1;
                tally.times.push((below[k].1 - own) as f64 / 1000.0);
            }
        }
    };

    let order = threads.bottom_up();
    // Boxed: most posts have no focus account below them, and an empty box is 8 bytes where an
    // empty list is 24.
    let mut below: Vec<Option<Box<Earliest>>> = vec![None; n];
    for &i in &order.order {
        let list = below[i].take().map_or_else(Earliest::new, |list| *list);
        if let Some(to) = addressing.targets(i) {
            evaluate(i, &list, to);
        }
        if let Some(parent) = threads.parent(i)
            && (!list.is_empty() || author[i].is_some())
        {
            let into = below[parent].get_or_insert_with(Box::default);
            merge(into, &list);
            if let Some(a) = author[i] {
                insert(into, a, millis(i));
            }
        }
    }
    for cycle in &order.cycles {
        let mut union = Earliest::new();
        for &i in cycle {
            if let Some(list) = &below[i] {
                merge(&mut union, list);
            }
            if let Some(a) = author[i] {
                insert(&mut union, a, millis(i));
            }
        }
        for &i in cycle {
            if let Some(to) = addressing.targets(i) {
                evaluate(i, &union, to);
            }
        }
    }

    // Reciprocity: of the focus accounts' replies whose parent is in the data, the share that
    // answer a non-focus post.
    let (mut replies_with_parent, mut to_public) = (0u64, 0u64);
    for (i, post) in posts.iter().enumerate() {
        if prepared.focus[i]
            && is_reply(*post)
            && let Some(parent) = threads.parent(i)
        {
            replies_with_parent += 1;
            if !prepared.focus[parent] {
                to_public += 1;
            }
        }
    }

    let distribution = bands(&total.times);
    let mut by_account: Vec<AccountDialogue> = per_account
        .into_iter()
        .zip(handles)
        .map(|(mut tally, handle)| AccountDialogue {
            handle: handle.clone(),
            addressed: tally.addressed,
            answered: tally.answered,
            reply_rate: ratio(tally.answered, tally.addressed),
            response_time_seconds: response_time(&mut tally.times),
        })
        .collect();
    by_account.sort_by(|a, b| {
        b.addressed
            .cmp(&a.addressed)
            .then_with(|| a.handle.to_lowercase().cmp(&b.handle.to_lowercase()))
    });
    let dialogue = Dialogue {
        addressed: total.addressed,
        answered: total.answered,
        reply_rate: ratio(total.answered, total.addressed),
        response_time_seconds: response_time(&mut total.times),
        distribution,
        replies_to_public_share: ratio(to_public, replies_with_parent),
        by_account,
    };
    (dialogue, notes)
}

/// part ÷ whole, or None when whole is 0.
pub(crate) fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The value at nearest rank ⌈p/100 · n⌉ (1-based) of sorted values, in integer arithmetic.
pub(crate) fn nearest_rank(sorted: &[f64], percent: usize) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}

/// n, median and p90 (nearest rank) and mean of response times in seconds (sorts them).
pub(crate) fn response_time(times: &mut [f64]) -> ResponseTime {
    times.sort_by(f64::total_cmp);
    ResponseTime {
        n: times.len() as u64,
        median: nearest_rank(times, 50),
        p90: nearest_rank(times, 90),
        mean: (!times.is_empty()).then(|| times.iter().sum::<f64>() / times.len() as f64),
    }
}

/// Counts per response-time band; negative times fall in the first band.
pub(crate) fn bands(times: &[f64]) -> Vec<Band> {
    let mut counts = vec![0u64; BANDS.len()];
    for &t in times {
        let k = BANDS
            .iter()
            .position(|&(_, upper)| upper.is_none_or(|u| t < u as f64))
            .unwrap_or(BANDS.len() - 1);
        counts[k] += 1;
    }
    BANDS
        .iter()
        .zip(counts)
        .map(|(&(label, upper_seconds), count)| Band {
            label: label.to_owned(),
            upper_seconds,
            count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_uses_the_ceiling_rank() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(nearest_rank(&v, 50), Some(5.0));
        assert_eq!(nearest_rank(&v, 90), Some(9.0));
        assert_eq!(nearest_rank(&v[..1], 90), Some(1.0));
        assert_eq!(nearest_rank(&v[..3], 50), Some(2.0));
        assert_eq!(nearest_rank(&[], 50), None);
    }

    #[test]
    fn bands_put_each_time_below_its_upper_bound() {
        let b = bands(&[-5.0, 0.0, 899.0, 900.0, 3600.0, 14_399.0, 86_400.0]);
        let counts: Vec<u64> = b.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![3, 1, 2, 0, 1]);
        assert_eq!(b[4].upper_seconds, None);
    }
}
