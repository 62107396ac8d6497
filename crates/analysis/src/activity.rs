//! Section 2, activity over time: posts per bucket and role in the case's time zone, zero-filled
//! from the first to the last bucket (days when the posts span more than three days, else hours),
//! the daily rhythm (posts per local hour of the day), the case's events and the peak bucket.

use crate::factsheet::{Activity, Bucket, Event};
use crate::{Context, Prepared};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
use chrono_tz::Tz;
use dialoog_model::Role;
use foldhash::HashMap;
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
        prepared.posts.iter().map(|p| p.created_at()).min(),
        prepared.posts.iter().map(|p| p.created_at()).max(),
    ) else {
        return Activity {
            time_zone: tz.name().to_owned(),
            bucket: "hour".into(),
            hour_of_day,
            events,
            ..Activity::default()
        };
    };
    let by_day = last - first > DAY_BUCKETS_ABOVE;
    // Bucket key: the local start of the day or hour, as a naive local date-time.
    let key = |local: NaiveDateTime| -> NaiveDateTime {
        if by_day {
            local.date().and_time(NaiveTime::MIN)
        } else {
            local
                .date()
                .and_hms_opt(local.hour(), 0, 0)
                .unwrap_or(local)
        }
    };
    let step = if by_day {
        Duration::days(1)
    } else {
        Duration::hours(1)
    };
    let first_key = key(first.with_timezone(&tz).naive_local());
    let last_key = key(last.with_timezone(&tz).naive_local());
    let mut keys: Vec<NaiveDateTime> = Vec::new();
    let mut at = first_key;
    while at <= last_key {
        keys.push(at);
        at += step;
    }
    let slot: HashMap<NaiveDateTime, usize> =
        keys.iter().enumerate().map(|(i, &k)| (k, i)).collect();
    let mut series: Vec<Bucket> = keys
        .iter()
        .map(|&k| Bucket {
            start: local_start(tz, k),
            counts: zero.clone(),
            total: 0,
            focus: 0,
        })
        .collect();
    for (i, (post, &role)) in prepared.posts.iter().zip(&prepared.roles).enumerate() {
        let local = post.created_at().with_timezone(&tz).naive_local();
        if let Some(&b) = slot.get(&key(local)) {
            *series[b].counts.entry(role).or_default() += 1;
            series[b].total += 1;
            series[b].focus += u64::from(prepared.focus[i]);
        }
        *hour_of_day[local.hour() as usize].entry(role).or_default() += 1;
    }
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
