"""Independent reference computation of the dialogue measures on the webcare demo sample.

Implements DESIGN.md's definitions directly in Python (csv module, no Dialoog code), so the
end-to-end test of `dialoog demo` can compare its factsheet.json with numbers derived another way.
Usage: python3 scripts/reference_webcare.py [data/webcare]
"""
import csv
import json
import math
import re
import sys
from datetime import datetime, timezone

folder = sys.argv[1] if len(sys.argv) > 1 else "data/webcare"
registry = {r["handle"].lower() for r in csv.DictReader(open(f"{folder}/registry.csv", newline=""))}

# newline="\n"-only splitting keeps the row torn by a bare carriage return whole, as Dialoog does.
raw = open(f"{folder}/twcs_head.csv", "rb").read().decode("utf-8")
lines = raw.split("\n")
rows = list(csv.reader([l.replace("\r", " ") for l in lines if l != ""]))
header, rows = rows[0], rows[1:]
col = {name: i for i, name in enumerate(header)}
posts = {}
for r in rows:
    created = datetime.strptime(r[col["created_at"]], "%a %b %d %H:%M:%S %z %Y").astimezone(timezone.utc)
    if not (datetime(2017, 10, 1, tzinfo=timezone.utc) <= created < datetime(2017, 12, 4, tzinfo=timezone.utc)):
        continue
    tid = r[col["tweet_id"]]
    parent = r[col["in_response_to_tweet_id"]]
    parent = str(int(float(parent))) if parent else None
    text = r[col["text"]]
    mentions = {m.lower() for m in re.findall(r"(?<![A-Za-z0-9_])@([A-Za-z0-9_]+)", text)}
    posts[tid] = dict(author=r[col["author_id"]], t=created.timestamp(), parent=parent, mentions=mentions)

children = {}
for tid, p in posts.items():
    if p["parent"] in posts:
        children.setdefault(p["parent"], []).append(tid)

def gov(handle):
    return handle.lower() in registry

def earliest_gov_descendant(tid):
    best, stack, seen = None, list(children.get(tid, [])), set()
    while stack:
        c = stack.pop()
        if c in seen:
            continue
        seen.add(c)
        if gov(posts[c]["author"]):
            best = posts[c]["t"] if best is None else min(best, posts[c]["t"])
        stack.extend(children.get(c, []))
    return best

addressed = answered = 0
times = []
for tid, p in posts.items():
    if gov(p["author"]):
        continue
    parent = posts.get(p["parent"])
    if (parent and gov(parent["author"])) or any(gov(m) for m in p["mentions"]):
        addressed += 1
        t = earliest_gov_descendant(tid)
        if t is not None:
            answered += 1
            times.append(t - p["t"])

times.sort()
def rank(q):
    return times[max(0, math.ceil(q * len(times)) - 1)] if times else None

print(json.dumps(dict(posts=len(posts), authors=len({p["author"] for p in posts.values()}),
                      addressed=addressed, answered=answered,
                      reply_rate=answered / addressed if addressed else None,
                      median=rank(0.5), p90=rank(0.9), negative=sum(1 for t in times if t < 0)), indent=1))
