"""pandas peer: the core measures from the raw exports with pandas, as an analyst would write it
(read_json of the JSON lines, nested fields by comprehension, merges and groupbys).
Usage: pandas_peer.py DATASET OUT.json. Definitions: see common.py."""
import re

import numpy as np
import pandas as pd

import common

TAG = re.compile(r"<[^>]*>")


def unescape_twitter(text):
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def html_text(content):
    text = TAG.sub("", content)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text.rstrip(" \n")


def lang_of(value):
    return None if not isinstance(value, str) or value in ("", "und") else value


def millis(column):
    return pd.to_datetime(column, format="%Y-%m-%dT%H:%M:%S.%fZ", utc=True).dt.as_unit("ms").astype("int64")


def tweets(path):
    raw = pd.read_json(path, lines=True, dtype=False, convert_dates=False)
    refs = [r if isinstance(r, list) else [] for r in raw.get("referenced_tweets", pd.Series([None] * len(raw)))]
    types = [{x.get("type") for x in r} for r in refs]
    kind = ["reshare" if "retweeted" in t else "reply" if "replied_to" in t else "quote" if "quoted" in t else "post"
            for t in types]
    parent = [next((x.get("id") for x in r if x.get("type") == "replied_to"), None) for r in refs]
    mentions = [[m["username"].lower() for m in (e or {}).get("mentions", [])] if isinstance(e, dict) else []
                for e in raw["entities"]]
    return pd.DataFrame({
        "platform": "twitter",
        "id": raw["id"].astype(str),
        "t": millis(raw["created_at"]),
        "author_id": raw["author_id"].astype(str),
        "handle": [a.get("username", "") for a in raw["author"]],
        "kind": kind,
        "parent_id": parent,
        "text": [unescape_twitter(t) for t in raw["text"]],
        "lang": [lang_of(x) for x in raw["lang"]],
        "mentions": mentions,
    })


def statuses(path):
    raw = pd.read_json(path, lines=True, dtype=False, convert_dates=False)
    reblogged = [isinstance(r, dict) for r in raw["reblog"]]
    quote = raw["quote"] if "quote" in raw else pd.Series([None] * len(raw))
    quoted = [isinstance(q, dict) and isinstance(q.get("quoted_status"), dict) for q in quote]
    reply = raw["in_reply_to_id"].notna().tolist()
    return pd.DataFrame({
        "platform": "mastodon",
        "id": raw["id"].astype(str),
        "t": millis(raw["created_at"]),
        "author_id": [a["id"] for a in raw["account"]],
        "handle": [a["acct"].lstrip("@") for a in raw["account"]],
        "kind": ["reshare" if b else "reply" if r else "quote" if q else "post"
                 for b, r, q in zip(reblogged, reply, quoted)],
        "parent_id": [None if b or p is None or (isinstance(p, float) and np.isnan(p)) else p
                      for b, p in zip(reblogged, raw["in_reply_to_id"])],
        "text": ["" if b else html_text(c) for b, c in zip(reblogged, raw["content"])],
        "lang": [lang_of(x) for x in raw["language"]],
        "mentions": [[m["acct"].lstrip("@").lower() for m in ms] for ms in raw["mentions"]],
    })


