//! `pursuit-bench replies`: what came back, read and classified, on a corpus of our own —
//! people's answers in seven languages (as plain text, as HTML only, with and without the
//! quoted email), automatic answers from several mail programs, bounces in the formats of
//! Postfix, Exim, Exchange, Gmail, qmail and Sendmail (permanent and delayed), and abuse
//! reports in ARF. Prints the accuracy of the kind (reply, automatic, bounce, complaint),
//! of a bounce's permanence and of a person's intent, per class, on two halves: A (the half
//! rules may be tuned on) and B (never looked at while tuning).

use std::collections::BTreeMap;

use pursuit_mail::inbound::{self, Kind};
use pursuit_text::replies::Intent;

/// What a message should be read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Reply(Intent),
    Automatic(Intent),
    Bounce { permanent: bool },
    Complaint,
}

struct Sample {
    raw: String,
    expect: Expect,
    /// The text it is made from: the two forms of one person's answer share it, so they
    /// fall in the same half.
    source: usize,
}

/// Sources of [`SECOND`] start here; they form their own part, C.
const SECOND_FROM: usize = 5_000;

const SENT: &str = "<0193a1b2c3d4.outreach@ana.example>";

/// People's answers: (intent, subject, body). Written to read like real mail, not to the rules.
const PEOPLE: &[(Intent, &str, &str)] = &[
    (
        Intent::InterviewRequest,
        "Re: Data Analyst at Kaiyo",
        "Hi Ana,\n\nThanks for getting in touch. Your background looks relevant to what we're building. Do you have 20 minutes on Thursday or Friday afternoon to talk it through?\n\nBest,\nGrace",
    ),
    (
        Intent::InterviewRequest,
        "Re: Analytics Engineer",
        "Hey Ana - appreciate the note. Let's chat. Grab whatever slot works on my calendar: https://cal.com/linus/30min",
    ),
    (
        Intent::InterviewRequest,
        "Re: BI Analyst role",
        "Hello Ana,\nI've forwarded your profile to our recruiter, Sam, who will reach out to set up a first interview. Looking forward to it.\nMaya",
    ),
    (
        Intent::InterviewRequest,
        "Re: Data Analyst",
        "Ana, thanks! Could we do a quick video call next Tuesday at 10am CET? If not, suggest a couple of times that suit you.",
    ),
    (
        Intent::InterviewRequest,
        "Re: Junior Data Scientist",
        "Hi Ana, we'd like to invite you to a first conversation with the hiring team. Are you free some time next week?",
    ),
    (
        Intent::InterviewRequest,
        "Re: Product Analyst",
        "Great timing - we just opened this role. I'd love to hear more about your experimentation work. Are you around for a call tomorrow?",
    ),
    (
        Intent::InterviewRequest,
        "AW: Datenanalyst (m/w/d)",
        "Hallo Frau Lima,\n\nvielen Dank für Ihre Nachricht. Wir würden Sie gern zu einem ersten Gespräch einladen. Hätten Sie nächste Woche Mittwoch um 14 Uhr Zeit?\n\nViele Grüße\nJonas Weber",
    ),
    (
        Intent::InterviewRequest,
        "AW: Analytics Engineer",
        "Hallo Ana, danke für das Interesse! Lass uns gern telefonieren – wann passt es dir diese Woche?",
    ),
    (
        Intent::InterviewRequest,
        "RE: Analyste de données",
        "Bonjour Ana,\n\nMerci pour votre message. Votre profil nous intéresse, seriez-vous disponible pour un entretien téléphonique jeudi prochain ?\n\nCordialement,\nClaire Martin",
    ),
    (
        Intent::InterviewRequest,
        "RE: Data Analyst",
        "Bonjour, je vous propose un échange en visio la semaine prochaine. Pouvez-vous m'indiquer vos disponibilités ?",
    ),
    (
        Intent::InterviewRequest,
        "RE: Analista de datos",
        "Hola Ana,\n\nGracias por escribirnos. Nos gustaría conocerte. ¿Tienes disponibilidad para una videollamada el lunes por la mañana?\n\nSaludos,\nLucía",
    ),
    (
        Intent::InterviewRequest,
        "Re: Analista de Dados",
        "Oi Ana, tudo bem? Gostei do seu perfil. Podemos marcar uma conversa rápida na quinta-feira?",
    ),
    (
        Intent::InterviewRequest,
        "Re: Data Analyst",
        "Ciao Ana, grazie per il messaggio. Ti andrebbe di fare un colloquio conoscitivo la prossima settimana? Dimmi tu quando preferisci.",
    ),
    (
        Intent::InterviewRequest,
        "Re: Data-analist",
        "Hoi Ana, bedankt voor je bericht! Zullen we volgende week even bellen? Laat maar weten wanneer het jou uitkomt.",
    ),
    (
        Intent::InterviewRequest,
        "Re: Analytics role",
        "Sure, happy to talk. I'm free Monday 3-5pm PT or Wednesday morning. Send an invite to this address.",
    ),
    (
        Intent::InterviewRequest,
        "Interview invitation - Data Analyst",
        "Dear Ana,\n\nFollowing your message, we are pleased to invite you to interview for the Data Analyst position. Please use the link below to choose a slot.\n\nKind regards,\nTalent Team",
    ),
    (
        Intent::InterviewRequest,
        "Re: Data Analyst",
        "Thanks for reaching out Ana. The team lead would like to meet you - what does your week look like?",
    ),
    (
        Intent::InterviewRequest,
        "Re: Analyst",
        "Let's find a time to connect. How about a 30 min call Thursday?",
    ),
    (
        Intent::Rejection,
        "Re: Data Analyst at Kaiyo",
        "Hi Ana,\n\nThank you for thinking of us. We've decided to move forward with another candidate whose experience more closely matches our needs right now. I'll keep your details in mind for future openings.\n\nAll the best,\nGrace",
    ),
    (
        Intent::Rejection,
        "Re: Analytics Engineer",
        "Hey Ana, thanks for reaching out. Unfortunately we're not hiring for that position anymore - the req was closed last week. Good luck with the search!",
    ),
    (
        Intent::Rejection,
        "Re: BI Analyst",
        "Hi Ana, I appreciate your interest, but we're looking for someone with more senior experience for this role. Wishing you the best.",
    ),
    (
        Intent::Rejection,
        "Re: Data Analyst",
        "Thanks Ana. The position has already been filled, sorry about that.",
    ),
    (
        Intent::Rejection,
        "Re: Junior Data Scientist",
        "Dear Ana, after careful consideration we will not be progressing your application further. Thank you for your time.",
    ),
    (
        Intent::Rejection,
        "Re: Product Analyst",
        "Hi - we've paused hiring for the rest of the year, so I can't take this further at the moment. Sorry!",
    ),
    (
        Intent::Rejection,
        "AW: Datenanalyst (m/w/d)",
        "Sehr geehrte Frau Lima,\n\nvielen Dank für Ihr Interesse. Leider müssen wir Ihnen mitteilen, dass wir uns für eine andere Bewerberin entschieden haben.\n\nMit freundlichen Grüßen\nJonas Weber",
    ),
    (
        Intent::Rejection,
        "AW: Analytics Engineer",
        "Hallo Ana, danke dir – die Stelle ist leider schon vergeben. Alles Gute!",
    ),
    (
        Intent::Rejection,
        "RE: Analyste de données",
        "Bonjour Ana,\n\nNous vous remercions pour votre intérêt. Malheureusement, nous ne pouvons pas donner une suite favorable à votre candidature.\n\nBien à vous,\nClaire",
    ),
    (
        Intent::Rejection,
        "RE: Data Analyst",
        "Bonjour, le poste est déjà pourvu, désolée. Bonne continuation !",
    ),
    (
        Intent::Rejection,
        "RE: Analista de datos",
        "Hola Ana, gracias por tu interés. Lamentablemente hemos decidido seguir adelante con otro perfil. Te deseamos mucha suerte.",
    ),
    (
        Intent::Rejection,
        "Re: Analista de Dados",
        "Olá Ana, agradeço o contato, mas infelizmente a vaga já foi preenchida.",
    ),
    (
        Intent::Rejection,
        "Re: Data Analyst",
        "Ciao Ana, ti ringrazio ma purtroppo abbiamo già chiuso la selezione per questa posizione.",
    ),
    (
        Intent::Rejection,
        "Re: Data-analist",
        "Hoi Ana, bedankt voor je interesse. Helaas hebben we de vacature al ingevuld.",
    ),
    (
        Intent::Rejection,
        "Re: Analytics role",
        "Please remove me from your list, not interested.",
    ),
    (
        Intent::Rejection,
        "Re: Data Analyst",
        "Hi Ana, we won't be moving ahead with external candidates for this one. Take care.",
    ),
    (
        Intent::Rejection,
        "Re: Analyst",
        "Not a fit for us right now, sorry. Best of luck.",
    ),
    (
        Intent::Rejection,
        "Your application",
        "Hello Ana, thank you for applying. We regret to inform you that we have chosen to proceed with other applicants.",
    ),
    (
        Intent::NeedsAction,
        "Re: Data Analyst at Kaiyo",
        "Hi Ana, thanks for the note. Before we set anything up, could you send me your CV and a sample of a dashboard you've built?",
    ),
    (
        Intent::NeedsAction,
        "Re: Analytics Engineer",
        "Hey, please apply through our careers page so the team can see your application: https://kaiyo.example/careers/123 - then ping me and I'll flag it.",
    ),
    (
        Intent::NeedsAction,
        "Re: BI Analyst",
        "Hi Ana, what are your salary expectations and notice period? That will help me before passing this on.",
    ),
    (
        Intent::NeedsAction,
        "Re: Data Analyst",
        "Thanks! Can you complete the short take-home exercise attached and return it by Friday?",
    ),
    (
        Intent::NeedsAction,
        "Re: Product Analyst",
        "Could you share a couple of references from your last role?",
    ),
    (
        Intent::NeedsAction,
        "AW: Datenanalyst (m/w/d)",
        "Hallo Frau Lima, bitte senden Sie uns Ihre vollständigen Unterlagen inklusive Zeugnisse über unser Bewerberportal.",
    ),
    (
        Intent::NeedsAction,
        "RE: Analyste de données",
        "Bonjour, merci de nous envoyer votre CV à jour ainsi que vos prétentions salariales.",
    ),
    (
        Intent::NeedsAction,
        "RE: Analista de datos",
        "Hola Ana, ¿podrías enviarme tu portafolio y tu CV en inglés?",
    ),
    (
        Intent::NeedsAction,
        "Re: Analista de Dados",
        "Oi Ana, poderia enviar seu currículo atualizado para este e-mail?",
    ),
    (
        Intent::NeedsAction,
        "Re: Data Analyst",
        "Ciao Ana, potresti inviarmi il tuo CV aggiornato?",
    ),
    (
        Intent::NeedsAction,
        "Re: Data-analist",
        "Hoi Ana, kun je je cv en motivatie naar mij sturen?",
    ),
    (
        Intent::NeedsAction,
        "Re: Analyst",
        "Please fill out the form at the link below and we'll review it with the team.",
    ),
    (
        Intent::Other,
        "Re: Data Analyst at Kaiyo",
        "Thanks Ana, got it. I'm passing this to the hiring manager.",
    ),
    (
        Intent::Other,
        "Re: Analytics Engineer",
        "Hi, I'm no longer at Kaiyo - you might try Priya Shah who leads the team now.",
    ),
    (Intent::Other, "Re: BI Analyst", "Received, thank you."),
    (
        Intent::Other,
        "Re: Data Analyst",
        "Thanks for the message! I'll take a look when I'm back at my desk.",
    ),
    (
        Intent::Other,
        "AW: Datenanalyst (m/w/d)",
        "Danke, ist angekommen. Ich melde mich.",
    ),
    (
        Intent::Other,
        "RE: Analyste de données",
        "Bien reçu, merci. Je transmets à l'équipe.",
    ),
    (
        Intent::Other,
        "RE: Analista de datos",
        "Gracias, lo reviso y te comento.",
    ),
    (
        Intent::Other,
        "Re: Analista de Dados",
        "Obrigado pelo contato, vou encaminhar.",
    ),
    (
        Intent::Other,
        "Re: Data Analyst",
        "Grazie, inoltro al responsabile.",
    ),
    (
        Intent::Other,
        "Re: Data-analist",
        "Dank je, ik stuur het door naar de juiste persoon.",
    ),
    (Intent::Other, "Re: Analyst", "Who gave you my address?"),
    (
        Intent::Other,
        "Re: Data Analyst",
        "Interesting background. Out of curiosity, what drew you to logistics?",
    ),
];

