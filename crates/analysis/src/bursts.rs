//! Bursts: Kleinberg's two-state automaton (Kleinberg 2002, "Bursty and hierarchical structure in
//! streams", the batched variant with enumerated arrivals) on the per-hour series of all posts in
//! the case time zone, zero-filled from the first to the last hour — computed even when the
//! activity chart shows days.
//!
//! Each hour t is a batch: of all N posts of the case, r_t fall in hour t (d_t = N). Over n hours
//! the base rate is p0 = R/D = N/(n·N) = 1/n; the burst state has p1 = s·p0 with s = 2. The cost of
//! hour t in state i is −ln(p_i^r_t · (1 − p_i)^(N − r_t)) (the binomial coefficient is the same in
//! both states and drops out); moving up from q0 to q1 costs γ·ln n with γ = 1, moving down is
//! free. The Viterbi path of least total cost marks the bursty hours; a burst is a maximal run of
//! them. Its weight is the cost saved by being in q1 over its hours (Kleinberg's burst weight).
//!
//! Each burst's characteristic terms are the words of its posts against the words of all other
//! posts, ranked by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &
//! Quinn 2008, "Fightin' words"), the prior being the word counts over all posts.

use crate::Prepared;
use crate::activity::{HOUR_MILLIS, LocalClock};
use crate::factsheet::{Burst, Term};
use crate::words::Words;
use chrono::{DateTime, Duration, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use foldhash::HashMap;

/// Rate multiplier of the burst state.
pub const S: f64 = 2.0;
/// Cost of moving into the burst state, in units of ln n.
pub const GAMMA: f64 = 1.0;
/// Characteristic terms kept per burst.
pub const TERMS: usize = 8;

/// The per-hour series: start of each local hour (as an instant) and the posts in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hourly {
    pub starts: Vec<DateTime<Utc>>,
    pub counts: Vec<u64>,
}

/// The instant a post's local hour starts (milliseconds since 1970).
pub(crate) fn hour_start(at: i64, clock: &LocalClock) -> i64 {
    if let Some(offset) = clock.steady_offset(at) {
        // Far from a change of offset the local hour's start maps back to one instant.
        return (at + offset).div_euclid(HOUR_MILLIS) * HOUR_MILLIS - offset;
    }
    let Some(at) = DateTime::from_timestamp_millis(at) else {
        return at;
    };
    let local = at.with_timezone(&clock.tz());
    // Each step maps the local time back to an instant, and keeps the post's own instant when
    // that is ambiguous or does not exist (a daylight-saving change).
    let start = local
        .with_nanosecond(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_minute(0))
        .unwrap_or(local);
    start.timestamp_millis()
}

/// Index of each post's hour in the series, and the zero-filled series itself; instants in
/// milliseconds since 1970.
pub(crate) fn hourly(times: &[i64], tz: Tz) -> (Hourly, Vec<usize>) {
    let (Some(&first_post), Some(&last_post)) = (times.iter().min(), times.iter().max()) else {
        return (Hourly::default(), Vec::new());
    };
    let clock = LocalClock::over(tz, first_post, last_post);
    let hours: Vec<i64> = times.iter().map(|&t| hour_start(t, &clock)).collect();
    let (Some(&first), Some(&last)) = (hours.iter().min(), hours.iter().max()) else {
        return (Hourly::default(), Vec::new());
    };
    let hour_index = |h: i64| ((h - first) / HOUR_MILLIS) as usize;
    let n = hour_index(last) + 1;
    let first_start = DateTime::from_timestamp_millis(first).unwrap_or_default();
    let starts: Vec<DateTime<Utc>> = (0..n)
        .map(|i| first_start + Duration::hours(i as i64))
        .collect();
    let mut counts = vec![0u64; n];
    let index: Vec<usize> = hours
        .iter()
        .map(|&h| {
            let i = hour_index(h);
            counts[i] += 1;
            i
        })
        .collect();
    (Hourly { starts, counts }, index)
}

/// A run of bursty buckets: `start..=end` (indexes) and its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Run {
    pub start: usize,
    pub end: usize,
    pub weight: f64,
}

