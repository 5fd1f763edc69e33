"""Pattern recognizers: emails, URLs, IPs, ids, dates, ages, addresses, postcodes, user names, as one named table."""
from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple

from training_data.deid.names import common_words
from training_data.deid.spans import Span

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
UNITS = "one|two|three|four|five|six|seven|eight|nine"
NUMBER_WORDS = (rf"(?:(?:{TENS})(?:[- ](?:{UNITS}))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
                rf"eighteen|nineteen|ten|{UNITS}|a hundred(?: and \w+)?|one hundred(?: and \w+)?)")
ORDINAL_WORDS = (r"(?:(?:twenty|thirty)[- ]?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|"
                 r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
                 r"twentieth|thirtieth")
FOREIGN_MONTHS = (r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
                  r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
                  r"Januar|Jänner|Februar|März|Maerz|Juni|Juli|Oktober|Dezember|januari|februari|maart|mei|augustus|"
                  r"oktober|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|gennaio|"
                  r"febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre")
WEEKDAYS = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
DAY = rf"(?:[0-3]?\d(?:st|nd|rd|th)?|{ORDINAL_WORDS})"
YEAR = r"(?:1[89]\d\d|20\d\d|'\d\d)"
HOLIDAYS = (r"(?:Christmas(?: Eve| Day)?|Xmas|Thanksgiving(?: Day)?|Easter(?: Sunday| Monday| weekend)?|Good Friday|"
            r"New Year'?s(?: Eve| Day)?|Halloween|Valentine'?s(?: Day)?|Independence Day|Memorial Day|Labou?r Day|"
            r"Boxing Day|Hanukkah|Chanukah|Diwali|Holi|Ramadan|Eid(?: al-Fitr| al-Adha| ul-Fitr)?|Passover|"
            r"Yom Kippur|Rosh Hashanah|Lunar New Year|Chinese New Year|Mother'?s Day|Father'?s Day|Fourth of July|"
            r"July 4th|Canada Day|Australia Day|Anzac Day|Bonfire Night|Guy Fawkes(?: Night)?|St\.? Patrick'?s Day|"
            r"Martin Luther King(?: Jr\.?)? Day|MLK Day|Veterans Day|Remembrance Day|Victoria Day|Juneteenth|Kwanzaa)")
AGE_NUM = rf"(?:1[01]\d|[1-9]?\d|{NUMBER_WORDS})"
STREET = (r"(?:(?:Street|St|Avenue|Ave|Road|Rd)\.?\s+[NSEW]\b|Pt|Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Terr?|"
          r"Circle|Cir|Highway|Hwy|Crescent|Cres|Close|Grove|Gardens|Gdns|Parkway|Pkwy|Square|Sq|Row|Mews|Walk|"
          r"Trail|Trl|Pike|Alley|Loop|Plaza|Esplanade|Strasse|Straße|Str|Marg|Nagar|Parade|Quay|Wharf|Hill)")
STREET_ALONE = r"(?:St\b(?!\.?\s+[A-Z])|Street|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Crescent|Terrace|Parkway|Pkwy|Highway|Hwy|Strasse|Straße)"
STREET_FIRST = r"(?:Rue|Chemin|Calle|Avenida|Av\.|Avda\.?|Via|Viale|Piazza|Jalan|Jln\.?|Rua|Carrer|Camino|Ulica|ul\.|Plac|Praça|Strada)"
UNIT = r"(?:,?\s*(?:Apt|Apartment|Unit|Suite|Ste|Flat|Fl|Floor|Room|Rm)\b\.?\s*#?\s*\w{1,5}\b)?"
ID_CUES = (r"lic|MRN|SSN|SIN|NHS|NI|ID|IDs|record|chart|patient|case|file|account|acct|member|membership|policy|claim|"
           r"insurance|subscriber|group|plan|Medicaid|Medicare|OHIP|health card|license|licence|DL|passport|"
           r"employee|staff|badge|student|payroll|badge|client|reference|ref|serial|S/N|SN|device|IMEI|MAC|"
           r"VIN|plate|registration|reg|rego|tag|card|credit card|debit card|Visa|Mastercard|Amex|routing|IBAN|"
           r"sort code|invoice|order|ticket|booking|confirmation|docket|Aadhaar|PAN|tax|TFN|NPI|DEA|voucher|"
           r"prescription|Rx|pager|beeper|locker|room key|bed")
