//! Per-post text measures: the participation mode of a government post (after the Twente study's
//! ladder: inform, advise, consult, co-decide, co-produce, plus internal, referral and other),
//! whether it refers the person to another channel, and whether a text asks a question.
//!
//! Everything is rule-based with documented, case-insensitive Dutch and English patterns
//! ([`rules`]), compiled once. [`classify`] tries the rules in a fixed order and the first rule
//! that matches decides the mode:
//!
//! 1. **referral** — sends the person to another channel instead of answering (phone number,
//!    "14 020", "bel ons", "mail ons", "DM ons", "kijk op", "neem contact op", a form or desk URL;
//!    "DM us", "please call", "contact us at", "reach out to", "email us", "fill out the form", …).
//!    A referral post's mode is always [`Mode::Referral`].
//! 2. **internal** — about the organisation itself (vacancies, colleagues).
//! 3. **co_decide** — a poll, vote or binding choice.
//! 4. **co_produce** — asks citizens to act, report or contribute.
//! 5. **consult** — asks opinions, feedback or questions; also any *original* post (not a reply)
//!    that asks a question (rule `consult.question`). Questions inside replies are not counted
//!    as consultation: there they ask the one person for details ("Which version do you use?"),
//!    which is service, not asking the public's opinion.
//! 6. **advise** — recommends what to do ("we raden aan", "tip:", "we recommend", "make sure you",
//!    "try …").
//! 7. **inform** — a link or an announcement.
//! 8. **other** — everything else (thanks, apologies, small talk); empty text has no rule.
//!
//! Rules match on the text with URLs replaced by the token `urlx` and @mentions removed, so a
//! handle such as `@belastingdienst` or a URL path cannot trigger a word rule; rules marked
//! `raw` (URL and e-mail address rules) match on the text as given.
//!
//! A rule's `language` is "nl", "en" or "any". When the post's language is known to be Dutch,
//! English rules are skipped, and vice versa; other or unknown languages use every rule.
//!
//! Besides the rules: [`detect_language`] ([`lang`]), a social-media tokeniser ([`tokens`]),
//! lexicon-based [`sentiment()`] with three-way [`polarity`] ([`sentiment`](mod@sentiment)) and the
//! evaluation of all measures against labelled sets ([`eval`]).

pub mod eval;
pub mod lang;
pub mod model;
pub mod sentiment;
pub mod tokens;

pub use lang::detect_language;
pub use model::post_polarity;
pub use sentiment::{Polarity, polarity, sentiment};
pub use tokens::{Token, TokenKind, tokenize};

use dialoog_model::Mode;
use regex::{Regex, RegexSet, RegexSetBuilder};
use std::sync::LazyLock;

/// The outcome of [`classify`] for one text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classification {
    pub mode: Mode,
    /// Id of the rule that decided the mode (`None` for empty text, or "other" by default).
    pub rule: Option<&'static str>,
    /// The text refers the person to another channel (then `mode` is [`Mode::Referral`]).
    pub referral: bool,
    /// The text asks a question ([`is_question`]).
    pub question: bool,
}

/// One documented pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, `mode.what.language`, e.g. "referral.dm.en".
    pub id: &'static str,
    pub mode: Mode,
    /// "nl", "en" or "any".
    pub language: &'static str,
    /// Regular expression (matched case-insensitively), or a description in parentheses for the
    /// one rule that is not a pattern (`consult.question`).
    pub pattern: &'static str,
    pub description: &'static str,
    /// Matched on the raw text (URLs and mentions kept) instead of the cleaned text.
    pub raw: bool,
}

const fn rule(
    id: &'static str,
    mode: Mode,
    language: &'static str,
    pattern: &'static str,
    description: &'static str,
) -> Rule {
    Rule {
        id,
        mode,
        language,
        pattern,
        description,
        raw: false,
    }
}

const fn raw_rule(
    id: &'static str,
    mode: Mode,
    language: &'static str,
    pattern: &'static str,
    description: &'static str,
) -> Rule {
    Rule {
        id,
        mode,
        language,
        pattern,
        description,
        raw: true,
    }
}

/// The id of the one rule that is not a pattern: an original post that asks a question.
pub const QUESTION_RULE: &str = "consult.question";

