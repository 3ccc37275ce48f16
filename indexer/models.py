"""The models indexing consults: the language identifier (py3langid), English word
frequencies (wordfreq) and the ISO 3166 countries (pycountry), each loaded on first use
from a cache of plain arrays.

Both packages ship their data compressed (an LZMA-packed model, gzipped word lists), so
loading them costs most of a second in every process, which a reindex of a few changed
files would spend on nothing else. The first process to need one unpacks it once into
`.npy` files under the cache folder (`ACCORD_CACHE_DIR`, else `$XDG_CACHE_HOME/accord`,
else `~/.cache/accord`), named after the package's version; later processes map those
files from disk, and worker processes share their pages. Where the cache cannot be
written, each process unpacks them for itself.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from py3langid.langid import LanguageIdentifier

CACHE_ENV = "ACCORD_CACHE_DIR"


def cache_folder() -> Path:
    """Where unpacked models are kept for later processes."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "accord"


@lru_cache(maxsize=1)
def language_identifier() -> LanguageIdentifier:
    """py3langid's identifier over its 97 languages, with normalised probabilities."""
    from py3langid.langid import LanguageIdentifier

    arrays = _cached(f"py3langid-{installed_version('py3langid')}", _unpacked_langid_model)
    return LanguageIdentifier(arrays["ptc"], arrays["pc"], arrays["classes"].tolist(), _items(arrays["nextmove"]),
                              _items(arrays["out_feat"]), norm_probs=True, tk_row=_items(arrays["nextmove_row"]))


def countries() -> dict[str, np.ndarray]:
    """pycountry's countries as arrays of equal length: `alpha_3`, `name`, and
    `common_name` and `official_name` ("" where a country has none)."""
    return _cached(f"pycountry-{installed_version('pycountry')}-countries", _country_arrays)


def installed_version(distribution: str) -> str:
    """The version of an installed package (named as its distribution and its module are),
    from its `NAME-VERSION.dist-info` folder beside the module, else from importlib.metadata."""
    from importlib.util import find_spec

    spec = find_spec(distribution)
    if spec is not None and spec.origin is not None:
        found = list(Path(spec.origin).parent.parent.glob(f"{distribution}-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len(distribution) + 1 : -len(".dist-info")]
    from importlib.metadata import version

    return version(distribution)


def english_zipf(word: str) -> float:
    """How frequent a word is in English, on the Zipf scale (wordfreq's `zipf_frequency(word,
    "en")`: 7.7 for "the", 0 for a word it does not know). A word of letters, in any script,
    is looked up in the cached list as wordfreq would look it up (composed, case-folded);
    others go through wordfreq, whose tokenizer they need."""
    if not word.isalpha():
        from wordfreq import zipf_frequency

        return zipf_frequency(word, "en")
    words, zipf = _english_list()
    key = (word.lower() if word.isascii() else unicodedata.normalize("NFC", word).casefold()).encode("utf-8")
    at = int(words.searchsorted(key))
    return int(zipf[at]) / 100 if at < len(words) and words[at] == key else 0.0


@lru_cache(maxsize=1)
def _english_list() -> tuple[np.ndarray, np.ndarray]:
    arrays = _cached(f"wordfreq-{installed_version('wordfreq')}-en-letters", _english_words)
    return arrays["words"], arrays["zipf"]


def _english_words() -> dict[str, np.ndarray]:
    """wordfreq's English words made of letters (in any script), sorted by their UTF-8
    bytes, with their Zipf frequency in hundredths, rounded as `zipf_frequency` rounds a
    word that is one token (its frequency to three significant digits, then the Zipf value
    to two decimals)."""
    import math

    import numpy as np
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict("en")
    words = sorted((word.encode("utf-8"), word) for word in frequencies if word.isalpha())
    zipf = []
    for _, word in words:
        frequency = frequencies[word]
        rounded = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
        zipf.append(round(round(math.log(rounded, 10) + 9, 2) * 100))
    return {"words": np.array([key for key, _ in words]), "zipf": np.array(zipf, dtype=np.uint16)}


def _country_arrays() -> dict[str, np.ndarray]:
    import numpy as np
    import pycountry

    keys = ("alpha_3", "name", "common_name", "official_name")
    rows = [[getattr(country, key, None) or "" for key in keys] for country in pycountry.countries]
    return {key: np.array([row[i] for row in rows], dtype=str) for i, key in enumerate(keys)}


def _unpacked_langid_model() -> dict[str, np.ndarray]:
    """The arrays of py3langid's packaged model (an LZMA-compressed `.npz`)."""
    import lzma

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    with tempfile.TemporaryFile(suffix=".npz") as unpacked:
        with lzma.open(Path(MODEL_DIR) / MODEL_FILE) as packed:
            shutil.copyfileobj(packed, unpacked, length=1 << 20)
        unpacked.seek(0)
        with np.load(unpacked, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}


def _cached(name: str, make: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The arrays saved under `name` in the cache folder, mapped from disk; made and saved
    first when missing (into a temporary folder renamed into place, so that a process never
    reads a half-written model). Kept in memory only when the folder cannot be read or written
    (another user's cache, a read-only home)."""
    folder = cache_folder() / name
    try:
        return _mapped(folder)
    except OSError:
        pass  # not made yet, or not ours to read
    arrays = make()
    try:
        _save(folder, arrays)
        return _mapped(folder)
    except OSError:
        return arrays


def _mapped(folder: Path) -> dict[str, np.ndarray]:
    import numpy as np

    names = [name for name in os.listdir(folder) if name.endswith(".npy")]
    if not names:
        raise FileNotFoundError(folder)
    return {name.removesuffix(".npy"): np.load(folder / name, mmap_mode="r", allow_pickle=False) for name in names}


def _save(folder: Path, arrays: dict[str, np.ndarray]) -> None:
    import numpy as np

    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f"{folder.name}.", dir=folder.parent))
    try:
        for key, values in arrays.items():
            np.save(temporary / f"{key}.npy", values, allow_pickle=False)
        os.rename(temporary, folder)
    except OSError:
        if not folder.is_dir():
            raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _items(values: np.ndarray) -> memoryview:
    """An unsigned integer array as a memoryview, which py3langid indexes one item at a time
    as fast as a list, over the mapped file's pages (shared by every process, read only where
    the walk goes) rather than a copy of all of them."""
    raw: memoryview = memoryview(values.data).cast("B")
    return raw.cast(str(values.dtype.char))  # type: ignore[call-overload]
