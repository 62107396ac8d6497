//! Section 2, activity over time: posts per bucket and role in the case's time zone, zero-filled
//! from the first to the last bucket (days when the posts span more than three days, else hours),
//! the daily rhythm (posts per local hour of the day), the case's events and the peak bucket.

use crate::factsheet::{Activity, Bucket, Event};
use crate::{Context, Prepared};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;
use dialoog_model::Role;
use std::collections::{BTreeMap, BTreeSet};

/// Posts spanning more than this are bucketed by day, else by hour.
pub(crate) const DAY_BUCKETS_ABOVE: Duration = Duration::days(3);

pub(crate) fn compute(prepared: &Prepared, context: &Context, tz: Tz) -> Activity {
    let events = context
        .case
        .events
        .iter()
        .map(|e| Event {
            at: e.at,
            label: e.label.clone(),
        })
        .collect();
    let roles: BTreeSet<Role> = prepared.roles.iter().copied().collect();
    let zero: BTreeMap<Role, u64> = roles.iter().map(|&r| (r, 0)).collect();
    let mut hour_of_day = vec![zero.clone(); 24];
    let (Some(first), Some(last)) = (
        prepared.posts.iter().map(|p| p.created_at_millis()).min(),
        prepared.posts.iter().map(|p| p.created_at_millis()).max(),
    ) else {
        return Activity {
            time_zone: tz.name().to_owned(),
            bucket: "hour".into(),
            hour_of_day,
            events,
            ..Activity::default()
        };
    };
    let by_day = Duration::milliseconds(last - first) > DAY_BUCKETS_ABOVE;
    let clock = LocalClock::over(tz, first, last);
    // Bucket number: the local day or hour, counted in naive local time (as the buckets step).
    let step_millis = if by_day { DAY_MILLIS } else { HOUR_MILLIS };
    let key = |at: i64| clock.local_millis(at).div_euclid(step_millis);
    let (first_key, last_key) = (key(first), key(last));
    let buckets = usize::try_from(last_key - first_key + 1).unwrap_or(0);
    let slot_of = |k: i64| usize::try_from(k - first_key).ok().filter(|&s| s < buckets);
    // Posts per bucket and role, and per local hour and role, in plain arrays (a map entry per
    // post was a tenth of this section).
    let mut in_buckets = vec![[0u64; Role::ALL.len()]; buckets];
    let mut focus_in = vec![0u64; buckets];
    let mut by_hour = [[0u64; Role::ALL.len()]; 24];
    for (i, (post, &role)) in prepared.posts.iter().zip(&prepared.roles).enumerate() {
        let local = clock.local_millis(post.created_at_millis());
        if let Some(b) = slot_of(local.div_euclid(step_millis)) {
            in_buckets[b][role as usize] += 1;
            focus_in[b] += u64::from(prepared.focus[i]);
        }
        by_hour[(local.rem_euclid(DAY_MILLIS) / HOUR_MILLIS) as usize][role as usize] += 1;
    }
    let counted = |counts: &[u64; Role::ALL.len()]| -> BTreeMap<Role, u64> {
        roles.iter().map(|&r| (r, counts[r as usize])).collect()
    };
    for (hour, counts) in hour_of_day.iter_mut().zip(&by_hour) {
        *hour = counted(counts);
    }
    let mut series: Vec<Bucket> = (0..buckets)
        .map(|b| {
            let start = naive_at((first_key + b as i64) * step_millis);
            let counts = &in_buckets[b];
            Bucket {
                start: local_start(tz, start),
                counts: counted(counts),
                total: counts.iter().sum(),
                focus: focus_in[b],
            }
        })
        .collect();
    // A local hour skipped by a daylight-saving change holds no posts and does not exist.
    if !by_day {
        series.retain(|b| !b.start.is_empty());
    }
    let peak = series
        .iter()
        .fold(None::<&Bucket>, |best, b| match best {
            Some(top) if top.total >= b.total => best,
            _ => Some(b),
        })
        .cloned();
    Activity {
        time_zone: tz.name().to_owned(),
        bucket: if by_day { "day" } else { "hour" }.into(),
        series,
        hour_of_day,
        events,
        peak,
        bursts: Vec::new(),
    }
}

pub(crate) const HOUR_MILLIS: i64 = 3_600_000;
pub(crate) const DAY_MILLIS: i64 = 24 * HOUR_MILLIS;

/// A naive date-time from milliseconds since 1970-01-01 00:00 (local, here).
pub(crate) fn naive_at(millis: i64) -> NaiveDateTime {
    DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .naive_utc()
}

/// Local time in one time zone over a span of instants, without a time-zone look-up and calendar
/// per post: the UTC offset of every hour of the span is looked up once. Hours within
/// [`LocalClock::MARGIN_HOURS`] of a change of offset ask chrono-tz, so that far from one a
/// local time is the instant plus the offset, both ways, with no ambiguity to resolve.
pub(crate) struct LocalClock {
    tz: Tz,
    /// The UTC hour (since 1970) of `steady[0]`.
    first_hour: i64,
    /// The offset in milliseconds of each hour when steady (None: near a change).
    steady: Vec<Option<i64>>,
}

impl LocalClock {
    /// More than any offset's distance to another (UTC−12 to UTC+14): a local time within this
    /// of an instant cannot be reached from an instant outside it.
    const MARGIN_HOURS: i64 = 28;
    /// Spans longer than this (about 23 years) get no table.
    const MAX_HOURS: i64 = 200_000;

