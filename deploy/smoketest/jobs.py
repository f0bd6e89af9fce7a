"""Smoke steps of the background jobs: the daily compliance job through the broker, a
warm shutdown in the middle of a queue, and beat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .base import BEAT_NODE, LEARNER, SmokeBase
from .support import Service, check, wait_for


class JobSteps(SmokeBase):
    """The worker and beat at work: jobs sent through the broker, and shutdowns."""

    def daily_job(self, worker: Service) -> Service:
        with self.step("compliance.tasks.daily through the broker") as notes:
            before = self.notification_counts()
            task_id = self.send("compliance.tasks.daily")
            self.wait_for_tasks([task_id], worker, timeout=90)
            after = self.notification_counts()
            messages = self.emails()
            check(
                after["sent"] > before["sent"], f"the daily job sent nothing: {after}", worker.log
            )
            check(after["sent"] == after["rows"], f"messages left unsent: {after}", worker.log)
            check(
                len(messages) == after["emailed"],
                f"{len(messages)} emails written for {after['emailed']} messages logged as sent",
            )
            completed = [
                m
                for m in messages
                if m["To"] == f"{LEARNER}@example.com" and m["Subject"].startswith("Completed:")
            ]
            check(completed, f"no completion confirmation was emailed to {LEARNER}")
            rows, sent = self.outbox_counts()
            check(rows and sent == rows, f"the demo's enrolment emails: {sent} of {rows} sent")
            subjects = sorted({m["Subject"].split(":")[0] for m in messages})
            notes.append(
                f"{after['sent']} messages sent ({', '.join(subjects)}); "
                f"the demo's {rows} enrolment emails sent by the worker from the outbox"
            )
        return worker

    def interrupted_queue(self, worker: Service) -> Service:
        with self.step("warm shutdown in the middle of a queue, then restart") as notes:
            self.stop_worker(worker)
            # Every PDF stale, so the render jobs have work to do.
            ids = [
                row[0]
                for row in self.query(
                    "UPDATE certificates_certificate SET rendered_version = '' RETURNING id"
                )
            ]
            today = datetime.now(tz=UTC).date()
            batch = []
            for day in range(1, 9):
                batch.append(self.send("compliance.tasks.daily", str(today + timedelta(days=day))))
                for certificate_id in ids:
                    batch.append(self.send("certificates.tasks.render_certificate", certificate_id))
            batch.append(self.send("compliance.tasks.send_pending"))
            check(self.queued() == len(batch), f"expected {len(batch)} queued jobs")
            before_emails = len(self.emails())

            # One process, so that the queue drains slowly; stop it after two jobs.
            interrupted = self.worker(concurrency=1, wait=False)
            wait_for(
                "the first jobs to finish",
                lambda: sum(self.succeeded(batch).values()) >= 2,
                timeout=90,
                interval=0.05,
                log=interrupted.log,
                alive=interrupted.assert_running,
            )
            done_at_signal = sum(1 for n in self.succeeded(batch).values() if n)
            self.stop_worker(interrupted)
            done_first = sum(1 for n in self.succeeded(batch).values() if n)
            left = self.queued()
            check(left > 0, "the queue drained before the shutdown: nothing was interrupted")
            check(self.unacked() == 0, "jobs are still held by the stopped worker (not requeued)")

            worker = self.worker()
            self.wait_for_tasks(batch, worker, timeout=180)
            wait_for(
                "the queue to empty",
                lambda: self.queued() == 0 and self.unacked() == 0,
                timeout=30,
                log=worker.log,
            )
            repeated = sum(1 for n in self.succeeded(batch).values() if n > 1)

            counts = self.notification_counts()
            messages = self.emails()
            check(counts["keys"] == counts["rows"], f"duplicate notification keys: {counts}")
            check(counts["sent"] == counts["rows"], f"messages left unsent: {counts}")
            check(
                len(messages) == counts["emailed"],
                f"{len(messages)} emails written for {counts['emailed']} messages sent: "
                "something was sent twice (or lost)",
            )
            unrendered = self.query(
                "SELECT number, pdf FROM certificates_certificate WHERE rendered_version = ''"
            )
            check(not unrendered, f"certificates left unrendered: {unrendered}", worker.log)
            for (pdf,) in self.query("SELECT pdf FROM certificates_certificate"):
                check((self.tmp / "private-media" / pdf).is_file(), f"{pdf} is missing")

            # The same days again: everything is already sent.
            again = [self.send("compliance.tasks.daily", str(today + timedelta(days=8)))]
            again.append(self.send("compliance.tasks.daily"))
            self.wait_for_tasks(again, worker, timeout=60)
            check(self.notification_counts() == counts, "a repeated daily run logged new messages")
            check(len(self.emails()) == len(messages), "a repeated daily run sent emails again")
            notes.append(
                f"{len(batch)} jobs (8 daily runs, {8 * len(ids)} renders, 1 send_pending); "
                f"SIGTERM after {done_at_signal}, {done_first - done_at_signal} finished during "
                f"the warm shutdown, {left} left queued and all done after the restart "
                f"({repeated} ran twice); {len(messages) - before_emails} new emails, each once"
            )
        return worker

    def beat_alive(self, beat: Service) -> None:
        with self.step("beat") as notes:
            beat.assert_running()
            files = sorted(p.name for p in (self.tmp / "beat").glob("celerybeat-schedule*"))
            check(files, "beat wrote no schedule file", beat.log)
            replies = self.ping(BEAT_NODE)
            check(replies, "beat did not answer a ping", beat.log)
            check("beat: Starting" in beat.log_text(), "beat never logged its start", beat.log)
            notes.append(f"answers ping; schedule in {', '.join(files)}")
