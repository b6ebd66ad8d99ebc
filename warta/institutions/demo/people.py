"""Indonesian names for the demo's officers, agency heads and members of the public."""

import random

FIRST_NAMES_M = (
    "Ahmad",
    "Andi",
    "Arif",
    "Bambang",
    "Budi",
    "Dedi",
    "Dimas",
    "Eko",
    "Fajar",
    "Faisal",
    "Hendra",
    "Heru",
    "Irwan",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Muhammad",
    "Nanang",
    "Rahmat",
    "Rizky",
    "Slamet",
    "Syahrul",
    "Taufik",
    "Wahyu",
    "Yusuf",
    "Zainal",
    "Agus",
    "Hasan",
    "La Ode",
    "Andi Muh.",
    "Iwan",
    "Sofyan",
)
FIRST_NAMES_F = (
    "Ayu",
    "Dewi",
    "Dian",
    "Endah",
    "Fitri",
    "Indah",
    "Intan",
    "Kartika",
    "Lestari",
    "Maya",
    "Nur",
    "Nurul",
    "Putri",
    "Rina",
    "Ratna",
    "Sari",
    "Siti",
    "Sri",
    "Tri",
    "Wulan",
    "Yuni",
    "Annisa",
    "Hj. Aminah",
    "Rosmawati",
    "Mega",
    "Novita",
)
LAST_NAMES = (
    "Pratama",
    "Saputra",
    "Hidayat",
    "Nugroho",
    "Wibowo",
    "Santoso",
    "Setiawan",
    "Kurniawan",
    "Rahman",
    "Hakim",
    "Lubis",
    "Siregar",
    "Pakpahan",
    "Tarigan",
    "Sembiring",
    "Latief",
    "Mappatoba",
    "Daeng Ngalle",
    "Rasyid",
    "Amir",
    "Syamsuddin",
    "Ramadhan",
    "Permana",
    "Wijaya",
    "Hasibuan",
    "Manurung",
    "Tanjung",
    "Bahar",
    "Ismail",
    "Ilyas",
    "Arsyad",
    "Sulaiman",
    "Yusran",
    "Basri",
    "Hamzah",
)
TITLES_BEFORE = ("", "", "", "dr. ", "Ir. ", "Drs. ", "H. ")
TITLES_AFTER = (
    "",
    ", S.Sos.",
    ", S.E.",
    ", S.Kom.",
    ", S.T.",
    ", M.Si.",
    ", M.M.",
    ", S.H.",
    ", M.Pd.",
    ", S.Kep.",
)

HANDLE_SUFFIXES = ("", "_btg", "88", "99", "_official", ".id", "123", "_bontang", "07", "_real")


def person_name(rng: random.Random, *, formal: bool = False) -> tuple[str, str]:
    """(first name, last name); formal names carry academic titles, as on official letters."""
    first = rng.choice(FIRST_NAMES_M if rng.random() < 0.55 else FIRST_NAMES_F)
    last = rng.choice(LAST_NAMES)
    if formal:
        return rng.choice(TITLES_BEFORE) + first, last + rng.choice(TITLES_AFTER)
    return first, last


def public_author(rng: random.Random) -> tuple[str, str]:
    """A commenter's display name and handle, the way people set them on social media."""
    first, last = person_name(rng)
    first = first.replace("Hj. ", "").replace("Andi Muh.", "Andi").replace("La Ode", "Ode")
    style = rng.random()
    if style < 0.4:
        display = f"{first} {last}"
    elif style < 0.7:
        display = first
    elif style < 0.85:
        display = f"{first.lower()}_{last.lower()}"
    else:
        display = f"Bunda {first}" if rng.random() < 0.5 else f"Kak {first}"
    handle = (first + rng.choice(("", ".", "_")) + last).lower().replace(" ", "")
    handle = handle.replace("'", "") + rng.choice(HANDLE_SUFFIXES)
    return display, handle
