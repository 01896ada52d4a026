"""The citizens' portal: public pages, no account. Views parse, check, call one service, render.

Flow of a petition: `petition_new` (form) → `petition_preview` (check, CAPTCHA, send) →
`petition_sent` (the tracking code). The draft between the steps lives in the session and its
files in the drafts storage (see `citizens.drafts`).

Longer than ~500 lines on purpose: every public page is here so that one file shows all a citizen can
reach without an account (and so every rate limit, no-store header and privacy filter on that surface);
each view only parses, calls `citizens.public` or a service, and renders.
"""

import json
import time

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from citizens import drafts, public
from citizens.forms import (
    KIND_HELP,
    HomeWardForm,
    MyDataForm,
    PetitionForm,
    SendForm,
    TrackForm,
    VerdictForm,
    current_wards,
    upcoming_conferences,
)
from citizens.ratelimits import (
    CAPTCHA,
    FORM,
    MY_DATA,
    MY_DATA_CONTACT,
    SEND,
    SENT_PER_PHONE,
    TRACK,
    count,
    exhausted,
    rate_limit,
    rate_limited,
)
from citizens.validators import normalise_text
from conferences.models import HELD_STATUSES, Conference, ConferenceStatus
from conferences.uploads import download_response
from followup.models import FollowUpNotice
from notifications.alerts import erase_subscriptions
from petitions.codes import display_tracking_code, normalise_tracking_code
from petitions.models import ROUTED_OUT_KINDS, Petition, PetitionKind
from petitions.services import ROUTING_GUIDANCE, anonymise_petitioner, record_verdict, submit_petition

MY_DATA_KEY = "citizens_my_data"
MY_DATA_MAX_AGE = 15 * 60  # seconds a proven code + contact stays valid in the session
# What the citizen typed before choosing a complaint or a denunciation, so the form comes back filled in.
TYPED_KEY = "citizens_petition_typed"
TYPED_FIELDS = {
    "unit": 20,
    "category": 20,
    "title": 200,
    "content": 10000,
    "location": 300,
    "petitioner_name": 150,
    "petitioner_phone": 40,
    "petitioner_email": 254,
    "requested_conference": 20,
}
PERSONAL_FIELDS = ("petitioner_name", "petitioner_phone", "petitioner_email", "petitioner_address")


