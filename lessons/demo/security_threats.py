"""Security Awareness Essentials, module 1: recognising phishing and social engineering."""

from .specs import (
    LessonSpec,
    ModuleSpec,
    callout,
    code,
    heading,
    multiple_choice,
    option,
    quiz,
    short_answer,
    single_choice,
    text,
    true_false,
    video,
)

#: A placeholder: the demo never fetches it. Replace it with your organisation's video.
INTRO_VIDEO_URL = "https://www.youtube.com/watch?v=XBkzBrXlle0"

WHY_PEOPLE = LessonSpec(
    slug="why-attackers-target-people",
    title="Why attackers target people",
    summary="How most attacks really start, and why a careful person is the best defence.",
    minutes=8,
    body=[
        text(
            """
            <p>Firewalls, spam filters and antivirus software stop most attacks before
            anyone sees them. What gets through is usually aimed at a person: a message,
            a phone call or a visitor that asks you to do something on the attacker's
            behalf. Year after year, industry breach reports find that most successful
            breaches involve a human action somewhere along the way — a click, a reused
            password, a file sent to the wrong place.</p>
            <p>This is not because people are careless. It is because attackers study how
            organisations work and design requests that look like ordinary work.</p>
            """
        ),
        heading("What attackers want"),
        text(
            """
            <ul>
            <li><b>Your credentials</b>: a working username and password opens email,
            files and systems, and lets the attacker pose as you.</li>
            <li><b>Money</b>: a changed bank account on an invoice, a gift-card purchase,
            an urgent transfer "approved by the director".</li>
            <li><b>Data</b>: customer records, personal data and confidential plans can be
            sold, leaked or held to ransom.</li>
            <li><b>A foothold</b>: one infected laptop can be used to reach everything else
            on the network, which is how most ransomware attacks begin.</li>
            </ul>
            """
        ),
        heading("The levers they pull"),
        text(
            """
            <p>Social engineering works by triggering instincts that are normally useful
            at work:</p>
            <ul>
            <li><b>Urgency</b>: "Your account will be closed in one hour."</li>
            <li><b>Authority</b>: a message that seems to come from a senior manager, IT or
            a regulator.</li>
            <li><b>Helpfulness</b>: a caller who is stuck and only needs "a quick
            favour".</li>
            <li><b>Curiosity and fear</b>: a parcel you did not order, a salary review, a
            fine to pay.</li>
            <li><b>Routine</b>: an invoice, a shared document or a password-expiry notice,
            exactly like the dozens you handle every week.</li>
            </ul>
            """
        ),
        video(
            INTRO_VIDEO_URL,
            title="Introduction to phishing",
            caption=(
                "A short introduction to phishing. In this demo the link is a placeholder: "
                "replace it with your organisation's own security video."
            ),
        ),
        callout(
            "key",
            "You are the last line of defence",
            """
            <p>Technology filters out most attacks. The few that reach you were built to
            get past it. Slowing down for a few seconds when something feels unusual is
            the single most effective security control there is.</p>
            """,
        ),
        text(
            """
            <p>In the next lessons you will learn to recognise the most common tricks and
            what to do when you spot one. None of it needs technical knowledge: it needs a
            habit of pausing, checking and reporting.</p>
            """
        ),
    ],
)