/// Kleinberg's two-state automaton over a count series (see the module documentation): the
/// maximal runs of buckets in the burst state. Series shorter than three buckets or without
/// posts have none.
pub fn kleinberg(counts: &[u64]) -> Vec<Run> {
    let n = counts.len();
    let total: u64 = counts.iter().sum();
    if n < 3 || total == 0 {
        return Vec::new();
    }
    let d = total as f64;
    let p0 = 1.0 / n as f64;
    let p1 = (S * p0).min(1.0 - 1e-12);
    let cost = |p: f64, r: u64| -> f64 {
        let r = r as f64;
        -(r * p.ln() + (d - r) * (1.0 - p).ln())
    };
    let up = GAMMA * (n as f64).ln();
    // Viterbi: best cost ending in state 0 / 1 at t, with back pointers.
    let mut back = vec![[0u8; 2]; n];
    let (mut c0, mut c1) = (cost(p0, counts[0]), up + cost(p1, counts[0]));
    for t in 1..n {
        let (from0_to0, from1_to0) = (c0, c1);
        let (n0, b0) = if from0_to0 <= from1_to0 {
            (from0_to0, 0)
        } else {
            (from1_to0, 1)
        };
        let (from0_to1, from1_to1) = (c0 + up, c1);
        let (n1, b1) = if from1_to1 <= from0_to1 {
            (from1_to1, 1)
        } else {
            (from0_to1, 0)
        };
        back[t] = [b0, b1];
        c0 = n0 + cost(p0, counts[t]);
        c1 = n1 + cost(p1, counts[t]);
    }
    let mut state = vec![0u8; n];
    let mut s = u8::from(c1 < c0);
    for t in (0..n).rev() {
        state[t] = s;
        if t > 0 {
            s = back[t][s as usize];
        }
    }
    let mut runs = Vec::new();
    let mut t = 0;
    while t < n {
        if state[t] == 1 {
            let start = t;
            let mut weight = 0.0;
            while t < n && state[t] == 1 {
                weight += cost(p0, counts[t]) - cost(p1, counts[t]);
                t += 1;
            }
            runs.push(Run {
                start,
                end: t - 1,
                weight,
            });
        } else {
            t += 1;
        }
    }
    runs
}

/// Lower-case words of a text: @mentions and every token holding a URL dropped, split at every character that is not
/// a letter, digit or apostrophe, apostrophes trimmed; words under 3 characters, numbers and
/// stopwords ([`dialoog_text::terms::STOPWORD_LISTS`]) left out.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lower = String::new();
    for token in text.split_whitespace() {
        // One buffer for all tokens; ASCII tokens (most) lower-cased in place.
        lower.clear();
        if token.is_ascii() {
            lower.push_str(token);
            lower.make_ascii_lowercase();
        } else {
            lower.push_str(&token.to_lowercase().replace('’', "'"));
        }
        if lower.starts_with('@')
            || lower.contains("http")
            || lower.contains("://")
            || lower.contains("www.")
        {
            continue;
        }
        for word in lower.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
            let word = word.trim_matches('\'');
            if word.chars().count() < 3
                || word.chars().all(|c| c.is_numeric())
                || dialoog_text::terms::is_stopword(word)
            {
                continue;
            }
            out.push(word.to_owned());
        }
    }
    out
}

/// Terms of a subset against the rest by Monroe et al.'s log-odds ratio with the informative
/// Dirichlet prior α_w = count of w over all documents (α0 = all words): the z-score
/// δ_w / √(1/(y_in+α_w) + 1/(y_out+α_w)), highest first; only terms used at least twice inside.
pub fn log_odds_terms(
    inside: &HashMap<&str, u64>,
    all: &HashMap<&str, u64>,
    limit: usize,
) -> Vec<Term> {
    let n_in: f64 = inside.values().sum::<u64>() as f64;
    let a0: f64 = all.values().sum::<u64>() as f64;
    let n_out = a0 - n_in;
    let mut terms: Vec<Term> = inside
        .iter()
        .filter(|(_, y)| **y >= 2)
        .map(|(w, &y_in)| {
            let a = all[w] as f64;
            let y_in = y_in as f64;
            let y_out = a - y_in;
            let delta = ((y_in + a) / (n_in + a0 - y_in - a)).ln()
                - ((y_out + a) / (n_out + a0 - y_out - a)).ln();
            let z = delta / (1.0 / (y_in + a) + 1.0 / (y_out + a)).sqrt();
            Term {
                term: (*w).to_owned(),
                count: y_in as u64,
                z: (z * 1000.0).round() / 1000.0,
            }
        })
        .filter(|t| t.z > 0.0)
        .collect();
    terms.sort_by(|a, b| {
        b.z.total_cmp(&a.z)
            .then(b.count.cmp(&a.count))
            .then(a.term.cmp(&b.term))
    });
    terms.truncate(limit);
    terms
}

