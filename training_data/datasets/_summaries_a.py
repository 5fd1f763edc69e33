"""Synthetic session summaries: fictional clients followed across several visits (hand-written)."""


def S(kind, session, cc, sx, risk, note, plan, client=None, visit=None):
    item = {"kind": kind, "session": session, "cc": cc, "sx": sx, "risk": risk, "note": note, "plan": plan}
    return item | ({"client": client, "visit": visit} if client else {})


ITEMS = [
    # C-01: low mood after redundancy, improving over four visits.
    S("notes", """Initial assessment. Client is a man in his early 50s referred by GP after redundancy from a
    manufacturing job of 26 years three months ago. Reports low mood most days, early waking around 4am,
    loss of interest in allotment and football. Appetite reduced, around 5 kg weight loss. Describes
    passive death wishes ("wouldn't mind not waking up") several times a week; denies plan, intent or
    preparation. No prior attempts. Protective factors: wife, two adult daughters, dog. Drinks 2-3 pints
    most evenings, up from weekends only. PHQ-9 19. Discussed safety plan, crisis numbers given.""",
      "Low mood since redundancy three months ago", "Early waking, anhedonia, weight loss, passive death wishes, more drinking",
      "high", "passive SI, no plan or intent", "Safety plan; weekly CBT; GP medication review; reduce alcohol",
      "C-01", 1),
    S("transcript", """Therapist: How has the week been since we made the safety plan?
    Client: Up and down. I used it once, on Tuesday. Rang my brother instead of sitting in the shed.
    Therapist: That's exactly what it's for. Are the thoughts about not waking up still there?
    Client: Less often. Maybe twice this week. I'm not going to do anything, I've got the girls.
    Therapist: And the drinking?
    Client: Cut to weekends, mostly. Sleep's still rubbish. GP started me on sertraline on Monday.
    Therapist: Let's look at what a day without structure does to your mood. Could we plan two things each morning?
    Client: I could go back to the allotment. Haven't been since August.""",
      "Ongoing low mood after redundancy", "Poor sleep; passive death wishes reduced to twice weekly; alcohol cut to weekends",
      "high", "passive SI, no intent; safety plan used", "Continue safety plan; behavioural activation; review sertraline",
      "C-01", 2),
    S("notes", """Session 5. Client reports mood improving, PHQ-9 down to 12. Has been to allotment four mornings this
    week and has started applying for warehouse supervisor roles; one interview next week. Sleep improved to
    around 6 hours. No death wishes in the past fortnight. Alcohol within guidelines. Some residual guilt
    about "letting the family down" financially; worked on thought records about this. Wife joined for the
    last ten minutes and reported he is "more like himself". Tolerating sertraline, mild nausea resolved.""",
      "Low mood after redundancy, improving", "Residual guilt about finances; sleep and activity improving; no death wishes",
      "moderate", "no SI in two weeks", "Thought records on guilt; interview preparation; fortnightly sessions",
      "C-01", 3),
    S("notes", """Session 9, planned discharge review. Client started a new supervisor job three weeks ago and is
    enjoying it. PHQ-9 6. Sleeping well, back to playing five-a-side on Thursdays. Denies any suicidal thoughts
    since early in treatment. Reviewed relapse signature: early waking, withdrawing to the shed, drinking
    alone. Client will continue sertraline for at least six months per GP. Agreed to discharge with
    a relapse prevention plan and open access to re-refer for 12 months.""",
      "Discharge review after depression following redundancy", "Mood stable, sleeping well, working and socialising again",
      "low", "no SI since early treatment", "Discharge with relapse prevention plan; GP continues sertraline",
      "C-01", 4),
    # C-02: panic disorder, graded exposure.
    S("transcript", """Therapist: You said the attacks started in the spring. Can you walk me through the last one?
    Client: It was in the Tesco queue. My heart was going so fast, my hands were tingling, I thought I was going to collapse. I left my basket and ran to the car.
    Therapist: How often is this happening now?
    Client: Two or three times a week. I've stopped going to shops, my partner does it all. I went to A&E twice and they said my heart's fine.
    Therapist: Have you had any thoughts of harming yourself with all this?
    Client: No, nothing like that. I just want my life back.""",
      "Panic attacks for six months, avoiding shops", "Palpitations, tingling, fear of collapse, two to three attacks weekly, avoidance",
      "moderate", "no SI or self-harm", "Psychoeducation on panic cycle; interoceptive exposure; weekly CBT",
      "C-02", 1),
    S("notes", """Session 3. Client practised interoceptive exercises (spinning in chair, breathing through a straw) daily
    with anxiety ratings falling from 80 to 40 over the week. One panic attack this week, at home, which she
    rode out without leaving. Built a graded exposure hierarchy: corner shop with partner (20), corner shop
    alone (35), supermarket off-peak (60), supermarket Saturday queue (90). No safety concerns. Mild
    anticipatory anxiety before sessions.""",
      "Panic disorder with shop avoidance", "One attack this week, managed without escape; interoceptive anxiety falling",
      "moderate", "no safety concerns", "Begin exposure hierarchy at corner shop; continue daily interoceptive practice",
      "C-02", 2),
    S("transcript", """Therapist: So how did the supermarket go?
    Client: I did it! Tuesday morning. I felt the wave coming by the bread aisle and I just stood there and let it peak like we practised. It was gone in about five minutes.
    Therapist: What did you predict would happen before you went?
    Client: That I'd faint and everyone would stare. I didn't faint. Nobody noticed anything.
    Therapist: How many attacks this fortnight?
    Client: One small one. I'm even thinking about the cinema with my sister.
    Therapist: Great next step for the hierarchy.""",
      "Panic disorder, exposure progressing", "One minor attack in two weeks; completed supermarket exposure; feared fainting did not occur",
      "low", "no safety concerns", "Cinema exposure next; reduce to fortnightly; relapse prevention planning",
      "C-02", 3),
    S("notes", """Final session. Client has had no full panic attacks in five weeks and is shopping, driving on the
    motorway and went to a concert with her sister. Occasional brief surges of anxiety in crowded places that
    she manages with acceptance rather than escape. Reviewed what she learned: panic sensations are uncomfortable but not dangerous, and avoidance kept the fear going. Completed relapse prevention blueprint. Client confident
    to continue exposure independently. Discharged.""",
      "Discharge after panic disorder treatment", "No panic attacks in five weeks; occasional brief anxiety in crowds",
      "low", "none identified", "Discharge; continue self-directed exposure; blueprint shared with GP",
      "C-02", 4),
    # C-03: complicated grief escalating to crisis, then stabilising.
    S("notes", """Initial session. Woman in her late 60s, husband of 41 years died suddenly of a stroke four months ago.
    Cries daily, sleeps in his chair rather than the bed, has not changed anything in the house. Eating
    one meal a day. Lives alone, son lives abroad. Says she "talks to him every evening". Denies thoughts of
    suicide. Still attends church on Sundays and sees a neighbour weekly. Grief appears intense but within
    expected range at four months.""",
      "Grief after husband's sudden death four months ago", "Daily crying, poor appetite, sleeping in chair, social contact limited",
      "moderate", "denies SI; lives alone", "Weekly grief-focused sessions; encourage meals with neighbour; GP check-up",
      "C-03", 1),
    S("transcript", """Therapist: You seem more tired today. How have the evenings been?
    Client: Long. His birthday was on Thursday. I didn't go to church. I haven't really seen anyone.
    Therapist: When it's that hard, do you ever have thoughts of not wanting to be here?
    Client: I think about joining him. Not doing anything. I just wish I could go to sleep and be with him.
    Therapist: Thank you for telling me. Have you thought about how, or done anything towards it?
    Client: No. No, I wouldn't. But I understand now why people do.""",
      "Worsening grief after husband's death", "Withdrawal after his birthday, missed church, wishes to join husband",
      "high", "passive SI, no plan; lives alone", "Safety plan; contact son with consent; weekly sessions; GP review",
      "C-03", 2),
    S("notes", """Unscheduled contact. Client phoned the practice and disclosed she has been saving her husband's leftover
    morphine and her own sleeping tablets, and has decided to take them on their wedding anniversary in nine
    days. Has written a letter to her son. Calm, settled tone. Agreed to a same-day appointment; on arrival
    handed over the medication to the clinician. Crisis team contacted and assessed her this afternoon;
    agreed to daily home visits. Son informed with her consent and is flying home.""",
      "Suicide plan disclosed for wedding anniversary", "Stockpiled morphine and tablets, goodbye letter written, calm resolve",
      "crisis", "active SI with plan, means, date; means surrendered", "Crisis team daily visits; son travelling; medication removed",
      "C-03", 3),
    S("notes", """Follow-up two weeks after crisis contact. Son has been staying with her and will stay until the end of the
    month. Crisis team visits now every other day. Client says the anniversary was "terrible but I got
    through it". Reports ongoing wish to be with husband but no intent and no plan; would not act "while
    my son needs me". Started mirtazapine. Eating better with son cooking. Agreed to bereavement group.""",
      "Grief after husband's death, post-crisis follow-up", "Low mood, ongoing wish to be with husband, eating better",
      "high", "passive SI, no intent; recent plan", "Crisis team continues; weekly therapy; bereavement group referral",
      "C-03", 4),
    # C-04: alcohol use with relapse.
    S("notes", """Assessment. Man, 38, self-referred. Drinking about a bottle of vodka a day for eight months after a
    separation. Morning shakes, drinks on waking. Two drink-driving near misses. Missed work repeatedly,
    now on a final warning. Denies suicidal thoughts but says he "doesn't care much what happens". No
    seizures reported. Advised against abrupt stopping; referred to community alcohol team for medically
    assisted withdrawal.""",
      "Heavy daily drinking after separation", "Morning shakes, drinking on waking, missed work, indifference to safety",
      "high", "physical dependence; withdrawal risk; no SI", "Community alcohol team detox; GP bloods; weekly sessions",
      "C-04", 1),
    S("transcript", """Therapist: Congratulations on finishing the detox. How are the first two weeks sober?
    Client: Strange. Everything's loud. I don't know what to do with my evenings.
    Therapist: What have you been doing instead?
    Client: Gym, and I went to two SMART meetings. I saw my kids on Saturday without needing a drink first.
    Therapist: Any cravings?
    Client: Mostly around six o'clock. I go for a walk. Work's given me one more chance.""",
      "Early recovery after alcohol detox", "Evening cravings, boredom; attending SMART meetings and gym",
      "moderate", "no SI; relapse risk at evenings", "Relapse prevention plan for 6pm cravings; continue SMART; weekly sessions",
      "C-04", 2),
    S("notes", """Client arrived late, smelling of alcohol. Disclosed drinking for the last five days after his ex-partner
    announced she is moving with the children to another city. Drinking around half a bottle a day. Tearful,
    said "what's the point if I don't see them". On questioning, denies plan or intent to end his life.
    No driving since drinking. Agreed to contact alcohol team today and to a check-in call tomorrow.""",
      "Alcohol relapse after news about children moving", "Five days drinking, tearfulness, hopelessness about contact with children",
      "high", "hopelessness, no plan or intent", "Same-day alcohol team contact; check-in call tomorrow; legal advice on contact",
      "C-04", 3),
    S("notes", """Client back to abstinence for three weeks with support from the alcohol team. Family solicitor has
    arranged a contact schedule: alternate weekends and video calls twice a week. Mood brighter, sleeping
    better. Attending SMART twice weekly and has a sponsor-like peer. Identifies anger at ex-partner as a
    trigger; practised urge surfing in session. He is also planning a structured weekend routine for the Saturdays when he does not have the children.""",
      "Alcohol recovery after relapse", "Three weeks abstinent; anger at ex-partner as trigger; mood brighter",
      "moderate", "no SI; relapse risk managed", "Urge surfing practice; continue SMART; fortnightly sessions",
      "C-04", 4),
    # C-05: adolescent restrictive eating.
    S("notes", """First appointment with 15-year-old and her father. Over six months she has cut out all carbohydrates
    and most fats, runs every morning before school, and has lost about 9 kg. Periods stopped three months
    ago. Dizzy on standing; fainted once in PE. Says she "feels fat" and panics if she cannot run. No self-harm
    or suicidal thoughts reported. GP bloods and ECG requested urgently; referral to eating disorder service.""",
      "Restrictive eating and weight loss in a teenager", "9 kg loss, amenorrhoea, dizziness, one faint, compulsive running",
      "high", "medical risk; no SI or self-harm", "Urgent GP bloods and ECG; eating disorder service referral; family meal plan",
      "C-05", 1),
    S("transcript", """Therapist: How have meals been at home this week?
    Client: Dad makes me sit there until I finish. I hate it. I cried at dinner every night.
    Therapist: That sounds really hard. What goes through your mind at the table?
    Client: That I'm going to get huge. That everyone's watching me eat.
    Therapist: Your blood results came back with low potassium. The doctor wants to see you again Friday.
    Client: I've still been running. Just shorter.""",
      "Restrictive eating, family-based treatment started", "Distress at meals, fear of weight gain, continued running, low potassium",
      "high", "medical instability; no self-harm", "GP review Friday; pause running; parents supervise all meals",
      "C-05", 2),
    S("notes", """Session 6. Weight has increased 2.1 kg since starting family-based treatment. Potassium normal on last
    test. Running stopped by agreement; client walks the dog instead. Still anxious at meals but finishing
    them most days without crying. Some body-checking in mirrors. Has returned to PE lessons. Father reports she laughed at dinner for the first time in months. Mother, who works away, joined by video and agreed with the plan.""",
      "Restrictive eating, recovering with family-based treatment", "Weight gain 2.1 kg; meal anxiety easing; body-checking persists",
      "moderate", "medically stable; no self-harm", "Continue family-based treatment; work on body-checking; weekly weighing",
      "C-05", 3),
    S("notes", """Session 10. Client eating three meals and two snacks, mostly plating her own food with parental
    oversight. Periods have returned. Anxiety about eating out with friends; planned a pizza outing with a
    friend as an exposure. Mood generally good, enjoying art club. No restriction or compensatory exercise reported by client or father. Discussed how to handle comments about bodies from classmates.""",
      "Eating disorder recovery, phase two", "Regular eating, periods returned; anxiety about eating with friends",
      "moderate", "stable; relapse risk monitored", "Social eating exposures; gradual return of autonomy; fortnightly review",
      "C-05", 4),
    # C-06: veteran with PTSD.
    S("transcript", """Therapist: You mentioned the nightmares at the GP. How often are they happening?
    Client: Three, four nights a week. Same patrol, same road. I wake up soaked.
    Therapist: And during the day?
    Client: I sit with my back to the wall everywhere. Fireworks, forget it. I snap at the wife.
    Therapist: Any thoughts of harming yourself or anyone else?
    Client: No. I get angry but I walk away. I've never touched anyone.
    Therapist: What made you come in now?
    Client: My daughter asked why I never come to her football.""",
      "Nightmares and hypervigilance after military service", "Nightmares 3-4 nights weekly, hypervigilance, irritability, avoidance of crowds",
      "moderate", "no thoughts of harm to self or others", "Trauma-focused CBT; sleep hygiene; veterans' charity link",
      "C-06", 1),
    S("notes", """Session 4. Client reports worse week after starting the trauma narrative. Nightmares nightly, drinking
    four to five cans each night to sleep, and had an angry outburst at a neighbour. Denies any intent to
    harm anyone. Said he "doesn't see the point of any of it" but denies suicidal thoughts when asked
    directly. Wife worried. Agreed to slow the pace of exposure and to speak to GP about prazosin.""",
      "PTSD symptoms worsening during trauma work", "Nightly nightmares, heavier drinking, angry outburst, hopelessness",
      "high", "hopelessness and alcohol; denies SI or intent", "Slow exposure pace; GP re prazosin; alcohol reduction; wife joins next",
      "C-06", 2),
    S("notes", """Session 8. Nightmares reduced to one or two a week since starting prazosin. Drinking back to weekends
    only. Completed reliving of the roadside incident with distress peaking and then falling within the
    session. Went to his daughter's football match and stood at the side for the first half. Irritability improved according to wife. He still avoids the bypass road that resembles the patrol route; this is next on the hierarchy.""",
      "PTSD, trauma-focused CBT progressing", "Nightmares 1-2 weekly; drinking reduced; attended daughter's match",
      "moderate", "no SI; risk reduced", "Continue reliving and in-vivo exposure; review alcohol; fortnightly sessions",
      "C-06", 3),
    S("transcript", """Therapist: Twelve sessions. How would you describe where you are now compared to when we started?
    Client: Night and day. I still don't love fireworks but I went to the bonfire with the family.
    Therapist: The nightmares?
    Client: Maybe once a month. I can go back to sleep after.
    Therapist: What will you do if things slip?
    Client: Call the veterans' group. Watch the drinking. Tell my wife instead of going quiet.""",
      "End of PTSD treatment", "Nightmares about monthly; attended bonfire; managing reminders",
      "low", "no safety concerns", "Discharge; veterans' peer group; re-referral if symptoms return",
      "C-06", 4),
    # C-07: young adult with self-harm after emergency attendance.
    S("notes", """Urgent appointment following emergency department attendance last night. Client, 19, cut her forearm
    deeply and needed sutures; says she wanted "to make it all stop" and is unsure whether she wanted to die.
    Still has blades at home. Says today she "might do it again tonight". Ongoing conflict with mother,
    recent breakup. Crisis team contacted; agreed to same-day assessment. Mother agreed to remove blades and
    medications and stay with her tonight.""",
      "Deep self-harm requiring sutures, ambivalent about dying", "Recent breakup, family conflict, urges to self-harm again tonight",
      "crisis", "self-harm with suicidal ambivalence; access to blades", "Same-day crisis team; means removed by mother; daily contact",
      "C-07", 1),
    S("transcript", """Therapist: It's been a week since the hospital. How are you doing today?
    Client: Better than that night. I haven't cut. Mum took everything and she's been nicer, weirdly.
    Therapist: What about urges?
    Client: Most nights, around midnight. I hold ice or I text my friend.
    Therapist: And the thoughts about dying?
    Client: They come when I'm lying awake. Not like that night though. I don't want to die, I want to stop feeling like this.""",
      "Self-harm urges after recent serious episode", "Nightly urges managed with ice and texting; night-time death thoughts",
      "high", "recent serious self-harm; passive SI", "Safety plan review; begin DBT skills; crisis team step-down",
      "C-07", 2),
    S("notes", """Session 6. No self-harm for four weeks. Uses TIPP skills and diary card daily. One strong urge after an
    argument with her mother, managed with cold water and a walk. Denies suicidal thoughts this fortnight.
    Started a part-time job at a café. Sleep improving. Family session planned to work on communication with mother. She reports feeling proud of the four weeks, though she worries about the sutured scar being noticed at work.""",
      "Self-harm, four weeks free", "One strong urge managed with skills; no SI; sleep improving",
      "moderate", "no self-harm four weeks; no SI", "Continue DBT skills; family session; weekly sessions",
      "C-07", 3),
    S("notes", """Session 10. Client has now gone ten weeks without self-harm. Family session helped; she and her mother
    agreed on a signal for when arguments are escalating. Still has occasional urges when very tired. Mood
    mostly steady, enjoying the café job and thinking about applying to college. Reviewed safety plan, which she still carries on her phone. We discussed what a good ending to therapy would look like and agreed to begin spacing sessions out.""",
      "Self-harm recovery, ten weeks free", "Occasional urges when tired; mood steady; improved family communication",
      "moderate", "no self-harm in ten weeks", "Keep safety plan; college planning; fortnightly sessions",
      "C-07", 4),
    # C-08: nurse with burnout.
    S("notes", """Initial session. Ward nurse, 34, eleven years qualified. Exhausted, dreads shifts, cries in car park
    before work. Sleeping 5 hours, headaches most days, snapping at partner. Stopped running and seeing
    friends. No thoughts of self-harm or suicide. Feels guilty considering time off because the ward is
    short-staffed. Occupational health referral discussed. She has been offered overtime every week and has said yes to all of it. Partner has suggested she see someone.""",
      "Work exhaustion and dread of shifts", "Poor sleep, headaches, irritability, tearfulness, withdrawal from friends",
      "moderate", "no SI or self-harm", "Occupational health referral; boundary setting; reduce overtime",
      "C-08", 1),
    S("transcript", """Therapist: Last time you were going to turn down the extra shifts. How did that go?
    Client: I said no twice! It felt awful at first but nobody died, funnily enough.
    Therapist: What did you do with the time?
    Client: Went for a run on Saturday. First in months. Slept eight hours.
    Therapist: And the dread before shifts?
    Client: Still there on Mondays, but less. Occupational health are moving me to days.""",
      "Burnout, improving with boundaries", "Dread easing; sleeping better; running again",
      "low", "no safety concerns", "Continue saying no to overtime; day shifts; review in three weeks",
      "C-08", 2),
    S("notes", """Review session. Client now on day shifts for a month. Reports energy back, headaches rare, seeing friends
    weekly and running twice a week. Still gets Sunday evening tension. Has spoken to ward manager about
    staffing. Agreed she has met her goals; offered a booster session in two months. She will keep a short weekly check of sleep and mood and bring it to the booster.""",
      "Burnout, goals met", "Energy improved, headaches rare, mild Sunday tension",
      "low", "none identified", "Discharge with booster session in two months",
      "C-08", 3),
]
