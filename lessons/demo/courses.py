"""The demo catalog: subjects, three published courses and one draft awaiting review.

Each course shows off different course settings:

- *Security Awareness Essentials*: the compliance course. Sequential lessons, two
  quizzes, a certificate valid for 12 months.
- *Data Protection in Practice*: enrolment needs an instructor's approval.
- *Running Effective Meetings*: by the second instructor, a small cohort (three
  places) with a waitlist, and a certificate that does not expire.
- *Writing Accessible Documents*: a draft by the instructor, submitted for review.
"""

from catalog.models import CoursePage

from .security_protection import ACCOUNTS_MODULE, INFORMATION_MODULE
from .security_threats import THREATS_MODULE
from .specs import (
    CourseSpec,
    LessonSpec,
    ModuleSpec,
    callout,
    heading,
    multiple_choice,
    option,
    quiz,
    short_answer,
    single_choice,
    text,
    true_false,
)

#: Subject name → description.
SUBJECTS = {
    "Security": "Protecting people, devices and information from attack.",
    "Data protection": "Handling personal data lawfully, fairly and securely.",
    "Workplace skills": "Everyday skills for working well with others.",
}

SECURITY_AWARENESS = CourseSpec(
    slug="security-awareness-essentials",
    title="Security Awareness Essentials",
    subject="Security",
    colours=("#1e3a8a", "#0f766e"),
    modules=[THREATS_MODULE, ACCOUNTS_MODULE, INFORMATION_MODULE],
    fields={
        "summary": (
            "Recognise phishing and social engineering, protect your accounts and "
            "devices, handle information safely and report incidents fast."
        ),
        "overview": (
            "<p>This is the organisation's required annual security training. In about "
            "an hour and a half you will learn how attackers target people, how to spot "
            "and report phishing, how to protect your accounts with strong passwords and "
            "multi-factor authentication, and how to handle information and incidents "
            "safely.</p><p>Lessons open in order. The course ends with a short final "
            "assessment; pass it to receive a certificate, valid for 12 months.</p>"
        ),
        "difficulty": CoursePage.Difficulty.BEGINNER,
        "enrollment_policy": CoursePage.EnrollmentPolicy.OPEN,
        "capacity": None,
        "waitlist_enabled": False,
        "sequential_lessons": True,
        "issues_certificate": True,
        "certificate_validity_months": 12,
        "pass_mark": 80,
    },
)

# --- Data Protection in Practice ------------------------------------------------------

DP_PRINCIPLES = LessonSpec(
    slug="the-data-protection-principles",
    title="The data protection principles",
    summary="The seven principles behind the UK GDPR and the EU GDPR, in plain words.",
    minutes=10,
    body=[
        text(
            """
            <p>Personal data is any information about an identified or identifiable
            living person: a name, an email address, an employee number, a photo, even an
            IP address. Data protection law sets seven principles for handling it.</p>
            <ol>
            <li><b>Lawfulness, fairness and transparency</b>: have a lawful basis, do not
            mislead, and tell people what you do with their data.</li>
            <li><b>Purpose limitation</b>: collect data for a clear purpose and do not
            reuse it for something incompatible.</li>
            <li><b>Data minimisation</b>: only what you need for that purpose.</li>
            <li><b>Accuracy</b>: keep it correct and up to date.</li>
            <li><b>Storage limitation</b>: keep it no longer than you need it.</li>
            <li><b>Integrity and confidentiality</b>: protect it with appropriate
            security.</li>
            <li><b>Accountability</b>: be able to show that you comply.</li>
            </ol>
            """
        ),
        callout(
            "tip",
            "A quick test",
            """
            <p>Before collecting or sharing personal data, ask: <i>would this person
            expect us to do this with their data, and do we really need it?</i></p>
            """,
        ),
    ],
)

DP_LAWFUL_BASES = LessonSpec(
    slug="lawful-bases-for-processing",
    title="Lawful bases for processing",
    summary="The six lawful bases, and why consent is not always the right one.",
    minutes=10,
    body=[
        text(
            """
            <p>Every use of personal data needs one of six lawful bases: <b>consent</b>,
            <b>contract</b>, <b>legal obligation</b>, <b>vital interests</b>, <b>public
            task</b> or <b>legitimate interests</b>.</p>
            <p>Consent must be freely given, specific, informed and as easy to withdraw as
            to give. Between an employer and its staff it is rarely freely given, so
            employee data is usually processed under contract, legal obligation or
            legitimate interests instead.</p>
            """
        ),
        heading("Special category data"),
        text(
            """
            <p>Health, ethnicity, religion, sexual orientation, trade union membership,
            genetic and biometric data need extra protection and an additional condition
            for processing. Treat them as <i>Restricted</i> information.</p>
            """
        ),
    ],
)

