"""The demo's applications: what each organisation applied for, and how far its case has come.

``fate`` names the state the case is left in (DESIGN §4.1), with a few variants that say how it
got there: ``draft_incomplete`` (attachments missing), ``withdrawn_draft`` (never submitted),
``under_review_returned`` (proposed, then sent back by the decision maker), ``dismissed`` (a
rejection by avvisning) and ``repaid`` (closed after a repayment claim was settled).
``payment`` says what happens to the first instalment that becomes payable: ``paid`` in the
confirmed batch, ``failed`` after it, ``batched`` in the attested batch, or left payable.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

OFFICER = "officer@example.org"
OFFICER_2 = "officer-2@example.org"
DECIDER = "decider@example.org"
SECRETARY = "secretary@example.org"

KUL_DECIDED, KUL_OPEN, VKU, CIV, ARR = "kul_decided", "kul_open", "vku", "civ", "arr"
#: A closed project call whose proposals await the committee (samlingsbeslut).
KUL_COMMITTEE = "kul_committee"

RAGUNDA, BRACKE, KROKOM, STROMSUND = "2303", "2305", "2309", "2313"
ARE, BERG, HARJEDALEN, OSTERSUND = "2321", "2326", "2361", "2380"


@dataclass(frozen=True)
class AssessmentSpec:
    """The officer's scores (in the order of the programme's criteria) and proposal."""

    scores: tuple[int, ...]
    recommendation: str
    reasons: str
    amount: int | None = None  # the proposed amount when approving in part


@dataclass(frozen=True)
class ApplicationSpec:
    key: str
    organisation: str
    call: str
    title: str
    summary: str
    description: str
    requested: int
    target_groups: tuple[str, ...]
    municipalities: tuple[str, ...]
    perspectives: Mapping[str, str]
    agenda_goals: tuple[int, ...]
    activity: tuple[int, int] | str  # first and last day in days from today, or "this_year"
    fate: str
    officer: str = OFFICER
    author: str = ""  # the organisation's signatory unless given
    letter_language: str = "sv"
    assessment: AssessmentSpec | None = None
    completion: tuple[str, str] | None = None  # the officer's request and the reply, if any
    returned: str = ""  # why the decision maker sent the proposal back
    withdrawn: str = ""  # the applicant's reason for withdrawing
    payment: str = ""
    report: str = ""  # what the grantee reports was done
    used_amount: int | None = None
    report_completion: str = ""
    repayment: tuple[int, str] | None = None  # amount claimed back and why
    extra: Mapping[str, str] = field(default_factory=dict)


APPLICATIONS = [
    # Project grants, the decided call ------------------------------------------------------
    ApplicationSpec(
        "sommarscen",
        "storsjoljus",
        KUL_DECIDED,
        "Sommarscen i Badhusparken",
        "Åtta kvällar med avgiftsfri scenkonst i Badhusparken i Östersund och två "
        "turnékvällar i Brunflo och Lit, med lokala och regionala artister.",
        "Kulturföreningen Storsjöljus bygger en tillfällig utomhusscen i Badhusparken under "
        "sommaren. Programmet blandar teater, nycirkus, visa och dans, med två professionella "
        "gästspel från regionen. Varje kväll inleds med en workshop för barn. Scenen byggs med "
        "ramp och hörslinga och två av föreställningarna syntolkas. Efter kvällarna i Östersund "
        "turnerar en mindre version av programmet till Brunflo och Lit.",
        85000,
        ("everyone", "children_youth"),
        (OSTERSUND,),
        {
            "accessibility": "Scenen har ramp och hörslinga; två föreställningar syntolkas och "
            "programmet finns på lättläst svenska.",
            "children_youth": "Varje kväll börjar med en workshop för barn 6–12 år som leds av "
            "scenkonstnärer.",
            "gender_equality": "Programmet har en jämn fördelning mellan kvinnliga och manliga "
            "upphovspersoner och artister.",
        },
        (4, 11),
        (-20, 70),
        "approved",
        assessment=AssessmentSpec(
            (4, 3, 4, 4, 3),
            "approve",
            "Projektet erbjuder avgiftsfri scenkonst av god kvalitet i en central offentlig "
            "miljö och når nya publikgrupper genom turnékvällarna utanför Östersund. Budgeten är "
            "realistisk och medfinansieringen från Östersunds kommun är bekräftad. "
            "Tillgänglighetsarbetet är föredömligt. Projektet uppfyller syftet med projektbidrag "
            "kultur och bidrag beviljas med sökt belopp.",
        ),
        payment="paid",
    ),
    ApplicationSpec(
        "ljudvandring",
        "storsjoljus",
        KUL_DECIDED,
        "Ljudvandring i Östersunds gamla stadskärna",
        "En ljudvandring i mobilen där skådespelare gestaltar människor som levt och verkat i "
        "kvarteren kring Stortorget mellan 1880 och 1950.",
        "Ljudvandringen består av tolv stationer med dramatiserade berättelser som bygger på "
        "lokalhistoriskt arkivmaterial och intervjuer med äldre Östersundsbor. Berättelserna "
        "spelas in med fyra skådespelare och en ljuddesigner. Vandringen blir gratis att ladda "
        "ned och kompletteras med guidade visningar för skolklasser.",
        60000,
        ("everyone", "older_people"),
        (OSTERSUND,),
        {
            "accessibility": "Ljudfilerna textas och finns som utskrivbart manus; vandringen går "
            "på plan mark.",
        },
        (4, 11),
        (-60, 30),
        "rejected",
        officer=OFFICER_2,
        assessment=AssessmentSpec(
            (3, 2, 3, 2, 3),
            "reject",
            "Ansökan har prövats i konkurrens med övriga ansökningar i omgången, där de sökta "
            "beloppen var mer än tre gånger så stora som de medel som fanns att fördela. "
            "Projektet bedöms hålla god kvalitet men får ett begränsat regionalt genomslag, "
            "eftersom det bara genomförs i Östersunds centrum och saknar en plan för spridning "
            "till länets övriga kommuner. Projekt med större spridning i länet har prioriterats.",
        ),
    ),
    ApplicationSpec(
        "folkmusiklager",
        "fjallstamman",
        KUL_DECIDED,
        "Folkmusikläger för unga i Bräcke",
        "Ett femdagars sommarläger där 30 ungdomar från hela länet lär sig låtar från Jämtland "
        "och Härjedalen av erfarna spelmän och avslutar med en konsert.",
        "Lägret hålls i Bräcke Folkets hus med boende på ortens vandrarhem. Deltagarna spelar "
        "fiol, nyckelharpa, dragspel eller gitarr och delas in i grupper efter erfarenhet. Fyra "
        "spelmän leder undervisningen och varje kväll hålls allspel och dans. Lägret avslutas "
        "med en offentlig konsert där deltagarna spelar tillsammans med spelmanslaget. Resorna "
        "subventioneras så att ungdomar från länets glesbygd kan delta.",
        48000,
        ("children_youth",),
        (BRACKE, RAGUNDA, OSTERSUND),
        {
            "children_youth": "Ungdomarna planerar avslutningskonserten själva tillsammans med "
            "ledarna.",
            "equality": "Lägeravgiften är låg och resorna subventioneras, så att kostnaden inte "
            "hindrar någon.",
            "gender_equality": "Lika många kvinnliga som manliga ledare; vi uppmuntrar flickor "
            "att spela nyckelharpa och pojkar att sjunga.",
        },
        (4, 5, 10),
        (-75, -70),
        "report_submitted",
        assessment=AssessmentSpec(
            (4, 4, 4, 5, 3),
            "approve",
            "Lägret för länets folkmusiktradition vidare till en ny generation och når ungdomar "
            "från flera kommuner. Upplägget är väl beprövat, budgeten rimlig och barns och ungas "
            "delaktighet hög. Projektet uppfyller syftet med projektbidraget och bidrag beviljas "
            "med sökt belopp.",
        ),
        payment="paid",
        report="Lägret genomfördes med 28 deltagare i åldern 12–19 år från sex av länets "
        "kommuner. Fyra spelmän ledde undervisningen i fiol, nyckelharpa och dragspel. "
        "Avslutningskonserten i Folkets hus hade omkring 140 besökare. Två av deltagarna har "
        "efter lägret börjat spela i spelmanslaget.",
        used_amount=48000,
    ),
    ApplicationSpec(
        "jojkturne",
        "tjaetsie",
        KUL_DECIDED,
        "Jojk och berättelser – sydsamisk turné i länet",
        "En turné med sydsamisk jojk och berättande till skolor, bibliotek och bygdegårdar i "
        "sex kommuner, med workshoppar där barn lär sig om jojkens tradition.",
        "Två jojkare och en berättare från det sydsamiska området framför en föreställning om "
        "renskötselåret, årstiderna och platserna i fjällen. Varje föreställning följs av en "
        "workshop där barnen får prova att jojka och lära sig några ord på sydsamiska. Turnén "
        "besöker skolor och bibliotek i Berg, Härjedalen, Krokom, Strömsund, Åre och Östersund, "
        "bland annat orter som sällan får besök av professionella kulturutövare.",
        95000,
        ("children_youth", "sami"),
        (BERG, HARJEDALEN, KROKOM, STROMSUND, ARE, OSTERSUND),
        {
            "indigenous_minority": "Projektet leds av sydsamiska kulturutövare och stärker "
            "sydsamiskan som levande språk.",
            "children_youth": "Workshopparna utgår från barnens egna frågor om samisk kultur.",
            "accessibility": "Föreställningen anpassas till små lokaler och kan "
            "teckenspråkstolkas.",
        },
        (4, 10, 16),
        (-80, -30),
        "closed",
        assessment=AssessmentSpec(
            (5, 5, 3, 4, 4),
            "approve_partly",
            "Projektet har hög konstnärlig kvalitet och stärker det sydsamiska kulturarvet, i "
            "linje med regionens ansvar för urfolks- och minoritetsperspektivet. Turnén når sex "
            "kommuner och många barn. Reskostnaderna bedöms dock högt beräknade i förhållande "
            "till turnéplanen, och bidrag beviljas därför delvis, med 75 000 kronor.",
            amount=75000,
        ),
        payment="paid",
        report="Turnén genomfördes med 18 föreställningar och lika många workshoppar på skolor "
        "och bibliotek i sex kommuner. Omkring 900 barn och 120 vuxna deltog. Tre skolor har "
        "efteråt bett om fortsatt samarbete kring sydsamiska i undervisningen.",
        used_amount=75000,
    ),
    ApplicationSpec(
        "skrivarverkstad",
        "bildningsvagen",
        KUL_DECIDED,
        "Skriv ditt liv – skrivarverkstäder för nyanlända kvinnor",
        "Skrivarverkstäder i Krokom och Östersund där nyanlända kvinnor skriver om sina liv "
        "tillsammans med två författare; texterna ges ut i en antologi.",
        "Under tio veckor träffas två grupper en kväll i veckan. Två författare leder "
        "skrivandet, på svenska och på deltagarnas modersmål med stöd av språkcaféets "
        "volontärer. Texterna bearbetas och ges ut i en tryckt antologi som presenteras vid "
        "uppläsningar på biblioteken. Barnpassning ordnas under träffarna så att mammor med "
        "små barn kan delta.",
        70000,
        ("newly_arrived",),
        (KROKOM, OSTERSUND),
        {
            "gender_equality": "Projektet ger kvinnor som ofta står utanför kulturlivet en egen "
            "röst och ett eget forum.",
            "equality": "Deltagandet är kostnadsfritt och barnpassning ordnas under träffarna.",
            "accessibility": "Träffarna hålls i tillgängliga lokaler nära kollektivtrafik.",
        },
        (4, 5, 10),
        (-110, -40),
        "report_completion_requested",
        officer=OFFICER_2,
        assessment=AssessmentSpec(
            (4, 3, 4, 2, 4),
            "approve",
            "Projektet ger nyanlända kvinnor möjlighet till eget skapande och synlighet i länets "
            "litteraturliv. Upplägget är genomtänkt, ledarna är kvalificerade och samverkan med "
            "biblioteken är god. Bidrag beviljas med sökt belopp.",
        ),
        payment="paid",
        report="Två skrivargrupper med sammanlagt 19 deltagare träffades under tio veckor. "
        "Antologin ”Mina vägar hit” trycktes i 500 exemplar och presenterades vid tre "
        "uppläsningar på biblioteken i Krokom och Östersund.",
        used_amount=70000,
        report_completion="Slutredovisningen saknar en ekonomisk redovisning per kostnadspost som "
        "visar de verkliga kostnaderna för tryckningen av antologin. Komplettera med den och "
        "bifoga en bild på antologin där regionen anges som finansiär.",
    ),
    ApplicationSpec(
        "isvinter",
        "jamtfilm",
        KUL_DECIDED,
        "Isvinter – kortfilm inspelad i Ragunda",
        "En 25 minuter lång kortfilm om två syskon som driver en isfiskecamping i Ragunda; "
        "inspelningen anställer unga filmarbetare från länet.",
        "Isvinter berättar om syskonen Elin och Tobias som efter faderns död försöker hålla liv "
        "i familjens isfiskecamping. Filmen spelas in under tre veckor i februari i Ragunda "
        "kommun med ett team där hälften är unga filmarbetare från länet i sin första "
        "professionella produktion. Filmen visas på länets biografer och festivaler och erbjuds "
        "skolor tillsammans med en lärarhandledning.",
        250000,
        ("everyone", "children_youth"),
        (RAGUNDA, OSTERSUND),
        {
            "children_youth": "En lärarhandledning tas fram för gymnasiet och filmen visas "
            "gratis för skolklasser.",
            "gender_equality": "Regissör, fotograf och producent är kvinnor; teamet har jämn "
            "könsfördelning.",
            "accessibility": "Filmen textas på svenska och syntolkas.",
        },
        (4, 8),
        (-10, 120),
        "approved",
        assessment=AssessmentSpec(
            (4, 4, 4, 3, 4),
            "approve",
            "Produktionen håller hög professionell nivå och bidrar till att bygga upp "
            "filmbranschen i länet genom att ge unga filmarbetare sin första anställning. "
            "Inspelningen förläggs utanför centralorten och filmen sprids till skolor i hela "
            "länet. Beloppet överstiger delegationen och ärendet avgörs av Regionala "
            "utvecklingsnämnden. Bidrag beviljas med sökt belopp.",
        ),
        payment="batched",
        extra={"committee": "§ 88"},
    ),
    ApplicationSpec(
        "vinterturne",
        "blatimmen",
        KUL_DECIDED,
        "Jazz i Jämtland – vinterturné till sex orter",
        "En vinterturné med en regional jazzkvintett till bygdegårdar och Folkets hus i sex "
        "orter i länet, med öppna repetitioner för kulturskolornas elever.",
        "Kvintetten spelar nyskriven musik inspirerad av jämtländska visor. På varje ort hålls "
        "en öppen repetition på eftermiddagen för kulturskolans elever och en konsert på "
        "kvällen som arrangeras tillsammans med den lokala föreningen. Turnén besöker Hammerdal, "
        "Järpen, Svenstavik, Sveg, Bräcke och Hammarstrand.",
        40000,
        ("everyone", "children_youth"),
        (STROMSUND, ARE, BERG, HARJEDALEN, BRACKE, RAGUNDA),
        {
            "children_youth": "Kulturskolornas elever får spela med kvintetten vid de öppna "
            "repetitionerna.",
            "equality": "Konserterna hålls på orter där utbudet av levande jazz är litet.",
        },
        (4, 11),
        (-50, -10),
        "repayment_claimed",
        officer=OFFICER_2,
        assessment=AssessmentSpec(
            (4, 5, 3, 3, 3),
            "approve",
            "Turnén ger publik i sex av länets kommuner möjlighet att uppleva jazz av hög "
            "kvalitet, och de öppna repetitionerna engagerar unga musiker. Bidrag beviljas med "
            "sökt belopp.",
        ),
        payment="paid",
        repayment=(
            16000,
            "Jazzklubben har meddelat att fyra av de sex planerade konserterna ställdes in och "
            "inte kommer att genomföras. Bidraget har därmed inte använts enligt beslutet. "
            "Regionen återkräver den del av utbetalt bidrag som avser de inställda konserterna, "
            "16 000 kronor, och den återstående delutbetalningen betalas inte ut.",
        ),
    ),
    ApplicationSpec(
        "alla-sinnen",
        "funktionsratt",
        KUL_DECIDED,
        "Teater för alla sinnen",
        "Sex syntolkade och teckenspråkstolkade teaterföreställningar i Östersund och "
        "Strömsund, med taktila introduktioner före varje föreställning.",
        "Föreningen samarbetar med en fri teatergrupp om föreställningen ”Stormen i glaset”. "
        "Före varje föreställning får publiken känna på kostymer och rekvisita och gå runt på "
        "scenen. Föreställningarna syntolkas och teckenspråkstolkas, och programbladet finns i "
        "punktskrift och storstil. Ledsagare går in gratis.",
        55000,
        ("disabilities", "everyone"),
        (OSTERSUND, STROMSUND),
        {
            "accessibility": "Syntolkning, teckenspråkstolkning, taktil introduktion och "
            "programblad i punktskrift vid alla föreställningar.",
            "equality": "Ledsagare går in gratis och biljettpriset är lågt.",
        },
        (3, 10),
        (-5, 90),
        "approved",
        assessment=AssessmentSpec(
            (4, 3, 4, 2, 5),
            "approve",
            "Projektet utvecklar tillgänglig scenkonst på ett nyskapande sätt och når grupper "
            "som sällan kan ta del av teater på lika villkor. Samarbetet med en professionell "
            "teatergrupp borgar för kvaliteten. Bidrag beviljas med sökt belopp.",
        ),
        payment="failed",
    ),
    ApplicationSpec(
        "fabodsommar",
        "fjallgren",
        KUL_DECIDED,
        "Fäbodsommar – bilderbok om fäbodlivet i Klövsjö",
        "En illustrerad bilderbok för barn 3–8 år om en sommar på fäboden, med bokprat och "
        "bildverkstäder på biblioteken i Berg och Härjedalen.",
        "Bilderboken följer en flicka och hennes mormor under en sommar på fäboden: djuren, "
        "arbetet, kulningen och fäbodmaten. Bilderna bygger på skisser från levande fäbodar i "
        "Klövsjö. Boken trycks i 1 000 exemplar och delas ut till förskolorna i Berg och "
        "Härjedalen, och illustratören håller bildverkstäder för barn på biblioteken.",
        30000,
        ("children_youth",),
        (BERG, HARJEDALEN),
        {
            "children_youth": "Boken är skriven för förskolebarn och bildverkstäderna låter "
            "barnen skapa egna fäbodbilder.",
            "indigenous_minority": "Boken visar fäbodkulturen som ett levande immateriellt "
            "kulturarv i länet.",
        },
        (4,),
        (-120, -45),
        "closed",
        assessment=AssessmentSpec(
            (4, 3, 5, 4, 3),
            "approve",
            "Boken förmedlar det levande fäbodkulturarvet till yngre barn på ett konstnärligt "
            "starkt sätt. Projektplanen är realistisk och bildverkstäderna ger spridning i två "
            "kommuner. Bidrag beviljas med sökt belopp.",
        ),
        payment="paid",
        report="Boken trycktes i 1 000 exemplar och delades ut till samtliga förskolor i Berg "
        "och Härjedalen. Sex bildverkstäder hölls på biblioteken med sammanlagt 140 barn.",
        used_amount=30000,
    ),
    ApplicationSpec(
        "bygdegardsscen",
        "hallen",
        KUL_DECIDED,
        "Ny scen och ljusrigg i Hallens bygdegård",
        "Bygdegårdens scen byggs om och får en ny ljusrigg, så att byn kan ta emot turnerande "
        "teater och konserter.",
        "Scenen i bygdegården är från 1950-talet och för liten för dagens turnerande "
        "produktioner. Samfälligheten vill bygga ut scenen, sätta in en ljusrigg med LED-"
        "armaturer och en ramp, och därefter arrangera fyra kulturkvällar om året tillsammans "
        "med bygdens föreningar.",
        40000,
        ("everyone",),
        (ARE,),
        {"accessibility": "En ramp byggs till scenen och salongen."},
        (11,),
        (30, 60),
        "dismissed",
        officer=OFFICER_2,
        completion=(
            "Bifoga en offert eller kostnadsberäkning för scenbygget och ljusriggen och ett "
            "protokollsutdrag där styrelsen beslutar om projektet. Beskriv också vilka "
            "kulturarrangemang scenen ska användas till.",
            "Offerten från snickeriet är försenad. Vi skickar den och styrelsens protokoll så "
            "snart vi har dem.",
        ),
        assessment=AssessmentSpec(
            (2, 2, 1, 2, 2),
            "dismiss",
            "Ansökan saknar, trots begäran om komplettering, kostnadsberäkning för scenbygget och "
            "styrelsens beslut om projektet. Ansökan kan därför inte prövas i sak och avvisas. "
            "Samfälligheten är välkommen att söka igen i en kommande omgång med fullständiga "
            "handlingar.",
        ),
    ),
    ApplicationSpec(
        "messias",
        "varljus",
        KUL_DECIDED,
        "Messias i Strömsunds kyrka – körprojekt med länets körer",
        "Fem körer från länet framför Händels Messias tillsammans med solister och en "
        "barockensemble vid två konserter i Strömsund och Hammerdal.",
        "Körerna repeterar var för sig under hösten och samlas till tre gemensamma "
        "repetitionshelger. Fyra solister och en barockensemble med nio musiker engageras. "
        "Konserterna hålls i Strömsunds kyrka och Hammerdals kyrka. Sångare från mindre orter "
        "får resebidrag till de gemensamma repetitionerna.",
        45000,
        ("everyone", "older_people"),
        (STROMSUND,),
        {
            "equality": "Resebidrag gör det möjligt för sångare från glesbygden att delta.",
            "accessibility": "Båda kyrkorna har hörslinga och ramp.",
        },
        (4, 17),
        (-100, -60),
        "repaid",
        assessment=AssessmentSpec(
            (4, 3, 4, 2, 3),
            "approve",
            "Projektet samlar körer från flera orter kring ett stort verk och ger publik i "
            "Strömsunds kommun tillgång till professionella solister och barockmusiker. Bidrag "
            "beviljas med sökt belopp.",
        ),
        payment="paid",
        report="Projektet genomfördes med 92 körsångare från fem körer, fyra solister och en "
        "barockensemble med nio musiker. Två konserter hölls med sammanlagt 610 besökare. "
        "Kostnaderna blev lägre än beräknat eftersom ensemblen kunde samordna resorna med en "
        "annan turné.",
        used_amount=30000,
        repayment=(
            6000,
            "Enligt slutredovisningen har 30 000 kronor av bidraget använts. Av utbetalda 36 000 "
            "kronor återkrävs därför de 6 000 kronor som inte har använts, och den sista "
            "delutbetalningen betalas inte ut.",
        ),
    ),
    # Project grants, the open call ---------------------------------------------------------
    ApplicationSpec(
        "ljusfestival",
        "storsjoljus",
        KUL_OPEN,
        "Ljusfestival vid Storsjöstranden",
        "Ljuskonstverk längs strandpromenaden i Östersund under fem kvällar i november, "
        "skapade av konstnärer tillsammans med skolklasser.",
        "Fyra ljuskonstnärer skapar verk längs strandpromenaden tillsammans med elever från "
        "sex skolor. Under festivalkvällarna hålls guidade vandringar, och verken släcks "
        "stegvis den sista kvällen till en avslutande konsert.",
        150000,
        ("everyone", "children_youth"),
        (OSTERSUND,),
        {"children_youth": "Eleverna är medskapare av verken från skiss till montering."},
        (11, 13),
        (120, 125),
        "draft_incomplete",
        author="member-a@example.org",
    ),
    ApplicationSpec(
        "berattarkafe",
        "storsjoljus",
        KUL_OPEN,
        "Berättarkafé på jämtska för äldre",
        "Månatliga berättarkaféer på äldreboenden och träffpunkter, där en berättare och en "
        "spelman väcker minnen och samtal på jämtska.",
        "Under ett år besöker en berättare och en spelman tio äldreboenden och träffpunkter i "
        "Östersund och Krokom en gång i månaden. Berättelserna utgår från platser, årstider "
        "och arbete förr, och de äldre bidrar med egna minnen som dokumenteras med deras "
        "samtycke.",
        38000,
        ("older_people",),
        (OSTERSUND, KROKOM),
        {
            "accessibility": "Träffarna hålls där de äldre bor; berättaren använder hörslinga.",
            "indigenous_minority": "Jämtskan som bygdemål lyfts fram och dokumenteras.",
        },
        (3, 10),
        (60, 240),
        "submitted",
        author="member-a@example.org",
    ),
    ApplicationSpec(
        "spelmansstamma",
        "fjallstamman",
        KUL_OPEN,
        "Bräcke spelmansstämma – 50-årsjubileum",
        "Jubileumsstämma med konserter, dans, kurser och allspel under tre dagar, med "
        "spelmanslag från hela länet och gäster från Trøndelag.",
        "Stämman firar 50 år med ett utökat program: kurser för barn och vuxna, "
        "dansbaneafton, en jubileumskonsert med gästande spelmän från Trøndelag och allspel "
        "på torget. Ett utställningstält visar stämmans historia i bilder.",
        90000,
        ("everyone", "children_youth"),
        (BRACKE,),
        {
            "children_youth": "Barnkurser i fiol och dans hålls under stämmans första dag.",
            "accessibility": "Hörslinga i konsertlokalen och ramp till dansbanan.",
        },
        (4, 17),
        (150, 152),
        "under_review_returned",
        completion=(
            "Specificera kostnaderna för de gästande musikerna från Trøndelag och beskriv hur "
            "stämman görs tillgänglig för personer med funktionsnedsättning.",
            "Vi har delat upp arvodesposten och lagt till en post för tillgänglighet (hörslinga "
            "och ramp till dansbanan).",
        ),
        assessment=AssessmentSpec(
            (4, 4, 3, 3, 3),
            "approve",
            "Jubileumsstämman samlar spelmän från hela länet och stärker samarbetet över "
            "riksgränsen. Bidrag föreslås med sökt belopp.",
        ),
        returned="Bedömningen av tillgänglighetsperspektivet behöver utvecklas mot bakgrund av "
        "kompletteringen, och förslaget till belopp bör motiveras närmare.",
    ),
    ApplicationSpec(
        "nyckelharpskurs",
        "fjallstamman",
        KUL_OPEN,
        "Nyckelharpskurs för nybörjare i Bräcke och Ragunda",
        "En kurs under tio lördagar där barn och vuxna lär sig spela nyckelharpa på lånade "
        "instrument.",
        "Spelmanslaget lånar ut åtta nyckelharpor och en erfaren spelman leder kursen i Bräcke "
        "och Hammarstrand varannan lördag. Kursen avslutas med ett gemensamt framträdande på "
        "spelmansstämman.",
        25000,
        ("children_youth", "everyone"),
        (BRACKE, RAGUNDA),
        {"equality": "Instrumenten lånas ut gratis, så att ingen behöver köpa ett eget."},
        (4,),
        (90, 160),
        "withdrawn",
        withdrawn="Kursledaren kan inte medverka i år. Vi söker igen i nästa omgång med en ny "
        "kursledare.",
    ),
    ApplicationSpec(
        "timmerflottarna",
        "jamtfilm",
        KUL_OPEN,
        "Timmerflottarna – dokumentär om flottningen i Indalsälven",
        "En dokumentärfilm om de sista flottarna i Indalsälven, byggd på intervjuer med "
        "tidigare flottare och arkivfilm, med premiär i Hammarstrand.",
        "Flottningen i Indalsälven upphörde på 1960-talet. Filmen bygger på intervjuer med de "
        "sista levande flottarna och deras familjer, arkivfilm och nyinspelade bilder längs "
        "älven. Premiären hålls i Hammarstrand och filmen visas sedan på länets biografer och "
        "i skolor.",
        220000,
        ("everyone", "older_people"),
        (RAGUNDA, STROMSUND, OSTERSUND),
        {
            "accessibility": "Filmen textas och syntolkas.",
            "gender_equality": "Filmen lyfter fram kvinnornas arbete i flottningsbygderna.",
        },
        (4, 8, 11),
        (45, 300),
        "proposed",
        assessment=AssessmentSpec(
            (4, 4, 3, 2, 3),
            "approve_partly",
            "Dokumentären tar till vara ett viktigt stycke av länets industri- och kulturhistoria "
            "medan de som var med fortfarande kan berätta. Produktionsbolaget har visat god "
            "förmåga i tidigare produktioner. Kostnaderna för arkivmaterial bedöms högt "
            "beräknade, och bidrag föreslås delvis, med 180 000 kronor. Beloppet överstiger "
            "delegationen och ärendet avgörs av Regionala utvecklingsnämnden.",
            amount=180000,
        ),
    ),
    ApplicationSpec(
        "ungdomsscen",
        "fjallscenen",
        KUL_OPEN,
        "Ungdomsscen på Fjällfestivalen i Åre",
        "En egen scen för unga artister från länet under festivalens tre dagar, med "
        "mentorskap från etablerade musiker.",
        "Tolv unga band och artister från länet väljs ut genom en öppen ansökan och får "
        "mentorskap från etablerade musiker inför framträdandena. Ungdomsscenen drivs av "
        "en grupp unga arrangörer som lär sig ljud, ljus och scenproduktion.",
        120000,
        ("children_youth",),
        (ARE,),
        {"children_youth": "Unga arrangörer driver scenen tillsammans med festivalens tekniker."},
        (4, 8),
        (100, 103),
        "completion_requested",
        officer=OFFICER_2,
        letter_language="en",
        completion=(
            "Bifoga en avsiktsförklaring från Åre kommun om medfinansieringen och specificera "
            "teknikkostnaderna för ungdomsscenen.",
            "",
        ),
    ),
    ApplicationSpec(
        "gatukonst",
        "ungdomens-hus",
        KUL_OPEN,
        "Gatukonst i Hammarstrand – unga gestaltar sin bygd",
        "Ungdomar gör väggmålningar på tre fasader i Hammarstrand tillsammans med två "
        "gatukonstnärer, efter egna intervjuer med äldre i bygden.",
        "Under sommarlovet arbetar femton ungdomar med två gatukonstnärer. De intervjuar äldre "
        "om bygdens historia och gör skisser som visas för invånarna innan målningarna görs "
        "på tre fasader som fastighetsägarna har upplåtit.",
        65000,
        ("children_youth",),
        (RAGUNDA,),
        {
            "children_youth": "Ungdomarna äger hela processen från idé till färdig målning.",
            "equality": "Ungdomarna får sommarjobbslön under projektet.",
        },
        (4, 11),
        (200, 240),
        "submitted",
    ),
    ApplicationSpec(
        "filmverkstad",
        "filmklubben-sveg",
        KUL_OPEN,
        "Filmverkstad för unga i Sveg",
        "En filmverkstad där ungdomar i Härjedalen gör kortfilmer om sin vardag, med "
        "visning på biografen i Sveg.",
        "Två filmpedagoger leder verkstaden under höstterminen. Ungdomarna skriver manus, "
        "filmar och klipper sina egna kortfilmer med utrustning som filmklubben lånar ut. "
        "Filmerna visas vid en premiärkväll på biografen.",
        42000,
        ("children_youth",),
        (HARJEDALEN,),
        {"children_youth": "Ungdomarna bestämmer själva filmernas ämnen och form."},
        (4,),
        (75, 180),
        "under_review",
        extra={"assessment": "partial"},  # the officer has begun the assessment
    ),
    ApplicationSpec(
        "sprakverkstad",
        "tjaetsie",
        KUL_OPEN,
        "Språkverkstad med teater för sydsamiska barn",
        "Teaterverkstäder på sydsamiska för barn 7–12 år under två lovveckor, med en "
        "föreställning för familjerna som avslutning.",
        "En sydsamisk skådespelare och en språkpedagog leder verkstäderna i Svenstavik och "
        "Funäsdalen. Barnen improviserar och skriver scener på sydsamiska utifrån berättelser "
        "från sina egna familjer.",
        80000,
        ("children_youth", "sami"),
        (BERG, HARJEDALEN),
        {
            "indigenous_minority": "Barnen använder sydsamiskan i ett kreativt sammanhang.",
            "children_youth": "Barnens egna berättelser är grunden för föreställningen.",
        },
        (4, 10),
        (130, 145),
        "draft",
    ),
    ApplicationSpec(
        "bygdespel",
        "kallan",
        KUL_OPEN,
        "Bygdespel om älven och kraftverksbygget i Stugun",
        "Ett bygdespel med ett sextiotal medverkande om hur kraftverksbygget förändrade byn.",
        "Bygdespelet skrivs av en dramatiker tillsammans med byborna och spelas fyra kvällar "
        "på en utomhusscen vid älven. Amatörer i alla åldrar medverkar tillsammans med två "
        "professionella skådespelare.",
        60000,
        ("everyone",),
        (RAGUNDA,),
        {"equality": "Alla som vill får medverka, oavsett erfarenhet."},
        (11,),
        (240, 250),
        "withdrawn_draft",
        withdrawn="Bygdespelet skjuts upp ett år; vi planerar om och söker igen.",
    ),
    # Project grants, the call whose proposals await the committee -----------------------------
    ApplicationSpec(
        "sagofestival",
        "bildningsvagen",
        KUL_COMMITTEE,
        "Sagofestival i Krokom – berättande för hela familjen",
        "En tredagars festival med muntligt berättande, sagoteater och berättarverkstäder för "
        "barn och vuxna i Krokom, Föllinge och Ås.",
        "Studieförbundet samlar sex professionella berättare och två teatergrupper till en "
        "festival på bibliotek, i bygdegårdar och i skolor. Barn och vuxna lär sig berätta i "
        "verkstäder, och festivalen avslutas med en berättarkväll där deltagarna berättar "
        "själva. Festivalen dokumenteras i en poddserie.",
        150000,
        ("everyone", "children_youth"),
        (KROKOM,),
        {
            "children_youth": "Berättarverkstäder för barn i alla tre orternas skolor.",
            "accessibility": "Föreställningarna teckenspråkstolkas och lokalerna är tillgängliga.",
        },
        (4, 10, 11),
        (70, 72),
        "proposed",
        assessment=AssessmentSpec(
            (4, 4, 4, 4, 4),
            "approve",
            "Festivalen sprider professionellt berättande till tre orter i Krokoms kommun och "
            "engagerar barn och vuxna som medskapare. Studieförbundet har god erfarenhet av "
            "liknande arrangemang. Bidrag föreslås med sökt belopp. Beloppet överstiger "
            "delegationen och ärendet avgörs av Regionala utvecklingsnämnden.",
        ),
    ),
    ApplicationSpec(
        "fjallopera",
        "fjallkonst",
        KUL_COMMITTEE,
        "Opera på fjället – kammaropera i Åre",
        "En nyskriven kammaropera om fjällbönderna i Undersåker, framförd i en lada och på "
        "fjällstationer under fyra sommarveckor.",
        "Stiftelsen beställer en kammaropera av en tonsättare och en librettist från länet. "
        "Fem sångare och fem musiker framför verket på tio platser i Åre kommun, bland annat i "
        "en lada i Undersåker och på två fjällstationer. Föreställningarna kombineras med "
        "samtal om fäbodkulturen.",
        260000,
        ("everyone",),
        (ARE,),
        {
            "accessibility": "Föreställningarna syntolkas två gånger och alla spelplatser "
            "utom fjällstationerna nås utan trappor.",
            "gender_equality": "Operan skildrar kvinnornas arbete på fäbodarna.",
        },
        (4, 11),
        (200, 230),
        "proposed",
        assessment=AssessmentSpec(
            (5, 4, 4, 3, 4),
            "approve_partly",
            "Kammaroperan är ett konstnärligt ambitiöst nyskapande verk med stark förankring i "
            "länets historia. Kostnaderna för turnén till fjällstationerna bedöms högt "
            "beräknade, och bidrag föreslås delvis, med 200 000 kronor. Beloppet överstiger "
            "delegationen och ärendet avgörs av Regionala utvecklingsnämnden.",
            amount=200000,
        ),
    ),
    ApplicationSpec(
        "seriekurs",
        "fjallgren",
        KUL_COMMITTEE,
        "Serieteckning med unga i Klövsjö och Rätan",
        "Serieteckningskurser för barn och unga under sportlovet och höstlovet, med en "
        "utställning av deltagarnas serier på biblioteket i Svenstavik.",
        "Illustratören leder kurser i serieteckning för barn och unga i Klövsjö och Rätan "
        "under två lov. Deltagarna tecknar serier om livet i byarna, och serierna ställs ut "
        "på biblioteket i Svenstavik och samlas i ett tryckt häfte.",
        45000,
        ("children_youth",),
        (BERG,),
        {"children_youth": "Barnen bestämmer själva vad serierna ska handla om."},
        (4,),
        (85, 320),
        "proposed",
        assessment=AssessmentSpec(
            (4, 3, 4, 4, 3),
            "approve",
            "Kurserna ger barn och unga i glesbygden möjlighet att arbeta med en professionell "
            "illustratör. Budgeten är rimlig. Bidrag föreslås med sökt belopp.",
        ),
    ),
    ApplicationSpec(
        "rockskola",
        "ungdomens-hus",
        KUL_COMMITTEE,
        "Rockskola för tjejer och icke-binära i Ragunda",
        "En rockskola där tjejer och icke-binära 12–18 år bildar band, skriver egna låtar och "
        "spelar på en avslutningskonsert.",
        "Föreningen anställer två musikpedagoger som leder rockskolan under ett läsår. "
        "Deltagarna lånar instrument och replokal av föreningen och spelar in en EP i en "
        "studio i Östersund.",
        120000,
        ("children_youth",),
        (RAGUNDA,),
        {
            "gender_equality": "Rockskolan vänder sig till grupper som är underrepresenterade "
            "i musiklivet."
        },
        (5, 10),
        (60, 330),
        "proposed",
        officer=OFFICER_2,
        assessment=AssessmentSpec(
            (3, 2, 3, 2, 2),
            "reject",
            "Ansökan har prövats i konkurrens med övriga ansökningar i omgången. Projektet har "
            "ett värdefullt syfte, men det är i första hand en fortlöpande verksamhet och inte "
            "ett tidsbegränsat projekt, och kostnaderna för studioinspelningen är inte "
            "motiverade i budgeten. Projekt med större regional spridning har prioriterats.",
        ),
    ),
    # Grants to civil-society organisations -------------------------------------------------
    ApplicationSpec(
        "volontarnatverk",
        "storsjoljus",
        CIV,
        "Volontärnätverk för kulturarrangemang i Östersund",
        "Föreningen bygger upp ett nätverk av volontärer som hjälper till vid kulturarrangemang "
        "och utbildar dem i värdskap, säkerhet och tillgänglighet.",
        "Nätverket samordnas av en deltidsanställd volontärsamordnare. Volontärerna erbjuds "
        "fyra utbildningskvällar och ett gemensamt schema för föreningens och samarbets"
        "parternas arrangemang under året.",
        45000,
        ("everyone",),
        (OSTERSUND,),
        {
            "equality": "Nätverket rekryterar brett, bland annat via språkcaféer och seniorföreningar."
        },
        (10, 16),
        "this_year",
        "completion_requested",
        officer=OFFICER_2,
        completion=(
            "Beskriv hur nätverket ska nå volontärer i fler av länets kommuner än Östersund och "
            "komplettera budgeten med intäkter från medlemsavgifter.",
            "",
        ),
    ),
    ApplicationSpec(
        "spelmanslagets-verksamhet",
        "fjallstamman",
        CIV,
        "Spelmanslagets verksamhet – spelträffar, repetitioner och unga spelmän",
        "Bidrag till spelmanslagets löpande verksamhet: veckorepetitioner, öppna spelträffar "
        "och en ungdomsgrupp i Bräcke och Hammarstrand.",
        "Spelmanslaget har 46 medlemmar, varav 14 under 20 år. Verksamheten består av "
        "repetitioner varje vecka, sex öppna spelträffar om året och en ungdomsgrupp som leds "
        "av två av lagets medlemmar.",
        25000,
        ("everyone", "children_youth"),
        (BRACKE, RAGUNDA),
        {"children_youth": "Ungdomsgruppen har en egen representant i styrelsen."},
        (4, 16),
        "this_year",
        "proposed",
        officer=OFFICER_2,
        assessment=AssessmentSpec(
            (4, 3, 3, 4),
            "approve",
            "Spelmanslaget är en demokratiskt uppbyggd förening med aktiv ungdomsverksamhet och "
            "öppna spelträffar i Bräcke och Ragunda. Verksamheten stärker civilsamhället i "
            "glesbygdskommuner. Bidrag föreslås med sökt belopp.",
        ),
    ),
    ApplicationSpec(
        "motesplatser",
        "funktionsratt",
        CIV,
        "Kulturella mötesplatser för personer med funktionsnedsättning",
        "Veckovisa kulturträffar med musik, måleri och drama för vuxna med "
        "funktionsnedsättning i Östersund och Strömsund.",
        "Träffarna leds av kulturpedagoger och hålls i tillgängliga lokaler. Deltagarna "
        "påverkar innehållet genom ett deltagarråd, och två gånger om året visas det de har "
        "skapat i en utställning eller föreställning.",
        60000,
        ("disabilities",),
        (OSTERSUND, STROMSUND),
        {
            "accessibility": "Lokalerna är fullt tillgängliga och färdtjänst samordnas.",
            "equality": "Träffarna är kostnadsfria för deltagarna.",
        },
        (3, 10),
        "this_year",
        "approved",
        officer=OFFICER_2,
        assessment=AssessmentSpec(
            (5, 3, 5, 2),
            "approve",
            "Föreningen erbjuder regelbundna kulturella mötesplatser för en grupp som ofta står "
            "utanför kulturlivet, med deltagarinflytande genom ett deltagarråd. Bidrag beviljas "
            "med sökt belopp.",
        ),
    ),
    ApplicationSpec(
        "unga-roster",
        "alv-och-fjall",
        CIV,
        "Unga röster – studiecirklar i demokrati och föreningskunskap",
        "Studiecirklar för unga 15–25 år i Strömsund och Ragunda om hur man startar och driver "
        "en förening och påverkar i sin kommun.",
        "Cirklarna träffas tio gånger och avslutas med att deltagarna genomför ett eget "
        "arrangemang eller lämnar ett medborgarförslag. Cirkelledarna är själva unga och "
        "utbildas av förbundet.",
        50000,
        ("children_youth",),
        (STROMSUND, RAGUNDA),
        {"children_youth": "Unga cirkelledare leder unga deltagare."},
        (4, 16),
        "this_year",
        "under_review",
        officer=OFFICER_2,
    ),
    ApplicationSpec(
        "kulturdagar",
        "tjaetsie",
        CIV,
        "Sydsamiska kulturdagar i Svenstavik",
        "Två kulturdagar med duodji, jojk, mat och berättande, öppna för alla, som föreningen "
        "arrangerar tillsammans med samebyarna i området.",
        "Kulturdagarna hålls i Svenstavik under en helg i augusti. Programmet omfattar "
        "hantverksverkstäder i duodji, jojkkonsert, berättarstund för barn och servering av "
        "sydsamisk mat. Föreningens medlemmar planerar och genomför dagarna.",
        40000,
        ("everyone", "sami", "children_youth"),
        (BERG,),
        {
            "indigenous_minority": "Kulturdagarna synliggör det sydsamiska kulturarvet och "
            "arrangeras av samer själva.",
        },
        (10, 16),
        "this_year",
        "approved",
        officer=OFFICER_2,
        assessment=AssessmentSpec(
            (5, 2, 4, 4),
            "approve",
            "Föreningen är demokratiskt uppbyggd och kulturdagarna stärker den sydsamiska "
            "gemenskapen och gör kulturarvet tillgängligt för länets invånare. Bidrag beviljas "
            "med sökt belopp.",
        ),
        payment="batched",
    ),
    # Support for event organisers ---------------------------------------------------------
    ApplicationSpec(
        "vinterljus",
        "storsjoljus",
        ARR,
        "Konsertserien Vinterljus i Storsjöbygdens bygdegårdar",
        "Fyra konserter med professionella musiker i bygdegårdar runt Storsjön under vintern.",
        "Föreningen arrangerar fyra konserter i bygdegårdarna i Hallen, Marieby, Sunne och "
        "Brunflo tillsammans med de lokala bygdegårdsföreningarna, som står för lokal och "
        "fika.",
        30000,
        ("everyone",),
        (OSTERSUND, ARE),
        {"accessibility": "Alla fyra bygdegårdar har ramp och tillgänglig toalett."},
        (11,),
        (-70, -45),
        "closed",
        officer=OFFICER_2,
        assessment=AssessmentSpec(
            (4, 4, 5),
            "approve",
            "Konsertserien för professionell musik till bygdegårdar utanför centralorten i "
            "samarbete med lokala föreningar. Bidrag beviljas med sökt belopp.",
        ),
        payment="paid",
        report="Fyra konserter genomfördes med sammanlagt 320 besökare. Bygdegårdsföreningarna "
        "i Hallen och Sunne vill arrangera fler konserter tillsammans med oss.",
        used_amount=30000,
    ),
    ApplicationSpec(
        "folketshus",
        "fjallstamman",
        ARR,
        "Konsertkvällar i Bräcke Folkets hus",
        "Tre konsertkvällar med folkmusikgrupper från Sverige och Norge i Bräcke Folkets hus.",
        "Spelmanslaget arrangerar tre konsertkvällar under våren med inbjudna grupper. "
        "Lagets ungdomsgrupp är förband vid varje konsert.",
        20000,
        ("everyone",),
        (BRACKE,),
        {"children_youth": "Ungdomsgruppen är förband vid varje konsert."},
        (11,),
        (-60, -20),
        "report_completion_requested",
        officer=OFFICER_2,
        assessment=AssessmentSpec(
            (4, 3, 5),
            "approve",
            "Konsertkvällarna ger publiken i Bräcke möjlighet att uppleva professionell folkmusik "
            "och engagerar lagets unga musiker. Bidrag beviljas med sökt belopp.",
        ),
        payment="paid",
        report="Tre konsertkvällar genomfördes med grupper från Jämtland och Trøndelag.",
        used_amount=20000,
        report_completion="Redovisa antalet besökare vid varje konsert och bifoga en affisch "
        "eller annons där regionen anges som medfinansiär.",
    ),
    ApplicationSpec(
        "logdans",
        "fjallstamman",
        ARR,
        "Logdans på Bodsjö dansbana",
        "En sommarkväll med logdans till levande musik på dansbanan i Bodsjö.",
        "Två dansband med folkmusikrepertoar spelar, och en danslärare håller en kurs i gammal"
        "dans för nybörjare före dansen.",
        12000,
        ("everyone",),
        (BRACKE,),
        {"accessibility": "Dansbanan nås via en grusad gångväg; ramp finns."},
        (3,),
        (180, 180),
        "draft",
    ),
    ApplicationSpec(
        "forfattarbesok",
        "stromsund-bibliotek",
        ARR,
        "Författarbesök på biblioteken i Strömsunds kommun",
        "Sex författarbesök under hösten på biblioteken i Strömsund, Hammerdal, Gäddede och Backe.",
        "Biblioteken bjuder in sex författare, varav två skriver för barn och unga. Besöken "
        "på filialerna samordnas så att varje författare besöker två orter samma dag.",
        22000,
        ("everyone", "children_youth"),
        (STROMSUND,),
        {"accessibility": "Samtalen teckenspråkstolkas vid förfrågan och sänds i hörslinga."},
        (4,),
        (40, 120),
        "approved",
        assessment=AssessmentSpec(
            (4, 4, 5),
            "approve",
            "Författarbesöken når publik på flera orter i en glest befolkad kommun, och "
            "programmet är brett. Bidrag beviljas med sökt belopp.",
        ),
        payment="batched",
    ),
    ApplicationSpec(
        "kulturnatten",
        "ostersund",
        ARR,
        "Kulturnatten i Östersund – arrangörsprogram i stadsdelarna",
        "Arrangörsstöd till programpunkter i stadsdelarna Odensala, Lugnvik och Torvalla under "
        "Kulturnatten.",
        "Kulturenheten samordnar tolv programpunkter som arrangeras av föreningar i "
        "stadsdelarna. Stödet avser arvoden till de medverkande kulturutövarna.",
        60000,
        ("everyone",),
        (OSTERSUND,),
        {"equality": "Programmet förläggs till stadsdelar med lågt kulturdeltagande."},
        (11,),
        (70, 70),
        "submitted",
    ),
    ApplicationSpec(
        "hammarstrand-live",
        "ungdomens-hus",
        ARR,
        "Hammarstrand Live – ungdomsfestival",
        "En endagsfestival med fyra band, varav två lokala ungdomsband, på torget i Hammarstrand.",
        "Festivalen planeras och genomförs av föreningens ungdomsgrupp med stöd av en "
        "erfaren producent. Två professionella band och två lokala ungdomsband spelar.",
        35000,
        ("children_youth",),
        (RAGUNDA,),
        {"children_youth": "Ungdomar planerar och driver festivalen."},
        (8, 11),
        (20, 20),
        "approved",
        officer=OFFICER_2,
        assessment=AssessmentSpec(
            (3, 4, 5),
            "approve",
            "Festivalen ger unga i Ragunda erfarenhet av att arrangera och ger publik utanför "
            "centralorterna tillgång till professionell musik. Bidrag beviljas med sökt belopp.",
        ),
        payment="paid",
    ),
    ApplicationSpec(
        "julkonsert",
        "varljus",
        ARR,
        "Julkonsert i Hammerdals kyrka med stråkkvartett",
        "Körföreningens julkonsert med en inbjuden professionell stråkkvartett.",
        "Körföreningen bjuder in en stråkkvartett till en julkonsert i Hammerdals kyrka. "
        "Kvartetten håller också en öppen repetition för kulturskolans stråkelever.",
        18000,
        ("everyone", "older_people"),
        (STROMSUND,),
        {"children_youth": "Kulturskolans stråkelever får delta i en öppen repetition."},
        (4,),
        (25, 25),
        "approved",
        assessment=AssessmentSpec(
            (4, 3, 5),
            "approve",
            "Konserten ger publiken i Hammerdal tillgång till professionell kammarmusik och "
            "engagerar kulturskolans elever. Bidrag beviljas med sökt belopp.",
        ),
        payment="batched",
    ),
    ApplicationSpec(
        "visafton",
        "stromsund-bibliotek",
        ARR,
        "Visaftnar med länets visdiktare på biblioteken",
        "Tre visaftnar på biblioteken i Strömsund, Gäddede och Hoting med visdiktare från "
        "Jämtland och Härjedalen.",
        "Biblioteken bjuder in tre visdiktare som framför egna visor och berättar om sitt "
        "skrivande. Varje afton avslutas med allsång ur länets visskatt.",
        30000,
        ("everyone", "older_people"),
        (STROMSUND,),
        {"accessibility": "Biblioteken har hörslinga och sångtexterna delas ut i stor stil."},
        (4,),
        (50, 90),
        "proposed",
        assessment=AssessmentSpec(
            (4, 4, 4),
            "approve",
            "Visaftnarna ger publik på tre orter i en glest befolkad kommun tillgång till "
            "professionella visdiktare. Bidrag föreslås med sökt belopp.",
        ),
    ),
    # Operating grants, decided by the committee ---------------------------------------------
    ApplicationSpec(
        "fjallkonst-verksamhet",
        "fjallkonst",
        VKU,
        "Verksamhetsbidrag – Stiftelsen Fjällkonst Åre",
        "Stiftelsen driver en konsthall och ett residensprogram i Åre och turnerar "
        "utställningar till länets bibliotek och skolor.",
        "Verksamheten omfattar fyra utställningar i konsthallen, sex residensplatser för "
        "konstnärer från Norden, en vandringsutställning till tio bibliotek i länet och "
        "konstpedagogiska program för skolor i Åre, Krokom och Berg.",
        850000,
        ("everyone", "children_youth"),
        (ARE, KROKOM, BERG, OSTERSUND),
        {
            "accessibility": "Konsthallen är tillgänglig och visningar erbjuds på teckenspråk.",
            "children_youth": "Skolprogram för alla årskurser i tre kommuner.",
        },
        (4, 11, 17),
        "next_year",
        "approved",
        letter_language="en",
        assessment=AssessmentSpec(
            (5, 5, 4, 4),
            "approve",
            "Stiftelsen har ett etablerat regionalt uppdrag inom bild och form, god ekonomisk "
            "stabilitet och en verksamhet som når flera av länets kommuner genom "
            "vandringsutställningen och skolprogrammen. Bidrag beviljas med sökt belopp.",
        ),
        payment="batched",
    ),
    ApplicationSpec(
        "nordljus-verksamhet",
        "nordljus",
        VKU,
        "Verksamhetsbidrag – Nordljus Dansscen",
        "Dansscenen producerar samtida dans och turnerar med två föreställningar per år i "
        "länet, med dansverkstäder för barn och unga.",
        "Nordljus Dansscen har fyra anställda dansare och producerar två föreställningar om "
        "året som turnerar till skolor och scener i länet. Verksamheten omfattar också "
        "dansverkstäder, en ungdomskompani och samarbete med kulturskolorna.",
        1200000,
        ("everyone", "children_youth"),
        (OSTERSUND, STROMSUND, HARJEDALEN, BRACKE),
        {
            "children_youth": "Ungdomskompaniet och skolturnéerna når unga i hela länet.",
            "gender_equality": "Föreställningarna bryter medvetet mot könsstereotypa "
            "rörelsemönster.",
        },
        (3, 4, 5),
        "next_year",
        "approved",
        assessment=AssessmentSpec(
            (4, 5, 4, 3),
            "approve_partly",
            "Dansscenen är länets enda professionella dansinstitution och har en väl "
            "fungerande turnéverksamhet. Budgetens ökning jämfört med föregående år saknar "
            "motsvarande ökning av kommunal medfinansiering, och bidrag beviljas därför delvis, "
            "med 950 000 kronor.",
            amount=950000,
        ),
    ),
    ApplicationSpec(
        "alvbacken-verksamhet",
        "alvbacken",
        VKU,
        "Verksamhetsbidrag – hembygdsarbete i Ljusnandalen",
        "Föreningen söker verksamhetsbidrag för att driva hembygdsgården, ett arkiv och "
        "sommarprogram i Sveg.",
        "Hembygdsgården har öppet under sommaren med guidade visningar, hantverksdagar och "
        "midsommarfirande. Arkivet med fotografier och protokoll digitaliseras av "
        "frivilliga under vintern.",
        300000,
        ("everyone", "older_people"),
        (HARJEDALEN,),
        {"indigenous_minority": "Arkivet rymmer material om bygdens samiska historia."},
        (11,),
        "next_year",
        "rejected",
        officer=OFFICER_2,
        assessment=AssessmentSpec(
            (2, 3, 3, 3),
            "reject",
            "Verksamhetsbidraget avser organisationer med ett regionalt uppdrag som når "
            "invånare i flera av länets kommuner. Föreningens verksamhet är värdefull men lokal "
            "och omfattas inte av bidragets syfte. Föreningen hänvisas till Härjedalens kommuns "
            "föreningsstöd och till regionens bidrag till civilsamhällets organisationer.",
        ),
    ),
]