def main():
    folder, out = common.args()
    tweet_path, status_path = common.paths(folder)
    start_ms, end_ms = common.case_period(folder)
    rules = common.rules(folder)

    registry = pd.read_csv(f"{folder}/registry.csv", dtype=str)
    registry["handle"] = registry["handle"].str.lstrip("@").str.lower()
    posts = pd.concat([tweets(tweet_path), statuses(status_path)], ignore_index=True)
    posts = posts[(posts["t"] >= start_ms) & (posts["t"] < end_ms)].reset_index(drop=True)
    by_id = registry.dropna(subset=["id"]).set_index(["platform", "id"])["role"]
    by_handle = registry.dropna(subset=["handle"]).set_index(["platform", "handle"])["role"]
    role_id = pd.Series(pd.MultiIndex.from_arrays([posts["platform"], posts["author_id"]]).map(by_id.to_dict().get))
    role_handle = pd.Series(pd.MultiIndex.from_arrays([posts["platform"], posts["handle"].str.lower()]).map(by_handle.to_dict().get))
    posts["role"] = role_id.fillna(role_handle).fillna("citizen").values
    posts["government"] = posts["role"] == "government"

    # The parent's row, when the parent is in the data.
    row_of = pd.Series(np.arange(len(posts)), index=pd.MultiIndex.from_arrays([posts["platform"], posts["id"]]))
    keys = pd.MultiIndex.from_arrays([posts["platform"], posts["parent_id"]])
    parent_row = pd.Series(row_of.reindex(keys).values)
    posts["parent_row"] = parent_row.values
    has_parent = posts["parent_row"].notna()
    parent_government = pd.Series(False, index=posts.index)
    parent_government[has_parent] = posts["government"].values[posts.loc[has_parent, "parent_row"].astype(int)]

    government_handles = set(
        zip(*registry.loc[registry["role"] == "government"].dropna(subset=["handle"])[["platform", "handle"]].values.T))
    candidate = (~posts["government"]) & (posts["kind"] != "reshare")
    mentions_government = pd.Series(
        [any((p, m) in government_handles for m in ms) for p, ms in zip(posts["platform"], posts["mentions"])])
    addressed = candidate & (parent_government | mentions_government)

    # Every government post passes its time up to all its ancestors; the earliest per ancestor.
    parent_of = posts["parent_row"].to_numpy()
    level = posts.loc[posts["government"] & has_parent, ["parent_row", "t"]].rename(columns={"parent_row": "row"})
    levels = []
    while len(level):
        level = level.astype({"row": int})
        levels.append(level)
        up = parent_of[level["row"].to_numpy()]
        level = pd.DataFrame({"row": up, "t": level["t"].to_numpy()}).dropna(subset=["row"])
    first = (pd.concat(levels).groupby("row")["t"].min() if levels else pd.Series(dtype="int64"))
    answered_rows = first.index.intersection(posts.index[addressed])
    times = np.sort(((first.loc[answered_rows] - posts.loc[answered_rows, "t"]) / 1000.0).to_numpy())

    replies = posts[posts["government"] & (posts["kind"] != "reshare") & posts["parent_id"].notna()]
    url = re.compile(common.python_pattern(rules["url"]), re.IGNORECASE)
    mention = re.compile(common.python_pattern(rules["mention"]), re.IGNORECASE)
    compiled = [(re.compile(common.python_pattern(r["pattern"]), re.IGNORECASE), r["raw"], r["language"])
                for r in rules["referral"]]
    referrals = 0
    for text, lang in zip(replies["text"], replies["lang"]):
        cleaned = mention.sub("", url.sub(" urlx ", text))
        if any(common.language_allows(language, lang) and pattern.search(text if raw else cleaned)
               for pattern, raw, language in compiled):
            referrals += 1

    hourly = (posts.assign(hour=(posts["t"] // 3_600_000) * 3600)
              .groupby(["hour", "role"]).size().reset_index(name="n"))
    top = (posts.groupby(["platform", "author_id"]).agg(n=("id", "size"), handle=("handle", "min"))
           .reset_index().sort_values(["n", "handle", "platform"], ascending=[False, True, True]).head(20))
    common.write(
        out,
        f"pandas {pd.__version__}",
        posts=len(posts),
        hourly=hourly[["hour", "role", "n"]].itertuples(index=False),
        addressed=int(addressed.sum()),
        answered=len(times),
        times_sorted=times.tolist(),
        top_authors=top[["platform", "handle", "n"]].itertuples(index=False),
        government_replies=len(replies),
        referrals=referrals,
    )


if __name__ == "__main__":
    main()
