package plangen

// The vocabulary of synthetic peace plans. Sentences are built from templates
// whose slots draw from these lists; the lists are long enough that two random
// points share few word bigrams.

// sentenceTemplates are expanded by (*textGen).expand. Slots:
// {S} subject, {M} modal, {V} verb, {O} object, {P} prepositional phrase,
// {T} time, {A} money amount, {C} head count, {L} place, {MP} passive modal,
// {PP} participle, {E} pending event, {G} language, {B} legal basis,
// {N} small number, {AN} annex number, {PN} plural noun, {K} kind of people, {X} assembly.
var sentenceTemplates = []string{
	"{S} {M} {V} {O} {P} {T}.",
	"{T}, {S} {M} {V} {O} {P}.",
	"{O} {MP} {PP} by {S} {P}.",
	"{S} {M} allocate {A} to {O} {T}.",
	"The costs of {O} shall be borne by {S}, up to a ceiling of {A}.",
	"Any dispute concerning {O} shall be referred to {S}, which shall decide {T}.",
	"{S} {M} report to {S} every {N} days on progress in {O} {P}.",
	"No {PN} shall be {PP} in {L} {P} unless {S} so decides.",
	"This provision shall not prejudice {O} or the rights of {K} in {L}.",
	"{S} {M} {V} {O} in {L}, {L} and {L} {T}.",
	"Up to {C} {K} may return to {L} {T}, with the support of {S}.",
	"{S} {M} {V} {O}, including {O} and {O}, {P}.",
	"In the event of a violation concerning {O}, {S} {M} convene {T} and {V} {O}.",
	"{S} {M} establish a fund of {A} for {O}, administered by {S}.",
	"{S} and {S} {M} jointly {V} {O} {T}.",
	"Pending {E}, {S} {M} {V} {O} {P}.",
	"The number of {K} stationed in {L} shall not exceed {C} {T}.",
	"{S} {M} publish a public report on {O} {T}, in {G} and {G}.",
	"{S} {M} guarantee that {O} {MP} {PP} {P} {T}.",
	"Elections to {X} shall be held {T} under the supervision of {S}.",
	"{S} {M} {V} {O} on the basis of {B}.",
	"A joint working group on {O} shall meet in {L} {T} and submit its findings to {S}.",
	"{S} {M} not {V} {O} {P} without the prior consent of {S}.",
	"With effect from {E}, {O} {MP} {PP} {P}.",
	"{S} {M} compensate {K} for the loss of {O}, with payments of {A} {T}.",
	"Until {E}, {O} {MP} {PP} by {S} in {L}.",
	"{S} {M} {V} {O} and, {T}, {V} {O} {P}.",
}

var subjects = []string{
	"the Parties", "each Party", "both sides", "the Government", "the de facto authorities",
	"the Joint Commission", "the Joint Military Commission", "the Monitoring Mission",
	"the guarantor states", "the mediators", "the United Nations", "the Security Council",
	"the Board of Peace", "the International Stabilisation Force", "the interim administration",
	"the technical committee", "the humanitarian coordinator", "the World Bank", "the donor group",
	"the electoral commission", "the International Committee of the Red Cross",
	"the Special Monitoring Mission", "the African Union", "the European Union", "the Arab League",
	"the Contact Group", "the ceasefire commission", "the police commissioner",
	"the national reconciliation council", "the ombudsperson", "the Ministry of Defence",
	"the Ministry of the Interior", "the regional governors", "the armed forces of both sides",
	"the armed groups", "the local councils", "the civil society forum", "the special envoy",
	"the facilitators", "the sanctions committee", "the reconstruction agency",
	"the demining authority", "the border commission", "the council of veterans",
	"the mixed commission on missing persons", "the transitional legislature",
	"the constitutional court", "the central bank", "the chief of the general staff",
	"the high representative", "the customs service", "the refugee agency",
	"the international financial institutions", "the neighbouring states", "the observer states",
}

var modals = []string{
	"shall", "shall", "shall", "will", "must", "shall promptly", "shall progressively",
	"undertake to", "agree to", "commit to", "shall jointly", "may", "are to",
	"shall, as a matter of priority,", "shall immediately", "shall gradually", "should",
	"shall in good faith", "are invited to", "shall without delay",
}

