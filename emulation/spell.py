"""Whole numbers in words, Vietnamese or English, for confirmations that must not be misread
("retire 124 units" also written "một trăm hai mươi bốn"). Pure; 0 to 999,999,999."""

from __future__ import annotations

VI_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
VI_SCALES = ((1_000_000, "triệu"), (1000, "nghìn"))
EN_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
EN_SCALES = ((1_000_000, "million"), (1000, "thousand"))
LIMIT = 1_000_000_000


def in_words(number: int, locale: str = "vi") -> str:
    """`number` written out in the language of `locale` ("vi" or "en")."""
    if not 0 <= number < LIMIT:
        raise ValueError(f"{number} is out of range")
    return _vietnamese(number) if locale == "vi" else _english(number)


# --- Vietnamese --------------------------------------------------------------------------
def _vi_tens(tens: int, ones: int) -> list[str]:
    """Two digits after a hundreds digit or a larger group ("linh" for a zero tens)."""
    words = []
    if tens == 0:
        words += ["linh", VI_DIGITS[ones]] if ones else []
    elif tens == 1:
        words += ["mười"] + (["lăm" if ones == 5 else VI_DIGITS[ones]] if ones else [])
    else:
        words += [VI_DIGITS[tens], "mươi"]
        if ones:
            words.append({1: "mốt", 5: "lăm"}.get(ones, VI_DIGITS[ones]))
    return words


def _vi_group(number: int, full: bool) -> list[str]:
    """0–999; `full` reads a leading zero hundreds ("không trăm") inside a larger number."""
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    if not full and hundreds == 0:
        if tens == 0:
            return [VI_DIGITS[ones]]
        return _vi_tens(tens, ones)
    words = [VI_DIGITS[hundreds], "trăm"]
    return words + _vi_tens(tens, ones) if rest else words


def _vietnamese(number: int) -> str:
    if number == 0:
        return VI_DIGITS[0]
    words: list[str] = []
    for scale, name in VI_SCALES:
        group, number = divmod(number, scale)
        if group:
            words += [*_vi_group(group, full=bool(words)), name]
    if number:
        words += _vi_group(number, full=bool(words))
    return " ".join(words)


# --- English -----------------------------------------------------------------------------
def _en_group(number: int) -> str:
    hundreds, rest = divmod(number, 100)
    parts = [f"{EN_SMALL[hundreds]} hundred"] if hundreds else []
    if rest:
        if rest < 20:
            text = EN_SMALL[rest]
        else:
            tens, ones = divmod(rest, 10)
            text = EN_TENS[tens] + (f"-{EN_SMALL[ones]}" if ones else "")
        parts.append(("and " if hundreds else "") + text)
    return " ".join(parts)


def _english(number: int) -> str:
    if number == 0:
        return EN_SMALL[0]
    words = []
    for scale, name in EN_SCALES:
        group, number = divmod(number, scale)
        if group:
            words.append(f"{_en_group(group)} {name}")
    if number:
        words.append(("and " if words and number < 100 else "") + _en_group(number))
    return " ".join(words)