static RULES: &[Rule] = &[
    // 1. Referral.
    rule(
        "referral.phone.any",
        Mode::Referral,
        "any",
        r"(?:\+31|\b0031|\b0)[\s-]?[1-9](?:[\s-]?\d){8}\b|\b0[89]00[\s-]?\d{2,3}[\s-]?\d{2,4}\b|\+\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){2,4}\b|(?:\b1[\s.-])?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\b1[\s.-]?8[0-8]{2}[\s.-]?[a-z0-9]{3}[\s.-]?[a-z0-9]{4}\b",
        "A phone number: Dutch (06-12345678, 020 123 4567, 0800/0900), international (+31 …, +44 …) or North American (1-800-123-4567, (555) 123-4567).",
    ),
    rule(
        "referral.14.nl",
        Mode::Referral,
        "nl",
        r"\b14\s?0\d{2,3}\b",
        "The municipal number 14 + area code (14 020, 14020, 14 0113).",
    ),
    rule(
        "referral.call.nl",
        Mode::Referral,
        "nl",
        r"\bbel(?:t)?\s+(?:u\s+|je\s+)?(?:ons|met|naar|gerust|even|dan|op)\b|\b(?:ons|even|gerust)\s+(?:op\s*)?bellen\b|\btelefonisch\s+contact\b",
        "Asks to call: \"bel ons\", \"bel met\", \"bel gerust\", \"kunt u ons bellen\", \"telefonisch contact\".",
    ),
    rule(
        "referral.mail.nl",
        Mode::Referral,
        "nl",
        r"\bmail\s+(?:ons|naar|even|gerust|dan|uw|je)\b|\b(?:ons|even|gerust)\s+(?:een\s+)?(?:e-?mail(?:tje)?\s+)?(?:sturen|mailen)\b|\bstuur\s+(?:ons\s+)?(?:even\s+|gerust\s+)?een\s+e-?mail",
        "Asks to e-mail: \"mail ons\", \"mail naar\", \"stuur ons een e-mail\", \"kunt u ons mailen\".",
    ),
    rule(
        "referral.dm.nl",
        Mode::Referral,
        "nl",
        r"\bstuur(?:t)?\s+(?:u\s+|je\s+|jij\s+)?(?:ons\s+)?(?:even\s+|gerust\s+|dan\s+)?(?:een\s+)?(?:dm|pb|pm|privé-?bericht|privebericht|direct\s+message|persoonlijk\s+bericht)\b|\bdm\s+(?:ons|me|mij|even|gerust)\b|\b(?:een\s+)?(?:dm|pb|privébericht|privebericht)(?:'?je)?\s+(?:sturen|te\s+sturen)\b|\b(?:graag|even|gerust)\s+via\s+(?:een\s+)?(?:dm|pb|privébericht|privebericht)\b",
        "Asks to continue in a private message: \"DM ons\", \"stuur ons een DM/PB/privébericht\", \"graag via DM\".",
    ),
    rule(
        "referral.look.nl",
        Mode::Referral,
        "nl",
        r"(?:^|[.!?:;,]\s*|\b(?:dan|even|gerust|ook|hiervoor|daarvoor|u|je|jij)\s+)kijk(?:t)?\s+(?:(?:dan|even|gerust|hiervoor|daarvoor|voor\s+meer\s+(?:info|informatie))\s+)?op\b",
        "Sends to a website or page: \"kijk op …\", \"kijk voor meer informatie op …\" (not \"onze kijk op\").",
    ),
    rule(
        "referral.contact.nl",
        Mode::Referral,
        "nl",
        r"\bneem(?:t)?\b[^.!?]{0,30}\bcontact\b[^.!?]{0,30}\bop\b|\bcontact\b[^.!?]{0,30}\bop\s*(?:te\s+)?nemen\b",
        "Asks to get in touch: \"neem contact (met ons) op\", \"contact opnemen met\".",
    ),
    rule(
        "referral.desk.nl",
        Mode::Referral,
        "nl",
        r"\b(?:contactformulier|webformulier|meldformulier|(?:vul|via|met)\s+(?:het|dit|ons|een)\s+(?:\w+)?formulier|(?:het|ons|digitale?)\s+(?:\w+\s+)?loket|(?:aan|bij)\s+de\s+balie)\b",
        "Sends to a form or a desk: \"contactformulier\", \"vul het formulier in\", \"het (digitale) loket\", \"aan de balie\".",
    ),
    raw_rule(
        "referral.url.any",
        Mode::Referral,
        "any",
        r"(?:https?://|\bwww\.)\S*(?:/contact|formulier|loket|/klantenservice|/help\b|/support\b|/form\b|webform|/ask\b)\S*",
        "A link to a contact, help or support page, a form or a desk (\"/contact\", \"formulier\", \"loket\", \"/help\").",
    ),
    raw_rule(
        "referral.email_address.any",
        Mode::Referral,
        "any",
        r"\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b",
        "An e-mail address (info@gemeente.nl).",
    ),
    rule(
        "referral.dm.en",
        Mode::Referral,
        "en",
        r"\b(?:send(?:ing)?|shoot|drop)\s+(?:us\s+|me\s+)?(?:an?\s+|your\s+)?(?:quick\s+)?(?:dm|direct\s+message|private\s+message|pm)\b|\b(?:dm|pm)\s+(?:us|me|your|the|our)\b|\b(?:please|pls|plz|kindly|can\s+you|could\s+you|would\s+you)[,\s]+(?:\w+\s+)?dm\b|\bfollow(?:ing)?\s+(?:us\s+)?(?:and|&amp;|&)\s+(?:dm|send|sending|message)\b|\b(?:meet|join)\s+us\s+in\s+(?:a\s+)?(?:dm|direct\s+message|private\s+message)\b|\bsend\s+(?:this|that|it|them)\s+(?:via|through|in|by)\s+(?:a\s+)?(?:dm|direct\s+message|private\s+message)\b|\bdm\s+(?:w/|with)\s+(?:any|your)\b|\b(?:reach\s+out|talk|chat|connect|let\s+us\s+know|tell\s+us|continue|follow\s+up|meet\s+(?:us|me)(?:\s+back)?|provide|share|discuss)\b[^.!?]{0,60}\b(?:via|through|by|in|over)\s+(?:a\s+)?(?:dm|direct\s+message|private\s+message|pm)\b",
        "Asks to continue in a private message: \"send us a DM\", \"DM us\", \"please DM your …\", \"follow us and DM\", \"reach out to us via DM\", \"meet us in DM\", \"provide your number via DM\", \"we can continue this via DM\".",
    ),
    rule(
        "referral.call.en",
        Mode::Referral,
        "en",
        r"\b(?:please\s+(?:give\s+us\s+a\s+)?call|call\s+us|give\s+us\s+a\s+(?:call|ring)|(?:call|phone|ring)\s+(?:our|the)\s+(?:\w+\s+){0,2}(?:team|line|number|desk|department|store|bank|office)|reach\s+us\s+by\s+phone|request\s+a\s+call\s*back|(?:by|via)\s+phone\s+or\s+chat|phone\s+or\s+chat)\b",
        "Asks to call: \"please call\", \"call us\", \"give us a call\", \"call our support team\", \"request a call back\".",
    ),
    rule(
        "referral.contact.en",
        Mode::Referral,
        "en",
        r"\bcontact\s+us\s+(?:at|via|on|through|by|here|directly|back)\b|\b(?:please|kindly|pls)\s+contact\s+us\b|\bcontact\s+(?:our|the|your|\w+)\s+(?:\w+\s+){0,3}(?:team|desk|department|support|store|bank|provider|carrier|centre|center|service)\b|\b(?:please\s+)?reach\s+us\b|\breturn\s+(?:my|our)\s+call\b|\bget\s+in\s+touch\s+with\s+(?:us|our|the)\b|\breach\s+out\s+to\s+(?:us|our|the|them)\b|\breaching\s+out\s+to\s+(?:our|the)\b|\breach\s+(?:out\s+)?(?:us\s+)?(?:here|via|at)\b",
        "Asks to get in touch elsewhere: \"contact us at/via\", \"contact our support team\", \"reach out to us\", \"get in touch with\".",
    ),
    rule(
        "referral.visit.en",
        Mode::Referral,
        "en",
        r"\b(?:visit|head\s+(?:over\s+)?to|go\s+to)\s*:?\s*(?:us\s+(?:at|on)\s+)?(?:urlx|our\s+(?:website|site|help\s+(?:page|center|centre)|support\s+(?:page|site)|faq|store|branch))|\bclick\s+(?:here|the\s+link|this\s+link|on\s+the\s+link)\b|\bcheck\s+(?:out\s+)?(?:the\s+(?:following|next|below)\s+|this\s+|our\s+)?(?:link|article|page)\b|\bcheck\s*:?\s*urlx|\b(?:send\s+us\s+a\s+note|connect\s+with\s+us|follow\s+up\s+here|reach\s+(?:out\s+to\s+)?us|tell\s+us\s+more|get\s+started\s+here|stay\s+tuned\s+to|use\s+this\s+link)\b[^.!?]{0,60}?urlx|\b(?:speak|talk)\s+(?:to|with)\s+(?:a\s+member\s+of\s+)?(?:the|our|a|an|one\s+of\s+our)\s+(?:\w+\s+){0,3}(?:crew|staff|team|agents?|desk|representatives?|department)\b|\bsee\s+(?:any|one)\s+of\s+our\s+(?:\w+\s+){0,3}agents\b|\bsecured?\s+(?:link|web\s+browser|chat)\b",
        "Sends to a web page, another team or a place: \"visit <url>\", \"please visit: <url>\", \"click here\", \"check the following link\", \"send us a note via <url>\", \"tell us more so we can help: <url>\", \"head over to our help center\", \"speak to a member of the crew\", \"have you spoken to our holidays team\", \"a private secured link\".",
    ),
    rule(
        "referral.email.en",
        Mode::Referral,
        "en",
        r"\be-?mail\s+(?:us|me)\b|\b(?:send|drop|shoot)\s+(?:us\s+|me\s+)?an?\s+e-?mail\b|\b(?:reach|contact)\s+us\s+(?:by|via|at)\s+e-?mail\b",
        "Asks to e-mail: \"email us\", \"send us an email\", \"contact us by email\".",
    ),
    rule(
        "referral.chat.en",
        Mode::Referral,
        "en",
        r"\bchat\s+with\s+(?:us|our|an?\s+\w+)\b|\b(?:via|through|on|use)\s+(?:our\s+)?live\s+chat\b|\bchat\s+(?:team|here)\b",
        "Sends to a chat: \"chat with us\", \"chat with an agent\", \"via live chat\", \"the chat team\".",
    ),
    rule(
        "referral.form.en",
        Mode::Referral,
        "en",
        r"\b(?:fill(?:\s+(?:out|in))?|submit|complete)\s+(?:the|this|our|a|an)\s+(?:\w+\s+){0,2}form\b|\b(?:provide|submit|leave|report|enter|file|request)\b[^.!?]{0,60}\b(?:here|this\s+link|(?:the\s+)?link\s+below|at|via)\s*:?\s*urlx",
        "Sends to a form or link: \"fill out the form\", \"submit a request here: <url>\", \"provide your details here: <url>\".",
    ),
    // 2. Internal.
    rule(
        "internal.staff.nl",
        Mode::Internal,
        "nl",
        r"\b(?:vacatures?|kom\s+(?:bij\s+ons\s+)?werken|werken\s+bij|we\s+zoeken\s+(?:een\s+)?(?:nieuwe\s+)?(?:collega|medewerker)s?|nieuwe\s+collega'?s?|personeelsvereniging|onze\s+medewerkers)\b",
        "About the organisation itself: vacancies, colleagues, staff (\"vacature\", \"kom werken bij\", \"nieuwe collega\").",
    ),
    rule(
        "internal.staff.en",
        Mode::Internal,
        "en",
        r"\b(?:we(?:'re|\s+are)\s+hiring|join\s+our\s+team|job\s+(?:opening|vacancy|vacancies)|vacanc(?:y|ies)|our\s+(?:staff|colleagues|employees)|new\s+colleagues?|careers?\s+(?:at|page))\b",
        "About the organisation itself: vacancies, colleagues, staff (\"we're hiring\", \"join our team\").",
    ),
    // 3. Co-decide.
    rule(
        "co_decide.vote.nl",
        Mode::CoDecide,
        "nl",
        r"\b(?:stem\s+(?:mee|nu|hier|op|voor)|stem(?:t)?\s+(?:u|jij|je)\s+mee|breng\s+(?:je|jouw|uw)\s+stem\s+uit|kies\s+(?:mee|jouw|je\s+favoriet|uw\s+favoriet)|poll|peiling|beslis\s+mee|beslist\s+u\s+mee|meebeslissen|referendum|burgerbegroting|welke\s+(?:optie|variant|naam|ontwerp)\s+(?:kies|kiest|wil|wilt|heeft|vind|vindt))\b",
        "Asks to choose or vote: \"stem mee\", \"kies mee\", \"poll\", \"peiling\", \"beslis mee\", \"welke variant kiest u\".",
    ),
    rule(
        "co_decide.vote.en",
        Mode::CoDecide,
        "en",
        r"\b(?:vote\s+(?:now|here|for|on)|cast\s+your\s+vote|poll|you\s+decide|help\s+us\s+(?:choose|decide|pick)|which\s+(?:option|design|name)\s+(?:do|would|should)\s+you)\b",
        "Asks to choose or vote: \"vote now\", \"cast your vote\", \"poll\", \"help us choose\".",
    ),
    // 4. Co-produce.
    rule(
        "co_produce.report.nl",
        Mode::CoProduce,
        "nl",
        r"\b(?:meld\s+(?:het|dit|dat|uw|je|een|overlast|schade|gevaarlijke|verdachte)|doe\s+(?:een\s+)?melding|maak\s+(?:een\s+)?melding|(?:heeft|hebt|heb)\s+(?:u|je|jij)\s+(?:iets\s+)?(?:gezien|informatie|tips?)\b|tips?\s+(?:zijn\s+)?welkom|help\s+(?:ons|mee|jij\s+mee|u\s+mee)|doe\s+(?:ook\s+)?mee|(?:word|wordt)\s+vrijwilliger|getuigen\s+gezocht|deel\s+(?:je|jouw|uw)\s+(?:foto|ervaring|idee))",
        "Asks citizens to act, report or contribute: \"meld overlast\", \"doe een melding\", \"heeft u iets gezien\", \"help mee\", \"doe mee\", \"getuigen gezocht\".",
    ),
    rule(
        "co_produce.report.en",
        Mode::CoProduce,
        "en",
        r"(?:^|[.!?:;]\s*|\b(?:please|pls|kindly|you\s+can|you\s+could)\s+)report\b|\b(?:let\s+us\s+know\s+if\s+you\s+(?:see|spot|notice)|help\s+us\s+(?:by|find|keep|spread|improve)|share\s+your\s+(?:photos?|stories|story|ideas?|experiences?)|volunteer|get\s+involved|take\s+part|witnesses|have\s+you\s+seen)\b",
        "Asks citizens to act, report or contribute: \"please report …\", \"help us find\", \"share your photos\", \"volunteer\", \"get involved\".",
    ),
    // 5. Consult.
    rule(
        "consult.opinion.nl",
        Mode::Consult,
        "nl",
        r"\b(?:wat\s+(?:vind|vindt|denk|denkt)\s+(?:jij|je|u)|(?:jouw|uw)\s+mening|geef\s+(?:je|jouw|uw)\s+(?:mening|reactie|idee|ideeën)|denk\s+mee|praat\s+mee|enquête|enquete|vragenlijst|inspraak(?:avond)?|informatieavond|bewonersavond|consultatie|laat\s+(?:het\s+)?(?:ons\s+)?weten\s+wat\s+(?:je|u)\s+(?:vindt|denkt))\b",
        "Asks opinions or questions: \"wat vindt u\", \"uw mening\", \"denk mee\", \"praat mee\", \"enquête\", \"inspraakavond\".",
    ),
    rule(
        "consult.opinion.en",
        Mode::Consult,
        "en",
        r"\b(?:what\s+do\s+you\s+think|what(?:'s|\s+is)\s+your\s+(?:opinion|view|take)|(?:tell|let)\s+us\s+(?:know\s+)?(?:what\s+you\s+think|your\s+(?:thoughts|views|ideas|opinion))|have\s+your\s+say|share\s+your\s+(?:thoughts|views|feedback|opinion)|we\s+(?:want|would\s+like)\s+to\s+hear\s+(?:from\s+you|your)|we'd\s+like\s+to\s+hear\s+(?:from\s+you|your)|survey|consultation|town\s+hall)\b",
        "Asks opinions: \"what do you think\", \"have your say\", \"share your views\", \"we want to hear from you\", \"survey\".",
    ),
    rule(
        QUESTION_RULE,
        Mode::Consult,
        "any",
        "(is_question: a '?' outside URLs, or a leading question phrase; original posts only, not replies)",
        "An original post (not a reply) that asks the public a question.",
    ),
    // 6. Advise.
    rule(
        "advise.nl",
        Mode::Advise,
        "nl",
        r"\b(?:(?:we|wij)\s+raden\s+(?:u|je|jullie|aan)|raden\s+(?:we|wij)\s+(?:u\s+|je\s+|jullie\s+)?aan|(?:ons|het)\s+advies|tips?\s*:|let\s+op\s*[:!]|zorg\s+(?:dat|ervoor\s+dat|voor)|houd\s+rekening|blijf\s+(?:binnen|thuis|uit\s+de\s+buurt)|sluit\s+(?:ramen|deuren)|wees\s+voorzichtig|pas\s+op|vergeet\s+niet|(?:we|wij)\s+adviseren|adviseren\s+(?:we|wij)|probeer\s+(?:het|eens|dan|u|je|gerust))",
        "Recommends what to do: \"we raden u aan\", \"ons advies\", \"tip:\", \"let op:\", \"zorg dat\", \"blijf binnen\", \"probeer het …\".",
    ),
    rule(
        "advise.en",
        Mode::Advise,
        "en",
        r"\b(?:(?:we|i)\s+(?:recommend|suggest|advise)|(?:we'd|we\s+would|i'd|i\s+would)\s+(?:recommend|suggest|advise)|make\s+sure\s+(?:you|to|that\s+you|your)|tips?\s*:|pro\s+tip|be\s+sure\s+to|don't\s+forget\s+to|remember\s+to|stay\s+(?:indoors|inside|safe|away)|keep\s+an\s+eye)|(?:^|[.!?:;,]\s*|\b(?:please|pls|kindly|you\s+can|you\s+could|could\s+you|can\s+you|would\s+you|you\s+may\s+want\s+to|you\s+might\s+want\s+to)\s+)(?:try|restart|reinstall|update|clear|reset)\b",
        "Recommends what to do: \"we recommend\", \"we'd suggest\", \"make sure you\", \"tip:\", \"try …\", \"please restart …\".",
    ),
    // 7. Inform.
    raw_rule(
        "inform.link.any",
        Mode::Inform,
        "any",
        r"(?:https?://|\bwww\.)\S+",
        "Shares a link.",
    ),
    rule(
        "inform.announcement.nl",
        Mode::Inform,
        "nl",
        r"\b(?:vanaf|vandaag|morgen|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|(?:is|zijn)\s+(?:gesloten|geopend|open|weer)|nieuws|persbericht|update|bekendmaking|meer\s+(?:info|informatie|weten)|lees\s+(?:meer|hier)|wordt|worden)\b",
        "Announces or reports: days and dates, \"vanaf\", \"is gesloten\", \"nieuws\", \"update\", \"meer informatie\".",
    ),
    rule(
        "inform.announcement.en",
        Mode::Inform,
        "en",
        r"\b(?:today|tomorrow|tonight|this\s+(?:week|weekend)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:is|are|will\s+be)\s+(?:closed|open|available|live|back)|now\s+(?:available|open|live)|update|announce[ds]?|launch(?:es|ed)?|read\s+more|learn\s+more|find\s+out|more\s+info(?:rmation)?|you\s+can\s+now|we(?:'ve|\s+have)\s+(?:fixed|resolved|launched|updated|released)|(?:is|has\s+been)\s+(?:fixed|resolved))\b",
        "Announces or reports: days, \"today\", \"is closed\", \"now available\", \"update\", \"learn more\", \"has been fixed\".",
    ),
];

