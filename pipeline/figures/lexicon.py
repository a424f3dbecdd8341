"""What a counted noun, a verb or a governing noun says a number means.

Lemma tables only; `extract.py` decides which one applies from the dependency parse.
"""

from __future__ import annotations

# Counted nouns (lemma) and what they count when no verb or noun frame says more.
COMBATANT = frozenset({
    "soldier", "troop", "fighter", "militant", "insurgent", "guerrilla", "guerilla", "rebel", "marine",
    "commando", "paratrooper", "jihadist", "jihadi", "mujahideen", "mujahedin", "volunteer", "gunman",
    "militiaman", "militia", "policeman", "police", "policemen", "recruit", "reservist", "mercenary",
    "sniper", "attacker", "infantryman", "warrior", "combatant", "trooper", "personnel", "force",
    "serviceman", "servicemen", "tribesman", "loyalist", "defender", "raider", "special forces",
})
PERSON = frozenset({
    "civilian", "people", "person", "child", "children", "woman", "man", "men", "boy", "girl", "villager",
    "family", "student", "worker", "journalist", "reporter", "doctor", "nurse", "tourist", "pilgrim",
    "worshipper", "passenger", "farmer", "teacher", "official", "diplomat", "foreigner", "spy", "member",
    "supporter", "leader", "commander", "follower", "protester", "demonstrator", "migrant", "citizen",
    "employee", "staff", "contractor", "guard", "officer", "adult", "infant", "baby", "elder", "cleric",
    "national", "relative", "wife", "husband", "son", "daughter", "brother", "sister", "father", "mother",
    "grandchild", "cousin", "nephew", "niece", "uncle", "aunt", "kin", "bystander", "inmate",
})
# People who are not fighters: a troop-like frame ("remain", "gather") makes them a population count.
CIVILIAN = frozenset({
    "civilian", "people", "person", "child", "children", "woman", "man", "men", "boy", "girl", "villager",
    "family", "student", "worker", "tourist", "pilgrim", "worshipper", "passenger", "farmer", "teacher",
    "resident", "inhabitant", "citizen", "infant", "baby", "elder", "bystander", "refugee", "migrant",
})
KIN = frozenset({"wife", "husband", "son", "daughter", "brother", "sister", "father", "mother", "child",
                 "grandchild", "cousin", "nephew", "niece", "uncle", "aunt", "baby", "relative"})
POPULATION = frozenset({"resident", "inhabitant", "population", "citizen"})
CAPTIVE = frozenset({"prisoner", "hostage", "detainee", "captive", "pow", "prisoner-of-war"})
DISPLACED = frozenset({"refugee", "evacuee", "displaced"})
KILLED_NOUN = frozenset({"body", "corpse", "death", "fatality", "dead", "victim"})
WOUNDED_NOUN = frozenset({"wounded", "injured", "injury"})
EQUIPMENT = frozenset({
    "tank", "truck", "vehicle", "aircraft", "plane", "jet", "warplane", "helicopter", "chopper", "gunship",
    "bomber", "drone", "missile", "rocket", "launcher", "gun", "artillery", "howitzer", "mortar", "rifle",
    "weapon", "ship", "boat", "warship", "humvee", "apc", "fighter-bomber", "jeep", "pickup", "carrier",
})
STRIKES = frozenset({
    "airstrike", "strike", "raid", "attack", "bombing", "sortie", "mission", "assault", "ambush",
    "explosion", "blast", "bombardment", "shelling", "air strike", "air raid",
})
TERRITORY = frozenset({"district", "city", "town", "village", "province", "base", "checkpoint", "outpost", "territory"})
# Units that make a number a duration, distance, age, money or share: never a figure.
UNITS = frozenset({
    "year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "night", "time",
    "mile", "kilometre", "kilometer", "km", "metre", "meter", "foot", "feet", "yard", "inch", "acre",
    "hectare", "kilogram", "kg", "pound", "ton", "tonne", "litre", "gallon", "dollar", "euro", "pound",
    "rupee", "afghani", "cent", "percent", "per", "%", "point", "degree", "round", "stage", "page",
    "eyed", "storey", "story", "lane", "term", "phase", "part",
})