DP_RIGHTS = LessonSpec(
    slug="individuals-rights",
    title="Individuals' rights and subject access requests",
    summary="What people may ask of you, and how quickly you must answer.",
    minutes=10,
    body=[
        text(
            """
            <p>People have the right to be informed, of access, to rectification, to
            erasure, to restrict processing, to data portability, to object, and rights
            about automated decision-making.</p>
            <p>The most common is the <b>subject access request</b>: a request, in any
            form and to anyone in the organisation, for a copy of the person's data. It
            must be answered within <b>one month</b>, which can be extended by up to two
            further months for complex requests.</p>
            """
        ),
        callout(
            "key",
            "Pass requests on the same day",
            """
            <p>A request does not need to mention the law or use a form. If someone asks
            for their data, forward it to the data protection team the same day: the
            month starts when anyone receives it.</p>
            """,
        ),
    ],
)

DP_BREACHES = LessonSpec(
    slug="handling-a-personal-data-breach",
    title="Handling a personal data breach",
    summary="Recognise a breach, report it within the hour, and check your understanding.",
    minutes=12,
    body=[
        text(
            """
            <p>A personal data breach is a breach of security leading to the accidental
            or unlawful loss, destruction, alteration, disclosure of, or access to,
            personal data. A misdirected email counts just as much as a cyber attack.</p>
            <p>Where a breach is likely to put people's rights at risk, the organisation
            must notify the regulator within <b>72 hours</b> of becoming aware of it, and
            tell the people affected without undue delay when the risk is high.</p>
            """
        ),
        quiz(
            "Check your understanding",
            pass_mark=80,
            questions=[
                true_false(
                    "An IP address can be personal data.",
                    True,
                    "Yes: anything that can identify a living person, directly or together "
                    "with other information, is personal data.",
                ),
                single_choice(
                    "How long do you normally have to answer a subject access request?",
                    [
                        option("Ten working days"),
                        option("One month", True),
                        option("Three months"),
                        option("There is no deadline"),
                    ],
                    "One month from receipt, extendable by two further months for complex "
                    "or numerous requests.",
                ),
                multiple_choice(
                    "Which of these are lawful bases for processing? Select all that apply.",
                    [
                        option("Contract", True),
                        option("Legitimate interests", True),
                        option("Legal obligation", True),
                        option("Convenience"),
                    ],
                    "Contract, legal obligation and legitimate interests are three of the "
                    "six lawful bases. Convenience is not one of them.",
                ),
                short_answer(
                    "Which principle says you should only collect the personal data you "
                    "need? (Two words.)",
                    ["data minimisation", "data minimization", "minimisation"],
                    "<b>Data minimisation</b>: adequate, relevant and limited to what is "
                    "necessary.",
                ),
                single_choice(
                    "You emailed a list of customers' addresses to the wrong supplier. "
                    "What should you do?",
                    [
                        option("Nothing: the supplier is trustworthy"),
                        option("Ask the supplier to delete it and say nothing more"),
                        option("Report it to the data protection team straight away", True),
                    ],
                    "It is a personal data breach. Report it at once so the team can assess "
                    "the risk and decide, within 72 hours, whether to notify the regulator.",
                ),
            ],
        ),
    ],
)

DATA_PROTECTION = CourseSpec(
    slug="data-protection-in-practice",
    title="Data Protection in Practice",
    subject="Data protection",
    colours=("#581c87", "#be185d"),
    modules=[
        ModuleSpec(
            slug="principles-and-lawful-bases",
            title="Principles and lawful bases",
            summary="What the law asks of anyone handling personal data.",
            lessons=[DP_PRINCIPLES, DP_LAWFUL_BASES],
        ),
        ModuleSpec(
            slug="rights-and-breaches",
            title="Rights and breaches",
            summary="Answering requests from individuals and dealing with breaches.",
            lessons=[DP_RIGHTS, DP_BREACHES],
        ),
    ],
    fields={
        "summary": (
            "For nominated data champions: the principles, lawful bases, individuals' "
            "rights and what to do when personal data goes astray."
        ),
        "overview": (
            "<p>Data champions are the first point of contact for data protection "
            "questions in their team. Places are for nominated champions, so an "
            "instructor approves each enrolment request.</p>"
        ),
        "difficulty": CoursePage.Difficulty.INTERMEDIATE,
        "enrollment_policy": CoursePage.EnrollmentPolicy.APPROVAL,
        "capacity": None,
        "waitlist_enabled": False,
        "sequential_lessons": False,
        "issues_certificate": True,
        "certificate_validity_months": 24,
        "pass_mark": 80,
    },
)

# --- Running Effective Meetings -------------------------------------------------------

MEETING_NEEDED = LessonSpec(
    slug="does-this-need-a-meeting",
    title="Does this need a meeting?",
    summary="Choose between a meeting, a message and a document.",
    minutes=6,
    body=[
        text(
            """
            <p>Meetings are the most expensive way to share information: an hour with six
            people costs six hours of work. They are worth it for decisions that need
            discussion, for resolving disagreement and for building relationships, and
            rarely for status updates, which a written note handles better.</p>
            """
        ),
        callout(
            "tip",
            "Try the one-line test",
            """
            <p>If you cannot write the meeting's purpose in one line ending with a
            decision or an outcome, it is not ready to be a meeting yet.</p>
            """,
        ),
    ],
)