/// All rules, in the order [`classify`] tries them.
pub fn rules() -> &'static [Rule] {
    RULES
}

struct Compiled {
    /// Rule indexes (into RULES) per set, and the sets.
    clean_rules: Vec<usize>,
    clean: RegexSet,
    raw_rules: Vec<usize>,
    raw: RegexSet,
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| {
    let mut clean_rules = Vec::new();
    let mut raw_rules = Vec::new();
    for (index, rule) in RULES.iter().enumerate() {
        if rule.id == QUESTION_RULE {
            continue;
        }
        if rule.raw {
            raw_rules.push(index);
        } else {
            clean_rules.push(index);
        }
    }
    let set = |indexes: &[usize]| {
        // A roomy lazy-DFA cache: with the default one the set falls back to the slow engine.
        RegexSetBuilder::new(
            indexes
                .iter()
                .map(|&i| format!("(?i){}", ascii_boundaries(RULES[i].pattern))),
        )
        .dfa_size_limit(64 << 20)
        .build()
        .expect("the built-in rules compile")
    };
    Compiled {
        clean: set(&clean_rules),
        clean_rules,
        raw: set(&raw_rules),
        raw_rules,
    }
});

/// Word boundaries as ASCII ones: Unicode `\b` makes the regex engine leave its fast DFA on any
/// non-ASCII text (emoji, curly quotes), which is many times slower. The patterns' words are
/// ASCII at their edges, so matches change only next to non-ASCII letters (on the webcare demo,
/// one reply of 2,196).
fn ascii_boundaries(pattern: &str) -> String {
    pattern
        .replace(r"\b", r"(?-u:\b)")
        .replace(r"\B", r"(?-u:\B)")
}

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_boundaries(r"(?i)(?:https?://|\bwww\.)\S+")).expect("valid")
});
static MENTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&ascii_boundaries(r"\B@\w+")).expect("valid"));
static QUESTION_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_boundaries(
        r"(?i)(?:^|[.!:;\n]\s*)(?:(?:how|what|why|where|when|who|which)\s+(?:do|does|did|can|could|is|are|was|were|would|should|will|have|has)|(?:hoe|wat|waarom|waar|wanneer|wie|welke)\s+(?:kan|kun|kunt|kunnen|moet|moeten|is|zijn|doe|doet|heb|hebt|heeft|hebben|wordt|worden|gaat|gaan|zit|weet|vind|vindt))\b",
    ))
    .expect("valid")
});