# Verbs (lemma) whose object or passive subject is the counted thing.
PATIENT_VERBS: dict[str, str] = {
    "kill": "killed", "slay": "killed", "massacre": "killed", "murder": "killed", "slaughter": "killed",
    "shoot": "killed", "gun": "killed", "behead": "executed", "execute": "executed", "hang": "executed",
    "wound": "wounded", "injure": "wounded", "hurt": "wounded", "maim": "wounded",
    "capture": "captured", "seize": "captured", "arrest": "captured", "detain": "captured",
    "abduct": "captured", "kidnap": "captured", "apprehend": "captured", "imprison": "captured",
    "displace": "displaced", "evacuate": "displaced", "uproot": "displaced", "expel": "displaced",
    "release": "other", "free": "other", "swap": "other",
    "deploy": "troops", "send": "troops", "dispatch": "troops", "station": "troops", "base": "troops",
    "pour": "troops", "mobilize": "troops", "mobilise": "troops", "mass": "troops", "amass": "troops",
    "have": "troops", "field": "troops", "commit": "troops", "withdraw": "troops", "pull": "troops",
    "number": "troops", "muster": "troops", "train": "troops", "recruit": "troops",
}
# Verbs (lemma) whose subject is the counted thing and says what happened to it.
SUBJECT_VERBS: dict[str, str] = {
    "die": "killed", "perish": "killed", "surrender": "surrendered", "defect": "defected", "desert": "defected",
    "flee": "displaced", "escape": "displaced", "disappear": "missing", "vanish": "missing",
    "remain": "troops", "stay": "troops", "attack": "troops", "launch": "troops", "fight": "troops",
    "advance": "troops", "move": "troops", "mass": "troops", "gather": "troops", "surround": "troops",
    "storm": "troops", "defend": "troops", "arrive": "troops", "patrol": "troops", "enter": "troops",
    "defy": "troops", "dig": "troops", "join": "troops", "capture": "troops", "seize": "troops",
    "kill": "troops", "hold": "troops", "guard": "troops", "control": "troops", "take": "troops",
}
# Adjectives after a copula ("were dead", "are missing").
PREDICATE_ADJECTIVES: dict[str, str] = {
    "dead": "killed", "killed": "killed", "wounded": "wounded", "injured": "wounded", "missing": "missing",
    "displaced": "displaced", "homeless": "displaced", "captive": "captured",
}
# Nouns governing "of <counted>": "the execution of 150 troops".
FRAME_NOUNS: dict[str, str] = {
    "execution": "executed", "beheading": "executed", "hanging": "executed",
    "massacre": "killed", "killing": "killed", "murder": "killed", "death": "killed", "slaughter": "killed",
    "body": "killed", "capture": "captured", "arrest": "captured", "detention": "captured",
    "abduction": "captured", "kidnapping": "captured", "surrender": "surrendered", "defection": "defected",
    "deployment": "troops", "arrival": "troops", "evacuation": "displaced", "displacement": "displaced",
    "exodus": "displaced", "release": "other", "injury": "wounded", "wounding": "wounded",
}
# Verbs under which a territory noun is a territorial claim.
TERRITORY_VERBS = frozenset({"capture", "seize", "take", "control", "overrun", "besiege", "siege", "fall",
                             "hold", "retake", "recapture", "lose", "lay", "surround", "enter", "storm"})

# Verbs that introduce a claim: their subject is who made it.
SPEECH_VERBS = frozenset({
    "say", "tell", "claim", "report", "announce", "state", "add", "confirm", "deny", "estimate", "quote",
    "insist", "warn", "acknowledge", "allege", "assert", "declare", "explain", "note", "put", "reckon",
})
PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it"})

# Qualifier phrases immediately before a number, longest first.
QUALIFIERS: list[tuple[str, str]] = [
    ("no fewer than", "at_least"), ("no less than", "at_least"), ("more than", "at_least"),
    ("at least", "at_least"), ("upwards of", "at_least"), ("in excess of", "at_least"), ("over", "at_least"),
    ("as many as", "at_most"), ("up to", "at_most"), ("less than", "at_most"), ("fewer than", "at_most"),
    ("not more than", "at_most"), ("no more than", "at_most"), ("nearly", "at_most"), ("almost", "at_most"),
    ("under", "at_most"), ("close to", "at_most"),
    ("an estimated", "approx"), ("about", "approx"), ("around", "approx"), ("roughly", "approx"),
    ("approximately", "approx"), ("some", "approx"), ("estimated", "approx"), ("an approximate", "approx"),
    ("circa", "approx"), ("perhaps", "approx"), ("approx.", "approx"),
]
