"""Model cards, written beside the model files by `train_all` with the measured figures."""

import json
from pathlib import Path
from typing import Any

RETRAIN = (
    "python -m warta.language.training.train_all --data ../shared/data"
    "  # from the repository root; add --only {name} for this model alone"
)

CARDS: dict[str, str] = {
    "sentiment": """# Model card: sentiment (and emotion)

File: `sentiment.npz` — plain numpy arrays (vocabulary as UTF-8 bytes, idf, float16
weights, biases, JSON metadata), loaded with `allow_pickle=False`.

## What it does
Sentiment of an Indonesian text: negative / neutral / positive (head `sentiment`;
`sentiment_score` = P(positive) - P(negative)). A second head gives the emotion of a
tweet-like text: anger / fear / happy / love / sadness (`TextAnalysis.emotion`).

## Model
Linear over the text after warta's normalization: word unigrams and bigrams,
character 2-5-grams inside words, binary tf x idf, L2-normalized; plus extra
features: polar words seen in training (positive/negative), their negation
("tidak enak" -> negated positive) and a length bucket. Each head is an ensemble of
one-vs-rest NB-LR and multinomial logistic regression, folded into one weight matrix.
The sentiment head is trained with class-balanced weights (neutral is 10 % of SmSA).

## How choices were made, and which figure to trust
- **Untouched test** (`smsa_test_*`, `emot_test_*`): a fixed tenth of SmSA train
  (1,096 rows) and of EmoT train (374 rows), chosen by the SHA-256 of a salt and the
  lower-cased text (`train_all.is_test_row`; duplicates fall on one side). Since
  issue 18 the shipped weights are trained without these rows, and no choice
  (features, weights, thresholds, ensembles) is ever made on them. It is a sample of
  the *training distribution*: it says nothing about other domains.
- **Validation** (`smsa_valid_*`, `emot_valid_macro_f1`): IndoNLU valid. It was never
  trained on, but the figure was read after each change during development (issue 7),
  so it is a validation figure and flatters; do not compare it with a published
  *test* figure.
- IndoNLU's published SmSA *test* split is not in `../shared/data` and is never used.
  Measured outside the project on unseen SmSA-style data, the previous engine gave
  0.811 macro-F1 (neutral 0.716) against 0.869 on valid (issue 18): expect the real
  figure on new reviews to sit below both figures here.

Choices inside the training rows were made by 5-fold cross-validation (macro-F1 of
the out-of-fold predictions; figures of issue 7, on all of SmSA train):

| variant (5-fold CV on SmSA train) | macro-F1 |
| --- | --- |
| previous model (NB-LR + LR, unweighted) | 0.862 |
| **class-balanced weights (shipped)** | **0.865** |
| + per-class bias tuned on the out-of-fold scores | 0.865 (no gain) |
| balanced, NB-LR alone / LR alone (shipped: their standardized sum, 1:1) | 0.862 / 0.858 |
| balanced, NB-LR : LR weighted 3:7 / 7:3 | 0.863 / 0.863 |
| balanced, stronger regularization (C 5 / 10 instead of 10 / 30) | 0.863 |
| balanced, weaker regularization (C 20 / 100) | 0.861 |
| balanced, character 2-6-grams instead of 2-5 | 0.862 |
| balanced, + EmoT tweets as extra rows (happy/love positive, rest negative) | 0.860 |
| balanced, without the 1.5 % of rows whose own label gets P < 0.1 out-of-fold (label noise; nested CV) | 0.865 (no gain) |
| MLP over the same features (64 hidden, dropout; PyTorch, offline) alone | 0.855 |
| ensemble with that MLP | 0.866 |
| word CNN (widths 1-3, 96 filters, own embeddings; PyTorch) alone | 0.818 |
| ensemble of linear + MLP + CNN (weights picked on the same folds) | 0.867 |

The neural members add at most 0.002 while needing PyTorch for training and a
second inference path; they were left out. The target of 0.88 on SmSA valid is not
reached: the out-of-fold errors are mostly neutral news-like sentences read as
polar, and labels that are hard to defend either way (a complaint about a phone
line labelled neutral), where bag-of-n-gram models plateau. A transformer fine-tune (IndoBERT,
0.93 published) through the optional backend (`transformer.py`) is the way up.

## Training data and licence
- `indonlu-smsa/train_preprocess.tsv` without its test tenth (9,904 of 11,000 comments
  and reviews), IndoNLU, Apache-2.0 — sentiment head.
- `indonlu-emot/train_preprocess.csv` without its test tenth (3,147 of 3,521 tweets),
  IndoNLU, Apache-2.0 — emotion head.
- warta's own in-domain rows, each repeated 4 times (`training/data/`, written and
  labelled by the project): `intent_train.tsv` (praise positive, complaint negative,
  the rest neutral), `criticism_tune.tsv` (negative), `sarcasm_tune.tsv` (sarcasm
  toward an agency negative, genuine praise positive) and the attacks of
  `sara_tune.tsv` (negative). Their `*_heldout.tsv` twins are never trained on.
- Vocabulary from SmSA, EmoT and those rows. The weights are shipped under Apache-2.0
  terms of the data (cite Wilie et al., AACL 2020); warta's rows are CC0-1.0 or
  AGPL-3.0-or-later (the older sets), neither adds a condition.

**The price of the in-domain rows (issue 18), measured after the choice:** with the
criticism, sarcasm and SARA rows and the larger intent set (2,280 of 12,184 training
rows after repetition), SmSA untouched-test macro-F1 went from 0.8817 (neutral 0.827)
to 0.8638 (neutral 0.793), valid from 0.8603 to 0.8565; sarcasm toward an agency read
as negative went from 3 to 25 of 30 held-out comments, criticism read as negative
rose too (`bench/language/run.py` prints both engines). The rows were added for the
government domain and their weight (4 repeats) was not tuned; the SmSA drop was seen
only afterwards and was not tuned away, so the test figure stays untouched. Issue 18's
targets for SmSA-style data (0.85 on unseen data, neutral 0.78, tweets 0.72) are
**not shown to be met**: the untouched tenth samples SmSA train, not unseen data.
The optional second pass (`sentiment_encoder.md`) re-scores the texts this model is
unsure of (12 % of SmSA): untouched test 0.8638 -> 0.8764.

## Sarcasm and criticism (warta's own sets, whole engine)
Sarcasm reads as praise to n-grams ("wah hebat ya … keren bgt dinas PU 👏👏"). Two
extra features mark praise beside a plain problem (`posneg`) and the same with an
ironic particle such as "wah", "ya", "lho" (`posneg_marked`); the model learns their
weight from the sarcasm rows. Held-out part (never trained or tuned on):
{heldout}

Known failure cases: sarcasm without a problem word ("pelayanannya memuaskan... kalau
sabar nunggu seharian"), genuine praise that recalls the problem ("lubang di jalan
kami sudah ditambal rapi") read as negative, neutral news-like sentences read as
polar, and long reviews mixing praise and complaint.

## Metrics (measured by the training run)
{metrics}

- `smsa_test_*`, `emot_test_*`: the untouched test tenths (above); trained on the rest.
- `smsa_valid_*`: IndoNLU SmSA valid (1,260), never trained on; validation (above).
- `emot_valid_macro_f1`: IndoNLU EmoT valid (440), validation.
- `comments_test_*`: warta's own robustness set of short, informal comments in the
  style of government accounts (`training/data/sentiment_comments_test.tsv`,
  hand-written and hand-labelled by the project; never used in training). SmSA is
  mostly restaurant and product reviews: expect lower quality on political and
  government-service comments, and on neutral questions.

## Retrain
`{retrain}`
""",
    "abuse": """# Model card: abusive language and hate speech (OPTIONAL — CC BY-NC-SA 4.0)

File: `abuse.npz` — plain numpy arrays loaded with `allow_pickle=False`.

**Licence: CC BY-NC-SA 4.0.** The weights are derived from the Ibrohim & Budi (2019)
data set, which is licensed for non-commercial use with share-alike. This file is
therefore optional: use by a government for its public service is non-commercial; a
commercial operator must delete `abuse.npz`, after which warta falls back to its own
word list (abusive words only, no hate-speech target or category). Cite:
Ibrohim, M.O. & Budi, I. (2019), "Multi-label Hate Speech and Abusive Language
Detection in Indonesian Twitter", ALW3 (see `citation.bib` in the data folder).

## What it does
Heads: `hs` (hate speech, sigmoid), `abusive` (abusive language, sigmoid), `target`
(individual / group, for hate speech), `category` (religion / race / physical /
gender / other, one-vs-rest, argmax) — the SARA check of the guardrails.

## Model
Same features as the sentiment model (word 1-2-grams, char 2-5-grams in words,
binary tf-idf) plus a length bucket and a flag for words in warta's own abusive list.
HS and abusive: NB-LR + logistic regression ensemble; target: logistic regression;
category: one NB-LR per category, trained on hate-speech rows only. Emoji that the
tweet export carries as escaped bytes (`\\xf0\\x9f\\x98\\x82`) are decoded by the
normalization before the features are taken.

## How choices were made (no peeking)
The held-out 20 % is never used for training, feature selection or any choice.
Regularization and thresholds come from the training 80 % only: the probability cut
of each flag is the macro-F1-best on the pooled out-of-fold scores of a 5-fold
cross-validation (it replaced one 15 % tuning split, whose HS cut moved from 0.55
to 0.60 after a small change of normalization). Attempts to go further, measured by
5-fold cross-validation inside the training 80 % (macro-F1 at the best
cut on a 0.05 grid, HS / abusive; the standard error of such a figure is about 0.004):

| variant | HS | abusive |
| --- | --- | --- |
| linear NB-LR + LR (previous model) | 0.860 | 0.926 |
| + escaped emoji decoded (shipped; 0.862 / 0.926 with the training's finer cut grid) | 0.860 | 0.926 |
| + raw-text signals (share of capitals, "!", "?", hashtags, mention floods; finer grid, compare 0.862 / 0.926) | 0.862 | 0.928 |
| regularization C 1 / 10 for HS (shipped 3; finer grid) | 0.856 / 0.859 | |
| regularization C 3 / 30 for abusive (shipped 10; finer grid) | | 0.925 / 0.924 |
| multi-task MLP over the same features (all 12 labels; PyTorch) alone | 0.854 | 0.901 |
| ensemble linear + that MLP | 0.862 | 0.926 |
| word CNN (widths 1-3, multi-task; PyTorch) alone | 0.826 | 0.853 |
| ensemble linear + CNN | 0.865 | 0.927 |
| stacking: each label from both linear scores (HS and abusive) | 0.863 | 0.926 |
| stacking: both linear scores + CNN scores | 0.864 | 0.926 |
| without the 2 % of rows whose HS label the out-of-fold model contradicts (P beyond 0.2 / 0.8; nested CV, finer grid, compare 0.862) | 0.861 | |

None reaches the targets (0.87 / 0.93 on the held-out 20 %); the gains of the
neural members (0.002-0.005) did not justify a PyTorch training dependency and a
second inference path. Many errors are label noise of the source (mocking tweets
with no hate label, "jauhkan dari setan" marked abusive). The data set also counts
harsh political criticism as (weak) hate speech: callers may prefer a stricter
cut-off on `hate_score`. On warta's own 215 clean test texts (comments, messages,
captions), 2 are flagged as hate speech (4 before the thresholds came from
cross-validation) and 2 as abusive (1 before); `bench/language/run.py` prints it.

## Training data
`ibrohim-hate-speech/train.csv` (10,535 tweets). A fixed 20 % (seed {seed}) is held
out for the figures below; the shipped model is trained on the other 80 %.

## Metrics of the model alone (held-out 20 %)
{metrics}

## SARA and criticism: what the engine decides (issue 18)
The model learned from tweets where most hate speech targets one person, often a
politician. On comments to a government it missed plain group-targeted statements
("pendatang dari suku itu emang pemalas semua…", hate score 0.34) and read harsh
criticism of officials as hate or abuse. `warta/language/sara.py` (warta's own word
lists, no licence constraint) sits beside the model in `backends.py`:

- **Group-targeted attack → hate speech**, target `group`, category from the rule
  (race for suku/ras/etnis, religion, gender, other for golongan), `hate_score` at
  least 0.95: a group name (suku, agama, ras, golongan, or a coded term such as
  "aseng", "cokin", "kadrun") within 8 words of an attack (demeaning trait,
  dehumanising word, call for exclusion or violence, an abusive word), or "dasar"
  before the group. Counter-speech ("stop rasisme", "kata siapa orang papua malas?")
  and negated traits are not attacks. This works without `abuse.npz` too.
- **Criticism of government is not hate speech.** On a text about government,
  officials, public services or policy that names no group, the abusive flag needs a
  word of warta's abusive list, and the hate flag needs the abusive flag.

On warta's own sets (`training/data/sara_*.tsv`, `criticism_*.tsv`; written and
labelled by the project, CC0-1.0). The rules were written while reading the tune
part only; the held-out part was measured once at the end:

Held-out part:
{heldout}

Tune part (flatters: the rules were built on it):
{tune}

The cost on the source data's own held-out 20 %, whose labels count insults to a
president as hate speech and most words of anger as abuse: `hate_heldout_engine`
above against `hs_test_macro_f1` / `abusive_test_macro_f1` of the model alone. warta
accepts it: hiding a citizen's criticism of the government as "hate" is the worse
error for a public service.

Known failure cases: group attacks without any listed trait word ("orang ntt bikin
kampung jadi rawan", "islam agama kekerasan", "konghucu itu bukan agama, jangan
diakui"); slurs and traits outside the lists; mocking with positive words; a rude
word in a complaint about a thing ("bau busuk", "harga gila-gilaan") can still flag
abuse; long tweets that name a group near an unrelated harsh word.

## Retrain
`{retrain}`
""",
    "intent": """# Model card: intent of a public message

File: `intent.npz` — plain numpy arrays loaded with `allow_pickle=False`.

## What it does
question / complaint / information_request / suggestion / praise / spam / other. It
routes work: complaints and questions get a response target, and a message read as an
`information_request` is offered to the PPID register in the inbox ("Catat sebagai
permohonan informasi"), because a request for public information has a legal
deadline. `spam` also comes from the spam rules (`rules.spam_score`), which override
the model; engagement stores it as `other` with the spam flag.

## Labelled sets (warta's own)
No public labelled set exists. The project wrote short messages in the style of
comments on a city government's accounts (informal spelling, slang, emoji) and
labelled them by the rules in `training/data/README.md`:
- `intent_train.tsv` (AGPL-3.0-or-later): trains the model. Issue 18 relabelled its
  and the older test's spam rows from `other` to `spam` and added 30 spam rows and
  37 rows of the other classes.
- `intent_test.tsv` (older test, AGPL-3.0-or-later): never trained on; read while the
  first model was built, so it is a validation figure.
- `intent_heldout.tsv` (CC0-1.0, issue 18): 20 messages per class, written apart
  with new wording and places, never trained or tuned on; measured once. One
  annotator wrote all three sets (the extra training rows after the held-out part):
  expect real comments to score lower than this.

## Model
NB-LR + logistic regression ensemble (class-balanced, C 10) over the same n-gram
features plus rule signals (question form, complaint/request/suggestion words, polar
words, spam words). 5-fold cross-validation on `intent_train.tsv` chose it: macro-F1
0.818 against 0.795 for one logistic regression (C 3: 0.799; adding the criticism
set as complaints: 0.736-0.755).

## Metrics
{metrics}

Through the whole engine (spam rules included), held-out part:
`intent_macro_f1` and `intent_per_class_f1` of
{heldout}

`rules_only_test_macro_f1` is the keyword rules alone, for comparison.

Known failure cases: a complaint phrased as a question ("kok bantuan saya dicoret?")
read as a question; an information request without a request word ("kantor bpjs
pindah kemana ya") read as a question; suggestions inside praise; sarcasm read as
praise; promotion without spam words read as other.

## Licence
The labelled sets are the project's own (AGPL-3.0-or-later; the held-out part
CC0-1.0); the weights are AGPL-3.0-or-later, like warta.

## Retrain
`{retrain}`
""",
    "posts": """# Model card: category of a government post

File: `posts.npz` — plain numpy arrays loaded with `allow_pickle=False`.

## What it does
The `PostCategory` of a caption: activity, program, service, education,
participation, announcement, other.

## Labelled set (warta's own)
No public set of government captions exists. The project wrote captions in the style
of a city government's accounts and labelled them by the rules in
`training/data/README.md`; the test part (`posts_test.tsv`) was written separately
and is never used in training. Small set: a rough guide.

## Model
Logistic regression (class-balanced) over the n-gram features plus a flag per
category keyword list (`warta/language/posts.py`).

## Metrics (test part, never trained on; no held-out part of its own yet)
{metrics}

Known failure cases: announcements of a service change read as `service` or
`program` (the weakest class above); captions that do several things (an activity
report that also invites participation) get one label; the set is small and written
by one person, so captions of other regions' styles will score lower.

## Licence
AGPL-3.0-or-later (the project's own labelled set).

## Retrain
`{retrain}`
""",
}


def _format(metrics: dict[str, Any]) -> str:
    lines = []
    for key, value in sorted(metrics.items()):
        shown = (
            json.dumps(value, ensure_ascii=False, sort_keys=True)
            if isinstance(value, dict)
            else value
        )
        lines.append(f"- `{key}`: {shown}")
    return "\n".join(lines)


def write_all(out: Path, metrics: dict[str, dict[str, Any]]) -> None:
    for name, template in CARDS.items():
        if name not in metrics:
            continue
        own = metrics.get("own_sets", {})
        text = template.format(
            metrics=_format(metrics[name]),
            retrain=RETRAIN.format(name=name),
            seed=42,
            heldout=_format(own.get("heldout", {})),
            tune=_format(own.get("tune", {})),
        )
        (out / f"{name}.md").write_text(text)