var verbs = []string{
	"guarantee", "establish", "withdraw", "release", "facilitate", "monitor", "verify",
	"dismantle", "rebuild", "restore", "fund", "supervise", "suspend", "lift", "implement",
	"respect", "recognise", "refrain from obstructing", "coordinate", "demarcate", "reopen",
	"transfer", "register", "compensate", "prosecute", "grant access to", "protect", "deploy",
	"reduce", "freeze", "unfreeze", "return", "exchange", "demilitarise", "clear", "inspect",
	"report on", "negotiate", "finance", "administer", "hand over", "decommission", "reintegrate",
	"disarm", "resettle", "document", "review", "extend", "secure", "patrol", "maintain", "cap",
	"limit", "audit", "insure", "relocate", "safeguard", "separate", "reconstruct", "survey",
	"catalogue", "license", "dissolve", "merge", "reform", "vet", "train", "equip", "evacuate",
	"rehabilitate", "redeploy", "guard", "notify", "certify",
}

var participles = []string{
	"verified", "monitored", "released", "withdrawn", "dismantled", "restored", "financed",
	"suspended", "lifted", "demarcated", "reopened", "transferred", "registered", "compensated",
	"protected", "deployed", "reduced", "frozen", "returned", "exchanged", "cleared",
	"inspected", "handed over", "decommissioned", "reintegrated", "disarmed", "resettled",
	"documented", "reviewed", "extended", "secured", "patrolled", "maintained", "capped",
	"audited", "relocated", "reconstructed", "surveyed", "dissolved", "reformed", "vetted",
	"evacuated", "rehabilitated", "redeployed", "certified", "published", "approved",
	"ratified", "enforced", "guaranteed",
}

var passiveModals = []string{
	"shall be", "will be", "must be", "is to be", "may be", "shall progressively be",
	"shall immediately be", "are to be",
}

var pluralNouns = []string{
	"prisoners of war", "civilian detainees", "heavy weapons", "armoured vehicles", "landmines",
	"checkpoints", "border crossings", "refugees", "displaced persons", "hostages",
	"foreign fighters", "military observers", "police units", "customs officers",
	"water supplies", "power lines", "grain shipments", "reconstruction projects", "schools",
	"hospitals", "religious sites", "cultural monuments", "frozen assets", "sanctions",
	"export licences", "entry visas", "identity documents", "property claims",
	"compensation payments", "pensions", "public salaries", "customs revenues",
	"fuel deliveries", "medical supplies", "food convoys", "artillery systems", "drones",
	"combat aircraft", "naval vessels", "air defence systems", "ballistic missiles",
	"training camps", "detention facilities", "burial sites", "land titles",
	"municipal councils", "polling stations", "electoral rolls", "media outlets",
	"trade unions", "veterans", "demobilised combatants", "child soldiers",
	"minority communities", "language schools", "rail links", "bridges", "roads", "ports",
	"airfields", "pipelines", "gas transit volumes", "fishing rights", "grazing lands",
	"mining concessions", "oil revenues", "tax arrears", "debt obligations", "reparations",
	"investment guarantees", "security guarantees", "peacekeeping contingents",
	"liaison officers", "joint patrols", "incident reports", "weapons stockpiles",
	"explosive remnants of war", "irrigation canals", "telecommunication networks",
	"housing units", "agricultural cooperatives", "small businesses", "archives",
	"election observers", "border guards", "militia structures", "private security companies",
	"arrest warrants", "court records", "textbooks", "broadcast licences",
}

var theNouns = []string{
	"the line of contact", "the buffer zone", "the demilitarised zone", "the ceasefire",
	"the withdrawal schedule", "the reconstruction fund", "the transitional government",
	"the interim constitution", "the power-sharing arrangement", "the national army",
	"the border police", "the electricity grid", "the nuclear power plant", "the main airport",
	"the seaport", "the humanitarian corridor", "the prisoner exchange", "the amnesty law",
	"the truth commission", "the special tribunal", "the sovereign wealth fund",
	"the trade agreement", "the customs union", "the visa regime", "the census",
	"the referendum", "the electoral law", "the status of the capital",
	"the water-sharing agreement", "the river basin authority", "the security perimeter",
	"the no-fly zone", "the maritime boundary", "the grain corridor", "the dam",
	"the coastal highway", "the old city", "the administrative boundary line",
	"the verification mechanism", "the hotline between the commanders",
}

