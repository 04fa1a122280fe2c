"""Warning signs that need a doctor: three tiers, what to do for each, and where they come from.

The signs follow NICE guideline NG59 and the NHS pages on back pain built on it;
the wording is the project's own. This is the one place they are written:
the first-run question, the warning-signs screen, help, the `!` key and any
report take them from here. Plain data, no Textual, so the command line can
print them too (`plain_text`).

It is information to help a person decide when to get help, never a diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

EMERGENCY = "emergency"
"""Tier id: call an emergency number or go to an emergency department now."""
URGENT = "urgent"
"""Tier id: see a doctor today."""
SOON = "soon"
"""Tier id: make an appointment."""


@dataclass(frozen=True)
class Sign:
    """One warning sign."""

    id: str
    """Stable id (for records and for the `!` advice), e.g. `both-legs`."""
    text: str
    """The sign in a few words, to follow "Get help if you have ..." or stand alone in a list."""
    tier: str
    """The id of the tier it belongs to."""


@dataclass(frozen=True)
class Tier:
    """A group of signs that call for the same action."""

    id: str
    """`emergency`, `urgent` or `soon`."""
    title: str
    """Its name on screen: "Emergency"."""
    action: str
    """What to do, in one short sentence: the heading of the tier."""
    advice: str
    """What to do, said plainly and first when a person says one of its signs applies."""
    signs: tuple[Sign, ...]
    """Its signs, most telling first."""


def _signs(tier: str, *pairs: tuple[str, str]) -> tuple[Sign, ...]:
    return tuple(Sign(id=sign_id, text=text, tier=tier) for sign_id, text in pairs)


TIERS: tuple[Tier, ...] = (
    Tier(
        id=EMERGENCY,
        title="Emergency",
        action="Call your emergency number or go to an emergency department now.",
        advice="Call your emergency number or go to an emergency department now. Do not do the stretches.",
        signs=_signs(
            EMERGENCY,
            ("saddle-numbness", "numbness or tingling around your genitals or buttocks"),
            ("bladder-bowel", "new trouble passing urine, or losing control of your bladder or bowels"),
            ("both-legs", "weakness, numbness or pain in both legs, or new trouble walking"),
            ("fall-or-accident", "back pain that began after a serious fall or accident"),
            ("chest-pain", "back pain together with chest pain"),
        ),
    ),
    Tier(
        id=URGENT,
        title="Urgent",
        action="See a doctor today.",
        advice="See a doctor today: call your doctor's practice, or an urgent care service if it is closed. "
               "Until you have been seen, leave out any stretch that makes the pain worse.",
        signs=_signs(
            URGENT,
            ("fever-or-unwell", "a fever, or feeling very unwell"),
            ("weight-loss", "weight loss you cannot explain"),
            ("cancer-history", "cancer, now or in the past"),
            ("weak-immunity", "a weakened immune system, or taking steroid medicines"),
            ("night-or-rest-pain", "pain that is worse at night or does not ease when you rest"),
            ("lump-or-shape", "a new lump on your back, or a change in its shape"),
        ),
    ),
    Tier(
        id=SOON,
        title="Soon",
        action="Make an appointment with a doctor or physiotherapist.",
        advice="Make an appointment with your doctor or a physiotherapist.",
        signs=_signs(
            SOON,
            ("not-improving", "pain that has not improved after a few weeks"),
            ("stops-activities", "pain that stops your daily activities, or keeps getting worse"),
            ("age-at-onset", "back pain that first started after the age of 50 or before 20"),
        ),
    ),
)
"""The three tiers, most serious first."""

NOT_A_DIAGNOSIS = ("This is information to help you decide when to get help, not a diagnosis: only a clinician "
                   "who examines you can say what is wrong. If you are unsure, ask for help.")
"""Said wherever the signs are shown."""
NOT_A_DIAGNOSIS_SHORT = "This is information, not a diagnosis."
"""The same in a few words, for where room is short (said in full further on)."""


@dataclass(frozen=True)
class Source:
    """Where the signs come from."""

    name: str
    """Its title and publisher."""
    where: str
    """Where to find it."""


SOURCES: tuple[Source, ...] = (
    Source("NICE guideline NG59, \"Low back pain and sciatica in over 16s: assessment and management\" "
           "(National Institute for Health and Care Excellence, UK)", "nice.org.uk/guidance/ng59"),
    Source("The NHS pages on back pain, built on that guideline", "nhs.uk/conditions/back-pain"),
)
"""The guidance the signs follow; named in help. Facts taken from them, wording the project's own."""


def tier(tier_id: str) -> Tier:
    """The tier with that id; KeyError for anything else."""
    for candidate in TIERS:
        if candidate.id == tier_id:
            return candidate
    raise KeyError(tier_id)


