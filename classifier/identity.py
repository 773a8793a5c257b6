"""Identity terms: the words and phrases people write when they name a group by religion, ethnicity,
nationality or origin, sexuality or gender identity, gender, age or disability, and where they occur in text.

The lexicon names groups; it never holds a slur or an insult (those must stay visible to the model), nor
words that only sometimes name a group and mostly carry something else ("guys", "kids", "mother").
It covers the 50 terms of Dixon et al. 2018 ("Measuring and mitigating unintended bias in text
classification") and the seven groups of HateCheck (Röttger et al. 2021), with their plural, adjectival and
multi-word forms.

Matching rules of `identity_spans` (the text must already be `classifier.normalise.normalise`d: lower case,
accents and look-alikes folded, leetspeak mapped, so "MUSL1MS" arrives as "muslims"):

- Whole words only: a match is neither preceded nor followed by a letter, digit or underscore, so
  "blacksmith", "oldest", "mankind", "germany", "transport" and "gayle" match nothing. Hyphens, apostrophes
  and other punctuation are boundaries: "anti-muslim" matches "muslim", "women's" matches "women".
- Inside a multi-word term each space stands for exactly one space or hyphen: "african american" also
  matches "african-american"; run-together spellings are listed as terms of their own ("nonbinary").
- An apostrophe inside a term matches ', ’ or ʼ, or none: "jehovah's witness" matches "jehovahs witness".
- A "+" ending a term ("lgbtq+") is part of the match.
- Leftmost-longest: scanning left to right, the longest term starting at a position wins, so
  "african americans" is one span, not "african" and "americans"; spans never overlap.
- Words with other senses match in all of them ("white wine", "an old car", "straight away", "a senior
  engineer"): the matcher does not tell senses apart, so hiding a term hides its other senses too.
- Generic person nouns stay outside the terms ("gay people" matches "gay"; "trans woman" matches "trans"
  and "woman" as two spans) except where the phrase is the only name of the group ("people of colour",
  "wheelchair user").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache


def _nouns(*words: str) -> tuple[str, ...]:
    """Each word and its plural formed with -s ("muslim", "muslims")."""
    return tuple(form for word in words for form in (word, word + "s"))


# Religion and religious groups (Dixon: christian, buddhist, catholic, protestant, sikh, jewish, muslim).
RELIGION = (
    *_nouns("muslim", "moslem", "christian", "catholic", "protestant", "jew", "hindu", "buddhist", "sikh",
            "atheist", "agnostic", "mormon", "evangelical", "baptist", "methodist", "lutheran", "anglican",
            "presbyterian", "episcopalian", "quaker", "pentecostal", "adventist", "jain", "taoist", "pagan",
            "wiccan", "shiite", "sunni", "sufi", "zoroastrian", "rastafarian", "scientologist", "unitarian",
            "hasid"),
    "jewish", "islam", "islamic", "christianity", "catholicism", "protestantism", "judaism", "hinduism",
    "buddhism", "sikhism", "atheism", "agnosticism", "mormonism", "jainism", "taoism", "paganism", "shia",
    "amish", "hasidic", "orthodox", "baha'i", "jehovah's witness", "jehovah's witnesses",
)

# Ethnicity and race (Dixon: african, african american, black, white, hispanic, latino, latina, latinx,
# asian, middle eastern). "gypsy", "oriental", "negro", "colored" and "eskimo" are left out: they are
# widely taken as slurs or insults today.
ETHNICITY = (
    "black", "blacks", "white", "whites", "brown",
    *_nouns("african", "african american", "afro american", "afro caribbean", "asian", "asian american",
            "east asian", "south asian", "southeast asian", "hispanic", "latino", "latina", "chicano",
            "chicana", "caucasian", "native american", "aborigine", "alaska native", "native hawaiian",
            "pacific islander", "arab", "north african", "kurd", "slav", "tamil", "punjabi", "pashtun",
            "uyghur", "tibetan", "hmong"),
    "latinx", "latine", "indigenous", "aboriginal", "first nations", "inuit", "maori", "middle eastern",
    "arabic", "roma", "romani", "romany", "sinti", "kurdish", "slavic", "mixed race", "biracial",
    "multiracial", "people of color", "people of colour", "person of color", "person of colour", "poc",
    "bipoc", "bame", "ethnic minority", "ethnic minorities",
)

# Nationality and origin (Dixon: european, mexican, canadian, american, indian, chinese, japanese):
# demonyms (never country names), and migrants, refugees and foreigners as groups.
NATIONALITY = (
    *_nouns("immigrant", "migrant", "emigrant", "refugee", "asylum seeker", "foreigner", "expat",
            "expatriate"),
    "undocumented", "foreign born",
    *_nouns("american", "canadian", "mexican", "european", "brit", "briton", "scot", "german", "italian",
            "spaniard", "belgian", "austrian", "swede", "norwegian", "dane", "finn", "russian", "ukrainian",
            "belarusian", "czech", "slovak", "hungarian", "romanian", "bulgarian", "serbian", "serb",
            "croatian", "croat", "bosnian", "albanian", "greek", "turk", "cypriot", "korean", "filipino",
            "filipina", "indonesian", "malaysian", "singaporean", "cambodian", "indian", "pakistani",
            "bangladeshi", "sri lankan", "nepali", "afghan", "iranian", "iraqi", "syrian", "jordanian",
            "palestinian", "israeli", "saudi", "yemeni", "egyptian", "libyan", "moroccan", "algerian",
            "tunisian", "somali", "ethiopian", "eritrean", "kenyan", "nigerian", "ghanaian", "south african",
            "zimbabwean", "ugandan", "rwandan", "australian", "aussie", "new zealander", "haitian",
            "jamaican", "cuban", "puerto rican", "dominican", "colombian", "venezuelan", "brazilian",
            "argentinian", "argentine", "chilean", "peruvian", "ecuadorian", "bolivian", "salvadoran",
            "guatemalan", "honduran", "nicaraguan", "mongolian", "kazakh", "uzbek", "chechen", "armenian",
            "azerbaijani", "persian", "pole"),
    "british", "english", "englishman", "englishmen", "englishwoman", "englishwomen", "scottish", "irish",
    "irishman", "irishmen", "welsh", "french", "frenchman", "frenchmen", "frenchwoman", "frenchwomen",
    "spanish", "portuguese", "dutch", "swiss", "swedish", "danish", "finnish", "icelandic", "polish",
    "turkish", "chinese", "japanese", "vietnamese", "thai", "burmese", "taiwanese", "nepalese", "lebanese",
    "sudanese", "senegalese", "congolese", "quebecois",
)

# Sexual orientation and gender identity (Dixon: lesbian, gay, bisexual, transgender, trans, queer, lgbt,
# lgbtq, homosexual, straight, heterosexual, nonbinary). "tranny", "dyke", "fag" and the like are slurs.
SEXUALITY = (
    *_nouns("lesbian", "gay", "bisexual", "pansexual", "asexual", "homosexual", "heterosexual", "queer",
            "transgender", "transsexual", "transwoman", "transman", "genderqueer", "cisgender"),
    "bi", "aromantic", "homosexuality", "heterosexuality", "bisexuality", "straight", "lgbt", "lgbtq",
    "lgbtqi", "lgbtqia", "lgbt+", "lgbtq+", "lgbtqi+", "lgbtqia+", "glbt", "2slgbtq+", "trans",
    "transgendered", "transwomen", "transmen", "nonbinary", "non binary", "enby", "genderfluid",
    "gender fluid", "agender", "intersex", "cis", "two spirit", "same sex",
)

# Gender (Dixon: male, female). Kinship and address words (mother, wife, guys, dude) are left out: they
# rarely name the group.
GENDER = (
    *_nouns("male", "female", "girl", "boy"),
    "man", "men", "woman", "women", "lady", "ladies", "gentleman", "gentlemen", "womxn", "womyn",
)

# Age (Dixon: teenage, young, younger, old, older, elderly, millenial, millennial, middle aged). "kids" and
# "children" are left out: they rarely name an age group, and threats against children must stay visible.
AGE = (
    "young", "younger", "old", "older", "elderly", "teenage", "teenaged", "middle aged", "gen z", "genz",
    "gen x", "gen alpha", "generation z", "generation x",
    *_nouns("youngster", "youth", "teen", "teenager", "adolescent", "elder", "senior", "senior citizen",
            "pensioner", "retiree", "oap", "boomer", "baby boomer", "millennial", "millenial", "zoomer"),
)

# Disability (Dixon: deaf, blind, paralyzed). "retard", "cripple", "spastic", "midget" are slurs and
# "psycho", "lunatic", "insane", "mentally ill" are used as insults: left out, so they stay visible.
DISABILITY = (
    "disabled", "disability", "disabilities", "handicapped", "deaf", "deafblind", "hard of hearing", "blind",
    "visually impaired", "hearing impaired", "partially sighted", "paralyzed", "paralysed", "autistic",
    "autism", "asperger's", "adhd", "dyslexic", "dyslexia", "down syndrome", "down's syndrome",
    "cerebral palsy", "epilepsy", "neurodivergent", "neurodiverse", "special needs", "learning disability",
    "learning disabilities", "mental illness", "mental illnesses", "chronically ill", "chronic illness",
    "dwarfism",
    *_nouns("wheelchair user", "paraplegic", "quadriplegic", "tetraplegic", "amputee", "epileptic"),
)

IDENTITY_GROUPS: dict[str, tuple[str, ...]] = {
    "religion": RELIGION,
    "ethnicity": ETHNICITY,
    "nationality": NATIONALITY,
    "sexuality": SEXUALITY,
    "gender": GENDER,
    "age": AGE,
    "disability": DISABILITY,
}

# Pattern pieces for the characters of a term that are not plain letters.
_SEPARATOR = "[ -]"
_APOSTROPHE = "['’ʼ]?"


def _piece(char: str) -> str:
    if char == " ":
        return _SEPARATOR
    if char == "'":
        return _APOSTROPHE
    return re.escape(char)


def trie_pattern(terms: Iterable[str]) -> str:
    """A regex alternation of terms built as a prefix tree, each branch point trying longer terms first.

    Siblings in the tree start with different characters (bar the optional apostrophe, whose empty match
    could meet a sibling: tests/classifier/test_identity.py checks the matcher against a term-by-term
    reference), so the engine follows one path per position and backtracks only to the shorter terms
    along it: at one position the longest term that passes the word-boundary check wins.
    """
    trie: dict = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(_piece(char), {})
        node[""] = {}  # a term ends here

    def compile_node(node: dict) -> str:
        branches = [piece + compile_node(child) for piece, child in sorted(node.items()) if piece]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        # Greedy optional: the longer terms through this node are tried before the one ending here.
        return ("(?:" + body + ")?") if len(branches) == 1 else body + "?"

    return compile_node(trie)


ALL_TERMS: frozenset[str] = frozenset(term for terms in IDENTITY_GROUPS.values() for term in terms)


@cache
def identity_pattern() -> re.Pattern:
    """The compiled matcher of every term, built on first use (compiling takes about 10 ms)."""
    # One regex, its terms as a prefix tree: on 5,000 bundled news-site comments (212 normalised characters
    # on average) it takes 8-13 us a comment on a busy 2-core machine, under a fifth of `normalise`'s time
    # (bench/identity_bias.py). The same terms as a flat alternation took 90 us. A pre-check that first
    # looks the comment's words up in a set took 11 us with the regex after it, more than the prefix tree
    # alone (whose lookbehind fails at once inside words), so there is none.
    return re.compile(r"(?<!\w)" + trie_pattern(sorted(ALL_TERMS)) + r"(?!\w)")


def identity_spans(text: str) -> list[tuple[int, int]]:
    """Return the [begin, end) spans of identity terms in normalised text, leftmost-longest, in order."""
    return [match.span() for match in identity_pattern().finditer(text)]


def without_identity_terms(text: str) -> str:
    """Return normalised text with every identity term replaced by one space (runs of spaces squashed).

    Cutting a term can join its neighbours into another ("non gay binary"), so cutting repeats until
    none is left (each pass removes at least one character).
    """
    while spans := identity_spans(text):
        pieces = []
        position = 0
        for begin, end in spans:
            pieces.append(text[position:begin])
            position = end
        pieces.append(text[position:])
        text = _SPACES.sub(" ", " ".join(pieces)).strip(" ")
    return text


_SPACES = re.compile(" {2,}")