USER_CUES = (r"user ?name|user|handle|add me|added me|follow me|followed me|DM|DMs|DMed|messaged me|posts as|"
             r"posting as|signed in as|logged in as|gamer ?tag|screen ?name|login|log-in|user ?id|profile|insta(?:gram)?|IG|snap(?:chat)?|"
             r"tik ?tok|twitter|discord|reddit|steam|xbox|xbox live|psn|twitch|telegram|kik|tumblr|threads|"
             r"facebook|fb|youtube|yt|roblox|fortnite|venmo|cashapp|cash app|skype|whatsapp|signal|bluesky|mastodon|"
             r"onlyfans|pinterest|account|acct|alias|tag")
NOT_CODES = r"(?:ICD|DSM|PHQ|GAD|COVID|SARS|PCL|BDI|MMSE|SCL|CIWA|AUDIT|DAST|CSSRS|C-SSRS|MDQ|ASRS|EPDS|HAM|PHQ9|GAD7|F\d\d|Z\d\d|CPT)"


_NOT_HANDLES = frozenset({"covid", "sarscov", "phq", "cssrs", "audit", "icd", "dsm", "vitamin", "omega", "windows",
                          "iphone", "galaxy", "pixel", "office", "android", "python", "html", "ipad", "macbook"})


class Pattern(NamedTuple):
    name: str                  # the recognizer's name (reported per span)
    label: str
    regex: re.Pattern[str]
    gate: re.Pattern[str] | None   # a cheap test: the pattern only runs on texts where it matches (speed)


def _p(name: str, label: str, pattern: str, flags: int = 0, gate: str | None = None) -> Pattern:
    return Pattern(name, label, re.compile(pattern, flags), re.compile(gate) if gate else None)


