"""The kinds of mail a member can turn off, each with its Member field and how the unsubscribe page
and the preferences name it. Plain data, imported by mail, views and texts' channel choices."""

PREFERENCES = {
    "invitations": ("email_invitations", "event invitations"),
    "reminders": ("email_reminders", "event reminders"),
    "community": ("email_community", "club news and replies to your posts"),
}