PHISHING = LessonSpec(
    slug="spotting-phishing-emails",
    title="Spotting phishing emails",
    summary="The warning signs of a phishing message, how to check a link, and what to do.",
    minutes=12,
    body=[
        text(
            """
            <p><b>Phishing</b> is a message that pretends to come from someone you trust
            in order to make you click a link, open an attachment, enter a password or
            send money. Most phishing arrives by email, but the same trick is used in text
            messages (<i>smishing</i>), phone calls (<i>vishing</i>), chat apps and even QR
            codes on posters or parcels (<i>quishing</i>).</p>
            """
        ),
        heading("Kinds of phishing"),
        text(
            """
            <ul>
            <li><b>Bulk phishing</b> goes to thousands of people at once: fake delivery
            notices, "unusual sign-in" alerts, prize draws.</li>
            <li><b>Spear phishing</b> is written for you. It uses your name, your role,
            your colleagues' names and real projects, found on social media or the
            company website.</li>
            <li><b>Business email compromise</b> uses a real, hijacked mailbox of a
            supplier or colleague, or a look-alike address, to ask for a payment or a
            change of bank details.</li>
            </ul>
            """
        ),
        heading("Warning signs"),
        text(
            """
            <ol>
            <li>An <b>unexpected request</b>, especially to sign in, pay, or open a
            file.</li>
            <li><b>Pressure</b>: a deadline, a threat, or a request to keep it quiet.</li>
            <li>A <b>sender address</b> that does not match the organisation it claims to
            be, or a display name that hides an outside address.</li>
            <li><b>Links</b> whose real destination differs from the text you see.</li>
            <li>A <b>generic greeting</b>, odd wording, or a style unlike the sender's
            usual messages.</li>
            <li>A request to <b>bypass normal process</b>: "just this once", "I'm in a
            meeting, don't call".</li>
            </ol>
            <p>A message can show none of the classic spelling mistakes and still be
            phishing. Judge it by what it asks you to do.</p>
            """
        ),
        callout(
            "tip",
            "Hover before you click",
            """
            <p>On a computer, rest the mouse pointer on a link (on a phone, press and hold)
            to see where it really goes before you follow it.</p>
            """,
        ),
        heading("Reading a link"),
        text(
            """
            <p>The part of a web address that tells you who owns it is the
            <b>domain</b>: the last two parts (sometimes three, as in .co.uk) before the
            first single slash. Read it from right to left. Everything to the left of it
            can be chosen freely by whoever owns that domain.</p>
            """
        ),
        code(
            """
https://login.example.com/account        owned by example.com
https://example.com.account-check.net/   owned by account-check.net
https://examp1e.com/login                owned by examp1e.com (a "1", not an "l")
https://example.com@evil.test/login      goes to evil.test (text before @ is ignored)
            """,
            caption="Only the first link belongs to example.com.",
        ),
        heading("What to do with a suspicious message"),
        text(
            """
            <ul>
            <li><b>Do not</b> click links, open attachments, scan the QR code or reply.</li>
            <li><b>Report it</b> with the <i>Report phishing</i> button in your email
            program, or forward it to the security team as an attachment.</li>
            <li>If it claims to come from someone you know, <b>check with them through
            another channel</b>: a phone number you already have, or a chat message.</li>
            <li>Then delete it.</li>
            </ul>
            """
        ),
        callout(
            "warning",
            "Clicked already? Report it now",
            """
            <p>If you clicked a link, opened an attachment or typed a password, tell the
            IT service desk straight away. Minutes matter: the team can reset your
            password and stop the attacker before any harm is done. Nobody will blame you
            for reporting.</p>
            """,
        ),
    ],
)