PATTERNS: tuple[Pattern, ...] = (
    _p("email", "EMAIL", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|\b[\w.+-]+\s*[\[(]at[\])]\s*[\w-]+\s*[\[(]dot[\])]\s*[a-z]{2,}\b",
       re.I, r"@|\[at\]|\(at\)"),
    _p("url", "URL", r"\b(?:https?://|www\.)[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|"
       r"gov|io|co|us|uk|ca|au|in|de|nz|ie|info|me|ly|app|dev|health|care)(?:\.[a-z]{2})?(?:/[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])?\b/?",
       re.I, r"\."),
    _p("ipv4", "IP", r"(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?:/\d{1,2}|:\d{1,5}\b)?(?![\d.]*\d)",
       0, r"\d\.\d+\.\d"),
    _p("mac", "ID", r"\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b", 0, r"[:-]"),
    _p("ssn", "ID", r"\b\d{3}-\d{2}-\d{4}\b|\b\d{3} \d{2} \d{4}\b", 0, r"\d"),
    _p("cued_id", "ID", rf"\b(?:{ID_CUES})\b\.?['’]?s?\s*(?:number|no\.?|num|nbr|#|ID|code|key)?\s*(?:is|was|:|=|-)?\s*"
       r"(?P<pii>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9/-]{1,22}[A-Z0-9](?:\s(?:\d{2,6}|(?-i:[A-Z]{2,4}))(?!\w)){0,3}|#\s?\d{3,})(?![\w])", re.I, r"\d"),
    _p("plate", "ID", r"\b(?i:plates?|reg(?:istration)?|rego|tag)\s*(?i:number|no\.?|#)?\s*(?:is|was|:|-)?\s*"
       r"(?P<pii>(?=[A-Z0-9 -]*\d)[A-Z0-9]{1,4}[ -][A-Z0-9]{2,5})\b", 0, r"\d"),
    _p("card_number", "ID", r"\b(?:\d{4}[ -]){3}\d{1,7}\b|\b\d{4}[ -]\d{6}[ -]\d{5}\b", 0, r"\d{4}[ -]"),
    _p("code", "ID", rf"\b(?!{NOT_CODES}-?\d)(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{{1,6}}-?[A-Z0-9-]{{4,}}\b", 0, r"\d"),
    _p("long_number", "ID", r"(?<![\w.,$£€])(?:#\s?)?\d{7,}(?![\w.,]\d)|(?<!\w)#\s?\d{4,}\b", 0, r"\d{4}"),
    _p("numeric_date", "DATE", r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b|\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])\b(?!/)"
       r"|\b\d{4}/\d{1,2}/\d{1,2}\b|\b(?:1[3-9]|2\d|3[01])/(?:0?[1-9]|1[0-2])\b(?![/\d])"
       r"|(?<![\d.])(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.(?![\d.])", 0, r"\d"),
    _p("written_date", "DATE", rf"(?:\b{WEEKDAYS},?\s+)?(?:\b(?:{MONTHS})\.?\s+{DAY}\b(?:,?\s+{YEAR}\b)?|\b(?:the\s+)?{DAY}\s+"
       rf"(?:day\s+)?(?:of\s+)?(?:{MONTHS})\b\.?(?:,?\s+{YEAR}\b)?|\b(?:{MONTHS})\.?,?\s+(?:of\s+)?{YEAR}\b)", re.I, None),
    _p("foreign_date", "DATE", rf"\b[0-3]?\d\.?\s+(?:de\s+)?(?:{FOREIGN_MONTHS})\b(?:\.?,?\s+(?:de\s+)?{YEAR}\b)?", re.I, None),
    _p("ordinal_day", "DATE", rf"(?:\b{WEEKDAYS}\s+)?\bthe\s+(?:(?:[12]?\d|3[01])(?:st|nd|rd|th)|{ORDINAL_WORDS})\b(?=\s*(?:[,.;:!?)–-]|$|(?:at|and|or|to|"
       r"through|thru|til|till|until|when|if|but|so|then|instead|because|as|is|was|will|works?|please|ok|okay|"
       r"in the (?:morning|afternoon|evening))\b))", re.I, r"(?i)\bthe\s+\w+(?:st|nd|rd|th)\b"),
    _p("cjk_date", "DATE", r"\d{2,4}\s?[年년]\s?\d{1,2}\s?[月월](?:\s?\d{1,2}\s?[日号일])?|\d{1,2}\s?[月월]\s?\d{1,2}\s?[日号일]",
       0, "[月월]"),
    _p("cjk_name", "NAME", r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,4}(?![\u4e00-\u9fff])", 0, r"[\u4e00-\u9fff]"),
    _p("dd_mon_yyyy", "DATE", rf"\b\d{{1,2}}[-/.](?:{MONTHS})[-/.](?:\d{{4}}|\d{{2}})\b", re.I, r"\d[-/.][A-Za-z]"),
    _p("holiday_year", "DATE", rf"\b{HOLIDAYS}(?:,?\s+(?:of\s+)?{YEAR}\b)|\b{YEAR}(?:'s)?\s+{HOLIDAYS}", re.I, r"\d"),
    _p("cued_month", "DATE", rf"\b(?i:in|on|since|by|until|till|during|from|of|last|next|this|early|mid|late|before|"
       rf"after|around)\s+(?P<pii>(?:{MONTHS}))\b(?!\s+(?:I|you|we|he|she|they)\b)", 0, None),
    _p("birth_date", "DATE", r"\bborn(?: in| on)?\s+(?P<pii>\d{4})\b|\b(?:DOB|D\.O\.B\.?|date of birth|birth ?date|b\.)"
       r"\s*(?:is|was|:|-)?\s*(?P<pii2>[\w/.-]*\d(?:[\w/.,-]*\d)?)", re.I, r"(?i)born|dob|d\.o\.b|birth|b\."),
    _p("age_years", "AGE", rf"\b(?P<pii>{AGE_NUM})[- ](?:years?|yrs?)[- ]old\b|\b(?P<pii2>{AGE_NUM})[- ]year[- ]old\b"
       rf"|\b(?P<pii3>{AGE_NUM})\s+years of age\b", re.I, r"(?i)old|of age"),
    _p("age_short", "AGE", rf"\b(?P<pii>{AGE_NUM})[- ]?(?:yo|y/o|y\.o\.|yr old)(?=\W|$)|\b(?:aged?|age:)\s*(?P<pii2>{AGE_NUM})\b",
       re.I, r"(?i)y\.?/?o|age"),
    _p("age_turned", "AGE", rf"\b(?:turned|turning|turn|turns)\s+(?P<pii>{AGE_NUM})\b(?!\s*(?:%|percent|times|minutes|hours|"
       rf"days|weeks))|\b(?:I'm|I am|Im|he's|she's|he is|she is|they're|who is|who's)\s+(?:only\s+|just\s+|almost\s+|"
       rf"now\s+|nearly\s+)?(?P<pii2>[1-9]\d{{1,2}})\b(?![\d%]|[.,]\d|\s*(?:%|percent|pounds|lbs|kg|minutes|hours|weeks|"
       rf"days|months|times|miles|mg|ml))", re.I, r"(?i)\d|turn"),
    _p("age_is", "AGE", r"\b(?:[A-Z][a-z]+|who|he|she|son|daughter|brother|sister|dad|mom|mum|father|mother|husband|wife|"
       r"partner|grandmother|grandfather|grandma|grandpa|nan|gran)(?:\s+(?:is|was|just turned)\s+|['’]s\s+)(?P<pii>[1-9]\d{1,2})"
       r"(?=\s*[.!?,;]|\s+(?:and|but|now|years)\b)", 0, r"\d"),
    _p("age_lived", "AGE", rf"\b(?:lived to|lived until|died at|passed (?:away )?at|made it to|reached|celebrat\w+ (?:his|her|their) )"
       rf"\s*(?:the age of\s+|age\s+)?(?P<pii>{AGE_NUM}(?:st|nd|rd|th)?)\b", re.I, r"(?i)lived|died|passed|made it|reached|celebrat"),
    _p("age_birthday", "AGE", rf"\b(?P<pii>{AGE_NUM}(?:st|nd|rd|th)|(?:{ORDINAL_WORDS}|(?:{TENS})[- ]?(?:{ORDINAL_WORDS})|"
       r"(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ieth|hundredth))\s+(?:birthday|bday|b-day)\b", re.I, r"(?i)birthday|bday|b-day"),
    _p("age_over_89", "AGE", rf"(?P<pii>\b(?:9\d|1[01]\d)\b|\b(?:ninety(?:[- ](?:{UNITS}))?|(?:a|one) hundred(?: and (?:{UNITS}|ten|"
       rf"eleven|twelve))?)\b)(?=(?:\W+\w+){{0,3}}?\W+(?:years?|yrs?|y/?o|y\.o\.|old|birthday|bday|now|años|anos|ans|Jahre|jaar|anni|lat)\b)"
       rf"|\b(?:age|aged|turned|turning|turns|is|was|she's|he's)\s+(?P<pii2>(?:9\d|1[01]\d))\b(?!\s*(?:%|mg|ml|min|"
       rf"minutes|percent|days|times|pounds|lbs|kg|on|out|points))", re.I, r"9\d|1[01]\d|ninety|hundred"),
    _p("age_apposed", "AGE", rf"(?:(?<=[A-Za-z.)],\s)|(?<=\())(?P<pii>9\d|1[01]\d)(?=,\s|\s*\))|(?<=['’]s\s)(?P<pii3>(?:9\d|1[01]\d)(?:st|nd|rd|th))\b|\b(?:age|aged|is|was|she's|he's|"
       rf"she is|he is|who's|turned|turning|now)\s+(?P<pii2>ninety(?:[- ](?:{UNITS}))?|(?:a|one) hundred(?: and \w+)?)\b",
       re.I, r"9\d|1[01]\d|ninety|hundred"),
    _p("age_decade", "AGE", r"(?<=[(\s])\d{2,3}\s?[MFmf](?=[)\s,.])|\b(?:in (?:my|his|her|their) )(?:early |mid |late )?"
       r"(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|[2-9]0s|90's)\b"
       r"|\b(?:nonagenarian|centenarian)\b", 0, None),
    _p("street_address", "LOCATION", rf"\b\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?,?\s+(?:[A-Z][\w'’.-]*\s+){{1,3}}{STREET}\b\.?{UNIT}"
       rf"|\b\d{{1,5}}\s+(?:[nsew]\.?\s+)?(?:[a-z]+\s+){{1,2}}(?i:st|street|ave|avenue|rd|road|blvd|cres)\b{UNIT}"
       rf"|\b(?:[A-Z][\w'’-]+\s+){{1,3}}{STREET_ALONE}\b\.?|\b(?:Apt|Apartment|Unit|Suite|Flat)\.?\s*#?\s*\d+\w?\b"
       r"|\bP\.?\s?O\.? Box \d+\b", 0, r"\d|[A-Z][a-z]+ [A-Z]"),
    _p("street_first", "LOCATION", rf"(?:\b(?:No\.?\s*)?\d{{1,5}}[A-Za-z]?,?\s+)?\b{STREET_FIRST}\s+(?:(?:de|des|du|la|le|del|da|do|dos|"
       rf"di|della|van|von|der)\s+)*[A-ZÀ-Þ][\w'’-]*(?:\s+[A-ZÀ-Þ][\w'’-]*){{0,3}}(?:\s+\d{{1,4}}[A-Za-z]?\b)?{UNIT}", 0,
       STREET_FIRST),
    _p("saint_place", "ORGANIZATION", r"\b(?:St|Saint|Ste)\.?\s+[A-Z][a-z]+(?:['’]s)?(?:\s+(?:[A-Z][a-z]+\s+)?(?:Hospital|"
       r"Church|School|College|University|Academy|Parish|Cathedral|Medical Center|Clinic|Home|Hospice))?", 0, r"St|Saint"),
    _p("street_more", "LOCATION", r"\b\d{1,3}(?:st|nd|rd|th)\s+(?:Street|St|Avenue|Ave|Road|Rd)\b\.?|\b\d{1,3}(?:st|nd|rd|th)\s+"
       r"(?:and|&)\s+[A-Z][a-z]+\b|\b[A-Z][a-z]+\s+(?:and|&)\s+(?:[A-Z][a-z]+|\d{1,3}(?:st|nd|rd|th))\s+(?:Streets|Sts|Aves)\b"
       r"|\b(?:Route|Rte|Highway|Hwy|Interstate|I-|State Road|County Road|SR|CR)\s?-?\d{1,4}\b"
       r"|\b[A-ZÄÖÜ][\wäöüß]+(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|laan|straat|gade|vej)\s+\d+[a-z]?\b"
       r"|(?i:\b(?:on|off|at|near|down)\s+)(?P<pii>[A-Z][a-z]+\s+(?:st|rd|ave|blvd|ln|dr)\b\.?)", 0, None),
    _p("postcode", "LOCATION", r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\b(?:ZIP|zip|Zip|postcode|postal code|post code|PIN|pincode)"
       r"(?: code)?\s*(?:is|:)?\s*(?P<pii>[A-Z0-9]{3,4}\s?[A-Z0-9]{2,4}|\d{5}(?:-\d{4})?)\b"
       r"|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b|\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?[0-9AC-FHKNPRTV-Y]{4}\b(?<=\d\w{3}|\w\d\w{2}|\w{2}\d\w|\w{3}\d)"
       , 0, r"\d"),
    _p("at_handle", "USERNAME", r"(?<![\w.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\bu/[A-Za-z0-9_-]{3,}", 0, r"@|u/"),
    _p("cued_handle", "USERNAME", rf"\b(?:{USER_CUES})\b\s*(?:me\s+(?:on\s+\w+\s*:?\s*|at\s+)?)?(?:name|handle|id|account)?\s*(?:is|was|:|=|-|called|named)?\s*"
       r"[\"'“‘]?(?P<pii>[A-Za-z0-9_][A-Za-z0-9_.-]{2,30}[A-Za-z0-9_])", re.I, None),
    _p("discord_tag", "USERNAME", r"(?<![\w@])[A-Za-z0-9_.]{2,32}#(?:\d{4}|[A-Za-z0-9]{2,5})\b", 0, r"\w#\w"),
    _p("digit_handle", "USERNAME", r"(?<![\w@#/.$£€-])(?P<pii>[a-z]{3,}[A-Za-z]*\d{2,4})(?![\w@.]|%)", 0, r"[a-z]{3}\d\d"),
    _p("underscore_handle", "USERNAME", r"(?<![\w@.])[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)*_[A-Za-z0-9_.]*[A-Za-z0-9](?![\w@])",
       0, r"_"),
)