/// A second set of people's answers, written after half B's score was known (and without
/// reading B's texts): the rules' second round is tuned on A and this set, B stays held out.
const SECOND: &[(Intent, &str, &str)] = &[
    (
        Intent::InterviewRequest,
        "Re: Analyst role",
        "Hi Ana, thanks for reaching out. I'd be happy to chat. How does Tuesday at 2pm look for you?\n\nPriya",
    ),
    (
        Intent::InterviewRequest,
        "Re: Data role",
        "Ana - this is great timing, we just opened the req. Can you do 30 min tomorrow or Wednesday morning?",
    ),
    (
        Intent::InterviewRequest,
        "Re: Your note",
        "Thanks for the note! Let's set something up. I'm free most afternoons next week - send me a couple of slots.",
    ),
    (
        Intent::InterviewRequest,
        "Re: Reporting Analyst",
        "Hello Ana,\nYour experience with dashboards is exactly what we need. Would you like to come in and meet the team on Friday?\nKind regards,\nTom",
    ),
    (
        Intent::InterviewRequest,
        "Re: Analytics role at Brightline",
        "Hi! Appreciate you getting in touch. Our recruiter Jess will reach out to schedule a first round. Talk soon.",
    ),
    (
        Intent::InterviewRequest,
        "Re: Data Analyst",
        "Ana, happy to connect. Here's a link to my calendar, pick any 20-minute slot that works: https://calendar.example/omar",
    ),
    (
        Intent::InterviewRequest,
        "Re: BI role",
        "Thanks Ana. Could we jump on Zoom Thursday at 11? I'll send an invite if that works.",
    ),
    (
        Intent::InterviewRequest,
        "AW: Data Analyst",
        "Hallo Ana,\nvielen Dank für Ihre Nachricht. Hätten Sie nächste Woche Zeit für ein kurzes Gespräch? Dienstag oder Mittwoch würde passen.\nBeste Grüße\nJonas",
    ),
    (
        Intent::InterviewRequest,
        "RE: Analyste de données",
        "Bonjour Ana,\nMerci pour votre message. Seriez-vous disponible jeudi pour un premier échange par téléphone ?\nCordialement,\nClaire",
    ),
    (
        Intent::InterviewRequest,
        "Re: Analista de datos",
        "Hola Ana, gracias por escribir. ¿Te vendría bien una videollamada el lunes por la tarde?\nSaludos,\nLucía",
    ),
    (
        Intent::Rejection,
        "Re: Analyst role",
        "Hi Ana, thank you for your interest. We've decided to go with someone whose background is closer to what the team needs. All the best.",
    ),
    (
        Intent::Rejection,
        "Re: Data role",
        "Thanks for reaching out, Ana. We've actually just filled that role, so there's nothing open right now. Good luck with the search.",
    ),
    (
        Intent::Rejection,
        "Re: Your note",
        "Ana, appreciate the message, but we're in a hiring freeze until next year and can't take this further.",
    ),
    (
        Intent::Rejection,
        "Re: Reporting Analyst",
        "Hello Ana,\nAfter reviewing your profile with the team, we won't be taking your application further at this stage.\nRegards,\nHR",
    ),
    (
        Intent::Rejection,
        "Re: Analytics role at Brightline",
        "Hi Ana, thanks for thinking of us. We're going to pass for now - the role has shifted toward a more senior profile.",
    ),
    (
        Intent::Rejection,
        "Re: Data Analyst",
        "Thanks Ana. I'm sorry to say we've gone in a different direction with this hire. Wishing you success.",
    ),
    (
        Intent::Rejection,
        "Re: BI role",
        "Hi Ana, we appreciate your interest but have chosen to proceed with candidates whose experience more closely matches the role.",
    ),
    (
        Intent::Rejection,
        "AW: Data Analyst",
        "Hallo Ana,\nvielen Dank für Ihr Interesse. Wir haben uns für eine andere Kandidatin entschieden. Wir wünschen Ihnen alles Gute.\nJonas",
    ),
    (
        Intent::Rejection,
        "RE: Analyste de données",
        "Bonjour Ana,\nNous vous remercions de votre intérêt. Nous avons retenu un autre profil pour ce poste.\nBien à vous,\nClaire",
    ),
    (
        Intent::Rejection,
        "Re: Analista de datos",
        "Hola Ana, gracias por tu interés. Hemos decidido avanzar con otra persona para este puesto. Mucho éxito.",
    ),
    (
        Intent::NeedsAction,
        "Re: Analyst role",
        "Hi Ana, thanks! Before we talk, could you fill in the short form on our careers page so the team has your details?",
    ),
    (
        Intent::NeedsAction,
        "Re: Data role",
        "Thanks Ana. Could you send me your CV and a link to one project you are proud of?",
    ),
    (
        Intent::NeedsAction,
        "Re: Your note",
        "Hello, we'd need you to submit an application through our jobs portal first; I can't move it forward by email.",
    ),
    (
        Intent::NeedsAction,
        "Re: Reporting Analyst",
        "Hi Ana, what are your salary expectations and your notice period? Send those over and I'll pass them along.",
    ),
    (
        Intent::NeedsAction,
        "AW: Data Analyst",
        "Hallo Ana, könnten Sie mir bitte Ihren Lebenslauf und Ihre Zeugnisse schicken? Danke!",
    ),
    (
        Intent::Other,
        "Re: Analyst role",
        "Thanks Ana, I've forwarded this internally. I'm not the right person but someone may be in touch.",
    ),
    (
        Intent::Other,
        "Re: Data role",
        "Hi Ana, got your message. Things are hectic this month; I'll look at it properly when I can.",
    ),
    (
        Intent::Other,
        "Re: Your note",
        "Thank you for the kind words about our product launch! Glad you enjoyed the talk.",
    ),
    (
        Intent::Other,
        "Re: Reporting Analyst",
        "Hi Ana, just so you know I've moved to a different company, so I can't help with this one any more.",
    ),
    (
        Intent::Other,
        "Re: BI role",
        "Ana - received, thanks. Will share with the hiring manager.",
    ),
];

