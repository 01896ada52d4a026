"""`manage.py bench`: time the queries the portal's busiest pages run, and print the figures.

Measures querysets directly (so the figures exist before the pages do): a ward official's and
a supervisor's petition inbox (first page of 25, newest first, with and without filters), the
overdue count of a unit, a year's petitions per status for a unit, and the admin changelist's
first page; and, when the URL names exist, a logged-in GET of `petitions:inbox`, `dashboard` and
`conferences:conference_list` for the official and the supervisor, and of the admin petitions
changelist for a superuser (a temporary one, rolled back afterwards, when there is none).
Each figure is the median of `--repeat` runs, after one warm-up run.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from petitions.models import Petition, PetitionStatus
from units.models import Membership, Role

PAGE = 25


class Command(BaseCommand):
    help = "Time the petition inbox, overdue count, dashboard aggregates and admin changelist queries."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5, help="Runs per figure (the median is printed).")
        parser.add_argument("--official", help="Username of a ward official (default: the first one found).")
        parser.add_argument("--supervisor", help="Username of a supervisor (default: the first one found).")
        parser.add_argument(
            "--year", type=int, default=None, help="Year for the per-status figures (default: this one)."
        )

    def handle(self, *args, repeat, official, supervisor, year, **options):
        self.repeat = max(1, repeat)
        year = year or timezone.localdate().year
        official = self._user(official, Role.UNIT_OFFICIAL)
        supervisor = self._user(supervisor, Role.SUPERVISOR)
        unit = official.memberships.filter(role=Role.UNIT_OFFICIAL).select_related("unit").first().unit
        today = timezone.localdate()
        total = Petition.objects.count()
        self.stdout.write(
            f"{connection.vendor}, {total:,} petitions; official {official} ({unit}), supervisor {supervisor}; "
            f"median of {self.repeat} runs"
        )
        self.rows = []

        def inbox(user, **filters):
            return lambda: list(
                Petition.objects.visible_to(user).filter(**filters).order_by("-submitted_at", "-id")[:PAGE]
            )

        self._time("inbox, official, first page", inbox(official))
        self._time("inbox, official, status=in progress", inbox(official, status=PetitionStatus.IN_PROGRESS))
        self._time("inbox, supervisor, first page", inbox(supervisor))
        self._time(
            "inbox, supervisor, open + category",
            lambda: list(
                Petition.objects.visible_to(supervisor)
                .open()
                .filter(category_id=Petition.objects.values("category_id")[:1])
                .order_by("-submitted_at", "-id")[:PAGE]
            ),
        )
        self._time(
            "inbox, supervisor, page 200",
            lambda: list(
                Petition.objects.visible_to(supervisor).order_by("-submitted_at", "-id")[PAGE * 199 : PAGE * 200]
            ),
        )
        self._time("overdue count, official's unit", lambda: Petition.objects.filter(unit=unit).overdue(today).count())
        self._time(
            "overdue count, supervisor's scope", lambda: Petition.objects.visible_to(supervisor).overdue(today).count()
        )
        self._time(
            f"petitions per status, unit, {year}",
            lambda: list(
                Petition.objects.filter(unit=unit, submitted_at__year=year).values("status").annotate(n=Count("id"))
            ),
        )
        self._time(
            f"petitions per status, supervisor's scope, {year}",
            lambda: list(
                Petition.objects.visible_to(supervisor)
                .filter(submitted_at__year=year)
                .order_by()
                .values("status")
                .annotate(n=Count("id"))
            ),
        )
        self._time(
            f"petitions per category, supervisor's scope, {year}",
            lambda: list(
                Petition.objects.visible_to(supervisor)
                .filter(submitted_at__year=year)
                .order_by()
                .values("category__name")
                .annotate(n=Count("id"))
            ),
        )
        self._pages(official, supervisor)
        width = max(len(label) for label, *_ in self.rows)
        self.stdout.write(f"{'what':<{width}}  {'median ms':>10}  {'max ms':>8}  {'queries':>7}")
        for label, median, worst, queries in self.rows:
            self.stdout.write(f"{label:<{width}}  {median:>10.1f}  {worst:>8.1f}  {queries:>7}")

    def _user(self, username, role):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(username=username)
            except User.DoesNotExist:
                raise CommandError(f"No user {username!r}.")
        membership = Membership.objects.filter(role=role, is_active=True).select_related("user").order_by("pk").first()
        if membership is None:
            raise CommandError(f"No user with the role {role}: run `manage.py load_demo` first.")
        return membership.user

    def _time(self, label, fn):
        fn()  # warm-up (and the per-user scope cache)
        times = []
        with CaptureQueriesContext(connection) as ctx:
            fn()
        queries = len(ctx.captured_queries)
        for _ in range(self.repeat):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        reset_queries()
        self.rows.append((label, statistics.median(times), max(times), queries))

    def _pages(self, official, supervisor):
        """Time the pages themselves when they exist (a fresh client per user, logged in)."""
        pages = []
        for name in ("petitions:inbox", "dashboard", "conferences:conference_list"):
            try:
                pages.append((name, reverse(name)))
            except NoReverseMatch:
                self.stdout.write(f"(no URL named {name!r} yet: page not timed)")
        try:
            pages.append(("admin changelist", reverse("admin:petitions_petition_changelist")))
        except NoReverseMatch:
            pass
        with transaction.atomic():
            admin = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if admin is None:  # time the admin as a superuser would see it; the user is rolled back below
                admin = get_user_model().objects.create_superuser("bench_admin_tmp", "bench@example.invalid", None)
            self._get_pages(pages, (official, supervisor, admin))
            transaction.set_rollback(True)

    def _get_pages(self, pages, users):
        for user in users:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            for name, url in pages:
                if name == "admin changelist" and not user.is_staff:
                    continue

                def get(url=url, client=client, user=user):
                    response = client.get(url)
                    if response.status_code != 200:
                        raise CommandError(f"GET {url} as {user} answered {response.status_code}.")

                try:
                    self._time(f"GET {name} as {user}", get)
                except CommandError as exc:
                    self.stdout.write(str(exc))