def sign(sign_id: str) -> Sign:
    """The sign with that id, from any tier; KeyError for anything else."""
    for candidate in TIERS:
        for found in candidate.signs:
            if found.id == sign_id:
                return found
    raise KeyError(sign_id)


# -- the first-run question ---------------------------------------------------

NONE_APPLIES = "none"
"""The answer "none of these signs applies"."""
SCREENING_ANSWERS = (EMERGENCY, URGENT, NONE_APPLIES)
"""What the first-run question can record: a tier whose signs apply, or none."""
SCREENED_TIERS = (EMERGENCY, URGENT)
"""The tiers the first-run question asks about (the `soon` signs are for later, not before a first stretch)."""


@dataclass(frozen=True)
class ScreeningAnswer:
    """One answer to "does any of these warning signs apply to you?", as recorded."""

    at: datetime
    """When it was given (aware)."""
    answer: str
    """One of SCREENING_ANSWERS: the tier whose sign applies, or `none`."""

    def __post_init__(self) -> None:
        if self.answer not in SCREENING_ANSWERS:
            raise ValueError(f"answer must be one of {', '.join(SCREENING_ANSWERS)}, not {self.answer!r}")
        if self.at.tzinfo is None:
            raise ValueError("the time of an answer needs its UTC offset")


# -- the "something is wrong" key -----------------------------------------------

PROBLEM_KINDS = ("sharp-pain", "numbness", "leg-pain", "dizziness", "other")
"""What the `!` key asks about, as the journal stores it (a session's `events[].kind`)."""


@dataclass(frozen=True)
class ProblemAdvice:
    """What to say when a person reports a problem during a session."""

    kind: str
    """One of PROBLEM_KINDS."""
    label: str
    """How the question offers it: "sharp or shooting pain"."""
    signs: tuple[Sign, ...]
    """Warning signs that can come with this problem, most serious first: ask about these first."""
    advice: str
    """What to do when none of those signs applies."""

    @property
    def tier(self) -> Tier:
        """The most serious tier among its signs: the one whose action to show first if a sign applies."""
        return tier(self.signs[0].tier)


def _problem(kind: str, label: str, sign_ids: tuple[str, ...], advice: str) -> ProblemAdvice:
    signs = tuple(sorted((sign(i) for i in sign_ids), key=lambda s: [t.id for t in TIERS].index(s.tier)))
    return ProblemAdvice(kind=kind, label=label, signs=signs, advice=advice)


PROBLEMS: tuple[ProblemAdvice, ...] = (
    _problem("sharp-pain", "sharp or shooting pain", ("chest-pain", "night-or-rest-pain", "stops-activities"),
             "Stop the stretch and rest in whatever position eases the pain. Leave that stretch out for now. "
             "If the pain does not ease with rest, see a doctor today; if it keeps coming back, make an appointment."),
    _problem("numbness", "numbness or tingling", ("saddle-numbness", "bladder-bowel", "both-legs"),
             "Stop the stretch and move gently into a comfortable position. If the numbness or tingling stays, "
             "spreads or keeps coming back, make an appointment."),
    _problem("leg-pain", "pain spreading down a leg", ("both-legs", "saddle-numbness", "bladder-bowel", "not-improving"),
             "Stop the stretch that brought it on and leave it out for now: stretches that pull on the back of "
             "the leg, such as the hamstring stretch, are often the ones. If pain down one leg has not improved "
             "after a few weeks, make an appointment."),
    _problem("dizziness", "dizziness", ("chest-pain", "fever-or-unwell"),
             "Stop, and sit or lie down until it passes; then get up slowly. If it comes back, see a doctor."),
    _problem("other", "something else", tuple(s.id for s in TIERS[0].signs),
             "Stop the session. If the problem does not settle, or you are worried, talk to a doctor "
             "or a physiotherapist."),
)
"""The advice for each kind the `!` key offers, in the order it offers them."""


def advice_for(kind: str) -> ProblemAdvice:
    """The advice for one of PROBLEM_KINDS; KeyError for anything else."""
    for problem in PROBLEMS:
        if problem.kind == kind:
            return problem
    raise KeyError(kind)


# -- as plain text ----------------------------------------------------------------


def plain_text() -> str:
    """Every tier with its signs, the not-a-diagnosis line and the sources, as plain text (for the command line or a report)."""
    lines = ["Warning signs that need a doctor", "", NOT_A_DIAGNOSIS]
    for each in TIERS:
        lines += ["", f"{each.title}: {each.action}"]
        lines += [f"  - {s.text}" for s in each.signs]
    lines += ["", "Sources (the wording is backrelief's own):"]
    lines += [f"  - {source.name}: {source.where}" for source in SOURCES]
    return "\n".join(lines)