/// Automatic answers: (intent, subject, extra headers, body).
const AUTOMATIC: &[(Intent, &str, &str, &str)] = &[
    (
        Intent::OutOfOffice,
        "Automatic reply: Data Analyst at Kaiyo",
        "Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All\n",
        "I'm out of the office until 14 December with limited access to email. For urgent matters contact ops@kaiyo.example.",
    ),
    (
        Intent::OutOfOffice,
        "Out of Office: Analytics Engineer",
        "X-Autoreply: yes\n",
        "Thanks for your email. I am currently on annual leave and will respond on my return on Monday.",
    ),
    (
        Intent::OutOfOffice,
        "Re: BI Analyst",
        "Auto-Submitted: auto-replied\nPrecedence: bulk\n",
        "Hi, I'm on parental leave until March. Your message will not be forwarded.",
    ),
    (
        Intent::OutOfOffice,
        "Abwesenheitsnotiz: Datenanalyst",
        "Auto-Submitted: auto-replied\n",
        "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 20.12. nicht im Büro und habe keinen Zugriff auf meine E-Mails.",
    ),
    (
        Intent::OutOfOffice,
        "Automatische Antwort: Analytics Engineer",
        "X-Auto-Response-Suppress: All\n",
        "Ich bin derzeit im Urlaub und ab dem 5. Januar wieder erreichbar.",
    ),
    (
        Intent::OutOfOffice,
        "Réponse automatique : Analyste de données",
        "Auto-Submitted: auto-replied\n",
        "Bonjour, je suis absente jusqu'au 2 janvier. Je traiterai votre message à mon retour.",
    ),
    (
        Intent::OutOfOffice,
        "Respuesta automática: Analista de datos",
        "Auto-Submitted: auto-replied\n",
        "Estoy fuera de la oficina hasta el 8 de enero con acceso limitado al correo.",
    ),
    (
        Intent::OutOfOffice,
        "Resposta automática: Analista de Dados",
        "X-Autoreply: yes\n",
        "Estou de férias até dia 15 e responderei assim que possível.",
    ),
    (
        Intent::OutOfOffice,
        "Risposta automatica: Data Analyst",
        "Auto-Submitted: auto-replied\n",
        "Sono fuori ufficio fino al 7 gennaio. Per urgenze scrivere a info@example.it.",
    ),
    (
        Intent::OutOfOffice,
        "Automatisch antwoord: Data-analist",
        "Auto-Submitted: auto-replied\n",
        "Ik ben afwezig tot en met 3 januari en lees mijn e-mail niet.",
    ),
    (
        Intent::OutOfOffice,
        "Auto: Data Analyst",
        "Auto-Submitted: auto-generated\n",
        "I am travelling this week and will reply when I'm back on Monday.",
    ),
    (
        Intent::OutOfOffice,
        "Away",
        "Precedence: auto_reply\n",
        "I'm away from my desk until the 12th. Back soon.",
    ),
    (
        Intent::AutoConfirmation,
        "We received your message",
        "Auto-Submitted: auto-generated\n",
        "Thank you for contacting the Kaiyo talent team. This is an automated confirmation that we have received your message. We aim to respond within 5 working days.",
    ),
    (
        Intent::AutoConfirmation,
        "Thank you for your application",
        "Auto-Submitted: auto-generated\nPrecedence: bulk\n",
        "Thanks for applying to Kaiyo! We've received your application for Data Analyst and our team will review it shortly. Please do not reply to this email.",
    ),
    (
        Intent::AutoConfirmation,
        "Eingangsbestätigung Ihrer Bewerbung",
        "Auto-Submitted: auto-generated\n",
        "Sehr geehrte Bewerberin, wir bestätigen den Eingang Ihrer Bewerbung und melden uns in Kürze.",
    ),
    (
        Intent::AutoConfirmation,
        "Accusé de réception",
        "Auto-Submitted: auto-generated\n",
        "Nous avons bien reçu votre candidature et nous reviendrons vers vous rapidement.",
    ),
    (
        Intent::AutoConfirmation,
        "Confirmación de recepción",
        "X-Autoreply: yes\n",
        "Hemos recibido tu mensaje. Te responderemos lo antes posible.",
    ),
    (
        Intent::AutoConfirmation,
        "Recebemos sua mensagem",
        "Auto-Submitted: auto-generated\n",
        "Olá! Recebemos sua mensagem e retornaremos em breve.",
    ),
    (
        Intent::AutoConfirmation,
        "Ticket #48213 created",
        "Auto-Submitted: auto-generated\n",
        "Your request has been received and a ticket has been created. A member of our team will get back to you.",
    ),
    (
        Intent::AutoConfirmation,
        "Re: Data Analyst",
        "Auto-Submitted: auto-replied\n",
        "This mailbox is not monitored. Your message has been received; for hiring questions please use our careers portal.",
    ),
];

