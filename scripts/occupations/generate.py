#!/usr/bin/env python3
"""Generate Pursuit's shipped occupations tables from O*NET 29.2 (CC BY 4.0; see NOTICE):

  crates/pursuit-text/data/occupations.tsv  code, title, other titles ("|"-separated,
      lower case: O*NET's alternate and reported titles and the occupation's own title in
      the singular, each with "~N" after it when its weight N is more than 1, see
      title_weights), and the occupation's profile:
      its most telling word stems ("stem:weight", TF-IDF over the occupations' task
      statements and description, unit length; not the words postings ask in, see
      REQUIREMENT_WORDS)
  crates/pursuit-text/data/idf.tsv          stem, inverse document frequency over the
      occupations (how telling a word is about the work)
  crates/pursuit-text/data/task_verbs.txt   the words O*NET's task statements start with
      (adverbs aside): the verbs a sentence saying what a job does opens with ("Conceive
      new features…"), which the posting reader uses on text without headings

Stems are English Snowball (Porter2), the algorithm the Rust side uses; words are split
and filtered exactly as `pursuit_text::matching::stemmed_words` does. Run it where the
sources are:

    pip install snowballstemmer
    python3 scripts/occupations/generate.py --eval ../shared/eval

The output is sorted and stable, so a re-run shows as a clean diff. It is O*NET's titles
as O*NET gives them; the titles we read otherwise ("program manager", "owner") are our own
data, crates/pursuit-text/data/our-titles.tsv, applied when the table loads.
"""

import argparse
import csv
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import snowballstemmer

# Keep in step with STOP in crates/pursuit-text/src/matching.rs.
STOP = set(
    "a an and or the of to in on for with by at as is are be our your we you will who that "
    "this from other all any their its it into across new within".split()
)
TERMS_PER_OCCUPATION = 40
# Words nearly every posting asks in, whatever the work, that O*NET's text ties to one
# or two occupations: "BA/BS degree or equivalent practical experience" (the GED's
# "equivalency" of adult-education instructors, and sales engineers'), and the human
# languages ("fluent in English and Korean": English as a second language instructors,
# "French" short-order cooks, "Chinese" acupuncturists). In a profile they made one
# posting in fourteen read as a language instructor, so no profile holds them; a
# posting's languages are the match's languages part. ("years", "preferred", "degree" and
# the like were tried too: fewer odd readings, but worse rankings on the quality bench's
# tune part.)
REQUIREMENT_WORDS = ["equivalent", "equivalency"]
STEMMER = snowballstemmer.stemmer("english")


def stems(text):
    words = re.split(r"[^0-9a-z+#\u00c0-\u024f]+", text.lower())
    words = [w for w in words if len(w) > 1 and w not in STOP]
    return STEMMER.stemWords(words)


def requirement_stems(skills_table):
    """The stems of REQUIREMENT_WORDS and of the skills table's one-word human languages
    ("American Sign Language" would take "sign" and "language" with it), but for "Polish",
    which is also polishing (a jeweller's, a grinder's work)."""
    words = list(REQUIREMENT_WORDS)
    for line in skills_table.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 2 and cells[2] == "Language" and " " not in cells[1]:
            if cells[1] != "Polish":
                words.append(cells[1])
    return set(stems(" ".join(words)))


