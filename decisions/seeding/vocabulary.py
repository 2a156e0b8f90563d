"""Words the seed builds its people, organisations and texts from: Jämtland Härjedalen flavour.

The organisations and people are invented; the places are the county's real villages and towns,
each with its municipality's SCB code and a postal code of its area.
"""

from organisations.models import Municipality

M = Municipality

#: (place, municipality, postal code prefix) for every place organisations are registered in.
PLACES = [
    ("Östersund", M.OSTERSUND, "831"),
    ("Östersund", M.OSTERSUND, "831"),
    ("Östersund", M.OSTERSUND, "832"),
    ("Frösön", M.OSTERSUND, "832"),
    ("Brunflo", M.OSTERSUND, "834"),
    ("Lit", M.OSTERSUND, "836"),
    ("Orrviken", M.OSTERSUND, "834"),
    ("Tandsbyn", M.OSTERSUND, "834"),
    ("Krokom", M.KROKOM, "835"),
    ("Föllinge", M.KROKOM, "835"),
    ("Ås", M.KROKOM, "835"),
    ("Nälden", M.KROKOM, "835"),
    ("Trångsviken", M.KROKOM, "835"),
    ("Åre", M.ARE, "837"),
    ("Järpen", M.ARE, "837"),
    ("Undersåker", M.ARE, "837"),
    ("Duved", M.ARE, "837"),
    ("Hallen", M.ARE, "837"),
    ("Mörsil", M.ARE, "837"),
    ("Strömsund", M.STROMSUND, "833"),
    ("Hammerdal", M.STROMSUND, "833"),
    ("Hoting", M.STROMSUND, "833"),
    ("Gäddede", M.STROMSUND, "833"),
    ("Backe", M.STROMSUND, "833"),
    ("Svenstavik", M.BERG, "840"),
    ("Myrviken", M.BERG, "845"),
    ("Hackås", M.BERG, "845"),
    ("Åsarna", M.BERG, "840"),
    ("Klövsjö", M.BERG, "840"),
    ("Sveg", M.HARJEDALEN, "842"),
    ("Funäsdalen", M.HARJEDALEN, "840"),
    ("Hede", M.HARJEDALEN, "840"),
    ("Vemdalen", M.HARJEDALEN, "840"),
    ("Lillhärdal", M.HARJEDALEN, "842"),
    ("Ytterhogdal", M.HARJEDALEN, "820"),
    ("Bräcke", M.BRACKE, "843"),
    ("Kälarne", M.BRACKE, "840"),
    ("Gällö", M.BRACKE, "840"),
    ("Pilgrimstad", M.BRACKE, "840"),
    ("Hammarstrand", M.RAGUNDA, "840"),
    ("Stugun", M.RAGUNDA, "840"),
    ("Bispgården", M.RAGUNDA, "840"),
    ("Sundsvall", M.OUTSIDE_COUNTY, "852"),
    ("Härnösand", M.OUTSIDE_COUNTY, "871"),
    ("Umeå", M.OUTSIDE_COUNTY, "903"),
    ("Stockholm", M.OUTSIDE_COUNTY, "118"),
]

#: The municipality's name as it stands in "X kommun".
MUNICIPALITY_NAMES = {
    M.RAGUNDA: "Ragunda",
    M.BRACKE: "Bräcke",
    M.KROKOM: "Krokoms",
    M.STROMSUND: "Strömsunds",
    M.ARE: "Åre",
    M.BERG: "Bergs",
    M.HARJEDALEN: "Härjedalens",
    M.OSTERSUND: "Östersunds",
}

FEMALE_NAMES = [
    "Anna",
    "Maria",
    "Karin",
    "Sara",
    "Emma",
    "Elin",
    "Ida",
    "Johanna",
    "Lena",
    "Kerstin",
    "Ingrid",
    "Malin",
    "Linnea",
    "Frida",
    "Hanna",
    "Sofia",
    "Maja",
    "Astrid",
    "Elsa",
    "Agnes",
    "Birgitta",
    "Eva",
    "Ulrika",
    "Åsa",
    "Camilla",
    "Therese",
    "Jenny",
    "Moa",
    "Ylva",
    "Tove",
    "Britt",
    "Marit",
    "Inga",
    "Sanna",
    "Nora",
    "Alva",
]