/// The text rules match on: URLs replaced by ` urlx `, @mentions removed.
fn clean(text: &str) -> String {
    let without_urls = URL.replace_all(text, " urlx ");
    MENTION.replace_all(&without_urls, "").into_owned()
}

/// Whether a text asks a question: a question mark outside URLs, or a sentence that starts with
/// a question phrase ("how do", "what is", "hoe kan", "waarom is", …). Dutch and English.
pub fn is_question(text: &str) -> bool {
    let cleaned = clean(text);
    cleaned.contains('?') || cleaned.contains('？') || QUESTION_START.is_match(&cleaned)
}

fn language_allows(rule: &Rule, lang: Option<&str>) -> bool {
    let lang = lang.map(|l| l.trim().to_ascii_lowercase());
    match (rule.language, lang.as_deref()) {
        ("nl", Some(l)) => !l.starts_with("en"),
        ("en", Some(l)) => !l.starts_with("nl"),
        _ => true,
    }
}

/// The participation mode of one (government) post. `lang` is the post's language when known
/// ("nl", "en", …); `is_reply` says whether the post replies to another (then a question is not
/// consultation). The first rule in [`rules`] order that matches decides.
pub fn classify(text: &str, lang: Option<&str>, is_reply: bool) -> Classification {
    if text.trim().is_empty() {
        return Classification {
            mode: Mode::Other,
            rule: None,
            referral: false,
            question: false,
        };
    }
    let compiled = &*COMPILED;
    let cleaned = clean(text);
    let question =
        cleaned.contains('?') || cleaned.contains('？') || QUESTION_START.is_match(&cleaned);
    let mut matched = vec![false; RULES.len()];
    for hit in compiled.clean.matches(&cleaned).iter() {
        matched[compiled.clean_rules[hit]] = true;
    }
    for hit in compiled.raw.matches(text).iter() {
        matched[compiled.raw_rules[hit]] = true;
    }
    let winner = RULES.iter().enumerate().find(|(index, rule)| {
        language_allows(rule, lang)
            && if rule.id == QUESTION_RULE {
                question && !is_reply
            } else {
                matched[*index]
            }
    });
    match winner {
        Some((_, rule)) => Classification {
            mode: rule.mode,
            rule: Some(rule.id),
            referral: rule.mode == Mode::Referral,
            question,
        },
        None => Classification {
            mode: Mode::Other,
            rule: None,
            referral: false,
            question,
        },
    }
}

#[cfg(test)]
mod tests;
