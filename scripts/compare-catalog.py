#!/usr/bin/env python3
"""Every field of the shipped catalog (pricing/*.yaml) beside LiteLLM's and
genai-prices' figures, for the maintainer who updates prices.

    python3 scripts/compare-catalog.py [--all | --fixture]

Downloads LiteLLM 1.110.2 and genai-prices 0.2.3 from PyPI (wheels only, no
install) into a cache folder, and prints one line per field where the catalog
differs from either dataset (`--all`: every field). A difference is fine when
the model's `notes` say which source the catalog follows and why; the tests
check that for every field (tests/pricing_reference.rs reads `--fixture`'s
output, tests/fixtures/datasets-2026-11.tsv: each dataset's value of each
field of each catalog model).

Needs Python 3.11+, PyYAML and pydantic (genai-prices' data module imports it).
"""
import datetime
import json
import os
import subprocess
import sys
import types
import zipfile
from decimal import Decimal

import yaml

LITELLM = "litellm==1.110.2"
GENAI = "genai-prices==0.2.3"
AS_OF = datetime.date(2026, 11, 20)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("LLM_COST_DATASETS", os.path.join(ROOT, "target", "datasets"))

REFERENCE = os.path.join(ROOT, "tests", "fixtures", "reference-prices-2026-11.csv")


def reference_keys(names):
    """Catalog name -> (LiteLLM key, genai provider, genai id) from the
    reference table's `litellm_key` and `genai_model`, matched the way
    tests/pricing_reference.rs matches them (name, key, or key without its
    prefix, against names and aliases)."""
    import csv

    out = {}
    for row in csv.DictReader(open(REFERENCE)):
        key = row["litellm_key"]
        for candidate in [row["model"], key, key.split("/", 1)[-1]]:
            if candidate in names:
                gp_provider, _, gp_id = row["genai_model"].partition(":")
                out[names[candidate]] = (key, gp_provider or None, gp_id or None)
                break
    return out


def fetch():
    os.makedirs(CACHE, exist_ok=True)
    have = os.listdir(CACHE)
    if not any(f.startswith("litellm-") for f in have) or not any(f.startswith("genai_prices-") for f in have):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", CACHE, LITELLM, GENAI], check=True)
    have = os.listdir(CACHE)
    lt_whl = next(os.path.join(CACHE, f) for f in have if f.startswith("litellm-") and f.endswith(".whl"))
    gp_whl = next(os.path.join(CACHE, f) for f in have if f.startswith("genai_prices-") and f.endswith(".whl"))
    with zipfile.ZipFile(lt_whl) as z:
        litellm = json.loads(z.read("litellm/model_prices_and_context_window_backup.json"))
    gp_dir = os.path.join(CACHE, "genai_prices_src")
    if not os.path.isdir(gp_dir):
        zipfile.ZipFile(gp_whl).extractall(gp_dir)
    sys.path.insert(0, gp_dir)
    pkg = types.ModuleType("genai_prices")
    pkg.__path__ = [os.path.join(gp_dir, "genai_prices")]
    sys.modules["genai_prices"] = pkg
    from genai_prices import data  # noqa: E402

    return litellm, data.providers


def per_m(v):
    return None if v is None else (Decimal(str(v)) * 1_000_000).normalize()


def litellm_fields(e):
    if e is None:
        return {}
    f = {
        "input": per_m(e.get("input_cost_per_token")),
        "cached_input": per_m(e.get("cache_read_input_token_cost")),
        "cache_write": per_m(e.get("cache_creation_input_token_cost")),
        "cache_write_1h": per_m(e.get("cache_creation_input_token_cost_above_1hr")),
        "output": per_m(e.get("output_cost_per_token")),
        "batch.input": per_m(e.get("input_cost_per_token_batches")),
        "batch.output": per_m(e.get("output_cost_per_token_batches")),
        "batch.cached_input": per_m(e.get("cache_read_input_token_cost_batches")),
        "batch.cache_write": per_m(e.get("cache_creation_input_token_cost_batches")),
        "context_window": e.get("max_input_tokens"),
        "max_output": e.get("max_output_tokens"),
    }
    for k in e:
        if k.startswith("input_cost_per_token_above_") and k.endswith("_tokens"):
            above = k[len("input_cost_per_token_above_"):-len("_tokens")].replace("k", "000")
            f["tier.above"] = Decimal(above)
            f["tier.input"] = per_m(e[k])
            f["tier.output"] = per_m(e.get(k.replace("input_cost", "output_cost")))
            f["tier.cached_input"] = per_m(e.get(k.replace("input_cost_per_token", "cache_read_input_token_cost")))
    return f


def base(v):
    if v is None:
        return None
    return getattr(v, "base", v)


def current(prices):
    """The price that applies on AS_OF: the last dated entry not after it;
    where prices change with the time of day, the list (peak) price, the
    one a budget should assume."""
    if not isinstance(prices, list):
        return prices
    chosen = None
    for cp in prices:
        c = cp.constraint
        if c is None or (hasattr(c, "start_date") and c.start_date <= AS_OF):
            chosen = cp.prices
    peak = [cp.prices for cp in prices if hasattr(cp.constraint, "start_time")]
    return peak[-1] if peak else chosen


