"""Understand a member's emailed reply to an event invitation ("Replies by email").

Pure Python, standard library only; ``events.inbound.handle_inbound`` calls these functions for
every inbound path (the SMTP mail gateway, the provider webhook, ``mail_gateway --file``).

- ``reply_text(message)`` returns the member's own new text: the text/plain body (or text/html
  converted with ``html.parser``) with the quoted invitation, signatures and mobile footers cut.
- ``parse_reply(text)`` turns that text into a ``ReplyIntent`` (answer and guests) or ``None``
  when the reply is unclear (the caller then sends a help message).
- ``is_auto_reply(message)`` spots out-of-office replies, bulk mail and bounces, which must never
  change an RSVP.

Decisions:

- Body: ``get_body(("plain", "html"))`` so multipart/alternative prefers text/plain; an HTML-only
  reply is converted to text. Attachments are ignored. Charsets and transfer encodings are
  decoded by ``email.policy.default``; an unknown charset falls back to a lossy UTF-8 decode.
- HTML: <blockquote>, Gmail's ``div.gmail_quote``, Thunderbird's ``moz-cite-prefix`` and Yahoo's
  ``yahoo_quoted`` are dropped; at Outlook's ``#appendonsend`` / ``#divRplyFwdMsg`` everything
  after is dropped (Outlook quotes the invitation after them, not inside them).
- Plain text: quoted lines (``>``) and attribution lines ("On <date>, <name> wrote:", also wrapped
  over two lines, and the French, German, Spanish and Dutch forms) are *soft* quote markers;
  "-----Original Message-----", an Outlook "From:/Sent:" header block, a line of underscores,
  "Begin forwarded message" / "Forwarded message", the "-- " signature delimiter (also "--" whose
  trailing space a client dropped) and mobile footers ("Sent from my iPhone", "Get Outlook for
  iOS") are *hard* ends: nothing after them is the member's.
- Bottom-posting: the answer is the first unquoted text anywhere. Text above the first quote wins;
  when there is none, the text after the ``>`` quote counts (up to the next quote or hard end).
- ``parse_reply`` reads only the first three meaningful lines, after skipping greetings
  ("Hi Hannah,"); the first line that says yes, no or maybe decides the answer, so chat further
  down ("not sure about parking") cannot flip it. Guests come from that line, else the next lines.
- Precedence in a line: a negation ("not going", "won't be coming", "unfortunately no") beats
  "yes" and "maybe"; "maybe" beats "yes" ("yes, maybe") unless an explicit "+N" is given
  ("yes but maybe +1" is going with one guest). Phrases such as "not sure" (maybe), "can't wait"
  and "wouldn't miss it" (yes) are read before single words.
- Guests: an explicit "+N"/"plus N" wins; then the party size ("2 of us", "we're 3", "zu zweit",
  counting the member: guests = size - 1); then "just me" (0); then companions after "with",
  "bringing", "avec", "mit"... or after "me and" opening a clause ("yes, me and my wife" = 1, but
  "give me and my mates a shout" is no answer) ("my wife and two kids" = 3, a plural without a
  number such as "my kids" counts as 2). A guest count without any answer word ("2 of us", "just me") means going.
  ``guests`` is None when the reply does not say, and always None for "not_going".
- A bare "+N" (the mailing-list "+1") means going with N guests.
- Auto replies: any Auto-Submitted value but "no", X-Autoreply/X-Autorespond/X-Autoresponder,
  Precedence bulk/junk/list/auto_reply, X-Auto-Response-Suppress containing All or OOF (Exchange
  sets it on its own automatic replies; Discourse's receiver uses the same rule), out-of-office /
  automatic-reply / bounce subjects, multipart/report (delivery status or read receipts),
  X-Failed-Recipients, a MAILER-DAEMON/postmaster sender or an empty Return-Path ("<>").
"""

import re
import unicodedata
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.utils import parseaddr
from html.parser import HTMLParser
from typing import Literal

Answer = Literal["going", "maybe", "not_going"]

MAX_LINES = 3  # meaningful lines of the member's text that parse_reply reads
MAX_GUESTS = 20  # a larger "+N" is more likely a phone number or typo than guests


