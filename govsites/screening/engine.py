"""The Screener: terms, personal data and commercial links in titles, rich text and attachments.

How the term pass is fast: the text is encoded once as UTF-16-BE (a near-copy for CPython's
two-byte strings, and two bytes per Chinese character instead of UTF-8's three; big-endian puts
a character's high byte first, one of some eighty values for Chinese, which keeps the automaton
in few cache-hot states and measured about 9% faster than little-endian) and searched by one
ahocorasick-rs byte automaton (a DFA unless the dictionary is very large) holding every term,
the URL starts "http://", "https://" and "www.", and the zero-width characters spam uses to
split words. The search reports all overlapping occurrences; those at odd byte offsets straddle
two characters and are dropped, and the rest are reduced to leftmost-longest, non-overlapping
matches here.

Disguised terms (split by separators, in pinyin, with look-alike characters) are found by
evasion.py without folding all the text: the same automaton also holds the characters that
only a disguise uses, and a one-byte-per-character class string of the text (ASCII kept, every
other character "C") is searched by a small automaton for ASCII separators between non-ASCII
characters and, in the same pass, for the digit runs that can hold personal data, so the
personal-data regular expression runs only on those runs.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import ahocorasick_rs

from .addresses import ADDRESS, AddressFinder, address_data
from .attachments import (
    AttachmentError,
    Problem,
    UnsupportedAttachment,
    read_attachment,
)
from .evasion import (
    IDEOGRAPHIC_SPACE_PATTERNS,
    EvasionMatch,
    EvasionMatcher,
    ascii_gap_patterns,
    automaton_triggers,
    class_table,
    high_byte_table,
)
from .hidden import hiding_data
from .internal import INTERNAL_RULES, InternalDocumentFinder, internal_data
from .links import (
    BARE_URL,
    URL_STARTS,
    DomainAllowList,
    Link,
    host_of,
)
from .markings import MarkingFinder, anchors, marking_data
from .markup import read_html
from .normalise import (
    INVISIBLE_CHARACTERS,
    NormalisationData,
    fold_range,
    fold_term,
    normalisation_data,
)
from .privacy import CLASS_PATTERNS, PersonalDataDetector, PersonalDataMatch
from .rules import (
    ATTACHMENT_UNREADABLE,
    ATTACHMENT_UNSUPPORTED,
    BANK_CARD,
    COMMERCIAL_LINK,
    MARKING_RULES,
    MOBILE,
    RESIDENT_ID,
    TERM_CATEGORIES,
    PrivacyData,
    Ruleset,
    TermRule,
    national_ruleset,
    term_rule_id,
)
from .scanning import (
    GAP_CLASSES,
    Gates,
    RawScan,
    astral_to_chars,
    chained_gaps,
    context_snippet,
    high_byte_triggers,
    in_original,
    link_key,
    pieces,
)
from .types import Category, Finding, Severity
from .variants import case_variants, traditional_forms, written_forms

#: Above this many pattern code units (UTF-16) the automaton is a contiguous NFA instead of a
#: DFA. Measured on 10,000 terms with their traditional forms (73,583 units): the DFA takes
#: 133 MB (about 1.8 kB a unit) and scans about 1.4x faster; the NFA takes 13 MB.
DFA_MAX_PATTERN_UNITS = 100_000
#: Characters shown either side of a match in Finding.context.
_URL_MARK = -1
_INVISIBLE_MARK = -2  # zero-width characters: the text is screened again without them
_TRIGGER_MARK = -3  # characters only a disguise uses (evasion.py)
_WIDE_DIGIT_MARK = -4  # full-width digits: a trigger, and personal data needs the full search
_EDGE_MARK = -5  # a mixed term's CJK edge next to an ASCII separator (evasion.py)
_MARKING_MARK = -6  # where a 密级 or 内部资料 marking can start (markings.py)
_ADDRESS_MARK = -7  # 单元 or a residence label: where a detailed address can be (addresses.py)
_INTERNAL_MARK = -8  # 预案 or a restriction such as 不得外传: an internal document (internal.py)
_WIDE_DIGITS = "０１２３４５６７８９Ｘｘ"
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")


@dataclass(frozen=True)
class _CompiledTerm:
    rule: TermRule
    rule_id: str
    severity: Severity


class Screener:
    """Screen text, HTML and attachments against one Ruleset. Immutable and thread-safe."""

    def __init__(self, ruleset: Ruleset, *, dfa: bool | None = None, traditional: bool = True,
                 dfa_max_units: int = DFA_MAX_PATTERN_UNITS,
                 privacy: PrivacyData | None = None, evasion: bool = True,
                 normalisation: NormalisationData | None = None) -> None:
        """Compile ruleset.

        dfa None chooses a DFA unless the patterns exceed dfa_max_units UTF-16 code units;
        traditional also matches every term (and allowed context) in traditional characters;
        evasion also finds terms in disguise (separators, pinyin, look-alikes), as
        normalisation (default: data/normalisation.json) says.
        """
        self.ruleset = ruleset
        self.traditional = traditional
        self._options: dict[str, Any] = {
            "dfa": dfa, "traditional": traditional, "dfa_max_units": dfa_max_units,
            "privacy": privacy, "evasion": evasion, "normalisation": normalisation,
        }
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

        def add(text: str, owner: int) -> None:
            patterns.append(text.encode("utf-16-be", errors="surrogatepass"))
            self._pattern_owner.append(owner)

        forms = [written_forms(compiled.rule.text, traditional=traditional)
                 for compiled in self._terms]
        for index, term_forms in enumerate(forms):
            for variant in term_forms:
                add(variant, index)
        self._links_enabled = ruleset.rule(COMMERCIAL_LINK).enabled
        if self._links_enabled:
            for start in URL_STARTS:
                for variant in case_variants(start):
                    add(variant, _URL_MARK)
        for char in INVISIBLE_CHARACTERS:
            add(char, _INVISIBLE_MARK)
        for char in _WIDE_DIGITS:
            add(char, _WIDE_DIGIT_MARK)
        self._hiding = hiding_data()
        self._markings = MarkingFinder(marking_data(), frozenset(
            rule_id for rule_id in MARKING_RULES if ruleset.rule(rule_id).enabled))
        if self._markings.enabled:
            for anchor in anchors():
                add(anchor, _MARKING_MARK)
        self._addresses = AddressFinder(address_data(),
                                        enabled=ruleset.rule(ADDRESS).enabled)
        for anchor in self._addresses.anchors:
            add(anchor, _ADDRESS_MARK)
        self._internal = InternalDocumentFinder(internal_data(), frozenset(
            rule_id for rule_id in INTERNAL_RULES if ruleset.rule(rule_id).enabled))
        for anchor in self._internal.anchors:
            add(anchor, _INTERNAL_MARK)
        self._evasion: EvasionMatcher | None = None
        if evasion and self._terms:
            matcher = EvasionMatcher(
                [(compiled.rule.text, compiled.rule.category) for compiled in self._terms],
                (form for term_forms in forms for form in term_forms),
                data=normalisation or normalisation_data())
            if matcher.enabled:
                self._evasion = matcher
                for char in automaton_triggers():
                    if char not in _WIDE_DIGITS:
                        add(char, _TRIGGER_MARK)
                for edge in matcher.edge_triggers:
                    add(edge, _EDGE_MARK)
                for pattern in IDEOGRAPHIC_SPACE_PATTERNS:
                    patterns.append(pattern)
                    self._pattern_owner.append(_TRIGGER_MARK)
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
        class_patterns: list[bytes] = list(CLASS_PATTERNS) if self._privacy.enabled else []
        self._privacy_patterns = len(class_patterns)
        if self._evasion is not None:
            class_patterns += ascii_gap_patterns(self._evasion.max_run)
        # Leftmost, not overlapping: an 18-digit number is one hit, not eight. A gap that
        # shares its left character with the gap before it (澳 门 赌) is found by chained_gaps.
        self._class_table = class_table()
        self._high_byte_table = high_byte_table()
        self._class_automaton = (ahocorasick_rs.BytesAhoCorasick(
            class_patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostFirst,
            implementation=ahocorasick_rs.Implementation.DFA) if class_patterns else None)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the plain ruleset and options: a worker process compiles its own copy."""
        return (_rebuild, (self.ruleset, self._options))

    @classmethod
    def from_ruleset(cls, ruleset: Ruleset, *, dfa: bool | None = None, traditional: bool = True,
                     dfa_max_units: int = DFA_MAX_PATTERN_UNITS,
                     evasion: bool = True) -> Screener:
        """Build a Screener from plain data (the inspector and the benchmark use this)."""
        return cls(ruleset, dfa=dfa, traditional=traditional, dfa_max_units=dfa_max_units,
                   evasion=evasion)

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
        if self._evasion is not None:
            self._folded_contexts = self._index_folded_contexts(ruleset)
        return index

    def _index_folded_contexts(self, ruleset: Ruleset) -> dict[int, list[tuple[str, list[int]]]]:
        """Map each term to the folded allowed phrases holding its folded form, with offsets."""
        phrases = [(context.category, fold_term(context.phrase)) for context in ruleset.contexts
                   if context.phrase.strip()]
        index: dict[int, list[tuple[str, list[int]]]] = {}
        for term_index, compiled in enumerate(self._terms):
            folded = fold_term(compiled.rule.text)
            for category, phrase in phrases:
                if not folded or folded not in phrase or (
                        category is not None and category != compiled.rule.category):
                    continue
                offsets = []
                offset = phrase.find(folded)
                while offset >= 0:
                    offsets.append(offset)
                    offset = phrase.find(folded, offset + 1)
                index.setdefault(term_index, []).append((phrase, offsets))
        self._context_reach = max((len(phrase) for _, phrase in phrases), default=0)
        return index

    # -- text --------------------------------------------------------------------------------

    def scan_text(self, text: str, *, location: str, today: date | None = None) -> list[Finding]:
        """Return the term, personal-data and bare-link findings in plain text, by position."""
        if not text:
            return []
        scan = self._raw_matches(text)
        if scan.invisible:
            return self._scan_without_invisibles(text, location=location, today=today)
        privacy: list[PersonalDataMatch] = []
        evasions: list[EvasionMatch] = []
        if self._class_automaton is not None:
            gates = Gates()
            for low, high in pieces(text):
                privacy += self._scan_piece(text, low, high, scan, gates, today)
            if self._evasion is not None:
                windows = self._evasion.windows(
                    text, gaps=gates.gaps, triggers=scan.triggers + gates.triggers,
                    edges=scan.edges, latin=gates.latin)
                if windows:
                    evasions = self._evasion.matches(text, windows)
        if scan.addresses:
            privacy += self._addresses.find(text, scan.addresses)
        findings = self._term_findings(text, scan.terms, evasions, location)
        if scan.url_starts:
            findings += self._url_findings(text, scan.url_starts, location)
        for match in privacy:
            rule = self.ruleset.rule(match.rule_id)
            findings.append(Finding(
                rule_id=match.rule_id, category=Category.PRIVACY, severity=rule.severity,
                location=location, evidence=match.masked, offset=match.start,
                context=context_snippet(text, match.start, match.end, replacement=match.masked),
            ))
        if self._markings.enabled:
            findings += self._marking_findings(text, scan.markings, location)
        if scan.internal:
            findings += self._internal_findings(
                text, scan.internal, location,
                contacts=sum(1 for match in privacy if match.rule_id == MOBILE))
        if len(findings) > 1:
            findings.sort(key=lambda finding: finding.offset)
        return findings

    def _marking_findings(self, text: str, anchor_starts: list[int],
                          location: str) -> list[Finding]:
        """Return the 密级 and 内部 marking findings (veto by default: 泄露国家秘密)."""
        findings: list[Finding] = []
        for match in self._markings.find(text, anchor_starts):
            rule = self.ruleset.rule(match.rule_id)
            findings.append(Finding(
                rule_id=rule.rule_id, category=rule.category, severity=rule.severity,
                location=location, evidence=text[match.start:match.end], offset=match.start,
                context=context_snippet(text, match.start, match.end),
                extra={"checklist": ",".join(rule.checklist)},
            ))
        return findings

    def _internal_findings(self, text: str, anchors: list[tuple[int, int]], location: str, *,
                           contacts: int) -> list[Finding]:
        """Return the internal-document and internal-plan findings (RS-15; serious)."""
        findings: list[Finding] = []
        for match in self._internal.find(text, anchors, contacts=contacts):
            rule = self.ruleset.rule(match.rule_id)
            findings.append(Finding(
                rule_id=rule.rule_id, category=rule.category, severity=rule.severity,
                location=location, evidence=text[match.start:match.end], offset=match.start,
                context=context_snippet(text, match.start, match.end),
                extra={"checklist": ",".join(rule.checklist), "reason": match.reason},
            ))
        return findings

    def _scan_piece(self, text: str, low: int, high: int, scan: RawScan, gates: Gates,
                    today: date | None) -> list[PersonalDataMatch]:
        """Run the class-string passes on text[low:high]: personal data, and the evasion gates.

        A long text goes through these passes piece by piece (see pieces), so that the
        one-byte-per-character strings they build stay small enough to stay in the cache.
        """
        piece = text if (low, high) == (0, len(text)) else text[low:high]
        latin = piece.encode("latin-1", errors="replace")
        classes = latin.translate(self._class_table)
        assert self._class_automaton is not None
        hits = self._class_automaton.find_matches_as_indexes(classes)
        latin1_trigger = self._privacy_patterns
        found = self._privacy.find(
            piece, today=today, classes=None if scan.wide_digits else classes,
            hits=[start for pattern, start, _ in hits if pattern < latin1_trigger])
        if low:
            found = [dataclasses.replace(match, start=match.start + low, end=match.end + low)
                     for match in found]
        if self._evasion is None:
            return found
        gaps = [(start, end) for pattern, start, end in hits if pattern > latin1_trigger]
        length = len(classes)
        gaps += [gap for _, end in gaps if end < length and classes[end] in GAP_CLASSES
                 for gap in chained_gaps(classes, end - 1, self._evasion.max_run)]
        triggers = [(start, end) for pattern, start, end in hits if pattern == latin1_trigger]
        if len(scan.data) == 2 * len(text):
            high_bytes = scan.data[2 * low:2 * high:2]
        else:
            high_bytes = piece.encode("utf-16-be", errors="surrogatepass")[::2]
        triggers += high_byte_triggers(piece, high_bytes, self._high_byte_table)
        latin_spans = self._evasion.latin_windows(latin)
        gates.gaps += [(start + low, end + low) for start, end in gaps]
        gates.triggers += [(start + low, end + low) for start, end in triggers]
        gates.latin += [(start + low, end + low) for start, end in latin_spans]
        return found

    def _scan_without_invisibles(self, text: str, *, location: str,
                                 today: date | None) -> list[Finding]:
        """Scan text with zero-width characters removed, reporting offsets in the original."""
        kept = [i for i, char in enumerate(text) if not _INVISIBLE.match(char)]
        stripped = "".join(text[i] for i in kept)
        findings = self.scan_text(stripped, location=location, today=today)
        return [in_original(finding, kept) for finding in findings]

    def _raw_matches(self, text: str) -> RawScan:
        """Return the automaton's aligned matches in character offsets, sorted by owner kind."""
        data = text.encode("utf-16-be", errors="surrogatepass")
        scan = RawScan(data)
        found = self._automaton.find_matches_as_indexes(data, overlapping=True)
        if not found:
            return scan
        owners = self._pattern_owner
        matches = [(owners[p], s >> 1, e >> 1) for p, s, e in found if not s & 1]
        if len(data) != 2 * len(text):
            matches = astral_to_chars(text, matches)
        for owner, start, end in matches:
            if owner >= 0:
                scan.terms.append((start, end, owner))
            elif owner == _URL_MARK:
                scan.url_starts.append(start)
            elif owner == _INVISIBLE_MARK:
                scan.invisible = True
            elif owner == _EDGE_MARK:
                scan.edges.append((start, end))
            elif owner == _MARKING_MARK:
                scan.markings.append(start)
            elif owner == _ADDRESS_MARK:
                scan.addresses.append((start, end))
            elif owner == _INTERNAL_MARK:
                scan.internal.append((start, end))
            else:
                scan.triggers.append((start, end))
                if owner == _WIDE_DIGIT_MARK:
                    scan.wide_digits = True
        return scan

    def _term_findings(self, text: str, terms: list[tuple[int, int, int]],
                       evasions: list[EvasionMatch], location: str) -> list[Finding]:
        """Turn term matches, as written and disguised, into leftmost-longest findings."""
        if not terms and not evasions:
            return []
        candidates: list[tuple[int, int, int, EvasionMatch | None]] = [
            (start, -end, owner, None) for start, end, owner in terms]
        candidates += [(match.start, -match.end, match.owner, match) for match in evasions]
        candidates.sort(key=lambda candidate: candidate[:3])
        findings: list[Finding] = []
        last_end = 0
        for start, negative_end, owner, evasion in candidates:
            end = -negative_end
            if start < last_end:
                continue
            last_end = end
            if self._allowed_in_context(text, owner, start, end):
                continue
            compiled = self._terms[owner]
            extra = {"term": compiled.rule.text}
            if evasion is not None:
                extra["evasion"] = ",".join(evasion.kinds)
                extra["normalised"] = evasion.folded
            findings.append(Finding(
                rule_id=compiled.rule_id, category=compiled.rule.category,
                severity=compiled.severity, location=location, evidence=text[start:end],
                offset=start, context=context_snippet(text, start, end), extra=extra,
                suggestion=compiled.rule.suggestion,
            ))
        return findings

    def _url_findings(self, text: str, starts: list[int], location: str) -> list[Finding]:
        """Turn the URL starts the automaton found into commercial-link findings."""
        findings: list[Finding] = []
        url_end = 0
        for start in sorted(set(starts)):
            if start < url_end:
                continue
            found = BARE_URL.match(text, start)
            if found is None:
                continue
            url = found.group(0).rstrip(".,;:!?")
            url_end = start + len(url)
            finding = self._link_finding(Link(href=url, source="text"), location=location,
                                         offset=start, context=context_snippet(text, start, url_end))
            if finding is not None:
                findings.append(finding)
        return findings

    def _allowed_in_context(self, text: str, owner: int, start: int, end: int) -> bool:
        for phrase, offsets in self._contexts.get(owner, ()):
            for offset in offsets:
                begin = start - offset
                if begin >= 0 and text.startswith(phrase, begin):
                    return True
        if self._evasion is None or owner not in self._folded_contexts:
            return False
        # The same phrases read as the matcher reads text: 打擊 網上賭場 is 打击网上赌场.
        reach = self._context_reach * (self._evasion.max_run + 1)
        low = max(0, start - reach)
        folded = fold_range(text, low, min(len(text), end + reach),
                            max_run=self._evasion.max_run)
        at = bisect.bisect_left(folded.starts, start)
        for phrase, offsets in self._folded_contexts[owner]:
            for offset in offsets:
                if at - offset >= 0 and folded.text.startswith(phrase, at - offset):
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
            key = link_key(link.href)
            if key in seen:
                continue
            seen.add(key)
            finding = self._link_finding(link, location=location, own_host=own_host)
            if finding is not None:
                findings.append(finding)
        return findings

    # -- html --------------------------------------------------------------------------------

    def scan_html(self, html: str, *, location: str, base_url: str | None = None,
                  today: date | None = None, whole_page: bool = False) -> list[Finding]:
        """Return the findings in an HTML page or rich-text fragment.

        Reads the text (hidden elements included), alt/title attributes, <title> (location
        "…#title") and meta keywords/description ("…#meta"), and checks every href and iframe
        src; a commercial link finding carries the link text as its context. Hidden links and
        hidden text are findings (markup.hidden_*), and so, unless whole_page says this is a
        published page rather than content being imported or edited, are scripts, event
        handlers, javascript: URLs, frames, meta refresh and base (markup.*): a sanitiser may
        strip them, but the reviewer must see that the source had them.
        """
        document = read_html(html, base_url=base_url, hiding=self._hiding)
        findings: list[Finding] = []
        if document.title:
            findings += self.scan_text(document.title, location=f"{location}#title", today=today)
        if document.meta:
            findings += self.scan_text(document.meta, location=f"{location}#meta", today=today)
        findings += self.scan_text(document.text, location=location, today=today)
        reported = {link_key(f.extra["href"]) for f in findings if f.rule_id == COMMERCIAL_LINK}
        own_host = host_of(base_url) if base_url else None
        findings = [f for f in findings
                    if f.rule_id != COMMERCIAL_LINK or f.extra.get("host") != own_host]
        findings += [f for f in self.check_links(document.links, location=location,
                                                 base_url=base_url)
                     if link_key(f.extra["href"]) not in reported]
        for construct in document.constructs:
            rule = self.ruleset.rule(construct.rule_id)
            if not rule.enabled or (whole_page and rule.category == Category.UNSAFE_MARKUP):
                continue
            findings.append(Finding(
                rule_id=rule.rule_id, category=rule.category, severity=rule.severity,
                location=location, evidence=construct.evidence, context=construct.reason,
                extra={"reason": construct.reason, "href": construct.href,
                       "checklist": ",".join(rule.checklist)},
            ))
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


def _rebuild(ruleset: Ruleset, options: dict[str, Any]) -> Screener:
    return Screener(ruleset, **options)