MALE_NAMES = [
    "Erik",
    "Lars",
    "Anders",
    "Johan",
    "Per",
    "Nils",
    "Olof",
    "Mikael",
    "Karl",
    "Jonas",
    "Magnus",
    "Henrik",
    "Daniel",
    "Fredrik",
    "Mattias",
    "Gustav",
    "Oskar",
    "Axel",
    "Emil",
    "Jonatan",
    "Viktor",
    "Sven",
    "Göran",
    "Stefan",
    "Björn",
    "Håkan",
    "Tomas",
    "Ola",
    "Jon",
    "Martin",
    "Linus",
    "Ante",
    "Isak",
    "Aron",
    "Leo",
    "Hugo",
]

SURNAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Jonsson",
    "Hansson",
    "Olofsson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Lindqvist",
    "Berglund",
    "Sundberg",
    "Ström",
    "Hedlund",
    "Holmgren",
    "Forsberg",
    "Åström",
    "Nordin",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Danielsson",
    "Östberg",
    "Lundgren",
    "Berg",
    "Fjällström",
    "Kråik",
    "Jonasson",
    "Mattsson",
    "Hällgren",
    "Nordqvist",
    "Bergström",
    "Sandberg",
    "Westin",
]

ASSOCIATION_THEMES = [
    "Hembygds",
    "Teater",
    "Musik",
    "Konst",
    "Folkdans",
    "Film",
    "Jazz",
    "Spelmans",
    "Litteratur",
    "Foto",
    "Slöjd",
    "Kultur",
    "Bygdegårds",
    "Blues",
    "Berättar",
    "Dans",
]

ASSOCIATION_PATTERNS = [
    "{theme}föreningen i {place}",
    "{place} {theme_lower}förening",
    "{place}s {theme_lower}sällskap",
    "Föreningen {word}",
    "Kulturföreningen {word} i {place}",
    "Bygdegårdsföreningen {place}",
    "Folkets Hus-föreningen {place}",
    "{place} spelmanslag",
    "{place} kammarkör",
    "Ungdomens hus {place}",
    "Sydsamiska föreningen i {place}",
    "Finska föreningen i {place}",
    "Riksteatern {place}",
    "{place} filmstudio",
]

WORDS = [
    "Norrsken",
    "Fjällsippan",
    "Gnistan",
    "Ljuspunkten",
    "Forsen",
    "Tjärnen",
    "Myrstacken",
    "Stjärnfallet",
    "Rönnbäret",
    "Kompassen",
    "Ugglan",
    "Vintergatan",
    "Älvdansen",
    "Blåklockan",
    "Glöden",
    "Kvarnen",
    "Vågen",
    "Lyktan",
    "Ekot",
    "Hjärtat",
]

STUDY_ASSOCIATIONS = [
    "ABF",
    "Studieförbundet Vuxenskolan",
    "Studiefrämjandet",
    "Medborgarskolan",
    "Bilda",
    "Folkuniversitetet",
    "Kulturens",
    "Ibn Rushd",
    "Sensus",
    "NBV",
]

SOLE_TRADES = [
    "Musik",
    "Konst",
    "Foto",
    "Design",
    "Teaterproduktion",
    "Berättarkonst",
    "Illustration",
    "Dans",
    "Ljud & Ljus",
    "Keramik",
    "Textil",
]

COMPANY_PATTERNS = [
    "{word} Produktion AB",
    "{surname}s Kultur & Event AB",
    "Scen {place} AB",
    "{word} Media AB",
    "{place} Konsthall AB",
    "{word} Förlag AB",
]

ECONOMIC_ASSOCIATION_PATTERNS = [
    "{place} kulturkooperativ ekonomisk förening",
    "Konstnärskollektivet {word} ek. för.",
    "Bygdebolaget i {place} ek. för.",
    "Hantverkskooperativet {word} ek. för.",
]

FOUNDATION_PATTERNS = [
    "Stiftelsen {place} kulturhus",
    "Stiftelsen {surname}s minnesfond",
    "Stiftelsen {word}",
    "Stiftelsen {place} hembygdsgård",
]

