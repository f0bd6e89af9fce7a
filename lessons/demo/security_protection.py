"""Security Awareness Essentials, modules 2 and 3: protecting accounts and devices,
handling information, reporting incidents, and the final assessment."""

from .specs import (
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

PASSWORDS = LessonSpec(
    slug="passwords-and-password-managers",
    title="Strong passwords and password managers",
    summary="Why length beats complexity, why reuse is the real danger, and how a manager helps.",
    minutes=10,
    body=[
        text(
            """
            <p>Attackers rarely guess a password by hand. They use lists of billions of
            passwords leaked from earlier breaches and try them automatically against
            other sites, a technique called <b>credential stuffing</b>. If you have used
            the same password anywhere else, one breach of a shopping site can open your
            work account.</p>
            """
        ),
        heading("What makes a password strong"),
        text(
            """
            <ul>
            <li><b>Length</b>: every extra character multiplies the work of guessing. Aim
            for at least 14 characters; a passphrase of four or more random words is long
            and easy to type.</li>
            <li><b>Uniqueness</b>: a different password for every account, so one leak
            stays one leak.</li>
            <li><b>Unpredictability</b>: not your name, team, pet, football club or the
            season and year. Swapping letters for symbols (P@ssw0rd) fools nobody.</li>
            </ul>
            <p>Current guidance, such as the US NIST digital identity guidelines and the
            UK National Cyber Security Centre, no longer recommends changing passwords on
            a fixed schedule. Change a password when there is any sign it has been
            exposed.</p>
            """
        ),
        heading("Let a password manager do the remembering"),
        text(
            """
            <p>Nobody can remember a hundred unique passphrases. A <b>password
            manager</b> generates a strong, random password for each site, stores them
            encrypted, and fills them in for you. You remember one long master passphrase
            and protect the manager with multi-factor authentication.</p>
            <p>Password managers also help against phishing: they only offer to fill in a
            password on the real site's address, so if your manager stays silent on a
            sign-in page, stop and look at the address bar.</p>
            """
        ),
        callout(
            "tip",
            "Use the approved password manager",
            """
            <p>Use the password manager your organisation provides for work accounts, and
            keep personal accounts in a separate, personal vault.</p>
            """,
        ),
        callout(
            "warning",
            "Never share a password",
            """
            <p>Not with a colleague covering for you, not with your manager and not with
            IT. Genuine support staff never need your password; shared access is set up
            properly instead.</p>
            """,
        ),
    ],
)

MFA = LessonSpec(
    slug="multi-factor-authentication",
    title="Multi-factor authentication",
    summary="A second proof of identity stops most account takeovers, if you use it well.",
    minutes=8,
    body=[
        text(
            """
            <p><b>Multi-factor authentication</b> (MFA) asks for two or more different
            kinds of proof when you sign in:</p>
            <ul>
            <li>something you <b>know</b> — a password or PIN;</li>
            <li>something you <b>have</b> — your phone, a security key;</li>
            <li>something you <b>are</b> — a fingerprint or face.</li>
            </ul>
            <p>A stolen password alone is then no longer enough to get in. Turning on
            MFA is one of the most effective things anyone can do to protect an account,
            at work and at home.</p>
            """
        ),
        heading("Not all second factors are equal"),
        text(
            """
            <ol>
            <li><b>Passkeys and hardware security keys</b> are the strongest: they are
            tied to the real website, so they cannot be phished.</li>
            <li><b>Authenticator apps</b> with number matching are a good everyday
            choice.</li>
            <li><b>Codes by text message</b> are better than nothing but can be
            intercepted or redirected by swapping a SIM card.</li>
            </ol>
            """
        ),
        heading("How attackers get around MFA"),
        text(
            """
            <p>Attackers who already have your password will try to get the second
            factor from you: by calling and asking you to read out a code, by sending a
            fake sign-in page that relays the code in real time, or by flooding your phone
            with approval prompts until one is accepted.</p>
            """
        ),
        callout(
            "key",
            "Approve only what you started",
            """
            <p>Only approve a sign-in prompt or enter a code when <b>you</b> have just
            tried to sign in. Never read a code out to anyone. An unexpected prompt means
            someone else has your password: deny it, change your password and report
            it.</p>
            """,
        ),
    ],
)

DEVICES = LessonSpec(
    slug="securing-your-devices",
    title="Securing your devices",
    summary="Updates, screen locks, encryption and safe habits wherever you work.",
    minutes=10,
    body=[
        text(
            """
            <p>Your laptop and phone hold your email, your files and your signed-in
            sessions. Keeping them secure protects everything they can reach.</p>
            """
        ),
        heading("Five habits"),
        text(
            """
            <ol>
            <li><b>Update promptly.</b> Most attacks on devices use weaknesses that
            already have a fix. Restart when updates ask you to, on work and personal
            devices alike.</li>
            <li><b>Lock your screen</b> whenever you step away (Windows key + L, or
            Control + Command + Q on a Mac), and use a PIN or biometric lock on your
            phone.</li>
            <li><b>Keep encryption and protection on.</b> Do not disable disk encryption,
            antivirus or device-management software, even if it seems to slow you
            down.</li>
            <li><b>Install only approved software</b>, from the company portal or official
            app stores. Browser extensions count too.</li>
            <li><b>Keep work on work devices.</b> Do not forward work files to personal
            email or store them on personal cloud accounts.</li>
            </ol>
            """
        ),
        heading("Working away from the office"),
        text(
            """
            <ul>
            <li>Use the company VPN on public or hotel Wi-Fi, or your phone's hotspot
            instead.</li>
            <li>Watch out for people reading your screen or listening to calls on trains
            and in cafés; a privacy screen filter helps.</li>
            <li>Never leave devices unattended in public or visible in a car.</li>
            <li>Do not plug in USB sticks or chargers you found or were given
            unexpectedly.</li>
            </ul>
            """
        ),
        callout(
            "warning",
            "Lost or stolen? Report it at once",
            """
            <p>Report a lost or stolen device to the IT service desk immediately, day or
            night. IT can lock or wipe it remotely and sign it out of your accounts before
            anyone has a chance to use it.</p>
            """,
        ),
    ],
)

INFORMATION = LessonSpec(
    slug="handling-information-safely",
    title="Handling information safely",
    summary="Classify, share, store and dispose of information with the right care.",
    minutes=10,
    body=[
        text(
            """
            <p>Not all information needs the same protection. Most organisations label
            information by how much harm its loss would cause, so that everyone knows how
            to handle it.</p>
            """
        ),
        heading("A typical classification"),
        text(
            """
            <ul>
            <li><b>Public</b>: meant to be published, such as press releases and the
            website.</li>
            <li><b>Internal</b>: everyday business information that should stay inside
            the organisation.</li>
            <li><b>Confidential</b>: customer and personal data, contracts, financial
            results before release. Share only with people who need it.</li>
            <li><b>Restricted</b>: the most sensitive information, such as health data,
            security details or merger plans. Named people only, with extra
            controls.</li>
            </ul>
            """
        ),
        heading("Sharing"),
        text(
            """
            <ul>
            <li>Share <b>links with access limited to named people</b> in the approved
            file-sharing tool rather than attachments, and set an expiry date for outside
            recipients.</li>
            <li>Check the recipients before you press send: autocomplete picks the wrong
            "Alex" more often than you think.</li>
            <li>Do not paste confidential information into unapproved online tools,
            including public AI chatbots and translation sites; what you paste may be
            stored and used by the provider.</li>
            </ul>
            """
        ),
        heading("On paper and at your desk"),
        text(
            """
            <p>Collect printing straight away, lock confidential papers away at the end
            of the day, and use the confidential waste bins or a cross-cut shredder. Old
            devices and storage go back to IT for secure wiping, never in the bin.</p>
            """
        ),
        callout(
            "note",
            "Personal data has legal protection",
            """
            <p>Information about identifiable people is also protected by data protection
            law. The <i>Data Protection in Practice</i> course covers your obligations in
            detail.</p>
            """,
        ),
    ],
)

REPORTING = LessonSpec(
    slug="reporting-security-incidents",
    title="Reporting security incidents",
    summary="What counts as an incident, how to report it, and why speed matters.",
    minutes=8,
    body=[
        text(
            """
            <p>A <b>security incident</b> is anything that puts the confidentiality,
            integrity or availability of information or systems at risk — whether it was
            caused by an attacker, a mistake or bad luck.</p>
            """
        ),
        heading("Examples you should report"),
        text(
            """
            <ul>
            <li>You clicked a link or opened an attachment in a suspicious message, or
            entered your password on a page you now doubt.</li>
            <li>An email with personal or confidential data went to the wrong
            person.</li>
            <li>A laptop, phone, badge or paper file is lost or stolen.</li>
            <li>You get MFA prompts you did not request, or your account behaves
            strangely.</li>
            <li>A stranger is in an area they should not be, or a door that should be
            locked is propped open.</li>
            </ul>
            """
        ),
        heading("How to report"),
        text(
            """
            <ol>
            <li>Use the <i>Report phishing</i> button for suspicious messages.</li>
            <li>For anything else, contact the IT service desk by phone or chat, or email
            <a href="mailto:security@example.com">security@example.com</a>.</li>
            <li>Say what happened, when, which systems or data are involved, and what you
            have done since.</li>
            </ol>
            <p>Do not try to investigate on your own, do not delete the message or files
            involved, and do not switch off an affected computer: disconnect it from the
            network and wait for instructions.</p>
            """
        ),
        callout(
            "key",
            "Speed matters more than certainty",
            """
            <p>Report as soon as you suspect something, even if you are not sure. When
            personal data is involved, the organisation may have to notify the regulator
            within 72 hours of becoming aware of a breach, and the clock starts when
            anyone in the organisation knows. People who report their own mistakes
            promptly are thanked, not blamed.</p>
            """,
        ),
    ],
)

FINAL_ASSESSMENT = LessonSpec(
    slug="final-assessment",
    title="Final assessment",
    summary="Eight questions covering the whole course. Pass to complete it.",
    minutes=12,
    body=[
        text(
            """
            <p>This assessment covers all three modules. You need 80% to pass and may try
            up to three times; the explanations after each attempt show where to look
            again.</p>
            """
        ),
        quiz(
            "Security Awareness Essentials: final assessment",
            pass_mark=80,
            max_attempts=3,
            questions=[
                single_choice(
                    "Which is the best choice for a new work account password?",
                    [
                        option("Summer2025!, since it mixes capitals, digits and a symbol"),
                        option("A long random password from the password manager", True),
                        option("Your previous password with the last digit changed"),
                        option("P@ssw0rd123, because symbols make any password strong"),
                    ],
                    "A long, random, unique password from the password manager is both "
                    "the strongest and the easiest to live with. Seasons, years and "
                    "variations on old passwords are the first things attackers try.",
                ),
                true_false(
                    "You should change every password every 30 days, even when there is "
                    "no sign it has been exposed.",
                    False,
                    "Current guidance recommends changing a password when there is a sign "
                    "of compromise, not on a schedule: forced changes lead to weaker, "
                    "predictable passwords.",
                ),
                multiple_choice(
                    "Which of these make multi-factor authentication more effective? "
                    "Select all that apply.",
                    [
                        option("Using a passkey, security key or authenticator app", True),
                        option("Approving only sign-in prompts you started yourself", True),
                        option("Reading your code to the help desk when they call"),
                        option("Reporting sign-in prompts you did not expect", True),
                    ],
                    "Phishing-resistant factors, approving only your own sign-ins and "
                    "reporting surprises all help. <b>Never</b> share a code: genuine "
                    "support staff never ask for one.",
                ),
                single_choice(
                    "Your work laptop is stolen from your car. What should you do first?",
                    [
                        option("Report it to the IT service desk straight away", True),
                        option("Wait a day in case the police recover it"),
                        option("Order a replacement laptop"),
                        option("Change your home Wi-Fi password"),
                    ],
                    "Report it immediately so IT can lock and wipe the device and sign it "
                    "out of your accounts. Then report the theft to the police.",
                ),
                short_answer(
                    "Within how many hours of becoming aware of it must a notifiable "
                    "personal data breach normally be reported to the regulator under "
                    "GDPR? (Type a number.)",
                    ["72", "72 hours", "seventy-two", "seventy two"],
                    "<b>72 hours</b>, which is why you should report possible incidents "
                    "straight away rather than wait until you are sure.",
                ),
                multiple_choice(
                    "Which of these should you report as security incidents? Select all "
                    "that apply.",
                    [
                        option("You emailed a customer spreadsheet to the wrong person", True),
                        option("You entered your password on a page you now think was fake", True),
                        option("You found a secure door propped open overnight", True),
                        option("Your password manager suggested a stronger password"),
                    ],
                    "Misdirected data, possibly stolen credentials and physical security "
                    "gaps are all incidents. A password manager doing its job is not.",
                ),
                single_choice(
                    "You need to send a confidential report to an external partner. "
                    "What is the right way?",
                    [
                        option("Attach it to an email from your personal account"),
                        option(
                            "Share it from the approved tool with named people and an expiry",
                            True,
                        ),
                        option("Copy it onto a USB stick and post it"),
                        option("Paste it into a public AI chatbot to shorten it first"),
                    ],
                    "The approved sharing tool keeps the file under the organisation's "
                    "control, limits access to named people and lets you revoke it.",
                ),
                true_false(
                    "If you think you have made a security mistake, you should report it "
                    "straight away, even if you are not sure.",
                    True,
                    "Early reports give the security team time to contain the problem. "
                    "Reporting your own mistake promptly is always the right call.",
                ),
            ],
        ),
    ],
)

ACCOUNTS_MODULE = ModuleSpec(
    slug="protecting-accounts-and-devices",
    title="Protecting accounts and devices",
    summary="Passwords, multi-factor authentication and device security.",
    lessons=[PASSWORDS, MFA, DEVICES],
)

INFORMATION_MODULE = ModuleSpec(
    slug="handling-data-and-incidents",
    title="Handling data and incidents",
    summary="Handle information with care, report incidents fast, and pass the assessment.",
    lessons=[INFORMATION, REPORTING, FINAL_ASSESSMENT],
)
