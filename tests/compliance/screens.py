"""The compliance admin screens' URLs, as the admin menu links them."""

REQUIREMENTS_URL = "/admin/compliance/requirements/"
ASSIGNMENTS_URL = "/admin/compliance/assignments/"
MANAGERS_URL = "/admin/compliance/managers/"
SUMMARY_URL = "/admin/compliance/summary/"
REPORT_URL = "/admin/compliance/report/"