pub(crate) fn compute(prepared: &Prepared, words: &Words, tz: Tz) -> Vec<Burst> {
    let times: Vec<i64> = prepared
        .posts
        .iter()
        .map(|p| p.created_at_millis())
        .collect();
    let (series, index) = hourly(&times, tz);
    let runs = kleinberg(&series.counts);
    if runs.is_empty() {
        return Vec::new();
    }
    let all = words.counts(0..prepared.posts.len());
    // Posts per hour, so that each burst reads only its own posts.
    let mut by_hour: Vec<Vec<usize>> = vec![Vec::new(); series.counts.len()];
    for (post, &hour) in index.iter().enumerate() {
        by_hour[hour].push(post);
    }
    let local = |t: DateTime<Utc>| tz.from_utc_datetime(&t.naive_utc()).to_rfc3339();
    runs.iter()
        .map(|run| {
            let inside = words.counts(by_hour[run.start..=run.end].iter().flatten().copied());
            let hours = &series.counts[run.start..=run.end];
            let peak = run.start
                + hours
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
                    .map_or(0, |(i, _)| i);
            Burst {
                start: local(series.starts[run.start]),
                end: local(series.starts[run.end] + Duration::hours(1)),
                hours: (run.end - run.start + 1) as u64,
                posts: hours.iter().sum(),
                peak_hour: local(series.starts[peak]),
                peak_posts: series.counts[peak],
                weight: (run.weight * 1000.0).round() / 1000.0,
                terms: log_odds_terms(&inside, &all, TERMS),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_injected_burst_is_found_with_its_bounds() {
        // 200 hours at 3 posts, with hours 120..=129 at 15.
        let mut counts = vec![3u64; 200];
        for c in &mut counts[120..130] {
            *c = 15;
        }
        let runs = kleinberg(&counts);
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!((runs[0].start, runs[0].end), (120, 129));
        assert!(runs[0].weight > 0.0);
    }

    #[test]
    fn flat_and_empty_series_have_no_bursts() {
        assert!(kleinberg(&[5; 500]).is_empty());
        assert!(kleinberg(&[0; 50]).is_empty());
        assert!(kleinberg(&[]).is_empty());
        assert!(kleinberg(&[9, 0]).is_empty());
        // Poisson-like noise around a flat rate: no burst either.
        let noisy: Vec<u64> = (0..300).map(|i| [4, 6, 5, 3, 7, 5][i % 6]).collect();
        assert!(kleinberg(&noisy).is_empty());
    }

    #[test]
    fn a_single_spike_hour_is_a_burst_and_two_are_separate() {
        let mut counts = vec![1u64; 100];
        counts[10] = 40;
        counts[70] = 30;
        counts[71] = 30;
        let runs = kleinberg(&counts);
        let bounds: Vec<(usize, usize)> = runs.iter().map(|r| (r.start, r.end)).collect();
        assert_eq!(bounds, vec![(10, 10), (70, 71)]);
    }

    #[test]
    fn words_drop_stopwords_mentions_urls_and_numbers() {
        assert_eq!(
            words(
                "@KPN Storing in Utrecht! Het internet doet het niet.https://t.co/x 2017 #storing"
            ),
            vec!["storing", "utrecht", "internet", "storing"]
        );
        assert_eq!(
            words("I can't log in to my account"),
            vec!["log", "account"]
        );
    }

    #[test]
    fn log_odds_ranks_what_is_over_represented_inside() {
        let all = HashMap::from_iter([("outage", 12), ("phone", 40), ("battery", 30)]);
        let inside = HashMap::from_iter([("outage", 10), ("phone", 4), ("battery", 1)]);
        let terms = log_odds_terms(&inside, &all, 5);
        assert_eq!(terms[0].term, "outage");
        assert!(terms.iter().all(|t| t.term != "battery"), "once only");
        assert!(terms.iter().all(|t| t.z > 0.0));
    }

    #[test]
    fn hours_are_local_and_zero_filled() {
        let tz: Tz = "Europe/Amsterdam".parse().unwrap();
        let t = |h: u32, m: u32| Utc.with_ymd_and_hms(2017, 10, 31, h, m, 0).unwrap();
        let times = [t(10, 59), t(13, 5), t(10, 1)].map(|t| t.timestamp_millis());
        let (series, index) = hourly(&times, tz);
        assert_eq!(series.counts, vec![2, 0, 0, 1]);
        assert_eq!(index, vec![0, 3, 0]);
        assert_eq!(series.starts[0], t(10, 0));
    }
}