LIBRARY_PATTERNS = [
    "{place} bibliotek",
    "Biblioteket i {place}",
    "{place} skolbibliotek",
]

MUNICIPAL_DEPARTMENTS = [
    "kultur- och fritidsförvaltningen",
    "fritidsenheten",
    "kulturskolan",
    "biblioteksenheten",
]

OTHER_PATTERNS = [
    "{place} församling",
    "{place} folkhögskola",
    "Nätverket {word}",
]

#: Application titles; ``{place}``, ``{municipality}``, ``{year}`` and ``{word}`` are filled in.
PROJECT_TITLES = [
    "Sommarteater i {place}",
    "Berättarfestival i {place} {year}",
    "Körläger för unga i {municipality}",
    "Sydsamiska kulturdagar i {place}",
    "Jazz i {place} {year}",
    "Konstrunda i {municipality}",
    "Filmverkstad för unga i {place}",
    "Digitalisering av hembygdsarkivet i {place}",
    "Folkmusikkurs för nybörjare",
    "Dansföreställning på turné i länet",
    "Utställningen Fjällets hantverk",
    "Läsfrämjande för barn i {place}",
    "Kulturkvällar för äldre i {municipality}",
    "Tillgänglig scen i {place}",
    "Ungdomsledd konsertserie {year}",
    "Slöjdcafé i {place}",
    "Bygdespelet i {place}",
    "Sydsamisk språkverkstad",
    "Kulturarvsvandringar i {municipality}",
    "Musikal med unga i {place}",
    "Poesi på biblioteket",
    "Skrivarverkstad för nyanlända",
    "Fotoutställning: {word}",
    "Scenkonst för de minsta",
    "Kulturskola på sommarlovet i {place}",
]

EVENT_TITLES = [
    "Konsert med {word} i {place}",
    "Marknadsdag och spelmansstämma i {place}",
    "Vinterfestivalen i {place} {year}",
    "Författarbesök på biblioteket i {place}",
    "Teaterföreställning för skolor i {municipality}",
    "Midsommarfirande med folkdans i {place}",
    "Filmfestival {word} {year}",
    "Öppen scen i {place}",
]

OPERATING_TITLES = [
    "Verksamhetsbidrag {year}",
    "Verksamhet {year}: program och publikarbete",
    "Ordinarie verksamhet {year}",
]

SUMMARIES = [
    "Vi vill ge barn och unga i {municipality} möjlighet att själva skapa och uppleva kultur.",
    "Projektet samlar amatörer och professionella kring en gemensam föreställning.",
    "Ett återkommande arrangemang som lockar publik från hela länet.",
    "Vi dokumenterar och tillgängliggör bygdens kulturarv för nya generationer.",
    "Satsningen riktar sig särskilt till äldre och personer med funktionsnedsättning.",
    "Samarbete mellan föreningen, biblioteket och skolan i {place}.",
    "Arrangemanget lyfter sydsamisk kultur och språk i samarbete med samebyn.",
]

DESCRIPTIONS = [
    "Aktiviteten genomförs under {months} månader med träffar varje vecka.",
    "Vi anlitar professionella kulturskapare som leder arbetet tillsammans med deltagarna.",
    "Lokalerna är tillgängliga och vi erbjuder syntolkning och teckenspråkstolkning vid behov.",
    "Verksamheten marknadsförs via sociala medier, affischer och lokalradion.",
    "Deltagandet är kostnadsfritt och vi samarbetar med studieförbundet om ledare.",
    "Resultatet visas vid en avslutande föreställning som är öppen för alla.",
]

PERSPECTIVE_TEXTS = {
    "accessibility": [
        "Alla lokaler är tillgängliga för rullstol och har hörslinga.",
        "Vi erbjuder syntolkning och information på lättläst svenska.",
    ],
    "children_youth": [
        "Unga är med och planerar programmet i en referensgrupp.",
        "Barnens egna idéer styr innehållet i verkstäderna.",
    ],
    "gender_equality": [
        "Vi eftersträvar jämn könsfördelning bland medverkande och ledare.",
        "Programmet granskas ur ett jämställdhetsperspektiv innan det fastställs.",
    ],
    "equality": [
        "Aktiviteterna är avgiftsfria så att alla kan delta.",
        "Vi når nya grupper genom samarbete med SFI och föreningar för nyanlända.",
    ],
    "indigenous_minority": [
        "Sydsamiska kulturutövare medverkar och programmet ges även på sydsamiska.",
        "Vi samarbetar med den finska föreningen om ett tvåspråkigt program.",
    ],
}