def _filter_query(request) -> str:
    """Return the query string of the list filters, without the page number."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _ward_from(value):
    """Return today's ward with id `value`, or None for anything else (never an error)."""
    try:
        return current_wards().filter(pk=int(value)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def home(request):
    form = HomeWardForm(request.GET or None)
    ward = form.cleaned_data.get("ward") if form.is_bound and form.is_valid() else None
    context = {
        "ward_form": form,
        "ward": ward,
        "conferences": list(public.upcoming_conferences_of(ward)) if ward else [],
        "notices": list(public.latest_notices(ward=ward)),
        "figures": public.portal_figures(),
        "old_names": public.old_ward_names(),
    }
    return render(request, "citizens/home.html", context)


# --- Sending a petition -------------------------------------------------------------------------


def _kind_choices(form):
    return [
        {"value": value, "label": label, "help": KIND_HELP[value], "routed_out": value in ROUTED_OUT_KINDS}
        for value, label in PetitionKind.choices
    ]


@sensitive_variables("typed")
def _keep_typed(request) -> None:
    """Keep what was typed (not the kind, not the files) so that "back to the form" shows it again.

    Nothing is checked here: the values are only shown back in the form (escaped), never filed."""
    typed = {}
    for name, max_length in TYPED_FIELDS.items():
        value = request.POST.get(name, "")
        if isinstance(value, str) and value:
            typed[name] = normalise_text(value.replace("\x00", ""))[:max_length]
    typed["show_name_publicly"] = bool(request.POST.get("show_name_publicly"))
    request.session[TYPED_KEY] = typed


def _routed_out(request, kind):
    _keep_typed(request)
    reason = "complaint" if kind == PetitionKind.COMPLAINT else "denunciation"
    context = {
        "kind_label": PetitionKind(kind).label,
        "guidance": ROUTING_GUIDANCE[reason],
        "had_files": bool(request.FILES),
    }
    return render(request, "citizens/petition_routed_out.html", context)


def _conference_from(value, ward):
    """Return the upcoming conference with id `value` of `ward` (that the form offers), or None."""
    if ward is None:
        return None
    try:
        return upcoming_conferences(ward).filter(pk=int(value)).first()
    except (TypeError, ValueError, OverflowError):
        return None


@never_cache
@sensitive_post_parameters(*PERSONAL_FIELDS)
@sensitive_variables("draft", "initial", "typed")
@rate_limit(FORM)
def petition_new(request):
    draft = drafts.load_draft(request)
    has_files = bool(draft and draft.get("files"))
    if request.method == "POST":
        if request.POST.get("kind") in ROUTED_OUT_KINDS:
            return _routed_out(request, request.POST["kind"])
        request.session.pop(TYPED_KEY, None)
        form = PetitionForm(
            request.POST, request.FILES, ward=_ward_from(request.POST.get("unit")), has_draft_files=has_files
        )
        if form.is_valid():
            drafts.save_draft(
                request,
                fields=form.draft_fields(),
                uploads=form.cleaned_data["attachments"],
                keep_files=not form.cleaned_data.get("remove_attachments"),
            )
            return redirect("citizens:petition_preview")
    else:
        typed = request.session.pop(TYPED_KEY, None) or {}
        initial = {key: value for key, value in (draft or {}).items() if key not in ("token", "files")}
        initial.update(typed)
        if typed:
            initial.pop("kind", None)  # they chose a complaint or a denunciation: let them choose again
        ward = _ward_from(request.GET.get("ward")) or _ward_from(initial.get("unit"))
        if ward and "unit" not in initial:
            initial["unit"] = ward.pk
        conference = _conference_from(request.GET.get("conference"), ward)
        if conference is not None:
            initial["unit"] = ward.pk
            initial["requested_conference"] = conference.pk
        form = PetitionForm(initial=initial, ward=ward or None, has_draft_files=has_files)
    context = {
        "form": form,
        "kinds": _kind_choices(form),
        "draft_files": draft.get("files", []) if draft else [],
        "old_names": public.old_ward_names(),
    }
    return render(request, "citizens/petition_form.html", context)


def _checked_draft(request):
    """Return (draft, form) with the draft re-validated against today's data, or (None, None)."""
    draft = drafts.load_draft(request)
    if not draft:
        return None, None
    form = PetitionForm(data={k: v for k, v in draft.items() if k not in ("token", "files")})
    if not form.is_valid():
        return draft, None
    return draft, form


@never_cache
@sensitive_post_parameters(*PERSONAL_FIELDS)
@sensitive_variables("draft", "checked", "data", "shown")
def petition_preview(request):
    draft, checked = _checked_draft(request)
    if draft is None:
        messages.info(request, _("Fill in the form first."))
        return redirect("citizens:petition_new")
    if checked is None:
        messages.error(request, _("Something in your petition needs checking again. Please review the form."))
        return redirect("citizens:petition_new")
    form = SendForm(request.POST or None)
    # Only petitions sent count against the address and the phone number; wrong CAPTCHAs have their own budget.
    if request.method == "POST":
        if exhausted(request, CAPTCHA + SEND):
            return rate_limited(request)
        if not form.is_valid():
            count(request, CAPTCHA)
    if request.method == "POST" and form.is_valid():
        if exhausted(request, SENT_PER_PHONE):
            return rate_limited(request)
        data = checked.cleaned_data
        files = drafts.open_files(draft)
        try:
            petition = submit_petition(
                unit=data["unit"],
                kind=data["kind"],
                category=data["category"],
                title=data["title"],
                content=data["content"],
                location=data["location"],
                petitioner_name=data["petitioner_name"],
                petitioner_phone=data["petitioner_phone"].as_e164,
                petitioner_email=data["petitioner_email"],
                show_name_publicly=data["show_name_publicly"],
                consent=data["consent"],
                requested_conference=data["requested_conference"],
                attachments=files,
                ip=client_ip(request),
            )
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("citizens:petition_new")
        finally:
            for file, _content_type in files:
                file.close()
        count(request, SEND + SENT_PER_PHONE)
        drafts.discard_draft(request)
        request.session[drafts.SENT_KEY] = {"code": petition.tracking_code, "email": bool(petition.petitioner_email)}
        return redirect("citizens:petition_sent")
    shown = {**checked.cleaned_data, "kind_label": PetitionKind(checked.cleaned_data["kind"]).label}
    context = {"form": form, "petition": shown, "files": draft.get("files", [])}
    return render(request, "citizens/petition_preview.html", context)


@never_cache
def petition_sent(request):
    sent = request.session.get(drafts.SENT_KEY)
    if not sent:
        return redirect("citizens:petition_new")
    code = sent["code"]
    context = {
        "code": code,
        "display_code": display_tracking_code(code),
        "spoken_groups": [" ".join(code[:5]), " ".join(code[5:])],
        "email": sent.get("email"),
    }
    return render(request, "citizens/petition_sent.html", context)


# --- Following a petition ------------------------------------------------------------------------


def _not_found(request):
    """The one answer for every code that is malformed or unknown: nothing tells them apart."""
    return render(request, "citizens/track_form.html", {"form": TrackForm(), "not_found": True}, status=404)


def _failed_look_up(request):
    """Count an unknown code against the address and answer "not found" (the next look-up checks the budget)."""
    count(request, TRACK)
    return _not_found(request)


@never_cache
def track(request):
    if "code" not in request.GET:
        return render(request, "citizens/track_form.html", {"form": TrackForm()})
    # Only unknown codes count; once an address has used up its budget, every look-up is refused, so a
    # guesser cannot tell a right code (found) from a wrong one (refused).
    if exhausted(request, TRACK):
        return rate_limited(request)
    form = TrackForm(request.GET)
    petition = public.track_lookup(form.cleaned_data["code"]) if form.is_valid() else None
    if petition is None:
        return _failed_look_up(request)
    return redirect("citizens:track_detail", code=petition.tracking_code)


def _track_page(request, petition, verdict_form=None):
    if public.is_routed_out(petition):
        context = {"petition": petition, "guidance": public.routing_guidance(petition)}
        return render(request, "citizens/track_routed_out.html", context)
    can_verdict = public.can_give_verdict(petition)
    context = {
        "petition": petition,
        "steps": public.public_timeline(petition),
        "attachment_count": petition.attachments.count(),
        "can_verdict": can_verdict,
        "verdict_form": verdict_form or (VerdictForm() if can_verdict else None),
        "overdue": petition.is_overdue(),
    }
    return render(request, "citizens/track_detail.html", context)


def _lookup_or_none(code):
    """Return (canonical code or None, petition or None) for a code taken from the URL."""
    canonical = normalise_tracking_code(code)
    return canonical, (public.track_lookup(canonical) if canonical else None)


@never_cache
def track_detail(request, code):
    if exhausted(request, TRACK):
        return rate_limited(request)
    canonical, petition = _lookup_or_none(code)
    if petition is None:
        return _failed_look_up(request)
    if canonical != code:
        return redirect("citizens:track_detail", code=canonical)
    return _track_page(request, petition)


@never_cache
@require_POST
def verdict(request, code):
    if exhausted(request, TRACK):
        return rate_limited(request)
    _canonical, petition = _lookup_or_none(code)
    if petition is None:
        return _failed_look_up(request)
    if not public.can_give_verdict(petition):
        messages.info(request, _("Your verdict on this answer has already been recorded, or no answer is due yet."))
        return redirect("citizens:track_detail", code=petition.tracking_code)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return _track_page(request, petition, verdict_form=form)
    try:
        given = record_verdict(
            petition=petition,
            verdict=form.cleaned_data["verdict"],
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
            ip=client_ip(request),
        )
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    else:
        if given.verdict == "not_resolved":
            messages.success(request, _("Thank you. Your petition has been reopened and the ward has been alerted."))
        else:
            messages.success(request, _("Thank you for your verdict."))
    return redirect("citizens:track_detail", code=petition.tracking_code)


@never_cache
def answer_evidence(request, code, answer_id):
    """Serve the evidence file of an answer, to whoever holds the petition's code; nothing else."""
    if exhausted(request, TRACK):
        return rate_limited(request)
    _canonical, petition = _lookup_or_none(code)
    answer = public.evidence_answer(petition, answer_id) if petition else None
    if answer is None:
        count(request, TRACK)
        raise Http404
    name = answer.evidence.name.rsplit("/", 1)[-1]
    return download_response(answer.evidence.open("rb"), filename=name)


# --- Notices and conferences ----------------------------------------------------------------------


class WardFilterMixin:
    """Read the ward / year filter from the query string; bad values just mean "no filter"."""

    filter_years = False

    def get_filter_form(self):
        from citizens.forms import WardFilterForm

        if not hasattr(self, "_filter_form"):
            years = range(timezone.localdate().year, 2016, -1) if self.filter_years else ()
            self._filter_form = WardFilterForm(self.request.GET or None, years=years)
        return self._filter_form


class NoticeListView(WardFilterMixin, ListView):
    template_name = "citizens/notice_list.html"
    context_object_name = "notices"
    paginate_by = 20
    filter_years = True

    def get_queryset(self):
        replaced = FollowUpNotice.objects.published().filter(replaces=OuterRef("pk"))
        qs = (
            FollowUpNotice.objects.published()
            .select_related("unit", "conference")
            .annotate(is_replaced=Exists(replaced))
            .order_by("-published_at", "-pk")
        )
        form = self.get_filter_form()
        if form.value("ward"):
            qs = qs.filter(unit=form.value("ward"))
        if form.value("year"):
            qs = qs.filter(published_at__year=form.value("year"))
        return qs

    def paginate_queryset(self, queryset, page_size):
        """Show the nearest page for a bad page number instead of a 404."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.get_filter_form(), filter_query=_filter_query(self.request), **kwargs
        )


class NoticeDetailView(DetailView):
    template_name = "citizens/notice_detail.html"
    context_object_name = "notice"

    def get_queryset(self):
        return FollowUpNotice.objects.published().select_related("unit", "conference", "document", "replaces")

    def get_context_data(self, **kwargs):
        petitions = self.object.petitions.public().select_related("category").order_by("submitted_at", "pk")
        # A corrected notice stays public, marked as replaced, with a link to the one in force.
        replaced_by = self.object.published_replacement()
        return super().get_context_data(petitions=petitions, replaced_by=replaced_by, **kwargs)


def conference_calendar(request):
    from citizens.forms import WardFilterForm

    form = WardFilterForm(request.GET or None)
    qs = Conference.objects.public()
    if form.value("ward"):
        qs = qs.filter(unit=form.value("ward"))
    upcoming = qs.filter(
        status__in=(ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED, ConferenceStatus.POSTPONED),
        planned_start__gte=timezone.now(),
    ).order_by("planned_start")[:50]
    held = Paginator(qs.filter(status__in=HELD_STATUSES).order_by("-held_on", "-planned_start"), 20)
    page = held.get_page(request.GET.get("page"))
    context = {
        "filter_form": form,
        "filter_query": _filter_query(request),
        "upcoming": list(upcoming),
        "page_obj": page,
        "held": page.object_list,
    }
    return render(request, "citizens/conference_calendar.html", context)


class ConferenceDetailView(DetailView):
    template_name = "citizens/conference_detail.html"
    context_object_name = "conference"

    def get_queryset(self):
        return Conference.objects.public()

    def get_context_data(self, **kwargs):
        conference = self.object
        held = conference.status in HELD_STATUSES
        return super().get_context_data(
            held=held,
            # Offered only for a conference the petition form offers (planned or announced, not yet held).
            can_raise=upcoming_conferences(conference.unit).filter(pk=conference.pk).exists(),
            figures=public.conference_figures(conference) if held else None,
            notices=list(conference.notices.published().order_by("published_at")),
            **kwargs,
        )


# --- My data --------------------------------------------------------------------------------------


def _proven_petitions(request) -> list[Petition]:
    proof = request.session.get(MY_DATA_KEY)
    if not proof or time.time() - proof.get("at", 0) > MY_DATA_MAX_AGE:
        request.session.pop(MY_DATA_KEY, None)
        return []
    return list(
        Petition.objects.filter(pk__in=proof["ids"], anonymised_at__isnull=True)
        .select_related("unit", "category", "requested_conference")
        .order_by("submitted_at")
    )


@never_cache
@sensitive_post_parameters("code", "contact")
@rate_limit(MY_DATA)
def my_data(request):
    form = MyDataForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Per contact too (failures only), against guessing the codes of one person from many addresses.
        request.citizens_contact = ":".join(form.cleaned_data["contact"])
        if exhausted(request, MY_DATA_CONTACT):
            return rate_limited(request)
        petitions = public.petitions_of_contact(form.cleaned_data["code"], form.cleaned_data["contact"])
        if petitions:
            request.session[MY_DATA_KEY] = {"ids": [p.pk for p in petitions], "at": time.time()}
            return redirect("citizens:my_data_result")
        count(request, MY_DATA_CONTACT)
        form.add_error(None, _("We found no petition with this code and this phone number or e-mail."))
    return render(request, "citizens/my_data_form.html", {"form": form})


@never_cache
def my_data_result(request):
    petitions = _proven_petitions(request)
    if not petitions:
        return redirect("citizens:my_data")
    context = {"petitions": petitions, "subscriptions": list(public.alert_subscriptions_of(petitions))}
    return render(request, "citizens/my_data_result.html", context)


@never_cache
def my_data_download(request):
    petitions = _proven_petitions(request)
    if not petitions:
        return redirect("citizens:my_data")
    body = json.dumps(public.personal_data_export(petitions), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="du-lieu-cua-toi.json"'
    return response


@never_cache
def my_data_erase(request):
    petitions = _proven_petitions(request)
    if not petitions:
        return redirect("citizens:my_data")
    if request.method == "POST":
        # The e-mail alerts of the addresses given go too (read before the petitions forget the addresses).
        erase_subscriptions(emails=public.petition_emails(petitions))
        for petition in petitions:
            anonymise_petitioner(petition=petition, ip=client_ip(request))
        request.session.pop(MY_DATA_KEY, None)
        messages.success(
            request,
            _("Your name and contact details were erased from %(count)s petition(s). Their substance is kept.")
            % {"count": len(petitions)},
        )
        return redirect(reverse("citizens:my_data"))
    context = {"petitions": petitions, "subscriptions": list(public.alert_subscriptions_of(petitions))}
    return render(request, "citizens/my_data_erase.html", context)
