//! Voice and dialogue broken down by sender and by period — the study's point is *by whom* and
//! *when* government takes part. By role: the focus accounts grouped by their registry role
//! (government, politician, organisation, …); posts addressed to an account of the role and
//! answered by one of them. By period: days, weeks (from Monday) or months in the case time zone,
//! by the length of the case; the government's posts of the period, and the posts addressed in
//! it (their answers may come later) answered by any focus account.

use crate::Prepared;
use crate::activity::{DAY_MILLIS, LocalClock, naive_at};
use crate::dialogue::{DialogueNotes, RoleTally, ratio, response_time};
use crate::factsheet::{Breakdown, Slice};
use crate::voice::{Classified, all_modes};
use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use dialoog_model::{Platform, Role};
use foldhash::HashSet;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Cases up to this many days are broken down by day, up to [`WEEKS_UP_TO`] by week, else by month.
pub(crate) const DAYS_UP_TO: i64 = 14;
pub(crate) const WEEKS_UP_TO: i64 = 183;

pub(crate) fn compute(
    prepared: &Prepared,
    classified: &[Classified],
    notes: &DialogueNotes,
    tz: Tz,
) -> Breakdown {
    let mut roles: BTreeMap<Role, Slice> = BTreeMap::new();
    let mut accounts: BTreeMap<Role, HashSet<(Platform, &str)>> = BTreeMap::new();
    for (i, post) in prepared.posts.iter().enumerate() {
        if prepared.focus[i] {
            accounts
                .entry(prepared.roles[i])
                .or_default()
                .insert((post.platform(), prepared.author_key(i)));
        }
    }
    for c in classified {
        add_voice(slice(&mut roles, prepared.roles[c.index]), c);
    }
    for (role, tally) in &notes.by_role {
        add_dialogue(slice(&mut roles, *role), tally.clone());
    }
    let by_role = roles
        .into_iter()
        .map(|(role, mut s)| {
            s.label = role.to_string();
            s.accounts = accounts.get(&role).map_or(0, |a| a.len() as u64);
            finish(s)
        })
        .collect();

    let Some((first_at, last_at)) = prepared
        .posts
        .par_iter()
        .map(|p| (p.created_at_millis(), p.created_at_millis()))
        .reduce_with(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    else {
        return Breakdown {
            by_role,
            period: "day".into(),
            by_period: Vec::new(),
        };
    };
    // Each post's local day as a number (days since 1970-01-01 local): a calendar date is made
    // once per day of the case, not once per post.
    let clock = LocalClock::over(tz, first_at, last_at);
    let day_number = |i: usize| {
        clock
            .local_millis(prepared.posts[i].created_at_millis())
            .div_euclid(DAY_MILLIS)
    };
    let (first_day, last_day) = (0..prepared.posts.len())
        .into_par_iter()
        .map(|i| {
            let d = day_number(i);
            (d, d)
        })
        .reduce_with(|a, b| (a.0.min(b.0), a.1.max(b.1)))
        .unwrap_or_default();
    let date = |number: i64| naive_at(number * DAY_MILLIS).date();
    let (first, last) = (date(first_day), date(last_day));
    let span = (last - first).num_days() + 1;
    let unit = if span <= DAYS_UP_TO {
        Unit::Day
    } else if span <= WEEKS_UP_TO {
        Unit::Week
    } else {
        Unit::Month
    };
    let mut periods: BTreeMap<NaiveDate, Slice> = BTreeMap::new();
    let mut at = unit.start(first);
    while at <= last {
        periods.insert(at, Slice::default());
        at = unit.next(at);
    }
    // The start of the period of each day of the case.
    let period_starts: Vec<NaiveDate> = (first_day..=last_day)
        .map(|d| unit.start(date(d)))
        .collect();
    let period_of = |i: usize| period_starts[(day_number(i) - first_day) as usize];
    for c in classified {
        add_voice(slice(&mut periods, period_of(c.index)), c);
    }
    let mut tallies: BTreeMap<NaiveDate, RoleTally> = BTreeMap::new();
    for &(i, time) in &notes.addressed_posts {
        let tally = tallies.entry(period_of(i)).or_default();
        tally.addressed += 1;
        if let Some(t) = time {
            tally.answered += 1;
            tally.times.push(t);
        }
    }
    for (start, tally) in tallies {
        add_dialogue(slice(&mut periods, start), tally);
    }
    Breakdown {
        by_role,
        period: unit.name().into(),
        by_period: periods
            .into_iter()
            .map(|(start, mut s)| {
                s.label = start.to_string();
                finish(s)
            })
            .collect(),
    }
}

#[derive(Clone, Copy)]
enum Unit {
    Day,
    Week,
    Month,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
        }
    }

    fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Unit::Day => day,
            Unit::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            Unit::Month => day.with_day(1).unwrap_or(day),
        }
    }

    fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Unit::Day => start + Duration::days(1),
            Unit::Week => start + Duration::days(7),
            Unit::Month => start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        }
    }
}

fn slice<K: Ord>(slices: &mut BTreeMap<K, Slice>, key: K) -> &mut Slice {
    slices.entry(key).or_insert_with(|| Slice {
        modes: all_modes(),
        ..Slice::default()
    })
}

fn add_voice(s: &mut Slice, c: &Classified) {
    if s.modes.is_empty() {
        s.modes = all_modes();
    }
    s.government_posts += 1;
    s.government_replies += u64::from(c.reply);
    s.referrals += u64::from(c.referral);
    *s.modes.entry(c.mode).or_default() += 1;
}

fn add_dialogue(s: &mut Slice, mut tally: RoleTally) {
    s.addressed += tally.addressed;
    s.answered += tally.answered;
    s.response_time_seconds = response_time(&mut tally.times);
}

fn finish(mut s: Slice) -> Slice {
    if s.modes.is_empty() {
        s.modes = all_modes();
    }
    s.referral_share = ratio(s.referrals, s.government_replies);
    s.reply_rate = ratio(s.answered, s.addressed);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_start_on_monday_and_the_first_of_the_month() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // 10 January 2024 is a Wednesday.
        assert_eq!(Unit::Week.start(d(2024, 1, 10)), d(2024, 1, 8));
        assert_eq!(Unit::Week.start(d(2024, 1, 8)), d(2024, 1, 8));
        assert_eq!(Unit::Week.next(d(2024, 1, 8)), d(2024, 1, 15));
        assert_eq!(Unit::Month.start(d(2024, 2, 29)), d(2024, 2, 1));
        assert_eq!(Unit::Month.next(d(2024, 12, 1)), d(2025, 1, 1));
        assert_eq!(Unit::Day.next(d(2024, 2, 28)), d(2024, 2, 29));
    }
}