def singular(word):
    """A plural English job noun in the singular: "secretaries", "coaches", "hostesses",
    "nurses"."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def own_titles(title):
    """An occupation's own title as someone holding the job would write it: the part before
    its first comma, in the singular, and each half of "A and B" when A is plural too
    ("Chefs and Head Cooks": "chef", "head cook"; "Marriage and Family Therapists": one).
    The plural noun is the last word, or the one before "of" ("First-Line Supervisors of
    Retail Sales Workers")."""
    head = title.split(",")[0].lower().strip()
    if head.startswith("helpers--") or not head:
        return []
    halves = head.split(" and ")
    if len(halves) == 2 and halves[0].endswith("s") and " " not in halves[0]:
        parts = halves
    else:
        parts = [head]
    out = []
    for part in parts:
        before, of, after = part.partition(" of ")
        words = before.split()
        if not words:
            continue
        words[-1] = singular(words[-1])
        out.append(" ".join(words) + (of + after if of else ""))
    return out


def both_forms(title):
    """A title in lower case, as two titles when it ends with its other form in brackets:
    "human resources manager (hr manager)", "cto (chief technology officer)", "laser
    technician (laser tech)" — people write either."""
    title = " ".join(title.lower().replace("\t", " ").split())
    if not title or "|" in title or "~" in title:
        return []
    m = re.fullmatch(r"([^()]*\S)\s*\(([^()]+)\)", title)
    if m:
        return [m.group(1), m.group(2).strip()]
    return [title]


def title_weights(onet, titles):
    """How strongly each of an occupation's other titles names it, for telling apart the
    occupations one title belongs to ("Hostess" is a restaurant's, a radio show's and a
    ship's): one for each O*NET source that lists it as an alternate title, three more when
    it is among the titles incumbents report and My Next Move shows, one more when it is
    reported but not shown. The occupation's own title in the singular weighs six; three
    when a qualifier narrows it ("Buyers and Purchasing Agents, Farm Products" is not what
    most purchasing agents do; "…, Except Farm Products" is), two for the "All Other"
    occupations, which are what is left of a group."""
    weights = defaultdict(Counter)
    for r in rows(onet / "Alternate Titles.txt"):
        for title in both_forms(r["Alternate Title"]):
            weights[r["O*NET-SOC Code"]][title] += len(r["Source(s)"].split(","))
    for r in rows(onet / "Sample of Reported Titles.txt"):
        for title in both_forms(r["Reported Job Title"]):
            weights[r["O*NET-SOC Code"]][title] += 3 if r["Shown in My Next Move"] == "Y" else 1
    for code, title in titles.items():
        for own in own_titles(title):
            qualifier = title.partition(",")[2].strip()
            if "All Other" in qualifier:
                weight = 2
            elif qualifier and not qualifier.startswith("Except"):
                weight = 3
            else:
                weight = 6
            weights[code][own] = max(weights[code][own], weight)
    return weights


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=Path("crates/pursuit-text/data"))
    args = parser.parse_args()
    onet = args.eval / "taxonomy-onet-29.2"

    titles = {}
    description = {}
    for r in rows(onet / "Occupation Data.txt"):
        titles[r["O*NET-SOC Code"]] = r["Title"]
        description[r["O*NET-SOC Code"]] = r["Description"]

    others = title_weights(onet, titles)

    counts = defaultdict(Counter)
    openers = set()
    for r in rows(onet / "Task Statements.txt"):
        first = r["Task"].split()[0].lower().strip(",;:")
        # "Remotely monitor…", "Surgically remove…": the verb is the next word.
        if first.isalpha() and not first.endswith("ly"):
            openers.add(first)
        weight = 1.0 if r["Task Type"] == "Core" else 0.5
        for s in stems(r["Task"]):
            counts[r["O*NET-SOC Code"]][s] += weight
    for code, text in description.items():
        for s in stems(text):
            counts[code][s] += 1.0

    asked = requirement_stems(args.out / "skills.tsv")
    codes = sorted(c for c in titles if counts[c])
    df = Counter()
    for code in codes:
        df.update(set(counts[code]))
    n = len(codes)
    idf = {s: math.log(n / d) for s, d in df.items()}

    with open(args.out / "occupations.tsv", "w", encoding="utf-8") as out:
        out.write("# Generated by scripts/occupations/generate.py from O*NET 29.2; see NOTICE.\n")
        out.write("# code\ttitle\tother titles\tprofile (stem:weight)\n")
        for code in sorted(titles):
            weights = {
                s: (1 + math.log(c)) * idf[s]
                for s, c in counts[code].items()
                if idf[s] > 0 and s not in asked
            }
            top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS_PER_OCCUPATION]
            norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
            profile = " ".join(f"{s}:{w / norm:.3f}" for s, w in top)
            own = titles[code].lower()
            alt = "|".join(
                t if w <= 1 else f"{t}~{w}" for t, w in sorted(others[code].items()) if t != own
            )
            out.write(f"{code}\t{titles[code]}\t{alt}\t{profile}\n")

    with open(args.out / "idf.tsv", "w", encoding="utf-8") as out:
        out.write("# Generated by scripts/occupations/generate.py from O*NET 29.2; see NOTICE.\n")
        out.write(f"# stem\tidf over {n} occupations\n")
        for s in sorted(idf):
            out.write(f"{s}\t{idf[s]:.3f}\n")

    with open(args.out / "task_verbs.txt", "w", encoding="utf-8") as out:
        out.write("# Generated by scripts/occupations/generate.py from O*NET 29.2; see NOTICE.\n")
        out.write("# the words task statements start with, adverbs aside\n")
        for word in sorted(openers):
            out.write(f"{word}\n")


if __name__ == "__main__":
    main()