ASSESSMENT_COMMENTS = {
    "strengthens": "Perspektivet är väl genomtänkt och stärker projektet.",
    "neutral": "Perspektivet berörs men påverkar inte bedömningen.",
    "weakens": "Perspektivet saknas i planeringen.",
    "not_applicable": "Perspektivet är inte tillämpligt för denna verksamhet.",
}

SCORE_COMMENTS = {
    1: "Svagt underbyggt.",
    2: "Delvis uppfyllt.",
    3: "Godtagbart.",
    4: "Väl genomarbetat.",
    5: "Mycket starkt.",
}

REASONS = {
    "approved": [
        "Ansökan uppfyller bidragets syfte. Verksamheten bedöms stärka kulturlivet i länet och "
        "har en realistisk budget och tydlig målgrupp.",
        "Projektet bidrar till att fler barn och unga får del av kultur och har ett väl "
        "genomtänkt arbete med tillgänglighet.",
    ],
    "approved_partly": [
        "Ansökan beviljas delvis. Projektet bedöms angeläget, men med hänsyn till tillgängliga "
        "medel och antalet ansökningar kan hela beloppet inte beviljas.",
        "Ansökan beviljas delvis; kostnaderna för marknadsföring bedöms vara högt beräknade.",
    ],
    "rejected": [
        "Ansökan avslås. I konkurrens med andra ansökningar bedöms projektet ha lägre "
        "regional betydelse.",
        "Ansökan avslås eftersom projektet i huvudsak riktar sig till en sluten krets av "
        "föreningens medlemmar.",
        "Ansökan avslås då budgeten inte bedöms realistisk i förhållande till verksamheten.",
    ],
    "dismissed": [
        "Ansökan avvisas eftersom sökanden inte är behörig att söka bidraget.",
        "Ansökan avvisas eftersom verksamheten redan har genomförts.",
    ],
}

CONDITIONS = (
    "Bidraget ska användas i enlighet med ansökan. Större förändringar ska godkännas skriftligt "
    "av regionen. Region Jämtland Härjedalen ska anges som bidragsgivare i all kommunikation. "
    "Information om tillgänglighet ska ges till deltagarna."
)

COMPLETION_MESSAGES = [
    ("Komplettera budgeten med en specifikation av arvodena.", ["budget"]),
    ("Bifoga en projektplan med tidsplan.", ["attachments"]),
    ("Beskriv hur ni arbetar med tillgänglighet.", ["perspectives"]),
    (
        "Ange vilka samarbetspartner som medverkar och bifoga avsiktsförklaring.",
        ["project", "attachments"],
    ),
]

COMPLETION_REPLIES = [
    "Vi har kompletterat enligt önskemål.",
    "Budgeten är nu specificerad.",
    "Projektplanen är bifogad.",
]

REPORT_COMPLETION_MESSAGES = [
    "Redovisa deltagarantal per åldersgrupp och kön.",
    "Bifoga ekonomisk redovisning som visar utfallet per budgetpost.",
]

WITHDRAWAL_REASONS = [
    "Projektet kan inte genomföras i år.",
    "Vi har fått finansiering från annat håll.",
    "Ansökan skickades in av misstag.",
    "",
]

REPORT_TEXTS = [
    "Verksamheten genomfördes enligt plan med god uppslutning.",
    "Projektet genomfördes med vissa förändringar i tidsplanen; publiken blev större än väntat.",
    "Alla planerade aktiviteter genomfördes och utvärderingen visar nöjda deltagare.",
]

REPAYMENT_REASONS = {
    "no_report": "Slutredovisning har inte kommit in trots påminnelser.",
    "underspent": "Enligt slutredovisningen har bidraget inte använts fullt ut.",
}

SETTLEMENT_NOTES = {
    "settled": "Beloppet är återbetalt.",
    "written_off": "Föreningen har upplösts; fordran skrivs av.",
}

COMMITTEE_BODY = "Regionala utvecklingsnämnden"
