"""Reads a JSON-lines corpus of calendars written by Pursuit (see
crates/pursuit-domain/tests/ics_parsers.rs) with Python's icalendar package: each must
parse and give back exactly the text that was written (the round trip Pursuit text ->
.ics -> parsed text). Re-serialising with icalendar itself is not checked: icalendar 7.3
writes a literal backslash-N back unescaped, so its own output changes on re-reading."""

import datetime
import json
import sys

import icalendar


def fields(calendar):
    event = next(iter(calendar.walk("VEVENT")))
    start = event.decoded("DTSTART")
    return {
        "method": str(calendar.get("METHOD")),
        "summary": str(event.get("SUMMARY")),
        "description": str(event.get("DESCRIPTION")),
        "location": str(event.get("LOCATION")),
        "start": start.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "uid": str(event.get("UID")),
        "sequence": int(event.get("SEQUENCE")),
    }


def main(path):
    failures = []
    count = 0
    with open(path, encoding="utf-8") as corpus:
        for number, line in enumerate(corpus, 1):
            case = json.loads(line)
            count += 1
            try:
                calendar = icalendar.Calendar.from_ical(case["ics"])
                got = fields(calendar)
            except Exception as error:  # report every failing case, not just the first
                failures.append(f"case {number}: does not parse: {error!r}")
                continue
            for key in ("method", "summary", "description", "location", "start"):
                if got[key] != case[key]:
                    failures.append(f"case {number} ({case['zone']}): {key} {got[key][:200]!r} != {case[key][:200]!r}")
            if got["sequence"] != 2 or not got["uid"].endswith("@pursuit"):
                failures.append(f"case {number}: uid/sequence {got['uid']!r} {got['sequence']}")
    if failures:
        print("\n".join(failures[:20]))
        print(f"{len(failures)} problems in {count} calendars")
        return 1
    print(f"{count} calendars read back unchanged by icalendar {icalendar.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
