#!/usr/bin/env python3
"""Writes the Kaggle resume dataset as the category folders `pursuit-bench quality
--resumes DIR` reads: one text file per distinct resume (`<CATEGORY>/<row>.txt`, row = the
0-based data row of its first occurrence, as the dataset's UNIQUE_ROWS.json lists them), in
the LiveCareer folder its category maps to. Categories with no LiveCareer folder (Business
Analyst, Operations Manager, PMO) are left out.

The file names decide which part (tune or report) each resume falls in, so the same names
give the same parts. Nothing it writes belongs in the repository.

    python3 scripts/eval/kaggle_folders.py ../shared/eval/resumes-kaggle-updatedresumedataset /tmp/kagcat
"""
import argparse
import csv
import io
import json
import pathlib

IT = [
    "Java Developer", "Database", "Data Science", "Automation Testing", "DevOps Engineer",
    "Hadoop", "DotNet Developer", "Testing", "SAP Developer", "Python Developer",
    "Network Security Engineer", "ETL Developer", "Blockchain",
]
FOLDERS = {
    **{c: "INFORMATION-TECHNOLOGY" for c in IT},
    "Civil Engineer": "ENGINEERING",
    "Mechanical Engineer": "ENGINEERING",
    "Electrical Engineering": "ENGINEERING",
    "HR": "HR",
    "Advocate": "ADVOCATE",
    "Arts": "ARTS",
    "Health and fitness": "FITNESS",
    "Sales": "SALES",
    "Web Designing": "DESIGNER",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=pathlib.Path, help="the dataset's folder")
    parser.add_argument("out", type=pathlib.Path, help="where the category folders go")
    args = parser.parse_args()
    # The CSV has a few bytes that are not UTF-8; they become U+FFFD.
    text = (args.dataset / "UpdatedResumeDataSet.csv").read_bytes().decode("utf-8", "replace")
    rows = list(csv.DictReader(io.StringIO(text)))
    unique = json.loads((args.dataset / "UNIQUE_ROWS.json").read_text())["rows"]
    written = {}
    for i in unique:
        folder = FOLDERS.get(rows[i]["Category"])
        if folder is None:
            continue
        (args.out / folder).mkdir(parents=True, exist_ok=True)
        (args.out / folder / f"{i}.txt").write_text(rows[i]["Resume"], encoding="utf-8")
        written[folder] = written.get(folder, 0) + 1
    for folder, n in sorted(written.items(), key=lambda kv: -kv[1]):
        print(f"{folder}\t{n}")


if __name__ == "__main__":
    main()
