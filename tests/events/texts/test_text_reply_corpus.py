"""The email-reply corpus (tests/events/replies/) sent as texts: the text path understands the
member's words at the same rate as the email path."""

from events.replies import parse_reply, reply_text
from events.text_replies import text_reply_parse
from tests.events.test_replies import HUMAN, load


def test_corpus_as_texts_is_understood_at_the_email_rate():
    by_email = sum(parse_reply(reply_text(load(name))) == want for name, want in HUMAN.items())
    by_text = sum(text_reply_parse(reply_text(load(name))) == want for name, want in HUMAN.items())
    assert by_text == by_email and by_email == len(HUMAN)
