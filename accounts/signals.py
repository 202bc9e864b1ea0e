"""At login the idle clock starts and the second factor the session owes is decided (no query on later pages)."""
import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .policy import LAST_ACTIVITY_KEY, SECOND_FACTOR_KEY, second_factor_state


@receiver(user_logged_in)
def start_session(sender, request, user, **kwargs):
    """Stamp the new session with the login time and the second factor it still has to give."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())
        request.session[SECOND_FACTOR_KEY] = second_factor_state(user)
