#!/usr/bin/env python3
"""Re-runs every draw of a plan.json or a roster-YYYY-MM.json (docs/DATA.md §5,
`sha256-weighted/1`) from that file alone.

    python3 docs/redraw.py out/demo-plan/plan.json
    python3 docs/redraw.py out/demo-roster/roster-2027-03.json

Prints, for each draw, whether the drawn units (or inspectors), the pool size and the pool's
SHA-256 are the ones the file records; exits 1 if any differs. Needs only Python 3's standard library. A re-plan's kept draws
(`pinned: true`) were drawn from the ledger of the plan it re-plans: re-run them from that plan.
"""
import hashlib, json, math, sys


def rank(seed, draw_id, pool):                      # pool: {unit id: weight}
    def score(m):
        h = hashlib.sha256(f"{seed}:{draw_id}:{m}".encode("utf-8")).digest()
        u = (int.from_bytes(h[:8], "big") + 0.5) / 2**64
        return math.log(u) / pool[m]
    return sorted(pool, key=lambda m: (-score(m), m.encode("utf-8")))

def pool_sha256(ids):
    return hashlib.sha256("\n".join(sorted(ids, key=str.encode)).encode("utf-8")).hexdigest()

def industrial(u):                                   # 工业企业, for the joint check
    return (u["category"] == "industry_trade" and u.get("activity") != "commerce") or \
           (u["category"] == "hazchem" and u.get("activity") in ("production", "use"))

plan = json.load(open(sys.argv[1], encoding="utf-8"))

if plan.get("schema", "").startswith("enforcement-roster/"):
    # A roster lists each draw's pool of officers; every officer weighs 1 (§6).
    different = 0
    for d in plan["draws"]:
        pool = {m: 1.0 for m in d["pool"]}
        drawn = rank(d["seed"], d["id"], pool)[:d["k"]]
        ok = drawn == d["drawn"] and pool_sha256(pool) == d["pool_sha256"]
        different += not ok
        print(d["id"], "same" if ok else "DIFFERENT", f"pool {len(pool)}, drawn {', '.join(drawn)}")
    sys.exit(1 if different else 0)

cap = plan["policy"]["max_visits_per_unit"]
units = {u["id"]: u for u in plan["units"]}
general = [u["id"] for u in plan["units"] if u["own_unit"] and u["class"] == "general"]
other = {}                                           # visits that are not drawn ones
for v in plan["visits"]:
    if v["kind"] not in ("random", "joint"):
        other[v["unit"]] = other.get(v["unit"], 0) + 1
earlier = set()
different = 0
# Kept draws first, then the joint check, then the random draws by month: a unit is drawn once
# a year, so each pool leaves out the units drawn before it.
for d in sorted(plan["draws"], key=lambda d: (not d.get("pinned"), d["pool"] != "industrial", d["month"], d["id"])):
    if d.get("pinned"):
        print(d["id"], "kept from the previous plan: re-run it there")
        earlier.update(d["drawn"])
        continue
    pool = {m: units[m]["draw_weight"] for m in general
            if m not in earlier and other.get(m, 0) < cap
            and (d["pool"] != "industrial" or industrial(units[m]))}
    drawn = rank(d["seed"], d["id"], pool)[:d["k"]]
    ok = drawn == d["drawn"] and pool_sha256(pool) == d["pool_sha256"] and len(pool) == d["pool_size"]
    different += not ok
    print(d["id"], "same" if ok else "DIFFERENT", f"pool {len(pool)}, drawn {', '.join(drawn)}")
    earlier.update(d["drawn"])
sys.exit(1 if different else 0)
