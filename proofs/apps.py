from django.apps import AppConfig


class ProofsConfig(AppConfig):
    """Proofs of use (Verwendungsnachweise): the numerical statement per grant decision and year, the factual report,
    the status (due, submitted, checked) and the recipients' proofs of pass-throughs."""

    name = "proofs"
    verbose_name = "Verwendungsnachweise"
