"""Listening: feedback from residents and members, how the hub closes the loop, and member perception surveys.

Anonymous means unlinkable. A ``Feedback`` row keeps no account (unless a signed-in member chose to be named), no
IP address, no user agent and no time finer than the day; its id is a random 63-bit number, so neither ids nor
(on SQLite, where the id is the row id) the physical order of the rows tell in which order they came. The
submitter's tracking code is kept only as a SHA-256 hash.

Surveys keep who answered (``SurveyParticipation``) apart from what was answered (``SurveyResponse`` and its
``SurveyAnswer`` rows, random ids, no time): in an anonymous round nothing links the two.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

TEXT_LIMIT = 4000  # characters of one piece of feedback or one answer
SCALE_MIN, SCALE_MAX = 1, 5


def random_id() -> int:
    """A random positive 63-bit id: ids say nothing about the order rows were written in."""
    return 1 + secrets.randbelow(2**63 - 2)


class ListeningSettings(models.Model):
    """Per coalition: the public address of the feedback form and the minimum number of survey answers."""

    coalition = models.OneToOneField(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="listening_settings"
    )
    public_key = models.CharField(_("public address"), max_length=40, unique=True)
    public_form_open = models.BooleanField(_("public feedback form open"), default=True)
    min_answers = models.PositiveSmallIntegerField(
        _("minimum answers for survey results"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text=_("Survey results (also for a subgroup) show only from this many answers."),
    )

    def __str__(self) -> str:
        return f"listening settings of {self.coalition_id}"


class Topic(models.TextChoices):
    SERVICES = "services", _("Services and support")
    SAFETY = "safety", _("Safety")
    ENVIRONMENT = "environment", _("Streets, housing and environment")
    HEALTH = "health", _("Health and wellbeing")
    COALITION = "coalition", _("How the coalition works")
    IDEA = "idea", _("An idea or a suggestion")
    OTHER = "other", _("Something else")


class Channel(models.TextChoices):
    PUBLIC_FORM = "public_form", _("Public form")
    MEMBER = "member", _("Member (signed in)")
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    MEETING = "meeting", _("At a meeting or event")
    PAPER = "paper", _("Paper form or letter")


RECORDED_CHANNELS = (Channel.PHONE, Channel.IN_PERSON, Channel.MEETING, Channel.PAPER)


class Status(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Being looked at")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class Feedback(models.Model):
    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="feedback")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    text = models.TextField(_("feedback"), max_length=TEXT_LIMIT)
    received_on = models.DateField(_("received on"))  # the day only, never the time
    # Only a signed-in member who chose to be named; anonymous feedback keeps nobody.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("email"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    may_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Closing the loop
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    assigned_to = models.ForeignKey(
        "coalitions.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned member"),
    )
    assigned_group = models.ForeignKey(
        "coalitions.WorkingGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned working group"),
    )
    answer = models.TextField(_("answer"), max_length=TEXT_LIMIT, blank=True)
    answered_on = models.DateField(_("first answered on"), null=True, blank=True)
    what_changed = models.TextField(_("what changed"), max_length=TEXT_LIMIT, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    led_to_action = models.ForeignKey(
        "joint_action.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("joint action it led to"),
    )
    led_to_poll = models.ForeignKey(
        "decisions.Poll",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision it led to"),
    )
    led_to_url = models.URLField(_("other record it led to (link)"), max_length=500, blank=True)
    # "You said, we did": only chosen closed items, with a summary the hub writes (never the raw text).
    on_public_page = models.BooleanField(_("show on “You said, we did”"), default=False)
    public_summary = models.CharField(_("what was said, in a sentence"), max_length=300, blank=True)

    class Meta:
        ordering = ["-received_on", "id"]
        indexes = [models.Index(fields=["coalition", "status"])]

    def __str__(self) -> str:
        return f"feedback {self.pk}"

    @property
    def is_anonymous(self) -> bool:
        return self.author_id is None


TRIAGE_FIELDS = ("topic", "urgency", "assigned_to_id", "assigned_group_id")
CLOSE_FIELDS = ("what_changed", "led_to_action_id", "led_to_poll_id", "led_to_url", "on_public_page", "public_summary")


# ------------------------------------------------------------------------------------------------- surveys


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale from 1 to 5")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    TEXT = "text", _("Free text")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SurveyRound(models.Model):
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="survey_rounds")
    title = models.CharField(_("title"), max_length=200)
    is_anonymous = models.BooleanField(
        _("anonymous"), default=True, help_text=_("Answers are never linked to who gave them.")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    created_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["-closes_on", "-pk"]

    def __str__(self) -> str:
        return self.title


ROUND_FIELDS = ("title", "is_anonymous", "opens_on", "closes_on")


class SurveyQuestion(models.Model):
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    # A bank key ("satisfaction", …) or "" for a custom question; the name is the XLSForm field name.
    bank_key = models.CharField(max_length=40, blank=True)
    name = models.SlugField(max_length=40)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)  # [[value, label], ...]

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="survey_question_name_unique")]

    def __str__(self) -> str:
        return self.text


class SurveyParticipation(models.Model):
    """That a member answered a round (never what): reminders and, in named rounds, who has not answered."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="participations")
    membership = models.ForeignKey("coalitions.Membership", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "membership"], name="answer_survey_once")]

    def __str__(self) -> str:
        return f"{self.membership_id} answered {self.round_id}"


class SurveyResponse(models.Model):
    """One set of answers. Anonymous rounds keep no membership; ``role`` and ``sector`` are the subgroups
    results may be filtered by (shown only from the minimum number of answers)."""

    class Source(models.TextChoices):
        WEB = "web", _("Online")
        IMPORT = "import", _("Collected offline")

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    membership = models.ForeignKey(
        "coalitions.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    import_key = models.CharField(max_length=64, blank=True)  # a collected row's id: re-importing adds nothing

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "import_key"], condition=~models.Q(import_key=""), name="survey_import_once"
            )
        ]

    def __str__(self) -> str:
        return f"response {self.pk}"


class SurveyAnswer(models.Model):
    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
    )
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(max_length=TEXT_LIMIT, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"answer {self.pk}"