/// A DSN in one MTA's style: (from, subject, the human part, status, action, diagnostic).
const MTAS: &[(&str, &str, &str)] = &[
    (
        "Mail Delivery System <MAILER-DAEMON@mx1.example.net>",
        "Undelivered Mail Returned to Sender",
        "This is the mail system at host mx1.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.",
    ),
    (
        "Mail Delivery System <Mailer-Daemon@mail.example.org>",
        "Mail delivery failed: returning message to sender",
        "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error.",
    ),
    (
        "Microsoft Outlook <postmaster@contoso.example>",
        "Undeliverable: Data Analyst at Kaiyo",
        "Delivery has failed to these recipients or groups:\n\nThe email address you entered couldn't be found.",
    ),
    (
        "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
        "Delivery Status Notification (Failure)",
        "** Address not found **\n\nYour message wasn't delivered because the address couldn't be found, or is unable to receive mail.",
    ),
    (
        "Mail Delivery Subsystem <MAILER-DAEMON@relay.example.com>",
        "Returned mail: see transcript for details",
        "The original message was received at Fri, 4 Dec 2026 10:00:00 GMT\n\n   ----- The following addresses had permanent fatal errors -----",
    ),
];

fn dsn(i: usize, permanent: bool, recipient: &str) -> String {
    let (from, subject, human) = MTAS[i % MTAS.len()];
    let (action, status, diagnostic) = if permanent {
        match i % 4 {
            0 => (
                "failed",
                "5.1.1",
                "smtp; 550 5.1.1 <{r}>: Recipient address rejected: User unknown",
            ),
            1 => (
                "failed",
                "5.2.1",
                "smtp; 550 5.2.1 The email account that you tried to reach is disabled",
            ),
            2 => (
                "failed",
                "5.7.1",
                "smtp; 550 5.7.1 Delivery not authorized, message refused",
            ),
            _ => (
                "failed",
                "5.4.1",
                "smtp; 550 5.4.1 Recipient address rejected: Access denied",
            ),
        }
    } else {
        match i % 2 {
            0 => (
                "delayed",
                "4.4.7",
                "smtp; 451 4.4.7 Message delayed, will retry",
            ),
            _ => ("delayed", "4.2.2", "smtp; 452 4.2.2 Mailbox full"),
        }
    };
    let diagnostic = diagnostic.replace("{r}", recipient);
    let subject = if permanent {
        subject.to_owned()
    } else {
        "Delivery Status Notification (Delay)".to_owned()
    };
    format!(
        "From: {from}\nTo: ana@ana.example\nSubject: {subject}\nMessage-ID: <dsn-{i}@mta.example>\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n boundary=\"B{i}\"\n\n--B{i}\nContent-Type: text/plain; charset=us-ascii\n\n{human}\n\n--B{i}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mta{i}.example\nArrival-Date: Fri, 4 Dec 2026 10:00:00 +0000\n\nFinal-Recipient: rfc822; {recipient}\nOriginal-Recipient: rfc822;{recipient}\nAction: {action}\nStatus: {status}\nRemote-MTA: dns; mx.{i}.example\nDiagnostic-Code: {diagnostic}\n\n--B{i}\nContent-Type: {}\n\nFrom: Ana Lima <ana@ana.example>\nTo: {recipient}\nSubject: Data Analyst at Kaiyo\nMessage-ID: {SENT}\nDate: Fri, 4 Dec 2026 09:59:00 +0000\n{}\n--B{i}--\n",
        if i.is_multiple_of(2) {
            "text/rfc822-headers"
        } else {
            "message/rfc822"
        },
        if i.is_multiple_of(2) {
            ""
        } else {
            "\nHi, I would like to talk about the Data Analyst role.\n"
        },
    )
}

