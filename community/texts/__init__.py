"""Texts to members' phones: Paddock's second channel beside email.

- ``phones``: a mobile number typed by a member, parsed to E.164 in the showroom's country;
- ``segments``: how many SMS segments a text costs (GSM-7 or UCS-2), ``text_segments(body)``;
- ``backends``: where texts go, chosen by SMS_BACKEND as EMAIL_BACKEND chooses mail's transport
  (Twilio in production, files in var/sms/ under ``make run``, memory in the tests);
- ``outbox``: the text outbox (written with the change, sent after commit, claimed with leases,
  retried with backoff, held through quiet hours);
- ``services``/``selectors``: a member's number, its six-digit code, consent and per-kind channel
  choice, and ``text_queue``, the one door through which Paddock texts a member;
- ``tasks``: the Celery tasks that send and flush.
"""