def genai_fields(m):
    if m is None:
        return {}
    p = current(m.prices)
    f = {
        "input": base(p.input_mtok),
        "cached_input": base(p.cache_read_mtok),
        "cache_write": base(p.cache_write_mtok),
        "cache_write_1h": base(getattr(p, "cache_write_1h_mtok", None)),
        "output": base(p.output_mtok),
        "context_window": m.context_window,
    }
    tiers = getattr(p.input_mtok, "tiers", None)
    if tiers:
        f["tier.above"] = Decimal(tiers[0].start)
        f["tier.input"] = tiers[0].price
        out = getattr(p.output_mtok, "tiers", None)
        f["tier.output"] = out[0].price if out else None
        cr = getattr(p.cache_read_mtok, "tiers", None)
        f["tier.cached_input"] = cr[0].price if cr else None
    # The batch variant in force on AS_OF: the latest start not after it
    # (genai-prices lists the newest first).
    batches = [
        v
        for v in getattr(m, "price_variants", None) or []
        if v.when.get("processing") == "batch" and (v.constraint is None or v.constraint.start_date <= AS_OF)
    ]
    batches.sort(key=lambda v: v.constraint.start_date if v.constraint else datetime.date.min)
    for v in batches[-1:]:
        f["batch.input"] = base(v.prices.input_mtok)
        f["batch.output"] = base(v.prices.output_mtok)
        f["batch.cached_input"] = base(v.prices.cache_read_mtok)
        f["batch.cache_write"] = base(v.prices.cache_write_mtok)
    return f


def catalog():
    out = {}
    for name in sorted(os.listdir(os.path.join(ROOT, "pricing"))):
        doc = yaml.safe_load(open(os.path.join(ROOT, "pricing", name)))
        for model, m in (doc.get("models") or {}).items():
            b = m.get("batch") or {}
            t = (m.get("tiers") or [{}])[0]
            dec = lambda v: None if v is None else Decimal(str(v)).normalize()  # noqa: E731
            out[model] = {
                "provider": doc["provider"],
                "aliases": m.get("aliases") or [],
                "input": dec(m.get("input")),
                "cached_input": dec(m.get("cached_input")),
                "cache_write": dec(m.get("cache_write")),
                "cache_write_1h": dec(m.get("cache_write_1h")),
                "output": dec(m.get("output")),
                "batch.input": dec(b.get("input")),
                "batch.output": dec(b.get("output")),
                "batch.cached_input": dec(b.get("cached_input")),
                "batch.cache_write": dec(b.get("cache_write")),
                "tier.above": dec(t.get("above")),
                "tier.input": dec(t.get("input")),
                "tier.cached_input": dec(t.get("cached_input")),
                "tier.output": dec(t.get("output")),
                "context_window": m.get("context_window"),
                "max_output": m.get("max_output"),
            }
    return out


GENAI_PROVIDER = {"xai": "x-ai", "bedrock": "aws"}


def main():
    show_all = "--all" in sys.argv
    fixture = "--fixture" in sys.argv
    if fixture:
        print("model\tfield\tlitellm\tgenai_prices")
    litellm, providers = fetch()
    gp = {(p.id, m.id): m for p in providers for m in p.models}
    ours_all = catalog()
    names = {n: n for n in ours_all}
    names.update({a: n for n, m in ours_all.items() for a in m["aliases"]})
    keys = reference_keys(names)
    for name, ours in ours_all.items():
        lt_key, gp_provider, gp_id = keys.get(name, (None, None, None))
        bare = name.split("/", 1)[-1]
        provider = ours["provider"]
        lt = next((litellm[k] for k in [lt_key, name, f"{provider}/{bare}", bare] if k and k in litellm), None)
        g = gp.get((gp_provider or GENAI_PROVIDER.get(provider, provider), gp_id or bare))
        lf, gf = litellm_fields(lt), genai_fields(g)
        for field, v in ours.items():
            if field in ("provider", "aliases"):
                continue
            a, b = lf.get(field), gf.get(field)
            norm = lambda x: None if x is None else Decimal(str(x)).normalize()  # noqa: E731
            if fixture:
                if a is not None or b is not None:
                    text = lambda x: "" if x is None else format(norm(x), "f")  # noqa: E731
                    print(f"{name}\t{field}\t{text(a)}\t{text(b)}")
                continue
            if show_all or (a is not None and norm(a) != norm(v)) or (b is not None and norm(b) != norm(v)):
                print(f"{name}\t{field}\tcatalog={v}\tlitellm={a}\tgenai={b}")
        if (lt is None or g is None) and not fixture:
            print(f"{name}\t-\tnot found in {'LiteLLM' if lt is None else ''} {'genai-prices' if g is None else ''}")


if __name__ == "__main__":
    main()