AGENDAS = LessonSpec(
    slug="agendas-that-work",
    title="Agendas that work",
    summary="Questions, not topics; owners and timings for each item.",
    minutes=8,
    body=[
        text(
            """
            <p>Write each agenda item as a question to answer ("Which supplier do we
            choose?") rather than a topic ("Suppliers"), give it an owner and a time, and
            send the agenda with any reading at least a day before.</p>
            <ul>
            <li>Put the items that need the most energy first.</li>
            <li>Invite only the people needed for the decisions; share notes with the
            rest.</li>
            <li>End five minutes early to agree actions.</li>
            </ul>
            """
        ),
    ],
)

FACILITATING = LessonSpec(
    slug="facilitating-and-following-up",
    title="Facilitating and following up",
    summary="Keep discussion on track, include every voice and close with clear actions.",
    minutes=10,
    body=[
        text(
            """
            <p>The facilitator's job is the process, not the content: keep to time, bring
            in quieter voices ("Sam, you've worked with this supplier, what's your
            view?"), park side topics in a visible list, and summarise decisions as they
            are made.</p>
            <p>Close by reading back each action with one owner and a date, and send the
            notes within a day.</p>
            """
        ),
        callout(
            "note",
            "Live practice",
            """
            <p>This course includes a live practice session with an instructor, so places
            are limited to three per cohort. When it is full you can join the waitlist
            and you will be told by email when a place opens up.</p>
            """,
        ),
    ],
)

EFFECTIVE_MEETINGS = CourseSpec(
    instructor="instructor2",
    slug="running-effective-meetings",
    title="Running Effective Meetings",
    subject="Workplace skills",
    colours=("#9a3412", "#b45309"),
    modules=[
        ModuleSpec(
            slug="before-the-meeting",
            title="Before the meeting",
            summary="Decide whether to meet, and prepare so the meeting can succeed.",
            lessons=[MEETING_NEEDED, AGENDAS],
        ),
        ModuleSpec(
            slug="in-the-room",
            title="In the room",
            summary="Run the discussion and follow up.",
            lessons=[FACILITATING],
        ),
    ],
    fields={
        "summary": (
            "Shorter, fewer, better meetings: when to meet, agendas that work and "
            "facilitation, with a small-group live practice session."
        ),
        "overview": (
            "<p>A short, practical course for anyone who organises meetings, ending in a "
            "live practice session with an instructor. Three places per cohort, with a "
            "waitlist.</p>"
        ),
        "difficulty": CoursePage.Difficulty.BEGINNER,
        "enrollment_policy": CoursePage.EnrollmentPolicy.OPEN,
        "capacity": 3,
        "waitlist_enabled": True,
        "sequential_lessons": False,
        "issues_certificate": True,
        "certificate_validity_months": None,
        "pass_mark": 80,
    },
)

# --- Writing Accessible Documents (draft, awaiting review) ----------------------------

ACCESSIBLE_DOCUMENTS = CourseSpec(
    slug="writing-accessible-documents",
    title="Writing Accessible Documents",
    subject="Workplace skills",
    colours=("#065f46", "#0369a1"),
    modules=[
        ModuleSpec(
            slug="foundations",
            title="Foundations",
            summary="Structure and text alternatives.",
            lessons=[
                LessonSpec(
                    slug="headings-and-structure",
                    title="Headings and structure",
                    summary="Real headings let screen-reader users skim like everyone else.",
                    minutes=8,
                    body=[
                        text(
                            """
                            <p>Use your editor's heading styles rather than bold, larger
                            text: screen readers list headings so that people can jump
                            between sections. Keep one main heading, nest levels in order,
                            and make lists real lists.</p>
                            """
                        ),
                    ],
                ),
                LessonSpec(
                    slug="links-images-and-alt-text",
                    title="Links, images and alternative text",
                    summary="Describe what matters in an image; say where a link goes.",
                    minutes=8,
                    body=[
                        text(
                            """
                            <p>Link text should make sense on its own ("Download the
                            expenses policy", not "click here"). Give every informative
                            image alternative text that says what it shows and why it is
                            there; mark decorative images as decorative.</p>
                            """
                        ),
                    ],
                ),
            ],
        ),
    ],
    fields={
        "summary": "Make documents and emails that everyone can read, including with a "
        "screen reader.",
        "overview": "<p>A first draft, submitted for review.</p>",
        "difficulty": CoursePage.Difficulty.BEGINNER,
        "enrollment_policy": CoursePage.EnrollmentPolicy.OPEN,
        "issues_certificate": False,
    },
)

#: The courses the demo publishes, in the order the home page features them.
PUBLISHED_COURSES = [SECURITY_AWARENESS, DATA_PROTECTION, EFFECTIVE_MEETINGS]
#: The instructor's draft, submitted to the "Course review" workflow.
DRAFT_COURSE = ACCESSIBLE_DOCUMENTS
