"""The gate's pre-filter over a whole tree (secrets/detect.py `lines_that_could_be_secret`) picks
exactly the lines the per-line pre-filter picks: searching each marker once in the joined text
must neither miss a line that could hold a secret nor keep one that cannot."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.secrets.detect import candidates_in, could_be_secret, lines_that_could_be_secret
from secret_corpus import CORPUS

FRAGMENTS = (
    "PRIVATE KEY", "PuTTY-User-Key", "eyJhbGciOi", "LS0tLS1CRUdJTi", "kty", "https://u:p@host", "://a@", "A3TX",
    "ABIA", "AKIAIOSFODNN7EXAMPLE", "AccountKey=", "ghp_", "gh", "glpat-", "xoxb-", "_live_", "SG.", "sq0csp-",
    "npm_", "pypi-", "Basic ", "bearer\t", "baſic ", "BEARER ", "basıc ", "\\n", "Zm9vYmFyYmF6cXV4cXV1eHh4eHh4",
    "0123456789abcdef0123456789abcdef", "kQ3+x/9Lm2Zp8Rt7Wv1Ys4Nb6Hc0Jd5Ue", "ns-0001", " ", ": ", "'", '"',
)
LINE = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=6).map("".join).filter(
    lambda line: "\n" not in line)


@settings(max_examples=300, derandomize=True)
@given(st.lists(LINE, max_size=30))
def test_the_whole_text_pre_filter_picks_what_the_per_line_one_picks(lines: list[str]) -> None:
    picked = lines_that_could_be_secret(lines, also="\\n")
    assert sorted(picked) == sorted(line for line in lines if could_be_secret(line) or "\\n" in line)


def test_every_secret_of_the_corpus_is_picked_among_many_harmless_lines() -> None:
    harmless = [f"  namespace: ns-{index:04d}" for index in range(5000)]
    secrets = [line for value in CORPUS.values() for line in value.split("\n") if could_be_secret(line)]
    assert secrets, "the corpus holds lines the pre-filter must pick"
    picked = lines_that_could_be_secret([*harmless, *secrets])
    assert sorted(picked) == sorted(secrets)


@settings(max_examples=300, derandomize=True)
@given(st.lists(LINE, max_size=30))
def test_a_text_judged_whole_gives_the_lines_its_lines_give(lines: list[str]) -> None:
    """candidates_in reads the lines of a text without cutting it (a large file, secrets/gate.py):
    the same lines, in order, as the pooled pre-filter gives for its lines."""
    text = "\n".join(lines)
    assert candidates_in(text, also="\\n") == lines_that_could_be_secret(text.split("\n"), also="\\n")
    assert candidates_in(text) == [line for line in text.split("\n") if could_be_secret(line)]