SOCIAL_ENGINEERING = LessonSpec(
    slug="social-engineering-beyond-email",
    title="Social engineering beyond email",
    summary="Phone calls, texts, visitors and fake sign-in prompts: tricks that skip the inbox.",
    minutes=10,
    body=[
        text(
            """
            <p>Social engineering is any attempt to manipulate someone into breaking
            normal security practice. Email is only one channel. Attackers also call,
            text, message you on social networks and turn up in person, often combining
            several channels to seem more convincing.</p>
            """
        ),
        heading("On the phone and in messages"),
        text(
            """
            <ul>
            <li><b>Fake help desk calls</b>: "This is IT. We've seen a problem with your
            account; I just need the code we've sent to your phone."</li>
            <li><b>Supplier and executive fraud</b>: an urgent call or text from a
            "director" asking for a payment, gift cards or confidential files.</li>
            <li><b>Cloned voices and video</b>: AI tools can imitate a known voice from a
            short recording, so a familiar voice alone is no longer proof.</li>
            <li><b>MFA fatigue</b>: a stream of sign-in approval prompts you did not start,
            sent in the hope that you tap "Approve" to make them stop.</li>
            </ul>
            """
        ),
        heading("In person"),
        text(
            """
            <ul>
            <li><b>Tailgating</b>: someone follows you through a secure door without
            badging in, often carrying boxes or coffee so that holding the door feels
            polite.</li>
            <li><b>Impersonation</b>: a "contractor", "auditor" or "new starter" who asks
            to be shown a server room or left alone at a desk.</li>
            <li><b>Baiting</b>: a USB stick left in the car park labelled "Salaries 2025",
            waiting to be plugged in.</li>
            </ul>
            """
        ),
        callout(
            "key",
            "Verify through a channel you already trust",
            """
            <p>Before acting on an unusual request, check it using contact details you
            already have — the staff directory, the number on the supplier's contract, a
            colleague's chat account — never the ones given in the message or by the
            caller.</p>
            """,
        ),
        text(
            """
            <p>Genuine colleagues, IT staff and suppliers will understand. Good
            organisations expect you to check, and no genuine process will ever ask for
            your password or a sign-in code.</p>
            """
        ),
        quiz(
            "Module 1 check: spotting threats",
            intro="Six questions on phishing and social engineering. You need 80% to pass.",
            pass_mark=80,
            questions=[
                single_choice(
                    "An email from “IT Support” says your mailbox will be deleted in two "
                    "hours unless you sign in using the link. What should you do?",
                    [
                        option("Sign in quickly using the link so you don't lose email"),
                        option("Reply to the email to ask whether it is genuine"),
                        option("Report it as phishing without clicking the link", True),
                        option("Forward it to your team to warn them"),
                    ],
                    "Urgency plus a sign-in link is a classic phishing pattern. Replying "
                    "goes to the attacker and forwarding spreads the link: <b>report "
                    "it</b> so the security team can remove it for everyone.",
                ),
                multiple_choice(
                    "Which of these are common warning signs of phishing? Select all that apply.",
                    [
                        option("A threatening or urgent deadline", True),
                        option("A sender address that does not match the organisation", True),
                        option("A link whose real destination differs from its text", True),
                        option("The message arrived during working hours"),
                        option("A request for your password or payment details", True),
                    ],
                    "Pressure, mismatched senders, disguised links and requests for "
                    "credentials or money are all warning signs. When a message arrives "
                    "tells you nothing.",
                ),
                true_false(
                    "A message that uses your name, your job title and a real colleague's "
                    "name is almost certainly genuine.",
                    False,
                    "Spear phishing is built from public information such as company "
                    "websites and professional networks. Personal details make a message "
                    "more convincing, not more trustworthy.",
                ),
                single_choice(
                    "Which of these links really belongs to example.com?",
                    [
                        option("https://example.com.account-verify.net/login"),
                        option("https://login.example.com/account", True),
                        option("https://example-com.support/login"),
                        option("https://examp1e.com/login"),
                    ],
                    "Read the domain from right to left, up to the first single slash. "
                    "Only <i>login.example.com</i> ends in example.com; the others belong "
                    "to account-verify.net, example-com.support and examp1e.com.",
                ),
                short_answer(
                    "What is the name for phishing carried out through SMS text messages?",
                    ["smishing", "sms phishing", "SMS-phishing"],
                    "<b>Smishing</b> (SMS phishing): fake delivery, bank and tax messages "
                    "with a link are the most common examples.",
                ),
                single_choice(
                    "Someone you don't recognise follows you to a secure door and says "
                    "they've forgotten their badge. What is the best response?",
                    [
                        option("Hold the door: they look as if they work here"),
                        option(
                            "Politely ask them to sign in at reception or call their host",
                            True,
                        ),
                        option("Let them in but remember their face in case of problems"),
                        option("Lend them your badge for the day"),
                    ],
                    "This is tailgating. A genuine colleague will understand being sent "
                    "to reception; an intruder relies on you being too polite to ask.",
                ),
            ],
        ),
    ],
)

THREATS_MODULE = ModuleSpec(
    slug="recognising-threats",
    title="Recognising threats",
    summary="How attackers reach people, and how to spot phishing and social engineering.",
    lessons=[WHY_PEOPLE, PHISHING, SOCIAL_ENGINEERING],
)
