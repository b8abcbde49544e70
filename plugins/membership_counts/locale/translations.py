"""Danish words for the membership-counts plugin: ``python -m plugins.membership_counts.locale.translations``
re-extracts the plugin's messages and writes ``da/LC_MESSAGES/messages.po`` from this table (texts the
core already translates are taken from the core's catalogue)."""
from __future__ import annotations

from pathlib import Path

from core.plugin_translations import write_catalogue


DANISH = {
    "%(metric)s at the end of %(year)s: %(value)s": "%(metric)s ved udgangen af %(year)s: %(value)s",
    "%(metric)s in %(organisation)s per year": "%(metric)s i %(organisation)s pr. år",
    "%(metric)s in %(programme)s, all associations together": "%(metric)s i %(programme)s, alle foreninger tilsammen",
    "%(metric)s per association and year": "%(metric)s pr. forening og år",
    "%(metric)s per association, %(year)s": "%(metric)s pr. forening, %(year)s",
    "%(metric)s per year": "%(metric)s pr. år",
    "%(metric)s, all partners together": "%(metric)s, alle partnere tilsammen",
    "%(metric)s: the yearly total": "%(metric)s: det samlede tal pr. år",
    ("%(num)s count not checked yet", "%(num)s counts not checked yet"):
        ("%(num)s medlemstal er ikke tjekket endnu", "%(num)s medlemstal er ikke tjekket endnu"),
    ("%(num)s count waits for a check", "%(num)s counts wait for a check"):
        ("%(num)s medlemstal venter på at blive tjekket", "%(num)s medlemstal venter på at blive tjekket"),
    "%(num)s of %(total)s": "%(num)s af %(total)s",
    "%(organisation)s is not asked for this count": "%(organisation)s bliver ikke bedt om dette tal",
    "%(organisation)s is not asked for yearly counts: it is not a partner of a programme that counts its members.":
        "%(organisation)s bliver ikke bedt om årlige medlemstal: den er ikke partner i et program, der tæller "
        "medlemmer.",
    "%(type)s counts %(metric)s": "%(type)s tæller %(metric)s",
    "* The total of the associations that reported: the others' counts are missing, not 0.":
        "* Summen af de foreninger, der har indberettet: de andres tal mangler, de er ikke 0.",
    "A count is for a year from %(min)s to %(max)s": "Et medlemstal gælder et år fra %(min)s til %(max)s",
    "A count is the number at the end of the year. Entering a year again corrects it: the new value replaces the "
    "old one, which stays in the audit log. A change of more than 30 per cent from the year before needs a note "
    "saying why.":
        "Et medlemstal er tallet ved årets udgang. Indtaster du et år igen, rettes det: det nye tal erstatter det "
        "gamle, som bliver stående i revisionsloggen. En ændring på mere end 30 procent i forhold til året før "
        "kræver en bemærkning om hvorfor.",
    "A whole number, 0 or more": "Et helt tal, 0 eller mere",
    "All counts of %(organisation)s": "Alle medlemstal for %(organisation)s",
    "Associations that reported": "Foreninger, der har indberettet",
    "Change": "Ændring",
    "Change from %(before)s to %(year)s per association": "Ændring fra %(before)s til %(year)s pr. forening",
    "Change in per cent": "Ændring i procent",
    "Checked": "Tjekket",
    "Choose a count to mark as checked": "Vælg et medlemstal, der skal markeres som tjekket",
    "Choose what each programme type counts": "Vælg, hvad hver programtype tæller",
    "Choose what is counted from the list": "Vælg på listen, hvad der tælles",
    "Coaches and leaders": "Trænere og ledere",
    "Count": "Tal",
    "Counts of %(organisation)s": "Medlemstal for %(organisation)s",
    "Counts per programme type": "Medlemstal pr. programtype",
    "Each association counts its members once a year, at the end of the year: whole numbers, never who they are. "
    "A missing count is shown as missing, never as 0.":
        "Hver forening tæller sine medlemmer én gang om året, ved årets udgang: hele tal, aldrig hvem de er. Et "
        "manglende tal vises som manglende, aldrig som 0.",
    "Enter a count": "Indtast et medlemstal",
    "From %(first)s to %(last)s": "Fra %(first)s til %(last)s",
    "How many coaches and leaders did the association have at the end of the year?":
        "Hvor mange trænere og ledere havde foreningen ved årets udgang?",
    "How many members under 25 did the association have at the end of the year?":
        "Hvor mange medlemmer under 25 år havde foreningen ved årets udgang?",
    "How many volunteers did the association have at the end of the year?":
        "Hvor mange frivillige havde foreningen ved årets udgang?",
    "Mark as checked": "Marker som tjekket",
    "Mark every count as checked": "Marker alle medlemstal som tjekket",
    "Members under 25": "Medlemmer under 25 år",
    "Membership counts": "Medlemstal",
    "No count entered yet.": "Intet medlemstal indtastet endnu.",
    "No programme you follow counts its members yet.": "Intet program, du følger, tæller endnu medlemmer.",
    "Per association": "Pr. forening",
    "Per municipality, what is counted and year: the total of the associations' yearly counts and how many "
    "reported. Totals from 1 to 4 are suppressed.":
        "Pr. kommune, hvad der tælles og år: summen af foreningernes årlige medlemstal, og hvor mange der har "
        "indberettet. Summer fra 1 til 4 skjules.",
    "Save the count": "Gem medlemstallet",
    "Save what is counted": "Gem, hvad der tælles",
    "Show the counts": "Vis medlemstallene",
    "The count at the end of %(year)s is not entered yet": "Tallet ved udgangen af %(year)s er ikke indtastet endnu",
    "The count is %(change)s compared with %(previous_year)s (%(previous)s → %(value)s): a change beyond ±30 per "
    "cent needs a note saying why":
        "Tallet er %(change)s i forhold til %(previous_year)s (%(previous)s → %(value)s): en ændring på mere end "
        "±30 procent kræver en bemærkning om hvorfor",
    "The count was already saved with that value.": "Medlemstallet var allerede gemt med det tal.",
    "The count was corrected; the value before is kept in the audit log.":
        "Medlemstallet blev rettet; det tidligere tal står i revisionsloggen.",
    "The count was saved.": "Medlemstallet blev gemt.",
    "The counts per association": "Medlemstallene pr. forening",
    "The counts were marked as checked.": "Medlemstallene blev markeret som tjekket.",
    "The form lists no programme type to save": "Formularen nævner ingen programtype at gemme",
    "The programme has no partners.": "Programmet har ingen partnere.",
    "The yearly total": "Det samlede tal pr. år",
    "Tick what the partners of each programme type count every year. A new count starts empty; switching one off "
    "keeps what was counted.":
        "Sæt flueben ved, hvad partnerne i hver programtype tæller hvert år. Et nyt tal starter tomt; slår du et "
        "fra, bevares det, der er talt.",
    "Unknown count: %(value)s": "Ukendt medlemstal: %(value)s",
    "What is counted": "Hvad der tælles",
    "What is counted was saved.": "Det, der tælles, blev gemt.",
    "What the partners count": "Hvad partnerne tæller",
    "Why the count changed, if it did (needed for a change of more than 30 per cent)":
        "Hvorfor tallet har ændret sig, hvis det har (kræves ved en ændring på mere end 30 procent)",
    "Yearly counts of %(organisation)s": "Årlige medlemstal for %(organisation)s",
    "Yearly counts to check": "Årlige medlemstal, der skal tjekkes",
    "Yearly counts to enter": "Årlige medlemstal, der skal indtastes",
    "Yearly membership counts": "Årlige medlemstal",
    "You run no programme here.": "Du driver intet program her.",
    "Your association's counts": "Jeres forenings medlemstal",
    "changed what a programme type counts": "ændrede, hvad en programtype tæller",
    "checked %(date)s": "tjekket %(date)s",
    "checked a yearly count": "tjekkede et årligt medlemstal",
    "corrected a yearly count": "rettede et årligt medlemstal",
    "entered a yearly count": "indtastede et årligt medlemstal",
    "not checked yet": "ikke tjekket endnu",
    ("reported by %(num)s of %(total)s association", "reported by %(num)s of %(total)s associations"):
        ("indberettet af %(num)s af %(total)s forening", "indberettet af %(num)s af %(total)s foreninger"),
    "with a note": "med en bemærkning",
    "– no count reported; ? not checked by the consultant yet; ✎ the association wrote a note (open the "
    "association to read it).":
        "– intet tal indberettet; ? ikke tjekket af konsulenten endnu; ✎ foreningen har skrevet en bemærkning "
        "(åbn foreningen for at læse den).",
}


def main() -> None:
    write_catalogue(Path(__file__).resolve().parent, DANISH, "Partnerskab membership counts")


if __name__ == "__main__":
    main()
