"""Rules over normalized tokens: questions, spam, and the fall-backs used when an
optional model file is absent (the abuse model carries a non-commercial licence and a
site may remove it). Word lists are warta's own.
"""

import itertools
import re
from collections.abc import Sequence


def _words(text: str) -> list[str]:
    return text.split()


QUESTION_WORDS = frozenset(
    _words(
        """
        apa apakah siapa kapan mana bagaimana kenapa mengapa berapa bisakah bolehkah
        adakah benarkah kah gimana
        """
    )
)
# Words that open a question even without "?" ("kok jalan rusak terus", "boleh tanya").
QUESTION_OPENERS = frozenset(
    {
        "apa",
        "apakah",
        "siapa",
        "kapan",
        "bagaimana",
        "kenapa",
        "mengapa",
        "berapa",
        "bisakah",
        "bolehkah",
        "adakah",
        "benarkah",
        "di",
        "ke",
        "kok",
        "gimana",
    }
)

# Words common in promotion and gambling spam but rare in public comments; words a
# government account uses itself ("daftar", "dana", "hadiah", "link") are left out.
SPAM_WORDS = frozenset(
    _words(
        """
        slot gacor maxwin judi judol togel toto casino kasino jackpot scatter depo deposit
        wd withdraw bonus zeus olympus pragmatic rtp situs bio pinjol followers follower
        promo diskon reseller dropship cuan investasi profit trading forex crypto kripto
        giveaway klik endorse subscribe pulsa profil terpercaya dapatkan ongkir
        """
    )
)
STRONG_SPAM = frozenset(
    _words(
        """
        slot gacor maxwin judol togel casino kasino scatter pinjol zeus olympus rtp
        """
    )
)

POSITIVE_WORDS = frozenset(
    _words(
        """
        bagus baik mantap keren hebat sukses terima kasih puas senang cepat ramah
        bersih nyaman membantu bermanfaat luar biasa top salut apresiasi bangga
        semangat lancar rapi enak indah tanggap sigap emopos haha mantul setuju
        mendukung dukung selamat terbaik
        """
    )
)
NEGATIVE_WORDS = frozenset(
    _words(
        """
        jelek buruk kecewa lambat rusak parah kotor macet mahal susah sulit lama
        bohong hoaks korupsi pungli malas marah kesal sebal capek lelah gagal sampah
        banjir bau percuma mubazir tidak becus payah emoneg hancur bodoh menyesal
        mati padam antre berlubang terbengkalai
        """
    )
)
ABUSIVE_WORDS = frozenset(
    _words(
        """
        anjing anjir anjay bangsat bajingan babi goblok goblog tolol bego bodoh
        idiot kampret keparat brengsek asu jancuk jancok cuk kontol memek ngentot
        tai taik sialan setan iblis monyet kunyuk bangke bangkai dungu pantek pepek
        lonte pelacur sundal banci bencong kafir cebong kampret kadrun bangsad
        anjrit kampang bacot bacod mampus modar laknat sinting edan gila sarap
        perek jablay tahi bego budek congek dajjal biadab bejat keparat busuk
        munafik penjilat antek pengkhianat maling rampok koruptor
        """
    )
)

# Words naming groups that hate speech targets (for the abuse model's extra features;
# their presence is not hate speech by itself).
GROUP_WORDS: dict[str, frozenset[str]] = {
    "religion": frozenset(
        _words(
            """
            islam muslim kristen katolik nasrani yahudi hindu budha buddha kafir ulama
            habib ustadz ustad pendeta gereja masjid agama fpi hti khilafah syiah
            wahabi ateis atheis murtad umat kaum
            """
        )
    ),
    "race": frozenset(
        _words(
            """
            cina china aseng asing arab jawa batak padang sunda bugis dayak papua
            pribumi keturunan tionghoa etnis ras suku onta negro
            """
        )
    ),
    "gender": frozenset(
        _words("banci bencong lgbt homo lesbi maho gay waria betina perempuan wanita cewek")
    ),
    "physical": frozenset(
        _words("cacat pincang buta budek tuli gendut pesek botak jelek cebol item idiot autis")
    ),
    "political": frozenset(
        _words(
            """
            cebong kampret kadrun togog pki komunis rezim antek presiden jokowi prabowo
            ahok anies partai pdip gerindra pendukung
            """
        )
    ),
}

