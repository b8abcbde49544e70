"""One way to fold the text people type and the text the search index holds.

People type Danish letters three ways: 'Børn', 'Boern', 'Born'; 'Håndbold', 'Haandbold',
'Handbold'; 'Fællesskab', 'Faellesskab'. ``fold`` maps all of them to one spelling ('born',
'handbold', 'fallesskab') and strips every other diacritic ('Citroën' and 'Citroen' -> 'citron', 'č' -> 'c').
It has no dependencies, so the database layer can register it as a SQLite function.

``index_words`` splits folded text into the words SQLite's search index holds (its vocabulary
table, ``core.search``), registered beside ``fold`` for the triggers that keep that table.
"""
from __future__ import annotations

import json
import unicodedata

# Every Latin letter with a diacritic (Latin-1, Latin Extended-A and B) and the plain lower-case
# letter it folds to; æ -> a and ø -> o so that 'æ'/'ae'/'a' and 'ø'/'oe'/'o' meet after the
# digraph step. Migration 0010 holds a frozen copy for PostgreSQL: a test keeps them equal.
FOLD_FROM = ('ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåæçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔ'
             'ĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįıĴĵĶķĹĺĻļĽľŁłŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮů'
             'ŰűŲųŴŵŶŷŸŹźŻżŽžſƀƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗ'
             'ȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ')
FOLD_TO = ('aaaaaaaceeeeiiiidnoooooouuuuyaaaaaaaceeeeiiiidnoooooouuuuyyaaaaaaccccccccddddeee'
           'eeeeeeegggggggghhhhiiiiiiiiijjkkllllllllnnnnnnoooooorrrrrrssssssssttttttuuuuuuuu'
           'uuuuwwyyyzzzzzzsboouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuu'
           'sstthhaaeeooooooooyy')
# The Danish spellings without the letters, in this order (str.replace and SQL replace() agree).
DIGRAPHS = (("ae", "a"), ("oe", "o"), ("aa", "a"))
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)


def fold(text: str | None) -> str:
    """Text as the index holds it: lower case, diacritics gone, æ/ø/å and ae/oe/aa as a/o/a."""
    folded = (text or "").lower().translate(_FOLD)
    for digraph, letter in DIGRAPHS:
        folded = folded.replace(digraph, letter)
    return folded


def fold_sql(expression: str, fold_from: str = FOLD_FROM, fold_to: str = FOLD_TO) -> str:
    """``fold`` as a PostgreSQL expression over a text ``expression`` (immutable, so it can feed
    a generated column). Upper-case letters of the table are mapped before lower()."""
    sql = f"lower(translate(coalesce({expression}, ''), '{fold_from}', '{fold_to}'))"
    for digraph, letter in DIGRAPHS:
        sql = f"replace({sql}, '{digraph}', '{letter}')"
    return sql


# --- the words of the search index (SQLite) ----------------------------------------------------

# The combining marks FTS5's remove_diacritics drops inside a word (others separate words).
_DIACRITICS = frozenset(map(chr, [*range(0x300, 0x305), *range(0x306, 0x30D), 0x30F, 0x311, 0x31B,
                                  *range(0x323, 0x329), 0x32D, 0x32E, 0x330, 0x331]))


def _index_letter(char: str) -> str | None:
    """A character as FTS5's unicode61 tokenizer (remove_diacritics 2) keeps it in a word:
    letters, digits, private-use and unassigned characters, a Latin letter without its marks;
    None for a separator, '' for a combining mark it drops."""
    if char in _DIACRITICS:
        return ""
    category = unicodedata.category(char)
    if category[0] not in "LN" and category not in ("Co", "Cn"):  # unassigned: FTS5 keeps it too
        return None
    if char.isascii():
        return char
    parts = unicodedata.normalize("NFD", char)
    if len(parts) > 1 and parts[0].isascii() and parts[0].isalpha() and \
            all(mark in _DIACRITICS for mark in parts[1:]):
        return parts[0].lower()
    return char


def index_words(*texts: str | None) -> list[str]:
    """The distinct words the search index holds for these texts: folded (``fold``), then split
    and stripped as FTS5's unicode61 tokenizer does. For the scripts Danes write this is exactly
    FTS5's list (a test compares the two); in rarer scripts FTS5's older Unicode tables may split
    or fold a word otherwise, which at worst leaves a word out of a prefix's expansion."""
    found: dict[str, None] = {}
    for text in texts:
        word: list[str] = []
        for char in fold(text) + " ":
            letter = _index_letter(char)
            if letter is None:
                if "".join(word):
                    found["".join(word)] = None
                word = []
            else:
                word.append(letter)
    return list(found)


def index_words_json(*texts: str | None) -> str:
    """``index_words`` as a JSON array, for SQLite's ``json_each`` in the vocabulary's triggers."""
    return json.dumps(index_words(*texts), ensure_ascii=False)
