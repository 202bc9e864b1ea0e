"""Roles are Django groups; their permissions are kept in sync after every migrate."""
from django.db.models.signals import post_migrate
from django.dispatch import receiver

KI_STAFF = "KI-Mitarbeitende"
FINANCE = "Finanzcontrolling"
COMMITTEE = "Ausschussmitglieder"
ADMINISTRATION = "Administration"

# Land reference data: administrators edit, everyone else reads.
REFERENCE_MODELS = {
    ("programmes", "programme"), ("programmes", "module"), ("programmes", "fundedslot"),
    ("programmes", "fundingrate"), ("staffing", "paygrade"), ("staffing", "workplacecost"),
}
FINANCE_EDIT_MODELS = {("budgeting", "appropriation"), ("budgeting", "coveragesource"), ("budgeting", "budgetline"),
                       ("drawdowns", "drawdown"),
                       ("actuals", "actualcost"), ("actuals", "importbatch"), ("actuals", "importedrow"),
                       ("actuals", "vacancy"),
                       # Proofs of use: finance officers prepare the statement, KI staff write the Sachbericht.
                       ("proofs", "proofofuse"), ("proofs", "recipientproof"),
                       # Background tasks (PDFs, imports): KI staff and finance officers start and follow them.
                       ("tasks", "taskrun")}
# The value limits of the budget statute (§ 83 GO NRW): finance officers and administrators edit, KI staff read.
FINANCE_ONLY_EDIT_MODELS = {("provisions", "provisionstatute"), ("provisions", "provisionstage"),
                            ("provisions", "programmespendingkind"),
                            # The year-end rollover (issue 12 §6): finance officers take it into the plan.
                            ("rollover", "rollover"), ("rollover", "rolloverappropriation"),
                            ("rollover", "expecteddecision"), ("rollover", "expectedslot")}
DOMAIN_APPS = {"programmes", "staffing", "budgeting", "reports", "provisions", "drawdowns", "actuals", "rollover",
               "proofs", "tasks"}
# Committee members read the reports and the papers issued to them, and nothing else of the reports app.
COMMITTEE_READ = {("reports", "view_report"), ("reports", "view_issuedreport")}
AUDIT_READ = ("audit", "view_changelog")
# Administrators see and release login locks (django-axes) and remove a lost authenticator app (django-otp).
LOGIN_SECURITY = {("axes", "view_accessattempt"), ("axes", "delete_accessattempt"), ("axes", "view_accesslog"),
                  ("axes", "view_accessfailurelog"), ("otp_totp", "view_totpdevice"),
                  ("otp_totp", "delete_totpdevice")}


def role_permissions():
    """Map each role to the (app_label, codename) pairs it holds."""
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS | {"kimportal"}).select_related(
        "content_type")
    roles = {KI_STAFF: set(), FINANCE: set(), COMMITTEE: set(), ADMINISTRATION: set()}
    for perm in perms:
        app, model = perm.content_type.app_label, perm.content_type.model
        key = (app, perm.codename)
        action = perm.codename.split("_", 1)[0]
        if app == "kimportal":
            roles[ADMINISTRATION].add(key)
            if action == "view" and model in {"county", "municipality", "partner"}:
                roles[KI_STAFF].add(key)
                roles[FINANCE].add(key)
            # KI staff record their county's partners (employers, recipients of pass-throughs) like positions.
            if action in ("add", "change") and model == "partner":
                roles[KI_STAFF].add(key)
            continue
        roles[ADMINISTRATION].add(key)
        if action == "view":
            roles[KI_STAFF].add(key)
            roles[FINANCE].add(key)
            continue
        if (app, model) in FINANCE_ONLY_EDIT_MODELS:
            roles[FINANCE].add(key)
        elif (app, model) in FINANCE_EDIT_MODELS:
            roles[FINANCE].add(key)
            roles[KI_STAFF].add(key)
        elif (app, model) not in REFERENCE_MODELS:
            roles[KI_STAFF].add(key)
    roles[COMMITTEE] |= COMMITTEE_READ
    # The audit page: finance officers for their county, administrators for all (audit.views).
    roles[FINANCE].add(AUDIT_READ)
    roles[ADMINISTRATION].add(AUDIT_READ)
    roles[ADMINISTRATION] |= LOGIN_SECURITY
    # A KI may add programmes of its own (project funds); views restrict them to county programmes.
    for action in ("add", "change", "delete"):
        roles[KI_STAFF].add(("programmes", f"{action}_programme"))
    return roles


def sync_roles(**kwargs):
    from django.contrib.auth.models import Group, Permission

    by_key = {(p.content_type.app_label, p.codename): p
              for p in Permission.objects.select_related("content_type")}
    for name, keys in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([by_key[k] for k in keys if k in by_key])


@receiver(post_migrate)
def _sync_roles_after_migrate(sender, **kwargs):
    if sender.name == "reports":
        sync_roles()