/// Bounces without a delivery-status part (qmail, old Exim, some hosted mail).
fn plain_bounce(i: usize, recipient: &str) -> String {
    match i % 3 {
        0 => format!(
            "From: MAILER-DAEMON@mail{i}.example.net\nTo: ana@ana.example\nSubject: failure notice\nMessage-ID: <qmail-{i}@mail.example.net>\n\nHi. This is the qmail-send program at mail{i}.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<{recipient}>:\n550 5.1.1 No such user\n\n--- Below this line is a copy of the message.\n\nMessage-ID: {SENT}\nSubject: Data Analyst at Kaiyo\n\nHi\n"
        ),
        1 => format!(
            "From: Mail Delivery System <Mailer-Daemon@host{i}.example.org>\nTo: ana@ana.example\nSubject: Mail delivery failed: returning message to sender\nMessage-ID: <exim-{i}@host.example.org>\n\nThis message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  {recipient}\n    SMTP error from remote mail server after RCPT TO:<{recipient}>:\n    550 5.1.1 User unknown\n\n------ This is a copy of the message, including all the headers. ------\n\nMessage-ID: {SENT}\nFrom: Ana Lima <ana@ana.example>\nSubject: Data Analyst at Kaiyo\n"
        ),
        _ => format!(
            "From: postmaster@corp{i}.example\nTo: ana@ana.example\nSubject: Undeliverable: Data Analyst at Kaiyo\nMessage-ID: <ndr-{i}@corp.example>\n\nYour message to {recipient} couldn't be delivered.\n{recipient} wasn't found at corp{i}.example.\n\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n\nOriginal message headers:\n\nMessage-ID: {SENT}\nSubject: Data Analyst at Kaiyo\n"
        ),
    }
}

