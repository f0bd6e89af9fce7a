"""The project URLs that only read: GET and HEAD do not change what they show, and
they take no POSTs (``test_safe_views_do_not_take_posts`` checks the views)."""

#: Project URLs that only read. (Some record a visit, as the lesson page records
#: progress; none acts on a POST.)
SAFE = {
    "health",
    "health-live",
    "health/live/",
    "learner:dashboard",
    "learner:continue",
    "learner:attempt",
    "learner:course_complete",
    "compliance:calendar",
    "compliance:calendar_feed",
    "certificates:list",
    "certificates:verify_form",
    "certificates:verify",
    "certificates:download",
    "my_data",
    "wagtaildocs_serve",
    "wagtail_serve",
    # Admin listings, reports (exports are GET parameters), histories and usage.
    "learner_requests:index",
    "learner_requests:index_results",
    "learner_progress:index",
    "learner_progress:index_results",
    "learner_progress:detail",
    "compliance_summary:index",
    "compliance_report:index",
    "compliance_report:index_results",
    # Personal records: the search, a person's page and the downloads (recorded).
    "records:people",
    "records:person",
    "records:evidence_pdf",
    "records:evidence_json",
    "records:data",
    "compliance_requirements:index",
    "compliance_requirements:index_results",
    "compliance_requirements:history",
    "compliance_requirements:history_results",
    "compliance_requirements:usage",
    "compliance_assignments:index",
    "compliance_assignments:index_results",
    "compliance_managers:index",
    "compliance_managers:index_results",
    "compliance_managers:history",
    "compliance_managers:history_results",
    "compliance_managers:usage",
    # The people chooser's modal, results and "chosen" answers: GETs that only read.
    "compliance_people:choose",
    "compliance_people:choose_results",
    "compliance_people:chosen",
    "compliance_people:chosen_multiple",
    "certificates_admin:index",
    "certificates_admin:index_results",
    "certificates_admin:detail",
    "wagtailsnippets_catalog_subject:list",
    "wagtailsnippets_catalog_subject:list_results",
    "wagtailsnippets_catalog_subject:usage",
    "wagtailsnippets_catalog_subject:history",
    "wagtailsnippets_catalog_subject:history_results",
    # Django's admin.
    "admin:index",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
    "django-admin/(?P<url>.*)$",
    *(
        f"admin:{model}_history"
        for model in (
            "wagtaildocs_document",
            "wagtailimages_image",
            "taggit_tag",
            "auth_group",
            "auth_user",
            "axes_accessattempt",
            "axes_accesslog",
            "axes_accessfailurelog",
        )
    ),
    # ``/django-admin/<app>/<model>/<id>/``: a RedirectView to the change page, which
    # redirects any method and changes nothing.
    *(
        f"django-admin/{path}/<path:object_id>/"
        for path in (
            "wagtaildocs/document",
            "wagtailimages/image",
            "taggit/tag",
            "auth/group",
            "auth/user",
            "axes/accessattempt",
            "axes/accesslog",
            "axes/accessfailurelog",
        )
    ),
}
#: Safe views that the POST tripwire flags, and why that is fine.
SAFE_BUT_TAKES_POST = {key for key in SAFE if key.startswith("django-admin/")} - {
    "django-admin/(?P<url>.*)$"
}