def pattern_spans(text: str) -> list[Span]:
    spans = []
    for pattern in PATTERNS:
        if pattern.gate is not None and not pattern.gate.search(text):
            continue
        spans += [_span(m, pattern) for m in pattern.regex.finditer(text) if _keep(m, pattern)]
    return spans + ipv6_spans(text) + (spoken_id_spans(text) if re.search(r"(?i)\b(?:one|two|three|four|five|six|"
                                                                      r"seven|eight|nine|zero|oh)\b", text) else [])


def _span(match: re.Match[str], pattern: Pattern) -> Span:
    """The whole match, or its `pii`/`pii2` group when the pattern has a cue before the identifier or around it
    (of "a 93-year-old", only "93" identifies)."""
    for group in ("pii", "pii2", "pii3"):
        if group in match.re.groupindex and match.group(group) is not None:
            return Span(match.start(group), match.end(group), pattern.label, pattern.name)
    return Span(match.start(), match.end(), pattern.label, pattern.name)


_SCORE_CUE = re.compile(r"(?i)\b(?:pain|score[sd]?|rated?|rates|rating|scale|mood|anxiety|intensity|level|distress|urges?|"
                        r"suds|energy|craving|sleep|stress|nausea|out of)\b[^.;\n]{0,20}$")


def _keep(match: re.Match[str], pattern: Pattern) -> bool:
    if pattern.name == "numeric_date" and re.fullmatch(r"\d{1,2}/10", match.group()) \
            and _SCORE_CUE.search(match.string[max(0, match.start() - 30):match.start()]):
        return False                               # "pain 4/10" is a rating, not the 10th of April
    if pattern.name == "cued_handle":
        return handle_like(match.group("pii"))
    if pattern.name == "digit_handle":            # "unicornpizza99", not "covid19", "mp3", "b12", "h2o"
        letters = match.group("pii").rstrip("0123456789").lower()
        return len(letters) >= 5 and letters not in common_words() and letters not in _NOT_HANDLES
    if pattern.name == "postcode" and match.group().startswith("ID "):       # "Member ID 55129-0043" is no Idaho
        return not re.search(rf"\b(?:{ID_CUES})\s*$", match.string[max(0, match.start() - 30):match.start()], re.I)
    if pattern.name == "cued_id":
        return sum(c.isdigit() for c in match.group("pii")) >= 3
    return True