/// ARF reports in the styles feedback loops send.
fn arf(i: usize) -> String {
    let (from, kind, agent) = match i % 3 {
        0 => (
            "Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.example>",
            "abuse",
            "Yahoo!-Mail-Feedback/2.0",
        ),
        1 => ("staff@hotmail.example", "abuse", "Microsoft JMRP"),
        _ => ("fbl@isp.example", "fraud", "ISP-FBL/1.0"),
    };
    format!(
        "From: {from}\nTo: ana@ana.example\nSubject: FW: Data Analyst at Kaiyo\nMessage-ID: <arf-{i}@fbl.example>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"F{i}\"\n\n--F{i}\nContent-Type: text/plain\n\nThis is an email abuse report for an email message received from IP 192.0.2.{i}.\n\n--F{i}\nContent-Type: message/feedback-report\n\nFeedback-Type: {kind}\nUser-Agent: {agent}\nVersion: 1\nOriginal-Mail-From: <ana@ana.example>\nArrival-Date: Fri, 4 Dec 2026 10:00:00 +0000\n\n--F{i}\nContent-Type: message/rfc822\n\nFrom: Ana Lima <ana@ana.example>\nTo: someone{i}@isp.example\nSubject: Data Analyst at Kaiyo\nMessage-ID: {SENT}\n\nHi, I would like to talk about the Data Analyst role.\n--F{i}--\n"
    )
}