COMPLAINT_WORDS = frozenset(
    _words(
        """
        rusak mati padam macet banjir lambat lama kotor bau sampah berlubang antre
        antri kecewa tidak kunjung belum diperbaiki keluhan mengeluh komplain parah
        pungli mahal susah sulit gangguan error bocor
        """
    )
)
REQUEST_WORDS = frozenset(
    _words(
        """
        info informasi syarat persyaratan prosedur cara jadwal alamat lokasi nomor
        kontak daftar pendaftaran biaya tarif link formulir berkas dokumen jam buka
        """
    )
)
SUGGESTION_WORDS = frozenset(
    _words(
        """
        sebaiknya saran usul usulan mohon tolong harap harapnya semoga bagaimana
        sebaiknya alangkah lebih baik perlu seharusnya coba ide gimana kalau
        """
    )
)


def is_question(tokens: Sequence[str]) -> bool:
    if not tokens:
        return False
    if "?" in tokens:
        return True
    return (tokens[0] in QUESTION_OPENERS and tokens[0] not in {"di", "ke"}) or not (
        QUESTION_WORDS.isdisjoint(tokens[:3])
    )


_FANCY = re.compile("[\U0001d400-\U0001d7ff]")
_CONTACT = frozenset({"url", "nomortelepon"})
# Any word that counts towards the score (most texts have none: one set test says so).
_SPAM_SIGNALS = STRONG_SPAM | SPAM_WORDS | _CONTACT
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LETTERS = _ASCII_UPPER + _ASCII_UPPER.lower()
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _shouted(raw: str) -> bool:
    """Whether more than 60 % of the letters are capitals."""
    # Counted by deleting bytes (for ASCII, str.isupper and str.isalpha mean A-Z and
    # a-z): map() over str methods cost as much as the three models on a comment.
    ascii_part = raw.encode("ascii", "ignore")
    upper = len(ascii_part) - len(ascii_part.translate(None, _ASCII_UPPER))
    letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
    if not raw.isascii():
        rest = "".join(_NON_ASCII.findall(raw))
        upper += sum(map(str.isupper, rest))
        letters += sum(map(str.isalpha, rest))
    return upper > 0.6 * letters


def spam_score(tokens: Sequence[str], raw: str) -> float:
    """Return a score in [0, 1]; 0.5 and above is spam."""
    if not tokens:
        return 0.0
    score = 0.0
    if not _SPAM_SIGNALS.isdisjoint(tokens):
        token_set = set(tokens)
        strong = len(token_set & STRONG_SPAM)
        weak = len(token_set & SPAM_WORDS)
        contact = len(token_set & _CONTACT)
        score = 0.45 * strong + 0.2 * weak + 0.2 * contact
    if len(raw) > 20 and _shouted(raw):
        score += 0.1
    # Fancy-font letters (Mathematical Alphanumeric Symbols) are a typical spam disguise.
    if not raw.isascii() and _FANCY.search(raw):
        score += 0.35
    return min(1.0, score)


def is_spam(tokens: Sequence[str], raw: str) -> bool:
    """Whether `spam_score` reaches 0.5, computed only as far as that needs."""
    if raw.isascii() and _SPAM_SIGNALS.isdisjoint(tokens):
        return False  # no spam word and no fancy letters: capitals alone add 0.1
    return spam_score(tokens, raw) >= 0.5


def lexicon_sentiment(tokens: Sequence[str]) -> float:
    """Return a score in [-1, 1] from the word lists (the fall-back sentiment)."""
    pos = sum(t in POSITIVE_WORDS for t in tokens)
    neg = sum(t in NEGATIVE_WORDS for t in tokens)
    # "tidak bagus" flips the next evaluation word.
    for a, b in itertools.pairwise(tokens):
        if a in {"tidak", "bukan", "kurang", "belum"}:
            if b in POSITIVE_WORDS:
                pos -= 1
                neg += 1
            elif b in NEGATIVE_WORDS:
                neg -= 1
                pos += 1
    if pos == neg:
        return 0.0
    return (pos - neg) / max(1, pos + neg)


def lexicon_abusive(tokens: Sequence[str]) -> bool:
    return any(t in ABUSIVE_WORDS for t in tokens)


def rule_intent(tokens: Sequence[str], question: bool, sentiment: str) -> str:
    """Return the intent of a public message by rules (the fall-back intent)."""
    token_set = set(tokens)
    if token_set & REQUEST_WORDS and (question or token_set & {"minta", "mohon", "tolong"}):
        return "information_request"
    if token_set & COMPLAINT_WORDS and sentiment == "negative":
        return "complaint"
    if question:
        return "question"
    if token_set & SUGGESTION_WORDS:
        return "suggestion"
    if token_set & COMPLAINT_WORDS:
        return "complaint"
    if sentiment == "positive":
        return "praise"
    return "other"
