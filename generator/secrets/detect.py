"""What a secret looks like: by the key that holds it, and by its content.

Content is judged with detect-secrets' detectors (private keys, JSON Web Tokens, credentials in
URLs, cloud and service tokens) and its entropy measure for random-looking strings, imported only
when a cheap pre-filter finds something that could be one. Base64 is decoded and judged again (a
base64 PEM key, a base64 kubeconfig), and structured text (JSON or YAML in a string: a JWK, a
kubeconfig, a cloud service-account key) is parsed and judged with the key rules too.
Certificates and public keys are public: they pass.

Nothing here prints a secret: a finding says what kind it is and keeps a verbatim excerpt only to
find it again in a file.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

HIGH_ENTROPY = "High-entropy string"


@dataclass(frozen=True)
class Finding:
    kind: str  # for people: "Private Key", "JSON Web Token", "High-entropy string"...
    excerpt: str  # a verbatim piece of the judged text that is the secret: to find it, never to print


# --- keys -------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# A key holding one of these words holds a secret, whatever its shape (value, mapping or list).
SECRET_WORDS = frozenset(
    {"password", "passwd", "passphrase", "secret", "token", "credential", "apikey", "privatekey",
     "secretkey", "accesskey", "signingkey", "jwk", "jwks", "pwd", "bearer"}
)
# Written glued in one lower-case word (`clientsecret`, `dbpassword`).
_GLUED = ("password", "passwd", "passphrase", "secret", "token", "credential", "apikey", "privatekey")
# Only as the last word: `pass`, `db_pass`, `DB_PW` (not `passThrough`).
LAST_WORDS = frozenset({"pass", "pw", "pwd"})
# Two words that name key material together: `privateKeyPem`, `api_key`, `tls-key`.
KEY_PAIRS = frozenset(
    (first, "key")
    for first in ("private", "api", "access", "secret", "signing", "client", "encryption", "master",
                  "session", "tls", "ssl", "auth", "account", "service")
)
# A key ending in one of these names or configures a secret rather than holding it:
# `secretName`, `tokenTTL`, `passwordFile`, `secretKeyRef`, `tokenIssuer`, `secretsEnabled`.
REFERENCE_WORDS = frozenset(
    {"name", "ref", "path", "file", "dir", "directory", "ttl", "expiry", "expiration", "lifetime", "issuer",
     "audience", "mode", "enabled", "enable", "type", "kind", "length", "namespace", "mount", "format",
     "duration", "header", "provider", "source", "store", "url", "uri", "endpoint", "policy", "rotation"}
)


def _words(key: str) -> list[str]:
    words = [word.lower() for part in re.split(r"[^A-Za-z0-9]+", key) for word in _WORD.findall(part)]
    known = SECRET_WORDS | LAST_WORDS | REFERENCE_WORDS | {"key"}
    return [word[:-1] if word.endswith("s") and word[:-1] in known else word for word in words]


@lru_cache(maxsize=4096)
def secret_key(key: str) -> bool:
    """Whether a mapping key names a secret: any nesting, plural, camel, snake or kebab case."""
    words = _words(key)
    if not words or words[-1] in REFERENCE_WORDS or ("pull", "secret") in zip(words, words[1:]):
        return False  # `imagePullSecrets`: names of Secrets
    return (
        any(word in SECRET_WORDS or any(glued in word for glued in _GLUED) for word in words)
        or words[-1] in LAST_WORDS
        or any(pair in KEY_PAIRS for pair in zip(words, words[1:]))
    )


def secret_holder(key: str, value: Any) -> bool:
    """A value held by a secret key: anything but nothing, an empty string and a boolean (a switch
    such as `tokenAuth: true` holds no credential)."""
    if value is None or isinstance(value, bool) or value == "":
        return False
    return secret_key(key)


# --- content ----------------------------------------------------------------------------------

# What could be a secret: a marker of one, or a run of 20 characters of a token's alphabet whose
# Shannon entropy comes near detect-secrets' limits (4.5 bits a character for base64, 3.0 for hex),
# measured here so that a text without either never loads the detectors.
_MARKER = re.compile(
    r"PRIVATE KEY|PuTTY-User-Key|eyJ|LS0tLS1CRUdJTi|kty|://[^\s/@]*:[^\s/@]*@|(?i:\b(?:basic|bearer)\s)|"
    r"A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA|AccountKey=|gh[pousr]_|glpat-|xox[abposr]-|_live_|SG\.|sq0csp-|npm_|pypi-"
)
NEAR_LIMIT = {True: 2.9, False: 4.4}  # by whether the token is hex
_PUBLIC_PEM = re.compile(
    r"-----BEGIN (CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|PUBLIC KEY|CERTIFICATE REQUEST)-----"
    r".*?-----END \1-----",
    re.DOTALL,
)
_DIGEST = re.compile(r"\bsha(?:256|384|512):[0-9a-fA-F]{32,}")  # image digests: content addresses
_TOKEN = re.compile(r"[A-Za-z0-9+/=_-]{20,}")
_HEX = re.compile(r"[0-9a-fA-F]+")
_HTTP_AUTH = re.compile(r"(?i:\b(basic|bearer)\s+)([A-Za-z0-9+/=._~-]{8,})")
_JWK_MEMBER = re.compile(r"""\\?["']kty\\?["']\s*:""")
STRUCTURED_MAX = 65536  # characters of JSON or YAML in a string that are parsed to be judged
DEPTH = 2  # base64 in base64, YAML in base64...


class _Detectors:
    """detect-secrets' plugins, made once, on first need (importing them costs a few tenths of a
    second, which a render without any candidate never pays)."""

    def __init__(self) -> None:
        from detect_secrets.filters.heuristic import is_sequential_string
        from detect_secrets.plugins import (
            artifactory, aws, azure_storage_key, basic_auth, discord, github_token, gitlab_token, jwt, mailchimp,
            npm, openai, private_key, pypi_token, sendgrid, slack, square_oauth, stripe, telegram_token, twilio,
        )
        from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString, HexHighEntropyString

        self.private_key = private_key.PrivateKeyDetector()
        self.patterns = [
            jwt.JwtTokenDetector(), basic_auth.BasicAuthDetector(), aws.AWSKeyDetector(),
            azure_storage_key.AzureStorageKeyDetector(), github_token.GitHubTokenDetector(),
            gitlab_token.GitLabTokenDetector(), slack.SlackDetector(), stripe.StripeDetector(),
            sendgrid.SendGridDetector(), twilio.TwilioKeyDetector(), artifactory.ArtifactoryDetector(),
            openai.OpenAIDetector(), pypi_token.PypiTokenDetector(), npm.NpmDetector(),
            discord.DiscordBotTokenDetector(), telegram_token.TelegramBotTokenDetector(),
            mailchimp.MailchimpDetector(), square_oauth.SquareOAuthDetector(),
        ]
        self.base64 = Base64HighEntropyString()
        self.hex = HexHighEntropyString()
        self.sequential = is_sequential_string

    def high_entropy(self, token: str) -> bool:
        if self.sequential(token):
            return False
        if _HEX.fullmatch(token):
            return bool(self.hex.calculate_shannon_entropy(token) > self.hex.entropy_limit)
        return bool(self.base64.calculate_shannon_entropy(token) > self.base64.entropy_limit)


@lru_cache(maxsize=1)
def _detectors() -> _Detectors:
    return _Detectors()


def _rough_entropy(token: str) -> float:
    counts = Counter(token)
    return -sum(count / len(token) * math.log2(count / len(token)) for count in counts.values())


# Every match of _MARKER holds one of these (the case-blind `basic`/`bearer` aside, which
# _CASE_BLIND finds): a text holding none of them, and no token near the entropy limits, cannot be one.
_MARKER_LITERALS = (
    "PRIVATE KEY", "PuTTY-User-Key", "eyJ", "LS0tLS1CRUdJTi", "kty", "://", "A3T", "ABIA", "ACCA", "AKIA", "ASIA",
    "AccountKey=", "gh", "glpat-", "xox", "_live_", "SG.", "sq0csp-", "npm_", "pypi-",
)
_CASE_BLIND = re.compile(r"(?i:basic|bearer)")  # as _MARKER's (?i:): also ı, İ and ſ


def _near_limit(token: str) -> bool:
    return _rough_entropy(token) >= NEAR_LIMIT[bool(_HEX.fullmatch(token))]


# _TOKEN's alphabet as `x`, every other byte (those of non-ASCII characters too) as a space: a run
# of 20 `x` in the translated text is where a token of 20 characters or more stands.
_TOKEN_BYTES = bytes(ord("x") if chr(byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-"
                     else ord(" ") for byte in range(256))
_TOKEN_RUN = b"x" * 20
_FOLDED = ("\u017f", "\u0131", "\u0130")  # ſ, ı, İ: letters (?i:) reads as s and i


def _hits(data: bytes, text: str, also: str) -> Iterator[int]:
    """Byte offsets, in `data` (`text` in UTF-8), of the places that could make a line a candidate."""
    for literal in (*_MARKER_LITERALS, *((also,) if also else ())):
        needle = literal.encode("utf-8", "surrogatepass")
        offset = data.find(needle)
        while offset >= 0:
            yield offset
            end = data.find(b"\n", offset)
            offset = -1 if end < 0 else data.find(needle, end + 1)  # the next line's, if any
    if any(letter in text for letter in _FOLDED):  # case-folding beyond ASCII: the regex, in characters
        characters, octets = 0, 0  # where the last match began, in characters and in bytes
        for match in _CASE_BLIND.finditer(text):
            octets += len(text[characters:match.start()].encode("utf-8", "surrogatepass"))
            characters = match.start()
            yield octets
    else:
        lowered = data.lower()  # ASCII letters only: exactly what (?i:) matches in ASCII text
        for word in (b"basic", b"bearer"):
            offset = lowered.find(word)
            while offset >= 0:
                yield offset
                offset = lowered.find(word, offset + 1)
    runs = data.translate(_TOKEN_BYTES)
    offset = runs.find(_TOKEN_RUN)
    while offset >= 0:
        end = runs.find(b" ", offset)
        end = len(runs) if end < 0 else end
        if _near_limit(data[offset:end].decode("ascii")):
            yield offset
        offset = runs.find(_TOKEN_RUN, end)


def lines_that_could_be_secret(lines: Sequence[str], also: str = "") -> list[str]:
    """The lines `could_be_secret` holds true of, and those holding `also`. Each literal and pattern
    is searched once in the whole text (UTF-8, where `bytes.find` and `bytes.translate` run at
    memory speed) rather than once per line: a line breaks no marker and no token. So megabytes of
    text without a candidate cost a few passes over it."""
    return candidates_in("\n".join(lines), also)


def candidates_in(text: str, also: str = "") -> list[str]:
    """lines_that_could_be_secret of the lines of `text` (cut at each "\\n"), in order, without
    cutting it: only the lines a marker or token is found in are made (a large file is judged
    whole, and its lines are never all held at once)."""
    data = text.encode("utf-8", "surrogatepass")
    found: list[str] = []
    start = -1  # of the line last made
    for offset in sorted(set(_hits(data, text, also))):
        begins = data.rfind(b"\n", 0, offset) + 1
        if begins == start:
            continue
        start = begins
        ends = data.find(b"\n", offset)
        line = data[begins:len(data) if ends < 0 else ends].decode("utf-8", "surrogatepass")
        if (also and also in line) or could_be_secret(line):
            found.append(line)
    return found


def could_be_secret(text: str) -> bool:
    """The cheap pre-filter, which needs no detector: False means `detect` finds nothing."""
    return _MARKER.search(text) is not None or any(_near_limit(token) for token in _TOKEN.findall(text))


@lru_cache(maxsize=65536)
def detect(text: str, depth: int = 0) -> Finding | None:
    """The first secret in `text`, judged by its content alone; None if it holds none. (Cached:
    an estate repeats its strings.)"""
    if depth < DEPTH and ("\n" in text.strip() or text.lstrip()[:1] in ("{", "[")):
        inner = _structured(text, depth)  # a kubeconfig's plain token has no look of its own
        if inner is not None:
            return inner
    if not could_be_secret(text):
        return None
    found = _detectors()
    for marker in found.private_key.analyze_string(text):
        return Finding(found.private_key.secret_type, marker)
    rest = _DIGEST.sub(" ", _PUBLIC_PEM.sub(" ", text))
    if rest != text and not could_be_secret(rest):
        return None
    for plugin in found.patterns:
        for match in plugin.analyze_string(rest):
            return Finding(str(plugin.secret_type), match)
    for scheme, credential in _HTTP_AUTH.findall(rest):
        if scheme.lower() == "bearer" and len(credential) >= 16 or _basic_credential(credential):
            return Finding("HTTP Authorization credential", credential)
    if _JWK_MEMBER.search(rest):
        return Finding("JSON Web Key", "kty")
    for token in _TOKEN.findall(rest):
        decoded = _base64_text(token) if depth < DEPTH else None
        if decoded is not None:
            inner = detect(decoded, depth + 1)
            if inner is not None:
                return Finding(f"{inner.kind}, base64-encoded", token)
            continue  # readable text, or a certificate: not random
        if found.high_entropy(token):
            return Finding(HIGH_ENTROPY, token)
    return None


def _basic_credential(credential: str) -> bool:
    decoded = _base64_text(credential)
    return decoded is not None and ":" in decoded


def _base64_text(token: str) -> str | None:
    """The text `token` encodes in base64 (standard or URL-safe), if it encodes readable text."""
    body = token.rstrip("=")
    if len(body) % 4 == 1 or "=" in body:
        return None
    padded = body + "=" * (-len(body) % 4)
    try:
        raw = base64.b64decode(padded, altchars=b"-_" if ("-" in body or "_" in body) else None, validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    readable = sum(1 for char in decoded if char.isprintable() or char in "\n\r\t")
    return decoded if decoded and readable == len(decoded) else None


def _structured(text: str, depth: int) -> Finding | None:
    """A secret inside JSON or YAML held in a string: a JWK, a kubeconfig, a service-account key."""
    stripped = text.strip()
    if len(stripped) > STRUCTURED_MAX or ":" not in stripped:
        return None
    try:
        data = yaml.load(stripped, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, IndexError, KeyError, RecursionError):
        return None  # not structured after all: judged as text
    if not isinstance(data, (dict, list)):
        return None
    for kind, value in _secrets_in(data, depth, set()):
        excerpt = value if isinstance(value, str) and value and value in text else stripped.split("\n", 1)[0]
        return Finding(kind, excerpt)
    return None


def _secrets_in(node: Any, depth: int, seen: set[int]) -> Iterator[tuple[str, Any]]:
    if id(node) in seen:  # shared by YAML aliases: judged once
        return
    seen.add(id(node))
    if isinstance(node, dict):
        if "kty" in node:  # the longest member is the one to find it by
            yield "JSON Web Key", max((value for value in node.values() if isinstance(value, str)), key=len, default="")
            return
        for key, value in node.items():
            if isinstance(key, str) and secret_holder(key, value):
                yield f"'{key}' in embedded YAML or JSON", value
                return
            yield from _secrets_in(value, depth, seen)
    elif isinstance(node, list):
        for item in node:
            yield from _secrets_in(item, depth, seen)
    elif isinstance(node, str):
        inner = detect(node, depth + 1)
        if inner is not None:
            yield inner.kind, inner.excerpt