var adjectives = []string{
	"all", "all remaining", "existing", "newly established", "temporary", "permanent", "joint",
	"international", "regional", "municipal", "unlawfully seized", "damaged", "abandoned",
	"contested", "registered", "unregistered", "additional", "essential", "critical", "public",
	"private", "state-owned", "cross-border", "long-term", "priority", "eligible", "affected",
	"neutral", "independent", "outstanding", "pending", "verified", "disputed", "former",
	"future", "agreed", "surplus", "undeclared", "mobile", "heavy", "civilian", "military",
}

var places = []string{
	"Gaza", "Rafah", "Khan Younis", "Donetsk", "Luhansk", "Zaporizhzhia", "Kherson", "Mariupol",
	"Sukhumi", "Tskhinvali", "Stepanakert", "Lachin", "Mostar", "Srebrenica", "Brčko",
	"Priština", "Mitrovica", "Nicosia", "Famagusta", "Juba", "Abyei", "Darfur", "El Fasher",
	"Goma", "Bunia", "Tigray", "Mekelle", "Aden", "Hodeidah", "Idlib", "Aleppo", "Kirkuk",
	"Mosul", "Tripoli", "Benghazi", "Bogotá", "Cauca", "Mindanao", "Cotabato", "Aceh", "Jaffna",
	"Tiraspol", "Bihać", "Thessaloníki", "Cúcuta", "Medellín", "São Tomé", "Košice",
	"Skopje", "Tetovo", "Kismayo", "Baidoa", "Bossangoa", "Malakal", "Bentiu", "Kidal",
	"Gao", "Timbuktu", "Sittwe", "Myitkyina", "Nukus", "Osh", "Khorog", "Batken", "Zugdidi",
	"Gali", "Shusha", "Agdam", "Kalbajar", "Odesa", "Mykolaiv", "Kharkiv", "Enerhodar",
}

var kinds = []string{
	"refugees", "displaced families", "former combatants", "civilian residents",
	"police officers", "foreign troops", "military personnel", "international observers",
	"detained persons", "returnees", "ethnic minority residents", "seasonal workers",
	"students", "pensioners", "medical staff", "teachers", "armed personnel",
}

var events = []string{
	"the entry into force of this Agreement", "the first round of elections",
	"the completion of the withdrawal", "a final settlement", "the adoption of the new constitution",
	"the deployment of the stabilisation force", "the exchange of ratification instruments",
	"the conclusion of the census", "the opening of the border crossings",
	"the release of all hostages", "the signature of the security protocol",
	"the lifting of the blockade", "the handover of the administrative buildings",
	"the convening of the donor conference", "the certification of the voter register",
}

var languages = []string{
	"Arabic", "Hebrew", "Ukrainian", "Russian", "English", "French", "Armenian", "Azerbaijani",
	"Serbian", "Albanian", "Greek", "Turkish", "Georgian", "Abkhaz", "Spanish", "Tamil",
	"Sinhala", "Somali", "Tigrinya", "Kurdish", "Burmese", "Tajik", "Kyrgyz",
}

var legalBases = []string{
	"the principle of reciprocity", "international humanitarian law", "the Geneva Conventions",
	"the map attached as Annex 2", "the lines held on 1 January 2022", "the Charter of the United Nations",
	"the census of 1989", "the agreed list of localities", "the 1994 ceasefire agreement",
	"the report of the fact-finding mission", "the recommendations of the technical committee",
	"the property registers held before the conflict", "the principle of territorial integrity",
	"the right of return", "the Helsinki Final Act",
}

var assemblies = []string{
	"the national parliament", "the regional assemblies", "the municipal councils",
	"the constituent assembly", "the presidency", "the transitional legislature",
	"the local self-government bodies", "the autonomous council",
}

