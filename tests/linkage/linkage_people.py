"""Invented people for linkage tests: two files of the same people, with noise, and truth.

Everything here is made up from short name lists with a seeded generator; no test loads
FEBRL or the bench extra.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from soar.linkage import MatchResult

FIRST = [
    "JOSE",
    "MARIA",
    "JUAN",
    "ANA",
    "LUIS",
    "CARMEN",
    "PEDRO",
    "ROSA",
    "JORGE",
    "ELENA",
    "DAVID",
    "SARAH",
    "JAMES",
    "LINDA",
    "AHMED",
    "FATIMA",
    "OLEG",
    "IRINA",
    "MINH",
    "LAN",
    "WEI",
    "MEI",
    "RAUL",
    "SOFIA",
    "DIEGO",
    "LUCIA",
    "OMAR",
    "LAYLA",
    "IVAN",
    "NADIA",
    "KEVIN",
    "EMMA",
    "HUGO",
    "ALMA",
    "PAVEL",
    "VERA",
    "TUAN",
    "HOA",
    "ERIC",
    "JOAN",
]
LAST = [
    "GARCIA",
    "LOPEZ",
    "MARTINEZ",
    "HERNANDEZ",
    "GONZALEZ",
    "PEREZ",
    "SANCHEZ",
    "RAMIREZ",
    "TORRES",
    "FLORES",
    "RIVERA",
    "GOMEZ",
    "DIAZ",
    "REYES",
    "MORALES",
    "CRUZ",
    "ORTIZ",
    "NGUYEN",
    "TRAN",
    "PHAM",
    "CHEN",
    "WANG",
    "LI",
    "ZHANG",
    "IVANOV",
    "PETROV",
    "SMIRNOV",
    "HASSAN",
    "IBRAHIM",
    "KHALIL",
    "SMITH",
    "JOHNSON",
    "BROWN",
    "WILSON",
    "TAYLOR",
    "MOORE",
    "CASTILLO",
    "MENDOZA",
    "VARGAS",
    "ROMERO",
    "ZAMBRANO",
    "QUINTERO",
    "ALVARADO",
    "ESPINOZA",
]
COUNTRIES = ["MEX", "GTM", "SLV", "HND", "VNM", "CHN", "RUS", "EGY", "USA", "CUB"]
HEADER = [
    "record_id",
    "first_name",
    "last_name",
    "second_last_name",
    "dob",
    "sex",
    "birth_country",
    "a_number",
    "fbi_number",
]


@dataclass
class Person:
    """One invented person's true attributes."""

    person_id: str
    first_name: str
    last_name: str
    second_last_name: str
    dob: date
    sex: str
    birth_country: str
    a_number: str
    fbi_number: str


def invent(count: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    people = []
    for index in range(count):
        people.append(
            Person(
                person_id=f"P{index:05d}",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                second_last_name=rng.choice(LAST) if rng.random() < 0.3 else "",
                dob=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50)),
                sex=rng.choice("MF"),
                birth_country=rng.choice(COUNTRIES),
                a_number=f"A{rng.randrange(10**8, 10**9)}" if rng.random() < 0.7 else "",
                fbi_number=f"{rng.randrange(10**6, 10**7)}AB" if rng.random() < 0.7 else "",
            )
        )
    return people


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def row(person: Person, record_id: str, rng: random.Random | None = None) -> list[str]:
    """A record of `person`; with `rng`, some of the noise registries show."""
    first, last, second = person.first_name, person.last_name, person.second_last_name
    dob = person.dob
    a_number, fbi = person.a_number, person.fbi_number
    if rng is not None:
        roll = rng.random()
        if roll < 0.10:
            last = _typo(last, rng)
        elif roll < 0.15:
            first, last = last, first
        elif roll < 0.20:
            second = ""
        if rng.random() < 0.05:
            dob = dob + timedelta(days=1)
        if rng.random() < 0.3:
            a_number = ""
        if rng.random() < 0.3:
            fbi = ""
    return [
        record_id,
        first,
        last,
        second,
        dob.isoformat(),
        person.sex,
        person.birth_country,
        a_number,
        fbi,
    ]


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@dataclass
class Linked:
    """Two files of one invented population, their truth, and SOAR's unsupervised run."""

    left: Path
    right: Path
    truth: Path
    people: list[Person]
    result: MatchResult
    folder: Path


def make_files(
    folder: Path, count: int = 1500, seed: int = 11
) -> tuple[Path, Path, Path, list[Person]]:
    """Left: everyone once. Right: 70% of them with noise plus 400 people not on the left."""
    rng = random.Random(seed)
    people = invent(count + 400, seed)
    left_rows = [row(p, f"L{i:05d}") for i, p in enumerate(people[:count])]
    right_people = [p for p in people[:count] if rng.random() < 0.7] + people[count:]
    right_rows = [row(p, f"R{i:05d}", rng) for i, p in enumerate(right_people)]
    truth = [[f"L{i:05d}", p.person_id] for i, p in enumerate(people[:count])]
    truth += [[f"R{i:05d}", p.person_id] for i, p in enumerate(right_people)]
    # Two records the evidence tests look at. TYPO: person L00000 with a misspelt surname,
    # but the same A-number. NAMESAKE: someone else with the name, birth
    # date, sex and country of L00001, whose FBI number differs.
    typo, namesake = people[0], people[1]
    typo.a_number = typo.a_number or "A123456789"
    namesake.fbi_number = namesake.fbi_number or "7654321AB"
    left_rows[0] = row(typo, "L00000")
    left_rows[1] = row(namesake, "L00001")
    typo_row = row(typo, "TYPO")
    typo_row[2] = typo.last_name[:2] + typo.last_name[3:]  # one letter dropped
    typo_row[7] = typo.a_number
    twin_row = row(namesake, "NAMESAKE")
    twin_row[7], twin_row[8] = "", "1111111ZZ"
    right_rows += [typo_row, twin_row]
    truth += [["TYPO", typo.person_id], ["NAMESAKE", "P99999"]]
    left = write(folder / "left.csv", left_rows)
    right = write(folder / "right.csv", right_rows)
    truth_path = write(folder / "truth.csv", truth, ["record_id", "person_id"])
    return left, right, truth_path, people
