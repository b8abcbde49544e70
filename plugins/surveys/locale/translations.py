"""Danish words for the surveys plugin: ``python -m plugins.surveys.locale.translations`` re-extracts the
plugin's messages and writes ``da/LC_MESSAGES/messages.po`` from this table (texts the core already
translates are taken from the core's catalogue)."""
from __future__ import annotations

from pathlib import Path

from core.plugin_translations import write_catalogue


DANISH = {
    "%(answered)s of %(invited)s": "%(answered)s af %(invited)s",
    "%(answered)s of %(invited)s invited associations answered (%(share)s).":
        "%(answered)s af %(invited)s inviterede foreninger har svaret (%(share)s).",
    ("%(num)s of %(total)s invited association has answered.", "%(num)s of %(total)s invited associations have answered."):
        ("%(num)s af %(total)s inviteret forening har svaret.", "%(num)s af %(total)s inviterede foreninger har svaret."),
    ("%(num)s respondent", "%(num)s respondents"): ("%(num)s besvarelse", "%(num)s besvarelser"),
    ("%(num)s respondent answered it", "%(num)s respondents answered it"):
        ("%(num)s har besvaret spørgsmålet", "%(num)s har besvaret spørgsmålet"),
    "%(organisation)s has already answered this survey": "%(organisation)s har allerede besvaret undersøgelsen",
    "%(organisation)s has answered this survey. Thank you.": "%(organisation)s har besvaret undersøgelsen. Tak.",
    "%(question)s, per year": "%(question)s, pr. år",
    "2 to 40 lower-case letters, digits and _; keep it the same every year so the years can be compared":
        "2 til 40 små bogstaver, tal og _; behold den samme hvert år, så årene kan sammenlignes",
    "A group with fewer than %(min)s respondents is hidden, so its figures cannot point at an association.":
        "En gruppe med færre end %(min)s besvarelser skjules, så dens tal ikke kan pege på en forening.",
    "A key is 2 to 40 lower-case letters, digits and _, and stays the same every year":
        "En nøgle er 2 til 40 små bogstaver, tal og _ og er den samme hvert år",
    "A series key is 2 to 40 lower-case letters, digits and _: the same every year":
        "En serienøgle er 2 til 40 små bogstaver, tal og _: den samme hvert år",
    "A survey asks every partner of a programme. Give a yearly survey the same series key every year, and its "
    "questions the same keys, so the years can be compared: start from last year's survey to copy them.":
        "En undersøgelse spørger alle et programs partnere. Giv en årlig undersøgelse den samme serienøgle hvert "
        "år og dens spørgsmål de samme nøgler, så årene kan sammenlignes: tag udgangspunkt i sidste års "
        "undersøgelse for at kopiere dem.",
    "A whole number": "Et helt tal",
    "Add at least one question before the survey is opened": "Tilføj mindst ét spørgsmål, før undersøgelsen åbnes",
    "Anonymous": "Anonym",
    "Anonymous: record that an association answered, never what it answered":
        "Anonym: registrér, at en forening har svaret, aldrig hvad den svarede",
    "Answer": "Svar",
    "Answer at least one question": "Besvar mindst ét spørgsmål",
    "Answer every row of this question": "Besvar alle rækker i spørgsmålet",
    "Answer for another association": "Svar for en anden forening",
    "Answer this question": "Besvar spørgsmålet",
    "Answered": "Besvaret",
    "Answers to: %(question)s": "Svar på: %(question)s",
    "At most %(max)s lines": "Højst %(max)s linjer",
    "Break the results down by the answer to": "Opdel resultaterne efter svaret på",
    "Broken down by: %(question)s": "Opdelt efter: %(question)s",
    "Change a question": "Ændr et spørgsmål",
    "Choices (single choice, multiple choice, matrix)": "Svarmuligheder (ét svar, flere svar, matrix)",
    "Choices:": "Svarmuligheder:",
    "Choose a focus area from the list": "Vælg et indsatsområde på listen",
    "Choose a programme": "Vælg et program",
    "Choose among the answers given": "Vælg blandt de givne svar",
    "Choose an earlier survey from the list": "Vælg en tidligere undersøgelse på listen",
    "Choose an earlier survey of the same programme": "Vælg en tidligere undersøgelse fra samme program",
    "Choose one of the answers": "Vælg et af svarene",
    "Choose the kind of question from the list": "Vælg spørgsmålstypen på listen",
    "Close the survey": "Luk undersøgelsen",
    "Closed surveys: per question, how many respondents chose each answer. Free texts and numbers are never shared; "
    "counts from 1 to 4 are suppressed, and so is what would reveal them.":
        "Lukkede undersøgelser: pr. spørgsmål, hvor mange der valgte hvert svar. Fritekst og tal deles aldrig; "
        "antal fra 1 til 4 skjules, og det samme gør det, der ville afsløre dem.",
    "Closes %(date)s": "Lukker %(date)s",
    "Don't know": "Ved ikke",
    "Draft a new survey": "Lav en ny undersøgelse",
    "Draft a survey": "Lav en undersøgelse",
    "Draft the survey": "Opret undersøgelsen som kladde",
    "Each share is of the respondents to the question: a respondent may tick several answers, so the shares can "
    "add up to more than 100 per cent.":
        "Hver andel er af dem, der har besvaret spørgsmålet: man kan sætte flere krydser, så andelene kan give mere "
        "end 100 procent tilsammen.",
    "Focus area": "Indsatsområde",
    "Focus area: %(area)s": "Indsatsområde: %(area)s",
    "Free text": "Fritekst",
    "Give at least two choices, one per line": "Giv mindst to svarmuligheder, én pr. linje",
    "Give the matrix's rows, one per line": "Giv matrixens rækker, én pr. linje",
    "Give the survey a title": "Giv undersøgelsen en titel",
    'Hello,\n\n%(organisation)s is asked to answer the survey "%(title)s".\n\nAnswer it here (log in '
    'first):\n%(link)s\n\n%(anonymity)s\n':
        'Hej,\n\n%(organisation)s bliver bedt om at besvare undersøgelsen "%(title)s".\n\nBesvar den her (log ind '
        'først):\n%(link)s\n\n%(anonymity)s\n',
    "Help text": "Hjælpetekst",
    "Hidden: fewer than %(min)s respondents.": "Skjult: færre end %(min)s besvarelser.",
    "Introduction": "Indledning",
    "Invited associations": "Inviterede foreninger",
    "Its questions are copied with their keys": "Dens spørgsmål kopieres med deres nøgler",
    "Kind of question": "Spørgsmålstype",
    "Line %(line)s: the key '%(value)s' is not lower-case letters, digits, - and _":
        "Linje %(line)s: nøglen '%(value)s' er ikke små bogstaver, tal, - og _",
    "Line %(line)s: the key '%(value)s' is used twice": "Linje %(line)s: nøglen '%(value)s' bruges to gange",
    "Line %(line)s: write a label of at most 200 characters after the key":
        "Linje %(line)s: skriv en tekst på højst 200 tegn efter nøglen",
    "Matrix (one choice per row)": "Matrix (ét svar pr. række)",
    "Mean": "Gennemsnit",
    "Median": "Median",
    "Multiple choice": "Flere svar",
    "Next year's survey from this one": "Næste års undersøgelse ud fra denne",
    "No breakdown": "Ingen opdeling",
    "No question yet.": "Intet spørgsmål endnu.",
    "No survey yet.": "Ingen undersøgelse endnu.",
    "No: each response shows its association": "Nej: hver besvarelse viser sin forening",
    "No: start empty": "Nej: start tom",
    "Nobody has answered this question yet.": "Ingen har besvaret spørgsmålet endnu.",
    "Nobody is invited yet.": "Ingen er inviteret endnu.",
    "None": "Intet",
    "One per line: key = Label, or just the label": "Én pr. linje: nøgle = Tekst, eller bare teksten",
    "Only a draft survey can be opened": "Kun en kladde kan åbnes",
    "Only an open survey can be closed": "Kun en åben undersøgelse kan lukkes",
    "Open now": "Åben nu",
    "Open the survey and invite the partners": "Åbn undersøgelsen og inviter partnerne",
    "Per question": "Pr. spørgsmål",
    "Range": "Interval",
    "Respondents": "Besvarelser",
    "Response": "Besvarelse",
    "Response rate:": "Svarprocent:",
    "Responses as CSV (Excel)": "Besvarelser som CSV (Excel)",
    "Responses as Excel": "Besvarelser som Excel",
    "Results": "Resultater",
    "Results: %(title)s": "Resultater: %(title)s",
    "Row": "Række",
    "Rows (matrix)": "Rækker (matrix)",
    "Rows:": "Rækker:",
    "Save the question": "Gem spørgsmålet",
    "Scale": "Skala",
    "Scale from (scale)": "Skala fra (skala)",
    "Scale to (scale)": "Skala til (skala)",
    "See the form as the associations do": "Se skemaet, som foreningerne ser det",
    "Send the answer": "Send besvarelsen",
    "Series key": "Serienøgle",
    "Share of respondents": "Andel af besvarelserne",
    "Share of the respondents to the question": "Andel af dem, der besvarede spørgsmålet",
    "Share of the respondents to the row": "Andel af dem, der besvarede rækken",
    "Single choice": "Ét svar",
    "Start from an earlier survey": "Tag udgangspunkt i en tidligere undersøgelse",
    "State": "Tilstand",
    "Survey": "Undersøgelse",
    "Survey results": "Resultater af undersøgelser",
    "Survey: %(title)s": "Undersøgelse: %(title)s",
    "Surveys": "Undersøgelser",
    "Surveys to answer": "Undersøgelser, der skal besvares",
    "Surveys your association is invited to": "Undersøgelser, jeres forening er inviteret til",
    "Surveys, newest year first": "Undersøgelser, nyeste år først",
    "Thank you: your association's answer was saved.": "Tak: jeres forenings besvarelse blev gemt.",
    "The closing date has passed": "Lukkedatoen er overskredet",
    "The programme already has this series' survey for %(year)s":
        "Programmet har allerede seriens undersøgelse for %(year)s",
    "The programme has no partners to ask": "Programmet har ingen partnere at spørge",
    "The question was added.": "Spørgsmålet blev tilføjet.",
    "The question was removed.": "Spørgsmålet blev fjernet.",
    "The question was saved.": "Spørgsmålet blev gemt.",
    "The same every year, e.g. yearly_survey: lower-case letters, digits and _":
        "Den samme hvert år, fx aarlig_undersoegelse: små bogstaver, tal og _",
    "The scale's top must be above its bottom": "Skalaens top skal ligge over dens bund",
    "The survey already has a question with this key": "Undersøgelsen har allerede et spørgsmål med denne nøgle",
    "The survey has no questions.": "Undersøgelsen har ingen spørgsmål.",
    "The survey is a draft: nobody can answer it yet.": "Undersøgelsen er en kladde: ingen kan besvare den endnu.",
    "The survey is anonymous: it records that your association answered, never what. Once sent, the answer cannot "
    "be changed, because nobody can tell which answer is yours.":
        "Undersøgelsen er anonym: den registrerer, at jeres forening har svaret, aldrig hvad. Når besvarelsen er "
        "sendt, kan den ikke ændres, for ingen kan se, hvilken besvarelse der er jeres.",
    "The survey is anonymous: it records that your association answered, not what.":
        "Undersøgelsen er anonym: den registrerer, at jeres forening har svaret, ikke hvad.",
    ("The survey is anonymous: its results are shown from %(min)s answers, so no association's answers can be "
     "picked out. %(num)s association has answered so far.",
     "The survey is anonymous: its results are shown from %(min)s answers, so no association's answers can be "
     "picked out. %(num)s associations have answered so far."):
        ("Undersøgelsen er anonym: resultaterne vises fra %(min)s besvarelser, så ingen forenings svar kan udpeges. "
         "%(num)s forening har svaret indtil nu.",
         "Undersøgelsen er anonym: resultaterne vises fra %(min)s besvarelser, så ingen forenings svar kan udpeges. "
         "%(num)s foreninger har svaret indtil nu."),
    "The survey is closed.": "Undersøgelsen er lukket.",
    "The survey is not anonymous: your answers are shown with your association's name.":
        "Undersøgelsen er ikke anonym: jeres svar vises med jeres forenings navn.",
    "The survey is not open for answers": "Undersøgelsen er ikke åben for besvarelser",
    "The survey is not open for answers.": "Undersøgelsen er ikke åben for besvarelser.",
    "The survey is open or closed: its questions can no longer change":
        "Undersøgelsen er åben eller lukket: dens spørgsmål kan ikke længere ændres",
    "The survey is open or closed: its questions can no longer change.":
        "Undersøgelsen er åben eller lukket: dens spørgsmål kan ikke længere ændres.",
    "The survey is open: every partner is invited and their people have been mailed.":
        "Undersøgelsen er åben: alle partnere er inviteret, og deres folk har fået en mail.",
    "The survey is open: the results are live and change as answers come in.":
        "Undersøgelsen er åben: resultaterne opdateres, efterhånden som svarene kommer ind.",
    "The survey was drafted. Add its questions, then open it.":
        "Undersøgelsen er oprettet som kladde. Tilføj dens spørgsmål, og åbn den så.",
    "The surveys you follow": "De undersøgelser, du følger",
    "This is how the invited associations see the survey. Only their resource persons and board members can "
    "answer it.":
        "Sådan ser de inviterede foreninger undersøgelsen. Kun deres ressourcepersoner og bestyrelsesmedlemmer kan "
        "besvare den.",
    "This survey's questions beside the same questions — the same keys — in the series' other years. A question a "
    "year did not ask is shown as missing, not as 0; an anonymous year with fewer than %(min)s answers is hidden.":
        "Undersøgelsens spørgsmål ved siden af de samme spørgsmål — de samme nøgler — i seriens andre år. Et "
        "spørgsmål, et år ikke stillede, vises som manglende, ikke som 0; et anonymt år med færre end %(min)s "
        "besvarelser skjules.",
    "Tick every answer that fits": "Sæt kryds ved alle de svar, der passer",
    "What the survey is for, shown above the questions": "Hvad undersøgelsen handler om, vist over spørgsmålene",
    "What your association is asked": "Det, jeres forening bliver spurgt om",
    "Who answered is known; what each answered is not.": "Hvem der har svaret, vides; hvad hver især svarede, vides ikke.",
    "Who is asked": "Hvem der bliver spurgt",
    "Whole number": "Helt tal",
    "Words at the bottom of the scale": "Tekst ved skalaens bund",
    "Words at the top of the scale": "Tekst ved skalaens top",
    "Year on year": "År for år",
    "Year on year: %(title)s": "År for år: %(title)s",
    "Yes, no or don't know": "Ja, nej eller ved ikke",
    "Yes: the survey records that an association answered, never what": "Ja: undersøgelsen registrerer, at en forening har svaret, aldrig hvad",
    "You answer for %(organisation)s.": "Du svarer for %(organisation)s.",
    "Your answer": "Dit svar",
    "Your association has not been asked to answer a survey.": "Jeres forening er ikke blevet bedt om at besvare en undersøgelse.",
    "added a question to a survey": "tilføjede et spørgsmål til en undersøgelse",
    "anonymous": "anonym",
    "answered": "besvaret",
    "answered a survey for an association": "besvarede en undersøgelse for en forening",
    "changed a survey's question": "ændrede et spørgsmål i en undersøgelse",
    "closed": "lukket",
    "closed %(date)s": "lukket %(date)s",
    "closed a survey": "lukkede en undersøgelse",
    "closed without an answer": "lukket uden besvarelse",
    "closes %(date)s": "lukker %(date)s",
    "draft": "kladde",
    "drafted a survey": "oprettede en undersøgelse som kladde",
    "focus area %(area)s": "indsatsområde %(area)s",
    "hidden: fewer than %(min)s answers in an anonymous survey": "skjult: færre end %(min)s besvarelser i en anonym undersøgelse",
    "key %(key)s": "nøgle %(key)s",
    "not a choice that year": "ikke en svarmulighed det år",
    "not asked that year": "ikke spurgt om det år",
    "not yet": "ikke endnu",
    "open": "åben",
    "opened %(date)s": "åbnet %(date)s",
    "opened a survey and invited the partners": "åbnede en undersøgelse og inviterede partnerne",
    "removed a survey's question": "fjernede et spørgsmål fra en undersøgelse",
    "series %(series)s": "serie %(series)s",
    "waiting for your answer": "venter på jeres svar",
}


def main() -> None:
    write_catalogue(Path(__file__).resolve().parent, DANISH, "Partnerskab surveys")


if __name__ == "__main__":
    main()