var prepPhrases = []string{
	"in the areas listed in Annex {AN}", "along the line of contact", "throughout the territory of {L}",
	"under international supervision", "with the assistance of the United Nations",
	"in full transparency", "without preconditions", "in coordination with the guarantor states",
	"on a reciprocal basis", "in a phased manner", "subject to verification by the Monitoring Mission",
	"in accordance with international humanitarian law", "within the demilitarised zone",
	"north of the river near {L}", "south of {L}", "in the districts around {L}",
	"in close consultation with local communities", "at the request of either Party",
	"on the basis of an agreed inventory", "under the authority of the Joint Commission",
	"with full respect for human rights", "in the presence of neutral observers",
	"at designated collection points", "through the humanitarian corridor from {L}",
	"in line with the timetable in Annex {AN}", "at no cost to the civilian population",
	"by means of joint inspections", "under the auspices of the African Union",
	"in a manner that is safe and dignified", "for a renewable period of {N} months",
	"in both official languages", "with the participation of women and youth",
	"to the extent permitted by national law", "across the administrative boundary line",
	"in the security zone around {L}", "at the crossing point of {L}",
	"with priority for the most vulnerable", "without discrimination of any kind",
	"in sealed and numbered containers", "from the positions held on the date of signature",
}

var months = []string{
	"January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December",
}

var smallNumbers = []int{3, 5, 7, 10, 14, 15, 21, 30, 45, 60, 72, 90, 100, 120, 150, 180, 270, 365}

// headingNames are the group headings of a plan.
var headingNames = []string{
	"Security guarantees", "Ceasefire and separation of forces", "Humanitarian issues",
	"Prisoners and detainees", "Territorial arrangements", "Governance and elections",
	"Economic reconstruction", "Sanctions and frozen assets", "Refugees and displaced persons",
	"Justice and reconciliation", "Monitoring and verification", "Implementation",
	"Final provisions", "Energy and infrastructure", "Borders and crossings",
	"Disarmament, demobilisation and reintegration", "Constitutional matters",
	"Language, culture and religion", "Water and natural resources", "International support",
	"Demining", "Status of the capital", "Transitional security arrangements",
	"Return of property", "Missing persons", "Trade and transit", "Public order and policing",
}

// headingRenames gives the wording a later draft may use for a heading.
var headingRenames = []string{
	"Guarantees", "Security", "Humanitarian matters", "Detainees", "Territory",
	"Political process", "Recovery and reconstruction", "Economic measures", "Returns",
	"Accountability", "Verification", "Implementation mechanism", "Concluding provisions",
	"Infrastructure", "Border regime", "Military arrangements", "Constitution",
	"Cultural and religious rights", "Natural resources", "External support", "Mine action",
	"Special status", "Interim arrangements", "Property", "Truth and remembrance",
}

var titles = []string{
	"Comprehensive Peace Plan for %s", "Framework Agreement on Peace and Security in %s",
	"Draft Agreement on the Cessation of Hostilities in %s",
	"Plan for a Lasting Settlement of the Conflict in %s",
	"Joint Declaration of Principles on the Future of %s",
	"Agreement on the Normalisation of Relations concerning %s",
}

var preambleClauses = []string{
	"recalling their commitments under the Charter of the United Nations",
	"determined to end the hostilities and the suffering of the civilian population",
	"reaffirming the principles of sovereignty and territorial integrity",
	"mindful of the losses endured by all communities in the region",
	"welcoming the efforts of the mediators and the guarantor states",
	"committed to a just, comprehensive and durable peace",
	"recognising the right of refugees and displaced persons to return in safety and dignity",
	"noting the consultations held with civil society, women and youth",
	"resolved to rebuild the economy and restore essential services",
	"acknowledging the need for credible international guarantees",
}

