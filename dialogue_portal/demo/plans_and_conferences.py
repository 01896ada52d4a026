"""The demo's verbs for plans and conferences: create and approve a plan, schedule, announce, hold,
conclude, postpone, cancel and close a conference, approve and lock its minutes."""

import datetime

from conferences import services as conf
from conferences.models import ConferenceFormat, ConferenceKind, PlanItem
from dialogue_portal.demo.clock import at

D = datetime.date
F, K = ConferenceFormat, ConferenceKind


class ConferenceVerbs:
    """Mixed into `Story` (which provides `clock`, `w`, `org` and `last_day`)."""

    def plan(
        self,
        unit,
        year,
        *,
        by,
        approver=None,
        document=None,
        items=(),
        submit_on=None,
        approve_on=None,
        created_on=None,
    ):
        """The unit's official drafts and submits the plan; its chair (`approver`, else the administrator
        recording a paper approval) approves it — the permission matrix lets only the chair approve."""
        with self.clock.on(created_on or D(year, 1, 8)):
            plan = conf.create_plan(
                unit=unit, year=year, title=f"Kế hoạch tiếp xúc, đối thoại năm {year}", by=by, document=document
            )
            plan_items = [
                conf.add_plan_item(
                    plan=plan, by=by, topic=topic, format=fmt, kind=kind, quarter=q, month=m, chair=chair
                )
                for q, m, kind, fmt, topic, chair in items
            ]
        if submit_on or approve_on:
            with self.clock.on(submit_on or approve_on, 9):
                conf.submit_plan(plan=plan, by=by)
        if approve_on:
            with self.clock.on(approve_on, 15):
                conf.approve_plan(plan=plan, by=approver or self.admin)
        return plan, plan_items

    def complete_plan(self, plan, day, *, by):
        with self.clock.on(day):
            conf.complete_plan(plan=plan, by=by)

    def conference(self, unit, title, when, *, by, kind=K.PERIODIC, fmt=F.WORKING_SESSION_MTTQ, item=None, **fields):
        if item is not None:  # schedule_conference reads the plan's status through the item: read it fresh
            item = PlanItem.objects.select_related("plan").get(pk=item.pk)
        with self.clock.on(min(when - datetime.timedelta(days=21), self.last_day)):
            return conf.schedule_conference(
                unit=unit,
                kind=kind,
                format=fmt,
                title=title,
                planned_start=at(when, 8, 30),
                planned_end=at(when, 11, 30),
                plan_item=item,
                by=by,
                venue=fields.pop("venue", f"Hội trường UBND {unit}"),
                co_organisers=[self.org(unit, "mttq")] if (unit.pk, "mttq") in self.w.orgs else [],
                **fields,
            )

    def announce(self, c, when, *, by, lead=10):
        sent_on = when - datetime.timedelta(days=lead)
        with self.clock.on(sent_on):
            conf.announce_conference(conference=c, invitation_sent_on=sent_on, by=by)

    def hold(self, c, when, *, by, attendance, minutes=""):
        with self.clock.on(when, 17):
            conf.record_conference_held(
                conference=c, held_on=when, attendance=attendance, actual_start=at(when, 8, 30), by=by
            )
            conf.update_minutes(conference=c, by=by, text=minutes or f"Biên bản hội nghị: {c.title}.")
        c.refresh_from_db()
        return c

    def conclude(self, c, text, *, by, assignee, deadline, petitions=()):
        with self.clock.on(c.held_on, 16):
            return conf.add_conclusion_item(
                conference=c, text=text, by=by, assignee=assignee, deadline=deadline, petitions=list(petitions)
            )

    def conclusion_done(self, item, day, *, by):
        with self.clock.on(day):
            conf.mark_conclusion_done(item=item, by=by, done_on=day)

    def minutes(self, c, *, by, approve_on=None, lock_on=None):
        if approve_on:
            with self.clock.on(approve_on, 10):
                conf.set_minutes_status(conference=c, status="approved", by=by)
        if lock_on:
            with self.clock.on(lock_on, 10):
                conf.set_minutes_status(conference=c, status="locked", by=by)

    def postpone(self, c, day, *, by, new_start, reason):
        with self.clock.on(day):
            conf.postpone_conference(conference=c, by=by, new_start=new_start, reason=reason)

    def cancel(self, c, day, *, by, reason):
        with self.clock.on(day):
            conf.cancel_conference(conference=c, by=by, reason=reason)

    def close(self, c, day, *, by):
        with self.clock.on(day):
            conf.close_conference(conference=c, by=by)
