"""Replies by email: the member's text, their answer and guests, and auto replies (events.replies).

The corpus in tests/events/replies/ holds raw RFC 5322 replies as mail clients send them; CORPUS
below gives each file's expected result: a ReplyIntent, None (unclear, the member gets a help
message) or AUTO (an out-of-office reply or bounce that must be ignored).
"""

import dataclasses
import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from events.replies import ReplyIntent, html_to_text, is_auto_reply, parse_reply, reply_text

CORPUS_DIR = Path(__file__).parent / "replies"
AUTO = "auto"
GOING, MAYBE, NOT_GOING = "going", "maybe", "not_going"


def intent(answer, guests=None):
    return ReplyIntent(answer=answer, guests=guests)


CORPUS = {
    # Gmail
    "gmail_alternative_yes_plus_one.eml": intent(GOING, 1),
    "gmail_plain_attribution_wrapped.eml": intent(GOING),
    "gmail_html_only_no.eml": intent(NOT_GOING),
    "greeting_then_yes_plus_one.eml": intent(GOING, 1),
    "unfortunately_not_quote_says_yes.eml": intent(NOT_GOING),
    "chatty_after_answer_yes_plus_one.eml": intent(GOING, 1),
    "unclear_question_none.eml": None,
    # Outlook
    "outlook_html_divrplyfwdmsg_with_wife.eml": intent(GOING, 1),
    "outlook_html_only_maybe.eml": intent(MAYBE),
    "outlook_plain_original_message_might_come.eml": intent(MAYBE),
    "outlook_plain_underscores_not_this_time.eml": intent(NOT_GOING),
    "outlook_ios_footer_yes_plus_two.eml": intent(GOING, 2),
    "outlook_plain_from_sent_block_wont_be_coming.eml": intent(NOT_GOING),
    "outlook_german_von_gesendet_nein.eml": intent(NOT_GOING),
    # Apple Mail, iPhone, Thunderbird
    "apple_mail_alternative_blockquote_were_three.eml": intent(GOING, 2),
    "apple_mail_html_only_just_me.eml": intent(GOING, 0),
    "apple_begin_forwarded_message_no.eml": intent(NOT_GOING),
    "iphone_sent_from_yes.eml": intent(GOING),
    "iphone_bringing_son_emoji.eml": intent(GOING, 1),
    "thunderbird_moz_cite_maybe.eml": intent(MAYBE),
    # Signatures and posting styles
    "top_posted_signature_count_me_in.eml": intent(GOING),
    "signature_without_space_cant_make_it.eml": intent(NOT_GOING),
    "bottom_posted_two_of_us.eml": intent(GOING, 1),
    "bottom_posted_interleaved_not_sure.eml": intent(MAYBE),
    "forwarded_message_below_yes.eml": intent(GOING),
    # Charsets and transfer encodings
    "latin1_french_oui_avec_ma_fille.eml": intent(GOING, 1),
    "latin1_french_8bit_non.eml": intent(NOT_GOING),
    "windows1252_german_zu_zweit.eml": intent(GOING, 1),
    "windows1252_outlook_html_cant_make_it.eml": intent(NOT_GOING),
    "iso2022jp_yes_plus_one.eml": intent(GOING, 1),
    "spanish_el_escribio_somos_dos.eml": intent(GOING, 1),
    "dutch_op_schreef_met_mijn_vrouw.eml": intent(GOING, 1),
    "base64_plain_cannot_come.eml": intent(NOT_GOING),
    "base64_html_absolutely_plus_one.eml": intent(GOING, 1),
    "quoted_printable_html_possibly.eml": intent(MAYBE),
    "emoji_only_thumbs_up.eml": intent(GOING),
    # Other forms
    "html_only_no_quote_yes_plus_one.eml": intent(GOING, 1),
    "html_entities_we_will_be_there.eml": intent(GOING, 3),
    "mixed_with_attachment_two_friends.eml": intent(GOING, 2),
    "maybe_three_of_us.eml": intent(MAYBE, 2),
    "auto_submitted_no_is_human_yes.eml": intent(GOING),
    "subject_mentions_office_not_auto.eml": intent(GOING, 3),
    # Auto replies and bounces
    "auto_outlook_automatic_reply.eml": AUTO,
    "auto_subject_out_of_office.eml": AUTO,
    "auto_subject_abwesenheitsnotiz.eml": AUTO,
    "auto_x_autoreply.eml": AUTO,
    "auto_x_autorespond.eml": AUTO,
    "auto_precedence_bulk.eml": AUTO,
    "auto_precedence_auto_reply.eml": AUTO,
    "auto_exchange_response_suppress_oof.eml": AUTO,
    "auto_bounce_delivery_status.eml": AUTO,
    "auto_bounce_mailer_daemon_plain.eml": AUTO,
    "auto_empty_return_path.eml": AUTO,
    "auto_read_receipt.eml": AUTO,
    "auto_failed_recipients_header.eml": AUTO,
}
HUMAN = {name: expected for name, expected in CORPUS.items() if expected != AUTO}
AUTOMATIC = sorted(name for name, expected in CORPUS.items() if expected == AUTO)