@dataclass(frozen=True)
class ReplyIntent:
    answer: Answer
    guests: int | None = None


# --- Extracting the member's text -------------------------------------------------------------


def reply_text(message: EmailMessage) -> str:
    """Return the member's own new text from a reply, without quotes, signatures or footers."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = _decoded_content(part)
    if part.get_content_subtype() == "html":
        content = html_to_text(content)
    return strip_quoted(content)


def _decoded_content(part: Message) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")
    if isinstance(content, bytes):
        return content.decode("utf-8", errors="replace")
    return content


class _HtmlText(HTMLParser):
    """Collects the visible text of an HTML reply, skipping quoted blocks."""

    BLOCK = {
        "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "pre", "section", "article", "header", "footer", "body", "html",
    }  # fmt: skip
    INVISIBLE = {"head", "style", "script", "title", "template"}
    VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
    QUOTE_CLASSES = {"gmail_quote", "gmail_extra", "moz-cite-prefix", "yahoo_quoted"}
    STOP_IDS = {"appendonsend", "divrplyfwdmsg", "divrplyfwdmsg_new"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skip_stack: list[str] = []  # open tags whose content is skipped
        self.stopped = False

    def handle_starttag(self, tag, attrs):
        if self.stopped:
            return
        attrs = {name: (value or "") for name, value in attrs}
        element_id = attrs.get("id", "").lower()
        if element_id in self.STOP_IDS:
            self.stopped = True
            return
        if tag in self.BLOCK:
            self.chunks.append("\n")
        if tag in self.VOID:
            return
        classes = set(attrs.get("class", "").lower().split())
        if (
            self.skip_stack
            or tag in self.INVISIBLE
            or tag == "blockquote"
            or classes & self.QUOTE_CLASSES
        ):
            self.skip_stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.stopped:
            return
        if self.skip_stack:
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            return
        if tag in self.BLOCK:
            self.chunks.append("\n")

    def handle_data(self, data):
        if not self.stopped and not self.skip_stack:
            self.chunks.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Convert an HTML body to plain text, dropping blockquotes and mail clients' quoted parts."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.chunks).replace("\xa0", " ").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_ATTRIBUTION = re.compile(
    r"""^(
        on\s.+\bwrote\s*:
      | le\s.+\ba\s+[ée]crit\s*:
      | am\s.+\bschrieb\b.*:
      | el\s.+\bescribi[óo]\s*:
      | op\s.+\bschreef\b.*:
      | .{0,120}\bwrote\s*:
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_ATTRIBUTION_START = re.compile(r"^(on|le|am|el|op)\s", re.IGNORECASE)
_HARD_END = re.compile(
    r"""^(
        -{2,}\s*(original\s+message|urspr[üu]ngliche\s+nachricht|message\s+d'origine|mensaje\s+original)\s*-{2,}
      | _{10,}
      | -{2,}\s*forwarded\s+message\s*-{2,}
      | begin\s+forwarded\s+message\s*:
      | sent\s+from\s+my\s+\S+.*
      | sent\s+from\s+(outlook|mail|yahoo\s+mail|samsung|aol)\b.*
      | get\s+outlook\s+for\s+\S+
      | von\s+meinem\s+.+\s+gesendet
      | envoy[ée]\s+de\s+mon\s+.+
      | enviado\s+desde\s+mi\s+.+
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_HEADER_FROM = re.compile(r"^\*?(from|von|de|van)\s*:", re.IGNORECASE)
_HEADER_SENT = re.compile(
    r"^\*?(sent|date|gesendet|datum|envoy[ée]|enviado|fecha|verzonden)\s*:", re.IGNORECASE
)


def _is_hard_end(lines: list[str], index: int) -> bool:
    stripped = lines[index].strip()
    if stripped == "--" or _HARD_END.match(stripped):
        return True
    if _HEADER_FROM.match(stripped):
        return any(
            _HEADER_SENT.match(next_line.strip()) for next_line in lines[index + 1 : index + 5]
        )
    return False


def _attribution_length(lines: list[str], index: int) -> int:
    """How many lines (0, 1 or 2) an attribution such as "On ..., X wrote:" spans at ``index``."""
    line = lines[index].strip()
    if not line or line.startswith(">"):
        return 0
    if _ATTRIBUTION.match(line):
        return 1
    if index + 1 < len(lines) and _ATTRIBUTION_START.match(line):
        if _ATTRIBUTION.match(f"{line} {lines[index + 1].strip()}"):
            return 2
    return 0


def strip_quoted(text: str) -> str:
    """Keep the member's first unquoted block of text (see the module docstring)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        if _is_hard_end(lines, index):
            break
        attribution = _attribution_length(lines, index)
        quoted = lines[index].lstrip().startswith(">")
        if attribution or quoted:
            if any(line.strip() for line in kept):
                break  # a quote after the member's text ends it
            index += max(attribution, 1)
            continue
        kept.append(lines[index].rstrip())
        index += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


# --- Understanding the text -------------------------------------------------------------------

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "couple": 2, "pair": 2,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "uno": 1, "dos": 2, "tres": 3, "een": 1, "twee": 2, "drie": 3, "vijf": 5,
}  # fmt: skip
_NUMBER = r"(\d{1,2}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_ARTICLES = {"a", "an", "un", "une", "ein", "eine", "einen", "einem", "einer", "een", "uno"}
_COUNT = r"(\d{1,2}|" + "|".join(sorted(set(_NUMBERS) - _ARTICLES, key=len, reverse=True)) + r")"
_GROUP_WORDS = {"zweit": 2, "dritt": 3, "viert": 4, "fünft": 5}

# Phrases whose words would mislead a word-level reading; replaced by a marker first.
_PHRASES = [
    (r"not (sure|certain|decided)( yet)?|don'?t know( yet)?|do not know( yet)?|unsure|undecided"
     r"|can'?t (promise|say|confirm)( yet)?|cannot (promise|say|confirm)( yet)?|tbc|tbd"
     r"|will (try|see)|i'?ll (try|see)|(going to|gonna) try|try to (come|make it)|if i can|hopefully"
     r"|weiß (es )?noch nicht|pas (encore )?s[uû]r", " MAYBE "),
    (r"can'?t wait|cannot wait|wouldn'?t miss (it|this)|would not miss (it|this)|no problem|no worries"
     r"|why not|no doubt|not to be missed|won'?t miss (it|this)|pas de (probl[èe]me|souci)|kein problem",
     " YES "),
]  # fmt: skip
_NEGATIVE = re.compile(
    r"\b(no|nope|nah|(?:probably|maybe|likely|prob) not|not going|not coming|not attending"
    r"|not this time|not able|won'?t|will not"
    r"|can'?t|cannot|can not|couldn'?t|unable|unfortunately|sadly|regret|decline|declining"
    r"|count (me|us) out|i'?m out|we'?re out|have to pass|must pass|'?ll pass|give it a miss|skip (this|it)( one)?"
    r"|nein|leider|non|pas|absent|no puedo|nee|helaas|niet)\b|👎|❌",
)
_MAYBE = re.compile(
    r"\b(MAYBE|maybe|possibly|perhaps|probably|might|tentative|tentatively|potentially"
    r"|vielleicht|eventuell|peut[- ]?[êe]tre|quiz[áa]s?|tal vez|misschien|wellicht)\b|🤔|🤷",
)
_POSITIVE = re.compile(
    r"\b(YES|yes|yeah|yea|yep|yup|ya|sure|ok|okay|definitely|absolutely|certainly|of course"
    r"|count (me|us) in|i'?m in|we'?re in|sign (me|us) up|put (me|us) down|book (me|us)( in)?"
    r"|i'?ll be there|we'?ll be there|will be there|see you there|going|coming|attending|i'?ll come"
    r"|we'?ll come|will come|will attend|i'?ll attend|wouldn'?t miss|love to|would love|happy to"
    r"|accept|oui|ja|jawohl|gerne|gern|sí|claro|avec plaisir|with pleasure|wir kommen|ich komme"
    r"|je viens|nous venons|kom|komen|graag)\b|👍|✅|✔|🙌|👌",
)
_EXPLICIT_GUESTS = re.compile(r"(?:\+\s?|\bplus\s+)" + _NUMBER + r"\b")
_PARTY = [
    re.compile(r"\b" + _COUNT + r" of us\b"),
    re.compile(r"\b(?:we'?re|we are|we will be|we'?ll be|there will be|there'?ll be|party of"
               r"|table for|nous serons|wir sind|somos|we zijn met) (?:a party of )?" + _COUNT + r"\b"),
    re.compile(r"\b" + _COUNT + r" (?:people|persons|adults|guests? in total|in total|total|personen|personnes|personas)\b"),
]  # fmt: skip
_ALONE = re.compile(
    r"\b(just me|only me|me only|myself only|just myself|on my own|by myself|alone|solo"
    r"|nur ich|allein|alleine|seul|seule|solo yo)\b"
)
_COMPANION_START = re.compile(
    r"\b(?:with|bringing|bring|plus|along with|accompanied by|avec|mit|con|met)\s+(.*)"
)
# "yes, me and my wife": "me and ..." at the start of a clause or right after an answer word; not
# inside a sentence such as "give me and my mates a shout", which is no answer at all.
_ME_AND = re.compile(
    r"(?:^|[,.;:!?-]|\b(?:YES|MAYBE|yes|yeah|yep|yup|sure|ok|okay|definitely|absolutely|maybe"
    r"|possibly|perhaps|probably))\s*(?:it'?s |it will be |it'?ll be |that'?s )?"
    r"(?:me|myself)\s*(?:&|\+|\band\b)\s*(.*)"
)
_COMPANION_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bet\b|\bund\b|\by\b|\ben\b|\bplus\b)\s*")
_COMPANION_STOP = re.compile(r"[.!?;:()]|\b(but|if|who|as|so|to|for|because|though|which)\b")
_PERSON_SINGULAR = re.compile(
    r"\b(wife|husband|partner|son|daughter|kid|child|boy|girl|friend|mate|buddy|dad|father|mum"
    r"|mom|mother|brother|sister|girlfriend|boyfriend|fianc[ée]e?|colleague|neighbou?r|guest"
    r"|nephew|niece|grandson|granddaughter|uncle|aunt|cousin|spouse|other half|plus one|fille|fils"
    r"|femme|mari|ami|amie|copain|copine|frère|soeur|sœur|frau|mann|sohn|tochter|freund|freundin"
    r"|bruder|schwester|esposa|esposo|hijo|hija|amigo|amiga|vrouw|man|zoon|dochter|vriend|vriendin)\b"
)
_PERSON_PLURAL = re.compile(
    r"\b(kids|children|boys|girls|sons|daughters|friends|mates|parents|family|grandchildren"
    r"|grandkids|colleagues|guests|enfants|kinder|freunde|hijos|kinderen)\b"
)
_GREETING = re.compile(
    r"^(hi|hello|hey|hiya|dear|good (morning|afternoon|evening)|morning|hallo|guten tag|moin"
    r"|liebe|lieber|bonjour|salut|hola|buenos d[ií]as|hoi|beste|greetings)\b"
)


