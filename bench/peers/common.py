"""What the three peers share: the dataset's files, the case period, the referral rules exported
by Dialoog (rules.json, written by `dialoog-bench generate`) in each engine's regex dialect, and
the output format `dialoog-bench run` compares with Dialoog's factsheet.json.

The measures follow DESIGN.md (../shared/design/DESIGN.md):
- posts per hour by role (registry role; citizen when not listed), in the case period;
- addressed: a post by a non-government author, not a plain reshare, that replies to a government
  post in the data or mentions a government account (same platform);
- answered: a government post among its descendants in the reply tree; response time: earliest
  government descendant minus its own time; median and p90 by nearest rank;
- top 20 authors by posts of any kind (ties by handle, then platform);
- referral share: government replies (not reshares; a reply is a post with a parent id) whose
  text matches a referral rule allowed by the post's language, over government replies. Rules
  marked raw match the text as given, the others the text with URLs replaced by " urlx " and
  @mentions removed.
"""
import datetime
import json
import os
import sys
import tomllib

ASCII_WORD = "[A-Za-z0-9_]"
# Rust's (?-u:\b) / (?-u:\B) as lookarounds, for Python's re.
PY_BOUNDARY = f"(?:(?<={ASCII_WORD})(?!{ASCII_WORD})|(?<!{ASCII_WORD})(?={ASCII_WORD}))"
PY_NON_BOUNDARY = f"(?:(?<={ASCII_WORD})(?={ASCII_WORD})|(?<!{ASCII_WORD})(?!{ASCII_WORD}))"


def paths(folder):
    return os.path.join(folder, "tweets.jsonl.gz"), os.path.join(folder, "statuses.jsonl.gz")


def case_period(folder):
    """(start, end) of the case in Unix milliseconds, UTC days as Dialoog compares them; end
    exclusive; open ends are far away."""
    with open(os.path.join(folder, "case.toml"), "rb") as f:
        case = tomllib.load(f)

    def ms(day, default):
        if day is None:
            return default
        day = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)
        midnight = datetime.datetime.combine(day, datetime.time(), datetime.timezone.utc)
        return int(midnight.timestamp() * 1000)

    return ms(case.get("start"), -(2**62)), ms(case.get("end"), 2**62)


def rules(folder):
    with open(os.path.join(folder, "rules.json")) as f:
        return json.load(f)


def strip_case_flag(pattern):
    while pattern.startswith("(?i)"):
        pattern = pattern[4:]
    return pattern


def python_pattern(pattern):
    """A Rust-regex pattern as Python re (compile with re.IGNORECASE)."""
    return strip_case_flag(pattern).replace(r"(?-u:\b)", PY_BOUNDARY).replace(r"(?-u:\B)", PY_NON_BOUNDARY)


def re2_pattern(pattern):
    """A Rust-regex pattern as RE2 (DuckDB): RE2's \\b is ASCII already."""
    return "(?i)" + strip_case_flag(pattern).replace(r"(?-u:\b)", r"\b").replace(r"(?-u:\B)", r"\B")


def language_allows(rule_language, lang):
    """Dialoog's rule: Dutch rules are skipped for English posts and vice versa."""
    lang = (lang or "").strip().lower()
    if rule_language == "nl":
        return not (lang and lang.startswith("en"))
    if rule_language == "en":
        return not (lang and lang.startswith("nl"))
    return True


def nearest_rank(sorted_values, percent):
    if len(sorted_values) == 0:
        return None
    rank = max(1, (percent * len(sorted_values) + 99) // 100)
    return float(sorted_values[rank - 1])


def ratio(part, whole):
    return part / whole if whole else None


def write(out, engine, posts, hourly, addressed, answered, times_sorted, top_authors,
          government_replies, referrals):
    result = {
        "engine": engine,
        "posts": int(posts),
        "hourly": [[int(h), str(r), int(n)] for h, r, n in hourly],
        "addressed": int(addressed),
        "answered": int(answered),
        "reply_rate": ratio(int(answered), int(addressed)),
        "response_median_seconds": nearest_rank(times_sorted, 50),
        "response_p90_seconds": nearest_rank(times_sorted, 90),
        "top_authors": [[str(p), str(h), int(n)] for p, h, n in top_authors],
        "government_replies": int(government_replies),
        "referrals": int(referrals),
        "referral_share": ratio(int(referrals), int(government_replies)),
    }
    with open(out, "w") as f:
        json.dump(result, f)


def args():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} DATASET_FOLDER OUT.json")
    return sys.argv[1], sys.argv[2]