def load(name: str) -> EmailMessage:
    return email.message_from_bytes((CORPUS_DIR / name).read_bytes(), policy=policy.default)


def message(raw: str) -> EmailMessage:
    return email.message_from_string(raw, policy=policy.default)


# --- The corpus -------------------------------------------------------------------------------


def test_corpus_every_file_has_an_expected_result():
    assert sorted(path.name for path in CORPUS_DIR.glob("*.eml")) == sorted(CORPUS)


@pytest.mark.parametrize(("name", "expected"), HUMAN.items(), ids=list(HUMAN))
def test_corpus_human_reply_parses_to_expected_intent(name, expected):
    assert parse_reply(reply_text(load(name))) == expected


@pytest.mark.parametrize("name", HUMAN)
def test_corpus_human_reply_is_not_auto_reply(name):
    assert is_auto_reply(load(name)) is False


@pytest.mark.parametrize("name", AUTOMATIC)
def test_corpus_auto_reply_is_detected(name):
    assert is_auto_reply(load(name)) is True


@pytest.mark.parametrize("name", HUMAN)
def test_corpus_reply_text_leaves_out_quoted_invitation(name):
    assert "winter drive day" not in reply_text(load(name)).lower()


# --- parse_reply on short phrases -------------------------------------------------------------

PHRASES = [
    ("yes", intent(GOING)),
    ("Yes! +1", intent(GOING, 1)),
    ("yes +2", intent(GOING, 2)),
    ("YES!!!", intent(GOING)),
    ("Yep, see you there", intent(GOING)),
    ("count me in, bringing my son", intent(GOING, 1)),
    ("I'll be there with my wife and two kids", intent(GOING, 3)),
    ("I’ll be there with my wife", intent(GOING, 1)),
    ("Sure, with a friend", intent(GOING, 1)),
    ("Coming with 2 friends", intent(GOING, 2)),
    ("Yes, plus one", intent(GOING, 1)),
    ("2 of us", intent(GOING, 1)),
    ("we're 3", intent(GOING, 2)),
    ("three of us", intent(GOING, 2)),
    ("We are 4 in total", intent(GOING, 3)),
    ("just me", intent(GOING, 0)),
    ("Yes, only me this time", intent(GOING, 0)),
    ("+1", intent(GOING, 1)),
    ("yes but maybe +1", intent(GOING, 1)),
    ("Wouldn't miss it!", intent(GOING)),
    ("Can't wait, count us in", intent(GOING)),
    ("👍", intent(GOING)),
    ("👍🏽 +1", intent(GOING, 1)),
    ("no", intent(NOT_GOING)),
    ("No thanks", intent(NOT_GOING)),
    ("can't make it", intent(NOT_GOING)),
    ("cannot come, sorry", intent(NOT_GOING)),
    ("not this time", intent(NOT_GOING)),
    ("not going", intent(NOT_GOING)),
    ("I won't be coming", intent(NOT_GOING)),
    ("unfortunately no", intent(NOT_GOING)),
    ("Yes I'd love to but can't make it", intent(NOT_GOING)),
    ("probably not", intent(NOT_GOING)),
    ("👎", intent(NOT_GOING)),
    ("maybe", intent(MAYBE)),
    ("possibly", intent(MAYBE)),
    ("might come", intent(MAYBE)),
    ("not sure yet", intent(MAYBE)),
    ("Yes, maybe", intent(MAYBE)),
    ("Maybe +1", intent(MAYBE, 1)),
    ("Perhaps, with my husband", intent(MAYBE, 1)),
    ("oui", intent(GOING)),
    ("Oui, avec ma fille", intent(GOING, 1)),
    ("ja", intent(GOING)),
    ("Ja, wir kommen zu zweit", intent(GOING, 1)),
    ("nein", intent(NOT_GOING)),
    ("non merci", intent(NOT_GOING)),
    ("Oui, pas de problème", intent(GOING)),
    ("I'll skip this one", intent(NOT_GOING)),
    ("I'm going to try to come", intent(MAYBE)),
    ("vielleicht", intent(MAYBE)),
    ("Hi Hannah,\n\nYes, +1 from me", intent(GOING, 1)),
    ("Hi Hannah, yes +1", intent(GOING, 1)),
    ("Thanks for the invite!\nCount me in", intent(GOING)),
    ("Yes\nWe're 3", intent(GOING, 2)),
    ("Yes +1\nNot sure about parking though", intent(GOING, 1)),
    ("Yes, call me on +44 7700 900123", intent(GOING)),
    ("yes, me and my wife", intent(GOING, 1)),
    ("Yes me & the kids", intent(GOING, 2)),
    ("Me and my 3 kids will be there", intent(GOING, 3)),
    ("yes, just me after all", intent(GOING, 0)),
    ("Give me and my mates a shout next time", None),
    ("What time does it start?", None),
    ("Thanks", None),
    ("", None),
    ("Thanks for the email\nSee below\nLet me check\nYes", None),  # past the first 3 lines
]


