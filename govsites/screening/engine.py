"""The Screener: terms, personal data and commercial links in titles, rich text and attachments.

How the term pass is fast: the text is encoded once as UTF-16-BE (a near-copy for CPython's
two-byte strings, and two bytes per Chinese character instead of UTF-8's three; big-endian puts
a character's high byte first, one of some eighty values for Chinese, which keeps the automaton
in few cache-hot states and measured about 9% faster than little-endian) and searched by one
ahocorasick-rs byte automaton (a DFA unless the dictionary is very large) holding every term,
the URL starts "http://", "https://" and "www.", and the zero-width characters spam uses to
split words. The search reports all overlapping occurrences; those at odd byte offsets straddle
two characters and are dropped, and the rest are reduced to leftmost-longest, non-overlapping
matches here. Personal data is found by one regular expression whose engine skips characters
that cannot start a number in a tight C loop.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import ahocorasick_rs

from .attachments import (
    AttachmentError,
    Problem,
    UnsupportedAttachment,
    read_attachment,
)
from .links import (
    BARE_URL,
    URL_STARTS,
    DomainAllowList,
    Link,
    host_of,
)
from .markup import read_html
from .privacy import PersonalDataDetector, mask_numbers_in
from .rules import (
    ATTACHMENT_UNREADABLE,
    ATTACHMENT_UNSUPPORTED,
    BANK_CARD,
    COMMERCIAL_LINK,
    MOBILE,
    RESIDENT_ID,
    TERM_CATEGORIES,
    PrivacyData,
    Ruleset,
    TermRule,
    national_ruleset,
    term_rule_id,
)
from .types import Category, Finding, Severity
from .variants import case_variants, traditional_forms, written_forms

#: Above this many pattern code units (UTF-16) the automaton is a contiguous NFA instead of a
#: DFA. Measured on 10,000 terms with their traditional forms (73,583 units): the DFA takes
#: 133 MB (about 1.8 kB a unit) and scans about 1.4x faster; the NFA takes 13 MB.
DFA_MAX_PATTERN_UNITS = 100_000
#: Characters shown either side of a match in Finding.context.
CONTEXT_WIDTH = 20
_URL_MARK = -1
_INVISIBLE_MARK = -2
# Zero-width and soft-hyphen characters that spam inserts inside words to slip past filters.
# They are patterns of the automaton too, so noticing them costs no extra pass over the text.
INVISIBLE_CHARACTERS = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")
_DIGITISH = frozenset("0123456789０１２３４５６７８９XxＸｘ -")
_HAS_DIGIT = re.compile("[0-9０-９]")


@dataclass(frozen=True)
class _CompiledTerm:
    rule: TermRule
    rule_id: str
    severity: Severity


class Screener:
    """Screen text, HTML and attachments against one Ruleset. Immutable and thread-safe."""

    def __init__(self, ruleset: Ruleset, *, dfa: bool | None = None, traditional: bool = True,
                 dfa_max_units: int = DFA_MAX_PATTERN_UNITS,
                 privacy: PrivacyData | None = None) -> None:
        """Compile ruleset.

        dfa None chooses a DFA unless the patterns exceed dfa_max_units UTF-16 code units;
        traditional also matches every term (and allowed context) in traditional characters.
        """
        self.ruleset = ruleset
        self.traditional = traditional
        enabled_categories = {
            category for category in TERM_CATEGORIES
            if ruleset.rule(term_rule_id(category)).enabled
        }
        self._terms: list[_CompiledTerm] = []
        seen: set[str] = set()
        for term in ruleset.terms:
            text = term.text.strip()
            if not text or text in seen or term.category not in enabled_categories:
                continue
            seen.add(text)
            rule = ruleset.rule(term_rule_id(term.category))
            self._terms.append(_CompiledTerm(
                rule=TermRule(text, term.category, term.severity, term.suggestion),
                rule_id=rule.rule_id, severity=term.severity or rule.severity,
            ))
        patterns: list[bytes] = []
        self._pattern_owner: list[int] = []
        forms = [written_forms(compiled.rule.text, traditional=traditional)
                 for compiled in self._terms]
        for index, term_forms in enumerate(forms):
            for variant in term_forms:
                patterns.append(variant.encode("utf-16-be"))
                self._pattern_owner.append(index)
        self._links_enabled = ruleset.rule(COMMERCIAL_LINK).enabled
        if self._links_enabled:
            for start in URL_STARTS:
                for variant in case_variants(start):
                    patterns.append(variant.encode("utf-16-be"))
                    self._pattern_owner.append(_URL_MARK)
        for char in INVISIBLE_CHARACTERS:
            patterns.append(char.encode("utf-16-be"))
            self._pattern_owner.append(_INVISIBLE_MARK)
        units = sum(len(pattern) for pattern in patterns) // 2
        self.pattern_units = units
        self.uses_dfa = units <= dfa_max_units if dfa is None else dfa
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            patterns,
            matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=(ahocorasick_rs.Implementation.DFA if self.uses_dfa
                            else ahocorasick_rs.Implementation.ContiguousNFA),
        )
        self._contexts = self._index_contexts(ruleset, forms)
        self._domains = DomainAllowList(ruleset.domains)
        self._privacy = PersonalDataDetector(privacy, enabled=frozenset(
            rule_id for rule_id in (RESIDENT_ID, MOBILE, BANK_CARD)
            if ruleset.rule(rule_id).enabled
        ))

    @classmethod
    def from_ruleset(cls, ruleset: Ruleset, *, dfa: bool | None = None, traditional: bool = True,
                     dfa_max_units: int = DFA_MAX_PATTERN_UNITS) -> Screener:
        """Build a Screener from plain data (the inspector and the benchmark use this)."""
        return cls(ruleset, dfa=dfa, traditional=traditional, dfa_max_units=dfa_max_units)

    @classmethod
    def national(cls) -> Screener:
        """Build a Screener from the national default data files alone (no database)."""
        return cls(national_ruleset())

    @property
    def term_count(self) -> int:
        """Return how many distinct enabled terms the automaton holds."""
        return len(self._terms)

    @property
    def pattern_count(self) -> int:
        """Return how many patterns the automaton holds (all written forms, URL starts…)."""
        return len(self._pattern_owner)

    def _index_contexts(self, ruleset: Ruleset,
                        forms: list[list[str]]) -> dict[int, list[tuple[str, list[int]]]]:
        """Map each term to the allowed phrases containing one of its forms, with offsets."""
        phrases: list[tuple[Category | None, str]] = []
        for context in ruleset.contexts:
            phrase = context.phrase.strip()
            if phrase:
                variants = [phrase, *traditional_forms(phrase)] if self.traditional else [phrase]
                phrases += [(context.category, variant) for variant in variants]
        pieces = {phrase[i:j] for _, phrase in phrases
                  for i in range(len(phrase)) for j in range(i + 1, len(phrase) + 1)}
        index: dict[int, list[tuple[str, list[int]]]] = {}
        for term_index, compiled in enumerate(self._terms):
            inside = [form for form in forms[term_index] if form in pieces]
            if not inside:
                continue
            for category, phrase in phrases:
                if category is not None and category != compiled.rule.category:
                    continue
                offsets = sorted({match.start() for form in inside if form in phrase
                                  for match in re.finditer(f"(?={re.escape(form)})", phrase)})
                if offsets:
                    index.setdefault(term_index, []).append((phrase, offsets))
        return index

    # -- text --------------------------------------------------------------------------------

    def scan_text(self, text: str, *, location: str, today: date | None = None) -> list[Finding]:
        """Return the term, personal-data and bare-link findings in plain text, by position."""
        if not text:
            return []
        matches = self._raw_matches(text)
        if any(owner == _INVISIBLE_MARK for owner, _, _ in matches):
            return self._scan_without_invisibles(text, location=location, today=today)
        findings = self._findings_for_matches(text, matches, location) if matches else []
        for match in self._privacy.find(text, today=today):
            rule = self.ruleset.rule(match.rule_id)
            findings.append(Finding(
                rule_id=match.rule_id, category=Category.PRIVACY, severity=rule.severity,
                location=location, evidence=match.masked, offset=match.start,
                context=_context(text, match.start, match.end, replacement=match.masked),
            ))
        if len(findings) > 1:
            findings.sort(key=lambda finding: finding.offset)
        return findings

    def _scan_without_invisibles(self, text: str, *, location: str,
                                 today: date | None) -> list[Finding]:
        """Scan text with zero-width characters removed, reporting offsets in the original."""
        kept = [i for i, char in enumerate(text) if not _INVISIBLE.match(char)]
        stripped = "".join(text[i] for i in kept)
        findings = self.scan_text(stripped, location=location, today=today)
        return [_with_offset(finding, kept[finding.offset] if 0 <= finding.offset < len(kept)
                             else finding.offset) for finding in findings]

    def _raw_matches(self, text: str) -> list[tuple[int, int, int]]:
        """Return (owner, start, end) in character offsets for every aligned occurrence."""
        data = text.encode("utf-16-be", errors="surrogatepass")
        found = self._automaton.find_matches_as_indexes(data, overlapping=True)
        if not found:
            return []
        owners = self._pattern_owner
        matches = [(owners[p], s >> 1, e >> 1) for p, s, e in found if not s & 1]
        if len(data) != 2 * len(text):
            matches = _astral_to_chars(text, matches)
        return matches

    def _findings_for_matches(self, text: str, matches: list[tuple[int, int, int]],
                              location: str) -> list[Finding]:
        """Turn automaton matches into leftmost-longest term findings and bare-link findings."""
        findings: list[Finding] = []
        url_starts = sorted({start for owner, start, _ in matches if owner == _URL_MARK})
        terms = sorted((start, -end, owner) for owner, start, end in matches
                       if owner != _URL_MARK)
        last_end = 0
        for start, negative_end, owner in terms:
            end = -negative_end
            if start < last_end:
                continue
            last_end = end
            if self._allowed_in_context(text, owner, start, end):
                continue
            compiled = self._terms[owner]
            findings.append(Finding(
                rule_id=compiled.rule_id, category=compiled.rule.category,
                severity=compiled.severity, location=location, evidence=text[start:end],
                offset=start, context=_context(text, start, end),
                extra={"term": compiled.rule.text}, suggestion=compiled.rule.suggestion,
            ))
        url_end = 0
        for start in url_starts:
            if start < url_end:
                continue
            found = BARE_URL.match(text, start)
            if found is None:
                continue
            url = found.group(0).rstrip(".,;:!?")
            url_end = start + len(url)
            finding = self._link_finding(Link(href=url, source="text"), location=location,
                                         offset=start, context=_context(text, start, url_end))
            if finding is not None:
                findings.append(finding)
        return findings

    def _allowed_in_context(self, text: str, owner: int, start: int, end: int) -> bool:
        for phrase, offsets in self._contexts.get(owner, ()):
            for offset in offsets:
                begin = start - offset
                if begin >= 0 and text.startswith(phrase, begin):
                    return True
        return False

    # -- links -------------------------------------------------------------------------------

    def is_allowed_host(self, host: str) -> bool:
        """Return whether host is government or otherwise allow-listed (not commercial)."""
        return self._domains.allows(host)

    def _link_finding(self, link: Link, *, location: str, offset: int = -1, context: str = "",
                      own_host: str | None = None) -> Finding | None:
        if not self._links_enabled:
            return None
        host = host_of(link.href)
        if host is None or host == own_host or self._domains.allows(host):
            return None
        rule = self.ruleset.rule(COMMERCIAL_LINK)
        return Finding(
            rule_id=COMMERCIAL_LINK, category=Category.COMMERCIAL_LINK, severity=rule.severity,
            location=location, evidence=link.href[:500], offset=offset,
            context=context or link.text,
            extra={"host": host, "href": link.href, "link_text": link.text,
                   "source": link.source},
        )

    def check_links(self, links: Iterable[Link], *, location: str,
                    base_url: str | None = None) -> list[Finding]:
        """Return a link.commercial finding for each link to a host outside the allow-list.

        Links back to base_url's own host are the site's own and never reported; each distinct
        URL is reported once.
        """
        own_host = host_of(base_url) if base_url else None
        findings: list[Finding] = []
        seen: set[str] = set()
        for link in links:
            key = _link_key(link.href)
            if key in seen:
                continue
            seen.add(key)
            finding = self._link_finding(link, location=location, own_host=own_host)
            if finding is not None:
                findings.append(finding)
        return findings

    # -- html --------------------------------------------------------------------------------

    def scan_html(self, html: str, *, location: str, base_url: str | None = None,
                  today: date | None = None) -> list[Finding]:
        """Return the findings in an HTML page or rich-text fragment.

        Reads the text (hidden elements included), alt/title attributes, <title> (location
        "…#title") and meta keywords/description ("…#meta"), and checks every href and iframe
        src; a commercial link finding carries the link text as its context.
        """
        document = read_html(html, base_url=base_url)
        findings: list[Finding] = []
        if document.title:
            findings += self.scan_text(document.title, location=f"{location}#title", today=today)
        if document.meta:
            findings += self.scan_text(document.meta, location=f"{location}#meta", today=today)
        findings += self.scan_text(document.text, location=location, today=today)
        reported = {_link_key(f.extra["href"]) for f in findings if f.rule_id == COMMERCIAL_LINK}
        own_host = host_of(base_url) if base_url else None
        findings = [f for f in findings
                    if f.rule_id != COMMERCIAL_LINK or f.extra.get("host") != own_host]
        findings += [f for f in self.check_links(document.links, location=location,
                                                 base_url=base_url)
                     if _link_key(f.extra["href"]) not in reported]
        return findings

    # -- attachments -------------------------------------------------------------------------

    def scan_file(self, data: bytes, filename: str, *, location_prefix: str | None = None,
                  today: date | None = None) -> list[Finding]:
        """Return the findings in an attachment (PDF, DOCX, XLSX, TXT, CSV, HTML).

        Locations are location_prefix (default "attachment:<filename>") plus "#page=N" or
        "#sheet=Name". A corrupt, encrypted or unsupported file yields one attachment.*
        finding instead of raising.
        """
        prefix = location_prefix if location_prefix is not None else f"attachment:{filename}"
        try:
            content = read_attachment(data, filename)
        except AttachmentError as error:
            rule_id = (ATTACHMENT_UNSUPPORTED if isinstance(error, UnsupportedAttachment)
                       else ATTACHMENT_UNREADABLE)
            return self._attachment_findings(rule_id, [Problem("", error.reason)], prefix,
                                             filename)
        findings: list[Finding] = []
        for section in content.sections:
            location = f"{prefix}#{section.label}" if section.label else prefix
            findings += self.scan_text(section.text, location=location, today=today)
        findings += self._attachment_findings(ATTACHMENT_UNREADABLE, content.problems, prefix,
                                              filename)
        findings += self.check_links(content.links, location=prefix)
        return findings

    def _attachment_findings(self, rule_id: str, problems: list[Problem], prefix: str,
                             filename: str) -> list[Finding]:
        rule = self.ruleset.rule(rule_id)
        if not rule.enabled:
            return []
        return [
            Finding(rule_id=rule_id, category=Category.UNSCREENED, severity=rule.severity,
                    location=f"{prefix}#{problem.label}" if problem.label else prefix,
                    evidence=filename, context=problem.reason)
            for problem in problems
        ]


def _link_key(href: str) -> str:
    """Return a key under which two spellings of the same URL compare equal."""
    text = href.strip()
    if text.lower().startswith("www."):
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    return f"{(parts.hostname or '').lower()}{parts.path.rstrip('/')}?{parts.query}"


def _with_offset(finding: Finding, offset: int) -> Finding:
    return Finding(
        rule_id=finding.rule_id, category=finding.category, severity=finding.severity,
        location=finding.location, evidence=finding.evidence, offset=offset,
        context=finding.context, extra=finding.extra, suggestion=finding.suggestion,
    )


def _astral_to_chars(text: str, matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Convert UTF-16 code-unit offsets to character offsets when text has non-BMP characters."""
    # Code-unit offset of each astral character: its character offset plus the number of
    # astral characters before it (each of those takes two units).
    astral_units = [m.start() + i for i, m in enumerate(re.finditer("[\U00010000-\U0010ffff]",
                                                                     text))]

    def to_char(unit: int) -> int:
        return unit - bisect.bisect_left(astral_units, unit)

    return [(owner, to_char(start), to_char(end)) for owner, start, end in matches]


def _context(text: str, start: int, end: int, *, replacement: str | None = None) -> str:
    """Return the text around [start, end) with numbers masked and whitespace collapsed."""
    left = max(0, start - CONTEXT_WIDTH)
    right = min(len(text), end + CONTEXT_WIDTH)
    # Never cut a number in two: half of an ID number would escape masking.
    while left > 0 and start - left < 2 * CONTEXT_WIDTH and text[left - 1] in _DIGITISH:
        left -= 1
    while right < len(text) and right - end < 2 * CONTEXT_WIDTH and text[right] in _DIGITISH:
        right += 1
    if replacement is None:
        snippet = text[left:right]
        if _HAS_DIGIT.search(snippet):
            snippet = mask_numbers_in(snippet)
    else:
        snippet = (mask_numbers_in(text[left:start]) + replacement
                   + mask_numbers_in(text[end:right]))
    return " ".join(snippet.split())
