"""Danish words for the catalogue plugin: ``python -m plugins.catalogue.locale.translations``
re-extracts the plugin's messages and writes ``da/LC_MESSAGES/messages.po`` from this table
(texts the core already translates are taken from the core's catalogue)."""
from __future__ import annotations

DANISH: dict = {
    "%(age)s years and older": "%(age)s år og derover",
    "%(from)s–%(to)s years": "%(from)s–%(to)s år",
    ("%(num)s offer", "%(num)s offers"): ("%(num)s tilbud", "%(num)s tilbud"),
    ("%(num)s offer found", "%(num)s offers found"): ("%(num)s tilbud fundet", "%(num)s tilbud fundet"),
    ("%(num)s offer was run by more than one organisation", "%(num)s offers were run by more than one organisation"):
        ("%(num)s tilbud blev drevet af mere end én organisation", "%(num)s tilbud blev drevet af mere end én organisation"),
    ("%(num)s offer, last checked %(date)s", "%(num)s offers, the oldest checked %(date)s"):
        ("%(num)s tilbud, sidst tjekket %(date)s", "%(num)s tilbud, det ældste tjekket %(date)s"),
    ("%(num)s organisation took part in them.", "%(num)s organisations took part in them."):
        ("%(num)s organisation var med i dem.", "%(num)s organisationer var med i dem."),
    "'%(value)s' is not a phone number": "»%(value)s« er ikke et telefonnummer",
    "'%(value)s' is not a time: write hours and minutes, e.g. 16:30":
        "»%(value)s« er ikke et klokkeslæt: skriv timer og minutter, fx 16:30",
    "(pages: ?page=2&per_page=50; the whole service: &full=true)":
        "(sider: ?page=2&per_page=50; hele tilbuddet: &full=true)",
    "A person's name (optional)": "En persons navn (valgfrit)",
    "A person's own name is shown only with their consent: tick the box, or give a role such as 'the coach' instead":
        "En persons eget navn vises kun med vedkommendes samtykke: sæt kryds, eller angiv en rolle som »træneren« i stedet",
    "A web address starts with https://": "En webadresse begynder med https://",
    "About the data": "Om data",
    "About the offer": "Om tilbuddet",
    "About the price": "Om prisen",
    "About the times": "Om tidspunkterne",
    "Access": "Tilgængelighed",
    "Activities and offers": "Aktiviteter og tilbud",
    "Activity": "Aktivitet",
    "Activity or volunteer role": "Aktivitet eller frivilligjob",
    "Add an offer": "Tilføj et tilbud",
    "Add to your calendar": "Sæt i din kalender",
    "Advice and support": "Rådgivning og støtte",
    "Age": "Alder",
    "Age band": "Aldersgruppe",
    "All ages": "Alle aldre",
    "All districts": "Alle bydele",
    "All offers": "Alle tilbud",
    "Any day": "Alle dage",
    "Anything a person must be or have, in plain words": "Hvad en deltager skal være eller have, i almindelige ord",
    "At most %(max)s organisations": "Højst %(max)s organisationer",
    "At most %(max)s times": "Højst %(max)s tidspunkter",
    "Back to the offers": "Tilbage til tilbuddene",
    "Back to the search": "Tilbage til søgningen",
    "Breadth: ages": "Bredde: aldre",
    "Breadth: target groups": "Bredde: målgrupper",
    "Calendars": "Kalendere",
    "Catalogue of offers": "Tilbudskatalog",
    "Category": "Kategori",
    "Choose a category": "Vælg en kategori",
    "Choose a municipality and search: then its districts can be chosen here.":
        "Vælg en kommune og søg: så kan dens bydele vælges her.",
    "Choose a volunteer centre in the organisation's own municipality":
        "Vælg et frivilligcenter i organisationens egen kommune",
    "Choose a weekday or give a date for time %(number)s": "Vælg en ugedag eller angiv en dato for tidspunkt %(number)s",
    "Choose active, paused or ended": "Vælg aktiv, på pause eller afsluttet",
    "Choose at least one target group": "Vælg mindst én målgruppe",
    "Choose in person, online or both": "Vælg fremmøde, online eller begge",
    "Choose the organisation that runs the offer": "Vælg den organisation, der står for tilbuddet",
    "Choose the organisations from the list": "Vælg organisationerne på listen",
    "Choose whether it is an activity or a volunteer role": "Vælg, om det er en aktivitet eller et frivilligjob",
    "Clear the search": "Ryd søgningen",
    "Company and community": "Samvær og fællesskab",
    "Confirm that %(title)s is still right": "Bekræft, at %(title)s stadig er rigtigt",
    "Contact (a role)": "Kontakt (en rolle)",
    "Contact:": "Kontakt:",
    "Cooperation between associations": "Samarbejde mellem foreninger",
    "Culture and creativity": "Kultur og kreativitet",
    "Day": "Dag",
    "Day of the week": "Ugedag",
    "District": "Bydel",
    "District:": "Bydel:",
    "E.g. “Danish, English, Arabic”": "Fx »dansk, engelsk, arabisk«",
    "E.g. “not in the school holidays”": "Fx »ikke i skoleferierne«",
    "E.g. “per season”, or that help with the fee can be had": "Fx »pr. sæson«, eller at der kan fås hjælp til kontingentet",
    "E.g. “the coach”, “the office”: not a private person": "Fx »træneren«, »kontoret«: ikke en privatperson",
    "Each time must be an object with a weekday or a date": "Hvert tidspunkt skal være et objekt med en ugedag eller en dato",
    "Edit the offer": "Ret tilbuddet",
    "Enter the offer's title": "Skriv tilbuddets titel",
    "Every offer has been checked within the last 12 months.": "Alle tilbud er tjekket inden for de seneste 12 måneder.",
    "Every offer with fixed times has an iCalendar file at /offers/<number>/calendar.ics, linked from its page.":
        "Alle tilbud med faste tidspunkter har en iCalendar-fil på /offers/<nummer>/calendar.ics, med link fra tilbuddets side.",
    "Every public offer is open data in Open Referral's Human Services Data Specification (HSDS) 3.0, so other sites, libraries and apps can show them. No login is needed.":
        "Alle offentlige tilbud er åbne data i Open Referrals Human Services Data Specification (HSDS) 3.0, så andre hjemmesider, biblioteker og apps kan vise dem. Det kræver ikke login.",
    "Every week on": "Hver uge om",
    "Every week on a day, or on a date. Times as hours and minutes, e.g. 16:30.":
        "Hver uge på en dag, eller på en dato. Klokkeslæt som timer og minutter, fx 16:30.",
    "Everyone": "Alle",
    "Find an activity or a volunteer role": "Find en aktivitet eller et frivilligjob",
    "Find offers": "Find tilbud",
    "Find something to join: activities for children, young people, adults and the elderly, and places where you can help as a volunteer. Everything here is run by local associations and volunteer centres.":
        "Find noget at være med i: aktiviteter for børn, unge, voksne og ældre, og steder hvor du kan hjælpe som frivillig. Alt her drives af lokale foreninger og frivilligcentre.",
    "For volunteers": "For frivillige",
    "For whom": "For hvem",
    "Free": "Gratis",
    "From %(age)s years": "Fra %(age)s år",
    "From %(date)s": "Fra %(date)s",
    "From age": "Fra alder",
    "Give a price from 0 to %(max)s øre": "Angiv en pris fra 0 til %(max)s øre",
    "HSDS 3.0": "HSDS 3.0",
    "Health and well-being": "Sundhed og trivsel",
    "Hello %(name)s,\n\nThese offers have not been checked for 12 months, so the public no longer finds them:\n\n%(titles)s\n\nPlease log in, check them and save or confirm them: %(link)s\n":
        "Kære %(name)s\n\nDisse tilbud er ikke blevet tjekket i 12 måneder, så borgerne finder dem ikke længere:\n\n%(titles)s\n\nLog ind, tjek dem, og gem eller bekræft dem: %(link)s\n",
    "How often citizens open the offers, how broad the offers are for every age and target group, and how much the associations run together. Visits are counted on the server, per offer and day: no cookie, no address and nothing about who visited is kept.":
        "Hvor ofte borgerne åbner tilbuddene, hvor bredt tilbuddene dækker alle aldre og målgrupper, og hvor meget foreningerne laver sammen. Besøg tælles på serveren, pr. tilbud og dag: ingen cookie, ingen adresse og intet om, hvem der besøgte, gemmes.",
    "How people take part": "Hvordan man deltager",
    "How to join": "Sådan kommer du med",
    "In person": "Fremmøde",
    "In person and online": "Fremmøde og online",
    "Join online": "Deltag online",
    "Joint offers": "Fælles tilbud",
    "Kind of offer": "Slags tilbud",
    "Languages spoken": "Sprog, der tales",
    "Languages:": "Sprog:",
    "Last checked": "Sidst tjekket",
    "Last checked by the organisation: %(date)s": "Sidst tjekket af organisationen: %(date)s",
    "Latitude (optional)": "Breddegrad (valgfrit)",
    "Learning and homework help": "Læring og lektiehjælp",
    "Leave empty for no lower age": "Lad feltet stå tomt, hvis der ikke er en nedre alder",
    "Leave empty for no upper age": "Lad feltet stå tomt, hvis der ikke er en øvre alder",
    "Leave empty or write 0 when it is free": "Lad feltet stå tomt, eller skriv 0, når det er gratis",
    "Lists for theme days and for colleagues who meet citizens: the public offers, one list per target group. Use your browser's Print (Ctrl+P).":
        "Lister til temadage og til kolleger, der møder borgerne: de offentlige tilbud, én liste pr. målgruppe. Brug browserens Udskriv (Ctrl+P).",
    "Local associations' activities for children, young people, adults and the elderly, and places where you can help.":
        "Lokale foreningers aktiviteter for børn, unge, voksne og ældre, og steder hvor du kan hjælpe.",
    "Longitude (optional)": "Længdegrad (valgfrit)",
    "Members counted at the end of each year": "Medlemmer talt ved udgangen af hvert år",
    "Members of the associations at the end of each year": "Foreningernes medlemmer ved udgangen af hvert år",
    "Membership development": "Medlemsudvikling",
    "Month": "Måned",
    "More choices": "Flere valg",
    "More organisations than can be listed: open the organisation's page and choose “Add an offer” there.":
        "Flere organisationer, end der kan vises: åbn organisationens side, og vælg »Tilføj et tilbud« der.",
    "More than %(num)s offers found": "Mere end %(num)s tilbud fundet",
    "Nature and outdoor life": "Natur og friluftsliv",
    "New offer": "Nyt tilbud",
    "No contact given": "Ingen kontakt angivet",
    "No district given": "Ingen bydel angivet",
    "No offers match.": "Ingen tilbud passer.",
    "No offers yet.": "Ingen tilbud endnu.",
    "No organisation with public services has this id": "Ingen organisation med offentlige tilbud har dette id",
    "No public offers yet.": "Ingen offentlige tilbud endnu.",
    "No public offers.": "Ingen offentlige tilbud.",
    "No public service has this id": "Intet offentligt tilbud har dette id",
    "No wheelchair access given": "Ingen oplysning om kørestolsadgang",
    "No yearly membership counts: they are shown here when the associations' yearly counts are kept on the platform.":
        "Ingen årlige medlemstal: de vises her, når foreningernes årlige medlemstal registreres på platformen.",
    "None": "Intet",
    "Not checked for 12 months": "Ikke tjekket i 12 måneder",
    "Not checked since %(date)s": "Ikke tjekket siden %(date)s",
    "Not published": "Ikke offentliggjort",
    "Not weekly": "Ikke ugentligt",
    "Nothing matches. Try fewer words, another day or another age, or remove a choice.":
        "Intet passer. Prøv med færre ord, en anden dag eller en anden alder, eller fjern et valg.",
    "Offer": "Tilbud",
    "Offer id": "Tilbuds-id",
    "Offers": "Tilbud",
    "Offers by district": "Tilbud efter bydel",
    "Offers by district in %(name)s": "Tilbud efter bydel i %(name)s",
    "Offers by target group": "Tilbud efter målgruppe",
    "Offers in the catalogue": "Tilbud i kataloget",
    "Offers not checked for 12 months": "Tilbud, der ikke er tjekket i 12 måneder",
    "Offers open to each age band, %(year)s": "Tilbud åbne for hver aldersgruppe, %(year)s",
    "Offers open to each age band, %(year)s (an offer for several bands counts in each)":
        "Tilbud åbne for hver aldersgruppe, %(year)s (et tilbud for flere aldersgrupper tælles i hver)",
    "Offers per target group, %(year)s": "Tilbud pr. målgruppe, %(year)s",
    "Offers to print": "Tilbud til udskrift",
    "Offers you keep": "Tilbud, du holder opdateret",
    "Oldest check": "Ældste tjek",
    "One organisation": "Én organisation",
    "One service": "Ét tilbud",
    "Online": "Online",
    "Only if the person agreed that their name is shown to everyone": "Kun hvis personen har sagt ja til, at navnet vises for alle",
    "Only public offers: not those an organisation has not published, has ended or has not checked for 12 months. A contact is a role; a person's name only when they agreed. Nothing about who visits or takes part.":
        "Kun offentlige tilbud: ikke dem, en organisation ikke har offentliggjort, har afsluttet eller ikke har tjekket i 12 måneder. En kontakt er en rolle; en persons navn kun med samtykke. Intet om, hvem der besøger eller deltager.",
    "Only the first %(num)s are printed: choose more to get a shorter list.":
        "Kun de første %(num)s udskrives: vælg mere for at få en kortere liste.",
    "Only the first %(num)s are shown: choose one target group.": "Kun de første %(num)s vises: vælg én målgruppe.",
    "Organisations to remind": "Organisationer, der skal mindes om det",
    "Organisations with offers not checked for 12 months": "Organisationer med tilbud, der ikke er tjekket i 12 måneder",
    "Other organisations that run it too. Hold Ctrl (or ⌘) to choose more than one.":
        "Andre organisationer, der også står for det. Hold Ctrl (eller ⌘) nede for at vælge flere.",
    "Paused": "På pause",
    "Paused for now": "Holder pause lige nu",
    "Plain words, e.g. “Football for girls 10–14” or “Visiting friend for an elderly neighbour”":
        "Almindelige ord, fx »Fodbold for piger 10–14« eller »Besøgsven til en ældre nabo«",
    "Please check your offers in the catalogue": "Tjek venligst jeres tilbud i kataloget",
    "Price": "Pris",
    "Price (kr.)": "Pris (kr.)",
    "Price in kroner": "Pris i kroner",
    "Print lists by target group": "Udskriv lister efter målgruppe",
    "Print this list": "Udskriv listen",
    "Published": "Offentliggjort",
    "Publishing": "Offentliggørelse",
    "Reach and breadth of the offers": "Tilbuddenes udbredelse og bredde",
    "Reach and breadth of the offers, %(year)s": "Tilbuddenes udbredelse og bredde, %(year)s",
    "Reminder": "Påmindelse",
    "Run together with (joint offer)": "Drives sammen med (fælles tilbud)",
    "Runs from": "Kører fra",
    "Runs until": "Kører til",
    "Save the offer": "Gem tilbuddet",
    "Saving counts as checking the offer: it stays public for 12 months from today.":
        "At gemme tæller som et tjek af tilbuddet: det forbliver offentligt i 12 måneder fra i dag.",
    "Say how to join: who to contact, or just come along": "Skriv, hvordan man kommer med: hvem man kontakter, eller at man bare kan møde op",
    "Say where it takes place: an address, a town or a district": "Skriv, hvor det foregår: en adresse, en by eller en bydel",
    "Search for offers": "Søg efter tilbud",
    "See all %(num)s": "Se alle %(num)s",
    "See all activities and offers": "Se alle aktiviteter og tilbud",
    "See all the organisation's offers": "Se alle organisationens tilbud",
    "See it as the public does": "Se det, som borgerne ser det",
    "Send %(name)s a reminder": "Send %(name)s en påmindelse",
    "Send a reminder": "Send en påmindelse",
    "Services (the offers)": "Services (tilbuddene)",
    "Services carry their schedules (RFC 5545 rules), their place, price, ages and target groups. The operations are described in the API's OpenAPI document:":
        "Hvert tilbud har sine tidspunkter (RFC 5545-regler), sted, pris, aldre og målgrupper. Kaldene er beskrevet i API'ets OpenAPI-dokument:",
    "Show it to the public": "Vis det for borgerne",
    "Shown to the public": "Vises for borgerne",
    "Sport and exercise": "Sport og motion",
    "Starts with https://": "Begynder med https://",
    "Still right": "Stadig rigtigt",
    "The age of the person who will take part": "Alderen på den, der skal deltage",
    "The centre's staff may then change the offer too": "Centrets medarbejdere kan så også rette tilbuddet",
    "The highest age is lower than the lowest": "Den højeste alder er lavere end den laveste",
    "The most visited offers, %(year)s": "De mest besøgte tilbud, %(year)s",
    "The offer": "Tilbuddet",
    "The offer ends before it starts": "Tilbuddet slutter, før det begynder",
    "The offer is marked as checked today.": "Tilbuddet er markeret som tjekket i dag.",
    "The offer was saved.": "Tilbuddet er gemt.",
    "The offers as open data": "Tilbuddene som åbne data",
    "The offers of the organisations you work for, including those the public does not see: not published, ended, or not checked for 12 months.":
        "Tilbuddene fra de organisationer, du arbejder for, også dem borgerne ikke ser: ikke offentliggjort, afsluttet eller ikke tjekket i 12 måneder.",
    "The organisation has no email address and nobody with an account: call it instead.":
        "Organisationen har ingen e-mailadresse og ingen med en konto: ring til den i stedet.",
    "The organisation runs the offer already: choose the others it runs it with":
        "Organisationen står allerede for tilbuddet: vælg de andre, den driver det sammen med",
    "The organisation that runs it": "Organisationen, der står for det",
    "The part of the municipality, as people call it: choose one from the list or write a new one":
        "Den del af kommunen, som folk kalder den: vælg en fra listen, eller skriv en ny",
    "The person agreed that their name is shown": "Personen har sagt ja til, at navnet vises",
    "The public cannot see this offer: it is not published, has ended or has not been checked for 12 months. You see it because you keep it up to date.":
        "Borgerne kan ikke se dette tilbud: det er ikke offentliggjort, er afsluttet eller er ikke tjekket i 12 måneder. Du ser det, fordi du holder det opdateret.",
    "The reminder was sent.": "Påmindelsen er sendt.",
    "These organisations have offers that have not been checked since %(date)s, so the public no longer finds them.":
        "Disse organisationer har tilbud, der ikke er tjekket siden %(date)s, så borgerne finder dem ikke længere.",
    "This page is made for printing: use your browser's Print (Ctrl+P). It holds up to %(num)s offers with their times, place and how to join.":
        "Denne side er lavet til udskrift: brug browserens Udskriv (Ctrl+P). Den rummer op til %(num)s tilbud med tidspunkter, sted og hvordan man kommer med.",
    "Time %(number)s": "Tidspunkt %(number)s",
    "Time %(number)s ends before it starts": "Tidspunkt %(number)s slutter, før det begynder",
    "Time %(number)s: choose a weekday or a date, not both": "Tidspunkt %(number)s: vælg en ugedag eller en dato, ikke begge",
    "Time %(number)s: give the time it starts": "Tidspunkt %(number)s: angiv, hvornår det begynder",
    "Times": "Tidspunkter",
    "To age": "Til alder",
    "Together with": "Sammen med",
    ("Up to %(num)s year", "Up to %(num)s years"): ("Op til %(num)s år", "Op til %(num)s år"),
    "Visits": "Besøg",
    "Visits per month, %(year)s": "Besøg pr. måned, %(year)s",
    "Visits to the offers' pages per day": "Besøg på tilbuddenes sider pr. dag",
    "Visits to the offers' pages per month, %(year)s": "Besøg på tilbuddenes sider pr. måned, %(year)s",
    "Volunteer centre that helps keep it up to date": "Frivilligcenter, der hjælper med at holde det opdateret",
    "Volunteer role": "Frivilligjob",
    "Web address for taking part online": "Webadresse til at deltage online",
    "What a newcomer does: just come along, write first, sign up at …": "Hvad en ny gør: møder bare op, skriver først, tilmelder sig på …",
    "What are you looking for?": "Hvad leder du efter?",
    "What is not in it": "Hvad der ikke er med",
    "What to bring": "Hvad man skal have med",
    "What to bring:": "Medbring:",
    "Wheelchair access": "Adgang for kørestol",
    "When": "Hvornår",
    "Who can take part": "Hvem kan deltage",
    "Who keeps it up to date": "Hvem holder det opdateret",
    "Who runs offers together, %(year)s": "Hvem driver tilbud sammen, %(year)s",
    "You keep this organisation's offers as its volunteer centre: choose your centre as the one who helps keep the offer up to date":
        "Du holder denne organisations tilbud opdateret som dens frivilligcenter: vælg dit center som det, der hjælper med at holde tilbuddet opdateret",
    "You may not keep the offers of this organisation": "Du må ikke holde denne organisations tilbud opdateret",
    "added an offer to the catalogue": "tilføjede et tilbud til kataloget",
    "changed an offer in the catalogue": "ændrede et tilbud i kataloget",
    "confirmed that an offer is up to date": "bekræftede, at et tilbud er opdateret",
    "every %(weekday)s %(hours)s": "hver %(weekday)s %(hours)s",
    "joint offers": "fælles tilbud",
    "no count": "intet tal",
    "no figure": "intet tal",
    "not counted": "ikke talt",
    "offers on the platform": "tilbud på platformen",
    "or on the date": "eller på datoen",
    "reminded an organisation to check its offers": "mindede en organisation om at tjekke sine tilbud",
    "together with": "sammen med",
    "until %(date)s": "til %(date)s",
    "visits to the offers' pages": "besøg på tilbuddenes sider",
}


