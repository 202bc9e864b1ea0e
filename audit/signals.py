"""What is recorded: a save that changes nothing writes no history record.

django-simple-history writes a record on every ``save()``. Before a save of a tracked model the row is
compared with the database (one query); if no tracked field changed (the optimistic-locking ``version``
does not count), the record is skipped. A changed password is a change without a visible field: it is
recorded with the reason "Passwort geändert", never with the hash.
"""
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from kimportal.history import INTERNAL_FIELDS

PASSWORD_CHANGED = "Passwort geändert"


def _tracked(model) -> list:
    history = getattr(model, model._meta.simple_history_manager_attribute)
    return [f for f in history.model.tracked_fields if f.name not in INTERNAL_FIELDS]


@receiver(pre_save, dispatch_uid="audit_skip_unchanged_saves")
def skip_unchanged_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Mark a save of a tracked record that changes none of its tracked fields (nor its password)."""
    if getattr(instance, "_history_skipped", False):  # a marker left by a save that failed
        _unmark(instance)
    if raw or instance._state.adding or instance.pk is None:
        return
    if not hasattr(sender._meta, "simple_history_manager_attribute") or hasattr(instance, "skip_history_when_saving"):
        return
    fields = _tracked(sender)
    names = [f.attname for f in fields]
    has_password = any(f.attname == "password" for f in sender._meta.concrete_fields)
    row = sender._base_manager.using(kwargs.get("using")).filter(pk=instance.pk).values(
        *names, *(["password"] if has_password else [])).first()
    if row is None:
        return
    if has_password and row["password"] != instance.password:
        instance._change_reason = PASSWORD_CHANGED
        instance._password_reason = True
        return
    for f in fields:
        try:
            if f.to_python(getattr(instance, f.attname)) != f.to_python(row[f.attname]):
                return
        except Exception:
            return
    instance.skip_history_when_saving = True
    instance._history_skipped = True


@receiver(post_save, dispatch_uid="audit_unmark_skipped_saves")
def unmark_skipped_save(sender, instance, **kwargs):
    # Runs after django-simple-history's own post_save receiver, which was connected earlier.
    if getattr(instance, "_history_skipped", False):
        _unmark(instance)
    if getattr(instance, "_password_reason", False):
        del instance._password_reason, instance._change_reason


def _unmark(instance):
    del instance._history_skipped
    if hasattr(instance, "skip_history_when_saving"):
        del instance.skip_history_when_saving
