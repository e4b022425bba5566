#!/usr/bin/env python3
"""Writes data/glosses.tsv and data/sentences.txt from Debian's wordnet-base (WordNet 3.0).

glosses.tsv: noun definitions labelled by WordNet's lexicographer file (animal, food, ...),
a sentence-classification set; the defined word itself is not in the text.
sentences.txt: example sentences quoted in WordNet's glosses, one per line.

Usage: apt-get install wordnet-base && tools/data/wordnet_text.py [WORDNET_DIR] [OUT_DIR]
The output is deterministic (fixed seed, sorted input), so a rerun reproduces the files.
"""
import random
import re
import sys
from pathlib import Path

# Lexicographer file numbers (WordNet's lexnames) of the noun classes kept, with their labels.
CLASSES = {5: "animal", 6: "artifact", 8: "body", 13: "food", 15: "location", 18: "person",
           20: "plant", 27: "substance"}
PER_CLASS = 250
SENTENCES = 500
SEED = 7


def synsets(path):
    """Yields (lexicographer file number, gloss) for each synset line of a data.* file."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("  "):  # the license header
                continue
            fields, _, gloss = line.partition(" | ")
            yield int(fields.split()[1]), gloss.strip()


def definition(gloss):
    """The gloss without its quoted examples."""
    return gloss.split('; "')[0].strip().rstrip(";").strip()


def examples(gloss):
    return re.findall(r'"([^"]+)"', gloss)


def is_sentence(text):
    words = text.split()
    return 6 <= len(words) <= 30 and text[0].isalpha() and "\t" not in text


def main():
    wordnet = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "data")
    random.seed(SEED)

    by_class = {label: [] for label in CLASSES.values()}
    for lexfile, gloss in synsets(wordnet / "data.noun"):
        text = definition(gloss)
        if lexfile in CLASSES and len(text.split()) >= 4 and "\t" not in text:
            by_class[CLASSES[lexfile]].append(text)
    rows = []
    for label, texts in by_class.items():
        unique = sorted(set(texts))
        rows += [(label, text) for text in random.sample(unique, PER_CLASS)]
    random.shuffle(rows)
    with open(out / "glosses.tsv", "w", encoding="utf-8") as tsv:
        tsv.write("label\ttext\n")
        tsv.writelines(f"{label}\t{text}\n" for label, text in rows)

    sentences = set()
    for part in ("noun", "verb", "adj", "adv"):
        for _, gloss in synsets(wordnet / f"data.{part}"):
            sentences.update(s.strip() for s in examples(gloss) if is_sentence(s.strip()))
    chosen = random.sample(sorted(sentences), SENTENCES)
    with open(out / "sentences.txt", "w", encoding="utf-8") as txt:
        txt.writelines(s + "\n" for s in chosen)


if __name__ == "__main__":
    main()