def handle_like(word: str) -> bool:
    """A user name rather than a word: digits, underscores, dots, or mixed case inside."""
    if any(c.isdigit() or c in "_." for c in word):
        return not word.replace(".", "").isdigit()
    inner_caps = any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)
    return inner_caps or word.lower() not in common_words()


_IPV6 = re.compile(r"(?<![\w:])\[?(?P<ip>[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?:/\d{1,3}|\]:\d{1,5}\b|\])?(?![\w:])")


def ipv6_spans(text: str) -> list[Span]:
    if text.count(":") < 2:
        return []
    spans = []
    for m in _IPV6.finditer(text):
        try:
            ipaddress.IPv6Address(m.group("ip"))
        except ValueError:
            continue
        spans.append(Span(m.start(), m.end(), "IP", "ipv6"))
    return spans


PHONE_REGIONS = ("US", "GB", "AU", "IN", "DE")
_PHONE_EXTRA = re.compile(r"(?<![\w-])(?:\+?\d{1,3}[\s.-])?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?:\s*(?:x|ext\.?)\s*\d+)?\b"
                          r"|(?<![\w-])\d{3}[.-]\d{4}\b|(?<![\w-])\(?0\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b")


_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double[- ](?:oh|zero|one|two|three|four|five|six|seven|eight|nine)|triple[- ]\w+)"
_SPOKEN_PHONE = re.compile(rf"\b(?:plus\s+)?{_DIGIT_WORD}(?:[\s,.-]+{_DIGIT_WORD}){{6,}}\b", re.I)