    /// A clock for instants from `first` to `last` (milliseconds since 1970, UTC).
    pub(crate) fn over(tz: Tz, first: i64, last: i64) -> LocalClock {
        let first_hour = first.div_euclid(HOUR_MILLIS);
        let last_hour = last.div_euclid(HOUR_MILLIS);
        if last_hour < first_hour || last_hour - first_hour > Self::MAX_HOURS {
            return LocalClock {
                tz,
                first_hour,
                steady: Vec::new(),
            };
        }
        let offset = |millis: i64| {
            DateTime::from_timestamp_millis(millis).map(|t| {
                i64::from(
                    tz.offset_from_utc_datetime(&t.naive_utc())
                        .fix()
                        .local_minus_utc(),
                ) * 1000
            })
        };
        // Each hour's offset from its start to its end, None when it changes inside it.
        let from = first_hour - Self::MARGIN_HOURS;
        let hourly: Vec<Option<i64>> = (from..=last_hour + Self::MARGIN_HOURS)
            .map(|h| {
                let start = offset(h * HOUR_MILLIS)?;
                (offset(h * HOUR_MILLIS + HOUR_MILLIS - 1)? == start).then_some(start)
            })
            .collect();
        let margin = Self::MARGIN_HOURS as usize;
        let steady = (margin..hourly.len() - margin)
            .map(|i| {
                let window = &hourly[i - margin..=i + margin];
                window
                    .iter()
                    .all(|o| o.is_some() && *o == window[0])
                    .then_some(window[0])
                    .flatten()
            })
            .collect();
        LocalClock {
            tz,
            first_hour,
            steady,
        }
    }

    /// The UTC offset in milliseconds at an instant far from a change of offset, else None.
    pub(crate) fn steady_offset(&self, at: i64) -> Option<i64> {
        let hour = usize::try_from(at.div_euclid(HOUR_MILLIS) - self.first_hour).ok()?;
        self.steady.get(hour).copied().flatten()
    }

    /// The local time of an instant, as milliseconds since 1970-01-01 00:00 local.
    pub(crate) fn local_millis(&self, at: i64) -> i64 {
        match self.steady_offset(at) {
            Some(offset) => at + offset,
            None => DateTime::from_timestamp_millis(at)
                .map(|t| {
                    let local = t.with_timezone(&self.tz).naive_local().and_utc();
                    local.timestamp_millis()
                })
                .unwrap_or(at),
        }
    }

    pub(crate) fn tz(&self) -> Tz {
        self.tz
    }
}

/// RFC 3339 of a local bucket start; a day starting in a daylight-saving gap starts at the first
/// valid local time after it; an hour that does not exist gives "".
fn local_start(tz: Tz, local: NaiveDateTime) -> String {
    if let Some(t) = tz.from_local_datetime(&local).earliest() {
        return t.to_rfc3339();
    }
    if local.time() == NaiveTime::MIN {
        let day: NaiveDate = local.date();
        for minutes in (15..=180).step_by(15) {
            let later = day.and_time(NaiveTime::MIN) + Duration::minutes(minutes);
            if let Some(t) = tz.from_local_datetime(&later).earliest() {
                return t.to_rfc3339();
            }
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    /// Every 7 minutes over two weeks around each of the given zones' daylight-saving changes
    /// (Lord Howe's moves half an hour; Troll's two hours): the table's local time is chrono's,
    /// and so is the start of the local hour as bursts find it.
    #[test]
    fn local_times_equal_chrono_across_offset_changes() {
        for (zone, day) in [
            ("Europe/Amsterdam", (2026, 3, 22)),
            ("Europe/Amsterdam", (2026, 10, 18)),
            ("Australia/Lord_Howe", (2026, 3, 29)),
            ("Antarctica/Troll", (2026, 3, 22)),
            ("America/St_Johns", (2026, 10, 25)),
        ] {
            let tz: Tz = zone.parse().unwrap();
            let start = chrono::Utc
                .with_ymd_and_hms(day.0, day.1, day.2, 0, 0, 0)
                .unwrap()
                .timestamp_millis();
            let end = start + 14 * DAY_MILLIS;
            let clock = LocalClock::over(tz, start, end);
            let mut steady = 0;
            for at in (start..=end).step_by(7 * 60_000 + 1) {
                let t = DateTime::from_timestamp_millis(at)
                    .unwrap()
                    .with_timezone(&tz);
                let local = t.naive_local().and_utc().timestamp_millis();
                assert_eq!(clock.local_millis(at), local, "{zone} at {t}");
                let hour_start = t
                    .with_nanosecond(0)
                    .and_then(|t| t.with_second(0))
                    .and_then(|t| t.with_minute(0))
                    .unwrap_or(t)
                    .timestamp_millis();
                assert_eq!(
                    crate::bursts::hour_start(at, &clock),
                    hour_start,
                    "{zone} at {t}"
                );
                steady += usize::from(clock.steady_offset(at).is_some());
            }
            assert!(steady > 0, "{zone}: most instants come from the table");
        }
    }

    #[test]
    fn spans_too_long_for_a_table_ask_chrono() {
        let tz: Tz = "Europe/Amsterdam".parse().unwrap();
        let clock = LocalClock::over(tz, 0, 400_000 * HOUR_MILLIS);
        assert_eq!(clock.steady_offset(HOUR_MILLIS), None);
        assert_eq!(clock.local_millis(0), HOUR_MILLIS, "CET in 1970");
    }

    #[test]
    fn a_span_ending_before_it_starts_asks_chrono() {
        let tz: Tz = "Europe/Amsterdam".parse().unwrap();
        let clock = LocalClock::over(tz, 400 * HOUR_MILLIS, 0);
        assert_eq!(clock.steady_offset(HOUR_MILLIS), None);
        assert_eq!(clock.local_millis(0), HOUR_MILLIS, "CET in 1970");
    }
}