@pytest.mark.parametrize(
    ("text", "expected"), PHRASES, ids=[text or "<empty>" for text, _ in PHRASES]
)
def test_parse_reply_phrase_gives_expected_intent(text, expected):
    assert parse_reply(text) == expected


def test_reply_intent_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        intent(GOING).answer = NOT_GOING


# --- reply_text -------------------------------------------------------------------------------

HEAD = "From: Sam <sam@example.com>\nTo: rsvp@example.com\nSubject: Re: Invitation\nMIME-Version: 1.0\n"


def test_reply_text_multipart_alternative_prefers_plain_part():
    raw = (
        HEAD + 'Content-Type: multipart/alternative; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nplain yes\n--b\nContent-Type: text/html\n\n<p>html yes</p>\n--b--\n"
    )
    assert reply_text(message(raw)) == "plain yes"


def test_reply_text_html_only_is_converted_to_text():
    raw = HEAD + "Content-Type: text/html\n\n<p>Yes&nbsp;&amp; +1</p><p>Sam</p>\n"
    assert reply_text(message(raw)) == "Yes & +1\n\nSam"


def test_reply_text_without_text_body_is_empty():
    raw = HEAD + "Content-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
    assert reply_text(message(raw)) == ""


def test_reply_text_unknown_charset_falls_back_to_utf8():
    raw = HEAD + "Content-Type: text/plain; charset=x-unknown\n\nyes please\n"
    assert reply_text(message(raw)) == "yes please"


def test_reply_text_bottom_posted_keeps_text_below_quote():
    raw = (
        HEAD
        + "Content-Type: text/plain\n\nOn Tue, Hannah wrote:\n> Will you come?\n\nYes +1\n\n> Thanks\n"
    )
    assert reply_text(message(raw)) == "Yes +1"


def test_reply_text_signature_delimiter_cuts_signature():
    raw = HEAD + "Content-Type: text/plain\n\nYes\n-- \nSam Porter\n07700 900123\n"
    assert reply_text(message(raw)) == "Yes"


def test_reply_text_attribution_over_two_lines_is_dropped():
    raw = (
        HEAD + "Content-Type: text/plain\n\nNo\n\nOn Tue, 3 Dec 2026 at 10:00, Harbourside MINI <\n"
        "events@example.com> wrote:\n> Reply yes\n"
    )
    assert reply_text(message(raw)) == "No"


def test_html_to_text_gmail_quote_is_dropped():
    html = (
        '<div>Maybe</div><div class="gmail_quote">On Tue wrote:<blockquote>yes</blockquote></div>'
    )
    assert html_to_text(html) == "Maybe"


def test_html_to_text_outlook_reply_header_drops_everything_after():
    html = '<div>No</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg">From:</div><p>yes</p>'
    assert html_to_text(html) == "No"


# --- is_auto_reply ----------------------------------------------------------------------------


def test_is_auto_reply_plain_human_reply_is_false():
    assert is_auto_reply(message(HEAD + "Content-Type: text/plain\n\nyes\n")) is False


def test_is_auto_reply_auto_submitted_no_is_false():
    raw = HEAD.replace("MIME", "Auto-Submitted: no\nMIME") + "Content-Type: text/plain\n\nyes\n"
    assert is_auto_reply(message(raw)) is False


def test_is_auto_reply_auto_submitted_auto_generated_is_true():
    raw = (
        HEAD.replace("MIME", "Auto-Submitted: auto-generated\nMIME")
        + "Content-Type: text/plain\n\nyes\n"
    )
    assert is_auto_reply(message(raw)) is True


def test_is_auto_reply_precedence_list_is_true():
    raw = HEAD.replace("MIME", "Precedence: list\nMIME") + "Content-Type: text/plain\n\nyes\n"
    assert is_auto_reply(message(raw)) is True