// boilerplateOpenings are long openings shared by near-duplicate points; each
// is followed by a distinct tail.
var boilerplateOpenings = []string{
	"The Parties shall ensure that, in accordance with the provisions of this Agreement and under the supervision of the Joint Commission,",
	"Without prejudice to the rights and obligations of the Parties under international law and subject to the procedures set out in this Agreement,",
	"In order to consolidate the cessation of hostilities and to build mutual confidence between the communities affected by the conflict,",
	"The guarantor states, acting jointly and in consultation with the Parties and the mediators and within the limits of their respective mandates, shall ensure that",
	"For the duration of the transitional period and until the arrangements provided for in this Agreement have been fully implemented,",
	"Each Party undertakes, in good faith and on the basis of the principles set out in the preamble and in the declaration of principles, to ensure that",
}

// replacementWords substitute a word in an edit when no synonym is known.
var replacementWords = []string{
	"relevant", "additional", "full", "immediate", "effective", "verified", "complete",
	"phased", "unconditional", "temporary", "permanent", "regional", "national", "independent",
	"transparent", "reciprocal", "adequate", "sustained", "comprehensive", "coordinated",
}

// synonyms are the typical word swaps between drafts.
var synonyms = map[string]string{
	"shall": "will", "will": "shall", "must": "shall", "may": "shall", "all": "remaining",
	"immediately": "promptly", "promptly": "immediately", "and": "or", "within": "after",
	"jointly": "separately", "guarantee": "ensure", "ensure": "guarantee", "full": "partial",
	"civilian": "military", "military": "civilian", "international": "regional",
	"permanent": "temporary", "temporary": "permanent", "release": "transfer",
	"withdraw": "redeploy", "monitor": "observe", "restore": "repair", "public": "official",
	"joint": "common", "gradually": "rapidly", "heavy": "light", "the": "any",
}

// insertWords are inserted by edits.
var insertWords = []string{
	"fully", "promptly", "jointly", "also", "further", "effectively", "strictly",
	"independently", "duly", "expressly", "thereafter", "immediately", "verifiably",
}

var cyrillic = struct{ subjects, verbs, objects, preps []string }{
	subjects: []string{"Стороны", "Совместная комиссия", "Миссия наблюдателей", "Правительство",
		"Государства-гаранты", "Посредники", "Местные органы власти"},
	verbs: []string{"обеспечат", "гарантируют", "восстановят", "освободят", "отведут",
		"проверят", "профинансируют", "откроют", "передадут", "зарегистрируют", "защитят"},
	objects: []string{"тяжёлое вооружение", "линию соприкосновения", "гуманитарные коридоры",
		"военнопленных", "пограничные пункты пропуска", "систему энергоснабжения",
		"школы и больницы", "замороженные активы", "имущество перемещённых лиц",
		"водоснабжение городов", "мосты и дороги"},
	preps: []string{"под международным контролем", "в течение {N} дней", "до 31 декабря 2026 года",
		"на всей территории", "в соответствии с настоящим Соглашением",
		"при поддержке Организации Объединённых Наций", "на взаимной основе", "в городе Херсон"},
}

var greek = struct{ subjects, verbs, objects, preps []string }{
	subjects: []string{"Τα μέρη", "Η Μικτή Επιτροπή", "Η αποστολή παρακολούθησης", "Η κυβέρνηση",
		"Τα εγγυήτρια κράτη", "Οι διαμεσολαβητές"},
	verbs: []string{"θα εξασφαλίσουν", "θα εγγυηθούν", "θα αποσύρουν", "θα απελευθερώσουν",
		"θα αποκαταστήσουν", "θα χρηματοδοτήσουν", "θα επιθεωρήσουν", "θα προστατεύσουν"},
	objects: []string{"τα βαριά όπλα", "τη γραμμή επαφής", "τους αιχμαλώτους πολέμου",
		"τους ανθρωπιστικούς διαδρόμους", "τις σχολικές μονάδες", "τα σημεία διέλευσης",
		"την περιουσία των εκτοπισμένων", "το δίκτυο ηλεκτροδότησης"},
	preps: []string{"υπό διεθνή εποπτεία", "εντός {N} ημερών", "έως τις 31 Δεκεμβρίου 2026",
		"σε όλη την επικράτεια", "σύμφωνα με την παρούσα Συμφωνία", "στη Λευκωσία",
		"σε αμοιβαία βάση"},
}