_SPOKEN_ID = re.compile(rf"\b(?:[A-Z]-){{1,3}}{_DIGIT_WORD}(?:-{_DIGIT_WORD}){{2,}}\b|\b{_DIGIT_WORD}(?:[\s-]+{_DIGIT_WORD}){{3,}}\b", re.I)


def spoken_id_spans(text: str) -> list[Span]:
    """An id read out ("P-G-four-four-eight-one-zero", "four one one eight"); seven digits or more are a phone."""
    phones = [m.span() for m in _SPOKEN_PHONE.finditer(text) if _spoken_digits(m.group()) >= 7]
    return [Span(m.start(), m.end(), "ID", "spoken_id") for m in _SPOKEN_ID.finditer(text)
            if (re.match(r"[A-Z]-", m.group(), re.I) or _spoken_digits(m.group()) < 7)
            and not any(a <= m.start() and m.end() <= b for a, b in phones)]


def _spoken_digits(words: str) -> int:
    return sum(2 if w.startswith("double") else 3 if w.startswith("triple") else 1
               for w in re.findall(_DIGIT_WORD, words, re.I))


def phone_spans(text: str) -> list[Span]:
    """Phones and faxes: libphonenumber's matcher in several regions, plus common written and spoken shapes."""
    spoken = [Span(m.start(), m.end(), "PHONE", "spoken_phone") for m in _SPOKEN_PHONE.finditer(text)
              if _spoken_digits(m.group()) >= 7] if "-" in text or "," in text else []
    if sum(c.isdigit() for c in text) < 7:
        return spoken
    import phonenumbers

    spans = [Span(m.start, m.end, "PHONE", "phonenumbers") for region in PHONE_REGIONS
             for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
             if sum(c.isdigit() for c in m.raw_string) >= 7]
    spans += [Span(m.start(), m.end(), "PHONE", "phone_shape") for m in _PHONE_EXTRA.finditer(text)
              if sum(c.isdigit() for c in m.group()) >= 7]
    return spans + spoken