fn html_only(body: &str) -> String {
    let paragraphs: Vec<String> = body
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>")))
        .collect();
    format!(
        "<html><body><div dir=\"ltr\">{}</div></body></html>",
        paragraphs.join("")
    )
}

fn corpus() -> Vec<Sample> {
    let mut all = Vec::new();
    for (i, (intent, subject, body)) in PEOPLE.iter().enumerate() {
        let who = format!("person{i}@company{i}.example");
        // Plain text with the quoted email under it.
        all.push(Sample {
            raw: format!("From: Someone <{who}>\nTo: ana@ana.example\nSubject: {subject}\nIn-Reply-To: {SENT}\nReferences: {SENT}\nMessage-ID: <p{i}@company.example>\nDate: Fri, 4 Dec 2026 11:00:00 +0000\n\n{body}\n\nOn Fri, 4 Dec 2026 at 10:00, Ana Lima <ana@ana.example> wrote:\n> Hi, I applied for the role and would be glad to talk for fifteen minutes.\n> Would a short call next week suit you?\n> Best regards, Ana\n"),
            expect: Expect::Reply(*intent),
            source: i,
        });
        // HTML only, no thread headers, a signature.
        all.push(Sample {
            raw: format!("From: {who}\nTo: ana@ana.example\nSubject: {subject}\nMessage-ID: <h{i}@company.example>\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n{}<br>--<br>Sent from my phone\n", html_only(body)),
            expect: Expect::Reply(*intent),
            source: i,
        });
    }
    for (i, (intent, subject, body)) in SECOND.iter().enumerate() {
        let who = format!("second{i}@firm{i}.example");
        all.push(Sample {
            raw: format!("From: Someone <{who}>\nTo: ana@ana.example\nSubject: {subject}\nIn-Reply-To: {SENT}\nMessage-ID: <s{i}@firm.example>\nDate: Sat, 5 Dec 2026 09:00:00 +0000\n\n{body}\n\nOn Fri, 4 Dec 2026 at 10:00, Ana Lima <ana@ana.example> wrote:\n> Hi, I applied for the role and would be glad to talk.\n"),
            expect: Expect::Reply(*intent),
            source: SECOND_FROM + i,
        });
    }
    for (i, (intent, subject, headers, body)) in AUTOMATIC.iter().enumerate() {
        all.push(Sample {
            raw: format!("From: Auto <auto{i}@company.example>\nTo: ana@ana.example\nSubject: {subject}\nIn-Reply-To: {SENT}\nMessage-ID: <a{i}@company.example>\n{headers}\n{body}\n"),
            expect: Expect::Automatic(*intent),
            source: 1_000 + i,
        });
    }
    for i in 0..40 {
        let permanent = i % 4 != 3;
        all.push(Sample {
            raw: dsn(i, permanent, &format!("gone{i}@company.example")),
            expect: Expect::Bounce { permanent },
            source: 2_000 + i,
        });
    }
    for i in 0..15 {
        all.push(Sample {
            raw: plain_bounce(i, &format!("nobody{i}@company.example")),
            expect: Expect::Bounce { permanent: true },
            source: 3_000 + i,
        });
    }
    for i in 0..15 {
        all.push(Sample {
            raw: arf(i),
            expect: Expect::Complaint,
            source: 4_000 + i,
        });
    }
    for s in &mut all {
        s.raw = s.raw.replace('\n', "\r\n");
    }
    all
}

