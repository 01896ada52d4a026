"""The demo's verbs for follow-up: draft, approve and publish a conference's notice, record the Front's
supervision and a commendation."""

from followup import services as follow
from followup.models import FollowUpNotice, Supervision

POSTED = "Bảng tin UBND phường; hệ thống loa truyền thanh; Cổng đối thoại trực tuyến"


class FollowUpVerbs:
    """Mixed into `Story` (which provides `clock`)."""

    def notice(self, c, *, by, chair, number, draft_on, approve_on=None, publish_on=None):
        with self.clock.on(draft_on, 14):
            notice = follow.draft_notice_from_conference(conference=c, by=by)
        FollowUpNotice.objects.filter(pk=notice.pk).update(number=number, issued_on=approve_on or draft_on)
        if approve_on:
            with self.clock.on(approve_on, 15):
                follow.approve_notice(notice=notice, by=chair)
        if publish_on:
            with self.clock.on(publish_on, 8):  # the chair publishes what they approved (permission matrix)
                follow.publish_notice(notice=notice, by=chair, posted_at=POSTED)
        return notice

    def supervise(self, day, *, unit, by, recheck_on=None, **fields):
        """Record a supervision on `day`. The re-check date is set after it: the service refuses one before
        the real today, which a date of the story may be (it is checked against the story's day here)."""
        if recheck_on is not None and recheck_on < day:
            raise ValueError("The re-check date cannot be before the day of the supervision.")
        with self.clock.on(day):
            supervision = follow.record_supervision(unit=unit, by=by, **fields)
        if recheck_on is not None:
            Supervision.objects.filter(pk=supervision.pk).update(recheck_on=recheck_on)
        return supervision

    def commend(self, day, *, unit, by, **fields):
        with self.clock.on(day, 15):
            return follow.record_commendation(unit=unit, by=by, **fields)
