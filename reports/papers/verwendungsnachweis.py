"""The proof of use (Verwendungsnachweis) of a fiscal year: per grant decision the numerical statement and the factual
report, for the granting authority and the committee.

Per decision whose period touches the year (DOMAIN.md "After the decision"; proofs.statement has the rules):
income and spending per cost type with plan, actual (or forecast while months have no actuals) and difference;
granted, received, due and the amount to repay (the demo's 13.750 € for the vacant case-management post, 2022);
the pass-throughs with the recipients' own proofs (received or outstanding); the Sachbericht KI staff wrote; the status
(due, submitted, checked). Then the coverage sources' proofs (the Integrationspauschale's was due 31.03.2023).
As PDF in the county's layout and as XLSX (proofs.workbook).
"""
from __future__ import annotations

from django.utils import timezone

from kimportal.models import County
from kimportal.money import format_money_exact
from proofs.selectors import DecisionProof, source_proofs, year_proofs
from proofs.statement import ZERO, Row

from reports.registry import FISCAL_YEAR, Report, ReportParams, german_date, register


def _row(row: Row) -> dict:
    return {"key": row.key, "label": row.label, "plan": row.plan, "result": row.result, "difference": row.difference}


def proof_data(proof: DecisionProof) -> dict:
    """One decision's statement as the paper and the workbook show it (EUR as Decimal; dates as German text)."""
    made = proof.statement
    record = proof.record
    return {
        "key": proof.key,
        "label": proof.label,
        "kind": proof.kind,
        "period": f"{german_date(proof.start)}–{german_date(proof.end)}",
        "authority": proof.decision.authority,
        "reference": proof.decision.reference,
        "issued_on": german_date(proof.decision.issued_on),
        "decision_period": f"{german_date(proof.decision.period_start)}–{german_date(proof.decision.period_end)}",
        "granted": proof.grant.amount,
        "granted_basis": proof.grant.basis,
        "received": made.received,
        "plan_grant": made.plan_grant,
        "lost_grant": made.lost_grant,
        "grant_due": made.grant_due,
        "repayment": made.repayment,
        "still_to_call": made.still_to_call,
        "not_used": made.not_used,
        "spending": [_row(r) for r in made.spending],
        "spending_total": _row(made.spending_total),
        "income": [_row(r) for r in made.income],
        "income_total": _row(made.income_total),
        "recipients": [{
            "recipient": r.recipient, "amount": r.amount, "purpose": r.purpose, "checked_by": r.checked_by,
            "status": r.status(timezone.localdate()), "used": r.used, "repayment": r.repayment,
            "outstanding": r.received_on is None,
        } for r in made.recipients],
        "notes": made.notes,
        "months": made.months,
        "open_months": made.open_months,
        "status": proof.status,
        "deadline": german_date(proof.deadline),
        "factual_report": record.factual_report if record else "",
    }


@register
class ProofOfUseReport(Report):
    slug = "verwendungsnachweis"
    title = "Verwendungsnachweis"
    description = ("Je Zuwendungsbescheid eines Haushaltsjahres der zahlenmäßige Nachweis (Einnahmen und Ausgaben je "
                   "Kostenart, bewilligt / Ist / Differenz, Rückzahlung), die Weiterleitungen mit den Nachweisen der "
                   "Empfänger, der Sachbericht und der Stand des Nachweises; als PDF und XLSX.")
    parameters = (FISCAL_YEAR,)
    landscape = False
    default_subject = "Verwendungsnachweise der Landesförderung"
    default_preliminary_remarks = (
        "Die Verwaltung weist die Verwendung der Zuwendungen des Landes für das Haushaltsjahr nach: je "
        "Zuwendungsbescheid mit einem zahlenmäßigen Nachweis und einem Sachbericht.")
    default_explanations = (
        "Ausgaben: Ist-Kosten der Stellen aus der Lohnabrechnung bzw. dem Haushalts-, Kassen- und Rechnungswesen; "
        "Monate ohne Ist-Kosten stehen mit dem Plan (Hochrechnung). Förderung für unbesetzte Monate steht nicht zu und "
        "ist, soweit schon ausgezahlt, zurückzuzahlen.")

    def build(self, county: County, params: ReportParams, *, show_names: bool = False) -> dict:
        year = params.fiscal_year
        proofs = [proof_data(p) for p in year_proofs(county, year)]
        sources = [{
            "name": s.source.name, "legal_basis": s.source.legal_basis, "status": s.status,
            "deadline": german_date(s.deadline), "amount": s.source.amount,
        } for s in source_proofs(county)]
        repaying = [p for p in proofs if p["repayment"]]
        return {
            "year": str(year),
            "proofs": proofs,
            "sources": sources,
            "totals": {key: sum((p[key] or ZERO for p in proofs), ZERO)
                       for key in ("granted", "received", "grant_due", "repayment", "still_to_call")},
            "provisional": any(p["open_months"] for p in proofs),
            # Repayments are the paper's financial effect (no unplanned provision: they reduce the grant income).
            "financial_effects": {
                "provision_needed": False,
                "lines": [f"Rückzahlung an das Land: {format_money_exact(p['repayment'])} ({p['label']})"
                          for p in repaying],
                "decision": "",
            } if repaying else None,
        }

    def figures(self, data: dict) -> list[tuple[str, str, str]]:
        figures = []
        for proof in data["proofs"]:
            figures.append((f"due:{proof['key']}", f"Zustehende Förderung {proof['label']}",
                            format_money_exact(proof["grant_due"])))
            figures.append((f"repay:{proof['key']}", f"Rückzahlung {proof['label']}",
                            format_money_exact(proof["repayment"])))
        return figures

    def workbook(self, data: dict, county: County, params: ReportParams) -> bytes:
        from proofs.workbook import proof_workbook

        return proof_workbook(data, county)
