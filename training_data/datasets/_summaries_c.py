"""Synthetic session summaries, risk high (hand-written; fictional people only)."""


def S(kind, session, cc, sx, risk, note, plan):
    return {"kind": kind, "session": session, "cc": cc, "sx": sx, "risk": risk, "note": note, "plan": plan}


R = "high"
ITEMS = [
    S("transcript", """Therapist: You mentioned last time that you sometimes wish you wouldn't wake up. Is that still around?
    Client: Most nights. I lie there and think it'd be easier for everyone.
    Therapist: Have you thought about doing anything to make that happen?
    Client: No. I wouldn't. I've got my boys. It's more a wish than a plan.
    Therapist: How has your week been otherwise?
    Client: Called in sick three days. Haven't showered since Sunday. I just can't get going.
    Therapist: Let's update your safety plan and think about one small thing for each day.""",
      "Persistent low mood with passive death wishes", "Nightly wish not to wake, poor self-care, missed work",
      R, "passive SI, no plan; children protective", "Update safety plan; daily small goals; GP medication review"),
    S("notes", """Client, 26, self-harm by cutting forearms twice this week after an argument with her partner; wounds
    superficial and self-dressed, checked in session and healing. Describes cutting as a way to "switch off"
    overwhelming feelings. No suicidal intent. Previous self-harm in teens, stopped for four years until last
    month. Sleeping poorly, drinking more at weekends. Agreed safety plan and distraction strategies;
    referral for DBT skills group.""",
      "Return of self-harm after four years", "Cutting twice this week, emotional overwhelm, poor sleep, weekend drinking",
      R, "recent self-harm; no suicidal intent", "Safety plan; DBT skills group referral; weekly review of wounds"),
    S("notes", """Man, 44, referred after his GP noted heavy weight loss. Describes three months of severe depression:
    sleeping 4 hours, no appetite, stopped working as a self-employed plumber, not answering the phone to
    friends. Feels like a "burden" and that his family would cope fine without him, but denies any plan or
    intent. No access to firearms. PHQ-9 23. Partner supportive but exhausted.""",
      "Severe depression for three months", "Insomnia, weight loss, withdrawal, stopped working, burden beliefs",
      R, "passive SI; denies plan or intent", "Urgent psychiatry review for medication; weekly CBT; partner support"),
    S("transcript", """Therapist: How have the binges been since we last met?
    Client: Every day. Sometimes twice. Then I make myself sick.
    Therapist: How are you feeling physically?
    Client: Tired. My throat burns. I got dizzy at work yesterday and had to sit down.
    Therapist: I'd like you to have some bloods done this week to check your potassium.
    Client: I know it's bad. I just can't stop once I start.
    Therapist: We'll work on regular eating first, it really does reduce the urge to binge.""",
      "Daily bingeing and purging", "Sore throat, dizziness at work, exhaustion",
      R, "medical risk from purging; no SI", "Urgent bloods; regular eating plan; eating disorder service referral"),
    S("notes", """Client, 31, attending after a road accident four months ago in which the other driver died. Nightly
    nightmares, intrusive images, unable to drive, avoids the route. Drinking half a bottle of wine most nights
    to sleep. Says he "deserves" to suffer and sometimes wishes he had died instead. Denies intent or plan.
    On sick leave. Wife reports he is withdrawn and jumpy.""",
      "Trauma symptoms and guilt after fatal accident", "Nightmares, intrusions, avoidance, nightly drinking, survivor guilt",
      R, "passive death wishes; alcohol; no plan", "Trauma-focused CBT; alcohol reduction; safety plan; GP review"),
    S("notes", """Client, 17, brought by his mother, who found empty vodka bottles and pills in his room. He admits to
    drinking most days and taking diazepam bought online to "calm down" before school. Failing two subjects,
    lost contact with his football team. Denies suicidal thoughts but says "nothing matters". Mother has
    removed the pills. Referral to young people's substance service. He says school feels pointless since his best friend moved away.""",
      "Teen drinking and buying diazepam online", "Daily drinking, sedative misuse, falling grades, withdrawal from sport",
      R, "substance risk; hopeless; no SI", "Young people's substance service; mother removes supplies; weekly sessions"),
    S("transcript", """Client: My doctor says I'm fine physically, but I've had panic attacks every day for three weeks.
    Therapist: What happens in them?
    Client: Chest tight, can't breathe, I think I'm dying. Last week I had one driving on the dual carriageway and nearly hit a lorry.
    Therapist: That sounds terrifying. Are you still driving?
    Client: I have to, for the kids. I haven't been to the supermarket in a month though.
    Therapist: Until the attacks are better controlled, could someone else drive for a while?""",
      "Daily panic attacks, near miss while driving", "Chest tightness, fear of dying, shopping avoidance",
      R, "safety risk while driving; no SI", "Pause driving; CBT for panic; GP medication review"),
    S("notes", """Client, 58, husband died in hospital six weeks ago. Not eating, not sleeping, stopped going out, keeps
    his voicemail to listen to at night. States she does not want to go on without him and "wouldn't mind if
    she didn't wake up" but would not act because of her grandchildren. No means stockpiled. Lives with her daughter, who has taken leave from work to be with her in the evenings.""",
      "Acute grief after husband's death six weeks ago", "No appetite, insomnia, withdrawal, wish not to wake",
      R, "passive SI; grandchildren protective", "Weekly grief support; daughter involved; GP sleep review; safety plan"),
    S("notes", """Client, 35, nurse. Reports two weeks of cutting her upper arms most evenings after shifts on a COVID
    ward. Wounds superficial, cleaned, covered by uniform. Intrusive images of patients dying. Denies wanting
    to die. Has not told her partner. Agreed to tell occupational health and partner, and to a harm-minimisation plan while skills are built. She says she is frightened that the cutting is becoming a habit she cannot stop.""",
      "Nightly self-harm linked to work trauma", "Cutting most evenings, intrusive images, secrecy",
      R, "repeated self-harm; no suicidal intent", "Harm-minimisation plan; occupational health; trauma-focused therapy"),
    S("transcript", """Therapist: You said something at the end of last session that I wanted to come back to. That your family would be better off without you.
    Client: Yeah. I do think that.
    Therapist: When you think that, do you think about ending your life?
    Client: Sometimes. Like a fantasy. I haven't looked anything up or planned anything.
    Therapist: How often?
    Client: Few times a week. More when my dad's been shouting.
    Therapist: I'm glad you can tell me. Let's make a plan for those evenings.""",
      "Burden beliefs with suicidal fantasies", "Thoughts several times weekly, worse after conflict with father",
      R, "SI without plan or intent", "Safety plan for evenings; involve school counsellor; weekly sessions"),
    S("notes", """Client, 49, alcohol use has escalated to a litre of cider daily since a divorce. Morning tremor,
    sweating, drinking on waking. Fell last week and hit his head. Lives alone. Denies suicidal thoughts.
    Advised not to stop abruptly; referred to community alcohol team for assisted withdrawal and to GP
    for head injury review. Thiamine discussed. He says he feels ashamed and has not told his grown-up children how much he is drinking.""",
      "Escalating daily drinking with withdrawal signs", "Morning tremor, sweating, drinking on waking, recent fall",
      R, "physical dependence; head injury", "Community alcohol team; GP review; no abrupt stopping"),
    S("notes", """Client, 22, describes hearing a voice for the last two months that comments on her actions and
    sometimes calls her worthless. No commands to harm. Sleeping badly, dropped out of college, smoking
    cannabis daily. Suspicious that classmates are talking about her online. No suicidal thoughts. Family
    supportive. Urgent referral to early intervention in psychosis service. Parents will attend the first appointment with her and will let the practice know if her sleep or behaviour gets worse.""",
      "New voices and suspiciousness", "Derogatory voice, poor sleep, dropout, daily cannabis",
      R, "possible first-episode psychosis; no SI", "Urgent early intervention referral; reduce cannabis; family support"),
    S("transcript", """Client: I've been scratching my legs with my nails until they bleed. I don't even notice I'm doing it until after.
    Therapist: How long has this been happening?
    Client: Since my exams started. Every night this week.
    Therapist: Are the scratches looking infected at all?
    Client: One's gone a bit red and hot.
    Therapist: Let's get that looked at by the practice nurse today. And I'd like to understand what's going on before it starts.
    Client: It's when I'm lying in bed worrying about failing.""",
      "Nightly self-injury by scratching during exams", "Bleeding scratches, possible infection, exam worry at night",
      R, "recent self-harm; possible infected wound", "Nurse wound check today; habit-reversal; exam stress plan"),
    S("notes", """Client, 67, recently bereaved of his wife and diagnosed with prostate cancer. Says he has "had enough"
    and has been thinking he won't bother with treatment. Denies thinking about actively ending his life and
    has no plan. Has stopped seeing his friends at the bowls club. Son lives nearby but client hasn't told him about the diagnosis. He spends most of the day in his armchair and has stopped cooking for himself.""",
      "Hopelessness after bereavement and cancer diagnosis", "Considering refusing treatment, withdrawal from friends",
      R, "passive SI; hopelessness", "Encourage telling son; oncology nurse link; weekly sessions"),
    S("notes", """Client, 19, university student, restricting to one meal a day for two months and exercising two hours
    daily. Lost 7 kg. Periods irregular. Feels dizzy on standing, low mood, avoiding friends at mealtimes.
    No self-harm. GP has not been informed. Agreed to see university GP for bloods and observations this week
    and to a referral to the eating disorder service. Her flatmates have noticed and she is embarrassed.""",
      "Restrictive eating and over-exercise", "7 kg loss, dizziness, irregular periods, social avoidance",
      R, "medical monitoring needed; no self-harm", "GP bloods and observations this week; eating disorder referral"),
    S("transcript", """Therapist: Your partner called the practice worried about you. She said you haven't slept in three days.
    Client: I can't. Every time I close my eyes I'm back in the warehouse, the shelves coming down.
    Therapist: That was only ten days ago. It makes sense your mind is still on alert.
    Client: I keep jumping at every noise. I shouted at my daughter for dropping a plate.
    Therapist: Any thoughts of harming yourself?
    Client: No. I just want it to stop.""",
      "Acute stress after workplace accident", "No sleep three days, flashbacks, hyperarousal, irritability",
      R, "severe symptoms; no SI", "GP for short-term sleep support; psychoeducation; review in one week"),
    S("notes", """Client, 40, gambling debts of around £40,000 hidden from her husband. Says she "can't see a way out"
    and has thought about ending her life if he finds out, but has no plan and says she wouldn't leave her
    children. Sleeping 3 hours, chest pains from stress. Agreed to contact a debt charity and a gambling
    treatment service, and to a safety plan.""",
      "Hidden gambling debts with hopelessness", "Insomnia, chest pains, secrecy, thoughts of suicide if discovered",
      R, "conditional SI, no plan", "Safety plan; debt charity; gambling treatment service; review in a week"),
    S("notes", """Client, 16, disclosed burning her wrist with a lighter on three occasions in the past fortnight. Burns
    small, healing. Bullying on a group chat, stopped going to after-school drama. Denies suicidal thoughts.
    Agreed to tell her mother with the clinician present and to a school safeguarding referral. Burns reviewed by practice nurse. She says she burns when the messages start late at night and she cannot sleep, and that it makes the noise in her head go quiet.""",
      "Self-harm by burning after online bullying", "Three burns in a fortnight, withdrawal from drama",
      R, "recent self-harm; no SI", "Tell mother together; school safeguarding; nurse burn review"),
    S("transcript", """Client: I've been taking more of my painkillers than prescribed. The co-codamol. Maybe twelve a day.
    Therapist: What's that been helping with?
    Client: Honestly, the pain's not that bad now. It's more that it takes the edge off everything.
    Therapist: Have you tried cutting down?
    Client: I get sweaty and restless and my legs ache. So I take more.
    Therapist: It sounds like your body has become dependent. Would you let me talk to your GP about a safe taper?""",
      "Codeine overuse beyond prescription", "Twelve tablets daily, withdrawal symptoms when reducing",
      R, "dependence; paracetamol overdose risk", "GP-supervised taper; liver function tests; weekly sessions"),
    S("notes", """Client, 52, paramedic. Disclosed that after a child death call last month he cannot stop seeing the
    scene, has been drinking heavily, and wishes he could "just disappear". Denies plan or intent. Sleeping
    2-3 hours. Off work. Wife unaware of the extent. Agreed to a safety plan, to tell his wife, and to trauma-focused therapy. He worries that asking for help will end his career and has avoided occupational health.""",
      "Trauma after child death call", "Intrusive images, heavy drinking, insomnia, wish to disappear",
      R, "passive SI; alcohol; no plan", "Safety plan; tell wife; trauma-focused CBT; alcohol advice"),
    S("notes", """Client, 33, postnatal, baby now 4 months. Persistent low mood, crying daily, feels she is a bad mother
    and that the baby would be better with someone else. No thoughts of harming the baby. Occasional thoughts
    of not wanting to be here, no plan. Sleeping poorly even when baby sleeps. Partner supportive. Health visitor aware. She has stopped going to baby groups because she feels the other mothers are coping better than her.""",
      "Postnatal depression", "Low mood, guilt, poor sleep, passive death wishes",
      R, "passive SI; no harm thoughts to baby", "Perinatal team referral; GP review; partner involved; safety plan"),
    S("transcript", """Therapist: How's the urge to use been since your friend died?
    Client: Bad. I used twice this week. First time in a year.
    Therapist: Heroin?
    Client: Yeah. Smoked it, didn't inject. I'm scared. That's how he went.
    Therapist: I'm really glad you're telling me. Do you have naloxone at home?
    Client: I did, it's probably expired.
    Therapist: Let's get you a new kit today and call your keyworker together.""",
      "Heroin lapse after friend's overdose death", "Two uses this week, grief, fear of overdose",
      R, "overdose risk; lowered tolerance", "New naloxone today; keyworker contact; grief support"),
    S("notes", """Client, 29, reports low mood and no pleasure in anything for several months. Has stopped going to the gym,
    eats one meal a day, sleeps 12 hours. Works from home and says she could go a week without speaking to
    anyone. Denies suicidal thoughts but says life feels "pointless". PHQ-9 21. No previous treatment. She says her family live abroad and she does not want to worry them, so she tells them she is fine.""",
      "Severe depression with isolation", "Anhedonia, hypersomnia, poor appetite, isolation",
      R, "severe depression; denies SI", "Weekly behavioural activation; GP antidepressant discussion; peer group"),
    S("notes", """Client, 45, severe OCD. Now washing hands for up to three hours a day, hands cracked and bleeding.
    Unable to leave the house for fear of contamination; husband does all shopping. Has lost her job.
    No suicidal thoughts. Very distressed, tearful throughout. Referral to specialist OCD service and dermatology via GP. Husband attended the end of the session and described the household routines he has been asked to follow, which take up much of his evening.""",
      "Severe contamination OCD", "Three hours daily washing, bleeding hands, housebound",
      R, "severe impairment; no SI", "Specialist OCD referral; GP and dermatology; exposure work starts"),
    S("transcript", """Client: My daughter's been sending me messages saying she wants to die. She's fifteen. She says she's not going to do anything.
    Therapist: That must be frightening. What else have you noticed?
    Client: She stays in her room, she's stopped eating with us, her grades have dropped.
    Therapist: Has she hurt herself, as far as you know?
    Client: I saw marks on her arm once. She said it was the cat.
    Therapist: I'd like to help you get her an urgent appointment with the young people's service.""",
      "Parent worried about teen's suicidal messages", "Withdrawal, poor eating, possible self-harm marks",
      R, "third-party report of SI in a minor", "Urgent CAMHS referral; parent safety advice; remove medicines"),
    S("notes", """Client, 38, severe health anxiety after a friend's cancer death. Checking body for lumps for hours daily,
    repeated A&E visits this month, unable to work. Panic attacks several times a day. Says life is not worth
    living like this but denies any thoughts of acting on that. Husband exhausted. She has started to avoid television and newspapers in case they mention illness, and she checks her children for symptoms several times a day.""",
      "Severe health anxiety after friend's death", "Hours of body checking, repeated A&E visits, daily panic",
      R, "severe distress; no suicidal intent", "CBT for health anxiety; limit checking; GP single point of contact"),
    S("notes", """Client, 60, isolated since retirement and move to a new town. Drinking daily, not eating proper meals,
    has not spoken to anyone in two weeks other than shop staff. Said "no one would notice if I wasn't here".
    When asked, has thought about suicide "in passing" but has no plan. Estranged from son. He used to sing in a choir and said he misses it. He agreed to a weekly check-in call from the practice while he settles in.""",
      "Severe isolation after retirement and move", "Daily drinking, poor diet, no contact for two weeks",
      R, "passive SI; alcohol; isolated", "Safety plan; community befriending; alcohol advice; weekly calls"),
    S("transcript", """Therapist: You've had a lot of panic attacks at night this week. What do you think is behind them?
    Client: The trial. He's being sentenced next month and I have to give a victim statement.
    Therapist: That's a huge thing to face.
    Client: I've started sleeping with the light on. I had a flashback in the shower and fell.
    Therapist: Did you hurt yourself when you fell?
    Client: Bruised my hip. I'm okay. I'm not thinking about hurting myself, I just want it over.""",
      "Trauma symptoms before perpetrator's sentencing", "Nightly panic, flashbacks, fall during flashback",
      R, "severe PTSD symptoms; no SI", "Grounding skills; victim support service; trauma therapy"),
    S("notes", """Client, 24, reports cutting weekly for six months, most recently two days ago. Also describes intermittent
    thoughts of suicide, no plan. Recently lost her job and fell behind on rent. Agreed to a safety plan with
    crisis numbers and to attend a DBT skills group. Wounds reviewed: superficial, healing. She has told her sister, who has offered her a room if she loses the flat, which she says is a relief.""",
      "Weekly self-harm with suicidal thoughts", "Cutting two days ago, job loss, rent arrears",
      R, "self-harm and passive SI; no plan", "Safety plan; DBT skills group; welfare and housing advice"),
]
