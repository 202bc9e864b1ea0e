"""A county's workbook read under a new slug (a copy): what belongs to the original county stays with it.

The official keys (a county's Kreisschlüssel, a municipality's AGS) and the user names are unique in the
installation and name one real county and one real person. A copy therefore leaves a key that another county
already holds empty and skips a user whose name is taken; the import says so in one German line per kind
(``notes``), e.g. "Amtliche Gemeindeschlüssel nicht übernommen: bereits Rhein-Sieg-Kreis zugeordnet (19 Gemeinden)".
The copy's figures do not depend on either (the own-share engine reads neither keys nor users).
"""
from __future__ import annotations

from collections import defaultdict

from kimportal.models import County, Municipality, User


class CopyGuard:
    """Decides, row by row, what a copy leaves out; ``county_slug`` is the slug the copy is imported under."""

    def __init__(self, county_slug: str):
        self.county_slug = county_slug
        self.county_key_owner: tuple[str, str] | None = None  # (key, owning county's name)
        self.ags_owners: dict[str, list[str]] = defaultdict(list)  # owning county's name → municipality names
        self.users_taken: list[str] = []

    def county_row(self, values: dict) -> None:
        """Empty the Kreisschlüssel of the county row (``values``, changed in place) if another county has it."""
        key = values.get("key")
        if not key:
            return
        owner = County.objects.filter(key=key).exclude(slug=self.county_slug).first()
        if owner is not None:
            values["key"] = ""
            self.county_key_owner = (key, owner.name)

    def municipality_row(self, values: dict) -> None:
        """Empty the AGS of a municipality row (changed in place) if a municipality of another county has it."""
        ags = values.get("ags")
        if not ags:
            return
        owner = (Municipality.objects.filter(ags=ags).exclude(county__slug=self.county_slug)
                 .select_related("county").first())
        if owner is not None:
            values["ags"] = ""
            self.ags_owners[owner.county.name].append(values.get("name") or ags)

    def skips_user(self, values: dict) -> bool:
        """True for a user row whose user name exists outside the copy (another county's user, an administrator)."""
        username = values.get("username")
        taken = User.objects.filter(username=username).exclude(county__slug=self.county_slug).exists()
        if taken:
            self.users_taken.append(username)
        return taken

    def notes(self) -> list[str]:
        """One German line per kind of thing left out, in the order of the sheets."""
        lines = []
        if self.county_key_owner:
            key, owner = self.county_key_owner
            lines.append(f"Kreisschlüssel nicht übernommen: {key} ist bereits {owner} zugeordnet.")
        for owner, names in self.ags_owners.items():
            count = f"{len(names)} Gemeinde" if len(names) == 1 else f"{len(names)} Gemeinden"
            lines.append(f"Amtliche Gemeindeschlüssel nicht übernommen: bereits {owner} zugeordnet ({count}).")
        if self.users_taken:
            names = ", ".join(sorted(self.users_taken))
            lines.append(f"Benutzer nicht übernommen: Benutzername bereits vergeben ({len(self.users_taken)}: "
                         f"{names}).")
        return lines
