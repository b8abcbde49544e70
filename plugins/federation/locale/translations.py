"""Danish words for the federation plugin: ``python -m plugins.federation.locale.translations``
re-extracts the plugin's messages and writes ``da/LC_MESSAGES/messages.po`` from this table
(texts the core already translates are taken from the core's catalogue)."""
from __future__ import annotations

DANISH = {
    ("%(num)s partner organisation", "%(num)s partner organisations"): ("%(num)s partnerorganisation", "%(num)s partnerorganisationer"),
    ("%(num)s programme", "%(num)s programmes"): ("%(num)s program", "%(num)s programmer"),
    "360Giving package of every harvested grant and sign-on fee": "360Giving-pakke med alle høstede tilskud og tilslutningsbeløb",
    "A harvester reads the shared feeds with a key you give its administrator. A key is shown once, when it is made; make a new one to rotate, then revoke the old one.":
        "En høster læser de delte feeds med en nøgle, du giver dens administrator. En nøgle vises én gang, når den laves; lav en ny for at skifte, og tilbagekald så den gamle.",
    "A key for %(name)s": "En nøgle til %(name)s",
    "A new feed epoch started: harvesters will read everything again.": "En ny feed-epoke er startet: høstere læser alt igen.",
    "A new key from the peer's administrator": "En ny nøgle fra instansens administrator",
    "Add the key": "Tilføj nøglen",
    "Added": "Tilføjet",
    "All programme types": "Alle programtyper",
    "All types": "Alle typer",
    "Amounts and years of sign-on fees and grants, with programme and recipient organisation.":
        "Beløb og år for tilslutningsbeløb og tilskud, med program og modtagende organisation.",
    "Back to the harvesters": "Tilbage til høsterne",
    "Choose a municipality from the list": "Vælg en kommune på listen",
    "Choose what this instance publishes to the harvesters you let in. Nothing is shared until you tick it; unticking it makes harvesters delete what they had. Organisations are shared with their public details only, and nothing about a child is ever shared.":
        "Vælg, hvad denne instans offentliggør for de høstere, du lukker ind. Intet deles, før du sætter flueben; fjerner du det, sletter høsterne det, de havde. Organisationer deles kun med deres offentlige oplysninger, og intet om et barn deles nogensinde.",
    "Counts from 1 to 4 are suppressed, and so is anything that would reveal them; shown as “suppressed”.":
        "Tal fra 1 til 4 skjules, og det samme gør alt, der ville afsløre dem; vist som »skjult«.",
    "Deleted": "Slettet",
    "Downloads": "Downloads",
    "Every grant and sign-on fee the local instances share with the national coordinator, in DKK.":
        "Alle tilskud og tilslutningsbeløb, som de lokale instanser deler med den nationale koordinator, i DKK.",
    "Feed epoch": "Feed-epoke",
    "Filters": "Filtre",
    "For example https://partnerskab.frivilligcenter-slagelse.dk": "For eksempel https://partnerskab.frivilligcenter-slagelse.dk",
    "For example: National coordination (FriSe and Socialstyrelsen)": "For eksempel: National koordinering (FriSe og Socialstyrelsen)",
    "Freshness": "Aktualitet",
    "Freshness per peer": "Aktualitet pr. instans",
    "Give a name of 2 to 100 letters, digits, spaces or punctuation": "Angiv et navn på 2 til 100 bogstaver, tal, mellemrum eller tegn",
    "Give a year such as 2025": "Angiv et år, for eksempel 2025",
    "Give the peer's address, e.g. https://partnerskab.example.dk": "Angiv instansens adresse, f.eks. https://partnerskab.example.dk",
    "Give this key to the harvester's administrator by a safe route. It is shown only now: this page cannot show it again.":
        "Giv nøglen til høsterens administrator ad en sikker vej. Den vises kun nu: siden kan ikke vise den igen.",
    "Grants and sign-on fees harvested by %(site)s": "Tilskud og tilslutningsbeløb høstet af %(site)s",
    "Harvest now": "Høst nu",
    "Harvest this peer again": "Høst denne instans igen",
    "Harvester": "Høster",
    "Harvester's name": "Høsterens navn",
    "Harvesters": "Høstere",
    "How many partners each municipality's programmes of each type have; counts from 1 to 4 are suppressed, and so is what would reveal them.":
        "Hvor mange partnere hver kommunes programmer af hver type har; tal fra 1 til 4 skjules, og det samme gør det, der ville afsløre dem.",
    "Instance": "Instans",
    "It starts with pkf1.": "Den begynder med pkf1.",
    "Items": "Poster",
    "Key from the peer's administrator": "Nøgle fra instansens administrator",
    "Key id": "Nøgle-id",
    "Keys": "Nøgler",
    "Keys for %(name)s (the newest active one signs)": "Nøgler til %(name)s (den nyeste aktive underskriver)",
    "Keys of %(name)s": "Nøgler for %(name)s",
    "Last run": "Seneste kørsel",
    "Last success": "Seneste succes",
    "Let a harvester in": "Luk en høster ind",
    "Make a new key for %(name)s": "Lav en ny nøgle til %(name)s",
    "Make the harvester and its key": "Opret høsteren og dens nøgle",
    "Message": "Besked",
    "National dashboard": "Nationalt dashboard",
    "shared a kind of data with harvesters": "delte en slags data med høstere",
    "stopped sharing a kind of data with harvesters": "holdt op med at dele en slags data med høstere",
    "resumed harvesting an instance": "genoptog høst af en instans",
    "paused harvesting an instance": "satte høst af en instans på pause",
    "Sharing between instances": "Deling mellem instanser",
    "started a new feed epoch": "startede en ny feed-epoke",
    "let a harvester in": "lukkede en høster ind",
    "made a harvester key": "lavede en høsternøgle",
    "revoked a harvester key": "tilbagekaldte en høsternøgle",
    "registered an instance to harvest": "registrerede en instans, der skal høstes",
    "added a key for a harvested instance": "tilføjede en nøgle til en høstet instans",
    "revoked a key for a harvested instance": "tilbagekaldte en nøgle til en høstet instans",
    "was refused a federation request": "fik afvist en federationsforespørgsel",
    "Harvested from other instances": "Høstet fra andre instanser",
    ("%(num)s instance is harvested; %(items)s items are held.", "%(num)s instances are harvested; %(items)s items are held."):
        ("%(num)s instans høstes; %(items)s elementer er gemt.", "%(num)s instanser høstes; %(items)s elementer er gemt."),
    "Last good harvest: %(when)s.": "Seneste gode høst: %(when)s.",
    "No other instance is harvested yet.": "Ingen anden instans høstes endnu.",
    "Open the national dashboard": "Åbn det nationale dashboard",
    "National overview": "Nationalt overblik",
    "Network memberships": "Medlemskaber af netværk",
    "No counts harvested yet.": "Ingen tal høstet endnu.",
    "No harvester has reported a run yet.": "Ingen høster har rapporteret en kørsel endnu.",
    "No harvester may read this instance's feeds yet.": "Ingen høster må læse denne instans' feeds endnu.",
    "No money harvested for this choice.": "Ingen penge høstet for dette valg.",
    "No peers are harvested yet.": "Ingen instanser høstes endnu.",
    "No peers yet.": "Ingen instanser endnu.",
    "Not harvested yet.": "Ikke høstet endnu.",
    "Organisations without a municipality": "Organisationer uden kommune",
    "Organisations' public details: name, kind, CVR number, address, website, target groups.":
        "Organisationers offentlige oplysninger: navn, type, CVR-nummer, adresse, hjemmeside, målgrupper.",
    "Partner counts": "Antal partnere",
    "Partner organisations per municipality": "Partnerorganisationer pr. kommune",
    "Partners": "Partnere",
    "Partners per municipality and programme type, all instances added together": "Partnere pr. kommune og programtype, alle instanser lagt sammen",
    "Partners per programme type": "Partnere pr. programtype",
    "Partners per programme type, as the instances count them": "Partnere pr. programtype, som instanserne tæller dem",
    "Peer": "Instans",
    "Peers to harvest": "Instanser, der høstes",
    "Programmes per municipality": "Programmer pr. kommune",
    "Programmes per municipality and programme type": "Programmer pr. kommune og programtype",
    "Programmes with their type, period, status and yearly budgets.": "Programmer med type, periode, status og årlige budgetter.",
    "Programmes, partners and money across the municipalities and instances this instance harvests.":
        "Programmer, partnere og penge på tværs af de kommuner og instanser, denne instans høster.",
    "Received": "Modtaget",
    "Register a peer": "Registrér en instans",
    "Register the peer": "Registrér instansen",
    "Reports from harvesters": "Rapporter fra høstere",
    "Result": "Resultat",
    "Runs": "Kørsler",
    "Save what is shared": "Gem, hvad der deles",
    "Sent to the peer": "Sendt til instansen",
    "Share %(kind)s for %(scope)s": "Del %(kind)s for %(scope)s",
    "Sharing": "Deling",
    "Sharing with the national coordinator": "Deling med den nationale koordinator",
    "Sign-on fees and grants per municipality": "Tilslutningsbeløb og tilskud pr. kommune",
    "Sign-on fees and grants per municipality and year": "Tilslutningsbeløb og tilskud pr. kommune og år",
    "Start a new epoch after restoring a backup: harvesters then read everything again and drop what is gone.":
        "Start en ny epoke efter gendannelse af en sikkerhedskopi: høstere læser så alt igen og dropper det, der er væk.",
    "Start a new feed epoch": "Start en ny feed-epoke",
    "State": "Tilstand",
    "Stop harvesting this peer": "Stop med at høste denne instans",
    "The instances this instance harvests": "De instanser, denne instans høster",
    "The form lists no municipality to save": "Formularen nævner ingen kommune at gemme",
    "The key": "Nøglen",
    "The key is already revoked": "Nøglen er allerede tilbagekaldt",
    "The key was added.": "Nøglen blev tilføjet.",
    "The key was revoked.": "Nøglen blev tilbagekaldt.",
    "The kinds": "Typerne",
    "The newest runs against %(name)s": "De nyeste kørsler mod %(name)s",
    "The newest runs against this instance, as the harvesters reported them": "De nyeste kørsler mod denne instans, som høsterne rapporterede dem",
    "The peer was harvested: see the newest run below.": "Instansen blev høstet: se den nyeste kørsel nedenfor.",
    "The peer was registered.": "Instansen blev registreret.",
    "The peer was saved.": "Instansen blev gemt.",
    "There is already a harvester called %(value)s": "Der er allerede en høster, der hedder %(value)s",
    "There is already a peer called %(value)s": "Der er allerede en instans, der hedder %(value)s",
    "This instance's id: %(id)s. Feed epoch: %(epoch)s.": "Denne instans' id: %(id)s. Feed-epoke: %(epoch)s.",
    "This is not a federation key: it starts with pkf1. and comes from the peer's administrator":
        "Det er ikke en føderationsnøgle: den begynder med pkf1. og kommer fra instansens administrator",
    "This key belongs to another instance than %(value)s": "Nøglen hører til en anden instans end %(value)s",
    "This key is already registered": "Nøglen er allerede registreret",
    "Tick a kind to share it for a municipality": "Sæt flueben ved en type for at dele den for en kommune",
    "Updated": "Opdateret",
    "What is shared": "Hvad der deles",
    "What this instance shares was saved.": "Det, denne instans deler, blev gemt.",
    "When each instance was last harvested": "Hvornår hver instans sidst blev høstet",
    "When the harvester uses the new key, revoke the old one.": "Når høsteren bruger den nye nøgle, så tilbagekald den gamle.",
    "Which organisations are in which programme's network, in which role and since when.":
        "Hvilke organisationer er i hvilket programs netværk, i hvilken rolle og siden hvornår.",
    "You manage no municipality here.": "Du administrerer ingen kommune her.",
    "fresh": "aktuel",
    "inactive": "inaktiv",
    "key %(kid)s": "nøgle %(kid)s",
    "no": "nej",
    "stale": "forældet",
    "stale: the data shown is older than 90 days": "forældet: de viste data er ældre end 90 dage",
    "suppressed": "skjult",
    "yes": "ja",
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
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(cfg), "-k", "one:2",
                        "-k", "add:2", "-k", "Message", "-k", "lazy_gettext", "--no-location", "--sort-output",
                        "-o", str(pot), str(plugin)], check=True, capture_output=True)
        with open(pot, "rb") as fh:
            template = read_po(fh)
    with open(root / "core" / "locale" / "da" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        core = read_po(fh, locale="da")
    catalogue = Catalog(locale="da", project="Partnerskab federation", fuzzy=False)
    missing = []
    for message in template:
        if not message.id:
            continue
        key = message.id
        text = DANISH.get(key)
        if text is None:
            entry = core.get(key if isinstance(key, str) else key[0])
            text = entry.string if entry is not None and entry.string else None
        if text is None:
            missing.append(key)
            continue
        catalogue.add(key, text)
    with open(here / "da" / "LC_MESSAGES" / "messages.po", "wb") as fh:
        write_po(fh, catalogue, omit_header=False, sort_output=True)
    if missing:
        raise SystemExit(f"no Danish for: {missing}")


if __name__ == "__main__":
    main()
