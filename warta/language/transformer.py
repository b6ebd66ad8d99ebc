"""Optional backend: sentiment from a transformer fine-tune on local disk.

Off by default and never required. To use it on a site with the hardware for it:

    pip install torch transformers            # not a warta dependency
    export WARTA_LANGUAGE_BACKEND=warta.language.transformer.TransformerBackend
    export WARTA_LANGUAGE_MODEL_PATH=/srv/models/indobert-smsa   # a local directory

The directory must hold a sequence-classification model whose labels name
positive / neutral / negative (e.g. an IndoBERT fine-tune on SmSA). Files are read with
`local_files_only=True`: nothing is downloaded. Every other field (abuse, intent, spam,
post category) comes from the default backend, so the API stays the same.
"""

import os
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from warta.language.backends import DefaultBackend
from warta.language.results import TextAnalysis

BATCH = 32
MAX_TOKENS = 256


class TransformerBackend(DefaultBackend):
    def __init__(self) -> None:
        path = os.environ.get("WARTA_LANGUAGE_MODEL_PATH", "")
        if not path or not os.path.isdir(path):
            raise FileNotFoundError(f"WARTA_LANGUAGE_MODEL_PATH is not a directory: {path!r}")
        from transformers import (  # type: ignore[import-not-found]
            AutoModelForSequenceClassification,
            AutoTokenizer,
        )

        self._tokenizer: Any = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model: Any = AutoModelForSequenceClassification.from_pretrained(
            path, local_files_only=True
        ).eval()
        labels = {int(k): v.lower() for k, v in self._model.config.id2label.items()}
        self._labels = [labels[i] for i in range(len(labels))]
        if not {"positive", "neutral", "negative"} <= set(self._labels):
            raise ValueError(f"model labels {self._labels} are not positive/neutral/negative")

    def analyze(self, texts: Sequence[str]) -> list[TextAnalysis]:
        import torch  # type: ignore[import-not-found]

        base = super().analyze(texts)
        results: list[TextAnalysis] = []
        for start in range(0, len(texts), BATCH):
            chunk = [t[:2000] for t in texts[start : start + BATCH]]
            encoded = self._tokenizer(
                chunk, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
            )
            with torch.no_grad():
                probs = self._model(**encoded).logits.softmax(dim=-1).tolist()
            for offset, row in enumerate(probs):
                if not chunk[offset].strip():
                    results.append(base[start + offset])
                    continue
                scores = dict(zip(self._labels, row, strict=True))
                label = max(("negative", "neutral", "positive"), key=scores.__getitem__)
                score = round(scores["positive"] - scores["negative"], 4)
                item = base[start + offset]
                results.append(
                    replace(item, sentiment=label, sentiment_score=score, sentiment_uncertain=False)
                )
        return results
