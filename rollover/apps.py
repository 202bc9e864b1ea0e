from django.apps import AppConfig


class RolloverConfig(AppConfig):
    name = "rollover"
    verbose_name = "Fortschreibung ins Folgejahr"

    def ready(self):
        # A rollover's scenario carries its copied appropriations and expected decisions into the engine's input.
        from budgeting.selectors import SCENARIO_ADDITIONS
        from rollover.selectors import scenario_additions

        if scenario_additions not in SCENARIO_ADDITIONS:
            SCENARIO_ADDITIONS.append(scenario_additions)