def _normalise(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("’", "'").replace("‘", "'").lower()
    line = re.sub(r"[\"“”*_]", " ", line)
    for pattern, marker in _PHRASES:
        line = re.sub(r"\b(?:" + pattern + r")\b", marker, line)
    return re.sub(r"\s+", " ", line).strip()


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _companions(line: str) -> int | None:
    match = _COMPANION_START.search(line) or _ME_AND.search(line)
    if not match:
        return None
    rest = match.group(1)
    stop = _COMPANION_STOP.search(rest)
    if stop:
        rest = rest[: stop.start()]
    total = 0
    for chunk in _COMPANION_SPLIT.split(rest):
        words = chunk.split()
        if not words:
            continue
        numbers = [_number(word) for word in words if _number(word) is not None]
        counts = [_number(word) for word in words if word not in _ARTICLES and _number(word)]
        count = (counts or numbers or [None])[0]
        if (
            count is not None
            and len(words) > 1
            and (_PERSON_PLURAL.search(chunk) or _PERSON_SINGULAR.search(chunk))
        ):
            total += count
        elif _PERSON_PLURAL.search(chunk):
            total += 2
        elif _PERSON_SINGULAR.search(chunk):
            total += 1
    return total or None


def _guests(line: str) -> tuple[int | None, bool]:
    """Return (guests, explicit) for one normalised line; explicit means a "+N"."""
    match = _EXPLICIT_GUESTS.search(line)
    if match and (count := _number(match.group(1))) is not None and count <= MAX_GUESTS:
        return count, True
    for pattern in _PARTY:
        match = pattern.search(line)
        if match and (count := _number(match.group(1))):
            return min(count - 1, MAX_GUESTS), False
    match = re.search(r"\bzu (zweit|dritt|viert|fünft)\b", line)
    if match:
        return _GROUP_WORDS[match.group(1)] - 1, False
    match = re.search(r"\bà (deux|trois|quatre|cinq)\b", line)
    if match:
        return _NUMBERS[match.group(1)] - 1, False
    if _ALONE.search(line):
        return 0, False
    return _companions(line), False


def _answer(line: str, explicit_guests: bool) -> Answer | None:
    if _NEGATIVE.search(line):
        return "not_going"
    maybe = bool(_MAYBE.search(line))
    positive = bool(_POSITIVE.search(line))
    if maybe and not (positive and explicit_guests):
        return "maybe"
    if positive:
        return "going"
    return None


def _meaningful_lines(text: str) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = _normalise(raw)
        if not re.search(r"\w|[^\x00-\x7f]|\+", line):
            continue
        if _GREETING.match(line):
            if "," in line:
                line = line.split(",", 1)[1].strip()  # "Hi Hannah, yes +1"
            elif len(line.split()) <= 3:
                continue  # "Hi Hannah" on its own
            if not line:
                continue
        lines.append(line)
        if len(lines) == MAX_LINES:
            break
    return lines


def parse_reply(text: str) -> ReplyIntent | None:
    """Read the answer and guest count from a member's reply text, or None when unclear."""
    lines = _meaningful_lines(text)
    for position, line in enumerate(lines):
        guests, explicit = _guests(line)
        answer = _answer(line, explicit)
        if answer is None and guests is not None:
            answer = "going"  # "2 of us", "just me"
        if answer is None:
            continue
        if answer == "not_going":
            return ReplyIntent(answer="not_going", guests=None)
        for later in lines[position + 1 :]:
            if guests is not None:
                break
            if _NEGATIVE.search(later):
                break
            guests, _ = _guests(later)
        return ReplyIntent(answer=answer, guests=guests)
    return None


# --- Auto replies and bounces -----------------------------------------------------------------

_AUTO_SUBJECT = re.compile(
    r"^\s*(?:(?:re|aw|fw|fwd|sv|tr|wg)\s*:\s*)*(?:\[[^\]]*\]\s*)?("
    r"out of (the )?office|ooo\b|automatic reply|auto[- ]?reply|auto[- ]?response|autoreply"
    r"|abwesenheitsnotiz|automatische antwort|abwesend|r[ée]ponse automatique|absence"
    r"|respuesta autom[áa]tica|automatisch antwoord|afwezig"
    r"|undeliverable|undelivered mail|delivery status notification|delivery failure"
    r"|mail delivery failed|failure notice|returned mail|non[- ]?delivery|mail delivery subsystem"
    r")",
    re.IGNORECASE,
)
_DAEMON = re.compile(r"^(mailer[-_]?daemon|postmaster)@", re.IGNORECASE)


def is_auto_reply(message: Message) -> bool:
    """True for out-of-office replies, autoresponders, bulk mail and bounces."""
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if any(
        message.get(name) is not None
        for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder")
    ):
        return True
    if str(message.get("Precedence", "")).strip().lower() in {"bulk", "junk", "list", "auto_reply"}:
        return True
    suppress = str(message.get("X-Auto-Response-Suppress", "")).lower()
    if re.search(r"\b(all|oof)\b", suppress):
        return True
    if message.get("X-Failed-Recipients") is not None:
        return True
    if message.get_content_type() == "multipart/report":
        return True
    if _AUTO_SUBJECT.match(str(message.get("Subject", ""))):
        return True
    sender = parseaddr(str(message.get("From", "")))[1]
    if _DAEMON.match(sender) or sender.lower().startswith("mailer-daemon"):
        return True
    return_path = message.get("Return-Path")
    return return_path is not None and str(return_path).strip() in ("<>", "")
