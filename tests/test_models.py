"""The models indexing consults load from their cache with the packages' own answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier
from wordfreq import get_frequency_dict, zipf_frequency

from indexer import models

TEXTS = [
    "Le Conseil des droits de l'homme a adopté une résolution sur la liberté d'expression.",
    "El Consejo de Derechos Humanos aprobó una resolución sobre la libertad de expresión.",
    "Совет по правам человека принял резолюцию о свободе выражения мнений.",
    "人权理事会通过了关于言论自由的决议。",
    "مجلس حقوق الإنسان يعتمد قرارا بشأن حرية التعبير",
    "The Council adopted a resolution on freedom of expression.",
    "Der Menschenrechtsrat hat eine Resolution angenommen.",
]


def test_english_frequencies_equal_wordfreq() -> None:
    known = sorted(get_frequency_dict("en"))[::37]
    odd = ["Rights", "UNHCR", "qwxzvk", "Straße", "café", "don't", "covid-19", "1987", "&#3;", "", "ß", "Société",
           "NAÏVE", "Pokémon", "Москва", "مجلس", "人权", "STRASSE"]
    for word in [*known, *odd]:
        assert models.english_zipf(word) == zipf_frequency(word, "en"), word


def test_language_identifier_answers_as_the_packaged_one() -> None:
    packaged = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    cached = models.language_identifier()
    for text in TEXTS:
        assert cached.classify(text) == packaged.classify(text)
        assert cached.rank(text) == packaged.rank(text)


def test_installed_versions_are_importlib_metadatas() -> None:
    from importlib.metadata import version

    for distribution in ("py3langid", "wordfreq", "pycountry", "numpy"):
        assert models.installed_version(distribution) == version(distribution)


def test_countries_are_pycountrys() -> None:
    import pycountry

    found = models.countries()
    assert found["alpha_3"].tolist() == [country.alpha_3 for country in pycountry.countries]
    assert found["name"].tolist() == [country.name for country in pycountry.countries]
    for key in ("common_name", "official_name"):
        assert found[key].tolist() == [getattr(country, key, "") for country in pycountry.countries]


def test_models_are_unpacked_once_then_mapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(models.CACHE_ENV, str(tmp_path / "cache"))
    made: list[int] = []

    def make() -> dict[str, np.ndarray]:
        made.append(1)
        return {"values": np.arange(5, dtype=np.uint32)}

    first = models._cached("example-1.0", make)
    second = models._cached("example-1.0", make)
    assert made == [1]
    assert isinstance(second["values"], np.memmap)
    assert first["values"].tolist() == second["values"].tolist() == [0, 1, 2, 3, 4]
    assert [path.name for path in (tmp_path / "cache").iterdir()] == ["example-1.0"]


def test_an_unwritable_cache_keeps_the_model_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv(models.CACHE_ENV, str(blocker / "cache"))
    arrays = models._cached("example-1.0", lambda: {"values": np.arange(3)})
    assert arrays["values"].tolist() == [0, 1, 2]
    assert blocker.read_text() == "a file where the cache folder would be"


def test_a_cache_that_cannot_be_read_is_made_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(models.CACHE_ENV, str(tmp_path / "cache"))
    models._cached("example-1.0", lambda: {"values": np.arange(3)})
    monkeypatch.setattr(models.os, "listdir", lambda folder: (_ for _ in ()).throw(PermissionError(13, "denied")))
    assert models._cached("example-1.0", lambda: {"values": np.arange(4)})["values"].tolist() == [0, 1, 2, 3]