def main() -> None:
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    here = Path(__file__).resolve().parent
    plugin, root = here.parent, here.parent.parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        cfg, pot = Path(tmp) / "babel.cfg", Path(tmp) / "messages.pot"
        cfg.write_text("[python: **.py]\n[jinja2: **/templates/**.html]\nextensions = jinja2.ext.i18n\n")
        keywords = ["one:2", "add:2", "Message", "lazy_gettext", "add_plural:2,3", "PluralMessage:1,2"]
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(cfg),
                        *(part for keyword in keywords for part in ("-k", keyword)), "--no-location",
                        "--sort-output", "-o", str(pot), str(plugin)], check=True, capture_output=True)
        with open(pot, "rb") as fh:
            template = read_po(fh)
    with open(root / "core" / "locale" / "da" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        core = read_po(fh, locale="da")
    catalogue = Catalog(locale="da", project="Partnerskab catalogue", fuzzy=False)
    missing = []
    for message in template:
        if not message.id:
            continue
        key = message.id
        text = DANISH.get(key)
        if text is None:
            entry = core.get(key if isinstance(key, str) else key[0])
            text = entry.string if entry is not None and entry.string and (
                isinstance(key, str) or not isinstance(entry.string, str)) else None
        if text is None:
            missing.append(key)
            continue
        catalogue.add(key, text)
    with open(here / "da" / "LC_MESSAGES" / "messages.po", "wb") as fh:
        write_po(fh, catalogue, omit_header=False, sort_output=True)
    if missing:
        for key in missing:
            print(repr(key))
        raise SystemExit(f"no Danish for {len(missing)} texts")


if __name__ == "__main__":
    main()