fn label(e: Expect) -> String {
    match e {
        Expect::Reply(i) => format!("reply/{}", i.as_str()),
        Expect::Automatic(i) => format!("automatic/{}", i.as_str()),
        Expect::Bounce { permanent: true } => "bounce/permanent".to_owned(),
        Expect::Bounce { permanent: false } => "bounce/delayed".to_owned(),
        Expect::Complaint => "complaint".to_owned(),
    }
}

fn read_as(raw: &str) -> Option<Expect> {
    let read = inbound::read(raw.as_bytes())?;
    Some(match read.kind {
        Kind::Reply => {
            Expect::Reply(pursuit_text::replies::classify(&read.subject, &read.text).intent)
        }
        Kind::Automatic => {
            Expect::Automatic(pursuit_text::replies::automatic(&read.subject, &read.text).intent)
        }
        Kind::Bounce { permanent, .. } => Expect::Bounce { permanent },
        Kind::Complaint { .. } => Expect::Complaint,
    })
}

/// Prints accuracy per expected class for each half, and the misreadings when `show`.
pub fn run(show: bool) -> anyhow::Result<()> {
    let all = corpus();
    let sent_found = all
        .iter()
        .filter(|s| {
            inbound::read(s.raw.as_bytes())
                .is_some_and(|r| r.refers_to.iter().any(|id| format!("<{id}>") == SENT))
        })
        .count();
    println!(
        "corpus: {} messages ({} refer to the sent email)",
        all.len(),
        sent_found
    );
    for (half, name) in [
        (0, "A (may be tuned on)"),
        (2, "C (written for the second round, may be tuned on)"),
        (1, "B (held out)"),
    ] {
        let mut per: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        // Per class read: how often it was right (precision).
        let mut read: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let (mut right, mut total) = (0, 0);
        for sample in &all {
            // Halves by a fixed scramble of the source text, so each class has both and
            // no text is in both.
            let part = if sample.source >= SECOND_FROM {
                2
            } else {
                (sample.source.wrapping_mul(2_654_435_761) >> 7) % 2
            };
            if part != half {
                continue;
            }
            let got = read_as(&sample.raw);
            let ok = got == Some(sample.expect);
            let as_read = read
                .entry(got.map_or_else(|| "nothing".to_owned(), label))
                .or_default();
            as_read.1 += 1;
            as_read.0 += usize::from(ok);
            let entry = per.entry(label(sample.expect)).or_default();
            entry.1 += 1;
            total += 1;
            if ok {
                entry.0 += 1;
                right += 1;
            } else if show {
                println!(
                    "  [{name}] expected {}, read {}: {}",
                    label(sample.expect),
                    got.map_or_else(|| "nothing".to_owned(), label),
                    sample
                        .raw
                        .lines()
                        .find(|l| l.starts_with("Subject:"))
                        .unwrap_or_default()
                );
            }
        }
        println!(
            "half {name}: {right}/{total} right ({:.1}%)",
            100.0 * right as f64 / total.max(1) as f64
        );
        println!("  {:<30} {:>14} {:>16}", "class", "recall", "precision");
        for (class, (ok, n)) in &per {
            let (right_read, times_read) = read.get(class).copied().unwrap_or_default();
            println!(
                "  {class:<30} {ok:>3}/{n:<3} {:>5.1}%   {right_read:>3}/{times_read:<3} {:>5.1}%",
                100.0 * *ok as f64 / *n as f64,
                100.0 * right_read as f64 / times_read.max(1) as f64
            );
        }
    }
    Ok(())
}
