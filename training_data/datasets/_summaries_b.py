"""Synthetic session summaries, risk crisis (hand-written; fictional people only)."""


def S(kind, session, cc, sx, risk, note, plan):
    return {"kind": kind, "session": session, "cc": cc, "sx": sx, "risk": risk, "note": note, "plan": plan}


R = "crisis"
ITEMS = [
    S("transcript", """Therapist: You said on the phone you had something important to tell me.
    Client: I've been buying paracetamol from different shops. I've got about sixty in a shoebox.
    Therapist: Thank you for telling me. What were you planning to do with them?
    Client: Take them on Sunday when my flatmate's at her parents'. I've thought about it every day this month.
    Therapist: What's stopped you so far?
    Client: My cat, honestly. And I suppose I came here today.
    Therapist: I'm really glad you did. I'd like to call the crisis team now, with you here. Would you be willing to bring the box in or let your flatmate take it?
    Client: I'll let her take it.""",
      "Stockpiled paracetamol with plan for Sunday", "Daily suicidal thoughts for a month, low mood, isolation",
      R, "active SI with plan, means and date", "Crisis team called in session; flatmate removes tablets; daily contact"),
    S("notes", """Client, man in his 40s, attended with his brother, who found a hosepipe and tape in the boot of his car
    yesterday. Client initially minimised, then acknowledged he had driven to a forest car park twice last
    week intending to end his life and "bottled it". Business failure and large debts. Sleeping 3 hours,
    barely eating. Denies alcohol. Says he still thinks it is the only way out. Brother has car keys.
    Crisis team assessment arranged for this afternoon; brother will stay with him.""",
      "Suicide rehearsal after business failure", "Two aborted attempts, insomnia, poor appetite, hopelessness about debts",
      R, "active SI, rehearsal, means in car", "Same-day crisis assessment; brother holds keys and stays; debt advice later"),
    S("notes", """Telephone session. Client disclosed midway through that she was sitting on the roof terrace of her building
    and had "been thinking about the drop" for an hour. Recent discharge from inpatient unit two weeks ago after
    an overdose. Clinician kept her on the line and, with her agreement, called emergency services from the
    second line. Police and ambulance attended within 15 minutes; client taken to emergency department for
    assessment. Care coordinator informed.""",
      "Suicidal on roof terrace during phone session", "Recent inpatient discharge after overdose; thinking about jumping",
      R, "acute danger, recent attempt", "Emergency services attended; ED assessment; care coordinator informed"),
    S("transcript", """Client: I didn't want to come today. I was going to cancel and just... not be around to cancel.
    Therapist: Can you tell me more about what 'not be around' means?
    Client: I wrote letters to my mum and my sister last night. They're in my bag.
    Therapist: Have you decided how?
    Client: The train line behind the estate. I've walked there three times this week.
    Therapist: I'm taking this very seriously, and I want to keep you safe today. Can I hold on to the letters while we make some calls?
    Client: Okay. I don't really know why I'm agreeing.
    Therapist: Maybe part of you wants things to be different.""",
      "Goodbye letters written, railway plan", "Repeated visits to railway line, low mood, hopelessness",
      R, "active SI, plan, goodbye letters", "Emergency mental health assessment today; family contacted with consent"),
    S("notes", """Joint session requested by client's wife. Client, 58, recently diagnosed with motor neurone disease.
    Wife found searches about lethal doses of his new medication and a list headed "things to sort before".
    Client confirmed he intends to end his life "before I can't do it myself" and has set aside medication.
    Expresses clear reasoning and calm affect. Discussed that this still requires urgent support.
    Wife has taken the medication to a neighbour. GP and crisis team contacted today; palliative team to be involved.""",
      "Suicidal intent after terminal diagnosis", "Searches on lethal doses, stockpiled medication, preparatory list",
      R, "intent with means and preparation", "Crisis team and GP today; medication removed; palliative team liaison"),
    S("notes", """Client, 22, student, attended saying she took 30 sertraline tablets two hours before the session "to see
    what would happen". Drowsy but alert, heart rate fast. Ambulance called immediately; clinician stayed with
    her until paramedics arrived. Client said she did not want to die but did not care if she did.
    University welfare contacted with consent. Follow-up to be arranged after medical clearance.""",
      "Overdose two hours before session", "Drowsy, tachycardic, ambivalent about death",
      R, "overdose taken; ambivalent intent", "Ambulance to ED; stay with client until handover; follow-up after clearance"),
    S("transcript", """Therapist: Your mum rang me this morning because she was worried. She said you'd given your games console to your cousin.
    Client: I don't need it anymore.
    Therapist: What makes you say that?
    Client: I'm sixteen and I already know how this ends. I've got my dad's old pills. I'm doing it after my exams so nobody can say I was stressed about them.
    Therapist: That sounds like you've been carrying this alone for a long time.
    Client: Since Christmas.
    Therapist: I need to share this with your mum and the crisis team because I want you alive. Can we tell her together?""",
      "Teen giving away possessions, suicide plan", "Suicidal since Christmas, access to father's pills, planned timing",
      R, "plan, means, preparatory behaviour", "Tell mother together; CAMHS crisis today; pills removed from home"),
    S("notes", """Client reported command hallucinations telling him to jump in front of a bus, increasing over four days
    since stopping antipsychotic medication. Appears frightened, guarded, distracted during session.
    States he "might have to obey tonight". Lives alone. With consent, clinician contacted the home treatment
    team, who attended the practice within the hour. Sister informed and will stay overnight. He agreed to restart medication under supervision.""",
      "Command hallucinations to jump in front of bus", "Stopped antipsychotics four days ago, fearful, guarded",
      R, "command hallucinations, acute danger", "Home treatment team attended; sister overnight; medication review"),
    S("notes", """Client, woman in her 30s, disclosed that her partner strangled her two nights ago and threatened to kill
    her if she left. Bruising visible on her neck. Partner has a history of violence and owns knives he has
    threatened her with. She is afraid to go home tonight. Clinician completed a risk checklist (high),
    contacted police with her consent and the local refuge; a place is available tonight. Children are at
    her mother's.""",
      "Non-fatal strangulation by partner, death threats", "Neck bruising, fear of returning home, threats with knives",
      R, "acute danger from partner", "Police report; refuge place tonight; safeguarding and domestic abuse advocate"),
    S("transcript", """Client: I'm scared of myself. Yesterday I held a pillow near her face when she wouldn't stop crying. I put it down.
    Therapist: Thank you for being honest, that takes a lot. How old is your baby now?
    Client: Seven weeks. I haven't slept more than two hours in days. I keep thinking she'd be better off without me, or me without her.
    Therapist: Is anyone with you both at home?
    Client: My partner's away until Friday.
    Therapist: I want to get you and your baby support today. I'm going to call the perinatal team and your health visitor. Can your mum come over?
    Client: I'll ring her.""",
      "Postnatal thoughts of harming baby", "Severe sleep deprivation, intrusive harm urges, suicidal thoughts",
      R, "risk to infant and self", "Perinatal crisis team today; mother to stay; health visitor informed"),
    S("notes", """Client, 27, brought by flatmate after not eating for nine days and drinking only water. Fainted twice
    this week, chest pain when climbing stairs, pulse 42 on practice monitor. Known anorexia nervosa, weight
    markedly reduced since last review. Insists she is "fine". Medical emergency explained; ambulance called
    for same-day medical assessment. Eating disorder team informed. Flatmate reports she has also been exercising at night and hiding food in her room.""",
      "Anorexia with fainting and bradycardia", "Nine days without food, chest pain, pulse 42",
      R, "medical emergency", "Ambulance to ED; eating disorder team informed; flatmate accompanies"),
    S("notes", """Client arrived intoxicated and tearful after his partner left. Said he has his shotgun licence and the gun
    at home and is "going to finish it tonight". Has drunk a bottle of wine and several beers. Previous attempt
    by hanging five years ago. Police contacted to secure the firearm; crisis team assessed in the practice.
    Client agreed to stay with his parents tonight.""",
      "Intoxicated, threatening suicide with shotgun", "Relationship breakdown, heavy drinking, prior attempt",
      R, "intent, firearm access, prior attempt", "Police secure firearm; crisis team assessment; stays with parents"),
    S("transcript", """Therapist: You've been quiet today. Earlier you said the anniversary is next week.
    Client: Ten years since the accident. I've decided that's when I'll go. I've put the house in order.
    Therapist: What do you mean by in order?
    Client: Will's updated. I've written down my bank passwords for my son. I cancelled the gym.
    Therapist: How were you thinking of doing it?
    Client: I've got insulin. I know what a big dose does.
    Therapist: I'm really glad you told me. I need us to make you safe before next week, starting today.""",
      "Suicide planned for accident anniversary", "Affairs put in order, insulin as means, grief and guilt",
      R, "plan, means, date, preparation", "Crisis team today; GP to limit insulin supply; son informed with consent"),
    S("notes", """School counsellor referral. 14-year-old boy told a teacher he wanted to die and showed a noose he made
    in his bedroom, photographed on his phone. Reports bullying online for months and that he "practised" last
    weekend. Parents unaware until today. Clinician met with boy and mother same day; mother will remove
    ligature points and supervise. CAMHS crisis team accepted urgent referral for assessment this evening.""",
      "Teen made noose after online bullying", "Rehearsal last weekend, months of bullying, suicidal wishes",
      R, "rehearsal with ligature", "CAMHS crisis assessment tonight; mother supervises; school safeguarding lead"),
    S("notes", """Client, 45, contacted the practice in a rage after his ex-wife's new partner posted photos with his
    children. Stated he knows where the man works and is going to "put him in hospital" today, and that he has
    a knife in his van. No prior violence known. Clinician attempted de-escalation; client remained set on it.
    Duty to warn considered; police informed under safeguarding procedure. Crisis follow-up arranged.""",
      "Threat to seriously harm ex-wife's partner", "Rage, specific target, knife in van",
      R, "harm to others with plan and means", "Police informed; safeguarding; urgent follow-up once safe"),
    S("transcript", """Client: I've been clean six months but today I bought a gram and a bag of pills. I'm going to take the lot. Overdose looks like an accident and my daughter won't have to know.
    Therapist: You've worked so hard for those six months. What happened?
    Client: Court hearing. I lost custody. There's nothing left to stay clean for.
    Therapist: Where are the drugs now?
    Client: In my jacket.
    Therapist: Would you put them on the table? I want to keep you alive today and I'd like the crisis team to see you.
    Client: Fine.""",
      "Planned overdose after losing custody", "Relapse risk, drugs bought today, hopelessness",
      R, "intent to overdose; drugs on person", "Drugs surrendered; crisis team assessment; drug service contacted"),
    S("notes", """Client, 71, widower. GP referral after he told the practice nurse he has "done enough living". Today
    disclosed he has stopped his heart tablets and insulin three days ago "to let nature take its course".
    Blood sugar on practice meter high. Lives alone, daughter visits monthly. Calm, firm. Clinician explained
    medical risk and arranged urgent GP review today; crisis team to visit at home tonight; daughter contacted.""",
      "Stopped medication to die", "Three days without insulin or heart tablets, hyperglycaemia, isolation",
      R, "passive method in progress; intent", "Urgent GP today; crisis home visit tonight; daughter contacted"),
    S("notes", """Client with borderline personality disorder known to the service. Disclosed during session that she cut
    her thigh this morning and it is still bleeding through the dressing. On inspection wound appears deep and
    gaping. Also reports intent to "finish it properly" later. First aid given and ambulance called. Safety
    plan not used this time because "nobody picked up". Care coordinator informed.""",
      "Deep self-inflicted wound still bleeding", "Morning self-harm, suicidal intent for later today",
      R, "serious self-harm and suicidal intent", "First aid; ambulance to ED; care coordinator; update safety plan"),
    S("transcript", """Therapist: You mentioned that you weren't planning to be at our session next week.
    Client: Right. I'm not. I've found a place on the coast. I've checked the tide times.
    Therapist: Tell me about the place.
    Client: Cliffs. I went on Saturday to look. It's quiet there.
    Therapist: When?
    Client: Thursday. I've booked the train.
    Therapist: I'm going to be straight with you: I'm worried about your life and I'd like to bring in more help today. Could we ring the crisis line together now?
    Client: If you want.""",
      "Planned suicide at coastal cliffs", "Site visited, train booked, flat affect",
      R, "active plan with date and rehearsal", "Crisis line call in session; crisis team visit; remove travel plans"),
    S("notes", """Client is a paramedic, 33. Disclosed he has taken morphine and midazolam ampoules from work over
    several weeks "for when I need them". Plans to inject at home after the last shift of the month. Severe
    burnout, intrusive images from a child death call. No prior attempts. Agreed to hand the drugs to his
    partner, who came to the practice. Crisis team assessment this afternoon; occupational health to be
    involved with consent.""",
      "Stolen controlled drugs for planned suicide", "Burnout, trauma intrusions, planned timing",
      R, "plan with lethal means", "Drugs surrendered to partner; crisis team today; occupational health"),
    S("notes", """Client phoned 30 minutes before her session to say she would not attend because she was "sorting
    things out". On call she disclosed she was in the bath with a razor and had taken tablets with wine.
    Clinician kept her talking and called emergency services; ambulance reached her in 12 minutes. Partner
    met them at the address. Client conveyed to hospital. Follow-up planned on discharge.""",
      "Suicide attempt in progress by phone", "Tablets with alcohol, razor in bath",
      R, "attempt in progress", "Emergency services dispatched; hospital; follow-up on discharge"),
    S("transcript", """Client: I'm only telling you because I promised I would if it got bad. It's bad.
    Therapist: Thank you for keeping that promise. What's happening?
    Client: I keep driving past the reservoir. Tonight I'm going to go in. I can't swim.
    Therapist: Is there someone at home tonight?
    Client: No. Husband's on nights.
    Therapist: Would you let me call him now, and the crisis team? I don't want you on your own tonight.
    Client: He'll be so angry.
    Therapist: I think he'd want to know you're in danger.""",
      "Plan to drown at reservoir tonight", "Repeated drives past reservoir, alone tonight",
      R, "plan, timing, alone", "Call husband; crisis team tonight; safety plan with him"),
    S("notes", """Client, 19, attended after a night out where she was sexually assaulted. Tearful, shaking, says she
    wants to "wipe herself out" and has been looking up overdoses on her phone in the waiting room.
    Has not told anyone else. Clinician provided immediate support, contacted the sexual assault referral
    centre with consent, and arranged same-day crisis assessment. Friend came to accompany her.""",
      "Suicidal after sexual assault last night", "Shaking, tearful, researching overdose",
      R, "acute suicidal ideation after trauma", "Sexual assault referral centre; crisis assessment; friend accompanies"),
    S("notes", """Session with 17-year-old. He disclosed that his stepfather beat him last night and threatened to
    kill him if he told. Visible swelling over left eye. Mother knows and "takes his side". Client does not
    want to go home. Safeguarding referral made to children's services with police involvement; client
    remained at the practice until a social worker arrived. Risk to self assessed: no SI.""",
      "Teen assaulted and threatened by stepfather", "Facial injury, fear of going home",
      R, "acute risk of harm at home; no SI", "Children's services and police; not returning home tonight"),
    S("transcript", """Therapist: When we spoke last week you said you were drinking less. How is it now?
    Client: I stopped completely four days ago. Cold turkey. I wanted to prove I could.
    Therapist: How are you feeling physically?
    Client: Shaking like a leaf. I saw spiders on the wall last night. I think I had a fit this morning, my wife said I went stiff.
    Therapist: That's serious. Alcohol withdrawal can be dangerous. I'm going to call an ambulance now.
    Client: Is that necessary?
    Therapist: Yes, I think it is.""",
      "Severe alcohol withdrawal after stopping abruptly", "Tremor, visual hallucinations, possible seizure",
      R, "medical emergency: withdrawal seizures", "Ambulance to ED; medically assisted withdrawal; alcohol team"),
    S("notes", """Client, 29, known bipolar disorder. Presented elated, not slept for four nights, spent his savings,
    and said he can fly from the top of the car park because he is "chosen". Pressured speech, grandiose.
    Refused to stay; family contacted and came to collect him. Crisis team and duty psychiatrist contacted
    for urgent assessment under mental health legislation if required. Father reports a similar episode two years ago that needed admission.""",
      "Manic episode with belief he can fly", "No sleep four nights, overspending, grandiosity",
      R, "acute danger from psychotic beliefs", "Urgent psychiatric assessment; family supervision; crisis team"),
    S("notes", """Client, 50, recently redundant, attended with a bag she said contained "everything I need". On asking,
    it held rope and a written note. Said she planned to go to the woods after the appointment. Expressed
    relief at being asked. Bag handed over. Crisis team assessed at the practice; home treatment started; daughter came to take her home. She had not told anyone about losing her job until today.""",
      "Attended with rope and suicide note", "Redundancy, hopelessness, plan for today",
      R, "plan and means on person", "Bag handed over; crisis team; home treatment; daughter stays"),
    S("transcript", """Client: Can I ask you something hypothetically? If someone wanted to end their life with their insulin, would it hurt?
    Therapist: I'm not going to answer that, but I am going to ask: are you asking about yourself?
    Client: ...Yes. I've been skipping meals and saving insulin pens. I've got eight spare.
    Therapist: Thank you for telling me. Have you decided when?
    Client: After my daughter's birthday on Saturday.
    Therapist: I want to help you be here for many more of her birthdays. Let's call the crisis team and your diabetes nurse now.""",
      "Saving insulin for planned suicide", "Skipping meals, eight spare pens, planned after daughter's birthday",
      R, "plan, means, date", "Crisis team today; diabetes nurse to manage supply; safety plan"),
    S("notes", """Client, 24, attended after being found by a friend on a bridge parapet last night; police brought her home.
    Today she says she "would go back if she had the chance". No sleep, tearful, recent eviction. Previous
    overdose at 18. Same-day crisis assessment arranged; friend will stay with her; housing officer contacted. She has been sleeping on a friend's sofa since the eviction and feels like a burden to her.""",
      "Found on bridge parapet last night", "Ongoing intent, eviction, prior overdose",
      R, "recent near-attempt; ongoing intent", "Crisis assessment today; friend stays; housing support"),
    S("notes", """Couples session ended early when client's partner disclosed he has been hitting her, and client confirmed
    he held a knife to her throat last week. Partner left the session angry. Client says she cannot go home.
    Separate risk assessment with client: high risk. Police and domestic abuse service contacted; emergency
    accommodation arranged. Couples work stopped. The client's sister has agreed to collect her from the practice, and the partner's access to the shared flat will be addressed by police.""",
      "Partner violence with knife disclosed in session", "Fear, injuries, cannot return home",
      R, "acute danger from partner", "Police; emergency accommodation; domestic abuse advocate; stop couples work"),
    S("transcript", """Therapist: You seem agitated today. What's going on?
    Client: The neighbours are pumping gas through the vents. I can smell it. I've got a hammer by my door and if they come in I'll use it.
    Therapist: That sounds frightening. Have you been sleeping?
    Client: No. Not for days. I have to watch.
    Therapist: I'm worried about you and about anyone getting hurt. I'd like to get a doctor to see you today. Is that okay?
    Client: They'll say I'm mad.
    Therapist: They'll want to help you feel safe.""",
      "Persecutory beliefs, threat to use hammer", "No sleep, believes neighbours pump gas, agitation",
      R, "risk of harm to others", "Same-day psychiatric assessment; crisis team; consider police if needed"),
    S("notes", """Student, 20, emailed the practice at 2am a message titled "sorry", describing how she would end her
    life after her final exam today. Clinician called at 8am; she answered at the exam hall. She confirmed
    she had a plan and had bought the means. University wellbeing team met her after the exam and brought
    her to the practice; crisis team assessed; parents travelling.""",
      "Overnight goodbye email with suicide plan", "Plan after final exam, means bought",
      R, "goodbye message, plan, means", "University team escort; crisis assessment; parents travelling"),
    S("notes", """Client, 36, binge-purging up to ten times a day for three weeks. Today reports palpitations, muscle
    cramps, and collapsed at work. Practice nurse noted irregular pulse. Known bulimia nervosa. Ambulance
    called; likely electrolyte disturbance. Client tearful and ashamed but agreed to go. Eating disorder service informed for follow-up. She had stopped attending outpatient appointments two months ago after moving jobs and feeling she had to cope alone.""",
      "Bulimia with collapse and irregular pulse", "Purging ten times daily, palpitations, cramps",
      R, "medical emergency", "Ambulance to ED; bloods; eating disorder service follow-up"),
    S("transcript", """Client: I've been thinking about hurting the kids I teach. Not wanting to, but I see it in my head and then I think maybe I really want to.
    Therapist: That sounds really distressing. Have you ever acted on any of these thoughts?
    Client: Never. I'd rather die. Actually that's the other thing. I've been thinking about killing myself so I never can.
    Therapist: Do you have a plan for that?
    Client: I've looked at the motorway bridge.
    Therapist: The intrusive thoughts sound like OCD, which is very treatable. The suicidal plan is what I'm most worried about today.""",
      "Intrusive harm thoughts and suicide plan", "Distressing intrusive images, looked at motorway bridge",
      R, "SI with identified method; intrusive thoughts", "Crisis team today; OCD-informed assessment; safety plan"),
    S("notes", """Client, 63, alcohol dependent, arrived smelling of alcohol and said he had taken "a strip or two" of his
    wife's sleeping pills an hour ago because he "wanted to sleep for good". Slurred speech, drowsy.
    Ambulance called; clinician stayed until handover. Wife contacted and met them at hospital. He had missed his last two alcohol service appointments and had been drinking daily since his brother's funeral last month.""",
      "Overdose with alcohol an hour ago", "Drowsy, slurred speech, wanted to sleep for good",
      R, "overdose taken with alcohol", "Ambulance; ED; wife informed; follow-up after discharge"),
    S("notes", """Client, 41, veteran. Said nightmares and flashbacks have become unbearable and he has "made his peace".
    Has written to his former unit, given his medals to his son, and has a plan involving his car. Reports
    drinking heavily. Agreed to hand over car keys to his son, who came to the practice. Veterans' mental
    health crisis service contacted and will see him today.""",
      "Veteran with PTSD giving away medals", "Letters to old unit, heavy drinking, car-related plan",
      R, "plan, preparation, goodbye letters", "Keys to son; veterans' crisis service today; alcohol support"),
    S("transcript", """Therapist: You said your sister is worried about you. Why is that?
    Client: She found my search history. It's... how long it takes to bleed out. Where the arteries are.
    Therapist: Thank you for telling me. Have you hurt yourself?
    Client: Not yet. I've bought a new knife. I'm going to do it when everyone's at the wedding on Saturday.
    Therapist: That sounds like a plan you've thought about carefully.
    Client: For months.
    Therapist: I'm going to act on this today, because you matter. Can your sister come in?""",
      "Planned self-inflicted cutting during family wedding", "Months of planning, knife bought, research on arteries",
      R, "active plan, means, timing", "Sister joins; crisis assessment today; knife removed"),
]
