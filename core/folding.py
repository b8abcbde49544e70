"""One way to fold the text people type and the text the search index holds.

People type Danish letters three ways: 'Børn', 'Boern', 'Born'; 'Håndbold', 'Haandbold',
'Handbold'; 'Fællesskab', 'Faellesskab'. ``fold`` maps all of them to one spelling ('born',
'handbold', 'fallesskab') and strips every other diacritic ('Citroën' and 'Citroen' -> 'citron', 'č' -> 'c').
It has no dependencies, so the database layer can register it as a SQLite function.
"""
from __future__ import annotations

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
